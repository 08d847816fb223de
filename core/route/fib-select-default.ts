// fib_select_default() (fib_semantics.c): which of several default routes an output lookup
// takes. fib_select_path() calls it when the flow has no oif, the result is single-path, a
// /0 of type unicast, and its table holds more than one default route (tb_num_default).
//
// The kernel walks the /0 leaf's routes of the same table and tos from the one the lookup
// found, while the metric stays the same (a worse metric ends the walk), and keeps only
// unicast routes of the result's scope whose first nexthop has a link-scope gateway. Each
// candidate is passed over when its gateway's neighbour entry looks dead (fib_detect_death():
// an entry that is neither REACHABLE nor valid, or a valid one that was not the last choice),
// with a "last resort" remembered, and the index of the choice is stored in the found
// route's fa_default, which the next lookup reads.
//
// Why it matters without traffic: only neighbour entries make a default route look dead, and
// a route with no entry for its gateway is always taken as alive. kfib does not model the
// neighbour table (`ip neigh` is refused by name), so in the model every gateway has no entry
// and the first candidate, the one fib_table_lookup() found, is the answer — which is what
// the kernel answers then (test/route/fib-select-default.test.ts, captured on Linux 6.18,
// runs the walk with the neighbour states of each captured case, fa_default carried between
// lookups).

import type { FibAlias, FibInfo } from '../snapshot/fib-info.js';
import { RT_SCOPE_LINK } from '../uapi/rtnetlink.js';
import type { ResolvedNh } from '../trie/fib-table-lookup.js';
import type { Ip4 } from '../net/ip4.js';

/** A neighbour entry's NUD state (include/uapi/linux/neighbour.h), as `ip neigh` names them. */
export type NudState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent' | 'none';

/** NUD_VALID: PERMANENT | NOARP | REACHABLE | PROBE | STALE | DELAY. */
const NUD_VALID: ReadonlySet<NudState> = new Set<NudState>(['permanent', 'noarp', 'reachable', 'probe', 'stale', 'delay']);

/** The neighbour entry of a gateway on a device (neigh_lookup()), or undefined when there is none. */
export type NeighbourLookup = (dev: number, gw: Ip4) => NudState | undefined;

/** The model's neighbour table: empty (neighbours are not modelled). */
export const NO_NEIGHBOURS: NeighbourLookup = () => undefined;

/** What fib_select_default() decided: the fib_info the result now uses, and the found route's new fa_default. */
export interface DefaultChoice {
  /** The chosen route's index in the leaf, or -1 to keep the lookup's result. */
  readonly index: number;
  /** fa_default to store on the found route, or null when the walk left it alone. */
  readonly faDefault: number | null;
}

interface Death {
  lastResort: number;
  lastIdx: number;
}

/** fib_detect_death(): whether the candidate at `order` looks dead; may remember it as the last resort. */
function detectDeath(nud: NudState | undefined, order: number, candidate: number, d: Death, dflt: number): boolean {
  if (nud === undefined) return false;
  if (nud === 'reachable') return false;
  const valid = NUD_VALID.has(nud);
  if (valid && order !== dflt) return false;
  if (valid || (d.lastIdx < 0 && order > dflt && nud !== 'incomplete')) {
    d.lastResort = candidate;
    d.lastIdx = order;
  }
  return true;
}

/**
 * fib_select_default() over the /0 leaf of the result's table.
 *
 * @param leaf the /0 leaf's routes in order (the table's only: fa->tb_id is checked by the caller's leaf)
 * @param found the index in `leaf` of the route fib_table_lookup() returned
 * @param ftos the flow's tos (fib_dscp_masked_match())
 * @param firstNh the first nexthop of a route (fib_info_nhc(fi, 0)), or undefined
 * @param neigh the neighbour table
 * @param faDefault the found route's fa_default (-1 after insertion)
 */
export function fibSelectDefault(
  leaf: readonly FibAlias[],
  found: number,
  ftos: number,
  firstNh: (fa: FibAlias) => ResolvedNh | undefined,
  neigh: NeighbourLookup,
  faDefault: number,
): DefaultChoice {
  const res = leaf[found];
  if (res === undefined) return { index: -1, faDefault: null };
  const resInfo: FibInfo = res.info;
  let fi = -1;
  let fa1 = -1;
  let order = -1;
  let lastPrio = resInfo.priority;
  let lastTos = 0;
  const d: Death = { lastResort: -1, lastIdx: -1 };
  const death = (i: number, ord: number): boolean => {
    const nh = firstNh(leaf[i] as FibAlias);
    return detectDeath(nh === undefined || nh.gw === null ? undefined : neigh(nh.dev, nh.gw), ord, i, d, faDefault);
  };
  for (let i = 0; i < leaf.length; i++) {
    const fa = leaf[i] as FibAlias;
    const next = fa.info;
    if (fa.tos !== 0 && fa.tos !== ftos) continue;
    if (next.priority > lastPrio && fa.tos === lastTos) {
      if (lastTos !== 0) continue;
      break;
    }
    if (next.dead) continue;
    lastTos = fa.tos;
    lastPrio = next.priority;
    if (next.scope !== resInfo.scope || fa.type !== 'unicast') continue;
    const nh = firstNh(fa);
    if (nh === undefined || nh.gw === null || nh.scope !== RT_SCOPE_LINK) continue;
    if (fi < 0) {
      if (next !== resInfo) break;
      fa1 = i;
    } else if (!death(fi, order)) {
      return { index: fi, faDefault: order };
    }
    fi = i;
    order++;
  }
  if (order <= 0 || fi < 0) return { index: -1, faDefault: fa1 >= 0 ? -1 : null };
  if (!death(fi, order)) return { index: fi, faDefault: order };
  return { index: d.lastIdx >= 0 ? d.lastResort : -1, faDefault: d.lastIdx };
}
