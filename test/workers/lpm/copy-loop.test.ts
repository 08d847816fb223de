// Tests for workers/lpm/_copy-loop.ts: the loop compiled for one flat copy leaves a group at
// its first address the common case cannot answer (with the direct level, a /24 that holds
// longer prefixes or a code of 16 bits or more; through the pairs, a leaf that is a node) and
// answers the group again with the full walk. Each answer must be the naive longest match
// whatever that address's place in its group, however many a group has, and for every batch
// length (whole groups and the remainder), in copies with and without the direct level.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildPoptrie } from '../../../workers/lpm/poptrie.js';
import { FlatCopies } from '../../../workers/lpm/flat-copies.js';
import { FLAG_AT } from '../../../workers/lpm/_flat-layout.js';
import { heapAlloc, heapBuffer } from '../../../workers/lpm/_shared-heap.js';
import { poptrieLoop } from '../../../workers/lpm/wasm-lookup.js';
import { lpmViews, runnerFor } from '../../../workers/lpm/lpm-table.js';
import { modelOf, naiveLongestMatch, routeSet } from './_lpm-model.js';
import type { LpmEntry } from '../../../workers/lpm/_prefix-index.js';

// /24s that answer from the direct level (one code each), one that holds a /26 and one whose
// code is past 16 bits: the last two are misses there. Through the pairs, the /24 that holds
// the /26 is a node (a miss); the 17-bit code is an ordinary leaf.
const ROUTES: LpmEntry[] = [
  { prefix: 0x0a000000, len: 8, value: 7 },
  { prefix: 0x0a010100, len: 24, value: 9 },
  { prefix: 0x0a010240, len: 26, value: 11 },
  { prefix: 0x0a010300, len: 24, value: 0x10000 },
];
const HIT = [0x0a000001, 0x0a010105, 0x0a0201ff];
const MISS = [0x0a010241, 0x0a010201, 0x0a0103fe];

/**
 * The copy's own loop over a table (a copy with the direct level whatever the table's size,
 * or one without it), answering in the table's heap, where the engine's batches live.
 */
function copyLoopOf(routes: readonly LpmEntry[], room: number, direct: boolean): { answer: (addrs: Uint32Array) => Uint32Array; direct: boolean } {
  const t = buildPoptrie(routes);
  const flat = new FlatCopies(direct ? 0 : 2 ** 31).copyFor(t, 1, () => false);
  const r = runnerFor(t.heap);
  const v = lpmViews(t);
  if (v.kind !== 'poptrie') throw new Error('expected a poptrie');
  const space = heapAlloc(t.heap, 2 * room);
  const at = space.byteOffset;
  const loop = poptrieLoop(r, flat);
  const answer = (addrs: Uint32Array): Uint32Array => {
    new Uint32Array(space.buffer, at, addrs.length).set(addrs);
    loop(v.nodes.byteOffset, v.leaves.byteOffset, at, at + 4 * room, addrs.length);
    return new Uint32Array(space.buffer, at + 4 * room, addrs.length).slice();
  };
  return { answer, direct: new Int32Array(heapBuffer(t.heap.memory))[(flat + FLAG_AT) >>> 2] === 1 };
}

for (const direct of [true, false]) {
  const kind = direct ? 'with the direct level' : 'through the pairs';

  test(`${kind}: a miss at any place of a group, and any batch length, answers as the naive match`, () => {
    const m = modelOf(ROUTES);
    const loop = copyLoopOf(ROUTES, 64, direct);
    assert.equal(loop.direct, direct, 'the copy is of the kind asked');
    for (let n = 0; n <= 50; n++) {
      for (let at = -1; at < Math.min(n, 17); at++) {
        const addrs = Uint32Array.from({ length: n }, (_, i) => (i === at || (at >= 0 && i === at + 32) ? MISS[i % MISS.length]! : HIT[i % HIT.length]!));
        assert.deepEqual([...loop.answer(addrs)], [...addrs].map((a) => naiveLongestMatch(m, a)), `n ${n}, miss at ${at}`);
      }
    }
  });

  test(`${kind}: random tables and addresses (mostly misses or mostly hits) answer as the naive match`, () =>
    fc.assert(
      fc.property(
        routeSet(40),
        fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 0, maxLength: 90 }),
        fc.boolean(),
        (routes, extra, near) => {
          const m = modelOf(routes);
          // Addresses near the prefixes' edges hit the /24s that hold longer prefixes.
          const addrs = Uint32Array.from(near ? [...routes.flatMap((e) => [e.prefix, (e.prefix + 1) >>> 0]), ...extra] : extra);
          assert.deepEqual([...copyLoopOf(routes, addrs.length, direct).answer(addrs)], [...addrs].map((a) => naiveLongestMatch(m, a)));
        },
      ),
      { numRuns: 12 },
    ));
}
