// The flap-storm benchmark of issue 13: a full-table router's uplink flapping, lived by the
// kernel and captured with rtmon, then replayed by `kfib replay` from the capture.
//
// Why: a replay of an incident is useful only when it is much faster than the incident.
// The storm is what costs a full-table router most: every carrier change marks 900,000
// routes linkdown (fib_sync_down_dev()/fib_sync_up() on one fib_info), every admin down
// flushes them all (fib_flush()), and the routes are then added again. The target: the
// replay at least 10x faster than the kernel lived it.
//
// The kernel side, in a private namespace (`unshare -n`, IPv6 off, nothing sent): rtmon
// starts recording, then a veth pair, an address, the 901,899 prefixes of
// ../shared/data/ipv4-fulltable-iprbench.txt added with `ip -batch` via a gateway on v0,
// then the storm: --carrier-flaps carrier flaps (peer down, peer up) spread over
// --admin-flaps admin flaps (v0 down, v0 up, the whole table added again with `ip -batch`),
// until `ip route get fibmatch LAST` shows the last prefix back (carrier changes reach the
// FIB through linkwatch, asynchronously). Lived time: from the first setup command until
// then (the storm's own share is reported too). rtmon's capture runs all along (the
// kernel's notification cost is part of a captured storm).
//
// The model side: `node dist/cli/kfib.js replay CAPTURE --initial BEFORE` in a child
// process, timed from spawn to exit, the whole capture (setup, load and storm); BEFORE is
// the namespace's `ip -j` state taken before rtmon starts (as capture.sh's before.json).
// It must exit 0 and report an exact replay.
//
// Run: npm run bench:flap-storm  (node dist/bench/flap-storm.bench.js [--quick]
//      [--carrier-flaps N] [--admin-flaps N] [--out DIR] [--keep-capture DIR])
// Takes about 7 minutes on the 2-core machine of bench/results when it is quiet, 27 under a
// load of 14 (the kernel's 11 table loads are most of it); --quick (10 carrier flaps, 1 admin flap) about 3. Writes
// DIR/flap-storm.json (default bench/results/; not with --quick) and prints a summary;
// progress lines go to stderr.

import { spawnSync } from 'node:child_process';
import { constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatIp, formatPrefix, loadTable } from './_tables.js';
import { kernelUnavailable } from './_kernel.js';
import { machineInfo, ratio } from './_harness.js';
import { defineCommand, intOption, parseCommand } from '../cli/command.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const SHARED = resolve(ROOT, '..', 'shared');
const KFIB = join(ROOT, 'dist', 'cli', 'kfib.js');

const SETUP: readonly string[] = ['ip link add v0 type veth peer name v1', 'ip link set v0 up', 'ip link set v1 up', 'ip addr add 100.64.0.1/30 dev v0'];
const GW = '100.64.0.2';

interface Args {
  readonly quick: boolean;
  readonly carrierFlaps: number;
  readonly adminFlaps: number;
  readonly out: string;
  readonly keepCapture: string | null;
}

const FLAP_STORM_BENCH = defineCommand({
  name: 'node dist/bench/flap-storm.bench.js',
  usage: 'node dist/bench/flap-storm.bench.js [OPTIONS]   (npm run bench:flap-storm)',
  about: `A flap storm on the full table: the kernel lives it in a private namespace (carrier
flaps, admin flaps with the table re-added after each) while rtmon captures it, then kfib
replay replays the capture; the ratio is lived time over replay time. Needs root, unshare
and rtmon. About 30 minutes with the defaults (the capture, ~800 MiB, goes to the temporary
folder); --quick 10 carrier flaps and 1 admin flap. Progress on stderr.`,
  options: {
    quick: { type: 'boolean', help: 'a small storm (10 carrier flaps, 1 admin flap)' },
    'carrier-flaps': { type: 'string', arg: 'N', help: 'carrier flaps (default 100; 10 with --quick)' },
    'admin-flaps': { type: 'string', arg: 'N', help: 'admin flaps, the table re-added after each (default 10; 1 with --quick)' },
    out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results)' },
    'keep-capture': { type: 'string', arg: 'DIR', help: 'keep the capture in DIR as a capture folder (trace.rtmon, before.json: kfib replay DIR replays it); refused when DIR holds either' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: '0; 1 when the run failed; 2 on bad arguments.',
});

function parseArgs(argv: readonly string[]): Args | number {
  const p = parseCommand(FLAP_STORM_BENCH, argv);
  if (p.kind === 'exit') return p.code;
  const v = p.values;
  const carrierFlaps = intOption(FLAP_STORM_BENCH.name, 'carrier-flaps', v['carrier-flaps'], v.quick ? 10 : 100, 0);
  const adminFlaps = intOption(FLAP_STORM_BENCH.name, 'admin-flaps', v['admin-flaps'], v.quick ? 1 : 10, 0);
  if (carrierFlaps === null || adminFlaps === null) return 2;
  const keep = v['keep-capture'] !== undefined ? resolve(v['keep-capture']) : null;
  // Refused before the storm, not after it: nothing of the user's is replaced.
  const taken = keep === null ? undefined : KEPT.find((f) => existsSync(join(keep, f)));
  if (taken !== undefined) {
    process.stderr.write(`${FLAP_STORM_BENCH.name}: --keep-capture ${v['keep-capture']}: ${taken} is already there (not replaced)\n`);
    return 2;
  }
  return {
    quick: v.quick,
    carrierFlaps,
    adminFlaps,
    out: v.out !== undefined ? resolve(v.out) : join(ROOT, 'bench', 'results'),
    keepCapture: keep,
  };
}

/** What --keep-capture leaves in its folder: the names kfib replay DIR reads. */
const KEPT = ['trace.rtmon', 'before.json'] as const;

/** Moves a file, by copy when it crosses file systems (the temporary folder may be elsewhere). */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    rmSync(from);
  }
}

