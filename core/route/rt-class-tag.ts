// The realms (dst.tclassid) of an output route: rt_set_nexthop() in net/ipv4/route.c copies
// the nexthop's nh_tclassid into a fib_info route, then set_class_tag(rt, res->tclassid)
// fills each half (source realm, destination realm) still 0 from the policy rule that gave
// the result (__fib_lookup(): res->tclassid = rule4->tclassid, FRA_FLOW of `ip rule …
// realms`).
//
// Why this is not always answerable: a route with a fib_info is cached in its nexthop,
// per CPU (__mkroute_output(): nhc_pcpu_rth_output), until the next rt_cache_flush() (any
// route or rule change bumps the genid). A later lookup on the same CPU through the same
// nexthop gets the cached route, with the realms of the rule of the lookup that made it;
// on another CPU it makes its own. So once a rule's realms would change a cacheable
// answer, the answer depends on earlier lookups and on the CPU `ip` ran on (seen on this
// 2-core machine with taskset: the same `ip route get` printed `realm 5` on one CPU and no
// realm on the other). The model answers only when no current lookup rule's realms can
// change it.

import type { FibSnapshot } from '../snapshot/snapshot.js';

/** set_class_tag(): each 16-bit half of `tag` fills the same half of `tclassid` when that is 0. */
export function setClassTag(tclassid: number, tag: number): number {
  let t = tclassid >>> 0;
  if ((t & 0xffff) === 0) t = (t | (tag & 0xffff)) >>> 0;
  if ((t & 0xffff0000) === 0) t = (t | (tag & 0xffff0000)) >>> 0;
  return t;
}

/** The output route's tclassid, or why the model cannot tell it. */
export type OutputTclassid = { readonly flow: number } | { readonly gap: string };

/** Where the cached route's nexthop lives: its fib_info's table, or a nexthop object (shared by every table). */
export interface CacheOwner {
  readonly table: number;
  readonly nexthopObject: boolean;
}

/** The gap of an answer whose realms (RTA_FLOW) depend on the per-CPU route cache. */
export const CACHED_REALMS_GAP = "ip route get whose cached output route may carry a rule's realms (per-CPU route cache; rt_set_nexthop, set_class_tag)";

/**
 * rt_set_nexthop() on the output path. `nhTclassid` is the nexthop's realms when the route
 * has a fib_info (0 otherwise), `ruleTclassid` the realms of the rule that gave the result,
 * `cached` whether __mkroute_output() caches this route (a fib_info, and no local
 * multicast), `owner` where its nexthop is.
 */
export function outputTclassid(s: FibSnapshot, nhTclassid: number, ruleTclassid: number, cached: boolean, owner: CacheOwner): OutputTclassid {
  if (!cached) return { flow: setClassTag(nhTclassid, ruleTclassid) };
  // The cached route was made by a lookup that reached this nexthop: through a rule that
  // looks up its table (a fib_info belongs to one table, fib_find_info() compares
  // fib_tb_id), or any table for a nexthop object. Only a rule that gives a result (a
  // lookup) sets res->tclassid; an error action ends the lookup.
  for (const r of s.rules) {
    if (r.action !== 'lookup' || (!owner.nexthopObject && r.table !== owner.table)) continue;
    const f = r.flow ?? 0;
    if (f !== 0 && setClassTag(nhTclassid, f) !== nhTclassid) {
      return { gap: CACHED_REALMS_GAP };
    }
  }
  return { flow: nhTclassid };
}

/** A rule with realms counts in fib_num_tclassid_users (fib4_rule_configure()). */
export function rulesHaveRealms(s: FibSnapshot): boolean {
  return s.rules.some((r) => (r.flow ?? 0) !== 0);
}
