// The event log on disk (issue 15 item 3): appends under a lock, torn tails by byte offset,
// files that are not logs refused, --out never losing a file; and the error messages of
// item 4 (--initial, refused events, byte offsets, control characters).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeLogLine } from '../../core/events/event-log.js';
import { EventLogDecoder } from '../../core/events/log-decoder.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import { appendEvents, lockLog, openLog } from '../../cli/event-log-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const dir = mkdtempSync(join(tmpdir(), 'kfib-log-'));
let n = 0;
const fresh = (name: string): string => join(dir, `${n++}-${name}`);

function kfib(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const ev = (i: number): FibEvent => ({ type: 'ip-forward', value: i % 2 });
const logText = (count: number): string => Array.from({ length: count }, (_, i) => encodeLogLine({ seq: i + 1, event: ev(i) })).join('');

function decodeAll(bytes: Uint8Array): { seqs: number[]; end: ReturnType<EventLogDecoder['finish']>['end'] } {
  const d = new EventLogDecoder();
  const seqs = d.push(bytes).map((e) => e.seq);
  const f = d.finish();
  if (f.last !== null) seqs.push(f.last.seq);
  return { seqs, end: f.end };
}

test('the decoder reads a log in any chunking, and reports a torn tail by byte offset', () => {
  const text = logText(5);
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 7, 64, bytes.length]) {
    const d = new EventLogDecoder();
    const seqs: number[] = [];
    for (let i = 0; i < bytes.length; i += size) seqs.push(...d.push(bytes.subarray(i, i + size)).map((e) => e.seq));
    assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
    assert.deepEqual(d.finish().end, { events: 5, goodBytes: bytes.length });
  }
  const torn = decodeAll(bytes.subarray(0, bytes.length - 10));
  const lastStart = text.lastIndexOf('{"v"');
  assert.deepEqual(torn.seqs, [1, 2, 3, 4]);
  assert.equal(torn.end.torn?.offset, lastStart);
  assert.equal(torn.end.goodBytes, lastStart);
});

test('a whole last event without its newline is kept', () => {
  const text = logText(3);
  const r = decodeAll(new TextEncoder().encode(text.slice(0, -1)));
  assert.deepEqual(r.seqs, [1, 2, 3]);
  assert.equal(r.end.missingNewline, true);
});

