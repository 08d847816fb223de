// The engine benchmark's options (engine.bench.ts): defaults, the --quick run, and the
// command line.
//
// Why: `kfib bench` (cli/bench-cmd.ts) and `node dist/bench/engine.bench.js` take the same
// arguments, and the results record the command that made them.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupBenchSettings, type LookupBenchValues } from './_bench-args.js';
import type { LookupBenchCommon } from './_lookup-bench.js';

/** What to run; every field has a default (see DEFAULTS). */
export interface EngineBenchOptions extends LookupBenchCommon {
  /** The real table, "a.b.c.d/len" per line (default ../shared/data/ipv4-fulltable-iprbench.txt); null: none (--quick). */
  readonly tablePath?: string | null;
  /** Also the generated table and the growth rows (default true; --no-generated: the real table only). */
  readonly generated?: boolean;
  /** Alternating rounds of the engine on each worker count and C (default 5). */
  readonly rounds?: number;
  /** Route events timed one by one for the incremental figure (default 1000). */
  readonly events?: number;
  /** Cold compiles timed per table (default 5), after the first of the process (timed apart). */
  readonly compileRuns?: number;
  /** Addresses checked against routeGet() per workload (default 20,000). */
  readonly referenceSample?: number;
}

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_TABLE = resolve(REPO, '..', 'shared', 'data', 'ipv4-fulltable-iprbench.txt');

export const DEFAULTS = {
  tablePath: DEFAULT_TABLE as string | null,
  outDir: join(REPO, 'bench', 'results'),
  generated: true,
  generatedPrefixes: 1_000_000,
  growthSizes: [10_000, 100_000, 1_000_000] as readonly number[],
  addresses: 1 << 22,
  threads: Array.from({ length: availableParallelism() }, (_, i) => i + 1) as readonly number[],
  minMs: 1000,
  rounds: 5,
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

export type Options = typeof DEFAULTS;

/** The smaller run of `--quick` (a smoke test of the whole harness). */
export const QUICK: EngineBenchOptions = {
  tablePath: null,
  generatedPrefixes: 100_000,
  growthSizes: [20_000, 100_000],
  addresses: 1 << 18,
  minMs: 150,
  rounds: 2,
  events: 100,
  compileRuns: 2,
  referenceSample: 2000,
  kernel: false,
  kernelQueries: 2000,
  npmQueries: 2000,
};

/** How this run was started: `node dist/bench/engine.bench.js …` or `kfib bench …`. */
export function commandLine(): string {
  const script = process.argv[1] ?? '';
  const args = script.endsWith('engine.bench.js') ? process.argv.slice(2) : process.argv.slice(3);
  return `${script.endsWith('engine.bench.js') ? 'node dist/bench/engine.bench.js' : 'kfib bench'} ${args.join(' ')}`.trim();
}

/** The options of a parsed command line (bench/_bench-args.ts); throws an Error naming a bad value. */
export function engineBenchOptions(v: LookupBenchValues): EngineBenchOptions {
  const { quick, ...rest } = lookupBenchSettings(v);
  const rounds = v.rounds === undefined ? undefined : Number(v.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) throw new Error(`--rounds must be a positive integer: got ${v.rounds}`);
  return {
    ...(quick ? QUICK : {}),
    ...rest,
    ...(rounds === undefined ? {} : { rounds }),
    ...(v['no-generated'] ? { generated: false } : {}),
  };
}
