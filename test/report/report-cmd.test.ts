// `kfib replay --html FILE`: the report is written for good traces, for a trace without
// silent changes, for an empty trace, and for traces that fail to parse (with the events
// before the fault and the fault itself in the page); a report that cannot be written is
// a clear error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureNames, fixturePath } from '../trace/_fixtures.js';
import { kfibReplay, reportDataOf, reportMoments } from './_report-cli.js';

const F01 = '01-addr-del-policy-route';
const F04 = '04-secondary-promotion';
const has = (n: string): boolean => fixtureNames().includes(n);

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-report-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--html writes one self-contained page with the trace replayed in it', { skip: !has(F01) }, () =>
  withDir((dir) => {
    const out = join(dir, 'report.html');
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--html', out, fixturePath(F01, 'trace.rtmon')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /kfib replay: report written to .*report\.html \(\d+ bytes\)\n/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href)=/i);
    assert.doesNotMatch(html, /<link\b/i);
    const data = reportDataOf(html);
    assert.equal(data['title'], 'trace.rtmon');
    assert.equal(reportMoments(html).length, 6);
    // The usual output is unchanged.
    assert.match(r.stdout, /^local 10\.0\.1\.3 dev lo table local/);
  }),
);

test('a trace with no silent change gives a page (the page says so)', { skip: !has(F04) }, () =>
  withDir((dir) => {
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--initial', fixturePath(F04, 'before.json'), '--html', out, fixturePath(F04, 'trace.rtmon')]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(reportMoments(readFileSync(out, 'utf8')).length > 20);
  }),
);

test('an empty trace gives a page of the initial state', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'empty.rtmon'), '');
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--html', out, join(dir, 'empty.rtmon')]);
    // No --initial: the state before the (empty) trace is unknown, a named gap (exit 3).
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /initial state unknown \(no --initial, no before\.json\)/);
    const data = reportDataOf(readFileSync(out, 'utf8'));
    assert.equal(data['moments'], 0);
    assert.match(JSON.stringify(data['problems']), /no --initial snapshot/);
  }),
);

test('a truncated rtmon file: the page holds the notifications before the fault and names it; exit 2', { skip: !has(F01) }, () =>
  withDir((dir) => {
    const bytes = readFileSync(fixturePath(F01, 'trace.rtmon'));
    writeFileSync(join(dir, 'cut.rtmon'), bytes.subarray(0, bytes.length - 100));
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--html', out, join(dir, 'cut.rtmon')]);
    assert.equal(r.status, 2);
    const data = reportDataOf(readFileSync(out, 'utf8'));
    const problems = data['problems'] as { message: string; fatal: boolean }[];
    assert.ok(problems.some((p) => p.fatal && /cut\.rtmon: byte \d+: .*the rest of the trace is not shown$/.test(p.message)), JSON.stringify(problems));
    assert.ok(reportMoments(readFileSync(out, 'utf8')).length >= 3);
  }),
);

test('a file that is not a trace: a page with the parse error; exit 2', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'notes.txt'), 'hello world\nthis is not ip monitor output\n');
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--html', out, join(dir, 'notes.txt')]);
    assert.equal(r.status, 2);
    const problems = reportDataOf(readFileSync(out, 'utf8'))['problems'] as { message: string; fatal: boolean }[];
    assert.ok(problems.some((p) => /notes\.txt: line 1: Cannot parse/.test(p.message)), JSON.stringify(problems));
  }),
);

test('a kfib event log: one moment per event, without times; a bad line is a fatal problem in the page', { skip: !has(F01) }, () =>
  withDir((dir) => {
    const log = join(dir, 'events.jsonl');
    const made = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--out', log, fixturePath(F01, 'trace.rtmon')]);
    assert.equal(made.status, 0, made.stderr);
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--html', out, log]);
    assert.equal(r.status, 0, r.stderr);
    const moments = reportMoments(readFileSync(out, 'utf8'));
    const events = readFileSync(log, 'utf8').trim().split('\n').length;
    assert.ok(events >= 10, `${events} events`);
    assert.equal(moments.length, events);
    assert.ok(moments.every((m) => m.t === undefined && m.type === 'event' && m.n === 1));
    writeFileSync(log, `${readFileSync(log, 'utf8')}{"v":1,"seq":99}\n{"v":1}\n`);
    const bad = kfibReplay(['--html', out, log]);
    assert.equal(bad.status, 2);
    const problems = reportDataOf(readFileSync(out, 'utf8'))['problems'] as { message: string; fatal: boolean }[];
    const want = new RegExp(`events\\.jsonl: byte [0-9]+ \\(line ${events + 1}\\): expected seq ${events + 1}, got 99`);
    assert.ok(problems.some((p) => p.fatal && want.test(p.message)), JSON.stringify(problems));
  }),
);

test('a report that cannot be written is refused before the replay, exit 2', { skip: !has(F01) }, () =>
  withDir((dir) => {
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--html', join(dir, 'no', 'such', 'dir', 'r.html'), fixturePath(F01, 'trace.rtmon')]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `kfib replay: --html ${join(dir, 'no', 'such', 'dir', 'r.html')}: the folder ${join(dir, 'no', 'such', 'dir')} does not exist\n`);
  }),
);

test('an ip monitor log gives the same moments, without senders', { skip: !has(F01) }, () =>
  withDir((dir) => {
    const out = join(dir, 'r.html');
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--html', out, fixturePath(F01, 'monitor.txt')]);
    assert.equal(r.status, 0, r.stderr);
    const data = reportDataOf(readFileSync(out, 'utf8'));
    assert.equal(data['format'], 'monitor');
    const moments = reportMoments(readFileSync(out, 'utf8'));
    assert.deepEqual(moments.map((m) => [m.seq, m.role, m.n, m.by]), [[1, 'cause', 1, undefined], [2, 'cause', 1, undefined], [3, 'cause', 1, undefined], [4, 'consequence', 0, undefined], [5, 'consequence', 0, undefined], [6, 'consequence', 0, undefined]]);
    assert.ok(moments.every((m) => m.t !== undefined));
  }),
);
