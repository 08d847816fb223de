// Tests for workers/lpm/_prefix-index.ts: the index behind incremental changes finds exactly
// the prefixes stored and the next-shorter covering one (fib_table_delete()'s fallback).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PrefixIndex, sortByLength, toColumns } from '../../../workers/lpm/_prefix-index.js';
import { lpmEntry, maskOf, modelOf } from './_lpm-model.js';

test('the index holds what a map holds after any sequence of sets and deletes', () =>
  fc.assert(
    fc.property(fc.array(fc.tuple(lpmEntry(), fc.boolean()), { maxLength: 300 }), (ops) => {
      const ix = new PrefixIndex(4);
      const m = new Map<string, number>();
      for (const [e, del] of ops) {
        const key = `${e.prefix}/${e.len}`;
        if (del) {
          assert.equal(ix.delete(e.prefix, e.len), m.get(key) ?? -1);
          m.delete(key);
        } else {
          assert.equal(ix.set(e.prefix, e.len, e.value), m.get(key) ?? -1);
          m.set(key, e.value);
        }
      }
      assert.equal(ix.size, m.size);
      for (const [e] of ops) assert.equal(ix.get(e.prefix, e.len), m.get(`${e.prefix}/${e.len}`) ?? -1);
    }),
  ));

test('covering() returns the longest strictly shorter stored prefix that contains the prefix', () =>
  fc.assert(
    fc.property(fc.array(lpmEntry(), { maxLength: 40 }), lpmEntry(), (routes, q) => {
      const ix = new PrefixIndex();
      for (const r of routes) ix.set(r.prefix, r.len, r.value);
      let best: { len: number; value: number } = { len: -1, value: 0 };
      for (const r of modelOf(routes).values()) {
        if (r.len < q.len && r.len > best.len && ((q.prefix & maskOf(r.len)) >>> 0) === r.prefix) best = r;
      }
      const c = ix.covering(q.prefix, q.len);
      assert.deepEqual({ len: c.len, value: c.value }, { len: best.len, value: best.value });
    }),
  ));

test('sorting by length is stable, so a later duplicate still comes later', () => {
  const cols = toColumns([
    { prefix: 0x0a000000, len: 8, value: 1 },
    { prefix: 0, len: 0, value: 5 },
    { prefix: 0x0a000000, len: 8, value: 2 },
  ]);
  const s = sortByLength(cols);
  assert.deepEqual([...s.values], [5, 1, 2]);
  assert.deepEqual([s.start[0], s.start[1], s.start[8], s.start[9]], [0, 1, 1, 3]);
});
