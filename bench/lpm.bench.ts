// The lookup benchmark of issue 4: the compiled LPM engine (workers/lpm/, workers/) against a C
// DIR-24-8, the npm `longest-prefix-match` package and the kernel's own `ip route get`,
// on the real Internet table and on generated tables, in one run.
//
// Why: the engine exists to make fib_table_lookup()'s answers fast for lookup-heavy
// workloads; whether it does is a ratio to baselines measured side by side on this machine.
// Every competitor's answers are checked against the engine's (whose own answers are checked
// against a naive model by test/workers/lpm/) before its rate counts: a faster wrong answer does not.
//
// Run: node dist/bench/lpm.bench.js [--quick] [--out DIR] [--table FILE] [--threads 1,2]
//      [--min-ms N] [--no-kernel] [--no-c] [--no-npm] [--no-benchmarkjs]
// Writes DIR/lpm.json and DIR/lpm.svg (default bench/results/), prints a table of figures
// and ratios on stdout, and shows progress on stderr.//
// The parts: _lpm-options.ts, _lpm-table.ts (one table), _lpm-results.ts (results, printing, chart).

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LookupPool } from '../workers/lookup-pool.js';
import { compileC, type CBuild } from './_c-baseline.js';
import { progress } from './_progress.js';
import { generateTable, loadTable } from './_tables.js';
import { DEFAULTS, REPO, lpmBenchOptions, type BenchOptions } from './_lpm-options.js';
import { LPM_BENCH_COMMAND, runLookupBenchMain } from './_bench-args.js';
import { printResults, svgOf, targets, type BenchResults } from './_lpm-results.js';
import { machine, benchTable, benchGrowth, runKernelJobs, singleLookups, type Ctx } from './_lpm-table.js';

export { lpmBenchOptions, QUICK, type BenchOptions } from './_lpm-options.js';
export type { BenchResults, GrowthRow, RateRow, StructureResult, TableResult, Workload } from './_lpm-results.js';

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
    notes.push('raw LPM structures on prefix values, checked against each other and a naive model (test/workers/lpm/); the FIB engine on snapshots, checked against the reference routeGet(), is bench/engine.bench.ts (kfib bench)');
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

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) runLookupBenchMain(LPM_BENCH_COMMAND, lpmBenchOptions, runBench);
