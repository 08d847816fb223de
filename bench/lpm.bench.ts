// The lookup benchmark of issue 4: the compiled LPM engine (core/lpm/, workers/) against a C
// DIR-24-8, the npm `longest-prefix-match` package and the kernel's own `ip route get`,
// on the real Internet table and on generated tables, in one run.
//
// Why: the engine exists to make fib_table_lookup()'s answers fast for lookup-heavy
// workloads; whether it does is a ratio to baselines measured side by side on this machine.
// Every competitor's answers are checked against the engine's (whose own answers are checked
// against a naive model by test/lpm/) before its rate counts: a faster wrong answer does not.
//
// Run: node dist/bench/lpm.bench.js [--quick] [--out DIR] [--table FILE] [--threads 1,2]
//      [--min-ms N] [--no-kernel] [--no-c] [--no-npm] [--no-benchmarkjs]
// Writes DIR/lpm.json and DIR/lpm.svg (default bench/results/), prints a table of figures
// and ratios on stdout, and shows progress on stderr.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Benchmark from 'benchmark';
import { LPM_BENCH_COMMAND, lookupBenchSettings, runLookupBenchMain, type LookupBenchValues } from './_bench-args.js';
import type { LpmChange, LpmEntry } from '../core/lpm/_prefix-index.js';
import {
  applyDir24Change,
  buildDir24,
  ensureDir24Index,
  lookupDir24,
  type LpmMemory,
} from '../core/lpm/dir24-8.js';
import { lookupLpmBatch, lpmMemory, type LpmKernel, type LpmTable } from '../core/lpm/lpm-table.js';
import {
  applyPoptrieChanges,
  buildPoptrie,
  ensurePoptrieIndex,
  lookupPoptrie,
  type PoptrieTable,
} from '../core/lpm/poptrie.js';
import { LookupPool } from '../workers/lookup-pool.js';
import { compileC, runC, writeAddrFile, writePrefixFile, type CBuild } from './_c-baseline.js';
import { kernelUnavailable, runKernel } from './_kernel.js';
import { buildNpmLpm, loadNpmLpm, npmQueries } from './_npm-lpm.js';
import { progress, type Progress } from './_progress.js';
import { chartSvg, type Panel } from './_svg.js';
import {
  checksum,
  generateTable,
  loadTable,
  prng,
  tableAddrs,
  uniformAddrs,
  withoutDefault,
  type BenchTable,
} from './_tables.js';
import { compareAnswers, machineInfo, median, mlpsOf, quantile, rateOf, ratio } from './_harness.js';

