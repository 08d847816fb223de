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

test('a route that starts or stops sharing a nexthop changes the memo, derived as walked', () => {
  const body = [
    'ip route add 224.0.0.0/4 dev v0',
    'ip route add 10.11.0.0/16 dev v0',
    'ip route del 224.0.0.0/4',
    'ip route add 10.12.0.0/16 nhid 1',
    'ip route add multicast 10.13.0.0/16 nhid 1',
    'ip route replace multicast 10.13.0.0/16 nhid 2',
  ];
  const lines = [...CACHED_KIND_SETUP, ...body];
  const snaps = snapshotsOf(lines);
  const named = snaps.slice(CACHED_KIND_SETUP.length).map((s) => [...rtCacheShare(s).mixed].map((k) => k.split('|').slice(0, 3).join('|')).sort());
  // Keys: "nh ID" for a nexthop object, "TYPE|LEG|TABLE|…" for a fib_info leg.
  assert.deepStrictEqual(named, [[], ['unicast|0|254'], [], [], ['nh 1'], []]);
  snaps.slice(CACHED_KIND_SETUP.length).forEach((s, i) => assert.deepStrictEqual([...rtCacheShare(s).mixed].sort(), [...rtCacheShareWalked(s).mixed].sort(), body[i]));
});
