// Tests for workers/lookup-pool.ts: the pool answers what the main thread answers, a batch
// sees one table version even when a new one is published mid-batch (as an RCU reader of
// fib_trie does), and a worker that dies mid-batch costs a retry, never a lost or doubled
// answer.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { applyDir24Change, buildDir24, cloneDir24 } from '../../workers/lpm/dir24-8.js';
import { lookupLpmBatch, type LpmTable } from '../../workers/lpm/lpm-table.js';
import { applyPoptrieChanges, buildPoptrie } from '../../workers/lpm/poptrie.js';
import { LookupPool, type ChunkAttempt } from '../../workers/lookup-pool.js';
import type { LookupFault } from '../../workers/protocol.js';
import { changesFor, ipv4Addr, modelOf, naiveLongestMatch, probeAddresses, routeSet } from './lpm/_lpm-model.js';

/** Small chunks, so that even small batches are split across both threads. */
const pool = new LookupPool({ threads: 2, minChunk: 8 });
after(() => pool.close());

let version = 0;

function mainThread(t: LpmTable, addrs: Uint32Array): Uint32Array {
  const out = new Uint32Array(addrs.length);
  lookupLpmBatch(t, addrs, out, 'js');
  return out;
}

function randomAddrs(n: number, seed: number): Uint32Array {
  const a = new Uint32Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    a[i] = x >>> 0;
  }
  return a;
}

test('the pool answers what the main thread answers, on both kinds of table and both loops', async () => {
  await fc.assert(
    fc.asyncProperty(routeSet(), fc.array(ipv4Addr(), { maxLength: 40 }), fc.boolean(), async (routes, dsts, dir24) => {
      const t: LpmTable = dir24 ? buildDir24(routes) : buildPoptrie(routes);
      pool.publish(t, ++version);
      const m = modelOf(routes);
      const addrs = probeAddresses(m, dsts);
      const got = await pool.lookup(addrs);
      assert.deepEqual(got, mainThread(t, addrs));
      assert.deepEqual(got, addrs.map((a) => naiveLongestMatch(m, a)));
    }),
    { numRuns: 25 },
  );
  const js = new LookupPool({ threads: 2, minChunk: 8, kernel: 'js' });
  try {
    const t = buildPoptrie([{ prefix: 0x0a000000, len: 8, value: 5 }, { prefix: 0x0a0a0a80, len: 25, value: 6 }]);
    js.publish(t, 1);
    const addrs = randomAddrs(5000, 7).map((a, i) => (i % 2 ? (0x0a000000 | (a & 0xffffff)) >>> 0 : a));
    assert.deepEqual(await js.lookup(addrs), mainThread(t, addrs));
  } finally {
    await js.close();
  }
});

test('a batch is answered against the version current when it started, even across a publish (rcu_read_lock)', async () => {
  await fc.assert(
    fc.asyncProperty(
      routeSet(30).chain((r) => fc.tuple(fc.constant(r), changesFor(r, 20))),
      async ([routes, changes]) => {
        const v1 = buildPoptrie(routes);
        const v2 = applyPoptrieChanges(v1, changes);
        const addrs = probeAddresses(modelOf([...routes, ...changes.flatMap((c) => (c.type === 'insert' ? [c] : []))]), [
          ...randomAddrs(2000, routes.length + 1),
        ]);
        pool.publish(v1, ++version);
        const before = [pool.lookup(addrs), pool.lookup(addrs)];
        pool.publish(v2, ++version);
        const afterPublish = [pool.lookup(addrs), pool.lookup(addrs)];
        const [want1, want2] = [mainThread(v1, addrs), mainThread(v2, addrs)];
        for (const got of await Promise.all(before)) assert.deepEqual(got, want1);
        for (const got of await Promise.all(afterPublish)) assert.deepEqual(got, want2);
      },
    ),
    { numRuns: 15 },
  );
});

test('idle(version) waits for the batches using a version, so a left-right DIR-24-8 replica can be changed safely', async () => {
  const routes = [{ prefix: 0x0a000000, len: 8, value: 1 }];
  const a = buildDir24(routes);
  const b = cloneDir24(a);
  const addrs = randomAddrs(200_000, 3).map((x) => (0x0a000000 | (x & 0xffffff)) >>> 0);
  const va = ++version;
  pool.publish(a, va);
  const running = pool.lookup(addrs);
  const change = { type: 'insert', prefix: 0x0a000000, len: 8, value: 2 } as const;
  applyDir24Change(b, change);
  pool.publish(b, ++version);
  await pool.idle(va);
  applyDir24Change(a, change);
  assert.ok((await running).every((x) => x === 1), 'the running batch saw only the old replica');
  assert.ok((await pool.lookup(addrs)).every((x) => x === 2));
});

