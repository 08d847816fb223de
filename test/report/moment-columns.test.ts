// The moments block (moment-columns.ts): chunks of run-length coded columns, written by the
// recorder a chunk at a time and read by the page into its columns. Every moment read back
// is the moment written, whatever its fields, across chunk boundaries; damage is named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MOMENT_CHUNK, MomentWriter, momentRole, momentTime, readMoments } from '../../core/report/moment-columns.js';
import { ByteWriter } from '../../core/report/page-codec.js';
import { ROLES, type ReportMoment } from '../../core/report/report-data.js';

interface Written {
  readonly m: ReportMoment;
  readonly type: number;
  readonly by: number;
}

function write(list: readonly Written[]): Uint8Array {
  const w = new ByteWriter();
  const mw = new MomentWriter();
  for (const x of list) mw.add(w, x.m, x.type, x.by);
  mw.flush(w);
  return w.take();
}

/** What the page's columns say of each moment, as the writer was given it. */
function readBack(bytes: Uint8Array, count: number): [number, string | undefined, number, number, string, number][] {
  const c = readMoments(bytes, count);
  assert.ok(typeof c !== 'string', String(c));
  return Array.from({ length: count }, (_, k) => [c.seq[k] as number, momentTime(c, k), c.type[k] as number, c.by[k] as number, momentRole(c, k), (c.start[k + 1] as number) - (c.start[k] as number)]);
}

const expected = (list: readonly Written[]): [number, string | undefined, number, number, string, number][] => list.map((x) => [x.m.seq, x.m.t, x.type, x.by, x.m.role, x.m.n]);

const moment = fc.record({
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  t: fc.option(fc.tuple(fc.integer({ min: 0, max: 2 ** 33 }), fc.integer({ min: 0, max: 999999 })).map(([s, u]) => `${s}.${String(u).padStart(6, '0')}`), { nil: undefined }),
  role: fc.constantFrom(...ROLES),
  n: fc.integer({ min: 0, max: 300 }),
  type: fc.integer({ min: 0, max: 20 }),
  by: fc.integer({ min: -1, max: 5 }),
});

test('any moments, timed or not, with or without a sender, are read back as written', () => {
  fc.assert(
    fc.property(fc.array(moment, { maxLength: 200 }), (xs) => {
      const list: Written[] = xs.map((x) => ({ m: { seq: x.seq, ...(x.t === undefined ? {} : { t: x.t }), type: '?', role: x.role, text: '', n: x.n }, type: x.type, by: x.by }));
      const bytes = write(list);
      assert.deepEqual(readBack(bytes, list.length), expected(list));
      // The latest time, as µs since the first time stamp (0 at least).
      const c = readMoments(bytes, list.length);
      assert.ok(typeof c !== 'string');
      const us = list.flatMap((x) => (x.m.t === undefined ? [] : [Number(x.m.t.split('.')[0]) * 1e6 + Number(x.m.t.split('.')[1])]));
      assert.equal(c.latest, us.length === 0 ? 0 : Math.max(0, ...us.map((u) => u - (us[0] as number))));
      assert.equal(c.timed, us.length);
    }),
    { numRuns: 300 },
  );
});

test('a long trace: chunks of MOMENT_CHUNK moments, runs cut at their edges, read back whole; a regular trace is a few bytes a chunk', () => {
  // Seq up by one, one sender, times a microsecond apart, but a burst of others every 1000.
  const count = MOMENT_CHUNK * 2 + 1234;
  const list: Written[] = [];
  let sec = 1795200000;
  let usec = 999000;
  for (let k = 0; k < count; k++) {
    usec += k % 1000 === 0 ? 777 : 1;
    if (usec > 999999) {
      sec++;
      usec -= 1000000;
    }
    const odd = k % 1000 < 3;
    list.push({ m: { seq: k + 1, t: `${sec}.${String(usec).padStart(6, '0')}`, type: '?', role: odd ? 'consequence' : 'cause', text: '', n: odd ? 0 : 1 }, type: odd ? 1 : 0, by: odd ? -1 : 0 });
  }
  const bytes = write(list);
  assert.deepEqual(readBack(bytes, count), expected(list));
  // Nine bytes a moment as records; here the runs, about 30 bytes per 1000 moments.
  assert.ok(bytes.length < count / 10, `${bytes.length} bytes for ${count} moments`);
  const regular = write(list.slice(1, 1000));
  assert.ok(regular.length < 64, `${regular.length} bytes for 999 regular moments`);
});

test('damaged moments are named, never read as other moments', () => {
  const list: Written[] = [1, 2, 3].map((seq) => ({ m: { seq, type: '?', role: 'cause', text: '', n: 1 }, type: 0, by: 0 }));
  const bytes = write(list);
  assert.deepEqual(readBack(bytes, 3), expected(list));
  assert.equal(readMoments(bytes, 4), 'moments 4 and on (of 4): the column ends at byte 11, in the middle of a value that starts at byte 11');
  assert.equal(readMoments(bytes, 2), 'moments 1 and on (of 2): a chunk of 3 moments where 2 are left (at most 65536 a chunk)');
  assert.equal(readMoments(bytes.subarray(0, 8), 3), 'moments 1 and on (of 3): the column ends at byte 8, in the middle of a value that starts at byte 8');
  const longRun = Uint8Array.from(bytes);
  longRun[2] = 4; // the flags column's one run: 4 where 3 moments are
  assert.equal(readMoments(longRun, 3), 'moments 1 and on (of 3): the flags column has a run of 4 where 3 moments are left');
  assert.equal(readMoments(Uint8Array.from([...bytes, 0]), 3), 'the moment records go on after the 3 moments the data names');
});

test('times too far apart for exact microseconds are refused by name, not rounded', () => {
  // 10^10 s after the first: 10^16 µs, past 2^53, where a double skips odd microseconds.
  const at = (seq: number, t: string): Written => ({ m: { seq, t, type: '?', role: 'cause', text: '', n: 1 }, type: 0, by: 0 });
  const far = [at(1, '0.000001'), at(2, '10000000000.000003')];
  assert.equal(readMoments(write(far), 2), 'moments 1 and on (of 2): a time stamp 10000000000 s from the first: beyond exact microseconds');
  // Just inside: 2^33 s (the largest u32 second of an rtmon time stamp is below it) reads back exactly.
  const near = [at(1, '0.000001'), at(2, '8589934592.999999')];
  assert.deepEqual(readBack(write(near), 2), expected(near));
});
