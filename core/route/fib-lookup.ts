// fib_lookup() / __fib_lookup() (ip_fib.h, fib_rules.c): the fast path over main and default
// while no rule was ever added, else fib_rules_lookup(); and the address-type helpers of
// fib_frontend.c (inet_addr_type_table, __ip_dev_find) built on fib_table_lookup().

import type { Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { RT_TABLE_DEFAULT, RT_TABLE_MAIN, type RouteType } from '../uapi/rtnetlink.js';
import type { Flow } from '../net/flow.js';
import { aliasNexthops, fibTableLookup, type LookupFlags, type LookupOutcome } from '../trie/fib-table-lookup.js';
import { fibRulesLookup } from '../rules/fib-rules-lookup.js';

/**
 * fib_lookup(): the fast path (main, then default) while no rule was ever added,
 * else fib_rules_lookup() over the rule list.
 */
export function fibLookup(s: FibSnapshot, flow: Flow, flags: LookupFlags = {}): LookupOutcome {
  if (!s.customRules) {
    // Only "nothing here" (EAGAIN: no match, or throw) in main goes on to default; an
    // error route in main (blackhole, unreachable, prohibit) is the answer.
    let out: LookupOutcome = { ok: false, errno: 'EAGAIN' };
    if (s.tables.has(RT_TABLE_MAIN)) out = fibTableLookup(s, RT_TABLE_MAIN, flow, flags);
    if (!out.ok && out.errno === 'EAGAIN' && s.tables.has(RT_TABLE_DEFAULT)) out = fibTableLookup(s, RT_TABLE_DEFAULT, flow, flags);
    if (!out.ok && out.errno === 'EAGAIN') return { ok: false, errno: 'ENETUNREACH' };
    return out;
  }
  return fibRulesLookup(s, flow, flags);
}

/**
 * inet_addr_type_dev_table / inet_addr_type_table (__inet_dev_addr_type): the type of an
 * address in a table (local by default), optionally only if the answering route uses dev.
 */
export function inetAddrType(s: FibSnapshot, addr: Ip4, tableId: number, dev?: number): RouteType | 'broadcast-default' {
  // __inet_dev_addr_type(): ipv4_is_zeronet() (0.0.0.0 only, 6.18) or the limited broadcast.
  if (addr === 0 || addr === 0xffffffff) return 'broadcast';
  if (addr >>> 28 === 0xe) return 'multicast';
  if (!s.tables.has(tableId)) return 'broadcast-default';
  const out = fibTableLookup(s, tableId, { ...FLOW_ZERO, daddr: addr }, {});
  if (!out.ok) return 'unicast';
  if (dev === undefined) return out.res.type;
  const nhs = aliasNexthops(s, out.res.alias);
  const first = nhs === 'blackhole' ? undefined : nhs[0];
  return first !== undefined && first.dev === dev ? out.res.type : 'unicast';
}

const FLOW_ZERO: Flow = {
  daddr: 0,
  saddr: 0,
  tos: 0,
  oif: 0,
  iif: 1,
  mark: 0,
  uid: 0,
  proto: 0,
  sport: 0,
  dport: 0,
  scope: 0,
};

/** Whether addr is one of our addresses (__ip_dev_find / inet_lookup_ifaddr_rcu: on every device, whatever its state). */
export function isLocalAddress(s: FibSnapshot, addr: Ip4): boolean {
  for (const d of s.devices.values()) for (const a of d.addrs) if (a.local === addr) return true;
  return false;
}