/** What to run; every field has a default (see DEFAULTS). */
export interface BenchOptions {
  /** The real table, "a.b.c.d/len" per line (default ../shared/data/ipv4-fulltable-iprbench.txt). */
  readonly tablePath?: string;
  /** Where lpm.json and lpm.svg go (default bench/results). */
  readonly outDir?: string;
  /** Size of the generated table (default 1,000,000). */
  readonly generatedPrefixes?: number;
  /** Table sizes for "lookups/s as the table grows" (default 10k, 100k, 1M). */
  readonly growthSizes?: readonly number[];
  /** Addresses per workload (default 2^22). */
  readonly addresses?: number;
  /** Worker counts for the pool (default 1..availableParallelism()). */
  readonly threads?: readonly number[];
  /** Minimum time per throughput measurement, ms (default 1000). */
  readonly minMs?: number;
  /** Route events timed one by one for the incremental-update figure (default 1000). */
  readonly updates?: number;
  /** Seed of everything generated (default 4). */
  readonly seed?: number;
  readonly kernel?: boolean;
  readonly c?: boolean;
  readonly npm?: boolean;
  readonly benchmarkJs?: boolean;
  /** Queries asked of the kernel per workload (default 20,000). */
  readonly kernelQueries?: number;
  /** Queries asked of the npm package per workload (default 20,000). */
  readonly npmQueries?: number;
  /** Progress on stderr (default true). */
  readonly progress?: boolean;
  /** Write lpm.json and lpm.svg (default true). */
  readonly write?: boolean;
  /** Print the figures on stdout (default true). */
  readonly print?: boolean;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const DEFAULTS = {
  tablePath: resolve(REPO, '..', 'shared', 'data', 'ipv4-fulltable-iprbench.txt'),
  outDir: join(REPO, 'bench', 'results'),
  generatedPrefixes: 1_000_000,
  growthSizes: [10_000, 100_000, 1_000_000],
  addresses: 1 << 22,
  threads: Array.from({ length: availableParallelism() }, (_, i) => i + 1),
  minMs: 1000,
  updates: 1000,
  seed: 4,
  kernel: true,
  c: true,
  npm: true,
  benchmarkJs: true,
  kernelQueries: 20_000,
  npmQueries: 20_000,
  progress: true,
  write: true,
  print: true,
};

/** The smaller run of `--quick` (a smoke test of the whole harness, ~1 minute). */
export const QUICK: BenchOptions = {
  generatedPrefixes: 100_000,
  growthSizes: [10_000, 100_000],
  addresses: 1 << 20,
  minMs: 300,
  updates: 200,
  kernelQueries: 2000,
  npmQueries: 2000,
};

/** One competitor's rate on one workload. */
export interface RateRow {
  readonly competitor: string;
  /** 'main' for the calling thread, else the pool's worker count. */
  readonly threads: number | 'main';
  /**
   * Million lookups per second in the fastest timed pass (robust to other load on a shared
   * machine; the C baseline reports the same), or null when not timed (see note).
   */
  readonly mlps: number | null;
  /** The median pass, for comparison. */
  readonly mlpsMedian?: number | null;
  /** How its answers were checked against the engine's. */
  readonly checked: string;
  readonly note?: string;
}

export interface Workload {
  readonly addresses: 'table-drawn' | 'uniform';
  readonly count: number;
  readonly rows: RateRow[];
}

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


function machine(c: CBuild, loadAtStart: number): Record<string, string | number> {
  // Other processes on a 2-core machine depress the multi-worker figures most.
  return machineInfo({ loadAverage1mAtStart: loadAtStart, loadAverage1mAtEnd: loadavg()[0] ?? 0, compiler: 'binary' in c ? c.compiler : c.skipped });
}

/** Route events for the incremental figure: remove a prefix, then put it back with a new value. */
function updateEvents(t: BenchTable, count: number, seed: number): LpmChange[] {
  const rnd = prng(seed);
  const out: LpmChange[] = [];
  while (out.length < count) {
    const e = t.entries[rnd() % t.entries.length]!;
    out.push({ type: 'remove', prefix: e.prefix, len: e.len });
    out.push({ type: 'insert', prefix: e.prefix, len: e.len, value: (e.value % 1024) + 1 });
  }
  return out.slice(0, count);
}

function finalEntries(t: BenchTable, events: readonly LpmChange[]): LpmEntry[] {
  const m = new Map<string, LpmEntry>();
  for (const e of t.entries) m.set(`${e.prefix}/${e.len}`, e);
  for (const ch of events) {
    const k = `${ch.prefix}/${ch.len}`;
    if (ch.type === 'insert') m.set(k, { prefix: ch.prefix, len: ch.len, value: ch.value });
    else m.delete(k);
  }
  return [...m.values()];
}

/** Kernel queries for one workload, asked at the end of the run (see runKernelJobs). */
interface KernelJob {
  readonly table: BenchTable;
  readonly rows: RateRow[];
  readonly queries: Uint32Array;
  readonly want: Uint32Array;
}

/**
 * The first `n` addresses the kernel answers as a plain route lookup: 0/8, 127/8 and
 * 224/3 (multicast, class E, broadcast) are answered by the local table or refused, so they
 * are not asked.
 */
function kernelSample(addrs: Uint32Array, want: Uint32Array, n: number): { queries: Uint32Array; want: Uint32Array } {
  const q: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < addrs.length && q.length < n; i++) {
    const a = addrs[i]!;
    const top = a >>> 24;
    if (top === 0 || top === 127 || top >= 224) continue;
    q.push(a);
    w.push(want[i]!);
  }
  return { queries: Uint32Array.from(q), want: Uint32Array.from(w) };
}

