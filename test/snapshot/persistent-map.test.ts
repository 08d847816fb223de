import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  pmapColumns,
  pmapDelete,
  pmapDiff,
  pmapEmpty,
  pmapEntries,
  pmapForEach,
  pmapForEachChunk,
  pmapForEachRange,
  pmapGet,
  pmapGetIn,
  pmapGetTag,
  pmapDeleteIn,
  pmapSet,
  pmapSetIn,
  PMapEdit,
  type PMap,
} from '../../core/snapshot/persistent-map.js';

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

// Big maps: chunks of 32 and nodes of 32 children split, join and collapse only with
// thousands of entries, so these drive long op sequences from a seed over a narrow key range
// (sets and deletes meet the same keys), checked against a Map model.

function rng(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

interface Model {
  readonly m: PMap<number>;
  readonly ref: Map<number, { value: number; tag: number }>;
}

/** Runs n random ops (set with a tag, or delete) on keys base + [0, range). */
function drive(seed: number, n: number, range: number, start: Model = { m: pmapEmpty(), ref: new Map() }, delShare = 0.4): Model {
  const r = rng(seed);
  const base = 2 ** 39 - range;
  let m = start.m;
  const ref = new Map(start.ref);
  for (let i = 0; i < n; i++) {
    const k = base + Math.floor(r() * range);
    if (r() < delShare) {
      m = pmapDelete(m, k);
      ref.delete(k);
    } else {
      const value = Math.floor(r() * 5);
      const tag = Math.floor(r() * 3);
      m = pmapSet(m, k, value, tag);
      ref.set(k, { value, tag });
    }
  }
  return { m, ref };
}

function sortedRef(ref: Model['ref']): [number, { value: number; tag: number }][] {
  return [...ref.entries()].sort((a, b) => a[0] - b[0]);
}

test('big maps: sets and deletes with tags match a Map model (splits, joins, collapse)', () => {
  for (const [seed, n, range, del] of [
    [1, 20_000, 5_000, 0.4],
    [2, 30_000, 100_000, 0.2],
    [3, 20_000, 3_000, 0.6],
  ] as const) {
    const { m, ref } = drive(seed, n, range, undefined, del);
    assert.equal(m.size, ref.size);
    const want = sortedRef(ref);
    const got: [number, { value: number; tag: number }][] = [];
    pmapForEach(m, (k, value, tag) => got.push([k, { value, tag }]));
    assert.deepEqual(got, want);
    assert.deepEqual([...pmapEntries(m)], want.map(([k, e]) => [k, e.value]));
    for (const [k, e] of want) {
      assert.equal(pmapGet(m, k), e.value);
      assert.equal(pmapGetTag(m, k), e.tag);
    }
    assert.equal(pmapGet(m, 0), undefined);
    assert.equal(pmapGetTag(m, 2 ** 39 + 1), undefined);
    const cols = pmapColumns(m);
    assert.deepEqual(Array.from(cols.keys), want.map(([k]) => k));
    assert.deepEqual(Array.from(cols.tags), want.map(([, e]) => e.tag));
    const chunkKeys: number[] = [];
    const chunkTags: number[] = [];
    pmapForEachChunk(m, (ks, ts) => {
      assert.ok(ks.length > 0 && ks.length === ts.length);
      chunkKeys.push(...ks);
      chunkTags.push(...ts);
    });
    assert.deepEqual(chunkKeys, Array.from(cols.keys));
    assert.deepEqual(chunkTags, Array.from(cols.tags));
  }
  // Deleting everything collapses to the empty map.
  let { m } = drive(4, 5_000, 2_000, undefined, 0);
  for (const [k] of pmapEntries(m)) m = pmapDelete(m, k);
  assert.equal(m.size, 0);
  assert.deepEqual([...pmapEntries(m)], []);
  assert.deepEqual(Array.from(pmapColumns(m).keys), []);
});

test('a set with a new tag (same value) is a change; with the same value and tag it is not', () => {
  const { m } = drive(5, 3_000, 1_000, undefined, 0);
  const [k, v] = [...pmapEntries(m)][100]!;
  const t = pmapGetTag(m, k)!;
  assert.equal(pmapSet(m, k, v, t), m);
  const m2 = pmapSet(m, k, v, t + 1);
  assert.notEqual(m2, m);
  assert.equal(pmapGetTag(m2, k), t + 1);
  assert.equal(pmapGetTag(m, k), t);
  assert.equal(m2.size, m.size);
});

test('pmapForEachRange visits exactly the keys in [lo, hi), ascending', () => {
  const { m, ref } = drive(6, 20_000, 50_000, undefined, 0.3);
  const keys = sortedRef(ref).map(([k]) => k);
  const r = rng(7);
  const base = 2 ** 39 - 50_000;
  for (let i = 0; i < 200; i++) {
    const lo = base - 10 + Math.floor(r() * 50_020);
    const hi = i % 10 === 0 ? lo : lo + Math.floor(r() * (i % 3 === 0 ? 40 : 20_000));
    const got: number[] = [];
    pmapForEachRange(m, lo, hi, (k, value) => {
      assert.equal(value, ref.get(k)?.value);
      got.push(k);
    });
    assert.deepEqual(
      got,
      keys.filter((k) => k >= lo && k < hi),
    );
  }
});

test('pmapDiff of big versions lists exactly the changes, and shares what is unchanged', () => {
  for (const [seed, changes] of [
    [8, 1],
    [9, 50],
    [10, 3_000],
  ] as const) {
    const a = drive(seed, 20_000, 30_000, undefined, 0.2);
    const b = drive(seed + 100, changes, 30_000, a, 0.5);
    const want: { key: number; before: number | undefined; after: number | undefined }[] = [];
    const keys = [...new Set([...a.ref.keys(), ...b.ref.keys()])].sort((x, y) => x - y);
    for (const k of keys) {
      const before = a.ref.get(k)?.value;
      const after = b.ref.get(k)?.value;
      if (before !== after) want.push({ key: k, before, after });
    }
    assert.deepEqual([...pmapDiff(a.m, b.m)], want);
    assert.deepEqual(
      [...pmapDiff(b.m, a.m)],
      want.map((d) => ({ key: d.key, before: d.after, after: d.before })),
    );
  }
  // Maps built apart (no sharing) still diff exactly.
  const x = drive(11, 5_000, 8_000);
  const y = drive(12, 5_000, 8_000);
  const keys = [...new Set([...x.ref.keys(), ...y.ref.keys()])].sort((p, q) => p - q);
  const want = keys
    .map((k) => ({ key: k, before: x.ref.get(k)?.value, after: y.ref.get(k)?.value }))
    .filter((d) => d.before !== d.after);
  assert.deepEqual([...pmapDiff(x.m, y.m)], want);
});

test('pmapDiff skips shared subtrees: one change in a 200,000-entry map is found at once', () => {
  let m: PMap<number> = pmapEmpty();
  for (let i = 0; i < 200_000; i++) m = pmapSet(m, i * 256 + 8, i);
  const m2 = pmapSet(m, 123_456 * 256 + 8, -1);
  // A full walk of both versions would take 400,000 steps; count what the diff pulls.
  let steps = 0;
  const t0 = performance.now();
  for (let r = 0; r < 1000; r++) for (const d of pmapDiff(m, m2)) steps += d.key > 0 ? 1 : 0;
  assert.equal(steps, 1000);
  assert.ok(performance.now() - t0 < 2000, 'a thousand one-change diffs take well under a walk each');
});

test('updates in place (pmapSetIn/pmapDeleteIn) give the same maps as copying ones, and leave versions made before the edit intact', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.boolean(), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 2500 }),
      fc.integer({ min: 0, max: 2500 }),
      (ops, split) => {
        // A base built the copying way, then the same operations both ways: in place under
        // edit A up to `split`, under edit B after it.
        let base = pmapEmpty<number>();
        for (let k = 0; k < 1500; k += 3) base = pmapSet(base, k * 7, k, k & 3);
        const baseEntries = [...pmapEntries(base)];
        const editA = new PMapEdit();
        const editB = new PMapEdit();
        let copied = base;
        let inPlace = base;
        let mid: { readonly map: PMap<number>; readonly entries: [number, number][] } | null = null;
        ops.forEach(([k, del, tag], i) => {
          if (i === split) mid = { map: inPlace, entries: [...pmapEntries(inPlace)] };
          const edit = i < split ? editA : editB;
          copied = del ? pmapDelete(copied, k) : pmapSet(copied, k, k * 2 + tag, tag);
          const before = inPlace;
          const had = pmapGet(before, k);
          const hadTag = pmapGetTag(before, k);
          const updates0 = edit.updates;
          inPlace = del ? pmapDeleteIn(inPlace, k, edit) : pmapSetIn(inPlace, k, k * 2 + tag, tag, edit);
          // A change moves the edit's count (the map may be the same object, changed in place:
          // PMapEdit.map); a no-op does not, and gives the same map back.
          const changed = del ? had !== undefined : had !== k * 2 + tag || hadTag !== tag;
          assert.equal(edit.updates !== updates0, changed);
          if (!changed) assert.equal(inPlace, before);
          // Reads through the edit (its finger: the chunk found last, PMapEdit) answer as plain
          // reads, for the key just changed, one near it and one elsewhere; and a read then
          // leads the next update of that key (pmapSetIn() takes the chunk it found).
          for (const q of [k, k + 1, (k * 7919) % 3000]) assert.equal(pmapGetIn(inPlace, q, edit), pmapGet(inPlace, q), `read ${q} after op ${i}`);
        });
        assert.equal(inPlace.size, copied.size);
        const got: [number, number, number][] = [];
        pmapForEach(inPlace, (k, v, t) => got.push([k, v, t]));
        const want: [number, number, number][] = [];
        pmapForEach(copied, (k, v, t) => want.push([k, v, t]));
        assert.deepEqual(got, want);
        // What neither edit made is never changed: the base, and edit A's last version.
        assert.deepEqual([...pmapEntries(base)], baseEntries);
        const m = mid as { readonly map: PMap<number>; readonly entries: [number, number][] } | null;
        if (m !== null) assert.deepEqual([...pmapEntries(m.map)], m.entries);
      },
    ),
    { numRuns: 60 },
  );
});

