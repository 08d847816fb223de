// The replay benchmark of issue 5: decoding and replaying rtmon traces through the model
// (core/trace/rtmon.ts + core/replay/), against the kernel's own route install rate
// measured in the same run (`ip -batch` into a fresh `unshare -n` namespace).
//
// Why: a replay is useful on incident captures only if it is much faster than the kernel
// that produced them; the goal is at least 25x the kernel's install rate, and with time
// travel on at least 10x in at most 512 MiB, any instant then answered in under 10 ms. Time
// travel is a checkpoint index (core/replay/checkpoint-index.ts: a checkpoint every K steps,
// the events in between packed), not a snapshot per event (2.1 GiB for 1M route events).
//
// Workloads:
// - ../shared/traces/08-batch-5000-routes end to end (before.json, trace.rtmon);
// - a generated trace of 1,000,000 route events on the full table
//   (../shared/data/ipv4-fulltable-iprbench.txt): every prefix added as `dev v0`, then
//   deletions and re-additions of random prefixes up to 1,000,000 events.
// Each replay runs in a child process, with and without time travel, so that peak
// memory (maxRSS) is its own; the main figure replays without --explain and --check
// (causes applied, consequences matched), one more run adds --check. With time travel the
// child then asks the index for 2,050 instants (the state there and `ip route get`): 1,000 of
// the worst kind (the step just before a checkpoint) and 1,000 random, after a full garbage
// collection and 50 not counted (see askInstants).
// Needs root for the kernel baseline (skipped otherwise).
//
// Run: node dist/bench/replay.bench.js [--quick] [--out DIR] [--no-kernel] [--no-check] [--every K]
// Writes DIR/replay.json (default bench/results/) and prints a summary.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RtmonDecoder } from '../core/trace/rtmon.js';
import { parseIpSnapshot, type IpSnapshot } from '../core/trace/ip-json.js';
import type { LinkRecord, TraceRecord } from '../core/trace/netlink-records.js';
import { initialState } from '../core/replay/initial-state.js';
import { TraceReplayer } from '../core/replay/replayer.js';
import { CheckpointIndex, DEFAULT_CHECKPOINT_EVERY } from '../core/replay/checkpoint-index.js';
import { runCommand } from '../core/iproute2/ip-command.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import type { ReplayView } from '../core/replay/ip-json-dump.js';
import { tableRouteCount } from '../core/snapshot/fib-table.js';
import { formatPrefix, loadTable, prng } from './_tables.js';
import { collectGarbage } from './_harness.js';
import { kernelUnavailable } from './_kernel.js';
import { churnEvents, rtmonRouteTrace, type GenEvent } from './_rtmon-gen.js';
import { defineCommand, parseCommand } from '../cli/command.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared');

interface ReplayFigures {
  readonly events: number;
  readonly records: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly peakRssMiB: number;
  readonly peakHeapMiB: number;
  readonly snapshotsKept: number;
  readonly routesAtEnd: number;
  readonly findings: number;
  /** With passes > 1: the best of the later passes in the same process (code compiled). */
  readonly warmSeconds?: number;
  readonly warmEventsPerSec?: number;
  readonly passes?: number;
  /** Time travel: the checkpoint index and the time to answer an instant after it was built. */
  readonly instants?: InstantFigures;
}

/** Answering instants from the checkpoint index: its state there and `ip route get` on it. */
interface InstantFigures {
  readonly checkpointEvery: number;
  readonly checkpoints: number;
  /** Bytes of the index's packed columns (events, seq, time). */
  readonly indexBytes: number;
  /** Instants asked: the worst kind (the step before a checkpoint) and random ones. */
  readonly asked: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly worstMs: number;
  /** The same over the worst kind only. */
  readonly worstKindMedianMs: number;
}

/** Instants of each kind asked (the worst kind, then random ones): enough that a rare pause shows. */
const INSTANTS = 1000;

/** The pause after the full collection before the instants (settle() in _harness.ts: 400 ms). */
const SETTLE_MS = 400;

/**
 * Asks the index for instants, each answered as `kfib replay --at` would (the state there,
 * then `ip route get` of an address of the table): first the worst kind (the step before a
 * checkpoint: K-1 steps replayed), spread over the trace, then random steps.
 *
 * Before them the heap is settled (a full collection, then a pause for the collector's
 * concurrent sweeping, as the engine bench settles before it times a compile), then 50
 * instants warm the code up, not counted. Why: the indexing pass leaves a heap of 300 MiB
 * whose garbage the collector has not yet reclaimed; unsettled, the first ~60 instants paid
 * for it (a mark-compact of 6-13 ms, scavenges of 10-22 ms while the young generation grew
 * back, seen with a PerformanceObserver on 'gc' entries), and so did the worst instant of a
 * run, where every later instant took under 8 ms.
 */