function progress(msg: string): void {
  process.stderr.write(`flap-storm: ${msg} (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})\n`);
}

/** The storm's command lines after the first load ('reload' adds the table again). */
export function stormLines(carrierFlaps: number, adminFlaps: number, reload: string): string[] {
  const out: string[] = [];
  const per = adminFlaps > 0 ? Math.ceil(carrierFlaps / adminFlaps) : carrierFlaps;
  let c = 0;
  for (let a = 0; a < Math.max(adminFlaps, 1); a++) {
    for (let i = 0; i < per && c < carrierFlaps; i++, c++) out.push('ip link set v1 down', 'ip link set v1 up');
    if (a < adminFlaps) out.push('ip link set v0 down', 'ip link set v0 up', reload);
  }
  return out;
}

/** Nanosecond stamps (date +%s%N) as milliseconds. */
function stampsOf(path: string): number[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((x) => Number(BigInt(x) / 1000n) / 1000);
}

interface KernelStorm {
  readonly livedMs: number;
  readonly stormMs: number;
  readonly loadMs: number;
  readonly captureBytes: number;
}

/**
 * Shell lines writing the namespace's state as `kfib replay --initial` reads it (the
 * `ip -j` dumps of ../shared/traces/capture.sh's before.json; null where one prints nothing).
 */
function initialStateLines(path: string): string[] {
  const dump = (key: string, cmd: string, last: boolean): string => `o=$(${cmd} 2>/dev/null) || o=; [ -n "$o" ] || o=null; printf '"${key}":%s${last ? '}' : ','}\n' "$o" >> ${path}`;
  return [
    `printf '{' > ${path}`,
    dump('link', 'ip -j link show', false),
    dump('addr', 'ip -j addr show', false),
    dump('route', 'ip -j route show table all', false),
    dump('rule', 'ip -j rule show', false),
    dump('netconf', 'ip -j -4 netconf show', false),
    dump('nexthop', 'ip -j nexthop show', true),
  ];
}

/**
 * Lives the storm in a private namespace with rtmon recording; the capture is left at
 * `capture`, the namespace's state before it at `initial` (a replay without one is a named
 * gap: it cannot know what the host held before the trace).
 */
