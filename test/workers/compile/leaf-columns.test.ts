// Tests for workers/compile/_leaf-columns.ts: a table's leaves as depth-first columns of content
// signatures, patched from the table's diff between full compiles.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LeafColumnCache } from '../../../workers/compile/_leaf-columns.js';
import { AliasSigs } from '../../../core/snapshot/alias-sig.js';
import { emptyTable, tableSetAliases, type FibTable } from '../../../core/snapshot/fib-table.js';
import type { FibAlias } from '../../../core/snapshot/fib-info.js';
import { maskOf } from '../../../core/net/ip4.js';

function alias(gw: number): FibAlias {
  return {
    type: 'unicast',
    tos: 0,
    info: {
      protocol: 4,
      scope: 0,
      priority: 0,
      prefsrc: 0,
      tbId: 254,
      nhs: [{ dev: 2, gw, weight: 1, onlink: false, scope: 253, dead: false, linkdown: false }],
      nhid: 0,
      dead: false,
      pfsrcRemoved: false,
      multipath: false,
    },
  };
}

const entry = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 3 }))
  .map(([a, len, gw]) => ({ dst: (a & maskOf(len)) >>> 0, len, gw }));

function apply(t: FibTable, es: readonly { dst: number; len: number; gw: number }[], remove = false): FibTable {
  let x = t;
  for (const e of es) x = tableSetAliases(x, e.dst, e.len, remove ? [] : [alias(e.gw)]);
  return x;
}

function rows(c: { table: FibTable; n: number; p: Uint32Array; l: Uint8Array; s: Int32Array }): string[] {
  return Array.from({ length: c.n }, (_, i) => `${c.p[i]}/${c.l[i]}:${JSON.stringify(c.table.sigs.aliases(c.s[i]!))}`);
}

test('equal alias contents get one signature, whatever the objects', () => {
  const sigs = new AliasSigs();
  assert.equal(sigs.sig([alias(1)]), sigs.sig([alias(1)]));
  assert.notEqual(sigs.sig([alias(1)]), sigs.sig([alias(2)]));
  assert.notEqual(sigs.sig([alias(1)]), sigs.sig([alias(1), alias(1)]));
  assert.deepEqual(sigs.aliases(sigs.sig([alias(3)])), [alias(3)]);
});

test('two registries number alias lists independently: each starts at 0 whatever the other saw', () => {
  const a = new AliasSigs();
  const b = new AliasSigs();
  for (let gw = 1; gw <= 5; gw++) a.sig([alias(gw)]);
  assert.equal(b.sig([alias(9)]), 0);
  assert.equal(a.sig([alias(9)]), 5);
  assert.equal(b.count, 1);
  assert.equal(a.count, 6);
});

test('columns patched from a diff equal the columns of a fresh walk, in depth-first order', () => {
  fc.assert(
    fc.property(fc.array(entry, { maxLength: 80 }), fc.array(entry, { maxLength: 20 }), fc.array(entry, { maxLength: 20 }), (base, added, removed) => {
      const cache = new LeafColumnCache();
      const t1 = apply(emptyTable(254, new AliasSigs()), base);
      cache.columns(t1);
      const t2 = apply(apply(t1, added), [...removed, ...base.slice(0, 5)], true);
      const patched = cache.columns(t2);
      const fresh = new LeafColumnCache().columns(t2);
      assert.equal(fresh.how, 'walked');
      assert.deepEqual(rows(patched.cols), rows(fresh.cols));
      const keys = Array.from({ length: fresh.cols.n }, (_, i) => fresh.cols.p[i]! * 64 + fresh.cols.l[i]!);
      assert.deepEqual(keys, [...keys].sort((x, y) => x - y));
      assert.equal(cache.columns(t2).how, 'cached');
    }),
  );
});
