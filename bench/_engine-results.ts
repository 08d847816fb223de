// The engine benchmark's results (engine.bench.ts): their shape (engine.json), the table
// printed on stdout, and the chart (engine.svg).
//
// Why: a result is a rate with how it was checked, on a named machine; ratios are taken
// between competitors measured in the same run, never across runs.

import type { LpmMemory } from '../workers/lpm/dir24-8.js';
import { DIRECT_MIN_LEAVES, FLAT_DIRECT_WORDS, FLAT_WORDS } from '../workers/lpm/wasm-lookup.js';
import { chartSvg, type Panel } from './_svg.js';
import { rateOf, ratio } from './_harness.js';
import type { Workload as LookupWorkload } from './_lookup-bench.js';

export const ENGINE = 'engine (FibEngine, poptrie wasm)';
export const ENGINE_JS = 'engine (FibEngine, poptrie js)';
export const REFERENCE = 'reference routeGet()';
export const C_BASELINE = 'C DIR-24-8 (gcc -O3 -march=native)';
export const NPM = 'npm longest-prefix-match';
export const KERNEL = 'kernel ip -batch route get';

export type { RateRow } from './_lookup-bench.js';

export interface Workload extends LookupWorkload {
  /** The engine on each worker count against C, in alternating rounds (see headToHead). */
  readonly headToHead?: HeadToHead;
}

/** Alternating rounds of the engine (per worker count) and C: each round's fastest pass, M lookups/s. */
export interface HeadToHead {
  readonly rounds: number;
  readonly minMs: number;
  /** The 1-minute load average at the start of each round. */
  readonly loadAverage1m: readonly number[];
  /** By worker count. */
  readonly engine: Readonly<Record<string, readonly number[]>>;
  readonly c: readonly number[];
  /** engine / C per round, by worker count, and their median. */
  readonly ratios: Readonly<Record<string, readonly number[]>>;
  readonly ratioMedian: Readonly<Record<string, number>>;
}

export interface EngineTableResult {
  readonly table: string;
  /** Routes in the table (accepted by the reducer). */
  readonly prefixes: number;
  readonly refused: number;
  readonly snapshotBuildSeconds: number;
  compile: {
    /**
     * Snapshot to flattened table, from scratch (a new compiler: no leaves, codes or poptrie
     * kept), after the first such compile of the table (ms).
     */
    readonly coldMs: { readonly median: number; readonly min: number; readonly runs: readonly number[] };
    /**
     * That first compile (ms): for the first table, also the first of the process, while V8
     * still interprets and optimises the compiler's loops.
     */
    readonly firstMs: number;
    /**
     * Full recompiles after ENV_EVENTS (an address, a sysctl, a link, a rule: answers depend
     * on them), with the leaves and the poptrie of the last compile reused (ms).
     */
    recompileMs: { readonly median: number; readonly min: number; readonly runs: readonly number[]; readonly patched: number; readonly checked: string } | null;
    /** The poptrie alone built from the table's prefixes (ms), as bench/lpm.bench.ts measures it. */
    readonly lpmOnlyMs: { readonly median: number; readonly min: number; readonly runs: readonly number[] };
    /** Regions compiled (prefixes of the flattened table). */
    readonly regions: number;
    readonly outcomes: number;
    readonly memory: LpmMemory;
    /** sharedBytes / routes of the snapshot's tables. */
    readonly bytesPerRoute: number;
  };
  incremental: {
    readonly events: number;
    readonly medianUs: number;
    readonly p90Us: number;
    readonly p99Us: number;
    readonly maxUs: number;
    /** Events that fell back to a full compile. */
    readonly full: number;
    /** One-time: building the index the first incremental compile needs (ms). */
    readonly prepareMs: number;
    readonly checked: string;
  } | null;
  readonly workloads: Workload[];
  kernelLoadSeconds: number | null;
  cBuildMs: number | null;
  npmBuildMs: number | null;
}

export interface GrowthRow {
  readonly prefixes: number;
  readonly compileMs: number;
  readonly bytesPerRoute: number;
  /** Million lookups/s, table-drawn addresses, by competitor. */
  readonly mlps: Record<string, number | null>;
}

export interface EngineBenchResults {
  readonly schema: 'kfib-engine-bench/1';
  readonly date: string;
  readonly command: string;
  readonly machine: Record<string, string | number>;
  readonly statistic: string;
  readonly options: Record<string, unknown>;
  readonly host: readonly string[];
  readonly notes: string[];
  readonly tables: EngineTableResult[];
  readonly growth: GrowthRow[];
  readonly targets: { readonly target: string; readonly measured: string; readonly met: boolean | null }[];
}