function askInstants(idx: CheckpointIndex, every: number): InstantFigures {
  // (`every` is only recorded: checkpoints also come sooner with the change, see checkpoint-index.ts.)
  const n = idx.steps;
  const rnd = prng(11);
  collectGarbage();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS);
  const ask = (k: number): number => {
    const t0 = performance.now();
    const v = idx.stateAfter(k);
    runCommand(v.snapshot, ['ip', 'route', 'get', '8.8.8.8']);
    return performance.now() - t0;
  };
  // Warm-up (the code compiled), not counted.
  for (let i = 0; i < 50; i++) ask(rnd() % (n + 1));
  // The worst kind: the step just before a checkpoint (or the last step), the most steps to apply again.
  const ends = [...idx.checkpointSteps().slice(1).map((c) => c - 1), n];
  const worst: number[] = [];
  for (let i = 0; i < INSTANTS; i++) worst.push(ask(ends[rnd() % ends.length] as number));
  const random: number[] = [];
  for (let i = 0; i < INSTANTS; i++) random.push(ask(rnd() % (n + 1)));
  const all = [...worst, ...random].sort((a, b) => a - b);
  const w = [...worst].sort((a, b) => a - b);
  const at = (xs: readonly number[], q: number): number => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
  return { checkpointEvery: every, checkpoints: idx.checkpoints, indexBytes: idx.bytes, asked: all.length, medianMs: at(all, 0.5), p99Ms: at(all, 0.99), worstMs: all[all.length - 1] as number, worstKindMedianMs: at(w, 0.5) };
}

/** Steps between checkpoints of the time-travel index (--every). */
let every = DEFAULT_CHECKPOINT_EVERY;

/** Child: decode and replay one rtmon file from an initial snapshot `repeat` times; print figures as JSON. */
function child(args: readonly string[]): void {
  const [trace, initialPath, keepWord, checkWord, repeatWord, everyWord] = args as [string, string, string, string | undefined, string | undefined, string | undefined];
  every = Math.max(1, Number(everyWord ?? DEFAULT_CHECKPOINT_EVERY) || DEFAULT_CHECKPOINT_EVERY);
  const keep = keepWord === 'keep';
  const check = checkWord === 'check';
  const repeat = Math.max(1, Number(repeatWord ?? '1') || 1);
  const bytes = new Uint8Array(readFileSync(trace));
  const ipSnap = parseIpSnapshot(JSON.parse(readFileSync(initialPath, 'utf8')) as unknown).snapshot;
  const first = replayOnce(trace, bytes, ipSnap, keep, check);
  // Later passes in the same process: the steady state once the code is compiled.
  let warm = Infinity;
  for (let i = 1; i < repeat; i++) warm = Math.min(warm, replayOnce(trace, bytes, ipSnap, keep, check).seconds);
  const fig: ReplayFigures = {
    ...first,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    ...(repeat > 1 ? { warmSeconds: warm, warmEventsPerSec: first.records / warm, passes: repeat } : {}),
  };
  process.stdout.write(`${JSON.stringify(fig)}\n`);
}

