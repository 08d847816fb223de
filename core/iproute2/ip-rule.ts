// `ip rule` (iproute2 6.1 ip/iprule.c): iprule_modify, iprule_list, flush.

import { Args, CommandContext, CommandExit, failKernel, invarg, matches, notModelled, parseIp4Loose } from './command-context.js';
import { blankRule } from '../snapshot/fib-rule.js';
import { frAction, ruleActionOf, type FibRule, type RuleAction } from '../events/rule.js';
import { rtnlRtntypeA2n } from './rtm-map.js';
import { BUILTIN_NAMES, dsfieldName, dsfieldNumber, parseUnsigned, getS32, groupName, groupNumber, protoName, protoNumber, RTN_TYPE_NAMES, tableName, tableNumber, type PrintNames } from '../uapi/rt-names.js';
import { RTPROT_KERNEL } from '../uapi/rtnetlink.js';
import { AfState, getPrefixAf } from './addr-family.js';
import { formatIp4 } from '../net/ip4.js';
import { ruleDevIndex, gotoTarget } from '../rules/fib-rules-lookup.js';
import { deviceByIfname, deviceByName, type FibSnapshot } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { ipprotoName, ipprotoNumber } from './ip-proto.js';
import type { RuleMatch } from '../events/rule.js';
import { parseRuleFilter, ruleFlushed, ruleSelected, sscanfPortRange } from './ip-rule-filter.js';
import { getRtRealmsOrRaw } from './route-metrics.js';
import { realmN2a } from '../print/rta-metrics.js';

export function ipRule(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return ruleList(ctx, opts, a);
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return ruleModify(ctx, opts, a, true);
  if (matches(verb, 'delete')) return ruleModify(ctx, opts, a, false);
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return ruleList(ctx, opts, a);
  if (matches(verb, 'flush')) return ruleFlush(ctx, a);
  if (matches(verb, 'save') || matches(verb, 'restore')) notModelled(`ip rule ${verb}`);
  // do_iprule(): after every command word, `help` (or a prefix of it) prints the usage.
  if (matches(verb, 'help')) notModelled('ip rule help');
  throw new CommandExit(`Command "${verb}" is unknown, try "ip rule help".\n`, 255);
}

/** iprule_modify()'s sport/dport: sscanf("%hu-%hu") (70000 is 4464, `5-` is 5). */
function portRange(word: string, message: string): readonly [number, number] {
  const r = sscanfPortRange(word);
  if (r === undefined) invarg(message, word);
  return r;
}

/**
 * fib_nl2rule(): FRA_UID_RANGE through make_kuid(current_user_ns(), …): 4294967295 is
 * INVALID_UID in every namespace, and a range with an invalid end or start above end is
 * EINVAL. Whether 2147483647..4294967294 are uids depends on the caller's user namespace
 * (the kernel runner's maps 0..2147483646; a host's initial one maps them all).
 */
function uidRangeCheck(start: number, end: number): void {
  if (start === INVALID_UID || end === INVALID_UID || start > end) failKernel({ errno: 'EINVAL', extack: 'Invalid uid range' });
  if (end > 2147483646) notModelled('uidrange above 2147483646 (valid or not by the user namespace of the caller)');
}

const INVALID_UID = 0xffffffff;

