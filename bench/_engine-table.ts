// One table of the engine benchmark (engine.bench.ts): the snapshot, its compiles, and per
// workload the engine against the reference, C, npm and the kernel; then the growth rows and
// the kernel's runs.
//
// Why: every competitor is checked against the reference lookup (routeGet()) before it is
// timed, and the engine and the C baseline are timed in alternating rounds, so that the
// ratio between them is taken under the same load (see headToHead).

import { join } from 'node:path';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { routeGet, type RouteGetOutcome } from '../core/route/route-output.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import { FibLpmCompiler } from '../workers/compile/fib-lpm.js';
import { buildPoptrie } from '../workers/lpm/poptrie.js';
import { destinationRequest, FibEngine } from '../workers/fib-engine.js';
import { runC, writeAddrFile, writePrefixFile, type CBuild } from './_c-baseline.js';
import { kernelUnavailable, runKernel } from './_kernel.js';
import { buildNpmLpm, loadNpmLpm, npmQueries } from './_npm-lpm.js';
import type { Progress } from './_progress.js';
import { checksum, generateTable, prng, tableAddrs, uniformAddrs, type BenchTable } from './_tables.js';
import { compareAnswers, median, mlpsOf, quantile, settle, timeRuns } from './_harness.js';
import { applyRouteEvent, ENV_EVENTS, envEventSnapshots, fibBenchSnapshot, onlyTableQueries, routeEventPlan, valueOfAnswer, valueOfGateway, type FibBench } from './_fib-snapshot.js';
import type { Options } from './_engine-options.js';
import { ENGINE, ENGINE_JS, REFERENCE, C_BASELINE, NPM, KERNEL, type RateRow, type Workload, type EngineTableResult, type GrowthRow, type HeadToHead } from './_engine-results.js';

export interface KernelJob {
  readonly table: BenchTable;
  readonly result: EngineTableResult;
  readonly rows: RateRow[];
  readonly queries: Uint32Array;
  readonly want: Uint32Array;
}

export interface Ctx {
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

const batches = new WeakMap<Uint32Array, Map<FibEngine, { readonly addrs: Uint32Array; readonly out: Uint32Array }>>();

/**
 * The workload's addresses copied once into the engine's own memory (FibEngine.allocBatch()),
 * as the C baseline reads its addresses from its own array: the workers then answer in place.
 */
function batchIn(e: FibEngine, addrs: Uint32Array): { readonly addrs: Uint32Array; readonly out: Uint32Array } {
  let m = batches.get(addrs);
  if (m === undefined) batches.set(addrs, (m = new Map()));
  let b = m.get(e);
  if (b === undefined) {
    b = e.allocBatch(addrs.length);
    b.addrs.set(addrs);
    m.set(e, b);
  }
  return b;
}

/** Publishes `s` on every engine (compiled once: they share the compiler). */
export function publishAll(ctx: Ctx, s: FibSnapshot): void {
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

/**
 * Checks the engine on the main thread (and times it there) and on each worker count; times
 * the workers too unless `timeWorkers` is false (headToHead times them against C).
 */
async function engineRows(ctx: Ctx, addrs: Uint32Array, want: readonly RouteGetOutcome[], rows: RateRow[], label: string, timeWorkers = true): Promise<Uint32Array> {
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
    const b = batchIn(e, addrs);
    await e.lookup(b.addrs, b.out);
    const chk = checkEngine(e, addrs, b.out, want, 'sample');
    const all = compareAnswers(b.out, codes, 'all codes vs the main thread');
    const ok = chk.ok && all.ok;
    const r = ok && timeWorkers ? await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, o.minMs) : null;
    rows.push({ competitor: ENGINE, threads: n, mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: `${chk.text}; ${all.text}`, ...(ok ? {} : { note: 'answers differ: not timed' }) });
  }
  return codes;
}

function cRow(ctx: Ctx, prefixFile: string, addrs: Uint32Array, values: Uint32Array, wantValues: Uint32Array, tag: string): { row: RateRow; buildMs: number | null; addrFile: string | null } {
  if (!('binary' in ctx.c)) return { row: { competitor: C_BASELINE, threads: 1, mlps: null, checked: 'skipped', note: ctx.c.skipped }, buildMs: null, addrFile: null };
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
    addrFile: ok ? addrFile : null,
  };
}