/**
 * Asks the kernel, last: destroying a namespace that holds a million routes keeps the kernel
 * busy for seconds afterwards, which would disturb every timing after it.
 */
function runKernelJobs(ctx: Ctx, tables: TableResult[]): void {
  const why = ctx.o.kernel ? kernelUnavailable() : 'kernel skipped (--no-kernel)';
  const byTable = new Map<BenchTable, KernelJob[]>();
  for (const j of ctx.kernelJobs) byTable.set(j.table, [...(byTable.get(j.table) ?? []), j]);
  for (const [bt, jobs] of byTable) {
    if (why) {
      for (const j of jobs) j.rows.push({ competitor: 'kernel ip -batch route get', threads: 1, mlps: null, checked: 'skipped', note: why });
      continue;
    }
    ctx.p.step(`${bt.name}: kernel: load ${bt.entries.length} routes into a private namespace, ip -batch route get`);
    const k = runKernel(withoutDefault(bt), jobs.map((j) => j.queries), ctx.dir);
    const tr = tables.find((t) => t.table === bt.name);
    if (tr) tr.kernelLoadSeconds = k.loadSeconds;
    jobs.forEach((j, i) => {
      const run = k.runs[i]!;
      const chk = compareAnswers(run.answers, j.want, 'sample (realm = value)');
      j.rows.push({
        competitor: 'kernel ip -batch route get',
        threads: 1,
        mlps: chk.ok ? run.lookupsPerSec / 1e6 : null,
        checked: chk.text,
        note: `${run.queries} queries outside 0/8, 127/8, 224/3; iproute2 in a private netns, one RTM_GETROUTE each; one pass`,
      });
    });
  }
  if (why) ctx.notes.push(why);
}

interface Ctx {
  readonly kernelJobs: KernelJob[];
  readonly o: typeof DEFAULTS;
  readonly p: Progress;
  readonly dir: string;
  readonly c: CBuild;
  readonly pools: Map<number, LookupPool>;
  readonly notes: string[];
  version: number;
}

interface Timed {
  readonly mlps: number | null;
  readonly mlpsMedian?: number | null;
  readonly checked: string;
}

async function poolMlps(ctx: Ctx, t: LpmTable, addrs: Uint32Array, want: Uint32Array, threads: number): Promise<Timed> {
  const pool = ctx.pools.get(threads)!;
  pool.publish(t, ++ctx.version);
  const out = new Uint32Array(new SharedArrayBuffer(addrs.length * 4));
  await pool.lookup(addrs, out);
  const chk = compareAnswers(out, want, 'pool');
  if (!chk.ok) return { mlps: null, checked: chk.text };
  const r = await mlpsOf(() => pool.lookup(addrs, out).then(() => undefined), addrs.length, ctx.o.minMs);
  return { ...r, checked: chk.text };
}

function mainMlps(ctx: Ctx, t: LpmTable, addrs: Uint32Array, want: Uint32Array, kernel: LpmKernel): Promise<Timed> {
  const out = new Uint32Array(addrs.length);
  lookupLpmBatch(t, addrs, out, kernel);
  const chk = compareAnswers(out, want, 'main thread');
  if (!chk.ok) return Promise.resolve({ mlps: null, checked: chk.text });
  return mlpsOf(() => lookupLpmBatch(t, addrs, out, kernel), addrs.length, ctx.o.minMs).then((r) => ({ ...r, checked: chk.text }));
}

