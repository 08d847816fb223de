// Which input routes may come from another destination's lookup: the route cached in a
// nexthop for the input path (nhc_rth_input, one per nexthop, not per CPU), which
// ip_route_input_slow() hands to any later input lookup through that nexthop while it is
// valid (rt_cache_valid()), whatever made it: a forwarded route (__mkroute_input(): type
// unicast, out through the nexthop's device), or a local delivery (local_input: a local
// route's RTN_LOCAL or a broadcast route's RTN_BROADCAST, through lo).
//
// Why: a fib_info has one type, but a nexthop object is shared by routes of every type
// (`10.13.0.0/16 nhid 2`, `local 10.17.0.0/16 nhid 2`, `broadcast 10.15.0.0/16 nhid 2` were
// all accepted here). Seen on this kernel with forwarding on: `ip route get 10.17.0.1 from
// 10.0.0.2 iif e0` printed `10.17.0.1 from 10.0.0.2 dev e1 … cache iif e0` (the forwarded
// route 10.13.0.1 had left) instead of `local 10.17.0.1 … dev lo`, and after the cache was
// flushed and 10.17.0.1 looked up first, `ip route get 10.13.0.1 from 10.0.0.2 iif e0`
// printed `local 10.13.0.1 … dev lo … cache <local>`. Packets arriving make such lookups
// too, so the answer is named. A forwarded route is counted whatever the devices'
// forwarding (a packet may come in on any device): a local route sharing a nexthop object
// with a unicast one is named even where nothing forwards.
//
// Computed once per snapshot, and only when nexthop objects exist (a walk of the tables the
// rules read); input lookups are few.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import { tableForEachLeaf } from '../snapshot/fib-table.js';
import { lookedUp, objectLegs } from './rt-cache-output.js';

/** The gap of an input answer that may be the cached route another kind of lookup made. */
export const RT_CACHE_INPUT_GAP =
  'ip route get iif through a nexthop object that routes of another type also use: the input route cached in it (nhc_rth_input) may be theirs, forwarded or delivered locally (ip_route_input_slow, __mkroute_input)';

/** The input kinds (bits): forwarded, local, broadcast. */
const KIND_BITS: Readonly<Partial<Record<FibAlias['type'], number>>> = { unicast: 1, local: 2, broadcast: 4 };

const memo = new WeakMap<FibSnapshot, ReadonlySet<number>>();

/** The single nexthop objects where input lookups of two kinds cache (computed once per snapshot). */
function mixedObjects(s: FibSnapshot): ReadonlySet<number> {
  let m = memo.get(s);
  if (m !== undefined) return m;
  const kinds = new Map<number, number>();
  if (s.nexthops.size !== 0) {
    for (const id of lookedUp(s)) {
      const t = s.tables.get(id);
      if (t === undefined) continue;
      tableForEachLeaf(t, (_dst, _plen, aliases) => {
        for (const a of aliases) {
          const k = KIND_BITS[a.type];
          if (a.info.nhid === 0 || a.info.dead || k === undefined) continue;
          for (const o of objectLegs(s, a.info.nhid)) kinds.set(o, (kinds.get(o) ?? 0) | k);
        }
      });
    }
  }
  const mixed = new Set<number>();
  for (const [o, k] of kinds) if ((k & (k - 1)) !== 0) mixed.add(o);
  m = mixed;
  memo.set(s, m);
  return m;
}

/**
 * The gap of an input lookup whose route (forwarded or delivered locally) comes through
 * leg `leg` of `alias`, when input lookups of another kind cache in that nexthop object.
 */
export function rtCacheInputGap(s: FibSnapshot, alias: FibAlias, leg: number): string | undefined {
  if (alias.info.nhid === 0 || s.nexthops.size === 0) return undefined;
  const o = objectLegs(s, alias.info.nhid)[leg];
  return o !== undefined && mixedObjects(s).has(o) ? RT_CACHE_INPUT_GAP : undefined;
}