/** Times the checked worker rows on their own (when there is no C baseline to alternate with). */
async function timeWorkers(ctx: Ctx, addrs: Uint32Array, rows: RateRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.competitor !== ENGINE || row.threads === 'main' || row.note !== undefined) continue;
    const e = ctx.engines.get(row.threads)!;
    const b = batchIn(e, addrs);
    const r = await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, ctx.o.minMs);
    rows[i] = { ...row, mlps: r.mlps, mlpsMedian: r.mlpsMedian };
  }
}

/**
 * The engine on each worker count and the C baseline, timed in `rounds` alternating rounds
 * (engine on 1 worker, on 2, ..., then C), each competitor's fastest pass of >= minMs per
 * round. Load from other processes on a shared machine comes and goes within seconds; the
 * ratio of two rates measured in the same round shares it, and the median over rounds
 * leaves out the rounds it hit hardest. Replaces the rows' rates with the medians.
 */
async function headToHead(ctx: Ctx, addrs: Uint32Array, prefixFile: string, addrFile: string, rows: RateRow[], label: string): Promise<HeadToHead | null> {
  const { o, p } = ctx;
  if (!('binary' in ctx.c)) return null;
  const threads = o.threads.filter((n) => rows.some((r) => r.competitor === ENGINE && r.threads === n && r.note === undefined));
  const cRowAt = rows.findIndex((r) => r.competitor === C_BASELINE && r.mlps !== null);
  if (threads.length === 0 || cRowAt < 0) return null;
  const engine: Record<string, number[]> = {};
  const c: number[] = [];
  const load: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    p.step(`${label}: engine vs C, round ${r + 1} of ${o.rounds}`);
    load.push(Math.round((loadavg()[0] ?? 0) * 100) / 100);
    for (const n of threads) {
      const e = ctx.engines.get(n)!;
      const b = batchIn(e, addrs);
      const rate = await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, o.minMs);
      (engine[String(n)] ??= []).push(rate.mlps);
    }
    c.push(runC(ctx.c.binary, prefixFile, addrFile, o.minMs / 1000, 0).bestLookupsPerSec / 1e6);
  }
  const ratios: Record<string, number[]> = {};
  const ratioMedian: Record<string, number> = {};
  for (const n of threads) {
    const xs = engine[String(n)]!;
    ratios[String(n)] = xs.map((x, i) => x / c[i]!);
    ratioMedian[String(n)] = median(ratios[String(n)]!);
    const at = rows.findIndex((row) => row.competitor === ENGINE && row.threads === n);
    rows[at] = { ...rows[at]!, mlps: median(xs), mlpsMedian: median(xs) };
  }
  rows[cRowAt] = { ...rows[cRowAt]!, mlps: median(c), mlpsMedian: median(c) };
  return { rounds: o.rounds, minMs: o.minMs, loadAverage1m: load, engine, c, ratios, ratioMedian };
}

/** Benchmarks one table: snapshot, compiles, workloads, competitors, incremental events. */
export async function benchTable(ctx: Ctx, bt: BenchTable): Promise<EngineTableResult> {
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
    const codes = await engineRows(ctx, addrs, want, rows, label, false);
    const values = engineValues(anyEngine, codes);
    p.step(`${label}: C baseline`);
    const c = cRow(ctx, prefixFile, addrs, values, wantValues, `${bt.name}-${kind}`);
    cBuildMs = c.buildMs;
    rows.push(c.row);
    const h2h = c.addrFile === null ? null : await headToHead(ctx, addrs, prefixFile, c.addrFile, rows, label);
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
    if (h2h === null) await timeWorkers(ctx, addrs, rows);
    result.workloads.push({ addresses: kind, count: addrs.length, rows, ...(h2h === null ? {} : { headToHead: h2h }) });
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

export async function benchGrowth(ctx: Ctx, sizes: readonly number[], done: Map<number, EngineTableResult>): Promise<GrowthRow[]> {
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
export function runKernelJobs(ctx: Ctx): void {
  const why = ctx.o.kernel ? kernelUnavailable() : 'kernel skipped (--no-kernel)';
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