function cMlps(ctx: Ctx, prefixFile: string, addrs: Uint32Array, want: Uint32Array, tag: string): { row: RateRow; buildMs: number | null } {
  if (!('binary' in ctx.c)) return { row: { competitor: 'C DIR-24-8 (gcc -O3 -march=native)', threads: 1, mlps: null, checked: 'skipped', note: ctx.c.skipped }, buildMs: null };
  const addrFile = join(ctx.dir, `addrs-${tag}.bin`);
  writeAddrFile(addrFile, addrs);
  const r = runC(ctx.c.binary, prefixFile, addrFile, ctx.o.minMs / 1000, 10_000);
  const sumOk = r.checksum === checksum(want);
  const firstChk = compareAnswers(r.first, want.subarray(0, r.first.length), 'C first answers');
  const ok = sumOk && firstChk.ok;
  return {
    row: {
      competitor: 'C DIR-24-8 (gcc -O3 -march=native)',
      threads: 1,
      mlps: ok ? r.bestLookupsPerSec / 1e6 : null,
      mlpsMedian: ok ? r.lookupsPerSec / 1e6 : null,
      checked: ok
        ? `checksum over all ${want.length} answers and the first ${r.first.length} one by one equal the engine's`
        : `checksum ${sumOk ? 'equal' : 'differs'}; ${firstChk.text}; not timed`,
    },
    buildMs: r.buildMs,
  };
}

