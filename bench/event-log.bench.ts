// Logs of any size in bounded memory (issue 13 item 4, issue 15 item 3): a JSON Lines event
// log of N events (a veth, an address, then route add/del cycling over 100,000 prefixes, so
// the FIB stays bounded and only the log grows) is generated here, never committed, and
// replayed with `kfib replay` in a child process; its peak RSS (/usr/bin/time %M) and time
// are recorded. Then `kfib run --log` appends to it (head and tail read only).
// Usage: node dist/bench/event-log.bench.js [--events N ...] [--gib G] [--dir D]
// Writes bench/results/event-log.json. Times are noisy on a shared machine; RSS is not.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './_harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../cli/kfib.js');
const RESULTS = resolve(here, '../../bench/results/event-log.json');
const PREFIXES = 100_000;

const SETUP = [
  '{"type":"link-add","link":{"ifindex":3,"name":"veth0","kind":"veth","up":true},"peer":{"ifindex":2,"name":"veth1","kind":"veth","up":false}}',
  '{"type":"link-set","ifindex":2,"up":true}',
  '{"type":"addr-add","ifindex":3,"local":3221225985,"address":3221225985,"prefixlen":24,"broadcast":0,"scope":0,"metric":0,"noprefixroute":false,"replace":false}',
];
const route = (add: boolean, dst: number): string =>
  add
    ? `{"type":"route-new","op":"add","cfg":{"table":254,"dst":${dst},"plen":24,"tos":0,"type":"unicast","scope":253,"protocol":3,"priority":0,"prefsrc":0,"nhs":[{"dev":3,"gw":null,"weight":1,"onlink":false}],"multipath":false,"nhid":0}}`
    : `{"type":"route-del","cfg":{"table":254,"dst":${dst},"plen":24,"tos":0,"type":null,"scope":255,"protocol":0,"priority":0,"prefsrc":0,"nhs":[{"dev":3,"gw":null,"weight":1,"onlink":false}],"multipath":false,"nhid":0}}`;

/** Writes a log of `events` events (or until `bytes`), returns [events, bytes]. */
function generate(path: string, limit: { events?: number; bytes?: number }): [number, number] {
  const fd = openSync(path, 'w');
  let seq = 0;
  let bytes = 0;
  let buf = '';
  const put = (event: string): void => {
    buf += `{"v":1,"seq":${++seq},"event":${event}}\n`;
    if (buf.length > 1 << 20) {
      bytes += writeSync(fd, buf);
      buf = '';
    }
  };
  for (const e of SETUP) put(e);
  for (let i = 0; ; i++) {
    if (limit.events !== undefined && seq >= limit.events) break;
    if (limit.bytes !== undefined && bytes + buf.length >= limit.bytes) break;
    const cycle = Math.floor(i / PREFIXES);
    put(route(cycle % 2 === 0, (0x0a000000 + (i % PREFIXES) * 256) >>> 0));
  }
  if (buf !== '') bytes += writeSync(fd, buf);
  closeSync(fd);
  return [seq, bytes];
}

function measure(args: string[]): { seconds: number; maxRssMiB: number; code: number | null; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'KFIB_MAXRSS %M', process.execPath, KFIB, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /KFIB_MAXRSS (\d+)/.exec(r.stderr);
  return { seconds, maxRssMiB: m === null ? -1 : Math.round(Number(m[1]) / 1024), code: r.status, stderr: r.stderr.replace(/KFIB_MAXRSS \d+\n?/, '').trim() };
}

const { values } = parseArgs({ options: { events: { type: 'string', multiple: true }, gib: { type: 'string' }, dir: { type: 'string' } } });
const startLoad = loadavg();
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'kfib-logbench-'));
const rows: Record<string, unknown>[] = [];
try {
  const sizes = (values.events ?? ['100000', '1000000']).map(Number);
  const runs: { name: string; limit: { events?: number; bytes?: number } }[] = sizes.map((n) => ({ name: `${n} events`, limit: { events: n } }));
  if (values.gib !== undefined) runs.push({ name: `${values.gib} GiB`, limit: { bytes: Number(values.gib) * 2 ** 30 } });
  for (const run of runs) {
    const log = join(dir, 'log.jsonl');
    const [events, bytes] = generate(log, run.limit);
    const replay = measure(['replay', log]);
    const script = join(dir, 'append.ip');
    writeFileSync(script, 'sysctl -w net.ipv4.ip_forward=1\n');
    const append = measure(['run', '--log', log, script]);
    const row = { log: run.name, events, bytes: statSync(log).size, bytesWritten: bytes, replaySeconds: +replay.seconds.toFixed(2), replayMaxRssMiB: replay.maxRssMiB, replayExit: replay.code, appendSeconds: +append.seconds.toFixed(3), appendMaxRssMiB: append.maxRssMiB, appendExit: append.code, appendSays: (append.stderr.split('\n').pop() ?? '').replaceAll(log, 'LOG.jsonl') };
    rows.push(row);
    console.log(JSON.stringify(row));
    if (replay.code !== 0) console.log(replay.stderr);
    rmSync(log);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(RESULTS, `${JSON.stringify({ bench: 'event-log', date: new Date().toISOString(), loadAverage: { start: startLoad, end: loadavg() }, note: 'kfib replay of a JSON Lines event log and one kfib run --log append to it, each in a child process; peak RSS from /usr/bin/time. Reference (issue 13, before streaming): 1M events 1.22 GB RSS; logs over ~512 MiB could not be read.', machine: machineInfo(), rows }, null, 1)}\n`);
console.log(`written ${RESULTS}`);