/** iprule_modify(). For delete, only the fields given are compared (rule_find). */
function ruleModify(ctx: CommandContext, opts: GlobalOptions, a: Args, add: boolean): void {
  if (a.done) throw new CommandExit(`"ip rule ${add ? 'add' : 'del'}" requires arguments.\n`, 1);
  const m: { -readonly [K in keyof FibRule]?: FibRule[K] } = {};
  // iprule_modify() parses addresses in req.frh.family, which stays preferred_family (it
  // becomes AF_INET only at the end): an IPv6 prefix passes iproute2 and fib_nl2rule()
  // refuses its length for an IPv4 rule, when the prefix length is not 0 (a /0 is ignored).
  const st = new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
  let badSrc = false;
  let badDst = false;
  // req.frh.action: FR_ACT_TO_TBL for an add, 0 (any) for a delete, until a word sets it.
  let act = add ? 1 : 0;
  let gotoGiven = false;
  let typeGiven = false;
  let tableGiven = false;
  let l3mdev = false;
  let natGiven = false;
  while (!a.done) {
    const w = a.cur;
    if (w === 'not') m.not = true;
    else if (w === 'from') {
      const p = getPrefixAf(a.next(), st, false);
      badSrc = p.family === 'inet6' && p.len > 0;
      m.src = p.family === 'inet' ? p.addr : 0;
      m.srcLen = p.len;
    } else if (w === 'to') {
      const p = getPrefixAf(a.next(), st, false);
      badDst = p.family === 'inet6' && p.len > 0;
      m.dst = p.family === 'inet' ? p.addr : 0;
      m.dstLen = p.len;
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('preference value is invalid\n', v);
      m.priority = n;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldNumber(v, ctx.names);
      if (t === undefined) invarg('TOS value is invalid\n', v);
      m.tos = t;
    } else if (w === 'fwmark') {
      const v = a.next();
      // iprule_modify(): the word is cut at its first '/' (what an error names is the part
      // before it), and the rest, further slashes included, is the mask.
      const slash = v.indexOf('/');
      const mk = slash < 0 ? v : v.slice(0, slash);
      const mask = slash < 0 ? undefined : v.slice(slash + 1);
      const n = parseUnsigned(mk);
      if (n === undefined) invarg('fwmark value is invalid\n', mk);
      m.fwmark = n;
      if (mask !== undefined) {
        const k = parseUnsigned(mask);
        if (k === undefined) invarg('fwmask value is invalid\n', mask);
        m.fwmask = k;
      } else m.fwmask = n !== 0 ? 0xffffffff : 0;
    } else if (w === 'l3mdev') {
      m.l3mdev = true;
      l3mdev = true;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      m.protocol = p;
    } else if (matches(w, 'realms')) {
      // get_rt_realms_or_raw(): FRA_FLOW, sent even when 0.
      const v = a.next();
      const f = getRtRealmsOrRaw(v);
      if (f === undefined) invarg('invalid realms\n', v);
      m.flow = f;
    } else if (matches(w, 'tun_id')) {
      notModelled(`ip rule ${w}`);
    } else if (w === 'nat' || matches(w, 'map-to')) {
      // iprule_modify(): the warning first, then get_addr32() (exit 1 on a bad address), an
      // RTA_GATEWAY that fib rules do not read (type 5 is FRA_UNUSED2), and action RTN_NAT
      // without table_ok (no table given is main). The kernel keeps the action; a lookup
      // through it is EINVAL, and `ip rule` prints `masquerade` (no gateway comes back).
      const v = a.next();
      ctx.warn('Warning: route NAT is deprecated\n');
      if (v !== 'default' && v !== 'any' && v !== 'all' && (v.includes(':') || parseIp4Loose(v) === undefined)) {
        throw new CommandExit(`Error: an IP address is expected rather than "${v}"\n`, 1);
      }
      act = 10;
      natGiven = true;
    } else if (matches(w, 'table') || w === 'lookup') {
      const v = a.next();
      const t = tableNumber(v, ctx.names);
      if (t === undefined) invarg('invalid table ID\n', v);
      m.table = t;
      tableGiven = true;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      // get_s32(), refused when negative.
      const v = a.next();
      const n = getS32(v);
      if (n === undefined || n < 0) invarg('suppress_prefixlength value is invalid\n', v);
      m.suppressPrefixlen = n;
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') {
      const v = a.next();
      const n = groupNumber(v);
      if (n === undefined) invarg('Invalid "suppress_ifgroup" value\n', v);
      m.suppressIfgroup = n;
    } else if (w === 'dev' || w === 'iif') m.iifName = a.next();
    else if (w === 'oif') m.oifName = a.next();
    else if (w === 'uidrange') {
      const v = a.next();
      const r = /^([0-9]+)-([0-9]+)$/.exec(v);
      if (r === null) invarg('invalid UID range\n', v);
      m.uidStart = Number(r[1]);
      m.uidEnd = Number(r[2]);
    } else if (w === 'ipproto') {
      const v = a.next();
      const n = ipprotoNumber(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      m.ipproto = n;
    } else if (w === 'sport') m.sport = portRange(a.next(), 'invalid port range\n');
    else if (w === 'dport') m.dport = portRange(a.next(), 'invalid dport range\n');
    else if (matches(w, 'help')) notModelled('ip rule help');
    else {
      // iprule_modify()'s last branch: `type` is optional before goto, nop and a route type
      // word (rtnl_rtntype_a2n(), rtm-map.ts), whose number becomes frh.action; each of them
      // means table_ok, so `unicast` without a table is table 0 (fib_empty_table()).
      let v = w;
      if (w === 'type') v = a.next();
      if (matches(v, 'help')) notModelled('ip rule help');
      else if (matches(v, 'goto')) {
        const t = a.next();
        const n = parseUnsigned(t);
        if (n === undefined) invarg('invalid target\n', t);
        m.gotoTarget = n;
        gotoGiven = true;
        act = 2;
      } else if (matches(v, 'nop')) act = 3;
      else {
        const n = rtnlRtntypeA2n(v);
        if (n === undefined) throw new CommandExit(`Error: argument "${v}" is wrong: Failed to parse rule type\n`, 255);
        act = n;
      }
      typeGiven = true;
    }
    a.advance();
  }
  // iprule_modify(): an l3mdev rule takes its table from the VRF device, never from the user.
  if (l3mdev && tableGiven && m.table !== 0) throw new CommandExit('table can not be specified for l3mdev rules\n', 22);
  const action: RuleAction | undefined = act === 0 && !add ? undefined : ruleActionOf(act);
  if (action !== undefined) m.action = action;
  if (badSrc) failKernel({ errno: 'EINVAL', extack: 'Invalid source address' });
  if (badDst) failKernel({ errno: 'EINVAL', extack: 'Invalid dst address' });
  // fib_nl2rule(): FRA_GOTO only with FR_ACT_GOTO, and FR_ACT_GOTO only with FRA_GOTO
  // (`ip rule add … local` is action 2, a goto without a target).
  if (gotoGiven && action !== 'goto') failKernel({ errno: 'EINVAL', extack: 'Unexpected goto' });
  if (!gotoGiven && action === 'goto') failKernel({ errno: 'EINVAL', extack: 'Missing goto target for action goto' });
  if (m.uidStart !== undefined && m.uidEnd !== undefined && m.uidStart !== null && m.uidEnd !== null) uidRangeCheck(m.uidStart, m.uidEnd);
  // fib_rule_port_range_valid(): 0 < start <= end < 65535.
  const portOk = (r: readonly [number, number]): boolean => r[0] !== 0 && r[1] !== 0 && r[1] < 0xffff && r[0] <= r[1];
  if (m.sport !== undefined && m.sport !== null && !portOk(m.sport)) failKernel({ errno: 'EINVAL', extack: 'Invalid sport range' });
  if (m.dport !== undefined && m.dport !== null && !portOk(m.dport)) failKernel({ errno: 'EINVAL', extack: 'Invalid dport range' });
  // fib_nl2rule() resolves FRA_IIFNAME/FRA_OIFNAME by __dev_get_by_name(), alternative names
  // included, but a rule attaches later (fib_rules_event(): NETDEV_REGISTER, CHANGENAME) by
  // dev->name alone: a rule naming an alternative name is attached until its device is
  // renamed or goes. The model resolves a rule's names as they stand (ruleDevIndex()).
  for (const n of [m.iifName, m.oifName]) {
    if (n !== undefined && n !== null && deviceByName(ctx.snapshot, n) === undefined && deviceByIfname(ctx.snapshot, n) !== undefined) {
      notModelled('ip rule iif/oif naming a device by an alternative name (the rule attaches through it now, later by dev->name only)');
    }
  }
  if (add) {
    const base = blankRule(0);
    // iprule_modify(): main only when neither a table nor an action word was given; a table
    // given with another action (`lookup 7 blackhole`) is kept, and `ip rule` prints it.
    // `nat`/`map-to` set the action without table_ok: main when no table was given.
    const natMain = natGiven && !typeGiven && !l3mdev ? 254 : 0;
    const table = action === 'lookup' ? (tableGiven ? (m.table ?? 254) : l3mdev || typeGiven ? 0 : 254) : tableGiven ? (m.table ?? 0) : natMain;
    const rule = { ...base, ...m, action: action ?? 'lookup', table, priority: m.priority ?? null };
    const step = ctx.apply({ type: 'rule-add', rule });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  const match: RuleMatch = m;
  const step = ctx.apply({ type: 'rule-del', match });
  if (step.error !== null) failKernel(step.error);
}

/** `ip rule flush [SELECTOR]` (flush_rule()): every selected rule with a priority is deleted whole, one by one. */
function ruleFlush(ctx: CommandContext, a: Args): void {
  const f = parseRuleFilter(a);
  for (const r of [...ctx.snapshot.rules]) {
    if (!ruleFlushed(f, r)) continue;
    const step = ctx.apply({ type: 'rule-del', match: r });
    if (step.error !== null) failKernel(step.error);
  }
}

/**
 * print_rule(): an action other than lookup, goto, nop and RTN_NAT (10: `masquerade`, as no
 * FRA_GATEWAY is ever sent) is printed by rtnl_rtntype_n2a() (0 is `none`, 12..255 numbers).
 */
function ruleActionName(a: RuleAction, names: PrintNames): string {
  const n = frAction(a);
  if (names.numeric === true) return String(n);
  return Object.entries(RTN_TYPE_NAMES).find(([, v]) => v === n)?.[0].replace('unspec', 'none') ?? String(n);
}

/** print_rule() text. */
export function formatRule(s: FibSnapshot, r: FibRule, details = false, names: PrintNames = BUILTIN_NAMES): string {
  let t = `${r.priority}:\t`;
  if (r.not) t += 'not ';
  t += r.srcLen === 0 && r.src === 0 ? 'from all' : `from ${formatIp4(r.src)}${r.srcLen !== 32 ? `/${r.srcLen}` : ''}`;
  if (r.dstLen !== 0 || r.dst !== 0) t += ` to ${formatIp4(r.dst)}${r.dstLen !== 32 ? `/${r.dstLen}` : ''}`;
  if (r.tos !== 0) t += ` tos ${dsfieldName(r.tos, names)}`;
  if (r.fwmark !== 0 || r.fwmask !== 0) {
    t += ` fwmark ${hexOrZero(r.fwmark)}`;
    if (r.fwmask !== 0xffffffff) t += `/${hexOrZero(r.fwmask)}`;
  }
  if (r.iifName !== null) t += ` iif ${r.iifName}${ruleDevIndex(s, r.iifName) < 0 ? ' [detached]' : ''}`;
  if (r.oifName !== null) t += ` oif ${r.oifName}${ruleDevIndex(s, r.oifName) < 0 ? ' [detached]' : ''}`;
  if (r.l3mdev) t += ' lookup [l3mdev-table]';
  if (r.uidStart !== null && r.uidEnd !== null) t += ` uidrange ${r.uidStart}-${r.uidEnd}`;
  if (r.ipproto !== 0) t += ` ipproto ${ipprotoName(r.ipproto, names.numeric === true)}`;
  if (r.sport !== null) t += r.sport[0] === r.sport[1] ? ` sport ${r.sport[0]}` : ` sport ${r.sport[0]}-${r.sport[1]}`;
  if (r.dport !== null) t += r.dport[0] === r.dport[1] ? ` dport ${r.dport[0]}` : ` dport ${r.dport[0]}-${r.dport[1]}`;
  if (r.table !== 0) {
    t += ` lookup ${tableName(r.table, names)}`;
    if (r.suppressPrefixlen !== -1) t += ` suppress_prefixlength ${r.suppressPrefixlen}`;
    if (r.suppressIfgroup !== -1) t += ` suppress_ifgroup ${groupName(r.suppressIfgroup, names)}`;
  }
  // FRA_FLOW, dumped only when not 0 (fib4_rule_fill()): " realms FROM/TO", or " realms TO".
  const flow = r.flow ?? 0;
  if (flow !== 0) {
    const from = flow >>> 16;
    t += from !== 0 ? ` realms ${realmN2a(from, names.numeric === true)}/` : ' realms ';
    t += realmN2a(flow & 0xffff, names.numeric === true);
  }
  if (r.action === 'goto') {
    t += ` goto ${r.gotoTarget}`;
    if (gotoTarget(s.rules, r) === null) t += ' [unresolved]';
  } else if (r.action === 'nop') t += ' nop';
  else if (r.action === 'action 10') t += ' masquerade';
  else if (r.action !== 'lookup') t += ` ${ruleActionName(r.action, names)}`;
  // print_rule(): FRA_PROTOCOL last, only when it is neither unspec nor kernel (always with -d).
  if ((r.protocol !== 0 && r.protocol !== RTPROT_KERNEL) || details) t += ` proto ${protoName(r.protocol, names)}`;
  return `${t}\n`;
}

const hexOrZero = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** print_rule() JSON. */
export function ruleJson(s: FibSnapshot, r: FibRule, details = false, names: PrintNames = BUILTIN_NAMES): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { priority: r.priority };
  if (r.not) o['not'] = null;
  if (r.srcLen === 0 && r.src === 0) o['src'] = 'all';
  else {
    o['src'] = formatIp4(r.src);
    if (r.srcLen !== 32) o['srclen'] = r.srcLen;
  }
  if (r.dstLen !== 0 || r.dst !== 0) {
    o['dst'] = formatIp4(r.dst);
    if (r.dstLen !== 32) o['dstlen'] = r.dstLen;
  }
  if (r.tos !== 0) o['tos'] = dsfieldName(r.tos, names);
  if (r.fwmark !== 0 || r.fwmask !== 0) {
    o['fwmark'] = hexOrZero(r.fwmark);
    if (r.fwmask !== 0xffffffff) o['fwmask'] = hexOrZero(r.fwmask);
  }
  if (r.iifName !== null) {
    o['iif'] = r.iifName;
    if (ruleDevIndex(s, r.iifName) < 0) o['iif_detached'] = null;
  }
  if (r.oifName !== null) {
    o['oif'] = r.oifName;
    if (ruleDevIndex(s, r.oifName) < 0) o['oif_detached'] = null;
  }
  if (r.l3mdev) o['l3mdev'] = null;
  if (r.uidStart !== null && r.uidEnd !== null) {
    o['uid_start'] = r.uidStart;
    o['uid_end'] = r.uidEnd;
  }
  if (r.ipproto !== 0) o['ipproto'] = ipprotoName(r.ipproto, names.numeric === true);
  if (r.sport !== null) {
    if (r.sport[0] === r.sport[1]) o['sport'] = r.sport[0];
    else {
      o['sport_start'] = r.sport[0];
      o['sport_end'] = r.sport[1];
    }
  }
  if (r.dport !== null) {
    if (r.dport[0] === r.dport[1]) o['dport'] = r.dport[0];
    else {
      o['dport_start'] = r.dport[0];
      o['dport_end'] = r.dport[1];
    }
  }
  if (r.table !== 0) {
    o['table'] = tableName(r.table, names);
    if (r.suppressPrefixlen !== -1) o['suppress_prefixlen'] = r.suppressPrefixlen;
    if (r.suppressIfgroup !== -1) o['suppress_ifgroup'] = groupName(r.suppressIfgroup, names);
  }
  const flow = r.flow ?? 0;
  if (flow !== 0) {
    if (flow >>> 16 !== 0) o['flow_from'] = realmN2a(flow >>> 16, names.numeric === true);
    o['flow_to'] = realmN2a(flow & 0xffff, names.numeric === true);
  }
  if (r.action === 'goto') {
    o['goto'] = r.gotoTarget;
    if (gotoTarget(s.rules, r) === null) o['unresolved'] = null;
  } else if (r.action === 'nop') o['nop'] = null;
  else if (r.action === 'action 10') o['masquerade'] = null;
  else if (r.action !== 'lookup') o['action'] = ruleActionName(r.action, names);
  if ((r.protocol !== 0 && r.protocol !== RTPROT_KERNEL) || details) o['protocol'] = protoName(r.protocol, names);
  return o;
}

/** iprule_list_flush_or_save(IPRULE_LIST): the kernel's dump, through filter_nlmsg(). */
function ruleList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const f = parseRuleFilter(a);
  const rules = ctx.snapshot.rules.filter((r) => ruleSelected(f, r));
  if (opts.json) {
    const arr: JsonValue[] = rules.map((r) => ruleJson(ctx.snapshot, r, opts.details, ctx.names));
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const r of rules) ctx.print(formatRule(ctx.snapshot, r, opts.details, ctx.names));
}