/** Benchmarks one table: structures, workloads, competitors, updates. */
async function benchTable(ctx: Ctx, bt: BenchTable): Promise<TableResult> {
  const { o, p } = ctx;
  p.step(`${bt.name}: compile (${bt.entries.length} prefixes)`);
  const compileTimes = (build: () => unknown, runs: number): { median: number; min: number; runs: number } => {
    const ts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const a = performance.now();
      build();
      ts.push(performance.now() - a);
    }
    return { median: median(ts), min: Math.min(...ts), runs };
  };
  const popCompile = compileTimes(() => buildPoptrie(bt.entries), 5);
  let pop: PoptrieTable = buildPoptrie(bt.entries);
  const dirCompile = compileTimes(() => buildDir24(bt.entries), 3);
  const dir = buildDir24(bt.entries);
  // The prefix index is built by the first change (or a memory report); time it on its own.
  const ix0 = performance.now();
  ensurePoptrieIndex(pop);
  const popIndexMs = performance.now() - ix0;
  const ix1 = performance.now();
  ensureDir24Index(dir);
  const dirIndexMs = performance.now() - ix1;
  const popMem = lpmMemory(pop);
  const dirMem = lpmMemory(dir);

  const prefixFile = join(ctx.dir, `prefixes-${bt.name}.txt`);
  if ('binary' in ctx.c) writePrefixFile(prefixFile, bt);
  const workloads: Workload[] = [];
  const addrSets: [Workload['addresses'], Uint32Array][] = [
    ['table-drawn', tableAddrs(bt, o.addresses, o.seed + 1)],
    ['uniform', uniformAddrs(o.addresses, o.seed + 2)],
  ];
  let cBuildMs: number | null = null;
  const npmLib = o.npm ? loadNpmLpm() : 'npm package skipped (--no-npm)';
  let npmBuild: ReturnType<typeof buildNpmLpm> | null = null;
  if (typeof npmLib === 'string') ctx.notes.push(npmLib);
  else {
    p.step(`${bt.name}: npm longest-prefix-match build`);
    npmBuild = buildNpmLpm(npmLib, withoutDefault(bt));
  }

  for (const [kind, addrs] of addrSets) {
    const rows: RateRow[] = [];
    p.step(`${bt.name}/${kind}: engine on the main thread`);
    const want = new Uint32Array(addrs.length);
    lookupLpmBatch(pop, addrs, want, 'js');
    const cross = new Uint32Array(addrs.length);
    lookupLpmBatch(dir, addrs, cross, 'js');
    const agree = compareAnswers(cross, want, 'dir24-8 vs poptrie');
    if (!agree.ok) throw new Error(`The two compiled structures disagree: ${agree.text}`);
    for (const [name, t] of [['poptrie', pop], ['dir24-8', dir]] as const) {
      for (const kernel of ['wasm', 'js'] as const) {
        const r = await mainMlps(ctx, t, addrs, want, kernel);
        rows.push({ competitor: `engine ${name} ${kernel}`, threads: 'main', ...r });
      }
    }
    for (const n of o.threads) {
      p.step(`${bt.name}/${kind}: engine on ${n} worker${n > 1 ? 's' : ''}`);
      for (const [name, t] of [['poptrie', pop], ['dir24-8', dir]] as const) {
        rows.push({ competitor: `engine ${name} wasm`, threads: n, ...(await poolMlps(ctx, t, addrs, want, n)) });
      }
    }
    p.step(`${bt.name}/${kind}: C baseline`);
    const c = cMlps(ctx, prefixFile, addrs, want, `${bt.name}-${kind}`);
    cBuildMs = c.buildMs;
    rows.push(c.row);
    if (npmBuild) {
      p.step(`${bt.name}/${kind}: npm longest-prefix-match`);
      const sample = addrs.subarray(0, o.npmQueries);
      const qs = npmQueries(sample);
      // The package has no /0 here: compare against the engine on the same table without one.
      const ref = new Uint32Array(sample.length);
      lookupLpmBatch(bt.entries.some((e) => e.len === 0) ? buildPoptrie(withoutDefault(bt).entries) : pop, sample, ref, 'js');
      const got = Uint32Array.from(qs, (q) => npmBuild!.lookup(q));
      const chk = compareAnswers(got, ref, 'sample');
      const r = chk.ok
        ? await mlpsOf(() => {
            for (const q of qs) npmBuild!.lookup(q);
          }, qs.length, o.minMs)
        : null;
      rows.push({ competitor: 'npm longest-prefix-match', threads: 'main', mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: chk.text, note: 'table without /0; queries as "a.b.c.d/32" strings, built outside the timing' });
    }
    ctx.kernelJobs.push({ table: bt, rows, ...kernelSample(addrs, want, o.kernelQueries) });
    workloads.push({ addresses: kind, count: addrs.length, rows });
  }

  p.step(`${bt.name}: incremental updates (${o.updates} route events, one at a time)`);
  const events = updateEvents(bt, o.updates, o.seed + 3);
  const structures: StructureResult[] = [];
  {
    const indexBuildMs = popIndexMs;
    const us: number[] = [];
    for (const ch of events) {
      const t0 = performance.now();
      pop = applyPoptrieChanges(pop, [ch]);
      us.push((performance.now() - t0) * 1000);
    }
    const check = tableAddrs({ name: bt.name, entries: finalEntries(bt, events) }, 1 << 18, o.seed + 5);
    const fresh = buildPoptrie(finalEntries(bt, events));
    const got = new Uint32Array(check.length);
    const want = new Uint32Array(check.length);
    lookupLpmBatch(pop, check, got, 'wasm');
    lookupLpmBatch(fresh, check, want, 'js');
    const chk = compareAnswers(got, want, 'after the events, vs a fresh compile');
    structures.push({
      structure: 'poptrie',
      compileMs: popCompile,
      memory: popMem,
      update: { events: us.length, medianUs: median(us), p90Us: quantile(us, 0.9), p99Us: quantile(us, 0.99), maxUs: Math.max(...us), indexBuildMs, checked: chk.text },
    });
    const dus: number[] = [];
    for (const ch of events) {
      const t0 = performance.now();
      applyDir24Change(dir, ch);
      dus.push((performance.now() - t0) * 1000);
    }
    lookupLpmBatch(dir, check, got, 'wasm');
    const dchk = compareAnswers(got, want, 'after the events, vs a fresh compile');
    structures.push({
      structure: 'dir24-8',
      compileMs: dirCompile,
      memory: dirMem,
      update: { events: dus.length, medianUs: median(dus), p90Us: quantile(dus, 0.9), p99Us: quantile(dus, 0.99), maxUs: Math.max(...dus), indexBuildMs: dirIndexMs, checked: dchk.text },
    });
  }
  return {
    table: bt.name,
    prefixes: bt.entries.length,
    structures,
    workloads,
    kernelLoadSeconds: null,
    npmBuildMs: npmBuild ? npmBuild.buildMs : null,
    cBuildMs,
  };
}

