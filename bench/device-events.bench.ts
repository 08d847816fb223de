// The device-events benchmark of issue 13: what a device event costs on a router with the
// full table (../shared/data/ipv4-fulltable-iprbench.txt, 901,899 prefixes) routed via one
// veth, in the model and in the kernel, in the same run.
//
// Why: a carrier change or an admin down on the uplink is where a full-table router
// spends its FIB time. The kernel pays per fib_info on the device for a carrier change
// (fib_sync_down_dev()/fib_sync_up() walk fib_info_devhash) and per route for the flush of
// an admin down (fib_flush() -> fib_table_flush() walks the trie). The targets: carrier
// loss and carrier back at least 10x faster than the kernel, admin-down flush at least 2x,
// and a flap storm replayed at least 10x faster than the kernel lived it.
//
// Both sides run the same `ip` commands. The kernel runs them in a private namespace
// (`unshare -n`: only lo and the veth pair exist, nothing is sent), and each event is
// timed from just before the command until `ip route get fibmatch LAST` (the last prefix
// of the table) shows the new state: carrier changes reach the FIB through linkwatch,
// asynchronously, so the command's own return is not the end. The model runs the command
// through runCommand() and the same `ip route get fibmatch` (that is when its state is
// visible too). Each single event is measured `--rounds` times (default 5) on both sides,
// alternating, and each side's median is kept: this 2-core machine's speed drifts by
// 10-20% from minute to minute, so only ratios from one run mean anything.
//
// The flap storm: 100 carrier flaps (peer down, peer up) and 10 admin flaps (down, up,
// the whole table added again with `ip -batch`), interleaved: the kernel's wall time for
// the whole script against the model's replay of the same events (reduceFib on the events
// the commands produce, in place as `kfib replay` does without history).
//
// Run: node dist/bench/device-events.bench.js [--quick] [--rounds N] [--admin-flaps N]
//      [--carrier-flaps N] [--out DIR] [--no-kernel]
// Writes DIR/device-events.json (default bench/results/) and prints a summary.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../core/iproute2/ip-command.js';
import { initialSnapshot, type FibSnapshot } from '../core/snapshot/snapshot.js';
import type { FibEvent } from '../core/events/fib-event.js';
import { FibRunner } from '../core/reduce/fib-runner.js';
import { tableRouteCount } from '../core/snapshot/fib-table.js';
import { formatIp, formatPrefix, loadTable, type BenchTable } from './_tables.js';
import { kernelUnavailable } from './_kernel.js';
import { collectGarbage, machineInfo, median, ratio } from './_harness.js';

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
  /** What the probe's output (stdout + stderr) must match once the event is visible. */
  readonly visible: RegExp;
}

const CARRIER_LOSS: EventSpec = { name: 'carrier loss', command: 'ip link set v1 down', visible: /linkdown/ };
const CARRIER_BACK: EventSpec = { name: 'carrier back', command: 'ip link set v1 up', visible: /^(?![\s\S]*linkdown)[\s\S]*\bvia\b/ };
const ADMIN_DOWN: EventSpec = { name: 'admin down (flush)', command: 'ip link set v0 down', visible: /^(?![\s\S]*\bvia\b)/ };

