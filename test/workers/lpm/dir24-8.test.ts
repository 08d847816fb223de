// Tests for workers/lpm/dir24-8.ts: a compiled DIR-24-8 answers what fib_table_lookup()'s
// longest-prefix match answers, and an incremental change leaves it as a full compile would.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  applyDir24Change,
  buildDir24,
  cloneDir24,
  dir24Memory,
  lookupBatch,
  lookupDir24,
  type Dir24Table,
} from '../../../workers/lpm/dir24-8.js';
import { lookupLpmBatch } from '../../../workers/lpm/lpm-table.js';
import {
  applyModel,
  changesFor,
  ipv4Addr,
  modelOf,
  naiveLongestMatch,
  probeAddresses,
  routeSet,
} from './_lpm-model.js';

// Every build holds 80 MiB (tbl24 and its lengths), so runs are few.
const RUNS = { numRuns: 12 };

function answersAll(t: Dir24Table, addrs: Uint32Array): Uint32Array[] {
  const single = addrs.map((a) => lookupDir24(t, a));
  const js = new Uint32Array(addrs.length);
  lookupBatch(t, addrs, js);
  const wasm = new Uint32Array(addrs.length);
  lookupLpmBatch(t, addrs, wasm, 'wasm');
  return [single, js, wasm];
}

test('a lookup returns the value of the longest matching prefix (fib_table_lookup)', () =>
  fc.assert(
    fc.property(routeSet(), fc.array(ipv4Addr(), { maxLength: 50 }), (routes, dsts) => {
      const t = buildDir24(routes);
      const m = modelOf(routes);
      const addrs = probeAddresses(m, dsts);
      const expected = addrs.map((a) => naiveLongestMatch(m, a));
      for (const got of answersAll(t, addrs)) assert.deepEqual(got, expected);
    }),
    RUNS,
  ));

test('incremental changes leave the table a full compile of the result would give (fib_table_insert, fib_table_delete)', () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      ([routes, changes], dsts) => {
        const t = buildDir24(routes);
        const m = modelOf(routes);
        for (const ch of changes) {
          applyDir24Change(t, ch);
          applyModel(m, ch);
        }
        const rebuilt = buildDir24(m.values());
        const addrs = probeAddresses(m, [...dsts, ...changes.map((c) => c.prefix)]);
        const expected = addrs.map((a) => naiveLongestMatch(m, a));
        for (const got of answersAll(t, addrs)) assert.deepEqual(got, expected);
        assert.deepEqual(answersAll(rebuilt, addrs)[1], expected);
        assert.equal(dir24Memory(t).prefixes, m.size);
      },
    ),
    RUNS,
  ));

test('a change reports whether it changed anything: removing an absent prefix or re-inserting a value is a no-op', () => {
  const t = buildDir24([{ prefix: 0x0a000000, len: 8, value: 3 }]);
  assert.equal(applyDir24Change(t, { type: 'remove', prefix: 0x0b000000, len: 8 }), false);
  assert.equal(applyDir24Change(t, { type: 'insert', prefix: 0x0a000000, len: 8, value: 3 }), false);
  assert.equal(applyDir24Change(t, { type: 'insert', prefix: 0x0a000000, len: 8, value: 4 }), true);
  assert.equal(lookupDir24(t, 0x0a7f0001), 4);
});

test('a /25../32 splits its /24 into a group, and removing the last one folds the group back', () => {
  const t = buildDir24([{ prefix: 0xc0a80100, len: 24, value: 1 }]);
  applyDir24Change(t, { type: 'insert', prefix: 0xc0a80180, len: 25, value: 2 });
  assert.ok(t.tbl24[0xc0a801]! < 0, 'the /24 points at a tbl8 group');
  assert.equal(lookupDir24(t, 0xc0a80181), 2);
  assert.equal(lookupDir24(t, 0xc0a80101), 1);
  applyDir24Change(t, { type: 'remove', prefix: 0xc0a80180, len: 25 });
  assert.equal(t.tbl24[0xc0a801], 1, 'the group is folded back into tbl24');
  assert.deepEqual(t.aux.freeGroups, [0]);
});

test('removing a prefix hands its addresses to the next-shorter covering prefix', () => {
  const t = buildDir24([
    { prefix: 0, len: 0, value: 9 },
    { prefix: 0x0a000000, len: 8, value: 1 },
    { prefix: 0x0a010000, len: 16, value: 2 },
  ]);
  applyDir24Change(t, { type: 'remove', prefix: 0x0a010000, len: 16 });
  assert.equal(lookupDir24(t, 0x0a010203), 1);
  applyDir24Change(t, { type: 'remove', prefix: 0x0a000000, len: 8 });
  assert.equal(lookupDir24(t, 0x0a010203), 9);
});

test('a clone is independent of its original (the spare replica of a left-right pair)', () => {
  const t = buildDir24([{ prefix: 0x0a000000, len: 8, value: 1 }]);
  const c = cloneDir24(t);
  applyDir24Change(c, { type: 'insert', prefix: 0x0a000000, len: 8, value: 2 });
  assert.equal(lookupDir24(t, 0x0a000001), 1);
  assert.equal(lookupDir24(c, 0x0a000001), 2);
  assert.notEqual(c.heap.id, t.heap.id);
});

test('a bad prefix is refused with a message naming it', () => {
  assert.throws(() => buildDir24([{ prefix: 0x0a000001, len: 8, value: 1 }]), /host bits must be zero: got 10\.0\.0\.1\/8/);
  assert.throws(() => buildDir24([{ prefix: 0, len: 33, value: 1 }]), /length must be 0\.\.32: got 33/);
  assert.throws(() => buildDir24([{ prefix: 0, len: 0, value: 2 ** 31 }]), /value must be 0\.\.2\^31-1/);
});
