// The engine benchmark of issue 4: the FIB lookup engine (workers/fib-engine.ts) answering
// `ip route get DST` on a FIB snapshot (a host with the real Internet table, or a generated
// table, behind an uplink; _fib-snapshot.ts), against the reference lookup it must equal
// (core/route/route-output.ts), a C DIR-24-8, the npm `longest-prefix-match` package and the
// kernel's own `ip -batch route get`, in one run.
//
// Why: the engine exists to make the reference's answers fast for lookup-heavy workloads;
// whether it does is a ratio to baselines measured side by side on this machine. Every
// competitor's answers are checked against the reference's on a sample before its rate
// counts (the engine's in full: every field of routeGet()'s answer; the others through the
// gateway a route goes to, which is the value they store): a faster wrong answer does not.
//
// Run: node dist/bench/engine.bench.js [--quick] [--out DIR] [--table FILE] [--threads 1,2]
//      [--min-ms N] [--no-kernel] [--no-c] [--no-npm]   (or `kfib bench`, cli/bench-cmd.ts)
// Writes DIR/engine.json and DIR/engine.svg (default bench/results/), prints a table of
// figures and ratios on stdout, and shows progress on stderr.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { routeGet, type RouteGetOutcome } from '../core/route/route-output.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import { FibLpmCompiler } from '../core/lpm/fib-lpm.js';
import { buildPoptrie } from '../core/lpm/poptrie.js';
import type { LpmMemory } from '../core/lpm/dir24-8.js';
import { destinationRequest, FibEngine } from '../workers/fib-engine.js';
import { compileC, runC, writeAddrFile, writePrefixFile, type CBuild } from './_c-baseline.js';
import { kernelUnavailable, runKernel } from './_kernel.js';
import { buildNpmLpm, loadNpmLpm, npmQueries } from './_npm-lpm.js';
import { progress, type Progress } from './_progress.js';
import { ENGINE_BENCH_COMMAND, lookupBenchSettings, runLookupBenchMain, type LookupBenchValues } from './_bench-args.js';
import { chartSvg, type Panel } from './_svg.js';
import { checksum, generateTable, loadTable, prng, tableAddrs, uniformAddrs, type BenchTable } from './_tables.js';
import { compareAnswers, machineInfo, median, mlpsOf, quantile, rateOf, ratio, settle, timeRuns } from './_harness.js';
import {
  applyRouteEvent,
  ENV_EVENTS,
  envEventSnapshots,
  fibBenchSnapshot,
  HOST_SCRIPT,
  onlyTableQueries,
  routeEventPlan,
  valueOfAnswer,
  valueOfGateway,
  type FibBench,
} from './_fib-snapshot.js';