export function targetsOf(r: EngineTableResult | undefined): EngineBenchResults['targets'] {
  if (!r) return [];
  const w = r.workloads.find((x) => x.addresses === 'table-drawn');
  if (!w) return [];
  const c = rateOf(w, C_BASELINE, 1);
  const one = rateOf(w, ENGINE, 1);
  const two = rateOf(w, ENGINE, 2);
  const best = Math.max(0, ...w.rows.filter((x) => x.competitor === ENGINE).map((x) => x.mlps ?? 0)) || null;
  const kern = rateOf(w, KERNEL, 1);
  const npm = rateOf(w, NPM, 'main');
  const fmt = (x: number | null, d = 2): string => (x === null ? 'n/a' : x.toFixed(d));
  const met = (x: number | null, ok: (v: number) => boolean): boolean | null => (x === null ? null : ok(x));
  // The ratio of the alternating rounds when there were some (the median of per-round ratios).
  const h = w.headToHead;
  const r2 = h?.ratioMedian['2'] ?? ratio(two, c);
  const r1 = h?.ratioMedian['1'] ?? ratio(one, c);
  const rk = ratio(best, kern);
  const rn = ratio(best, npm);
  const bpp = r.compile.bytesPerRoute;
  const inc = r.incremental;
  const rc = r.compile.recompileMs;
  return [
    { target: 'engine on 1 worker >= 1.0x C DIR-24-8 (1 thread)', measured: `${fmt(r1)}x`, met: met(r1, (x) => x >= 1) },
    { target: 'engine on 2 workers >= 1.8x C DIR-24-8 (1 thread)', measured: `${fmt(r2)}x`, met: met(r2, (x) => x >= 1.8) },
    { target: 'engine >= 500x kernel ip -batch route get', measured: `${fmt(rk, 0)}x`, met: met(rk, (x) => x >= 500) },
    { target: 'engine >= 100x best npm library', measured: `${fmt(rn, 0)}x`, met: met(rn, (x) => x >= 100) },
    { target: 'compiled structure <= 16 bytes per prefix', measured: `${bpp.toFixed(2)} B per route (plus the WebAssembly loop's flattened copies, one or two per engine, shared by its workers: ${(FLAT_WORDS / 2 ** 18).toFixed(2)} MiB each, ${(FLAT_DIRECT_WORDS / 2 ** 18).toFixed(2)} MiB with the direct level of a table of ${DIRECT_MIN_LEAVES} leaves or more)`, met: bpp <= 16 },
    {
      target: 'full compile < 150 ms: from scratch',
      measured: `${r.compile.coldMs.median.toFixed(0)} ms median (min ${r.compile.coldMs.min.toFixed(0)}; the process's first: ${r.compile.firstMs.toFixed(0)}); the poptrie alone: ${r.compile.lpmOnlyMs.median.toFixed(0)} ms`,
      met: r.compile.coldMs.median < 150,
    },
    {
      target: 'full compile < 150 ms: after a device/address/sysctl/rule event',
      measured: rc ? `${rc.median.toFixed(0)} ms median (min ${rc.min.toFixed(0)}) over ${rc.runs.length} events` : 'n/a',
      met: rc ? rc.median < 150 : null,
    },
    { target: 'incremental recompile after one route event < 1 ms median', measured: inc ? `${(inc.medianUs / 1000).toFixed(3)} ms (p99 ${(inc.p99Us / 1000).toFixed(2)} ms)` : 'n/a', met: inc ? inc.medianUs < 1000 : null },
  ];
}

