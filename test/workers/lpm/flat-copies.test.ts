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

test('copies with the direct level (an entry per /24; longer prefixes and codes of 16 bits or more through the pairs) answer as the model for every version, patched forward and back', () =>
  fc.assert(
    fc.property(
      routeSet(40).chain((routes) => fc.tuple(fc.constant(routes), changesFor(routes, 8))),
      fc.array(ipv4Addr(), { maxLength: 30 }),
      fc.array(fc.constantFrom(0xfffe, 0xffff, 0x10000, 3), { minLength: 1, maxLength: 4 }),
      ([routes, changes], dsts, edgeValues) => {
        // Values at the direct level's edge: the last 16-bit code, its miss marker, the first code past it.
        const edged = routes.map((r, i) => (i < edgeValues.length ? { ...r, value: edgeValues[i]! } : r));
        const addrs = probeAddresses(modelOf([...edged, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [...dsts, ...changes.map((c) => c.prefix)]);
        const m = modelOf(edged);
        // Two copies, both with the direct level whatever the table's size; each version is
        // written over the copy of the version before the last (only the /16s that differ).
        const copies = new FlatCopies(0);
        const versions: { t: PoptrieTable; want: Uint32Array }[] = [];
        let t = buildPoptrie(edged);
        for (let i = 0; i <= changes.length; i++) {
          if (i > 0) {
            t = applyPoptrieChanges(t, [changes[i - 1]!]);
            applyModel(m, changes[i - 1]!);
          }
          const want = addrs.map((a) => naiveLongestMatch(m, a));
          versions.push({ t, want });
          const flat = copies.copyFor(t, i + 1, (v) => v === i);
          assert.deepEqual(viaCopy(t, flat, addrs), want, `version ${i + 1}`);
        }
        assert.ok(copies.count <= 2 || versions.some((v) => v.t.heap !== t.heap), 'two copies suffice when the previous version alone is read');
        // Back to the first version: its copy is patched from the newest free one.
        const first = versions[0]!;
        if (first.t.heap === t.heap) assert.deepEqual(viaCopy(first.t, copies.copyFor(first.t, changes.length + 2, () => false), addrs), first.want, 'the first version again');
      },
    ),
    { numRuns: 12 },
  ));
