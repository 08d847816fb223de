// One table of the engine benchmark (engine.bench.ts): the snapshot, its compiles, and per
// workload the engine against the reference, C, npm and the kernel (the rows:
// _engine-rows.ts); then the incremental compiles, and the kernel's runs last.
//
// Why: every competitor is checked against the reference lookup (routeGet()) before it is
// timed; the kernel is asked after every other timing (see runKernelJobs).

import { join } from 'node:path';
import { routeGet, type RouteGetOutcome } from '../core/route/route-output.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import { FibLpmCompiler } from '../workers/compile/fib-lpm.js';
import { buildPoptrie } from '../workers/lpm/poptrie.js';
import { destinationRequest, type FibEngine } from '../workers/fib-engine.js';
import { writePrefixFile } from './_c-baseline.js';
import { kernelUnavailable, runKernel } from './_kernel.js';
import { buildNpmLpm, loadNpmLpm, npmQueries } from './_npm-lpm.js';
import type { BenchTable } from './_tables.js';
import { compareAnswers, median, mlpsOf, quantile, settle, timeRuns } from './_harness.js';
import { applyRouteEvent, ENV_EVENTS, envEventSnapshots, fibBenchSnapshot, routeEventPlan, valueOfAnswer, type FibBench } from './_fib-snapshot.js';
import { REFERENCE, NPM, KERNEL, type RateRow, type EngineTableResult } from './_engine-results.js';
import { checkEngine, cRow, engineRows, engineValues, headToHead, publishAll, timeWorkers, workloadAddrs, type Ctx, type KernelJob } from './_engine-rows.js';

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
    const h2h = c.addrFile === null ? null : await headToHead(ctx, s, addrs, values, prefixFile, c.addrFile, rows, label);
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
