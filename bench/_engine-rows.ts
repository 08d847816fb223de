// The competitors' rows on one workload of the engine benchmark (_engine-table.ts): the
// workload's addresses, the engine on the main thread and on each worker count, the C
// baseline, and the alternating rounds of the engine against C.
//
// Why: every competitor is checked against the reference lookup (routeGet()) before it is
// timed, and the engine and the C baseline are timed in alternating rounds, so that the
// ratio between them is taken under the same load (see headToHead).

import { join } from 'node:path';
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { RouteGetOutcome } from '../core/route/route-output.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import { FibLpmCompiler } from '../workers/compile/fib-lpm.js';
import { FibEngine } from '../workers/fib-engine.js';
import { runC, writeAddrFile, type CBuild } from './_c-baseline.js';
import type { Progress } from './_progress.js';
import { checksum, prng, tableAddrs, uniformAddrs, type BenchTable } from './_tables.js';
import { compareAnswers, median, mlpsOf } from './_harness.js';
import { onlyTableQueries, valueOfGateway } from './_fib-snapshot.js';
import type { Options } from './_engine-options.js';
import { ENGINE, ENGINE_JS, C_BASELINE, type RateRow, type Workload, type EngineTableResult, type HeadToHead } from './_engine-results.js';

export interface KernelJob {
  readonly table: BenchTable;
  readonly result: EngineTableResult;
  readonly rows: RateRow[];
  readonly queries: Uint32Array;
  readonly want: Uint32Array;
}

export interface Ctx {
  readonly o: Options;
  readonly p: Progress;
  readonly dir: string;
  readonly c: CBuild;
  readonly compiler: FibLpmCompiler;
  /** One engine per worker count, all sharing `compiler`. */
  readonly engines: Map<number, FibEngine>;
  readonly notes: string[];
  readonly kernelJobs: KernelJob[];
}

/** Addresses of a workload, none in the host's own ranges (see tableQuery). */
export function workloadAddrs(kind: Workload['addresses'], t: BenchTable, n: number, seed: number): Uint32Array {
  const rnd = prng(seed ^ 0x5bd1e995);
  const a = kind === 'table-drawn' ? tableAddrs(t, n, seed) : uniformAddrs(n, seed);
  return onlyTableQueries(a, () => {
    if (kind === 'uniform') return rnd();
    const e = t.entries[rnd() % t.entries.length]!;
    const host = e.len === 32 ? 0 : rnd() & ((2 ** (32 - e.len)) - 1);
    return (e.prefix + host) >>> 0;
  });
}

const batches = new WeakMap<Uint32Array, Map<FibEngine, { readonly addrs: Uint32Array; readonly out: Uint32Array }>>();

/**
 * The workload's addresses copied once into the engine's own memory (FibEngine.allocBatch()),
 * as the C baseline reads its addresses from its own array: the workers then answer in place.
 */
function batchIn(e: FibEngine, addrs: Uint32Array): { readonly addrs: Uint32Array; readonly out: Uint32Array } {
  let m = batches.get(addrs);
  if (m === undefined) batches.set(addrs, (m = new Map()));
  let b = m.get(e);
  if (b === undefined) {
    b = e.allocBatch(addrs.length);
    b.addrs.set(addrs);
    m.set(e, b);
  }
  return b;
}

/** Publishes `s` on every engine (compiled once: they share the compiler). */
export function publishAll(ctx: Ctx, s: FibSnapshot): void {
  for (const e of ctx.engines.values()) e.publish(s);
}

/** The engine's answers mapped to the competitors' values (gateway index + 1, or 0). */
export function engineValues(engine: FibEngine, codes: Uint32Array): Uint32Array {
  const byCode = new Map<number, number>();
  const out = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    let v = byCode.get(c);
    if (v === undefined) {
      const o = engine.outcome(c);
      v = o.kind === 'route' ? valueOfGateway(o.gateway) : 0;
      byCode.set(c, v);
    }
    out[i] = v;
  }
  return out;
}

