// The number of IPv4 routes per table over the moments of a report, for its chart. A full
// count walks a table (tableRouteCount); doing that at every moment would cost the size
// of the table each time (08-batch-5000-routes adds 5,000 routes one moment at a time),
// so the initial counts are walked once and every later count follows from the moment's
// effects: route-add +1, route-del -1, route-replace moves a route (usually within its
// table). A flush (fib_flush, fib_disable_ip) is a route-del effect per route, silent or
// not, so silent changes are counted too.

import type { Effect } from '../snapshot/effects.js';
import { tableRouteCount } from '../snapshot/fib-table.js';
import { BUILTIN_NAMES, tableName, type PrintNames } from '../uapi/rt-names.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ByteReader, ByteWriter, fromBase64, toBase64 } from './page-codec.js';
import type { SeriesData } from './report-data.js';

/** One table's route count after each state. */
export interface TableSeries {
  readonly id: number;
  /** The table's name as the capture's rt_tables names it (`main`, `local`, `isp1`, `10`). */
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
 * Route counts per table over the states, tables in order of first appearance, built one
 * state at a time by the report's writer and shipped as runs of equal deltas: (zigzag delta,
 * run) varint pairs (SeriesData); a table unchanged for a million states is two bytes.
 * @example const b = new RouteCountBuilder(init.snapshot, names); b.add(effects, after.tables); b.finish()
 * 1. walk the tables of the initial state once (state 0);
 * 2. for each later state, add the deltas of its effects;
 * 3. a table first seen later starts at 0 (fib_new_table creates it empty).
 */
export class RouteCountBuilder {
  private readonly current = new Map<number, number>();
  private readonly series = new Map<number, { from: number; last: number; max: number; w: ByteWriter; delta: number; run: number }>();
  private states = 0;

  /** `names`: the capture's, for each series' name (rtnl_rttable_n2a()). */
  constructor(start: FibSnapshot, private readonly names: PrintNames = BUILTIN_NAMES) {
    for (const t of start.tables.values()) this.current.set(t.id, tableRouteCount(t));
    this.record();
  }

  private record(): void {
    const i = this.states++;
    for (const [id, c] of this.current) {
      let s = this.series.get(id);
      if (s === undefined) this.series.set(id, (s = { from: i, last: 0, max: 0, w: new ByteWriter(), delta: 0, run: 0 }));
      // Runs of equal deltas: (delta, run) pairs, the last one written by finish().
      const d = c - s.last;
      if (s.run > 0 && d !== s.delta) {
        s.w.int(s.delta);
        s.w.uint(s.run);
        s.run = 0;
      }
      s.delta = d;
      s.run++;
      s.last = c;
      if (c > s.max) s.max = c;
    }
  }

  /** The next state: its effects and the ids of its tables. */
  add(effects: readonly Effect[], tables: Iterable<number>): void {
    delta(effects, (table, d) => this.current.set(table, (this.current.get(table) ?? 0) + d));
    for (const id of tables) if (!this.current.has(id)) this.current.set(id, 0);
    this.record();
  }

  /** The series as the data holds them (deltas not deflated: reportFrame() deflates them for a page). */
  finish(): SeriesData[] {
    return [...this.series].map(([id, s]) => {
      if (s.run > 0) {
        s.w.int(s.delta);
        s.w.uint(s.run);
        s.run = 0;
      }
      return { id, name: tableName(id, this.names), max: s.max, from: s.from, deltas: toBase64(s.w.bytes()) };
    });
  }
}

/** Raw DEFLATE undone (fflate in the page, node:zlib in Node); throws on damaged input. */
export type Inflate = (b: Uint8Array) => Uint8Array;

/** A series read back: counts for every one of `states` states; a message when it is damaged. */
export function readSeries(d: SeriesData, states: number, inflate?: Inflate): TableSeries | string {
  const base64 = fromBase64(d.deltas);
  if (typeof base64 === 'string') return `series of table ${d.name}: ${base64}`;
  let bytes = base64;
  if (d.deflated === true) {
    if (inflate === undefined) return `series of table ${d.name}: deflated, and nothing to inflate it with`;
    try {
      bytes = inflate(base64);
    } catch (e) {
      return `series of table ${d.name}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const r = new ByteReader(bytes);
  const counts = new Int32Array(states);
  let c = 0;
  try {
    let i = d.from;
    while (i < states) {
      const delta = r.int();
      const run = r.uint();
      if (run === 0 || i + run > states) throw new RangeError(`a run of ${run} where ${states - i} states are left`);
      const end = i + run;
      if (delta === 0) counts.fill(c, i, end);
      else for (; i < end; i++) counts[i] = c += delta;
      i = end;
    }
  } catch (e) {
    return `series of table ${d.name}: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!r.done) return `series of table ${d.name}: longer than the ${states} states`;
  return { id: d.id, name: d.name, counts, max: d.max };
}
