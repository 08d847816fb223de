// `ip monitor` [RULE] records: the reverse of print_rule() (ip/iprule.c).

import { AF_INET, AF_UNSPEC } from '../uapi/socket.js';
import { FIB_RULE_IIF_DETACHED, FIB_RULE_INVERT, FIB_RULE_OIF_DETACHED, FIB_RULE_UNRESOLVED, FR_ACT_GOTO, FR_ACT_NOP, FR_ACT_TO_TBL } from '../uapi/fib-rules.js';
import type { PortRange, RuleRecord } from './netlink-records.js';
import { DSFIELD_NAMES, GROUP_NAMES, IP_PROTO_NAMES, PROTOCOL_NAMES, RTN_TYPE_NAMES, TABLE_NAMES } from '../uapi/rt-names.js';
import { type Ctx, type Mutable, Skip, TextFault, Tokens, clip, hasIpv6, named, num, prefix, withTime, words } from './_ip-monitor-text.js';
import { realms } from './ip-monitor-iproute.js';

// ---- [RULE] ----

function portRange(t: Tokens, key: string, word: string): { range: PortRange; mask?: number } {
  const hm = /^(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)$/.exec(word);
  if (hm !== null) {
    const p = num(t, key, hm[1] ?? '', 0xffff);
    return { range: { start: p, end: p }, mask: num(t, key, hm[2] ?? '', 0xffff) };
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(word);
  if (m === null) throw t.fault(`PORT[-PORT] after "${key}"`, `bad port range "${word}"`);
  const a = num(t, key, m[1] ?? '', 0xffff);
  const b = m[2] === undefined ? a : num(t, key, m[2], 0xffff);
  return { range: { start: a, end: b } };
}

export function parseRule(s: string, ctx: Ctx): RuleRecord {
  const m = /^(\d+):\s+(.*)$/.exec(s);
  if (m === null) throw new TextFault(ctx.line, 'PRIO:<TAB>[not] from ...', `Cannot parse rule: "${clip(s)}"`);
  const ws = words(m[2] ?? '');
  if (hasIpv6(ws)) throw new Skip('[RULE]/inet6');
  const t = new Tokens(ws, ctx.line, 'rule');
  const rec: Mutable<RuleRecord> = {
    line: ctx.line, dump: false,
    kind: 'rule',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 32 : 33,
    family: AF_INET,
    priority: num(t, 'priority', m[1] ?? ''),
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: 0,
    action: FR_ACT_TO_TBL,
    flags: 0,
  };
  let flags = 0;
  let sawFrom = false;
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'not': flags |= FIB_RULE_INVERT; break;
      case 'from': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.src = p.addr;
        rec.srcLen = p.len;
        sawFrom = true;
        break;
      }
      case 'to': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.dst = p.addr;
        rec.dstLen = p.len;
        break;
      }
      case 'tos': case 'dsfield': rec.tos = named(t, k, t.value(k), DSFIELD_NAMES, ctx.names.dsfields, 255, 'rt_dsfield'); break;
      case 'fwmark': {
        const v = t.value(k);
        const [mark, mask] = v.split('/');
        rec.fwmark = num(t, k, mark ?? '');
        rec.fwmask = mask === undefined ? 0xffffffff : num(t, k, mask);
        break;
      }
      case 'iif': case 'oif': {
        const name = t.value(k);
        if (k === 'iif') rec.iifName = name; else rec.oifName = name;
        if (t.peek() === '[detached]' || t.peek() === 'detached') {
          t.next();
          flags |= k === 'iif' ? FIB_RULE_IIF_DETACHED : FIB_RULE_OIF_DETACHED;
        }
        break;
      }
      case 'lookup': {
        const v = t.value(k);
        rec.action = FR_ACT_TO_TBL;
        if (v === '[l3mdev-table]') rec.l3mdev = 1;
        else rec.table = named(t, k, v, TABLE_NAMES, ctx.names.tables, 0xffffffff, 'rt_tables');
        break;
      }
      case 'uidrange': {
        const um = /^(\d+)-(\d+)$/.exec(t.value(k));
        if (um === null) throw t.fault('uidrange A-B', 'bad uid range');
        rec.uidRange = { start: num(t, k, um[1] ?? ''), end: num(t, k, um[2] ?? '') };
        break;
      }
      case 'ipproto': rec.ipProto = named(t, k, t.value(k), IP_PROTO_NAMES, ctx.names.ipProtos, 255, '/etc/protocols'); break;
      case 'sport': {
        const p = portRange(t, k, t.value(k));
        rec.sportRange = p.range;
        if (p.mask !== undefined) rec.sportMask = p.mask;
        break;
      }
      case 'dport': {
        const p = portRange(t, k, t.value(k));
        rec.dportRange = p.range;
        if (p.mask !== undefined) rec.dportMask = p.mask;
        break;
      }
      case 'tun_id': {
        const v = t.value(k);
        if (!/^\d+$/.test(v)) throw t.fault('a decimal tun_id', `bad tun_id "${v}"`);
        rec.tunId = BigInt(v).toString();
        break;
      }
      case 'suppress_prefixlength': rec.suppressPrefixlen = num(t, k, t.value(k)); break;
      case 'suppress_ifgroup': rec.suppressIfgroup = named(t, k, t.value(k), GROUP_NAMES, ctx.names.groups, 0xffffffff, 'iproute2 group'); break;
      case 'realms': rec.flow = realms(t, k, t.value(k), ctx.names); break;
      case 'map-to': t.value(k); rec.action = 10; break;
      case 'masquerade': rec.action = 10; break;
      case 'goto': {
        const v = t.value(k);
        rec.action = FR_ACT_GOTO;
        if (v !== 'none') rec.goto = num(t, k, v);
        if (t.peek() === '[unresolved]') { t.next(); flags |= FIB_RULE_UNRESOLVED; }
        break;
      }
      case 'nop': rec.action = FR_ACT_NOP; break;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, ctx.names.protocols, 255, 'rt_protos'); break;
      default: {
        const a = Object.hasOwn(RTN_TYPE_NAMES, k) ? RTN_TYPE_NAMES[k] : undefined;
        if (a !== undefined && a !== 0) { rec.action = a; break; }
        throw t.fault('a rule selector or action (from, to, iif, lookup, goto, blackhole ...)', `unexpected word "${k}"`);
      }
    }
  }
  if (!sawFrom) throw t.fault('"from"', 'no "from" selector (print_rule() always prints one)');
  rec.flags = flags;
  // `ip -6 rule` prints like `ip rule`: only an address says the family. A rule with none
  // is AF_UNSPEC here; the replayer decides from what the notification proves (replayer.ts).
  if (rec.src === undefined && rec.dst === undefined) rec.family = AF_UNSPEC;
  return withTime(rec, ctx);
}
