// Tests for workers/lpm/flat-copies.ts: the flattened poptrie copies a lookup pool's workers
// share are never written while a batch of their version may read them (as RCU never frees
// what a reader holds), are reused once free, and answer as the model for every version.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyPoptrieChanges, buildPoptrie, type PoptrieTable } from '../../../workers/lpm/poptrie.js';
import { FlatCopies } from '../../../workers/lpm/flat-copies.js';
import { lookupViewsWasm, lpmViews, runnerFor } from '../../../workers/lpm/lpm-table.js';
import { applyModel, changesFor, ipv4Addr, modelOf, naiveLongestMatch, probeAddresses, routeSet } from './_lpm-model.js';

function viaCopy(t: PoptrieTable, flat: number, addrs: Uint32Array): Uint32Array {
  const out = new Uint32Array(addrs.length);
  lookupViewsWasm(runnerFor(t.heap), lpmViews(t), addrs, out, 0, addrs.length, flat);
  return out;
}

test('a copy that a running batch reads is never written; a free one is patched to the next version; every copy answers as the model', () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes, 12))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      ([routes, changes], dsts, pinned) => {
        const addrs = probeAddresses(modelOf([...routes, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [...dsts, ...changes.map((c) => c.prefix)]);
        const m = modelOf(routes);
        const copies = new FlatCopies();
        const busy = new Set<number>();
        let t = buildPoptrie(routes);
        const held: { version: number; t: PoptrieTable; flat: number; want: Uint32Array }[] = [];
        for (let version = 1; version <= changes.length + 1; version++) {
          if (version > 1) {
            const ch = changes[version - 2]!;
            t = applyPoptrieChanges(t, [ch]);
            applyModel(m, ch);
          }
          const want = addrs.map((a) => naiveLongestMatch(m, a));
          const before = copies.count;
          const flat = copies.copyFor(t, version, (v) => busy.has(v));
          assert.deepEqual(viaCopy(t, flat, addrs), want, `version ${version}`);
          for (const h of held) if (busy.has(h.version) && h.t.heap === t.heap) assert.notEqual(flat, h.flat, `version ${version} took the copy version ${h.version} still reads`);
          // Every copy still read answers for its own version.
          for (const h of held) if (busy.has(h.version)) assert.deepEqual(viaCopy(h.t, h.flat, addrs), h.want, `version ${h.version} after publishing ${version}`);
          if (held.every((h) => !busy.has(h.version)) && held.length > 0 && held[held.length - 1]!.t.heap === t.heap) assert.equal(copies.count, before, 'a free copy was reused');
          held.push({ version, t, flat, want });
          // The batch of the previous version ends; this version's may stay running.
          busy.clear();
          if (pinned[version - 1]) busy.add(version);
        }
      },
    ),
    { numRuns: 40 },
  ));