interface Args {
  readonly quick: boolean;
  readonly rounds: number;
  readonly adminFlaps: number;
  readonly carrierFlaps: number;
  readonly out: string;
  readonly kernel: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const opt = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    if (i < 0) return dflt;
    const v = Number(argv[i + 1]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name}: expected a non-negative integer, got ${argv[i + 1] ?? 'nothing'}`);
    return v;
  };
  const outAt = argv.indexOf('--out');
  const quick = argv.includes('--quick');
  return {
    quick,
    rounds: opt('--rounds', quick ? 2 : 5),
    adminFlaps: opt('--admin-flaps', quick ? 1 : 10),
    carrierFlaps: opt('--carrier-flaps', quick ? 10 : 100),
    out: outAt >= 0 ? resolve(argv[outAt + 1] ?? '.') : join(ROOT, 'bench', 'results'),
    kernel: !argv.includes('--no-kernel'),
  };
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

/** Applies events through one runner (in place when asked), failing on any refusal other than EEXIST. */
function applyAll(s: FibSnapshot, events: readonly FibEvent[], inPlace: boolean): FibSnapshot {
  const runner = new FibRunner({ inPlace });
  for (const e of events) {
    const st = runner.reduce(s, e);
    if (st.error !== null && st.error.errno !== 'EEXIST') throw new Error(`Model refused ${e.type}: ${st.error.errno}`);
    s = st.snapshot;
  }
  return s;
}

interface ModelTimes {
  readonly ms: number;
  readonly effects: number;
}

/** Times one event in the model: the command, then the probe that shows it. */
function modelEvent(s: FibSnapshot, ev: EventSpec, probe: string): { snapshot: FibSnapshot; t: ModelTimes } {
  collectGarbage();
  const t0 = process.hrtime.bigint();
  const r = runCommand(s, ev.command.split(' '));
  const p = run(r.snapshot, probe);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ev.visible.test(p.out)) throw new Error(`Model: after \`${ev.command}\` the probe shows ${JSON.stringify(p.out)}`);
  let effects = 0;
  for (const st of r.steps) effects += st.step.effects.length;
  return { snapshot: r.snapshot, t: { ms, effects } };
}

// ---------------------------------------------------------------------------------------
// The kernel side: one shell script in a private namespace, date +%s%N stamps.

/** Shell lines that run `cmd`, then poll the probe until its output matches `grep` (egrep -v when negated). */
function kernelTimed(cmd: string, probe: string, until: string, times: string): string[] {
  return [`date +%s%N >> ${times}`, cmd, `until ${probe} 2>&1 | ${until}; do :; done`, `date +%s%N >> ${times}`];
}

/** The polling test for each event (a shell pipeline tail: exit 0 once visible). */
function kernelUntil(ev: EventSpec): string {
  if (ev === CARRIER_LOSS) return 'grep -q linkdown';
  if (ev === CARRIER_BACK) return "awk '/linkdown/{bad=1} /via/{ok=1} END{exit !(ok && !bad)}'";
  return "awk '/via/{bad=1} END{exit bad}'";
}

interface KernelResult {
  /** Per event name: one duration (ms) per round. */
  readonly events: Record<string, number[]>;
  readonly loadSeconds: number;
  readonly stormSeconds: number | null;
  readonly routes: number;
}

