// `kfib bench`: the lookup benchmarks (bench/engine.bench.ts, and with --lpm the raw LPM
// structures of bench/lpm.bench.ts). Argv, the terminal and exit codes here; the benchmarks
// themselves are bench/. Both are loaded only when asked for, and what they need beyond
// kfib's dependencies (Benchmark.js for --lpm, the npm competitor, gcc, the real table) is
// checked first and named.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineCommand, parseCommand, usageError } from './command.js';
import { LOOKUP_BENCH_OPTIONS } from '../bench/_bench-args.js';
import { EXIT } from './exit-status.js';
import { outputDirProblem } from './io.js';
import type { EngineBenchResults } from '../bench/engine.bench.js';

export const BENCH = defineCommand({
  name: 'kfib bench',
  usage: 'kfib bench [OPTIONS]',
  about: `Measures the lookup engine (workers/fib-engine.ts) answering \`ip route get DST\` on a FIB
snapshot: a host (devices, addresses, its own routes, four policy rules) with the real
Internet table (../shared/data/ipv4-fulltable-iprbench.txt in a checkout of kfib, or
--table FILE) behind an uplink, then with a generated 1,000,000-prefix table (seed 4). In
the same run, on the same addresses: the reference lookup (routeGet), a C DIR-24-8 (gcc
-O3 -march=native; skipped without gcc), the npm package longest-prefix-match (skipped
unless installed: npm i longest-prefix-match), and the kernel's \`ip -batch route get\` in a
private network namespace (root on Linux; skipped otherwise). Every competitor is checked
against the reference on a sample before it is timed. Also: compile time, incremental
recompile per route event, bytes per route, and lookups/s by threads and as the table
grows. Progress with an ETA on stderr (on a terminal), a table of figures and ratios on
stdout; writes engine.json and engine.svg to the results folder. Takes several minutes;
--quick takes well under 30 s. Figures are ratios against the baselines of the same run.`,
  options: {
    ...LOOKUP_BENCH_OPTIONS,
    lpm: {
      type: 'boolean',
      help: `also run the raw LPM benchmark (poptrie and DIR-24-8 on prefix values;
writes lpm.json and lpm.svg); needs Benchmark.js (npm i benchmark)`,
    },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: `0 when every competitor that ran gave the reference's answers, 1 when one did
not (it is reported and not timed), 2 on bad arguments or a missing table.`,
});

/** Whether every timed row passed its check (a skipped competitor is not a failure). */
function allChecked(r: EngineBenchResults): boolean {
  return r.tables.every((t) => t.workloads.every((w) => w.rows.every((row) => row.mlps !== null || row.checked === 'skipped'))) && r.tables.every((t) => t.incremental === null || !t.incremental.checked.includes('differs'));
}

/** Whether a package can be loaded from here (a development dependency may be absent). */
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `kfib bench ARGS`; resolves to the exit status.
 *
 * @example
 *   process.exitCode = await benchMain(['--quick', '--out', '/tmp/results']);
 */
export async function benchMain(argv: readonly string[]): Promise<number> {
  const p = parseCommand(BENCH, argv);
  if (p.kind === 'exit') return p.code;
  const v = p.values;
  const badOut = v.out === undefined ? null : outputDirProblem(v.out);
  if (badOut !== null) return usageError(BENCH.name, `--out ${v.out ?? ''}: ${badOut}`);
  if (v.lpm && !installed('benchmark')) return usageError(BENCH.name, '--lpm needs Benchmark.js, a development dependency of kfib: npm i benchmark (or run from a checkout after npm ci)');
  const engine = await import('../bench/engine.bench.js');
  let options: ReturnType<typeof engine.engineBenchOptions>;
  try {
    options = engine.engineBenchOptions(v);
  } catch (err) {
    return usageError(BENCH.name, err instanceof Error ? err.message : String(err));
  }
  const table = options.tablePath === undefined ? engine.DEFAULT_TABLE : options.tablePath;
  if (table !== null && !existsSync(table)) {
    return usageError(BENCH.name, `the real table ${table} is not here (it is part of kfib's source checkout, not of the package); give one with --table FILE ("a.b.c.d/len" per line), or run --quick (generated tables only)`);
  }
  const results = await engine.runEngineBench(options);
  let ok = allChecked(results);
  if (v.lpm) {
    const lpm = await import('../bench/lpm.bench.js');
    const r = await lpm.runBench(lpm.lpmBenchOptions(v));
    ok = ok && r.tables.every((t) => t.workloads.every((w) => w.rows.every((row) => row.mlps !== null || row.checked === 'skipped')));
  }
  return ok ? EXIT.ok : EXIT.differs;
}