async function benchGrowth(ctx: Ctx, sizes: readonly number[], tables: Map<number, BenchTable>): Promise<GrowthRow[]> {
  const { o, p } = ctx;
  const rows: GrowthRow[] = [];
  const maxThreads = Math.max(...o.threads);
  for (const n of sizes) {
    p.step(`growth: ${n} prefixes`);
    const bt = tables.get(n) ?? generateTable(n, o.seed + n);
    const ts: number[] = [];
    let t: PoptrieTable | null = null;
    for (let i = 0; i < 3; i++) {
      const a = performance.now();
      t = buildPoptrie(bt.entries);
      ts.push(performance.now() - a);
    }
    const pop = t!;
    const addrs = tableAddrs(bt, o.addresses, o.seed + 7);
    const want = new Uint32Array(addrs.length);
    lookupLpmBatch(pop, addrs, want, 'js');
    const mlps: Record<string, number | null> = {};
    mlps['engine main wasm'] = (await mainMlps(ctx, pop, addrs, want, 'wasm')).mlps;
    mlps['engine 1 worker'] = (await poolMlps(ctx, pop, addrs, want, 1)).mlps;
    if (maxThreads > 1) mlps[`engine ${maxThreads} workers`] = (await poolMlps(ctx, pop, addrs, want, maxThreads)).mlps;
    if ('binary' in ctx.c) {
      const prefixFile = join(ctx.dir, `prefixes-growth-${n}.txt`);
      writePrefixFile(prefixFile, bt);
      mlps['C DIR-24-8'] = cMlps(ctx, prefixFile, addrs, want, `growth-${n}`).row.mlps;
    }
    rows.push({ prefixes: n, compileMs: median(ts), bytesPerPrefix: lpmMemory(pop).bytesPerPrefix, mlps });
  }
  return rows;
}

function singleLookups(bt: BenchTable, ctx: Ctx): BenchResults['singleLookups'] {
  const pop = buildPoptrie(bt.entries);
  const dir = buildDir24(bt.entries);
  const addrs = tableAddrs(bt, 1 << 16, ctx.o.seed + 9);
  const mask = addrs.length - 1;
  let i = 0;
  let sink = 0;
  const suite = new Benchmark.Suite('single lookups');
  suite.add('lookupPoptrie (one address per call)', () => {
    sink ^= lookupPoptrie(pop, addrs[i++ & mask]!);
  });
  suite.add('lookupDir24 (one address per call)', () => {
    sink ^= lookupDir24(dir, addrs[i++ & mask]!);
  });
  const npmLib = ctx.o.npm ? loadNpmLpm() : null;
  if (npmLib && typeof npmLib !== 'string') {
    const lib = buildNpmLpm(npmLib, withoutDefault(bt));
    const qs = npmQueries(addrs);
    suite.add('npm longest-prefix-match getMatch', () => {
      sink ^= lib.lookup(qs[i++ & mask]!);
    });
  }
  const out: { name: string; opsPerSec: number; rme: number }[] = [];
  suite.on('cycle', (ev: Benchmark.Event) => {
    const b = ev.target;
    out.push({ name: String(b.name), opsPerSec: b.hz ?? 0, rme: b.stats?.rme ?? 0 });
  });
  suite.run({ async: false, maxTime: Math.max(0.3, ctx.o.minMs / 2000), minSamples: 5 } as Benchmark.Options);
  if (sink === 0.5) console.log(sink);
  return out;
}