export function printResults(r: EngineBenchResults): void {
  const L: string[] = [];
  const f = (x: number | null, d = 1): string => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  L.push(`kfib engine bench, ${r.date}; ${r.machine['cpu']}, ${r.machine['cores']} cores, node ${r.machine['node']}, ${r.machine['os']}; load average ${r.machine['loadAverage1m']} at start, ${r.machine['loadAverage1mAtEnd']} at end`);
  for (const t of r.tables) {
    L.push('', `== ${t.table}: ${t.prefixes} routes (+ the host's; ${t.refused} refused), snapshot built in ${f(t.snapshotBuildSeconds)} s${t.kernelLoadSeconds === null ? '' : `, kernel loaded them in ${f(t.kernelLoadSeconds)} s`} ==`);
    const c = t.compile;
    L.push(
      `compile: ${f(c.coldMs.median)} ms median (min ${f(c.coldMs.min)}; the first ${f(c.firstMs)}) from the snapshot; LPM alone ${f(c.lpmOnlyMs.median)} ms; ${c.regions} regions, ${c.outcomes} outcomes; ` +
        `${f(c.memory.sharedBytes / 2 ** 20, 2)} MiB shared = ${f(c.bytesPerRoute, 2)} bytes per route, + ${f(FLAT_WORDS / 2 ** 18, 2)} MiB per flattened copy (1-2 per engine; ${f(FLAT_DIRECT_WORDS / 2 ** 18, 2)} MiB with the direct level, from ${DIRECT_MIN_LEAVES} leaves)`,
    );
    if (c.recompileMs) {
      const rc = c.recompileMs;
      L.push(`full recompile after an address/sysctl/link/rule event: ${f(rc.median)} ms median (min ${f(rc.min)}; ${rc.patched} of ${rc.runs.length} patched the last poptrie); ${rc.checked}`);
    }
    if (t.incremental) {
      const i = t.incremental;
      L.push(`incremental: ${i.events} route events, median ${f(i.medianUs, 1)} us, p90 ${f(i.p90Us, 1)} us, p99 ${f(i.p99Us, 1)} us, max ${f(i.maxUs / 1000, 1)} ms; ${i.full} full; index built once in ${f(i.prepareMs)} ms; ${i.checked}`);
    }
    for (const w of t.workloads) {
      const cr = rateOf(w, C_BASELINE, 1);
      const k = rateOf(w, KERNEL, 1);
      const n = rateOf(w, NPM, 'main');
      const ref = rateOf(w, REFERENCE, 'main');
      L.push('', `-- ${w.addresses} addresses (${w.count}) --`);
      L.push(`${'competitor'.padEnd(36)} ${'threads'.padStart(7)} ${'M lookups/s'.padStart(12)} ${'x C'.padStart(7)} ${'x kernel'.padStart(9)} ${'x npm'.padStart(8)} ${'x ref'.padStart(8)}`);
      for (const row of w.rows) {
        L.push(
          `${row.competitor.padEnd(36)} ${String(row.threads).padStart(7)} ${f(row.mlps, row.mlps !== null && row.mlps < 1 ? 4 : 2).padStart(12)} ${f(ratio(row.mlps, cr), 2).padStart(7)} ${f(ratio(row.mlps, k), 0).padStart(9)} ${f(ratio(row.mlps, n), 0).padStart(8)} ${f(ratio(row.mlps, ref), 0).padStart(8)}${row.mlps === null ? `  (${row.note ?? row.checked})` : ''}`,
        );
      }
      const h = w.headToHead;
      if (h) {
        const per = Object.entries(h.ratioMedian).map(([n, x]) => `${n} worker${n === '1' ? '' : 's'} ${f(x, 2)}x C (rounds: ${h.ratios[n]!.map((y) => f(y, 2)).join(', ')})`);
        L.push(`engine vs C in ${h.rounds} alternating rounds, median of the per-round ratios: ${per.join('; ')}; load average ${h.loadAverage1m.join(', ')}`);
      }
    }
  }
  if (r.growth.length) {
    L.push('', '== lookups/s as the table grows (generated tables, table-drawn addresses), M/s ==');
    const keys = [...new Set(r.growth.flatMap((g) => Object.keys(g.mlps)))];
    L.push(`${'prefixes'.padStart(9)} ${'compile ms'.padStart(10)} ${'B/route'.padStart(8)} ${keys.map((k) => k.padStart(19)).join(' ')}`);
    for (const g of r.growth) L.push(`${String(g.prefixes).padStart(9)} ${f(g.compileMs).padStart(10)} ${f(g.bytesPerRoute, 2).padStart(8)} ${keys.map((k) => f(g.mlps[k] ?? null, 1).padStart(19)).join(' ')}`);
  }
  if (r.notes.length) L.push('', ...r.notes.map((n) => `note: ${n}`));
  console.log(L.join('\n'));
}

export function svgOf(r: EngineBenchResults): string {
  const panels: Panel[] = [];
  const threads = r.options['threads'] as number[];
  const cats = ['main', ...threads.map((n) => `${n} worker${n > 1 ? 's' : ''}`)];
  const real = r.tables[0];
  panels.push({
    title: 'FibEngine throughput by threads (ip route get answers, WebAssembly poptrie)',
    kind: 'bars',
    categories: cats,
    series: r.tables.flatMap((t) => t.workloads.map((w) => ({ name: `${t.table}, ${w.addresses}`, values: cats.map((_, i) => rateOf(w, ENGINE, i === 0 ? 'main' : threads[i - 1]!)) }))),
    refs: real?.workloads[0] ? [{ name: `C DIR-24-8, ${real.table}, table-drawn`, value: rateOf(real.workloads[0], C_BASELINE, 1) ?? 0 }].filter((x) => x.value > 0) : [],
    unit: 'million lookups/s',
  });
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
  return chartSvg(panels, `kfib engine bench ${r.date}: ${r.machine['cpu']}, ${r.machine['cores']} cores, node ${r.machine['node']}, load average ${r.machine['loadAverage1m']}; fastest pass of >= ${r.options['minMs']} ms`);
}