function runKernelScript(lines: readonly string[], dir: string): void {
  const script = join(dir, 'run.sh');
  writeFileSync(script, ['set -e', ...lines].join('\n') + '\n');
  const r = spawnSync('unshare', ['-n', 'sh', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`Kernel script failed (exit ${r.status}): ${r.stderr.trim().slice(0, 500)}`);
}

function stampsOf(path: string): number[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((x) => Number(BigInt(x) / 1000n) / 1000);
}

/**
 * One kernel round: set up, load the table, carrier loss, carrier back, admin down; each
 * timed until visible. A fresh namespace each round (the state must be the same).
 */
function kernelRound(batch: string, probe: string, dir: string): { load: number; events: number[] } {
  const times = join(dir, 'times');
  rmSync(times, { force: true });
  const lines = [...SETUP, `date +%s%N >> ${times}`, `ip -force -batch ${batch} 2>/dev/null || true`, `date +%s%N >> ${times}`];
  // Settle: linkwatch has run for the setup (v0 has carrier: a route via it is not linkdown).
  lines.push(`until ${probe} 2>&1 | ${kernelUntil(CARRIER_BACK)}; do sleep 0.01; done`);
  for (const ev of [CARRIER_LOSS, CARRIER_BACK, ADMIN_DOWN]) lines.push(...kernelTimed(ev.command, probe, kernelUntil(ev), times));
  runKernelScript(lines, dir);
  const st = stampsOf(times);
  return { load: (st[1]! - st[0]!) / 1000, events: [0, 1, 2].map((i) => st[3 + 2 * i]! - st[2 + 2 * i]!) };
}

/** The storm script's lines after setup and the first load (shared by kernel and model). */
function stormCommands(carrierFlaps: number, adminFlaps: number): { kind: 'cmd' | 'reload'; line: string }[] {
  const out: { kind: 'cmd' | 'reload'; line: string }[] = [];
  const per = adminFlaps > 0 ? Math.ceil(carrierFlaps / adminFlaps) : carrierFlaps;
  let c = 0;
  for (let a = 0; a < Math.max(adminFlaps, 1); a++) {
    for (let i = 0; i < per && c < carrierFlaps; i++, c++) out.push({ kind: 'cmd', line: 'ip link set v1 down' }, { kind: 'cmd', line: 'ip link set v1 up' });
    if (a < adminFlaps) out.push({ kind: 'cmd', line: 'ip link set v0 down' }, { kind: 'cmd', line: 'ip link set v0 up' }, { kind: 'reload', line: '' });
  }
  return out;
}

function kernelStorm(batch: string, probe: string, storm: readonly { kind: 'cmd' | 'reload'; line: string }[], dir: string): number {
  const times = join(dir, 'times');
  rmSync(times, { force: true });
  const lines = [...SETUP, `ip -force -batch ${batch} 2>/dev/null || true`];
  lines.push(`until ${probe} 2>&1 | ${kernelUntil(CARRIER_BACK)}; do sleep 0.01; done`);
  lines.push(`date +%s%N >> ${times}`);
  for (const s of storm) {
    if (s.kind === 'reload') lines.push(`ip -force -batch ${batch} 2>/dev/null || true`);
    else lines.push(s.line);
  }
  // The storm ends with the routes back and carrier on: visible when the last route is.
  lines.push(`until ${probe} 2>&1 | ${kernelUntil(CARRIER_BACK)}; do :; done`, `date +%s%N >> ${times}`);
  runKernelScript(lines, dir);
  const st = stampsOf(times);
  return (st[1]! - st[0]!) / 1000;
}

// ---------------------------------------------------------------------------------------

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const table = loadTable(join(SHARED, 'data', 'ipv4-fulltable-iprbench.txt'));
  const last = table.entries.reduce((a, e) => (e.prefix > a.prefix || (e.prefix === a.prefix && e.len > a.len) ? e : a));
  const probe = `ip route get fibmatch ${formatIp(last.prefix)}`;
  const why = args.kernel ? kernelUnavailable() : 'kernel side disabled (--no-kernel)';
  if (why !== null) console.log(why);
  const dir = mkdtempSync(join(tmpdir(), 'kfib-devev-'));
  const batch = join(dir, 'routes.batch');
  writeFileSync(batch, routeLines(table).join('\n') + '\n');

  // The model's namespace with the table loaded.
  let base = initialSnapshot();
  for (const l of SETUP) base = run(base, l).snapshot;
  const setup = base;
  const events = tableEvents(base, table);
  const t0 = process.hrtime.bigint();
  base = applyAll(base, events, false);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const mainTable = base.tables.get(254);
  const routes = mainTable === undefined ? 0 : tableRouteCount(mainTable);
  console.log(`model: ${routes} routes in main after loading ${events.length} (${loadMs.toFixed(0)} ms)`);

  const specs = [CARRIER_LOSS, CARRIER_BACK, ADMIN_DOWN];
  const model: Record<string, number[]> = {};
  const effects: Record<string, number> = {};
  const kernel: Record<string, number[]> = {};
  let kernelLoad: number[] = [];
  for (const ev of specs) {
    model[ev.name] = [];
    kernel[ev.name] = [];
  }
  for (let r = 0; r < args.rounds; r++) {
    // Model: from the loaded snapshot each round (snapshots are immutable).
    let s = base;
    for (const ev of specs) {
      const m = modelEvent(s, ev, probe);
      s = m.snapshot;
      model[ev.name]!.push(m.t.ms);
      effects[ev.name] = m.t.effects;
    }
    if (why === null) {
      const k = kernelRound(batch, probe, dir);
      kernelLoad.push(k.load);
      specs.forEach((ev, i) => kernel[ev.name]!.push(k.events[i]!));
    }
    console.log(
      `round ${r + 1}: ` +
        specs.map((ev) => `${ev.name} model ${model[ev.name]!.at(-1)!.toFixed(1)} ms` + (why === null ? ` kernel ${kernel[ev.name]!.at(-1)!.toFixed(1)} ms` : '')).join(', '),
    );
  }

  // The storm: the model replays the storm's events in place (no history kept).
  const storm = stormCommands(args.carrierFlaps, args.adminFlaps);
  // A link command's events do not depend on the routes: made on the setup alone.
  const stormEvents: FibEvent[] = [];
  {
    let s = setup;
    for (const c of storm) {
      if (c.kind === 'reload') {
        for (const e of events) stormEvents.push(e);
      } else {
        const r = run(s, c.line);
        for (const e of r.events) stormEvents.push(e);
        s = r.snapshot;
      }
    }
  }
  collectGarbage();
  const s0 = process.hrtime.bigint();
  const end = applyAll(base, stormEvents, true);
  const modelStormMs = Number(process.hrtime.bigint() - s0) / 1e6;
  const endProbe = run(end, probe).out;
  if (!CARRIER_BACK.visible.test(endProbe)) throw new Error(`Model: after the storm the probe shows ${JSON.stringify(endProbe)}`);
  let kernelStormMs: number | null = null;
  if (why === null) kernelStormMs = kernelStorm(batch, probe, storm, dir);
  rmSync(dir, { recursive: true, force: true });

  const rows = specs.map((ev) => {
    const m = median(model[ev.name]!);
    const k = why === null ? median(kernel[ev.name]!) : null;
    return { event: ev.name, command: ev.command, modelMs: m, kernelMs: k, speedup: ratio(k, m), effects: effects[ev.name]!, modelRuns: model[ev.name]!, kernelRuns: kernel[ev.name]! };
  });
  const result = {
    bench: 'device-events',
    machine: machineInfo(),
    date: new Date().toISOString(),
    table: { prefixes: table.entries.length, routesInMain: routes, via: `${GW} dev v0` },
    rounds: args.rounds,
    probe: 'ip route get fibmatch LAST (the last prefix of the table)',
    modelLoadMs: loadMs,
    kernelLoadSeconds: kernelLoad.length > 0 ? median(kernelLoad) : null,
    events: rows,
    storm: {
      carrierFlaps: args.carrierFlaps,
      adminFlaps: args.adminFlaps,
      events: stormEvents.length,
      modelMs: modelStormMs,
      kernelMs: kernelStormMs,
      speedup: ratio(kernelStormMs, modelStormMs),
    },
  };
  for (const r of rows) {
    console.log(
      `${r.event.padEnd(20)} model ${r.modelMs.toFixed(1).padStart(8)} ms  kernel ${r.kernelMs === null ? '   -' : r.kernelMs.toFixed(1).padStart(8)} ms  ` +
        `${r.speedup === null ? '' : `${r.speedup.toFixed(2)}x`}  (${r.effects} effects)`,
    );
  }
  console.log(
    `storm (${args.carrierFlaps} carrier flaps, ${args.adminFlaps} admin flaps + reloads, ${stormEvents.length} events): model ${modelStormMs.toFixed(0)} ms` +
      (kernelStormMs === null ? '' : `, kernel ${kernelStormMs.toFixed(0)} ms, ${(kernelStormMs / modelStormMs).toFixed(2)}x`),
  );
  if (!args.quick) {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, 'device-events.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${join(args.out, 'device-events.json')}`);
  }
}

main();