/** What to run; every field has a default (see DEFAULTS). */
export interface EngineBenchOptions {
  /** The real table, "a.b.c.d/len" per line (default ../shared/data/ipv4-fulltable-iprbench.txt); null: none (--quick). */
  readonly tablePath?: string | null;
  /** Where engine.json and engine.svg go (default bench/results). */
  readonly outDir?: string;
  /** Size of the generated table (default 1,000,000). */
  readonly generatedPrefixes?: number;
  /** Table sizes for "lookups/s as the table grows" (default 10k, 100k, 1M). */
  readonly growthSizes?: readonly number[];
  /** Addresses per workload (default 2^22). */
  readonly addresses?: number;
  /** Worker counts (default 1..availableParallelism()). */
  readonly threads?: readonly number[];
  /** Minimum time per throughput measurement, ms (default 1000). */
  readonly minMs?: number;
  /** Route events timed one by one for the incremental figure (default 1000). */
  readonly events?: number;
  /** Cold compiles timed per table (default 5), after the first of the process (timed apart). */
  readonly compileRuns?: number;
  /** Addresses checked against routeGet() per workload (default 20,000). */
  readonly referenceSample?: number;
  readonly seed?: number;
  readonly kernel?: boolean;
  readonly c?: boolean;
  readonly npm?: boolean;
  /** Queries asked of the kernel per workload (default 20,000). */
  readonly kernelQueries?: number;
  /** Queries asked of the npm package per workload (default 20,000). */
  readonly npmQueries?: number;
  readonly progress?: boolean;
  readonly write?: boolean;
  readonly print?: boolean;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_TABLE = resolve(REPO, '..', 'shared', 'data', 'ipv4-fulltable-iprbench.txt');

const DEFAULTS = {
  tablePath: DEFAULT_TABLE as string | null,
  outDir: join(REPO, 'bench', 'results'),
  generatedPrefixes: 1_000_000,
  growthSizes: [10_000, 100_000, 1_000_000] as readonly number[],
  addresses: 1 << 22,
  threads: Array.from({ length: availableParallelism() }, (_, i) => i + 1) as readonly number[],
  minMs: 1000,
  events: 1000,
  compileRuns: 5,
  referenceSample: 20_000,
  seed: 4,
  kernel: true,
  c: true,
  npm: true,
  kernelQueries: 20_000,
  npmQueries: 20_000,
  progress: true,
  write: true,
  print: true,
};

type Options = typeof DEFAULTS;

/**
 * The smaller run of `--quick` (a smoke test of the whole harness, well under 30 s on two
 * cores): generated tables only, no kernel unless asked.
 */
export const QUICK: EngineBenchOptions = {
  tablePath: null,
  generatedPrefixes: 100_000,
  growthSizes: [20_000, 100_000],
  addresses: 1 << 18,
  minMs: 150,
  events: 100,
  compileRuns: 2,
  referenceSample: 2000,
  kernel: false,
  kernelQueries: 2000,
  npmQueries: 2000,
};

export const ENGINE = 'engine (FibEngine, poptrie wasm)';
export const ENGINE_JS = 'engine (FibEngine, poptrie js)';
export const REFERENCE = 'reference routeGet()';
export const C_BASELINE = 'C DIR-24-8 (gcc -O3 -march=native)';
export const NPM = 'npm longest-prefix-match';
export const KERNEL = 'kernel ip -batch route get';

/** One competitor's rate on one workload. */
export interface RateRow {
  readonly competitor: string;
  /** 'main' for the calling thread, else the number of worker threads. */
  readonly threads: number | 'main';
  /** Million lookups per second, fastest pass; null when not timed (see checked/note). */
  readonly mlps: number | null;
  readonly mlpsMedian?: number | null;
  readonly checked: string;
  readonly note?: string;
}

export interface Workload {
  readonly addresses: 'table-drawn' | 'uniform';
  readonly count: number;
  readonly rows: RateRow[];
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

interface KernelJob {
  readonly table: BenchTable;
  readonly result: EngineTableResult;
  readonly rows: RateRow[];
  readonly queries: Uint32Array;
  readonly want: Uint32Array;
}

interface Ctx {
  readonly o: Options;
  readonly p: Progress;
  readonly dir: string;
  readonly c: CBuild;
  readonly compiler: FibLpmCompiler;
  /** One engine per worker count, all sharing `compiler`. */
  readonly engines: Map<number, FibEngine>;
  readonly notes: string[];
  readonly kernelJobs: KernelJob[];
}

/** Addresses of a workload, none in the host's own ranges (see tableQuery). */
function workloadAddrs(kind: Workload['addresses'], t: BenchTable, n: number, seed: number): Uint32Array {
  const rnd = prng(seed ^ 0x5bd1e995);
  const a = kind === 'table-drawn' ? tableAddrs(t, n, seed) : uniformAddrs(n, seed);
  return onlyTableQueries(a, () => {
    if (kind === 'uniform') return rnd();
    const e = t.entries[rnd() % t.entries.length]!;
    const host = e.len === 32 ? 0 : rnd() & ((2 ** (32 - e.len)) - 1);
    return (e.prefix + host) >>> 0;
  });
}

/** Publishes `s` on every engine (compiled once: they share the compiler). */
function publishAll(ctx: Ctx, s: FibSnapshot): void {
  for (const e of ctx.engines.values()) e.publish(s);
}

/** The engine's answers mapped to the competitors' values (gateway index + 1, or 0). */
function engineValues(engine: FibEngine, codes: Uint32Array): Uint32Array {
  const byCode = new Map<number, number>();
  const out = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    let v = byCode.get(c);
    if (v === undefined) {
      const o = engine.outcome(c);
      v = o.kind === 'route' ? valueOfGateway(o.gateway) : 0;
      byCode.set(c, v);
    }
    out[i] = v;
  }
  return out;
}

/** Checks decoded codes against the reference's answers, field by field. */
function checkEngine(engine: FibEngine, addrs: Uint32Array, codes: Uint32Array, want: readonly RouteGetOutcome[], what: string): { ok: boolean; text: string } {
  for (let i = 0; i < want.length; i++) {
    const got = engine.decode(codes[i]!, addrs[i]!);
    if (!isDeepStrictEqual(got, want[i])) {
      return { ok: false, text: `${what}: answer #${i} differs from routeGet(): ${JSON.stringify(got)} vs ${JSON.stringify(want[i])}; not timed` };
    }
  }
  return { ok: true, text: `${what}: the first ${want.length} answers deep-equal routeGet()'s` };
}

async function engineRows(ctx: Ctx, addrs: Uint32Array, want: readonly RouteGetOutcome[], rows: RateRow[], label: string): Promise<Uint32Array> {
  const { o, p } = ctx;
  const maxT = Math.max(...o.threads);
  const main = ctx.engines.get(maxT)!;
  p.step(`${label}: engine on the main thread`);
  const out = new Uint32Array(new SharedArrayBuffer(addrs.length * 4));
  main.lookupHere(addrs, out, 'js');
  const js = checkEngine(main, addrs, out, want, 'sample');
  const codes = out.slice();
  for (const kernel of ['wasm', 'js'] as const) {
    main.lookupHere(addrs, out, kernel);
    const chk = kernel === 'js' ? js : compareAnswers(out, codes, 'codes vs the js loop');
    const ok = js.ok && chk.ok;
    const r = ok ? await mlpsOf(() => void main.lookupHere(addrs, out, kernel), addrs.length, o.minMs) : null;
    rows.push({ competitor: kernel === 'wasm' ? ENGINE : ENGINE_JS, threads: 'main', mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: ok ? js.text : `${js.text}; ${chk.text}` });
  }
  for (const n of o.threads) {
    p.step(`${label}: engine on ${n} worker${n > 1 ? 's' : ''}`);
    const e = ctx.engines.get(n)!;
    await e.lookup(addrs, out);
    const chk = checkEngine(e, addrs, out, want, 'sample');
    const all = compareAnswers(out, codes, 'all codes vs the main thread');
    const ok = chk.ok && all.ok;
    const r = ok ? await mlpsOf(() => e.lookup(addrs, out).then(() => undefined), addrs.length, o.minMs) : null;
    rows.push({ competitor: ENGINE, threads: n, mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: ok ? `${chk.text}; ${all.text}` : `${chk.text}; ${all.text}` });
  }
  return codes;
}

function cRow(ctx: Ctx, prefixFile: string, addrs: Uint32Array, values: Uint32Array, wantValues: Uint32Array, tag: string): { row: RateRow; buildMs: number | null } {
  if (!('binary' in ctx.c)) return { row: { competitor: C_BASELINE, threads: 1, mlps: null, checked: 'skipped', note: ctx.c.skipped }, buildMs: null };
  const addrFile = join(ctx.dir, `addrs-${tag}.bin`);
  writeAddrFile(addrFile, addrs);
  const r = runC(ctx.c.binary, prefixFile, addrFile, ctx.o.minMs / 1000, wantValues.length);
  const first = compareAnswers(r.first, wantValues, `the first ${wantValues.length} answers (gateway index)`);
  const sumOk = r.checksum === checksum(values);
  const ok = first.ok && sumOk;
  return {
    row: {
      competitor: C_BASELINE,
      threads: 1,
      mlps: ok ? r.bestLookupsPerSec / 1e6 : null,
      mlpsMedian: ok ? r.lookupsPerSec / 1e6 : null,
      checked: `${first.text}; checksum over all ${addrs.length} ${sumOk ? 'equals' : 'differs from'} the engine's`,
    },
    buildMs: r.buildMs,
  };
}

/** Benchmarks one table: snapshot, compiles, workloads, competitors, incremental events. */
async function benchTable(ctx: Ctx, bt: BenchTable): Promise<EngineTableResult> {
  const { o, p } = ctx;
  p.step(`${bt.name}: build the snapshot (host + ${bt.entries.length} routes through the reducer)`);
  const fb: FibBench = fibBenchSnapshot(bt);
  const s = fb.snapshot;
  const table = fb.table;
  p.step(`${bt.name}: compile (1 + ${o.compileRuns} cold compiles, then the LPM alone)`);
  const firstMs = (await timeRuns(() => new FibLpmCompiler().compileFull(s), 1)).median;
  const coldMs = await timeRuns(() => new FibLpmCompiler().compileFull(s), o.compileRuns);
  const lpmOnlyMs = await timeRuns(() => buildPoptrie(table.entries), o.compileRuns);
  await settle();
  const v = ctx.compiler.compileFull(s, 'bench');
  publishAll(ctx, s);
  const anyEngine = ctx.engines.values().next().value as FibEngine;
  const memory = anyEngine.memory();
  let routes = 0;
  for (const t of s.tables.values()) routes += t.leaves.size;
  const result: EngineTableResult = {
    table: bt.name,
    prefixes: table.entries.length,
    refused: fb.refused,
    snapshotBuildSeconds: fb.buildSeconds,
    compile: { coldMs, firstMs, recompileMs: null, lpmOnlyMs, regions: v.changes, outcomes: ctx.compiler.codes.size, memory, bytesPerRoute: memory.sharedBytes / routes },
    incremental: null,
    workloads: [],
    kernelLoadSeconds: null,
    cBuildMs: null,
    npmBuildMs: null,
  };
  const prefixFile = join(ctx.dir, `prefixes-${bt.name}.txt`);
  if ('binary' in ctx.c) writePrefixFile(prefixFile, table);
  const npmLib = o.npm ? loadNpmLpm() : 'npm package skipped (--no-npm)';
  let npmBuild: ReturnType<typeof buildNpmLpm> | null = null;
  if (typeof npmLib === 'string') ctx.notes.push(npmLib);
  else {
    p.step(`${bt.name}: npm longest-prefix-match build`);
    npmBuild = buildNpmLpm(npmLib, table);
  }
  let cBuildMs: number | null = null;
  for (const kind of ['table-drawn', 'uniform'] as const) {
    const label = `${bt.name}/${kind}`;
    const addrs = workloadAddrs(kind, table, o.addresses, o.seed + (kind === 'uniform' ? 2 : 1));
    const rows: RateRow[] = [];
    p.step(`${label}: the reference on ${o.referenceSample} addresses`);
    const sample = addrs.subarray(0, Math.min(o.referenceSample, addrs.length));
    const want: RouteGetOutcome[] = [];
    const t0 = performance.now();
    for (const a of sample) want.push(routeGet(s, destinationRequest(a)));
    const refMs = performance.now() - t0;
    rows.push({ competitor: REFERENCE, threads: 'main', mlps: sample.length / (refMs * 1000), checked: 'the definition of correct', note: `one pass over ${sample.length} addresses` });
    const wantValues = Uint32Array.from(want, valueOfAnswer);
    const codes = await engineRows(ctx, addrs, want, rows, label);
    const values = engineValues(anyEngine, codes);
    p.step(`${label}: C baseline`);
    const c = cRow(ctx, prefixFile, addrs, values, wantValues, `${bt.name}-${kind}`);
    cBuildMs = c.buildMs;
    rows.push(c.row);
    if (npmBuild) {
      p.step(`${label}: npm longest-prefix-match`);
      const n = Math.min(o.npmQueries, sample.length);
      const qs = npmQueries(sample.subarray(0, n));
      const got = Uint32Array.from(qs, (q) => npmBuild!.lookup(q));
      const chk = compareAnswers(got, wantValues.subarray(0, n), `${n} answers (gateway index)`);
      const r = chk.ok
        ? await mlpsOf(() => {
            for (const q of qs) npmBuild!.lookup(q);
          }, qs.length, o.minMs)
        : null;
      rows.push({ competitor: NPM, threads: 'main', mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: chk.text, note: 'the table has no /0; queries as "a.b.c.d/32" strings, built outside the timing' });
    }
    const k = Math.min(o.kernelQueries, sample.length);
    ctx.kernelJobs.push({ table, result, rows, queries: sample.slice(0, k), want: wantValues.slice(0, k) });
    result.workloads.push({ addresses: kind, count: addrs.length, rows });
  }
  p.step(`${bt.name}: incremental compiles (${o.events} route events, one at a time)`);
  const plan = routeEventPlan(table, Math.ceil(o.events / 2), o.seed + 3);
  const snaps: FibSnapshot[] = [];
  let cur = s;
  for (const ev of plan) {
    const [a, b] = applyRouteEvent(cur, ev);
    snaps.push(a, b);
    cur = b;
  }
  const t1 = performance.now();
  ctx.compiler.prepareIncremental();
  const prepareMs = performance.now() - t1;
  const us: number[] = [];
  let full = 0;
  await settle();
  for (const sn of snaps.slice(0, o.events)) {
    const a = performance.now();
    const vv = ctx.compiler.compile(sn);
    us.push((performance.now() - a) * 1000);
    if (vv.mode === 'full') full++;
  }
  const last = snaps[Math.min(o.events, snaps.length) - 1] ?? s;
  publishAll(ctx, last);
  const check = workloadAddrs('table-drawn', table, Math.min(o.referenceSample, 1 << 14), o.seed + 5);
  const want = Array.from(check, (a) => routeGet(last, destinationRequest(a)));
  const codes = anyEngine.lookupHere(check);
  const chk = checkEngine(anyEngine, check, codes, want, `after the events, ${check.length} table-drawn addresses`);
  result.incremental = { events: us.length, medianUs: median(us), p90Us: quantile(us, 0.9), p99Us: quantile(us, 0.99), maxUs: Math.max(...us), full, prepareMs, checked: chk.text };
  p.step(`${bt.name}: full recompiles after ${ENV_EVENTS.length} device, address, sysctl and rule events`);
  const envSnaps = envEventSnapshots(last);
  const ms: number[] = [];
  let patched = 0;
  for (const sn of envSnaps) {
    await settle();
    const a = performance.now();
    const vv = ctx.compiler.compile(sn);
    ms.push(performance.now() - a);
    if (vv.lpm === 'patched') patched++;
  }
  const envLast = envSnaps[envSnaps.length - 1]!;
  publishAll(ctx, envLast);
  const wantEnv = Array.from(check, (a) => routeGet(envLast, destinationRequest(a)));
  const envChk = checkEngine(anyEngine, check, anyEngine.lookupHere(check), wantEnv, `after the events, ${check.length} table-drawn addresses`);
  result.compile.recompileMs = { median: median(ms), min: Math.min(...ms), runs: ms, patched, checked: envChk.text };
  result.cBuildMs = cBuildMs;
  result.npmBuildMs = npmBuild?.buildMs ?? null;
  return result;
}

async function benchGrowth(ctx: Ctx, sizes: readonly number[], done: Map<number, EngineTableResult>): Promise<GrowthRow[]> {
  const { o, p } = ctx;
  const rows: GrowthRow[] = [];
  const maxT = Math.max(...o.threads);
  for (const n of sizes) {
    const known = done.get(n);
    if (known) {
      const w = known.workloads.find((x) => x.addresses === 'table-drawn')!;
      const rate = (c: string, t: number | 'main'): number | null => w.rows.find((r) => r.competitor === c && r.threads === t)?.mlps ?? null;
      const mlps: Record<string, number | null> = { 'engine main thread': rate(ENGINE, 'main'), 'engine 1 worker': rate(ENGINE, 1) };
      if (maxT > 1) mlps[`engine ${maxT} workers`] = rate(ENGINE, maxT);
      mlps['C DIR-24-8'] = rate(C_BASELINE, 1);
      rows.push({ prefixes: n, compileMs: known.compile.coldMs.median, bytesPerRoute: known.compile.bytesPerRoute, mlps });
      continue;
    }
    p.step(`growth: ${n} prefixes`);
    const fb = fibBenchSnapshot(generateTable(n, o.seed + n));
    const coldMs = await timeRuns(() => new FibLpmCompiler().compileFull(fb.snapshot), o.compileRuns);
    await settle();
    ctx.compiler.compileFull(fb.snapshot, 'bench');
    publishAll(ctx, fb.snapshot);
    const e = ctx.engines.get(maxT)!;
    let routes = 0;
    for (const t of fb.snapshot.tables.values()) routes += t.leaves.size;
    const addrs = workloadAddrs('table-drawn', fb.table, Math.min(o.addresses, 1 << 21), o.seed + 7);
    const sample = addrs.subarray(0, Math.min(2000, addrs.length));
    const want = Array.from(sample, (a) => routeGet(fb.snapshot, destinationRequest(a)));
    const scratch: RateRow[] = [];
    const codes = await engineRows(ctx, addrs, want, scratch, `growth ${n}`);
    const mlps: Record<string, number | null> = {};
    mlps['engine main thread'] = scratch.find((r) => r.competitor === ENGINE && r.threads === 'main')?.mlps ?? null;
    mlps['engine 1 worker'] = scratch.find((r) => r.competitor === ENGINE && r.threads === 1)?.mlps ?? null;
    if (maxT > 1) mlps[`engine ${maxT} workers`] = scratch.find((r) => r.competitor === ENGINE && r.threads === maxT)?.mlps ?? null;
    if ('binary' in ctx.c) {
      const prefixFile = join(ctx.dir, `prefixes-growth-${n}.txt`);
      writePrefixFile(prefixFile, fb.table);
      mlps['C DIR-24-8'] = cRow(ctx, prefixFile, addrs, engineValues(e, codes), Uint32Array.from(want, valueOfAnswer), `growth-${n}`).row.mlps;
    }
    rows.push({ prefixes: n, compileMs: coldMs.median, bytesPerRoute: e.memory().sharedBytes / routes, mlps });
  }
  return rows;
}

/**
 * Asks the kernel last: destroying a namespace that holds a million routes keeps the kernel
 * busy for seconds afterwards, which would disturb every timing after it.
 */
function runKernelJobs(ctx: Ctx): void {
  const why = ctx.o.kernel ? kernelUnavailable() : 'kernel skipped (--no-kernel, or --quick without --kernel)';
  const byTable = new Map<BenchTable, KernelJob[]>();
  for (const j of ctx.kernelJobs) byTable.set(j.table, [...(byTable.get(j.table) ?? []), j]);
  for (const [bt, jobs] of byTable) {
    if (why) {
      for (const j of jobs) j.rows.push({ competitor: KERNEL, threads: 1, mlps: null, checked: 'skipped', note: why });
      continue;
    }
    ctx.p.step(`${bt.name}: kernel: load ${bt.entries.length} routes into a private namespace, ip -batch route get`);
    const k = runKernel(bt, jobs.map((j) => j.queries), ctx.dir);
    jobs.forEach((j, i) => {
      j.result.kernelLoadSeconds = k.loadSeconds;
      const run = k.runs[i]!;
      const chk = compareAnswers(run.answers, j.want, `${run.queries} answers (realm = gateway index)`);
      j.rows.push({
        competitor: KERNEL,
        threads: 1,
        mlps: chk.ok ? run.lookupsPerSec / 1e6 : null,
        checked: chk.text,
        note: 'iproute2 in a private netns (routes `dev lo realm V`), one RTM_GETROUTE per query; one pass',
      });
    });
  }
  if (why) ctx.notes.push(why);
}


function targetsOf(r: EngineTableResult | undefined): EngineBenchResults['targets'] {
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
  const r2 = ratio(two, c);
  const r1 = ratio(one, c);
  const rk = ratio(best, kern);
  const rn = ratio(best, npm);
  const bpp = r.compile.bytesPerRoute;
  const inc = r.incremental;
  const rc = r.compile.recompileMs;
  return [
    { target: 'engine on 2 workers >= 1.0x C DIR-24-8 (1 thread)', measured: `${fmt(r2)}x`, met: met(r2, (x) => x >= 1) },
    { target: 'engine on 1 worker >= 0.6x C DIR-24-8', measured: `${fmt(r1)}x`, met: met(r1, (x) => x >= 0.6) },
    { target: 'engine >= 500x kernel ip -batch route get', measured: `${fmt(rk, 0)}x`, met: met(rk, (x) => x >= 500) },
    { target: 'engine >= 100x best npm library', measured: `${fmt(rn, 0)}x`, met: met(rn, (x) => x >= 100) },
    { target: 'compiled structure <= 16 bytes per prefix', measured: `${bpp.toFixed(2)} B per route`, met: bpp <= 16 },
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

function printResults(r: EngineBenchResults): void {
  const L: string[] = [];
  const f = (x: number | null, d = 1): string => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  L.push(`kfib engine bench, ${r.date}; ${r.machine['cpu']}, ${r.machine['cores']} cores, node ${r.machine['node']}, ${r.machine['os']}; load average ${r.machine['loadAverage1m']} at start, ${r.machine['loadAverage1mAtEnd']} at end`);
  for (const t of r.tables) {
    L.push('', `== ${t.table}: ${t.prefixes} routes (+ the host's; ${t.refused} refused), snapshot built in ${f(t.snapshotBuildSeconds)} s${t.kernelLoadSeconds === null ? '' : `, kernel loaded them in ${f(t.kernelLoadSeconds)} s`} ==`);
    const c = t.compile;
    L.push(
      `compile: ${f(c.coldMs.median)} ms median (min ${f(c.coldMs.min)}; the first ${f(c.firstMs)}) from the snapshot; LPM alone ${f(c.lpmOnlyMs.median)} ms; ${c.regions} regions, ${c.outcomes} outcomes; ` +
        `${f(c.memory.sharedBytes / 2 ** 20, 2)} MiB shared = ${f(c.bytesPerRoute, 2)} bytes per route`,
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

function svgOf(r: EngineBenchResults): string {
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

/**
 * Runs the whole benchmark and returns (and by default writes and prints) its results.
 *
 * @example
 *   const r = await runEngineBench({ ...QUICK, outDir: '/tmp/r' });
 *
 * 1. Compile the C baseline; load the real table, generate the 1M table.
 * 2. Per table: build the host's snapshot with the table (reducer), time cold compiles,
 *    publish to engines of 1..N workers sharing one compiler.
 * 3. Per workload (table-drawn, uniform addresses outside the host's own ranges): ask the
 *    reference on a sample (and time it); check and time the engine on the main thread and
 *    on each worker count, then C and npm (values = gateway index).
 * 4. Time route events one at a time through the incremental compiler; check the result.
 * 5. Lookups/s as the table grows; the kernel last; write engine.json and engine.svg.
 */
export async function runEngineBench(options: EngineBenchOptions = {}): Promise<EngineBenchResults> {
  const o: Options = { ...DEFAULTS, ...options } as Options;
  const machineAtStart = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'kfib-engine-bench-'));
  const perWorkload = 3 + o.threads.length + 2;
  const steps = 2 + 2 * (5 + 2 * perWorkload + 2) + o.growthSizes.length * 4 + 2;
  const p = progress(steps, o.progress);
  const notes: string[] = [];
  const compiler = new FibLpmCompiler();
  const engines = new Map<number, FibEngine>();
  for (const n of new Set(o.threads)) engines.set(n, new FibEngine({ threads: n, compiler, prepare: 'lazy' }));
  try {
    p.step('compile the C baseline');
    const c: CBuild = o.c ? compileC(dir) : { skipped: 'C baseline skipped (--no-c)' };
    if (!('binary' in c)) notes.push(c.skipped);
    const ctx: Ctx = { o, p, dir, c, compiler, engines, notes, kernelJobs: [] };
    p.step(o.tablePath === null ? `generate the ${o.generatedPrefixes} table` : `load the real table, generate the ${o.generatedPrefixes} table`);
    const real = o.tablePath === null ? null : loadTable(o.tablePath, 'real');
    const gen = generateTable(o.generatedPrefixes, o.seed);
    const tables: EngineTableResult[] = [];
    if (real !== null) tables.push(await benchTable(ctx, real));
    const genResult = await benchTable(ctx, gen);
    tables.push(genResult);
    const growth = await benchGrowth(ctx, o.growthSizes, new Map([[gen.entries.length, genResult]]));
    runKernelJobs(ctx);
    notes.push(
      'addresses avoid 0/8, 127/8, 224/3 and the host\'s own subnets, so that every answer is a table route or the default route; ' +
        'the C, npm and kernel tables are the accepted routes with value = gateway index + 1, checked against the gateway routeGet() answers',
    );
    const results: EngineBenchResults = {
      schema: 'kfib-engine-bench/1',
      date: new Date().toISOString(),
      command: commandLine(),
      machine: { ...machineAtStart, loadAverage1mAtEnd: machineInfo()['loadAverage1m'] ?? 0, compiler: 'binary' in c ? c.compiler : c.skipped },
      statistic:
        'mlps: million lookups per second in the fastest of the passes timed for at least minMs (and 3 passes), for the engine, ' +
        'the npm package and the C baseline alike (its own loop); mlpsMedian: the median pass; reference and kernel: one pass. ' +
        'Compile times: median of compileRuns compiles, each after a full garbage collection and a pause for its sweeping (settle()); ' +
        'cold compiles (a new compiler each) after one more, timed apart as firstMs (the JIT warming up).',
      options: { ...o, tablePath: o.tablePath === null ? null : relative(REPO, o.tablePath), outDir: relative(REPO, o.outDir) },
      host: HOST_SCRIPT,
      notes,
      tables,
      growth,
      targets: real === null ? [] : targetsOf(tables[0]),
    };
    p.step('write results');
    if (o.write) {
      mkdirSync(o.outDir, { recursive: true });
      writeFileSync(join(o.outDir, 'engine.json'), JSON.stringify(results, null, 2) + '\n');
      writeFileSync(join(o.outDir, 'engine.svg'), svgOf(results));
    }
    p.done();
    if (o.print) printResults(results);
    return results;
  } finally {
    await Promise.all([...engines.values()].map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How this run was started: `node dist/bench/engine.bench.js …` or `kfib bench …`. */
function commandLine(): string {
  const script = process.argv[1] ?? '';
  const args = script.endsWith('engine.bench.js') ? process.argv.slice(2) : process.argv.slice(3);
  return `${script.endsWith('engine.bench.js') ? 'node dist/bench/engine.bench.js' : 'kfib bench'} ${args.join(' ')}`.trim();
}

/** The options of a parsed command line (bench/_bench-args.ts); throws an Error naming a bad value. */
export function engineBenchOptions(v: LookupBenchValues): EngineBenchOptions {
  const { quick, ...rest } = lookupBenchSettings(v);
  return { ...(quick ? QUICK : {}), ...rest };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runLookupBenchMain(ENGINE_BENCH_COMMAND, engineBenchOptions, runEngineBench);
