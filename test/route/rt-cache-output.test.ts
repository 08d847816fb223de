// The memo of rt-cache-output.ts (which nexthops cache output routes of two kinds,
// __mkroute_output(): nhc_pcpu_rth_output) derived snapshot after snapshot from the tables'
// diff equals the memo walked afresh, on random scripts (route types, 224.0.0.0/4 and
// shorter routes, nexthop objects and groups, rules, link events).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rtCacheShare, rtCacheShareWalked } from '../../core/route/rt-cache-output.js';
import { snapshotsOf } from '../workers/_fib-scripts.js';
import { CACHED_KIND_SETUP, cachedKindScript } from './_cached-kind-script.js';


const SEED = Number(process.env['KFIB_SEED'] ?? Date.now() % 100000);
const RUNS = Number(process.env['KFIB_RUNS'] ?? 40);
console.log(`rt-cache-output: seed ${SEED} (KFIB_SEED=${SEED} to replay)`);

test('the memo derived from the last snapshot equals the one walked afresh', () => {
  fc.assert(
    fc.property(cachedKindScript(), (lines) => {
      const snaps = snapshotsOf(lines);
      const derived = snaps.map((s) => [...rtCacheShare(s).mixed].sort());
      for (let i = CACHED_KIND_SETUP.length; i < snaps.length; i++) {
        assert.deepStrictEqual(derived[i], [...rtCacheShareWalked(snaps[i]!).mixed].sort(), `after line ${i + 1} (${lines[i]})`);
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});