function kernelStorm(batch: string, probe: string, lines: readonly string[], dir: string, capture: string, initial: string): KernelStorm {
  const times = join(dir, 'times');
  const backOk = "awk '/linkdown/{bad=1} /via/{ok=1} END{exit !(ok && !bad)}'";
  const script = [
    'set -e',
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1',
    ...initialStateLines(initial),
    `rtmon file ${capture} & RTMON=$!`,
    // rtmon has started once its link dump is written.
    `until [ -s ${capture} ]; do sleep 0.05; done`,
    `date +%s%N >> ${times}`,
    ...SETUP,
    `ip -force -batch ${batch} 2>/dev/null || true`,
    `until ${probe} 2>&1 | ${backOk}; do :; done`,
    `date +%s%N >> ${times}`,
    ...lines,
    `until ${probe} 2>&1 | ${backOk}; do :; done`,
    `date +%s%N >> ${times}`,
    // Let rtmon write what the kernel sent, then stop it.
    'sleep 1',
    'kill $RTMON; wait $RTMON 2>/dev/null || true',
  ];
  writeFileSync(join(dir, 'storm.sh'), script.join('\n') + '\n');
  const r = spawnSync('unshare', ['-n', 'sh', join(dir, 'storm.sh')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`Kernel storm failed (exit ${r.status}): ${r.stderr.trim().slice(0, 500)}`);
  const st = stampsOf(times);
  return { livedMs: st[2]! - st[0]!, stormMs: st[2]! - st[1]!, loadMs: st[1]! - st[0]!, captureBytes: statSync(capture).size };
}

interface ModelReplay {
  readonly ms: number;
  readonly summary: string;
}

/** `kfib replay CAPTURE` in a child process, timed from spawn to exit. */
function modelReplay(capture: string, initial: string): ModelReplay {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [KFIB, 'replay', capture, '--initial', initial], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = performance.now() - t0;
  const summary = r.stdout.trim().split('\n').slice(-3).join(' | ');
  if (r.status !== 0) throw new Error(`kfib replay exited ${r.status}: ${summary} ${r.stderr.trim().slice(0, 500)}`);
  return { ms, summary };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'number') {
    process.exitCode = args;
    return;
  }
  const why = kernelUnavailable();
  if (why !== null) {
    console.log(`${why}: the flap storm needs the kernel to live it (and rtmon to capture it)`);
    return;
  }
  const startLoad = loadavg();
  const table = loadTable(join(SHARED, 'data', 'ipv4-fulltable-iprbench.txt'));
  const last = table.entries.reduce((a, e) => (e.prefix > a.prefix || (e.prefix === a.prefix && e.len > a.len) ? e : a));
  const probe = `ip route get fibmatch ${formatIp(last.prefix)}`;
  const dir = mkdtempSync(join(tmpdir(), 'kfib-storm-'));
  const batch = join(dir, 'routes.batch');
  writeFileSync(batch, table.entries.map((e) => `route add ${formatPrefix(e)} via ${GW} dev v0`).join('\n') + '\n');
  const lines = stormLines(args.carrierFlaps, args.adminFlaps, `ip -force -batch ${batch} 2>/dev/null || true`);
  const capture = join(dir, 'storm.rtmon');
  const initial = join(dir, 'before.json');
  try {
    progress(`kernel: living the storm (${args.carrierFlaps} carrier flaps, ${args.adminFlaps} admin flaps with ${args.adminFlaps} reloads of ${table.entries.length} routes) with rtmon capturing`);
    const k = kernelStorm(batch, probe, lines, dir, capture, initial);
    progress(`kernel: ${(k.livedMs / 1000).toFixed(1)} s lived (storm ${(k.stormMs / 1000).toFixed(1)} s), capture ${(k.captureBytes / 2 ** 20).toFixed(0)} MiB; model: kfib replay of the capture`);
    const m = modelReplay(capture, initial);
    progress(`model: ${(m.ms / 1000).toFixed(1)} s`);
    const endLoad = loadavg();
    const result = {
      bench: 'flap-storm',
      machine: machineInfo(),
      loadAverage: { start: startLoad, end: endLoad },
      date: new Date().toISOString(),
      table: { prefixes: table.entries.length, via: `${GW} dev v0` },
      storm: { carrierFlaps: args.carrierFlaps, adminFlaps: args.adminFlaps, reloads: args.adminFlaps },
      kernel: { livedMs: k.livedMs, firstLoadMs: k.loadMs, stormMs: k.stormMs, captureBytes: k.captureBytes, note: 'wall time in a private namespace with rtmon capturing, until ip route get fibmatch LAST shows the state' },
      model: { replayMs: m.ms, command: 'kfib replay CAPTURE --initial BEFORE (child process, spawn to exit)', summary: m.summary },
      speedup: ratio(k.livedMs, m.ms),
    };
    console.log(`kernel lived ${(k.livedMs / 1000).toFixed(1)} s (first load ${(k.loadMs / 1000).toFixed(1)} s, storm ${(k.stormMs / 1000).toFixed(1)} s); kfib replay ${(m.ms / 1000).toFixed(1)} s: ${(k.livedMs / m.ms).toFixed(2)}x`);
    console.log(`replay: ${m.summary}`);
    console.log(`load average: start ${startLoad.map((x) => x.toFixed(2)).join(' ')}, end ${endLoad.map((x) => x.toFixed(2)).join(' ')}`);
    if (!args.quick) {
      mkdirSync(args.out, { recursive: true });
      writeFileSync(join(args.out, 'flap-storm.json'), JSON.stringify(result, null, 2) + '\n');
      console.log(`wrote ${join(args.out, 'flap-storm.json')}`);
    }
    if (args.keepCapture !== null) {
      mkdirSync(args.keepCapture, { recursive: true });
      moveFile(capture, join(args.keepCapture, KEPT[0]));
      moveFile(initial, join(args.keepCapture, KEPT[1]));
      console.log(`kept the capture in ${args.keepCapture} (kfib replay ${args.keepCapture})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