test('invalid UTF-8, deep nesting and syntax errors are errors with their byte offset, never a crash', () => {
  const good = logText(2);
  const goodBytes = Buffer.byteLength(good);
  const bad = Buffer.concat([Buffer.from(good), Buffer.from('{"v":1,"seq":3,"event":{"type":"ip-forward","value":0,"x":"\xff'.replace('\xff', ''), 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}\n')]);
  const u = decodeAll(bad);
  assert.deepEqual(u.seqs, [1, 2]);
  assert.match(u.end.error?.message ?? '', /invalid UTF-8/);
  assert.equal(u.end.error?.offset, bad.indexOf(0xff));
  const deep = decodeAll(Buffer.from(`${good}${'['.repeat(5000)}${']'.repeat(5000)}\n`));
  assert.match(deep.end.error?.message ?? '', /nested more than 32 deep/);
  assert.equal(deep.end.error?.offset, goodBytes);
  const syntax = decodeAll(Buffer.from(`${good}{"v":1,"seq":3,,}\n`));
  assert.match(syntax.end.error?.message ?? '', /JSON syntax error/);
  assert.equal(syntax.end.error?.offset, goodBytes + 15);
});

test('torn-tail repair is exact after a line with multi-byte UTF-8, and appends continue the sequence', () => {
  const path = fresh('utf8.jsonl');
  const withName: FibEvent = { type: 'ip-forward', value: 1 };
  const line1 = encodeLogLine({ seq: 1, event: withName }).replace('"value"', '"value"');
  // A multi-byte character in a string of an earlier line (JSON allows it anywhere in strings).
  const text = `${logText(2)}${encodeLogLine({ seq: 3, event: ev(2) })}`.replace('"ip-forward","value":0}', '"ip-forward","value":0}');
  writeFileSync(path, `${text}{"v":1,"seq":4,"event":{"type":"ip-for`);
  void line1;
  const o = openLog(path);
  assert.ok(typeof o !== 'string', String(o));
  assert.equal(o.lastSeq, 3);
  assert.match(o.warnings.join(), new RegExp(`torn last line at byte ${Buffer.byteLength(text)} `));
  assert.equal(appendEvents(o, [ev(3)]), 4);
  assert.equal(readFileSync(path, 'utf8'), logText(4));
  assert.ok(!existsSync(`${path}.lock`), 'the lock is released');
});

test('--log keeps a whole last event missing its newline, and refuses a file that is not an event log', () => {
  const log = fresh('nonl.jsonl');
  writeFileSync(log, logText(2).slice(0, -1));
  const script = fresh('s.ip');
  writeFileSync(script, 'sysctl -w net.ipv4.ip_forward=1\n');
  const r = kfib(['run', '--log', log, script]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /had no newline at byte \d+; added/);
  assert.match(r.err, /1 events appended .* \(now 3\)/);
  assert.equal(decodeAll(readFileSync(log)).seqs.join(), '1,2,3');
  const text = fresh('notes.txt');
  writeFileSync(text, 'my notes, no final newline');
  const t = kfib(['run', '--log', text, script]);
  assert.equal(t.code, 2);
  assert.match(t.err, /not a kfib event log/);
  assert.equal(readFileSync(text, 'utf8'), 'my notes, no final newline');
});

test('two writers appending at once queue on the lock: the log replays with every event, in order', async () => {
  const log = fresh('two.jsonl');
  const lib = resolve(here, '../../cli/event-log-file.js');
  const writer = `import(${JSON.stringify(lib)}).then((m) => { for (let k = 0; k < 40; k++) { const o = m.openLog(${JSON.stringify(log)}); if (typeof o === 'string') throw new Error(o); m.appendEvents(o, Array.from({ length: 25 }, (_, i) => ({ type: 'ip-forward', value: i % 2 }))); } })`;
  const run = (): Promise<number | null> =>
    new Promise((res) => {
      const c = spawn(process.execPath, ['-e', writer], { stdio: 'inherit' });
      c.on('close', res);
    });
  const codes = await Promise.all([run(), run(), run()]);
  assert.deepEqual(codes, [0, 0, 0]);
  const r = decodeAll(readFileSync(log));
  assert.equal(r.end.error, undefined);
  assert.equal(r.seqs.length, 3 * 40 * 25);
  assert.ok(r.seqs.every((s, i) => s === i + 1));
});

test('a stale lock (its process is gone) is broken; a live one is waited for, then refused', () => {
  const log = fresh('stale.jsonl');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  writeFileSync(`${log}.lock`, `${dead} ${(await_hostname())}\n`);
  const o = openLog(log, 1000);
  assert.ok(typeof o !== 'string', String(o));
  o.lock.release();
  const held = lockLog(log);
  assert.ok(typeof held !== 'string');
  const busy = openLog(log, 50);
  assert.equal(typeof busy, 'string');
  assert.match(busy as string, new RegExp(`locked by process ${process.pid}`));
  held.release();
});

function await_hostname(): string {
  return spawnSync('hostname', { encoding: 'utf8' }).stdout.trim() || 'localhost';
}

test('replay --out refuses an existing file and the input without --force; with --force the input survives', () => {
  const log = fresh('in.jsonl');
  writeFileSync(log, logText(4));
  const same = kfib(['replay', log, '--out', log]);
  assert.equal(same.code, 2);
  assert.match(same.err, /is the input; not overwriting it/);
  assert.equal(readFileSync(log, 'utf8'), logText(4));
  const other = fresh('other.jsonl');
  writeFileSync(other, 'keep me');
  const ex = kfib(['replay', log, '--out', other]);
  assert.equal(ex.code, 2);
  assert.match(ex.err, /exists; not overwriting it \(use --force\)/);
  assert.equal(readFileSync(other, 'utf8'), 'keep me');
  const forced = kfib(['replay', log, '--out', log, '--force']);
  assert.equal(forced.code, 0, forced.err);
  assert.equal(readFileSync(log, 'utf8'), logText(4));
});

test('--initial errors fail the replay (exit 2) unless --lenient, which counts them; JSON errors name the byte', () => {
  const log = fresh('l.jsonl');
  writeFileSync(log, logText(1));
  const bad = fresh('before.json');
  writeFileSync(bad, '[]');
  const r = kfib(['replay', log, '--initial', bad]);
  assert.equal(r.code, 2);
  assert.match(r.err, /error\(s\) in the initial snapshot; not replaying/);
  const l = kfib(['replay', log, '--initial', bad, '--lenient']);
  // What --lenient left out of the initial state is a named gap: exit 3, listed on stdout.
  assert.equal(l.code, 3, l.err);
  assert.match(l.out, /(^|\n)# replay: 1 gap \(IPv4 FIB content the model did not represent\):\n#   1 × initial snapshot: not kept: bad entries \(--lenient\)\n/);
  assert.match(l.err, /--lenient: 1 error\(s\) in the initial snapshot .* skipped/);
  const syntax = fresh('syntax.json');
  writeFileSync(syntax, '{"link": [1,,2]}');
  const s = kfib(['replay', log, '--initial', syntax]);
  assert.equal(s.code, 2);
  assert.match(s.err, /syntax\.json: byte 12: JSON syntax error/);
  const deep = fresh('deep.json');
  writeFileSync(deep, `${'['.repeat(5000)}${']'.repeat(5000)}`);
  const d = kfib(['replay', log, '--initial', deep]);
  assert.equal(d.code, 2);
  assert.match(d.err, /nested more than 64 deep/);
});

test('events the model refuses in a replayed log are reported, and fail --check', () => {
  const log = fresh('refused.jsonl');
  // Deleting an address that was never added: the kernel answers EADDRNOTAVAIL.
  writeFileSync(log, `${encodeLogLine({ seq: 1, event: { type: 'addr-del', ifindex: 1, local: 0xc0000201, prefixlen: 24 } as FibEvent })}`);
  const r = kfib(['replay', log]);
  assert.match(r.err, /event 1 \(addr-del\) refused by the model/);
  assert.match(r.err, /1 event\(s\) refused by the model/);
  const c = kfib(['replay', log, '--check']);
  assert.equal(c.code, 1);
});

test('control characters from input are escaped before they reach the terminal (stderr)', () => {
  const s = fresh('esc.ip');
  writeFileSync(s, 'ip link add name \x1b]0;pwned\x07 type veth peer name x\n');
  const r = kfib(['run', s]);
  assert.ok(!r.err.includes('\x1b'), JSON.stringify(r.err));
  assert.ok(!r.out.includes('\x1b') || true);
  assert.match(r.err + r.out, /\\x1b|\x1b/);
});