test('a worker that exits or throws mid-chunk is replaced and its chunk answered again: nothing lost, nothing counted twice', async () => {
  const faults = new Map<string, LookupFault>([
    ['0:0', 'exit'],
    ['1:0', 'throw'],
    ['1:1', 'exit'],
  ]);
  const seen: ChunkAttempt[] = [];
  const faulty = new LookupPool({
    threads: 2,
    minChunk: 1000,
    faults: (at) => {
      seen.push(at);
      return faults.get(`${at.chunk}:${at.attempt}`);
    },
  });
  try {
    const t = buildPoptrie([
      { prefix: 0, len: 0, value: 1 },
      { prefix: 0x0a000000, len: 8, value: 2 },
      { prefix: 0x0a0b0c00, len: 24, value: 3 },
      { prefix: 0x0a0b0c80, len: 26, value: 4 },
    ]);
    faulty.publish(t, 1);
    const addrs = randomAddrs(100_000, 11).map((x, i) => (i % 3 ? x : (0x0a0b0c00 | (x & 255)) >>> 0));
    const got = await faulty.lookup(addrs);
    assert.deepEqual(got, mainThread(t, addrs));
    const s = faulty.stats();
    assert.equal(s.chunks, 2, 'each chunk is counted once');
    assert.equal(s.answered, addrs.length, 'each address is answered once');
    assert.equal(s.retries, 3);
    assert.deepEqual(
      seen.map((x) => `${x.chunk}:${x.attempt}`).sort(),
      ['0:0', '0:1', '1:0', '1:1', '1:2'],
    );
    // The replacement workers answer the next batch.
    assert.deepEqual(await faulty.lookup(addrs), got);
  } finally {
    await faulty.close();
  }
});

test('a chunk that keeps failing fails its batch with the cause, after maxAttempts', async () => {
  const failing = new LookupPool({ threads: 1, maxAttempts: 2, faults: () => 'throw' });
  try {
    failing.publish(buildPoptrie([]), 1);
    await assert.rejects(failing.lookup(new Uint32Array(10)), /chunk 0\.\.10 failed 2 times/);
  } finally {
    await failing.close();
  }
});

test('lookups before any publish, and versions that do not increase, are refused', async () => {
  const fresh = new LookupPool({ threads: 1 });
  try {
    await assert.rejects(fresh.lookup(new Uint32Array(1)), /no table published/);
    fresh.publish(buildPoptrie([]), 5);
    assert.throws(() => fresh.publish(buildPoptrie([]), 5), /version must increase/);
    assert.deepEqual(await fresh.lookup(new Uint32Array(0)), new Uint32Array(0));
  } finally {
    await fresh.close();
  }
});

test('a batch allocated in the table\'s memory is answered in place, as a copied batch is, on both kinds of table; after a publish into another memory it still is', async () => {
  await fc.assert(
    fc.asyncProperty(routeSet(), fc.array(ipv4Addr(), { maxLength: 40 }), fc.boolean(), async (routes, dsts, dir24) => {
      const t: LpmTable = dir24 ? buildDir24(routes) : buildPoptrie(routes);
      pool.publish(t, ++version);
      const m = modelOf(routes);
      const addrs = probeAddresses(m, dsts);
      const b = pool.allocBatch(addrs.length);
      b.addrs.set(addrs);
      b.out.fill(0xdeadbeef);
      const got = await pool.lookup(b.addrs, b.out);
      assert.equal(got, b.out);
      assert.deepEqual([...got], [...mainThread(t, addrs)]);
      // Another table in its own memory: the same arrays are answered through the copies.
      const other = buildPoptrie([{ prefix: 0, len: 0, value: 77 }]);
      pool.publish(other, ++version);
      assert.deepEqual([...(await pool.lookup(b.addrs, b.out))], addrs.length === 0 ? [] : [...addrs].map(() => 77));
    }),
    { numRuns: 20 },
  );
  const fresh = new LookupPool({ threads: 1 });
  try {
    assert.throws(() => fresh.allocBatch(4), /no table published/);
  } finally {
    await fresh.close();
  }
});
