// The engine's compiled answers name the per-CPU cached route of another kind of
// destination as routeGet() does (core/route/rt-cache-output.ts: __mkroute_output() hands
// any lookup the route cached in its nexthop, nhc_pcpu_rth_output). Before, routeGet()
// answered `ip route get 10.11.0.1` as unicast with 224.0.0.0/4 and 10.11.0.0/16 `dev v0`
// in one fib_info, where the kernel printed `multicast 10.11.0.1 … cache <mc>` after a
// multicast lookup on the same CPU, and the engine did too: both silent.
//
// Why incremental compiles matter: a route that starts or stops sharing a nexthop changes
// the answers of routes whose prefixes did not change (10.11.0.0/16 when 224.0.0.0/4 comes
// or goes), so an incremental compile keyed by the changed prefixes would keep them stale.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { routeGet } from '../../core/route/route-output.js';
import { FibLpmCompiler } from '../../workers/compile/fib-lpm.js';
import { lookupPoptrie } from '../../workers/lpm/poptrie.js';
import { destinationRequest } from '../../workers/fib-engine.js';
import { ip, probeDestinations, snapshotsOf } from './_fib-scripts.js';
import { CACHED_KIND_SETUP, cachedKindScript } from '../route/_cached-kind-script.js';

const SETUP = ['ip link set lo up', 'ip link add v0 type veth peer name v0p', 'ip link add v1 type veth peer name v1p', 'ip link set v0 up', 'ip link set v0p up', 'ip link set v1 up', 'ip link set v1p up', 'ip addr add 10.0.0.1/24 dev v0', 'ip addr add 10.1.0.1/24 dev v1'];

const SCRIPT = [
  ...SETUP,
  'ip route add 10.11.0.0/16 dev v0',
  'ip route add 10.12.0.0/16 dev v0 proto static',
  'ip route add default dev v0',
  // 10.11.0.0/16 and the default route start sharing their fib_info with a multicast one.
  'ip route add 224.0.0.0/4 dev v0',
  'ip route add 8.0.0.0/8 via 10.0.0.2',
  'ip nexthop add id 1 dev v1',
  'ip nexthop add id 2 dev v1',
  'ip route add 10.13.0.0/16 nhid 1',
  'ip route add local 10.17.0.0/16 nhid 1',
  'ip route add local 10.18.0.0/16 dev lo',
  'ip route add 239.1.0.0/16 nhid 2 table 50',
  'ip rule add to 239.1.0.0/16 table 50 pref 100',
  'ip route add 10.14.0.0/16 nhid 2',
  'ip route add broadcast 10.15.0.0/16 nhid 1',
  // ... and stop.
  'ip route del 224.0.0.0/4 dev v0',
  'ip route del broadcast 10.15.0.0/16 nhid 1',
  'ip route add 10.11.5.0/24 dev v0',
];

/** The gap (written out, so that this test also runs against a model without it). */
const RT_CACHE_KIND_GAP =
  'ip route get through a nexthop that destinations of another kind (multicast, unicast, broadcast, local) also reach: the per-CPU cached output route it returns may be theirs (__mkroute_output, nhc_pcpu_rth_output)';

const PROBES = [0x0a0b0001, 0x0a0c0001, 0x0a0d0001, 0x0a0e0001, 0x0a0f0001, 0x0a110001, 0x0a120001, 0xe0010101, 0xef010101, 0xe0000001, 0x08080808, 0x09090909];

test('compiled answers equal routeGet() where lookups of two kinds cache in one nexthop, incrementally and in full', () => {
  const snaps = snapshotsOf(SCRIPT);
  const inc = new FibLpmCompiler();
  const full = new FibLpmCompiler({ incremental: false });
  const named = new Set<string>();
  snaps.forEach((s, i) => {
    const vi = inc.compile(s);
    const vf = full.compile(s);
    for (const dst of probeDestinations(s, PROBES)) {
      const want = routeGet(s, destinationRequest(dst));
      const where = `ip route get ${ip(dst)} after line ${i + 1} (${SCRIPT[i]})`;
      assert.deepStrictEqual(inc.decode(lookupPoptrie(vi.table, dst), dst), want, `${vi.mode} compile: ${where}`);
      assert.deepStrictEqual(full.decode(lookupPoptrie(vf.table, dst), dst), want, `full compile: ${where}`);
      if (want.ok && 'gap' in want.answer && want.answer.gap === RT_CACHE_KIND_GAP) named.add(`${i + 1} ${ip(dst)}`);
    }
  });
  // Named: through the fib_info of 10.11.0.0/16 and the default route while 224.0.0.0/4
  // shares it (lines 13-23), through nexthop 2 (10.14.0.0/16 in main, 239.1.0.0/16 in
  // table 50) and through nexthop 1 while the broadcast route shares it (line 23). Not:
  // 10.12.0.0/16 (another protocol), 8.0.0.0/8 (a gateway), the local routes (off lo, or a
  // fib_info of their own), anything once the sharing route went.
  const at = (line: number, a: string): boolean => named.has(`${line} ${a}`);
  assert.equal(at(12, '10.11.0.1'), false, 'before 224.0.0.0/4');
  assert.equal(at(13, '10.11.0.1'), true);
  assert.equal(at(13, '224.1.1.1'), true);
  assert.equal(at(13, '9.9.9.9'), true, 'the default route shares the fib_info (a unicast destination)');
  assert.equal(at(13, '10.12.0.1'), false, 'another protocol');
  assert.equal(at(14, '8.8.8.8'), false, 'a gateway: another fib_info');
  assert.equal(at(18, '10.17.0.1'), false, 'a local route off lo caches nothing');
  assert.equal(at(22, '10.14.0.1'), true, 'nexthop 2 is shared with 239.1.0.0/16 in table 50');
  assert.equal(at(22, '239.1.1.1'), true);
  assert.equal(at(22, '10.13.0.1'), false, 'nexthop 1: unicast and a local route off lo');
  assert.equal(at(23, '10.13.0.1'), true, 'nexthop 1 with a broadcast route');
  assert.equal(at(23, '10.15.0.1'), true);
  assert.equal(at(24, '10.11.0.1'), false, 'after 224.0.0.0/4 went');
  assert.equal(at(25, '10.13.0.1'), false, 'after the broadcast route went');
  assert.equal(at(26, '10.11.0.1'), false);
});

const SEED = Number(process.env['KFIB_SEED'] ?? Date.now() % 100000);
const RUNS = Number(process.env['KFIB_RUNS'] ?? 25);
console.log(`fib-engine-cached-kind: seed ${SEED} (KFIB_SEED=${SEED} to replay)`);

test('compiled answers equal routeGet() after every event of random scripts around shared nexthops', () => {
  fc.assert(
    fc.property(cachedKindScript(), (lines) => {
      const snaps = snapshotsOf(lines);
      const inc = new FibLpmCompiler();
      snaps.forEach((s, i) => {
        if (i < CACHED_KIND_SETUP.length - 1) return;
        const v = inc.compile(s);
        for (const dst of probeDestinations(s, PROBES)) {
          const want = routeGet(s, destinationRequest(dst));
          assert.deepStrictEqual(inc.decode(lookupPoptrie(v.table, dst), dst), want, `${v.mode} compile: ip route get ${ip(dst)} after line ${i + 1} (${lines[i]})`);
        }
      });
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});
