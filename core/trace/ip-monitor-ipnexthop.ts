// `ip monitor` [NEXTHOP] records: the reverse of __print_nexthop_entry() (ip/ipnexthop.c).

import { AF_INET, AF_INET6, AF_UNSPEC } from '../uapi/socket.js';
import { RTPROT_UNSPEC, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE } from '../uapi/rtnetlink.js';
import { canonicalIp6 } from '../net/ip6.js';
import type { NexthopGroupEntry, NexthopRecord } from './netlink-records.js';
import { PROTOCOL_NAMES, RT_FLAG_WORDS, SCOPE_NAMES } from '../uapi/rt-names.js';
import { type Ctx, type Mutable, Skip, Tokens, ipv4, named, num, withTime, words } from './_ip-monitor-text.js';

/** A timer printed by print_tv() ("%g" seconds) back in clock_t (centiseconds). */
function seconds(t: Tokens, key: string, word: string): number {
  if (!/^[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/.test(word)) throw t.fault(`seconds after "${key}"`, `"${key}" must be a number of seconds: got "${word}"`);
  return Math.round(Number(word) * 100);
}

// ---- [NEXTHOP] ----

export function parseNexthop(s: string, ctx: Ctx): NexthopRecord {
  const ws = words(s);
  // print_nh_encap(): a nexthop object with a lightweight tunnel, not modelled (as routes
  // with one: ip-monitor-iproute.ts), skipped by name.
  if (ws.includes('encap')) throw new Skip('[NEXTHOP] with encap (lightweight tunnel)');
  const t = new Tokens(ws, ctx.line, 'nexthop');
  if (t.next() !== 'id') throw t.fault('id ID ...', 'does not start with "id"');
  const id = num(t, 'id', t.value('id'));
  const rec: Mutable<NexthopRecord> = {
    line: ctx.line, dump: false,
    kind: 'nexthop',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 104 : 105,
    family: AF_INET,
    id,
    scope: RT_SCOPE_UNIVERSE,
    protocol: RTPROT_UNSPEC,
    flags: 0,
    blackhole: false,
    fdb: false,
  };
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { rec.flags |= rf; continue; }
    switch (k) {
      case 'group': {
        const g = t.value(k);
        const entries: NexthopGroupEntry[] = [];
        for (const e of g.split('/')) {
          const em = /^(\d+)(?:,(\d+))?$/.exec(e);
          if (em === null) throw t.fault('group ID[,WEIGHT]/ID...', `bad group member "${e}"`);
          entries.push({ id: num(t, k, em[1] ?? ''), weight: em[2] === undefined ? 1 : num(t, k, em[2], 256) });
        }
        rec.group = entries;
        break;
      }
      case 'type': {
        const v = t.value(k);
        rec.groupType = v === 'resilient' ? 1 : v === 'mpath' ? 0 : num(t, k, v, 0xffff);
        break;
      }
      // print_nh_res_group(): buckets, then the timers in seconds ("%g" of clock_t / 100).
      case 'buckets': rec.res = { ...rec.res, buckets: num(t, k, t.value(k), 0xffff) }; break;
      case 'idle_timer': rec.res = { ...rec.res, idleTimer: seconds(t, k, t.value(k)) }; break;
      case 'unbalanced_timer': rec.res = { ...rec.res, unbalancedTimer: seconds(t, k, t.value(k)) }; break;
      case 'unbalanced_time': t.value(k); break;
      case 'via': {
        // An IPv6 gateway is an AF_INET6 nexthop's (IPv4 routes may use it).
        const v = t.value(k);
        if (v.includes(':')) {
          const g = canonicalIp6(v);
          if (g === undefined) throw t.fault('an IPv4 or IPv6 address after "via"', `bad gateway "${v}"`);
          rec.gateway = g;
          rec.family = AF_INET6;
        } else rec.gateway = ipv4(t, k, v);
        break;
      }
      case 'dev': rec.dev = t.value(k); break;
      case 'scope': rec.scope = named(t, k, t.value(k), SCOPE_NAMES, ctx.names.scopes, 255, 'rt_scopes'); break;
      case 'blackhole': rec.blackhole = true; break;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, ctx.names.protocols, 255, 'rt_protos'); break;
      case 'fdb': rec.fdb = true; break;
      default:
        throw t.fault('group, via, dev, scope, blackhole, proto, fdb or flags', `unexpected word "${k}"`);
    }
  }
  // The text has no nh_family: groups are AF_UNSPEC; an IPv6 gateway, or a device-only
  // nexthop of scope link (nh_fill_node(): an IPv4 one without gateway is scope host), AF_INET6.
  if (rec.group !== undefined) rec.family = AF_UNSPEC;
  else if (!rec.blackhole && !rec.fdb && rec.gateway === undefined && rec.scope === RT_SCOPE_LINK) rec.family = AF_INET6;
  return withTime(rec, ctx);
}
