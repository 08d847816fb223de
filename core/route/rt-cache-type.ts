// Whether an output route's type can come from another destination's lookup: the per-CPU
// output route cached in a nexthop (__mkroute_output() in net/ipv4/route.c:
// nhc_pcpu_rth_output) is taken for any later lookup through that nexthop while it is valid
// (rt_cache_valid(): until the next rt_cache_flush()), whatever the destination. A
// multicast destination (224.0.0.0/4) routed through a route of /4 or longer keeps its
// fib_info and is cached there as RTN_MULTICAST with RTCF_MULTICAST (unless the device joined
// the group); a unicast destination through a route sharing that fib_info (a fib_info
// belongs to one table and is shared by the routes its fields agree on: fib_find_info()),
// or a nexthop object, then gets that multicast route, and the other way round. Seen on this
// kernel: 224.0.0.0/4 and 10.11.0.0/16 `dev e0` in main, `ip route get 224.1.1.1` then
// `ip route get 10.11.0.1` printed `multicast 10.11.0.1 … rt_offload_failed … cache <mc>`
// when both ran on one CPU (taskset -c 0), and `10.11.0.1 dev e0` on the other CPU, where
// `ip route get 224.1.1.1` then printed `224.1.1.1 dev e0 … cache` (the unicast route cached
// by 10.11.0.1). Which lookup came first on which CPU no dump tells: such an answer is a named
// gap.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import { pmapForEachRange } from '../snapshot/pmap-walk.js';
import { prefixKey, tableForEachLeaf } from '../snapshot/fib-table.js';
import { isMulticast, type Ip4 } from '../net/ip4.js';

/** The gap of an answer whose type may be another destination's cached route. */
export const CACHED_TYPE_GAP = 'ip route get through a nexthop that unicast and multicast destinations share: its per-CPU cached output route may be the other kind (__mkroute_output, nhc_pcpu_rth_output)';

const MC_LO = prefixKey(0xe0000000, 32);
const MC_HI = prefixKey(0xf0000000, 32);

/**
 * Whether `a` caches in the same nexthop as the answer's route `r`: its nexthop object, or
 * its fib_info, which the kernel's fib_find_info() shares only between routes of one type
 * (fi->fib_type; the model keeps the type on the alias: a `multicast 239.1.0.0/16 dev e0`
 * route did not share with `10.11.0.0/16 dev e0` here).
 */
function sharesCache(a: FibAlias, r: FibAlias): boolean {
  return r.info.nhid !== 0 ? a.info.nhid !== 0 : a.info === r.info && a.type === r.type;
}

/**
 * The gap when the cached output route of the answer's nexthop may have been made by a
 * destination of the other kind; undefined when it cannot. `cached`: __mkroute_output()
 * caches this answer; `dst` the destination; `alias`, `table`, `plen` the FIB result.
 */
export function cachedTypeGap(s: FibSnapshot, cached: boolean, dst: Ip4, alias: FibAlias, table: number, plen: number): string | undefined {
  if (!cached) return undefined;
  const info = alias.info;
  // The tables whose routes can share the cache: the route's own, or every one for a
  // nexthop object (the cache is the object's, and objects are shared across tables).
  const tables = info.nhid !== 0 ? [...s.tables.values()] : [s.tables.get(table)].filter((t) => t !== undefined);
  let found = false;
  if (!isMulticast(dst)) {
    // A multicast destination caches only through a route of /4 or longer: those lie inside
    // 224.0.0.0/4 (a contiguous range of keys).
    for (const t of tables) {
      pmapForEachRange(t.leaves, MC_LO, MC_HI, (key, aliases) => {
        if (found || key % 256 > 28) return;
        if (aliases.some((a) => sharesCache(a, alias))) found = true;
      });
      if (found) break;
    }
  } else if (plen >= 4) {
    // A unicast destination caches through any route that is not inside 224.0.0.0/4.
    for (const t of tables) {
      tableForEachLeaf(t, (d, p, aliases) => {
        if (found || (isMulticast(d) && p >= 4)) return;
        if (aliases.some((a) => sharesCache(a, alias))) found = true;
      });
      if (found) break;
    }
  }
  return found ? CACHED_TYPE_GAP : undefined;
}
