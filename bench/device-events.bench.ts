// The device-events benchmark of issue 13: what a device event costs on a router with the
// full table (../shared/data/ipv4-fulltable-iprbench.txt, 901,899 prefixes) routed via one
// veth, in the model and in the kernel, in the same run.
//
// Why: a carrier change or an admin down on the uplink is where a full-table router
// spends its FIB time. The kernel pays per fib_info on the device for a carrier change
// (fib_sync_down_dev()/fib_sync_up() walk fib_info_devhash) and per route for the flush of
// an admin down, an unregister or the delete of the device's last address (fib_flush() ->
// fib_table_flush() walks the trie). The targets: carrier loss and carrier back at least
// 10x faster than the kernel, the flushes at least 2x. (The flap storm is
// flap-storm.bench.ts.)
//
// Both sides run the same `ip` commands. The kernel runs them in one private namespace
// (`unshare -n`: only lo and the veth pair exist, nothing is sent), the table loaded once
// with `ip -batch`; each event is timed from just before the command until `ip route get
// fibmatch LAST` (the last prefix of the table) shows the new state: carrier changes reach
// the FIB through linkwatch, asynchronously, so the command's own return is not the end.
// After a flush the namespace is put back (device, address, the table added again: not
// timed). The model runs the command through runCommand() and the same `ip route get
// fibmatch` (that is when its state is visible too), each event from the loaded snapshot
// (snapshots are immutable). Each event is measured `--rounds` times (default 3) on both
// sides and each side's median kept: this 2-core machine's speed drifts from minute to
// minute, so only ratios from one run mean anything (the model's CPU time is recorded
// beside its wall time: on a loaded machine the wall time includes waiting for a core). The routes an event touched are
// counted once, outside the timing (the effects listed on demand).
//
// Run: npm run bench:device-events  (node dist/bench/device-events.bench.js [--quick]
//      [--rounds N] [--out DIR] [--no-kernel])
// Takes about 6 minutes on the 2-core machine of bench/results when it is quiet (the
// kernel's table loads, one per flush and round, are most of it); --quick (1 round) about 3. Writes
// DIR/device-events.json (default bench/results/; not with --quick) and prints a summary;
// progress lines go to stderr.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../core/iproute2/ip-command.js';
import { defineCommand, intOption, parseCommand } from '../cli/command.js';
import { initialSnapshot, type FibSnapshot } from '../core/snapshot/snapshot.js';
import type { FibEvent } from '../core/events/fib-event.js';
import { FibRunner } from '../core/reduce/fib-runner.js';
import { tableRouteCount } from '../core/snapshot/fib-table.js';
import { formatIp, formatPrefix, loadTable, type BenchTable } from './_tables.js';
import { kernelUnavailable } from './_kernel.js';
import { machineInfo, median, ratio, settle } from './_harness.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared');

/** The namespace both sides build: a veth pair, the table via a gateway on v0. */
const SETUP: readonly string[] = [
  'ip link add v0 type veth peer name v1',
  'ip link set v0 up',
  'ip link set v1 up',
  'ip addr add 100.64.0.1/30 dev v0',
];
const GW = '100.64.0.2';

/** The single events timed, each with the state `route get fibmatch LAST` must show after it. */
interface EventSpec {
  readonly name: string;
  readonly command: string;
  /** What the probe's output (stdout + stderr) must match once the event is visible (model side). */
  readonly visible: RegExp;
  /** The same test as a shell pipeline tail (kernel side): exit 0 once visible. */
  readonly until: string;
  /** Kernel commands that put the namespace back afterwards (not timed), the table reload last. */
  readonly restore: readonly string[];
}

const NO_VIA = /^(?![\s\S]*\bvia\b)/;
const UNTIL_NO_VIA = "awk '/via/{bad=1} END{exit bad}'";
const UNTIL_BACK = "awk '/linkdown/{bad=1} /via/{ok=1} END{exit !(ok && !bad)}'";
const RELOAD = 'RELOAD';

