import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pmapDelete, pmapDiff, pmapEmpty, pmapEntries, pmapGet, pmapSet, type PMap } from '../../core/trie/persistent-map.js';

const key = fc.integer({ min: 0, max: 2 ** 40 - 1 });
const op = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('del' as const), key }),
);

test('a persistent map behaves like a Map under any sequence of sets and deletes', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      let m: PMap<number> = pmapEmpty();
      const ref = new Map<number, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          m = pmapSet(m, o.key, o.value);
          ref.set(o.key, o.value);
        } else {
          m = pmapDelete(m, o.key);
          ref.delete(o.key);
        }
      }
      assert.equal(m.size, ref.size);
      for (const [k, v] of ref) assert.equal(pmapGet(m, k), v);
      assert.deepEqual(
        [...pmapEntries(m)],
        [...ref.entries()].sort((a, b) => a[0] - b[0]),
      );
    }),
    { numRuns: 300 },
  );
});

test('an update leaves the previous version untouched and a no-op returns the same map', () => {
  let m: PMap<string> = pmapEmpty();
  for (let i = 0; i < 1000; i++) m = pmapSet(m, i * 7919, `v${i}`);
  const before = [...pmapEntries(m)];
  const m2 = pmapSet(m, 42, 'new');
  assert.deepEqual([...pmapEntries(m)], before);
  assert.equal(pmapGet(m2, 42), 'new');
  assert.equal(pmapSet(m2, 42, 'new'), m2);
  assert.equal(pmapDelete(m2, 3), m2);
});

test('pmapDiff lists exactly the keys whose values changed', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 100 }), fc.array(op, { maxLength: 30 }), (first, second) => {
      let a: PMap<number> = pmapEmpty();
      for (const o of first) a = o.kind === 'set' ? pmapSet(a, o.key, o.value) : pmapDelete(a, o.key);
      let b = a;
      for (const o of second) b = o.kind === 'set' ? pmapSet(b, o.key, o.value) : pmapDelete(b, o.key);
      const am = new Map(pmapEntries(a));
      const bm = new Map(pmapEntries(b));
      const expected = [...new Set([...am.keys(), ...bm.keys()])]
        .filter((k) => am.get(k) !== bm.get(k))
        .sort((p, q) => p - q)
        .map((k) => ({ key: k, before: am.get(k), after: bm.get(k) }));
      assert.deepEqual([...pmapDiff(a, b)], expected);
    }),
    { numRuns: 300 },
  );
});
