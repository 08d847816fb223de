// Tests for workers/lpm/poptrie.ts: a compiled poptrie answers what fib_table_lookup()'s
// longest-prefix match answers, changes give what a full compile gives, and every version
// stays valid after later changes (as an RCU reader's view of fib_trie does).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  applyPoptrieChanges,
  buildPoptrie,
  buildPoptrieColumns,
  lookupPoptrie,
  lookupPoptrieBatch,
  poptrieMemory,
  type PoptrieTable,
} from '../../../workers/lpm/poptrie.js';
import type { LpmChange } from '../../../workers/lpm/_prefix-index.js';
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

const RUNS = { numRuns: 60 };

function answersAll(t: PoptrieTable, addrs: Uint32Array): Uint32Array[] {
  const single = addrs.map((a) => lookupPoptrie(t, a));
  const js = new Uint32Array(addrs.length);
  lookupPoptrieBatch(t, addrs, js);
  const wasm = new Uint32Array(addrs.length);
  lookupLpmBatch(t, addrs, wasm, 'wasm');
  return [single, js, wasm];
}

test('a lookup returns the value of the longest matching prefix (fib_table_lookup)', () =>
  fc.assert(
    fc.property(routeSet(), fc.array(ipv4Addr(), { maxLength: 50 }), (routes, dsts) => {
      const t = buildPoptrie(routes);
      const m = modelOf(routes);
      const addrs = probeAddresses(m, dsts);
      const expected = addrs.map((a) => naiveLongestMatch(m, a));
      for (const got of answersAll(t, addrs)) assert.deepEqual(got, expected);
    }),
    RUNS,
  ));

test('changes, applied singly or in batches, give what a full compile of the result gives; earlier versions keep their answers', () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      fc.integer({ min: 1, max: 5 }),
      ([routes, changes], dsts, batch) => {
        const first = buildPoptrie(routes);
        const m = modelOf(routes);
        const addrs = probeAddresses(modelOf([...routes, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [
          ...dsts,
          ...changes.map((c) => c.prefix),
        ]);
        const before = answersAll(first, addrs)[1]!;
        let t = first;
        for (let i = 0; i < changes.length; i += batch) {
          const slice = changes.slice(i, i + batch);
          t = applyPoptrieChanges(t, slice);
          for (const ch of slice) applyModel(m, ch);
        }
        const expected = addrs.map((a) => naiveLongestMatch(m, a));
        for (const got of answersAll(t, addrs)) assert.deepEqual(got, expected);
        assert.deepEqual(answersAll(buildPoptrie(m.values()), addrs)[1], expected);
        assert.deepEqual(answersAll(first, addrs)[1], before, 'the first version is unchanged');
        assert.equal(poptrieMemory(t).prefixes, m.size);
      },
    ),
    RUNS,
  ));

test('only the newest version of a lineage accepts changes', () => {
  const t1 = buildPoptrie([{ prefix: 0x0a000000, len: 8, value: 1 }]);
  const t2 = applyPoptrieChanges(t1, [{ type: 'insert', prefix: 0x0a010000, len: 16, value: 2 }]);
  assert.throws(() => applyPoptrieChanges(t1, []), /not the newest of its lineage/);
  assert.equal(lookupPoptrie(t2, 0x0a010001), 2);
  assert.equal(lookupPoptrie(t1, 0x0a010001), 1);
});

test('garbage from many changes is compacted into a fresh heap, and older versions still answer', () => {
  const routes = Array.from({ length: 200 }, (_, i) => ({ prefix: (0x0a000000 + i * 256) >>> 0, len: 24, value: i + 1 }));
  const first = buildPoptrie(routes);
  let t = first;
  const m = modelOf(routes);
  for (let i = 0; i < 1500; i++) {
    const ch: LpmChange =
      i % 2 === 0
        ? { type: 'insert', prefix: (0x0a000000 + (i % 200) * 256 + 128) >>> 0, len: 25, value: i + 7 }
        : { type: 'remove', prefix: (0x0a000000 + ((i - 1) % 200) * 256 + 128) >>> 0, len: 25 };
    t = applyPoptrieChanges(t, [ch]);
    applyModel(m, ch);
  }
  assert.notEqual(t.heap.id, first.heap.id, 'a compaction moved the lineage to a new heap');
  const addrs = probeAddresses(m, [0x0a000080, 0x0a0100ff]);
  assert.deepEqual(answersAll(t, addrs)[2], addrs.map((a) => naiveLongestMatch(m, a)));
  assert.deepEqual(answersAll(first, addrs)[2], addrs.map((a) => naiveLongestMatch(modelOf(routes), a)));
});

