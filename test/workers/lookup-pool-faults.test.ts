// The engine never hangs (issue 15 item 5): workers killed at random points — before they
// are online, or mid-chunk — and every batch settles within a bound: the right answers
// (a dead worker replaced, its chunk answered again), or an error when every attempt died.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildPoptrie } from '../../workers/lpm/poptrie.js';
import { lookupLpmBatch } from '../../workers/lpm/lpm-table.js';
import { LookupPool } from '../../workers/lookup-pool.js';
import type { LookupFault } from '../../workers/protocol.js';

const SEED = Number(process.env['KFIB_SEED'] ?? 15015);

test('workers killed at random points, startup included: every batch settles in bounded time, right or with an error', async () => {
  const table = buildPoptrie([
    { prefix: 0x0a000000, len: 8, value: 5 },
    { prefix: 0x0a0a0a80, len: 25, value: 6 },
    { prefix: 0xc0000200, len: 24, value: 9 },
  ]);
  const addrs = Uint32Array.from({ length: 64 }, (_, i) => (i % 3 === 0 ? 0x0a0a0a80 + i : i % 3 === 1 ? 0xc0000200 + i : i * 0x01010101));
  const want = new Uint32Array(addrs.length);
  lookupLpmBatch(table, addrs, want);
  const timeoutMs = 1500;
  const maxAttempts = 3;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 6 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom<LookupFault>('exit', 'throw')), { maxLength: 6 }),
      async (startupFaults, chunkFaults) => {
        const faults = new Map(chunkFaults.map(([c, a, f]) => [`${c}:${a}`, f]));
        const pool = new LookupPool({ threads: 2, minChunk: 16, maxAttempts, attemptTimeoutMs: timeoutMs, startupFaults, faults: (at) => faults.get(`${at.chunk}:${at.attempt}`) });
        try {
          pool.publish(table, 1);
          const bound = maxAttempts * (timeoutMs + 1000) + 5000;
          let timer: NodeJS.Timeout | undefined;
          const hang = new Promise<'hang'>((res) => (timer = setTimeout(() => res('hang'), bound)));
          const r = await Promise.race([pool.lookup(addrs).then((a) => ({ a }), (e: unknown) => ({ e })), hang]);
          clearTimeout(timer);
          assert.notEqual(r, 'hang', `lookup did not settle in ${bound} ms (startupFaults ${startupFaults}, faults ${JSON.stringify(chunkFaults)})`);
          if (r !== 'hang' && 'a' in r) assert.deepEqual(Array.from(r.a), Array.from(want));
          else if (r !== 'hang') {
            assert.ok(r.e instanceof Error && /Cannot look up: chunk/.test(r.e.message), String(r.e));
            // An error only when some chunk had no attempt left (every one of its attempts faulted).
            const allFaulted = [0, 1, 2, 3].some((c) => [0, 1, 2].every((a) => faults.has(`${c}:${a}`)));
            assert.ok(allFaulted || startupFaults > 0, `failed without cause: ${String(r.e)}`);
          }
        } finally {
          await pool.close();
        }
      },
    ),
    { numRuns: 12, seed: SEED, endOnFailure: true },
  );
  console.log(`# seed ${SEED}`);
});
