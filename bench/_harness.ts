// Timing helpers shared by the benchmarks: whole-batch throughput (the fastest and median
// of repeated passes), order statistics, a forced garbage collection before timed compiles,
// and a description of the machine a result came from.
//
// Why: on a small shared machine other processes and a collection of the benchmark's own
// big heap (a million-route snapshot) disturb single timings; the fastest of several passes
// is robust to both, the median shows the rest, and results are only comparable with the
// machine they came from.

import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

/** The median (lower middle) of xs, NaN when empty. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

/** The q-quantile of xs (nearest rank), NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}

/** Million lookups per second: the fastest pass and the median pass. */
export interface Rate {
  readonly mlps: number;
  readonly mlpsMedian: number;
  readonly passes: number;
}

/** Times passes over `n` lookups for at least minMs (and 3 passes), after one warm-up pass. */
export async function mlpsOf(run: () => void | Promise<void>, n: number, minMs: number): Promise<Rate> {
  await run();
  const rates: number[] = [];
  const t0 = performance.now();
  do {
    const a = performance.now();
    await run();
    rates.push(n / ((performance.now() - a) * 1000));
  } while (performance.now() - t0 < minMs || rates.length < 3);
  return { mlps: Math.max(...rates), mlpsMedian: median(rates), passes: rates.length };
}

/** V8's gc() (the --expose-gc extension): a full collection, or a young-generation one with { type: 'minor' }. */
type GcFn = (options?: { readonly type: 'minor' | 'major' }) => void;
let gcFn: GcFn | null | undefined;

/** Runs a garbage collection when the runtime allows it (no-op otherwise): full unless `minor`. */
export function collectGarbage(minor = false): void {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f: unknown = runInNewContext('gc');
      gcFn = typeof f === 'function' ? (f as GcFn) : null;
    } catch {
      gcFn = null;
    }
  }
  if (minor) gcFn?.({ type: 'minor' });
  else gcFn?.();
}

/**
 * A full collection, then a pause for its concurrent sweeping to finish: timing right after
 * a forced collection of a big heap measures the sweeper competing for the cores (on two
 * cores a compile then takes 3-4x as long). Then a young-generation collection: V8 leaves
 * part of a full collection's work to the main thread's next allocation that needs it,
 * however long the pause (with the full table loaded, ~2 ms landed in a random later
 * timed event, 1 in 3 of device-events' timings in session 17, none with
 * --no-concurrent-sweeping or with this scavenge); the scavenge does it before the timing.
 */
export async function settle(ms = 400): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  collectGarbage(true);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Times `fn` `runs` times, each after settle(): median, min, all (ms). */
export async function timeRuns(fn: () => unknown, runs: number): Promise<{ readonly median: number; readonly min: number; readonly runs: readonly number[] }> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    await settle();
    const a = performance.now();
    fn();
    ts.push(performance.now() - a);
  }
  return { median: median(ts), min: Math.min(...ts), runs: ts };
}

/** "all N equal" or the count of differences (the first shown). */
export function compareAnswers(got: ArrayLike<number>, want: ArrayLike<number>, what: string): { readonly ok: boolean; readonly text: string } {
  let bad = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) {
      if (first < 0) first = i;
      bad++;
    }
  }
  if (bad === 0) return { ok: true, text: `${what}: all ${want.length} equal the reference's` };
  return { ok: false, text: `${what}: ${bad} of ${want.length} differ from the reference's (first at #${first}: ${got[first]} vs ${want[first]}); not timed` };
}

/** The machine a result came from. */
export function machineInfo(extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    os: `${process.platform} ${release()}`,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    ...extra,
  };
}

/** a / b, or null when either is unknown or b is 0. */
export function ratio(a: number | null, b: number | null): number | null {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

/** The rate (million lookups/s) a workload measured for a competitor on some threads, or null. */
export function rateOf(
  w: { readonly rows: readonly { readonly competitor: string; readonly threads: number | 'main'; readonly mlps: number | null }[] },
  competitor: string,
  threads: number | 'main',
): number | null {
  return w.rows.find((r) => r.competitor === competitor && r.threads === threads)?.mlps ?? null;
}