/** One pass: decode and replay the whole file (the figures but peak RSS, which is the process's). */
function replayOnce(trace: string, bytes: Uint8Array, ipSnap: IpSnapshot, keep: boolean, check: boolean): ReplayFigures {
  let peakHeap = 0;
  const sample = (): void => {
    const h = process.memoryUsage().heapUsed;
    if (h > peakHeap) peakHeap = h;
  };
  const t0 = performance.now();
  const dec = new RtmonDecoder({ file: trace, emitTimestamps: false });
  const dump: LinkRecord[] = [];
  let rp: TraceReplayer | null = null;
  // Time travel: a checkpoint index (core/replay/checkpoint-index.ts), the replay in place
  // between its checkpoints, as kfib replay --at builds it.
  let idx: CheckpointIndex | null = null;
  let last: FibSnapshot | null = null;
  let events = 0;
  let records = 0;
  let findings = 0;
  // The index's checkpoint hook, made once: a closure made in onRecord would capture r0,
  // and V8 would allocate its context on every record, indexed or not.
  const settle = (): ReplayView => (rp as TraceReplayer).checkpoint();
  const onRecord = (r: TraceRecord): void => {
    if (r.kind === 'link' && r.dump && rp === null) {
      dump.push(r);
      return;
    }
    if (r.kind !== 'link' && r.kind !== 'addr' && r.kind !== 'route' && r.kind !== 'rule' && r.kind !== 'netconf' && r.kind !== 'nexthop') return;
    if (rp === null) {
      const init = initialState(ipSnap, dump);
      // The replay keeps no history, as kfib replay does (in place); with time travel its
      // index keeps a checkpoint every K steps and the steps' events packed.
      rp = new TraceReplayer({ snapshot: init.snapshot, links: init.links, metrics: init.metrics }, { form: 'binary', explain: false, check, inPlace: true });
      if (keep) idx = new CheckpointIndex({ snapshot: init.snapshot, links: init.links, metrics: init.metrics }, { every });
    }
    records++;
    const r0 = rp as TraceReplayer;
    for (const st of r0.push(r)) {
      events += st.applied.length;
      findings += st.findings.length;
      last = st.snapshot;
      idx?.add(st);
      if ((records & 0xffff) === 0) sample();
    }
    idx?.settle(settle, r0.changeSinceCheckpoint);
  };
  // The chunk size kfib replay reads with (cli/replay-cmd.ts): records of a chunk stay young.
  const CHUNK = 1 << 16;
  for (let o = 0; o < bytes.length; o += CHUNK) for (const r of dec.push(bytes.subarray(o, o + CHUNK))) onRecord(r);
  for (const r of dec.finish()) onRecord(r);
  if (rp !== null) {
    const fin = (rp as TraceReplayer).finish();
    for (const st of fin.steps) {
      events += st.applied.length;
      findings += st.findings.length;
      last = st.snapshot;
      (idx as CheckpointIndex | null)?.add(st);
    }
    findings += fin.missing.length;
  }
  sample();
  const seconds = (performance.now() - t0) / 1000;
  let routes = 0;
  const end = last as FibSnapshot | null;
  if (end !== null) for (const t of end.tables.values()) routes += tableRouteCount(t);
  const ix = idx as CheckpointIndex | null;
  return {
    events,
    records,
    seconds,
    eventsPerSec: records / seconds,
    peakRssMiB: 0,
    peakHeapMiB: peakHeap / (1 << 20),
    snapshotsKept: ix === null ? 0 : ix.checkpoints,
    routesAtEnd: routes,
    findings,
    ...(ix === null ? {} : { instants: askInstants(ix, every) }),
  };
}

function runChild(trace: string, initial: string, keep: boolean, check = false, passes = 1): ReplayFigures {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', trace, initial, keep ? 'keep' : 'drop', check ? 'check' : 'nocheck', String(passes), String(every)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`replay child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ReplayFigures;
}

/** The generated workload: the full table added, then churn up to `total` events. */
function generate(total: number, prefixes: number): GenEvent[] {
  return churnEvents(loadTable(join(SHARED, 'data', 'ipv4-fulltable-iprbench.txt')).entries.slice(0, prefixes), total);
}

