// The engine benchmark's options (engine.bench.ts): defaults, the --quick run, and the
// command line.
//
// Why: `kfib bench` (cli/bench-cmd.ts) and `node dist/bench/engine.bench.js` take the same
// arguments, and the results record the command that made them.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What to run; every field has a default (see DEFAULTS). */
export interface EngineBenchOptions {
  /** The real table, "a.b.c.d/len" per line (default ../shared/data/ipv4-fulltable-iprbench.txt). */
  readonly tablePath?: string;
  /** Where engine.json and engine.svg go (default bench/results). */
  readonly outDir?: string;
  /** Also the generated table and the growth rows (default true; --no-generated: the real table only). */
  readonly generated?: boolean;
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
  /** Alternating rounds of the engine on each worker count and C (default 5). */
  readonly rounds?: number;
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

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULTS = {
  tablePath: resolve(REPO, '..', 'shared', 'data', 'ipv4-fulltable-iprbench.txt'),
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
  generatedPrefixes: 100_000,
  growthSizes: [10_000, 100_000],
  addresses: 1 << 20,
  minMs: 300,
  rounds: 2,
  events: 200,
  compileRuns: 2,
  referenceSample: 5000,
  kernelQueries: 2000,
  npmQueries: 2000,
};

/** How this run was started: `node dist/bench/engine.bench.js …` or `kfib bench …`. */
export function commandLine(): string {
  const script = process.argv[1] ?? '';
  const args = script.endsWith('engine.bench.js') ? process.argv.slice(2) : process.argv.slice(3);
  return `${script.endsWith('engine.bench.js') ? 'node dist/bench/engine.bench.js' : 'kfib bench'} ${args.join(' ')}`.trim();
}

/** Parses the command line (see the header); throws an Error naming a bad argument. */
export function parseEngineBenchArgs(argv: readonly string[]): EngineBenchOptions {
  let o: EngineBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`Cannot parse arguments: ${a} needs a value`);
      return v;
    };
    const num = (what: string): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`Cannot parse arguments: ${what} must be a positive number: got ${v}`);
      return n;
    };
    switch (a) {
      case '--quick':
        o = { ...o, ...QUICK };
        break;
      case '--out':
        o = { ...o, outDir: resolve(value()) };
        break;
      case '--table':
        o = { ...o, tablePath: resolve(value()) };
        break;
      case '--threads': {
        const v = value();
        const ts = v.split(',').map(Number);
        if (ts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`Cannot parse arguments: --threads must be positive integers separated by commas: got ${v}`);
        o = { ...o, threads: ts };
        break;
      }
      case '--min-ms':
        o = { ...o, minMs: num('--min-ms') };
        break;
      case '--rounds':
        o = { ...o, rounds: Math.ceil(num('--rounds')) };
        break;
      case '--events':
        o = { ...o, events: num('--events') };
        break;
      case '--no-generated':
        o = { ...o, generated: false };
        break;
      case '--no-kernel':
        o = { ...o, kernel: false };
        break;
      case '--no-c':
        o = { ...o, c: false };
        break;
      case '--no-npm':
        o = { ...o, npm: false };
        break;
      case '--no-progress':
        o = { ...o, progress: false };
        break;
      default:
        throw new Error(`Cannot parse arguments: unknown option ${a}`);
    }
  }
  return o;
}