function targets(r: TableResult | undefined): BenchResults['targets'] {
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

function printResults(r: BenchResults): void {
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

function svgOf(r: BenchResults): string {
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

/**
 * Runs the whole benchmark and returns (and by default writes and prints) its results.
 *
 * @example
 *   const r = await runBench({ ...QUICK, outDir: '/tmp/r' });
 *
 * 1. Compile the C baseline (gcc), load the real table, generate the 1M table.
 * 2. Per table: compile both structures (timed), measure memory; build the npm package's
 *    structure; load the kernel namespace.
 * 3. Per workload (table-drawn, uniform addresses): take the engine's answers as the
 *    reference (both structures must agree), then check and time each competitor.
 * 4. Time route events one by one on both structures, and check against a fresh compile.
 * 5. Lookups/s as the table grows; one-address calls with benchmark.js.
 * 6. Write lpm.json and lpm.svg, print the figures.
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchResults> {
  const o = { ...DEFAULTS, ...options } as typeof DEFAULTS;
  const loadAtStart = loadavg()[0] ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'kfib-bench-'));
  const tablesToRun = 2;
  const steps = 1 + tablesToRun * (4 + 2 * (2 + o.threads.length + 2)) + o.growthSizes.length + 2;
  const p = progress(steps, o.progress);
  const notes: string[] = [];
  const pools = new Map<number, LookupPool>();
  const threadsNeeded = new Set([...o.threads, 1]);
  for (const n of threadsNeeded) pools.set(n, new LookupPool({ threads: n }));
  try {
    p.step('compile the C baseline');
    const c: CBuild = o.c ? compileC(dir) : { skipped: 'C baseline skipped (--no-c)' };
    if (!('binary' in c)) notes.push(c.skipped);
    const ctx: Ctx = { o, p, dir, c, pools, notes, version: 0, kernelJobs: [] };
    const real = loadTable(o.tablePath, 'real');
    const gen = generateTable(o.generatedPrefixes, o.seed);
    const tables = [await benchTable(ctx, real), await benchTable(ctx, gen)];
    const growth = await benchGrowth(ctx, o.growthSizes, new Map([[gen.entries.length, gen]]));
    p.step('one address per call (benchmark.js)');
    const single = o.benchmarkJs ? singleLookups(real, ctx) : [];
    runKernelJobs(ctx, tables);
    notes.push('raw LPM structures on prefix values, checked against each other and a naive model (test/lpm/); the FIB engine on snapshots, checked against the reference routeGet(), is bench/engine.bench.ts (kfib bench)');
    const results: BenchResults = {
      schema: 'kfib-lpm-bench/1',
      date: new Date().toISOString(),
      command: `node dist/bench/lpm.bench.js ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machine(c, loadAtStart),
      statistic:
        'mlps: the fastest of the passes timed for at least minMs (and 3 passes), for the engine, ' +
        'the npm package and the C baseline alike (its own loop); mlpsMedian: the median pass; ' +
        'kernel: one pass of kernelQueries queries. Ratios use mlps.',
      options: { ...o, tablePath: relative(REPO, o.tablePath), outDir: relative(REPO, o.outDir) },
      notes,
      tables,
      growth,
      singleLookups: single,
      targets: targets(tables[0]),
    };
    p.step('write results');
    if (o.write) {
      mkdirSync(o.outDir, { recursive: true });
      writeFileSync(join(o.outDir, 'lpm.json'), JSON.stringify(results, null, 2) + '\n');
      writeFileSync(join(o.outDir, 'lpm.svg'), svgOf(results));
    }
    p.done();
    if (o.print) printResults(results);
    return results;
  } finally {
    await Promise.all([...pools.values()].map((x) => x.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The options of a parsed command line (bench/_bench-args.ts); throws an Error naming a bad value. */
export function lpmBenchOptions(v: LookupBenchValues): BenchOptions {
  const { quick, events: _events, write, ...rest } = lookupBenchSettings(v);
  return { ...(quick ? QUICK : {}), ...rest, ...(write === undefined ? {} : { write }), ...(v['no-benchmarkjs'] ? { benchmarkJs: false } : {}) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runLookupBenchMain(LPM_BENCH_COMMAND, lpmBenchOptions, runBench);