/** Checks decoded codes against the reference's answers, field by field. */
export function checkEngine(engine: FibEngine, addrs: Uint32Array, codes: Uint32Array, want: readonly RouteGetOutcome[], what: string): { ok: boolean; text: string } {
  for (let i = 0; i < want.length; i++) {
    const got = engine.decode(codes[i]!, addrs[i]!);
    if (!isDeepStrictEqual(got, want[i])) {
      return { ok: false, text: `${what}: answer #${i} differs from routeGet(): ${JSON.stringify(got)} vs ${JSON.stringify(want[i])}; not timed` };
    }
  }
  return { ok: true, text: `${what}: the first ${want.length} answers deep-equal routeGet()'s` };
}

/**
 * Checks the engine on the main thread (and times it there) and on each worker count; times
 * the workers too unless `timeWorkers` is false (headToHead times them against C).
 */
export async function engineRows(ctx: Ctx, addrs: Uint32Array, want: readonly RouteGetOutcome[], rows: RateRow[], label: string, timeWorkers = true): Promise<Uint32Array> {
  const { o, p } = ctx;
  const maxT = Math.max(...o.threads);
  const main = ctx.engines.get(maxT)!;
  p.step(`${label}: engine on the main thread`);
  const out = new Uint32Array(new SharedArrayBuffer(addrs.length * 4));
  main.lookupHere(addrs, out, 'js');
  const js = checkEngine(main, addrs, out, want, 'sample');
  const codes = out.slice();
  for (const kernel of ['wasm', 'js'] as const) {
    main.lookupHere(addrs, out, kernel);
    const chk = kernel === 'js' ? js : compareAnswers(out, codes, 'codes vs the js loop');
    const ok = js.ok && chk.ok;
    const r = ok ? await mlpsOf(() => void main.lookupHere(addrs, out, kernel), addrs.length, o.minMs) : null;
    rows.push({ competitor: kernel === 'wasm' ? ENGINE : ENGINE_JS, threads: 'main', mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: ok ? js.text : `${js.text}; ${chk.text}` });
  }
  for (const n of o.threads) {
    p.step(`${label}: engine on ${n} worker${n > 1 ? 's' : ''}`);
    const e = ctx.engines.get(n)!;
    const b = batchIn(e, addrs);
    await e.lookup(b.addrs, b.out);
    const chk = checkEngine(e, addrs, b.out, want, 'sample');
    const all = compareAnswers(b.out, codes, 'all codes vs the main thread');
    const ok = chk.ok && all.ok;
    const r = ok && timeWorkers ? await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, o.minMs) : null;
    rows.push({ competitor: ENGINE, threads: n, mlps: r?.mlps ?? null, mlpsMedian: r?.mlpsMedian ?? null, checked: `${chk.text}; ${all.text}`, ...(ok ? {} : { note: 'answers differ: not timed' }) });
  }
  return codes;
}

export function cRow(ctx: Ctx, prefixFile: string, addrs: Uint32Array, values: Uint32Array, wantValues: Uint32Array, tag: string): { row: RateRow; buildMs: number | null; addrFile: string | null } {
  if (!('binary' in ctx.c)) return { row: { competitor: C_BASELINE, threads: 1, mlps: null, checked: 'skipped', note: ctx.c.skipped }, buildMs: null, addrFile: null };
  const addrFile = join(ctx.dir, `addrs-${tag}.bin`);
  writeAddrFile(addrFile, addrs);
  const r = runC(ctx.c.binary, prefixFile, addrFile, ctx.o.minMs / 1000, wantValues.length);
  const first = compareAnswers(r.first, wantValues, `the first ${wantValues.length} answers (gateway index)`);
  const sumOk = r.checksum === checksum(values);
  const ok = first.ok && sumOk;
  return {
    row: {
      competitor: C_BASELINE,
      threads: 1,
      mlps: ok ? r.bestLookupsPerSec / 1e6 : null,
      mlpsMedian: ok ? r.lookupsPerSec / 1e6 : null,
      checked: `${first.text}; checksum over all ${addrs.length} ${sumOk ? 'equals' : 'differs from'} the engine's`,
    },
    buildMs: r.buildMs,
    addrFile: ok ? addrFile : null,
  };
}