test('a table built from columns answers as one built from entries (buildPoptrieColumns)', () =>
  fc.assert(
    fc.property(routeSet(), fc.array(ipv4Addr(), { maxLength: 20 }), (routes, dsts) => {
      const t = buildPoptrieColumns(
        Uint32Array.from(routes, (r) => r.prefix),
        Uint8Array.from(routes, (r) => r.len),
        Int32Array.from(routes, (r) => r.value),
      );
      const m = modelOf(routes);
      const addrs = probeAddresses(m, dsts);
      assert.deepEqual(answersAll(t, addrs)[2], addrs.map((a) => naiveLongestMatch(m, a)));
    }),
    RUNS,
  ));

test('buildPoptrieColumns refuses host bits and out-of-range values with the usual message', () => {
  assert.throws(() => buildPoptrieColumns(Uint32Array.of(0x0a000001), Uint8Array.of(8), Int32Array.of(1)), /host bits must be zero/);
  assert.throws(() => buildPoptrieColumns(Uint32Array.of(0x0a000000), Uint8Array.of(33), Int32Array.of(1)), /length must be 0..32/);
  assert.throws(() => buildPoptrieColumns(Uint32Array.of(0x0a000000), Uint8Array.of(8), Int32Array.of(-1)), /value must be/);
});

/** Prefixes in depth-first order (address ascending, shorter first), each once, as columns. */
function depthFirst(routes: Iterable<{ prefix: number; len: number; value: number }>): [Uint32Array, Uint8Array, Int32Array] {
  const es = [...routes].sort((x, y) => x.prefix - y.prefix || x.len - y.len);
  return [Uint32Array.from(es, (e) => e.prefix), Uint8Array.from(es, (e) => e.len), Int32Array.from(es, (e) => e.value)];
}

test('depth-first columns (the fast path, owned or copied) build the very arrays that any other order builds', () =>
  fc.assert(
    fc.property(routeSet(), (routes) => {
      const m = modelOf(routes);
      const general = buildPoptrie(routes);
      const [p, l, v] = depthFirst(m.values());
      for (const owned of [false, true]) {
        const t = buildPoptrieColumns(p, l, v, owned);
        assert.equal(t.aux.baseDfs, true);
        assert.deepEqual(Array.from(t.dirs), Array.from(general.dirs));
        assert.deepEqual(Array.from(t.nodes), Array.from(general.nodes));
        assert.deepEqual(Array.from(t.leaves), Array.from(general.leaves));
        assert.equal(poptrieMemory(t).prefixes, m.size);
      }
      // A duplicate or a step back in the order takes the general path, with the same answers.
      if (p.length > 1) {
        const t = buildPoptrieColumns(p.slice().reverse(), l.slice().reverse(), v.slice().reverse());
        assert.equal(t.aux.baseDfs, false);
        assert.deepEqual(Array.from(t.leaves), Array.from(general.leaves));
      }
    }),
    RUNS,
  ));

test('changes to a table built from depth-first columns give what a full compile of the result gives', () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      ([routes, changes], dsts) => {
        const m = modelOf(routes);
        const [p, l, v] = depthFirst(m.values());
        const first = buildPoptrieColumns(p, l, v, true);
        const addrs = probeAddresses(modelOf([...routes, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [
          ...dsts,
          ...changes.map((c) => c.prefix),
        ]);
        const before = answersAll(first, addrs)[1]!;
        let t = first;
        for (const ch of changes) {
          t = applyPoptrieChanges(t, [ch]);
          applyModel(m, ch);
        }
        const expected = addrs.map((a) => naiveLongestMatch(m, a));
        for (const got of answersAll(t, addrs)) assert.deepEqual(got, expected);
        assert.deepEqual(answersAll(first, addrs)[1], before, 'the first version is unchanged');
        assert.equal(poptrieMemory(t).prefixes, m.size);
      },
    ),
    RUNS,
  ));

test("the WebAssembly loop's per-thread copy of each version, patched from the last one it made, answers as the JavaScript loop, forward and back", () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      ([routes, changes], dsts, revisits) => {
        const addrs = probeAddresses(modelOf([...routes, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [
          ...dsts,
          ...changes.map((c) => c.prefix),
        ]);
        const m = modelOf(routes);
        const versions: PoptrieTable[] = [buildPoptrie(routes)];
        const expected: Uint32Array[] = [addrs.map((a) => naiveLongestMatch(m, a))];
        for (const ch of changes) {
          versions.push(applyPoptrieChanges(versions[versions.length - 1]!, [ch]));
          applyModel(m, ch);
          expected.push(addrs.map((a) => naiveLongestMatch(m, a)));
        }
        // Each version in turn (each copy patched from the one made before it), then earlier ones again.
        const order = [...versions.keys(), ...revisits.map((r) => r % versions.length)];
        for (const i of order) {
          const got = new Uint32Array(addrs.length);
          lookupLpmBatch(versions[i]!, addrs, got, 'wasm');
          assert.deepEqual(got, expected[i], `version ${i}`);
        }
      },
    ),
    RUNS,
  ));
