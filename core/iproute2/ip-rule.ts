// `ip rule` (iproute2 6.1 ip/iprule.c): iprule_modify, iprule_list, flush.

import { Args, CommandContext, CommandExit, failKernel, invarg, matches, notModelled } from './command-context.js';
import { blankRule } from '../snapshot/fib-rule.js';
import { type FibRule, type RuleAction } from '../events/rule.js';
import { BUILTIN_NAMES, dsfieldName, dsfieldNumber, parseUnsigned, protoName, protoNumber, rtntypeName, tableName, tableNumber, type PrintNames } from '../uapi/rt-names.js';
import { RTPROT_KERNEL } from '../uapi/rtnetlink.js';
import { AfState, getPrefixAf } from './addr-family.js';
import { formatIp4 } from '../net/ip4.js';
import { ruleDevIndex, gotoTarget } from '../rules/fib-rules-lookup.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { ipprotoName, ipprotoNumber } from './ip-proto.js';
import type { RuleMatch } from '../events/rule.js';
import { parseRuleFilter, ruleFlushed, ruleSelected } from './ip-rule-filter.js';
import { getRtRealmsOrRaw } from './route-metrics.js';
import { rtntypeA2n } from './_ip-route-args.js';
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

function portRange(word: string, what: string): readonly [number, number] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(word);
  if (m === null) invarg(`invalid ${what}\n`, word);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > 65535 || hi > 65535) invarg(`invalid ${what}\n`, word);
  return [lo, hi];
}

/** FR_ACT_* numbers (include/uapi/linux/fib_rules.h) the model's rule actions stand for. */
const FR_ACTIONS: ReadonlyMap<number, RuleAction> = new Map<number, RuleAction>([
  [1, 'lookup'],
  [3, 'nop'],
  [6, 'blackhole'],
  [7, 'unreachable'],
  [8, 'prohibit'],
]);

/** iprule_modify(). For delete, only the fields given are compared (rule_find). */
function ruleModify(ctx: CommandContext, opts: GlobalOptions, a: Args, add: boolean): void {
  const m: { -readonly [K in keyof FibRule]?: FibRule[K] } = {};
  // iprule_modify() parses addresses in req.frh.family, which stays preferred_family (it
  // becomes AF_INET only at the end): an IPv6 prefix passes iproute2 and fib_nl2rule()
  // refuses its length for an IPv4 rule, when the prefix length is not 0 (a /0 is ignored).
  const st = new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
  let badSrc = false;
  let badDst = false;
  let action: RuleAction | undefined = add ? 'lookup' : undefined;
  let tableGiven = false;
  let actionWord = false;
  let l3mdev = false;
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
      const [mk, mask] = v.split('/');
      const n = parseUnsigned(mk ?? '');
      if (n === undefined) invarg('fwmark value is invalid\n', v);
      m.fwmark = n;
      if (mask !== undefined) {
        const k = parseUnsigned(mask);
        if (k === undefined) invarg('fwmask value is invalid\n', mask);
        m.fwmask = k;
      } else m.fwmask = n !== 0 ? 0xffffffff : 0;
    } else if (matches(w, 'realms')) {
      // get_rt_realms_or_raw(): FRA_FLOW, sent even when 0.
      const v = a.next();
      const f = getRtRealmsOrRaw(v);
      if (f === undefined) invarg('invalid realms\n', v);
      m.flow = f;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      m.protocol = p;
    } else if (matches(w, 'tun_id')) notModelled(`ip rule ${w}`);
    else if (matches(w, 'table') || w === 'lookup') {
      const v = a.next();
      const t = tableNumber(v, ctx.names);
      if (t === undefined) invarg('invalid table ID\n', v);
      m.table = t;
      tableGiven = true;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('suppress_prefixlength value is invalid\n', v);
      m.suppressPrefixlen = n;
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('Invalid "suppress_ifgroup" value\n', v);
      m.suppressIfgroup = n;
    } else if (w === 'dev' || w === 'iif') m.iifName = a.next();
    else if (w === 'oif') m.oifName = a.next();
    else if (w === 'l3mdev') {
      m.l3mdev = true;
      l3mdev = true;
    } else if (w === 'uidrange') {
      const v = a.next();
      const r = /^([0-9]+)-([0-9]+)$/.exec(v);
      if (r === null) invarg('invalid UID range\n', v);
      m.uidStart = Number(r[1]);
      m.uidEnd = Number(r[2]);
    } else if (w === 'nat' || matches(w, 'map-to')) notModelled(`ip rule ${w}`);
    else if (w === 'ipproto') {
      const v = a.next();
      const n = ipprotoNumber(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      m.ipproto = n;
    } else if (w === 'sport') m.sport = portRange(a.next(), 'sport');
    else if (w === 'dport') m.dport = portRange(a.next(), 'dport');
    else {
      // iprule_modify()'s last branch: an optional `type`, then help, goto, nop (any prefix),
      // else a route type for rtnl_rtntype_a2n() (`u` is unreachable, `b` broadcast, `bl`
      // blackhole, a number up to 255) taken as the FR_ACT_* number: 1 to-table, 3 nop,
      // 6 blackhole, 7 unreachable, 8 prohibit; the other numbers are not modelled.
      const v = w === 'type' ? a.next() : w;
      if (matches(v, 'help')) notModelled('ip rule help');
      actionWord = true;
      if (matches(v, 'goto')) {
        const t = a.next();
        const n = parseUnsigned(t);
        if (n === undefined) invarg('invalid target\n', t);
        m.gotoTarget = n;
        action = 'goto';
      } else if (matches(v, 'nop')) action = 'nop';
      else {
        const n = rtntypeA2n(v);
        if (n === undefined) throw new CommandExit(`Error: argument "${v}" is wrong: Failed to parse rule type\n`, 255);
        const act = FR_ACTIONS.get(n);
        if (act === undefined) notModelled(`ip rule action ${n} (${v})`);
        action = act;
      }
    }
    a.advance();
  }
  // iprule_modify(): an l3mdev rule takes its table from the VRF device, never from the user.
  if (l3mdev && tableGiven && m.table !== 0) throw new CommandExit('table can not be specified for l3mdev rules\n', 22);
  if (action !== undefined) m.action = action;
  if (badSrc) failKernel({ errno: 'EINVAL', extack: 'Invalid source address' });
  if (badDst) failKernel({ errno: 'EINVAL', extack: 'Invalid dst address' });
  if (add) {
    const base = blankRule(0);
    // A table given with another action (`lookup 7 blackhole`) is kept, and `ip rule` prints it.
    // iprule_modify(): table_ok is set by `table`/`lookup`, by l3mdev and by an action word
    // (even `unicast`, `type unicast` or `1`: table 0 then, and fib4_rule_configure() gives
    // the rule the lowest unused table id, as for `lookup 0`); without it, main.
    const table = tableGiven ? (m.table ?? 0) : actionWord || l3mdev ? 0 : 254;
    const rule = { ...base, ...m, table, priority: m.priority ?? null };
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
    if (r.suppressIfgroup !== -1) t += ` suppress_ifgroup ${r.suppressIfgroup}`;
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
  else if (r.action !== 'lookup') t += ` ${rtntypeName(r.action, names)}`;
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
    if (r.suppressIfgroup !== -1) o['suppress_ifgroup'] = String(r.suppressIfgroup);
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
  else if (r.action !== 'lookup') o['action'] = rtntypeName(r.action, names);
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
