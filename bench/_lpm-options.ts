// The LPM benchmark's options (lpm.bench.ts): defaults, the --quick run, and the command
// line.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupBenchSettings, type LookupBenchValues } from './_bench-args.js';
import type { LookupBenchCommon } from './_lookup-bench.js';

/** What to run; every field has a default (see DEFAULTS). */
export interface BenchOptions extends LookupBenchCommon {
  /** The real table, "a.b.c.d/len" per line (default ../shared/data/ipv4-fulltable-iprbench.txt). */
  readonly tablePath?: string;
  /** Route events timed one by one for the incremental-update figure (default 1000). */
  readonly updates?: number;
  readonly benchmarkJs?: boolean;
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
