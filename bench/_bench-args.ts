// The options of the lookup benchmarks, declared once with the CLI's command helper
// (cli/command.ts) and shared by `kfib bench`, `node dist/bench/engine.bench.js` and
// `node dist/bench/lpm.bench.js`.

import { resolve } from 'node:path';
import { defineCommand, parseCommand, usageError, type Values } from '../cli/command.js';

export const LOOKUP_BENCH_OPTIONS = {
  quick: {
    type: 'boolean',
    help: `a smoke test in well under 30 s: generated tables of 20k and 100k
prefixes, 2^18 addresses, no real table, no kernel (unless --kernel);
writes no results unless --out is given`,
  },
  out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results; with --quick: none)' },
  table: { type: 'string', arg: 'FILE', help: 'the real table, "a.b.c.d/len" per line' },
  threads: { type: 'string', arg: 'LIST', help: 'worker counts, e.g. 1,2 (default 1..number of cores)' },
  'min-ms': { type: 'string', arg: 'N', help: 'least time per throughput measurement (default 1000)' },
  events: { type: 'string', arg: 'N', help: 'route events timed for the incremental figure (default 1000)' },
  kernel: { type: 'boolean', help: 'ask the kernel too in a --quick run' },
  'no-kernel': { type: 'boolean', help: 'skip the kernel' },
  'no-c': { type: 'boolean', help: 'skip the C baseline' },
  'no-npm': { type: 'boolean', help: 'skip the npm package' },
  'no-benchmarkjs': { type: 'boolean', help: 'skip the Benchmark.js timing (lpm bench only)' },
  'no-progress': { type: 'boolean', help: 'no progress display' },
} as const;

/** The command of a lookup bench run directly (`node dist/bench/NAME.bench.js`). */
function lookupBenchCommand(script: string, about: string) {
  return defineCommand({
    name: `node dist/bench/${script}`,
    usage: `node dist/bench/${script} [OPTIONS]`,
    about,
    options: LOOKUP_BENCH_OPTIONS,
    positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
    exit: '0; 1 when the run failed; 2 on bad arguments.',
  });
}

export const ENGINE_BENCH_COMMAND = lookupBenchCommand('engine.bench.js', 'The engine benchmark; the same as kfib bench (see kfib bench --help).');
export const LPM_BENCH_COMMAND = lookupBenchCommand('lpm.bench.js', 'The raw LPM benchmark; the same as kfib bench --lpm (see kfib bench --help).');

/**
 * The main of a lookup bench run directly: parse argv with the command helper, then run;
 * a bad value is a usage error (exit 2), a failed run exit 1 with its stack.
 */
export function runLookupBenchMain<O>(command: typeof ENGINE_BENCH_COMMAND, options: (v: LookupBenchValues) => O, run: (o: O) => Promise<unknown>): void {
  const parsed = parseCommand(command, process.argv.slice(2));
  if (parsed.kind === 'exit') {
    process.exitCode = parsed.code;
    return;
  }
  let o: O;
  try {
    o = options(parsed.values);
  } catch (err) {
    process.exitCode = usageError(command.name, err instanceof Error ? err.message : String(err));
    return;
  }
  run(o).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  });
}

export type LookupBenchValues = Values<typeof LOOKUP_BENCH_OPTIONS>;

/** The common settings of both lookup benches, from parsed values; throws on a bad number. */
export function lookupBenchSettings(v: LookupBenchValues): {
  readonly quick: boolean;
  readonly outDir?: string;
  readonly write?: boolean;
  readonly tablePath?: string;
  readonly threads?: readonly number[];
  readonly minMs?: number;
  readonly events?: number;
  readonly kernel?: boolean;
  readonly c?: boolean;
  readonly npm?: boolean;
  readonly progress?: boolean;
} {
  const num = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number: got ${text}`);
    return n;
  };
  let threads: number[] | undefined;
  if (v.threads !== undefined) {
    threads = v.threads.split(',').map(Number);
    if (threads.some((t) => !Number.isInteger(t) || t < 1)) throw new Error(`--threads must be positive integers separated by commas: got ${v.threads}`);
  }
  const minMs = num('min-ms', v['min-ms']);
  const events = num('events', v.events);
  // --quick asks no kernel unless --kernel; a full run asks it unless --no-kernel.
  const kernel = v['no-kernel'] ? false : v.quick ? v.kernel : undefined;
  return {
    quick: v.quick,
    ...(v.out === undefined ? (v.quick ? { write: false } : {}) : { outDir: resolve(v.out) }),
    ...(v.table === undefined ? {} : { tablePath: resolve(v.table) }),
    ...(threads === undefined ? {} : { threads }),
    ...(minMs === undefined ? {} : { minMs }),
    ...(events === undefined ? {} : { events }),
    ...(kernel === undefined ? {} : { kernel }),
    ...(v['no-c'] ? { c: false } : {}),
    ...(v['no-npm'] ? { npm: false } : {}),
    ...(v['no-progress'] ? { progress: false } : {}),
  };
}