const CARRIER_LOSS: EventSpec = { name: 'carrier loss', command: 'ip link set v1 down', visible: /linkdown/, until: 'grep -q linkdown', restore: [] };
const CARRIER_BACK: EventSpec = { name: 'carrier back', command: 'ip link set v1 up', visible: /^(?![\s\S]*linkdown)[\s\S]*\bvia\b/, until: UNTIL_BACK, restore: [] };
const ADMIN_DOWN: EventSpec = { name: 'admin down (flush)', command: 'ip link set v0 down', visible: NO_VIA, until: UNTIL_NO_VIA, restore: ['ip link set v0 up', RELOAD] };
const ADDR_DEL: EventSpec = {
  name: 'last address delete (flush)',
  command: 'ip addr del 100.64.0.1/30 dev v0',
  visible: NO_VIA,
  until: UNTIL_NO_VIA,
  restore: ['ip addr add 100.64.0.1/30 dev v0', RELOAD],
};
const UNREGISTER: EventSpec = { name: 'unregister (flush)', command: 'ip link del v0', visible: NO_VIA, until: UNTIL_NO_VIA, restore: [...SETUP, RELOAD] };
const SPECS: readonly EventSpec[] = [CARRIER_LOSS, CARRIER_BACK, ADMIN_DOWN, ADDR_DEL, UNREGISTER];

interface Args {
  readonly quick: boolean;
  readonly rounds: number;
  readonly out: string;
  readonly kernel: boolean;
}

