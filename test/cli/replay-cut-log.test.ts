// An `ip monitor` log cut while it was written (the monitor killed between the lines of a
// record, a copy of a growing file), made from 62-monitor-all-busy's monitor.txt: the cut
// record is a bad record, as a cut rtmon file's last message is, never a whole one. Before,
// a multipath route cut after its first leg (`\tnexthop via 10.20.0.55 dev br0 weight 1`),
// or inside it (`\tnexthop via 10.20.0.55` and no newline), was replayed as a route of one
// path and the replay said `exact` (exit 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', '62-monitor-all-busy');
const TEXT = readFileSync(join(DIR, 'monitor.txt'), 'utf8');
const LINES = TEXT.split('\n');
/** Line 40 (1-based) is `[…] [ROUTE]203.0.113.0/24 proto static `, 41 and 42 its two legs. */
const ROUTE_LINE = LINES.findIndex((l) => l.includes('[ROUTE]203.0.113.0/24 proto static'));

function replay(text: string, lenient: boolean): { code: number | null; summary: string[]; err: string[] } {
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-cut-'));
  try {
    const f = join(tmp, 'cut.txt');
    writeFileSync(f, text);
    const r = spawnSync(process.execPath, [KFIB, 'replay', f, '--initial', join(DIR, 'before.json'), '--names', join(DIR, 'names'), ...(lenient ? ['--lenient'] : [])], { encoding: 'utf8' });
    return {
      code: r.status,
      summary: r.stdout.split('\n').filter((l) => l.startsWith('# replay') || l.startsWith('#   ')),
      err: r.stderr.split('\n').filter((l) => l !== '' && !l.includes('bad record(s)')).map((l) => l.replace(tmp, 'TMP')),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('the fixture has the multipath route where the cuts are made', () => {
  assert.equal(ROUTE_LINE, 39);
  assert.equal(LINES[ROUTE_LINE + 1], '\tnexthop via 10.20.0.55 dev br0 weight 1 ');
  assert.equal(LINES[ROUTE_LINE + 2], '\tnexthop via 192.0.2.1 dev up0 weight 1 ');
});

test('cut after the first leg of a multipath route: one nexthop line is a bad record', () => {
  const text = `${LINES.slice(0, ROUTE_LINE + 2).join('\n')}\n`;
  const strict = replay(text, false);
  assert.equal(strict.code, 2);
  assert.deepEqual(strict.summary, ['# replay: stopped at a bad record (see stderr); the rest of the trace was not replayed']);
  assert.deepEqual(strict.err, ['kfib replay: TMP/cut.txt: line 41: Cannot parse route: a multipath route with one nexthop line (the kernel sends one path as RTA_GATEWAY/RTA_OIF): the record was cut']);
  const lenient = replay(text, true);
  assert.equal(lenient.code, 3);
  assert.deepEqual(lenient.summary, ['# replay: 1 gap (IPv4 FIB content the model did not represent):', '#   1 × bad records skipped (--lenient)']);
});

test('cut inside a line: the record it belongs to is a bad record', () => {
  const text = `${LINES.slice(0, ROUTE_LINE + 1).join('\n')}\n\tnexthop via 10.20.0.55`;
  const strict = replay(text, false);
  assert.equal(strict.code, 2);
  assert.deepEqual(strict.err, ['kfib replay: TMP/cut.txt: line 41: the log ends inside a line, "\tnexthop via 10.20.0.55" (no newline after it: cut while it was written); the record of line 40 is incomplete']);
  const lenient = replay(text, true);
  assert.equal(lenient.code, 3);
  assert.deepEqual(lenient.summary, ['# replay: 1 gap (IPv4 FIB content the model did not represent):', '#   1 × bad records skipped (--lenient)']);
});

test('cut inside a record\'s first line: the record before it is whole and replayed', () => {
  const text = `${LINES.slice(0, ROUTE_LINE + 3).join('\n')}\n[2026-12-07T01:22:22.251229] [NEIGH]Deleted 10.20`;
  const strict = replay(text, false);
  assert.equal(strict.code, 2);
  assert.deepEqual(strict.err, ['kfib replay: TMP/cut.txt: line 43: the log ends inside a line, "[2026-12-07T01:22:22.251229] [NEIGH]Deleted 10.20" (no newline after it: cut while it was written); its record is incomplete']);
});

test('the same text with its newline is whole: exact', () => {
  const text = `${LINES.slice(0, ROUTE_LINE + 3).join('\n')}\n`;
  const r = replay(text, false);
  assert.equal(r.code, 0);
  assert.deepEqual(r.summary, ['# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)']);
});

test('CRLF line ends read as LF', () => {
  const r = replay(TEXT.replace(/\n/g, '\r\n'), false);
  assert.equal(r.code, 0);
  assert.deepEqual(r.summary, ['# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)']);
});