test('chunks stay nearly full when keys come in dump order (a table loaded in address order), and fill ~70% with random keys', () => {
  // dst * 256 + 32 - len, with a few lengths per address, as a routing table loaded in
  // depth-first order puts them: each key goes just before the keys of its address.
  let m: PMap<number> = pmapEmpty();
  let n = 0;
  for (let a = 0; a < 20_000; a++) {
    const dst = a * 1024;
    for (let len = 8 + (a % 4); len <= 24; len += 3 + (a % 5)) m = pmapSet(m, dst * 256 + 32 - len, n++);
  }
  let chunks = 0;
  pmapForEachChunk(m, () => chunks++);
  assert.equal(m.size, n);
  assert.ok(n / chunks > 31, `in-order fill ${(n / chunks).toFixed(1)} of 32`);
  // The same load in place (a replay without history splits chunks itself): same entries,
  // chunks still nearly full.
  const edit = new PMapEdit();
  let p: PMap<number> = pmapEmpty();
  let k = 0;
  for (let a = 0; a < 20_000; a++) {
    const dst = a * 1024;
    for (let len = 8 + (a % 4); len <= 24; len += 3 + (a % 5)) p = pmapSetIn(p, dst * 256 + 32 - len, k++, 0, edit);
  }
  assert.deepEqual([...pmapEntries(p)], [...pmapEntries(m)]);
  let pchunks = 0;
  pmapForEachChunk(p, () => pchunks++);
  assert.ok(n / pchunks > 28, `in-place in-order fill ${(n / pchunks).toFixed(1)} of 32`);
  let r: PMap<number> = pmapEmpty();
  let x = 7;
  for (let i = 0; i < 50_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    r = pmapSet(r, x * 256 + (i & 255), i);
  }
  chunks = 0;
  pmapForEachChunk(r, () => chunks++);
  const fill = r.size / chunks;
  assert.ok(fill > 20 && fill < 28, `random fill ${fill.toFixed(1)} of 32`);
});
