// The LPM benchmark's options (lpm.bench.ts): defaults, the --quick run, and the command
// line.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupBenchSettings, type LookupBenchValues } from './_bench-args.js';

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

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULTS = {
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

/** The options of a parsed command line (bench/_bench-args.ts); throws an Error naming a bad value. */
export function lpmBenchOptions(v: LookupBenchValues): BenchOptions {
  const { quick, events: _events, write, ...rest } = lookupBenchSettings(v);
  return { ...(quick ? QUICK : {}), ...rest, ...(write === undefined ? {} : { write }), ...(v['no-benchmarkjs'] ? { benchmarkJs: false } : {}) };
}