const DEVICE_EVENTS_BENCH = defineCommand({
  name: 'node dist/bench/device-events.bench.js',
  usage: 'node dist/bench/device-events.bench.js [OPTIONS]   (npm run bench:device-events)',
  about: `What a device event costs on a router with the full table (901,899 prefixes via one
veth), in the model and in the kernel (a private namespace), in the same run: carrier loss,
carrier back, admin down, last address delete, unregister. Takes about 8 minutes (3 rounds);
--quick about 3. Progress on stderr; writes DIR/device-events.json.`,
  options: {
    quick: { type: 'boolean', help: 'one round, no results file' },
    rounds: { type: 'string', arg: 'N', help: 'rounds of each event on each side (default 3; 1 with --quick)' },
    out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results)' },
    'no-kernel': { type: 'boolean', help: 'the model only' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: '0; 1 when the run failed; 2 on bad arguments.',
});

function parseArgs(argv: readonly string[]): Args | number {
  const p = parseCommand(DEVICE_EVENTS_BENCH, argv);
  if (p.kind === 'exit') return p.code;
  const v = p.values;
  const rounds = intOption(DEVICE_EVENTS_BENCH.name, 'rounds', v.rounds, v.quick ? 1 : 3);
  if (rounds === null) return 2;
  return { quick: v.quick, rounds, out: v.out !== undefined ? resolve(v.out) : join(ROOT, 'bench', 'results'), kernel: !v['no-kernel'] };
}

function progress(msg: string): void {
  process.stderr.write(`device-events: ${msg} (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})\n`);
}

/** The `ip -batch` lines that load the table (route add … via GW dev v0). */
function routeLines(t: BenchTable): string[] {
  return t.entries.map((e) => `route add ${formatPrefix(e)} via ${GW} dev v0`);
}

// ---------------------------------------------------------------------------------------
// The model side.

/** Runs one `ip` command line through the model; its events and the new snapshot. */
function run(s: FibSnapshot, line: string): { snapshot: FibSnapshot; out: string; events: FibEvent[] } {
  const r = runCommand(s, line.split(' '));
  return { snapshot: r.snapshot, out: r.output.stdout + r.output.stderr, events: r.steps.map((x) => x.event) };
}

/** The table's route events (what `ip route add` makes of each line), made once. */
function tableEvents(s: FibSnapshot, t: BenchTable): FibEvent[] {
  // The first line's event is the template: every route differs only in its prefix.
  const first = run(s, `ip ${routeLines({ name: t.name, entries: t.entries.slice(0, 1) })[0]!}`);
  const ev = first.events[0];
  if (ev === undefined || ev.type !== 'route-new') throw new Error(`Cannot make route events: ${first.out}`);
  return t.entries.map((e) => ({ ...ev, cfg: { ...ev.cfg, dst: e.prefix, plen: e.len } }));
}

/** Applies events through one runner, failing on any refusal other than EEXIST. */
function applyAll(s: FibSnapshot, events: readonly FibEvent[]): FibSnapshot {
  const runner = new FibRunner();
  for (const e of events) {
    const st = runner.reduce(s, e);
    if (st.error !== null && st.error.errno !== 'EEXIST') throw new Error(`Model refused ${e.type}: ${st.error.errno}`);
    s = st.snapshot;
  }
  return s;
}

/** What an event did, counted outside the timing: the reducer's records, and the route effects they stand for. */
interface Counted {
  readonly changes: number;
  readonly routeEffects: number;
}

/** Times one event in the model: the command, then the probe that shows it. */
function modelEvent(s: FibSnapshot, ev: EventSpec, probe: string): { ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = runCommand(s, ev.command.split(' '));
  const p = run(r.snapshot, probe);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  const cpuMs = (c.user + c.system) / 1000;
  if (!ev.visible.test(p.out)) throw new Error(`Model: after \`${ev.command}\` the probe shows ${JSON.stringify(p.out)}`);
  return { ms, cpuMs };
}

/**
 * Counts what an event did, after the timed rounds. Listing the routes an effect stands
 * for makes garbage in the hundreds of MB; counted inside the rounds (up to session 16),
 * the event timed next took ~12 ms more, in every run (the 12 ms second round of carrier
 * loss). Not with --no-concurrent-sweeping: V8 finishing that collection's sweeping on
 * the main thread.
 */
function countEvent(s: FibSnapshot, ev: EventSpec): Counted {
  const r = runCommand(s, ev.command.split(' '));
  let changes = 0;
  let routeEffects = 0;
  for (const st of r.steps) {
    changes += (st.step.changes ?? st.step.effects).length;
    routeEffects += st.step.effects.length;
  }
  return { changes, routeEffects };
}

// ---------------------------------------------------------------------------------------
// The kernel side: one shell script in one private namespace, date +%s%N stamps.

/** Nanosecond stamps (date +%s%N) as milliseconds. */
function stampsOf(path: string): number[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((x) => Number(BigInt(x) / 1000n) / 1000);
}

/**
 * The kernel's rounds in one namespace: the table loaded once (timed), then per round each
 * event timed until visible, the namespace put back after each flush (the last one of the
 * last round excepted). Returns the load (ms) and per event its durations (ms).
 */
function kernelRounds(batch: string, probe: string, rounds: number, dir: string): { loadMs: number; events: number[][] } {
  const times = join(dir, 'times');
  rmSync(times, { force: true });
  const load = `ip -force -batch ${batch} 2>/dev/null || true`;
  const settle = `until ${probe} 2>&1 | ${UNTIL_BACK}; do sleep 0.01; done`;
  const stamp = `date +%s%N >> ${times}`;
  const lines = [...SETUP, stamp, load, stamp, settle];
  for (let r = 0; r < rounds; r++) {
    SPECS.forEach((ev, i) => {
      lines.push(`echo "round ${r + 1}/${rounds}: ${ev.name}" >&2`, stamp, ev.command, `until ${probe} 2>&1 | ${ev.until}; do :; done`, stamp);
      if (r === rounds - 1 && i === SPECS.length - 1) return;
      for (const x of ev.restore) lines.push(x === RELOAD ? load : x);
      if (ev.restore.length > 0) lines.push(settle);
    });
  }
  const script = join(dir, 'run.sh');
  writeFileSync(script, ['set -e', ...lines].join('\n') + '\n');
  // stderr passes through: the rounds' progress lines.
  const res = spawnSync('unshare', ['-n', 'sh', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error(`Kernel script failed (exit ${res.status})`);
  const st = stampsOf(times);
  const events: number[][] = SPECS.map(() => []);
  let k = 2;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < SPECS.length; i++, k += 2) events[i]!.push(st[k + 1]! - st[k]!);
  }
  return { loadMs: st[1]! - st[0]!, events };
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'number') {
    process.exitCode = args;
    return;
  }
  const startLoad = loadavg();
  const table = loadTable(join(SHARED, 'data', 'ipv4-fulltable-iprbench.txt'));
  const last = table.entries.reduce((a, e) => (e.prefix > a.prefix || (e.prefix === a.prefix && e.len > a.len) ? e : a));
  const probe = `ip route get fibmatch ${formatIp(last.prefix)}`;
  const why = args.kernel ? kernelUnavailable() : 'kernel side disabled (--no-kernel)';
  if (why !== null) console.log(why);
  const dir = mkdtempSync(join(tmpdir(), 'kfib-devev-'));
  const batch = join(dir, 'routes.batch');
  writeFileSync(batch, routeLines(table).join('\n') + '\n');

  // The model's namespace with the table loaded.
  progress('model: loading the table');
  let base = initialSnapshot();
  for (const l of SETUP) base = run(base, l).snapshot;
  const events = tableEvents(base, table);
  const t0 = process.hrtime.bigint();
  base = applyAll(base, events);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const mainTable = base.tables.get(254);
  const routes = mainTable === undefined ? 0 : tableRouteCount(mainTable);
  console.log(`model: ${routes} routes in main after loading ${events.length} (${loadMs.toFixed(0)} ms)`);

  const model: number[][] = SPECS.map(() => []);
  const modelCpu: number[][] = SPECS.map(() => []);
  // A warm-up round (not kept: the first run of each path compiles it), then the rounds.
  for (let r = -1; r < args.rounds; r++) {
    progress(r < 0 ? 'model: warm-up round' : `model: round ${r + 1}/${args.rounds}`);
    // From the loaded snapshot each time (snapshots are immutable); carrier back after loss.
    for (let i = 0; i < SPECS.length; i++) {
      const ev = SPECS[i]!;
      const from = ev === CARRIER_BACK ? run(base, CARRIER_LOSS.command).snapshot : base;
      // A full collection, a pause for its sweeping and a scavenge (_harness.ts settle()), so
      // that no collection's work runs into the timing.
      await settle();
      const m = modelEvent(from, ev, probe);
      if (r < 0) continue;
      model[i]!.push(m.ms);
      modelCpu[i]!.push(m.cpuMs);
    }
  }
  const counted = SPECS.map((ev) => countEvent(ev === CARRIER_BACK ? run(base, CARRIER_LOSS.command).snapshot : base, ev));
  let kernel: { loadMs: number; events: number[][] } | null = null;
  if (why === null) {
    progress(`kernel: loading the table, then ${args.rounds} round(s) of ${SPECS.length} events (a reload of the table after each flush)`);
    kernel = kernelRounds(batch, probe, args.rounds, dir);
  }
  rmSync(dir, { recursive: true, force: true });
  const endLoad = loadavg();

  const rows = SPECS.map((ev, i) => {
    const m = median(model[i]!);
    const k = kernel === null ? null : median(kernel.events[i]!);
    return { event: ev.name, command: ev.command, modelMs: m, modelCpuMs: median(modelCpu[i]!), kernelMs: k, speedup: ratio(k, m), changes: counted[i]!.changes, routeEffects: counted[i]!.routeEffects, modelRuns: model[i]!, kernelRuns: kernel?.events[i] ?? [] };
  });
  const result = {
    bench: 'device-events',
    machine: machineInfo(),
    loadAverage: { start: startLoad, end: endLoad },
    date: new Date().toISOString(),
    table: { prefixes: table.entries.length, routesInMain: routes, via: `${GW} dev v0` },
    rounds: args.rounds,
    probe: 'ip route get fibmatch LAST (the last prefix of the table)',
    settle: 'before each model event: a full collection, 400 ms, a scavenge, 20 ms (bench/_harness.ts settle()); what the events did is counted after the timed rounds',
    modelLoadMs: loadMs,
    kernelLoadMs: kernel?.loadMs ?? null,
    events: rows,
  };
  for (const r of rows) {
    console.log(
      `${r.event.padEnd(30)} model ${r.modelMs.toFixed(1).padStart(8)} ms (cpu ${r.modelCpuMs.toFixed(1)} ms)  kernel ${r.kernelMs === null ? '       -' : r.kernelMs.toFixed(1).padStart(8)} ms  ` +
        `${r.speedup === null ? '' : `${r.speedup.toFixed(1)}x`}  (${r.changes} changes standing for ${r.routeEffects} route effects)`,
    );
  }
  console.log(`load average: start ${startLoad.map((x) => x.toFixed(2)).join(' ')}, end ${endLoad.map((x) => x.toFixed(2)).join(' ')}`);
  if (!args.quick) {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'device-events.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${join(args.out, 'device-events.json')}`);
  }
}

await main();
