// The routes behind a per-fib_info change (effects.ts, InfoChange), listed on demand.
//
// Why: a carrier change on the uplink of a full-table router changes one fib_info and, through
// it, 900,000 routes. The reducer records the one change (as the kernel changes one fib_info);
// whoever wants the routes (--explain, --check, the HTML report, a library caller reading
// Step.effects) gets them here, as the route-flags and route-del effects they stand for, in
// the order the kernel walks them: table by table in the order the changes were made, each
// table in dump order (fib_table_flush() and a trie walk visit leaves by key), each prefix's
// routes in their list order. Consecutive changes of one table by one walk (one
// fib_sync_down_dev() or one fib_flush()) are listed together, so the routes of several
// fib_infos interleave by prefix exactly as a walk of the table finds them.

import type { Change, Effect, InfoChange } from './effects.js';
import { isInfoChange } from './effects.js';
import type { FibAlias, FibInfo, FibRoute } from './fib-info.js';
import { pmapForEach } from './persistent-map.js';

function checkFresh(c: InfoChange): void {
  if (c.edit !== null && c.edit.owner.steps !== c.edit.steps) {
    throw new Error(`The routes of a ${c.kind} change (${c.cause}, table ${c.table}) were asked for after later in-place updates: read a step's effects before the next event of an in-place replay`);
  }
}

/** Calls fn for each route of a run of changes of one table and kind (see above), with its old and new alias. */
function forEachRoute(run: readonly InfoChange[], fn: (dst: number, plen: number, old: FibAlias, now: FibAlias | null, c: InfoChange) => void): void {
  const first = run[0]!;
  for (const c of run) checkFresh(c);
  const by = new Map<FibInfo, InfoChange>();
  for (const c of run) by.set(c.stored, c);
  const before = first.before;
  const after = first.after;
  pmapForEach(before.leaves, (key, stored) => {
    let hit = false;
    for (let i = 0; i < stored.length && !hit; i++) hit = by.has((stored[i] as FibAlias).info);
    if (!hit) return;
    const low = key % 256;
    const dst = (key - low) / 256;
    const plen = 32 - low;
    for (let i = 0; i < stored.length; i++) {
      const fa = stored[i] as FibAlias;
      const c = by.get(fa.info);
      if (c === undefined) continue;
      fn(dst, plen, before.versions.alias(fa), c.kind === 'info-flags' ? after.versions.alias(fa) : null, c);
    }
  });
}

/** Splits changes into runs: consecutive InfoChanges of one kind over one table object, or single effects. */
function* runs(changes: readonly Change[]): Generator<Effect | InfoChange[]> {
  let i = 0;
  while (i < changes.length) {
    const c = changes[i]!;
    if (!isInfoChange(c)) {
      yield c;
      i++;
      continue;
    }
    const run = [c];
    let j = i + 1;
    for (; j < changes.length; j++) {
      const d = changes[j]!;
      if (!isInfoChange(d) || d.kind !== c.kind || d.before !== c.before || d.cause !== c.cause) break;
      run.push(d);
    }
    yield run;
    i = j;
  }
}

function routeEffects(run: readonly InfoChange[], out: Effect[]): void {
  const table = run[0]!.table;
  forEachRoute(run, (dst, plen, old, now, c) => {
    if (now !== null) {
      out.push({ kind: 'route-flags', route: { table, dst, plen, alias: now }, old: { table, dst, plen, alias: old }, cause: c.cause, notified: false });
    } else {
      out.push({ kind: 'route-del', route: { table, dst, plen, alias: old }, cause: c.cause, notified: c.notified });
    }
  });
}

/**
 * The effects that changes stand for, one per route: the same array when there is no
 * per-fib_info change in it.
 *
 * @example
 *   expandChanges(step.changes); // what step.effects holds
 */
export function expandChanges(changes: readonly Change[]): readonly Effect[] {
  let any = false;
  for (let i = 0; i < changes.length && !any; i++) any = isInfoChange(changes[i]!);
  if (!any) return changes as readonly Effect[];
  const out: Effect[] = [];
  for (const r of runs(changes)) {
    if (Array.isArray(r)) routeEffects(r, out);
    else out.push(r as Effect);
  }
  return out;
}

/** The routes one per-fib_info change touched, in dump order (for a flush: the routes deleted). */
export function changeRoutes(c: InfoChange): FibRoute[] {
  const out: FibRoute[] = [];
  forEachRoute([c], (dst, plen, old, now) => out.push({ table: c.table, dst, plen, alias: now ?? old }));
  return out;
}

/** How many routes one per-fib_info change touched. */
export function changeRouteCount(c: InfoChange): number {
  let n = 0;
  forEachRoute([c], () => n++);
  return n;
}

/**
 * The notified effects that changes stand for, in order (what expandChanges() lists, less
 * the silent ones), listing a per-fib_info change's routes only when it is notified (a
 * flush of routes killed by fib_sync_down_addr(), RTM_DELROUTE since 6.6): a carrier
 * change or an admin-down flush of a full table costs nothing here.
 */
export function notifiedEffects(changes: readonly Change[]): Effect[] {
  const out: Effect[] = [];
  for (const r of runs(changes)) {
    if (!Array.isArray(r)) {
      if ((r as Effect).notified) out.push(r as Effect);
      continue;
    }
    if (!r.some((c) => c.notified)) continue;
    const xs: Effect[] = [];
    routeEffects(r, xs);
    for (const e of xs) if (e.notified) out.push(e);
  }
  return out;
}

/** Whether changes hold a per-fib_info change (then listing their effects walks tables). */
export function hasInfoChange(changes: readonly Change[]): boolean {
  for (let i = 0; i < changes.length; i++) if (isInfoChange(changes[i]!)) return true;
  return false;
}