/** Times the checked worker rows on their own (when there is no C baseline to alternate with). */
export async function timeWorkers(ctx: Ctx, addrs: Uint32Array, rows: RateRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.competitor !== ENGINE || row.threads === 'main' || row.note !== undefined) continue;
    const e = ctx.engines.get(row.threads)!;
    const b = batchIn(e, addrs);
    const r = await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, ctx.o.minMs);
    rows[i] = { ...row, mlps: r.mlps, mlpsMedian: r.mlpsMedian };
  }
}

/**
 * The engine on each worker count and the C baseline, timed in `rounds` alternating rounds
 * (engine on 1 worker, on 2, ..., then C), each competitor's fastest pass of >= minMs per
 * round. Load from other processes on a shared machine comes and goes within seconds; the
 * ratio of two rates measured in the same round shares it, and the median over rounds
 * leaves out the rounds it hit hardest. Replaces the rows' rates with the medians.
 *
 * Each round the engine is compiled afresh (a new FibEngine with its own compiler, so a new
 * WebAssembly memory), as C runs in a new process with a new table each round. Why: on a VM
 * the same lookups run up to 2.3x faster or slower from one placement of a 32-64 MiB table in
 * memory to the next (the same C binary ran at 121-281 M/s from process to process). An
 * engine placed once per run drew one placement against C's five, and its ratio followed that
 * draw; now both sides draw one placement per round. Each fresh engine's answers are checked
 * over every address (gateway values equal to the checked engine's) before it is timed.
 */
export async function headToHead(ctx: Ctx, s: FibSnapshot, addrs: Uint32Array, values: Uint32Array, prefixFile: string, addrFile: string, rows: RateRow[], label: string): Promise<HeadToHead | null> {
  const { o, p } = ctx;
  if (!('binary' in ctx.c)) return null;
  const threads = o.threads.filter((n) => rows.some((r) => r.competitor === ENGINE && r.threads === n && r.note === undefined));
  const cRowAt = rows.findIndex((r) => r.competitor === C_BASELINE && r.mlps !== null);
  if (threads.length === 0 || cRowAt < 0) return null;
  const engine: Record<string, number[]> = {};
  const c: number[] = [];
  const load: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    p.step(`${label}: engine vs C, round ${r + 1} of ${o.rounds}`);
    load.push(Math.round((loadavg()[0] ?? 0) * 100) / 100);
    for (const n of threads) {
      const e = new FibEngine({ threads: n, compiler: new FibLpmCompiler(), prepare: 'lazy' });
      try {
        e.publish(s);
        const b = e.allocBatch(addrs.length);
        b.addrs.set(addrs);
        await e.lookup(b.addrs, b.out);
        const chk = compareAnswers(engineValues(e, b.out), values, `round ${r + 1}, ${n} worker(s): every answer (gateway index) vs the checked engine`);
        if (!chk.ok) throw new Error(`${label}: ${chk.text}`);
        const rate = await mlpsOf(() => e.lookup(b.addrs, b.out).then(() => undefined), addrs.length, o.minMs);
        (engine[String(n)] ??= []).push(rate.mlps);
      } finally {
        await e.close();
      }
    }
    c.push(runC(ctx.c.binary, prefixFile, addrFile, o.minMs / 1000, 0).bestLookupsPerSec / 1e6);
  }
  const ratios: Record<string, number[]> = {};
  const ratioMedian: Record<string, number> = {};
  for (const n of threads) {
    const xs = engine[String(n)]!;
    ratios[String(n)] = xs.map((x, i) => x / c[i]!);
    ratioMedian[String(n)] = median(ratios[String(n)]!);
    const at = rows.findIndex((row) => row.competitor === ENGINE && row.threads === n);
    rows[at] = { ...rows[at]!, mlps: median(xs), mlpsMedian: median(xs) };
  }
  rows[cRowAt] = { ...rows[cRowAt]!, mlps: median(c), mlpsMedian: median(c) };
  return { rounds: o.rounds, minMs: o.minMs, loadAverage1m: load, engine, c, ratios, ratioMedian };
}
