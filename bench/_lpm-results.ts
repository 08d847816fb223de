// The LPM benchmark's results (lpm.bench.ts): their shape (lpm.json), the table printed on
// stdout, and the chart (lpm.svg).

import type { LpmMemory } from '../workers/lpm/dir24-8.js';
import { chartSvg, type Panel } from './_svg.js';
import { rateOf, ratio } from './_harness.js';
import type { Workload } from './_lookup-bench.js';

export type { RateRow, Workload } from './_lookup-bench.js';

export interface StructureResult {
  readonly structure: 'poptrie' | 'dir24-8';
  readonly compileMs: { readonly median: number; readonly min: number; readonly runs: number };
  readonly memory: LpmMemory;
  readonly update: {
    readonly events: number;
    readonly medianUs: number;
    readonly p90Us: number;
    readonly p99Us: number;
    readonly maxUs: number;
    /** The first change builds the prefix index; this is its one-time cost. */
    readonly indexBuildMs: number;
    readonly checked: string;
  };
}

export interface TableResult {
  readonly table: string;
  readonly prefixes: number;
  readonly structures: StructureResult[];
  readonly workloads: Workload[];
  /** Time `ip -batch` took to load the table into the namespace (null: kernel not asked). */
  kernelLoadSeconds: number | null;
  readonly npmBuildMs: number | null;
  readonly cBuildMs: number | null;
}

export interface GrowthRow {
  readonly prefixes: number;
  readonly compileMs: number;
  readonly bytesPerPrefix: number;
  /** Million lookups/s, table-drawn addresses, by competitor. */
  readonly mlps: Record<string, number | null>;
}

export interface BenchResults {
  readonly schema: 'kfib-lpm-bench/1';
  readonly date: string;
  readonly command: string;
  readonly machine: Record<string, string | number>;
  /** How rates are computed. */
  readonly statistic: string;
  readonly options: Record<string, unknown>;
  readonly notes: string[];
  readonly tables: TableResult[];
  readonly growth: GrowthRow[];
  readonly singleLookups: { readonly name: string; readonly opsPerSec: number; readonly rme: number }[];
  readonly targets: { readonly target: string; readonly measured: string; readonly met: boolean | null }[];
}


export function targets(r: TableResult | undefined): BenchResults['targets'] {
  if (!r) return [];
  const w = r.workloads.find((x) => x.addresses === 'table-drawn');
  const pop = r.structures.find((s) => s.structure === 'poptrie');
  if (!w || !pop) return [];
  const c = rateOf(w, 'C DIR-24-8 (gcc -O3 -march=native)', 1);
  const one = rateOf(w, 'engine poptrie wasm', 1);
  const two = rateOf(w, 'engine poptrie wasm', 2);
  const kern = rateOf(w, 'kernel ip -batch route get', 1);
  const npm = rateOf(w, 'npm longest-prefix-match', 'main');
  const best = Math.max(...w.rows.filter((x) => x.competitor.startsWith('engine poptrie')).map((x) => x.mlps ?? 0));
  const fmt = (x: number | null, d = 2): string => (x === null ? 'n/a' : x.toFixed(d));
  const met = (x: number | null, ok: (v: number) => boolean): boolean | null => (x === null ? null : ok(x));
  const r2 = ratio(two, c);
  const r1 = ratio(one, c);
  const rk = ratio(best, kern);
  const rn = ratio(best, npm);
  return [
    { target: 'engine on 2 workers >= 1.0x C DIR-24-8 (1 thread)', measured: `${fmt(r2)}x`, met: met(r2, (v) => v >= 1) },
    { target: 'engine on 1 worker >= 0.6x C DIR-24-8', measured: `${fmt(r1)}x`, met: met(r1, (v) => v >= 0.6) },
    { target: 'engine >= 500x kernel ip -batch route get', measured: `${fmt(rk, 0)}x`, met: met(rk, (v) => v >= 500) },
    { target: 'engine >= 100x best npm library', measured: `${fmt(rn, 0)}x`, met: met(rn, (v) => v >= 100) },
    { target: 'compiled structure <= 16 bytes per prefix', measured: `${pop.memory.bytesPerPrefix.toFixed(2)} B`, met: pop.memory.bytesPerPrefix <= 16 },
    { target: 'full compile < 150 ms', measured: `${pop.compileMs.median.toFixed(1)} ms (median of ${pop.compileMs.runs})`, met: pop.compileMs.median < 150 },
    { target: 'incremental recompile after one route event < 1 ms median', measured: `${(pop.update.medianUs / 1000).toFixed(4)} ms`, met: pop.update.medianUs < 1000 },
  ];
}

