// The number of IPv4 routes per table over the moments of a report, for its chart. A full
// count walks a table (tableRouteCount); doing that at every moment would cost the size
// of the table each time (08-batch-5000-routes adds 5,000 routes one moment at a time),
// so the initial counts are walked once and every later count follows from the moment's
// effects: route-add +1, route-del -1, route-replace moves a route (usually within its
// table). A flush (fib_flush, fib_disable_ip) is a route-del effect per route, silent or
// not, so silent changes are counted too.

import type { Effect } from '../snapshot/effects.js';
import { tableRouteCount } from '../snapshot/fib-table.js';
import { tableName } from '../uapi/rt-names.js';
import type { MomentState } from './report-model.js';

/** One table's route count after each state. */
export interface TableSeries {
  readonly id: number;
  /** iproute2's name (`main`, `local`, `10`). */
  readonly name: string;
  /** counts[i]: routes in the table after states[i] (0 while the table does not exist). */
  readonly counts: Int32Array;
  readonly max: number;
}

function delta(effects: readonly Effect[], add: (table: number, d: number) => void): void {
  for (const e of effects) {
    if (e.kind === 'route-add') add(e.route.table, 1);
    else if (e.kind === 'route-del') add(e.route.table, -1);
    else if (e.kind === 'route-replace' && e.old.table !== e.route.table) {
      add(e.old.table, -1);
      add(e.route.table, 1);
    }
  }
}

/**
 * Route counts per table over the states, tables in order of first appearance.
 * @example routeCountSeries(model.states).map((t) => `${t.name}: ${t.counts.at(-1)}`)
 * 1. walk the tables of states[0] once;
 * 2. for each later state, add the deltas of its effects;
 * 3. a table first seen later starts at 0 (fib_new_table creates it empty).
 */
export function routeCountSeries(states: readonly MomentState[]): TableSeries[] {
  const n = states.length;
  const series = new Map<number, Int32Array>();
  const current = new Map<number, number>();
  const first = states[0];
  if (first !== undefined) for (const t of first.snapshot.tables.values()) current.set(t.id, tableRouteCount(t));
  const ensure = (id: number): Int32Array => {
    let s = series.get(id);
    if (s === undefined) {
      s = new Int32Array(n);
      series.set(id, s);
    }
    return s;
  };
  for (const id of current.keys()) ensure(id);
  for (let i = 0; i < n; i++) {
    const st = states[i] as MomentState;
    if (i > 0) {
      delta(st.effects, (table, d) => current.set(table, (current.get(table) ?? 0) + d));
      for (const id of st.snapshot.tables.keys()) if (!current.has(id)) current.set(id, 0);
    }
    for (const [id, c] of current) ensure(id)[i] = c;
  }
  const out: TableSeries[] = [];
  for (const [id, counts] of series) {
    let max = 0;
    for (const c of counts) if (c > max) max = c;
    out.push({ id, name: tableName(id), counts, max });
  }
  return out;
}