function benchSnapshot(): IpSnapshot {
  const link = (ifindex: number, ifname: string, flags: string[]): Record<string, unknown> => ({ ifindex, ifname, flags, mtu: 1500, qdisc: 'noqueue', operstate: 'UP', group: 'default', txqlen: 1000, link_type: 'ether', address: '02:00:00:00:00:0' + ifindex });
  const raw = {
    link: [
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN', group: 'default', txqlen: 1000, link_type: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' },
      link(2, 'v0p', ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']),
      link(3, 'v0', ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']),
    ],
    addr: [{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo' }] }],
    route: [
      { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'local', dst: '127.0.0.1', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '127.0.0.1', flags: [] },
    ],
    rule: [
      { priority: 0, src: 'all', table: 'local' },
      { priority: 32766, src: 'all', table: 'main' },
      { priority: 32767, src: 'all', table: 'default' },
    ],
    netconf: [],
    nexthop: [],
  };
  return parseIpSnapshot(raw).snapshot;
}

interface KernelFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly failed: number;
}

/** The kernel: the same events as `ip -batch` lines into a fresh namespace with a veth up. */
function kernelRate(events: readonly GenEvent[], dir: string): KernelFigures | string {
  const why = kernelUnavailable();
  if (why !== null) return why;
  const batch = join(dir, 'events.batch');
  writeFileSync(batch, events.map((e) => `route ${e.op} ${formatPrefix(e)} dev v0`).join('\n') + '\n');
  const script = [
    'set -e',
    'ip link add v0 type veth peer name v0p',
    'ip link set v0p up',
    'ip link set v0 up',
    'date +%s%N',
    `ip -force -batch ${batch} 2>${join(dir, 'batch.err')} || true`,
    'date +%s%N',
  ].join('\n');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return `kernel run failed: ${r.stderr.trim()}`;
  const [a, b] = r.stdout.trim().split('\n').map((x) => BigInt(x)) as [bigint, bigint];
  const seconds = Number(b - a) / 1e9;
  const failed = readFileSync(join(dir, 'batch.err'), 'utf8').split('\n').filter((l) => l.startsWith('RTNETLINK') || l.startsWith('Error')).length;
  return { events: events.length, seconds, eventsPerSec: events.length / seconds, failed };
}

const REPLAY_BENCH = defineCommand({
  name: 'node dist/bench/replay.bench.js',
  usage: 'node dist/bench/replay.bench.js [OPTIONS]',
  about: `Replays a generated rtmon trace of 1,000,000 route events on the full table and
../shared/traces/08-batch-5000-routes, against the kernel installing the same routes with
ip -batch in a private namespace (root); writes replay.json to the results folder.`,
  options: {
    quick: { type: 'boolean', help: '100,000 events instead of 1,000,000' },
    every: { type: 'string', arg: 'K', help: `steps between checkpoints of the time-travel index (default ${DEFAULT_CHECKPOINT_EVERY})` },
    'no-check': { type: 'boolean', help: 'skip the replay with --check' },
    'no-kernel': { type: 'boolean', help: 'skip the kernel' },
    out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results)' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: '0; 2 on bad arguments.',
});

function main(argv: readonly string[]): void {
  if (argv[0] === '--child') return child(argv.slice(1));
  const parsed = parseCommand(REPLAY_BENCH, argv);
  if (parsed.kind === 'exit') {
    process.exitCode = parsed.code;
    return;
  }
  const { quick, 'no-kernel': noKernel, 'no-check': noCheck } = parsed.values;
  if (parsed.values.every !== undefined) {
    const k = Number(parsed.values.every);
    if (!Number.isInteger(k) || k < 1) {
      process.stderr.write(`${REPLAY_BENCH.name}: --every: expected a positive integer, got "${parsed.values.every}"\n`);
      process.exitCode = 2;
      return;
    }
    every = k;
  }
  const outDir = parsed.values.out === undefined ? join(ROOT, 'bench', 'results') : resolve(parsed.values.out);
  const total = quick ? 100000 : 1000000;
  const dir = mkdtempSync(join(tmpdir(), 'kfib-replay-bench-'));
  const loadAtStart = loadavg();
  try {
    process.stderr.write(`replay bench: 08-batch-5000-routes ...\n`);
    const f08 = join(SHARED, 'traces', '08-batch-5000-routes');
    // Five passes each: the first is end to end in a fresh process, the best of the others
    // the steady state (a 6,312-record trace is over before the code is compiled).
    const fixture = { noTimeTravel: runChild(join(f08, 'trace.rtmon'), join(f08, 'before.json'), false, false, 5), timeTravel: runChild(join(f08, 'trace.rtmon'), join(f08, 'before.json'), true, false, 5) };
    process.stderr.write(`replay bench: generating ${total} route events on the full table ...\n`);
    const events = generate(total, quick ? 90000 : 1000000);
    const trace = join(dir, 'full.rtmon');
    writeFileSync(trace, rtmonRouteTrace(events, 3, 1795200000));
    const initial = join(dir, 'initial.json');
    const snap = benchSnapshot();
    writeFileSync(initial, JSON.stringify(snap));
    // The headline pair, replay without time travel and the kernel, is run `rounds` times
    // alternately (this machine's speed drifts by 10-20% from minute to minute) and each
    // side's median run is kept, with all runs' seconds.
    const rounds = quick ? 1 : 3;
    const replays: ReplayFigures[] = [];
    const travels: ReplayFigures[] = [];
    const kernels: KernelFigures[] = [];
    let kernelSkipped: string | null = noKernel ? 'skipped (--no-kernel)' : null;
    for (let round = 1; round <= rounds; round++) {
      process.stderr.write(`replay bench: replaying without time travel (${round}/${rounds}) ...\n`);
      replays.push(runChild(trace, initial, false));
      process.stderr.write(`replay bench: replaying with time travel, a checkpoint every ${every} steps (${round}/${rounds}) ...\n`);
      travels.push(runChild(trace, initial, true));
      if (kernelSkipped === null) {
        process.stderr.write(`replay bench: the kernel, ip -batch into unshare -n (${round}/${rounds}) ...\n`);
        const kr = kernelRate(events, dir);
        if (typeof kr === 'string') kernelSkipped = kr;
        else kernels.push(kr);
      }
    }
    const bySeconds = <T extends { readonly seconds: number }>(xs: readonly T[]): T => [...xs].sort((a, b) => a.seconds - b.seconds)[xs.length >> 1] as T;
    const noTT = { ...bySeconds(replays), runsSeconds: replays.map((r) => r.seconds) };
    const tt = { ...bySeconds(travels), runsSeconds: travels.map((r) => r.seconds) };
    if (!noCheck) process.stderr.write('replay bench: replaying with --check (notifications compared) ...\n');
    const checked = noCheck ? null : runChild(trace, initial, false, true);
    const kernel: (KernelFigures & { readonly runsSeconds: readonly number[] }) | string =
      kernelSkipped ?? { ...bySeconds(kernels), runsSeconds: kernels.map((r) => r.seconds) };
    const k = typeof kernel === 'string' ? null : kernel.eventsPerSec;
    const results = {
      bench: 'replay',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGiB: totalmem() / (1 << 30), kernel: release(), node: process.version },
      quick,
      fixture08: fixture,
      fullTable: { events: events.length, traceBytes: readFileSync(trace).length, noTimeTravel: noTT, withCheck: checked, timeTravel: tt },
      kernel,
      ratios: k === null ? null : {
        fullTableVsKernel: noTT.eventsPerSec / k,
        fullTableWithCheckVsKernel: checked === null ? null : checked.eventsPerSec / k,
        fullTableTimeTravelVsKernel: tt.eventsPerSec / k,
        fixture08VsKernel: fixture.noTimeTravel.eventsPerSec / k,
        fixture08WarmVsKernel: (fixture.noTimeTravel.warmEventsPerSec ?? 0) / k,
      },
      loadAverage: { start: loadAtStart, end: loadavg() },
      goal: 'replay at least 25x the kernel install rate; with time travel at least 10x in at most 512 MiB, any instant answered in under 10 ms',
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'replay.json'), `${JSON.stringify(results, null, 2)}\n`);
    const line = (name: string, f: ReplayFigures): string =>
      `${name.padEnd(34)} ${String(f.records).padStart(8)} records ${f.seconds.toFixed(2).padStart(7)} s ${Math.round(f.eventsPerSec).toString().padStart(9)} ev/s  rss ${f.peakRssMiB.toFixed(0).padStart(5)} MiB  heap ${f.peakHeapMiB.toFixed(0).padStart(5)} MiB  findings ${f.findings}` +
      (f.warmEventsPerSec !== undefined ? `  (warm: ${Math.round(f.warmEventsPerSec)} ev/s)` : '');
    process.stdout.write(`${line('08-batch-5000-routes', fixture.noTimeTravel)}\n${line('08 with time travel', fixture.timeTravel)}\n${line(`full table, ${events.length} events`, noTT)}\n${checked === null ? 'full table, with --check: skipped' : line('full table, with --check', checked)}\n${line('full table, time travel', tt)}\n`);
    const ins = tt.instants;
    if (ins !== undefined) process.stdout.write(`time travel: ${ins.checkpoints} checkpoints (every ${ins.checkpointEvery} steps), index ${(ins.indexBytes / (1 << 20)).toFixed(1)} MiB; ${ins.asked} instants: median ${ins.medianMs.toFixed(2)} ms, p99 ${ins.p99Ms.toFixed(2)} ms, worst ${ins.worstMs.toFixed(2)} ms (the step before a checkpoint: median ${ins.worstKindMedianMs.toFixed(2)} ms)\n`);
    process.stdout.write(`load average: ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at the start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end\n`);
    if (typeof kernel === 'string') process.stdout.write(`kernel: ${kernel}\n`);
    else process.stdout.write(`kernel (ip -batch)                 ${String(kernel.events).padStart(8)} events  ${kernel.seconds.toFixed(2).padStart(7)} s ${Math.round(kernel.eventsPerSec).toString().padStart(9)} ev/s  (${kernel.failed} refused)\n`);
    if (results.ratios !== null) process.stdout.write(`ratio to the kernel: full table ${results.ratios.fullTableVsKernel.toFixed(1)}x, with time travel ${results.ratios.fullTableTimeTravelVsKernel.toFixed(1)}x, 08 ${results.ratios.fixture08VsKernel.toFixed(1)}x end to end, ${results.ratios.fixture08WarmVsKernel.toFixed(1)}x warm\n`);
    process.stdout.write(`wrote ${join(outDir, 'replay.json')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