export function printResults(r: BenchResults): void {
  const L: string[] = [];
  const f = (x: number | null, d = 1): string => (x === null ? 'n/a' : x.toFixed(d));
  L.push(
    `kfib lpm bench, ${r.date}; ${r.machine['cpu']}, ${r.machine['cores']} cores, node ${r.machine['node']}; ` +
      `load average ${r.machine['loadAverage1mAtStart']} at start, ${r.machine['loadAverage1mAtEnd']} at end`,
  );
  for (const t of r.tables) {
    L.push('', `== ${t.table}: ${t.prefixes} prefixes ==`);
    L.push('structure   compile ms (median)   bytes/prefix   shared MiB   update median us   p99 us   index build ms');
    for (const s of t.structures) {
      L.push(
        `${s.structure.padEnd(11)} ${f(s.compileMs.median).padStart(18)}   ${f(s.memory.bytesPerPrefix, 2).padStart(12)}   ${f(s.memory.sharedBytes / 2 ** 20, 1).padStart(10)}   ${f(s.update.medianUs, 2).padStart(16)}   ${f(s.update.p99Us, 1).padStart(6)}   ${f(s.update.indexBuildMs).padStart(14)}`,
      );
    }
    for (const w of t.workloads) {
      const c = rateOf(w, 'C DIR-24-8 (gcc -O3 -march=native)', 1);
      const k = rateOf(w, 'kernel ip -batch route get', 1);
      const n = rateOf(w, 'npm longest-prefix-match', 'main');
      L.push('', `-- ${w.addresses} addresses (${w.count}) --`);
      L.push(`${'competitor'.padEnd(38)} ${'threads'.padStart(7)} ${'M lookups/s'.padStart(12)} ${'x C'.padStart(7)} ${'x kernel'.padStart(9)} ${'x npm'.padStart(8)}`);
      for (const row of w.rows) {
        L.push(
          `${row.competitor.padEnd(38)} ${String(row.threads).padStart(7)} ${f(row.mlps, 2).padStart(12)} ${f(ratio(row.mlps, c), 2).padStart(7)} ${f(ratio(row.mlps, k), 0).padStart(9)} ${f(ratio(row.mlps, n), 0).padStart(8)}${row.mlps === null ? `  (${row.note ?? row.checked})` : ''}`,
        );
      }
    }
  }
  if (r.growth.length) {
    L.push('', '== lookups/s as the table grows (generated tables, table-drawn addresses), M/s ==');
    const keys = [...new Set(r.growth.flatMap((g) => Object.keys(g.mlps)))];
    L.push(`${'prefixes'.padStart(9)} ${'compile ms'.padStart(10)} ${'B/prefix'.padStart(9)} ${keys.map((k) => k.padStart(18)).join(' ')}`);
    for (const g of r.growth) {
      L.push(`${String(g.prefixes).padStart(9)} ${f(g.compileMs).padStart(10)} ${f(g.bytesPerPrefix, 2).padStart(9)} ${keys.map((k) => f(g.mlps[k] ?? null, 1).padStart(18)).join(' ')}`);
    }
  }
  if (r.singleLookups.length) {
    L.push('', '== one address per call (benchmark.js) ==');
    for (const s of r.singleLookups) L.push(`${s.name.padEnd(40)} ${(s.opsPerSec / 1e6).toFixed(2).padStart(8)} M ops/s ±${s.rme.toFixed(1)}%`);
  }
  if (r.notes.length) L.push('', ...r.notes.map((n) => `note: ${n}`));
  console.log(L.join('\n'));
}

export function svgOf(r: BenchResults): string {
  const panels: Panel[] = [];
  const real = r.tables[0];
  if (real) {
    const cats = ['main', ...(r.options['threads'] as number[]).map((n) => `${n} worker${n > 1 ? 's' : ''}`)];
    const series = r.tables.flatMap((t) =>
      t.workloads.map((w) => ({
        name: `${t.table}, ${w.addresses}`,
        values: cats.map((_, i) => rateOf(w, 'engine poptrie wasm', i === 0 ? 'main' : (r.options['threads'] as number[])[i - 1]!)),
      })),
    );
    const cRow = real.workloads[0] ? rateOf(real.workloads[0], 'C DIR-24-8 (gcc -O3 -march=native)', 1) : null;
    panels.push({
      title: 'Engine (poptrie, WebAssembly) throughput by threads',
      kind: 'bars',
      categories: cats,
      series,
      refs: cRow === null ? [] : [{ name: `C DIR-24-8, ${real.table}, table-drawn`, value: cRow }],
      unit: 'million lookups/s',
    });
  }
  if (r.growth.length) {
    const keys = [...new Set(r.growth.flatMap((g) => Object.keys(g.mlps)))];
    panels.push({
      title: 'Throughput by table size (generated tables, table-drawn addresses)',
      kind: 'lines',
      categories: r.growth.map((g) => (g.prefixes >= 1e6 ? `${g.prefixes / 1e6}M` : `${g.prefixes / 1e3}k`)),
      series: keys.map((k) => ({ name: k, values: r.growth.map((g) => g.mlps[k] ?? null) })),
      refs: [],
      unit: 'million lookups/s',
    });
  }
  return chartSvg(
    panels,
    `kfib lpm bench ${r.date}: ${r.machine['cpu']}, ${r.machine['cores']} cores, node ${r.machine['node']}, ` +
      `load average ${r.machine['loadAverage1mAtStart']}; fastest pass of >= ${r.options['minMs']} ms`,
  );
}
