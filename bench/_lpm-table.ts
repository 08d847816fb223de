// One table of the LPM benchmark (lpm.bench.ts): poptrie and DIR-24-8 built, changed and
// looked up, against C, npm and the kernel on the same prefixes and addresses; the growth
// rows and single lookups.
//
// Why: every competitor's answers are checked against the engine's before its rate counts.

import Benchmark from 'benchmark';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { LpmChange, LpmEntry } from '../workers/lpm/_prefix-index.js';
import { applyDir24Change, buildDir24, ensureDir24Index, lookupDir24 } from '../workers/lpm/dir24-8.js';
import { lookupLpmBatch, lpmMemory, type LpmKernel, type LpmTable } from '../workers/lpm/lpm-table.js';
import { applyPoptrieChanges, buildPoptrie, ensurePoptrieIndex, lookupPoptrie, type PoptrieTable } from '../workers/lpm/poptrie.js';
import { LookupPool } from '../workers/lookup-pool.js';
import { runC, writeAddrFile, writePrefixFile, type CBuild } from './_c-baseline.js';
import { kernelUnavailable, runKernel } from './_kernel.js';
import { buildNpmLpm, loadNpmLpm, npmQueries } from './_npm-lpm.js';
import type { Progress } from './_progress.js';
import { checksum, generateTable, prng, tableAddrs, uniformAddrs, withoutDefault, type BenchTable } from './_tables.js';
import { compareAnswers, machineInfo, median, mlpsOf, quantile } from './_harness.js';
import type { DEFAULTS } from './_lpm-options.js';
import type { RateRow, Workload, StructureResult, TableResult, GrowthRow, BenchResults } from './_lpm-results.js';

export function machine(c: CBuild, loadAtStart: number): Record<string, string | number> {
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
export function runKernelJobs(ctx: Ctx, tables: TableResult[]): void {
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

export interface Ctx {
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
export async function benchTable(ctx: Ctx, bt: BenchTable): Promise<TableResult> {
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

export async function benchGrowth(ctx: Ctx, sizes: readonly number[], tables: Map<number, BenchTable>): Promise<GrowthRow[]> {
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

export function singleLookups(bt: BenchTable, ctx: Ctx): BenchResults['singleLookups'] {
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
