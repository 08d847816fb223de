// The regions an incremental compile recomputes (fib-lpm.ts compile): for each prefix whose
// answer in its lookup changed between two snapshots, itself, and the prefixes of the other
// lookups and the rule prefixes inside it, whose cover it may be.
//
// Why: a route event changes one leaf of one table, as fib_table_insert()/fib_table_delete()
// do; but a table read before another (local before main, a rule's table before main) covers
// the other's prefixes inside it, so their regions may change too.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import type { FibTable } from '../../core/snapshot/fib-table.js';
import { pmapDiff } from '../../core/snapshot/persistent-map.js';
import { forEachLeafInside, type AnswerTable, type LookupView } from './compile.js';
import { maskOf, type Ip4 } from '../../core/net/ip4.js';
import { prefixKey } from './_regions.js';

/** The tables of a view in a snapshot (missing ones left out). */
export function viewTables(s: FibSnapshot, v: LookupView): FibTable[] {
  const out: FibTable[] = [];
  for (const id of v.sources) {
    const t = s.tables.get(id);
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** What the search needs of a lineage: its snapshot, answers, lookups and rule prefixes. */
export interface RegionSource {
  readonly snapshot: FibSnapshot;
  readonly at: AnswerTable;
  readonly views: readonly LookupView[];
  readonly anchorList: readonly { readonly dst: Ip4; readonly len: number }[];
}

/** The regions to recompute, and the tables each lookup reads in the new snapshot. */
export interface ChangedRegions {
  readonly regions: Map<number, { readonly dst: Ip4; readonly len: number }>;
  readonly after: readonly FibTable[][];
}

/**
 * The regions to recompute from `L.snapshot` to `s` (the same program and lookups), or why
 * a full compile is cheaper (more than maxDiff changed prefixes, or maxRecompute regions).
 */
export function changedRegions(
  L: RegionSource,
  s: FibSnapshot,
  views: readonly LookupView[],
  maxDiff: number,
  maxRecompute: number,
): ChangedRegions | { readonly full: string } {
  const s0 = L.snapshot;
  const before = L.views.map((v) => viewTables(s0, v));
  const after = views.map((v) => viewTables(s, v));
  const viewOfSource = new Map<number, number>();
  views.forEach((v, i) => v.sources.forEach((id) => viewOfSource.set(id, i)));

  const regions = new Map<number, { dst: Ip4; len: number }>();
  const add = (dst: Ip4, len: number): void => {
    regions.set(prefixKey(dst, len), { dst, len });
  };
  let diffs = 0;
  for (const [id, vi] of viewOfSource) {
    const t0 = s0.tables.get(id);
    const t1 = s.tables.get(id);
    if (t0 === t1 || t0 === undefined || t1 === undefined) continue;
    // Flags a device event changed (fib-info-versions.ts) are not in the leaves' diff.
    if (t0.versions !== t1.versions) return { full: 'nexthop flags changed' };
    for (const d of pmapDiff(t0.leaves, t1.leaves)) {
      if (++diffs > maxDiff) return { full: `more than ${maxDiff} prefixes changed` };
      const low = d.key & 255;
      const dst = (d.key - low) / 256;
      const len = 32 - low;
      if (L.at.viewAnswer(before[vi]!, dst, len) === L.at.viewAnswer(after[vi]!, dst, len)) continue;
      add(dst, len);
      if (len === 32) continue;
      // Prefixes of the other lookups inside this one: it may be their cover.
      after.forEach((tables, wi) => {
        if (wi === vi) return;
        for (const t of tables) {
          forEachLeafInside(t, dst, len, (qd, ql, aliases) => {
            if (L.at.leafAnswer(aliases) >= 0) add(qd, ql);
          });
        }
      });
      for (const a of L.anchorList) {
        if (a.len > len && ((a.dst ^ dst) & maskOf(len)) === 0) add(a.dst, a.len);
      }
      if (regions.size > maxRecompute) return { full: `more than ${maxRecompute} regions to recompute` };
    }
  }
  return { regions, after };
}
