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
//      [--min-ms N] [--rounds N] [--no-generated] [--no-kernel] [--no-c] [--no-npm]   (or `kfib bench`, cli/bench-cmd.ts)
// Writes DIR/engine.json and DIR/engine.svg (default bench/results/), prints a table of
// figures and ratios on stdout, and shows progress on stderr.
//
// The parts: _engine-options.ts (options, command line), _engine-table.ts (one table),
// _engine-rows.ts (the competitors' rows on one workload), _engine-growth.ts (the growth rows),
// _engine-results.ts (results, printing, chart).

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FibLpmCompiler } from '../workers/compile/fib-lpm.js';
import { FibEngine } from '../workers/fib-engine.js';
import { compileC, type CBuild } from './_c-baseline.js';
import { progress } from './_progress.js';
import { generateTable, loadTable } from './_tables.js';
import { machineInfo } from './_harness.js';
import { HOST_SCRIPT } from './_fib-snapshot.js';
import { DEFAULTS, REPO, commandLine, engineBenchOptions, type Options, type EngineBenchOptions } from './_engine-options.js';
import { ENGINE_BENCH_COMMAND, runLookupBenchMain } from './_bench-args.js';
import { printResults, svgOf, targetsOf, type EngineBenchResults, type EngineTableResult, type GrowthRow } from './_engine-results.js';
import { benchTable, runKernelJobs } from './_engine-table.js';
import { benchGrowth } from './_engine-growth.js';
import type { Ctx } from './_engine-rows.js';

export { DEFAULT_TABLE, engineBenchOptions, QUICK, type EngineBenchOptions } from './_engine-options.js';
export type { EngineBenchResults, EngineTableResult, GrowthRow, RateRow, Workload } from './_engine-results.js';
export { C_BASELINE, ENGINE, ENGINE_JS, KERNEL, NPM, REFERENCE } from './_engine-results.js';

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
  const perWorkload = 3 + o.threads.length + 2 + o.rounds;
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
    p.step(o.generated ? 'load the real table, generate the 1M table' : 'load the real table');
    const real = o.tablePath === null ? null : loadTable(o.tablePath, 'real');
    const tables: EngineTableResult[] = [];
    if (real !== null) tables.push(await benchTable(ctx, real));
    let growth: GrowthRow[] = [];
    if (o.generated) {
      const gen = generateTable(o.generatedPrefixes, o.seed);
      const genResult = await benchTable(ctx, gen);
      tables.push(genResult);
      growth = await benchGrowth(ctx, o.growthSizes, new Map([[gen.entries.length, genResult]]));
    }
    runKernelJobs(ctx);
    notes.push(
      'addresses avoid 0/8, 127/8, 224/3 and the host\'s own subnets, so that every answer is a table route or the default route; ' +
        'the C, npm and kernel tables are the accepted routes with value = gateway index + 1, checked against the gateway routeGet() answers; ' +
        "the engine's worker rows look up a batch in the engine's own memory (FibEngine.allocBatch(), the addresses copied there once, " +
        'as the C baseline reads its own array), answered in place without copies through the workers\' scratch space',
    );
    const results: EngineBenchResults = {
      schema: 'kfib-engine-bench/1',
      date: new Date().toISOString(),
      command: commandLine(),
      machine: { ...machineAtStart, loadAverage1mAtEnd: machineInfo()['loadAverage1m'] ?? 0, compiler: 'binary' in c ? c.compiler : c.skipped },
      statistic:
        'mlps: million lookups per second in the fastest of the passes timed for at least minMs (and 3 passes), for the engine, ' +
        'the npm package and the C baseline alike (its own loop); mlpsMedian: the median pass; reference and kernel: one pass. ' +
        'The engine on worker threads and C (in workloads with headToHead): rounds alternating engine on each worker count and C, ' +
        'each the fastest pass of the round, the engine compiled afresh into new memory each round as C runs in a new process (both draw one placement of their table in memory per round); ' +
        'mlps is the median over rounds, and the ratio to C the median of the per-round ratios. ' +
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

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runLookupBenchMain(ENGINE_BENCH_COMMAND, engineBenchOptions, runEngineBench);
