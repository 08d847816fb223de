// Properties of the lookup engine (workers/compile/compile.ts, workers/compile/fib-lpm.ts,
// workers/fib-engine.ts): its answers are the reference's (routeGet(), i.e. fib_lookup()
// and ip_route_output_key_hash_rcu()) on random snapshots, after every event of a script
// (incremental compiles) as after a full compile, across publish() while batches run, and
// when a worker dies mid-batch.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { routeGet } from '../../core/route/route-output.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { FibLpmCompiler } from '../../workers/compile/fib-lpm.js';
import { lookupPoptrie, type PoptrieTable } from '../../workers/lpm/poptrie.js';
import { destinationRequest, FibEngine, isDestinationOnly } from '../../workers/fib-engine.js';
import { fibScript, ip, probeDestinations, snapshotsOf } from './_fib-scripts.js';

const SEED = Number(process.env['KFIB_SEED'] ?? Date.now() % 100000);
/** Runs of the main property (KFIB_RUNS to search longer). */
const RUNS = Number(process.env['KFIB_RUNS'] ?? 30);
console.log(`fib-engine properties: seed ${SEED} (KFIB_SEED=${SEED} to replay)`);

/** The first destination whose decoded answer differs from the reference, as a message; null when none. */
function firstMismatch(s: FibSnapshot, decode: (dst: number, i: number) => unknown, dsts: Uint32Array, what: string): string | null {
  for (let i = 0; i < dsts.length; i++) {
    const dst = dsts[i]!;
    const want = routeGet(s, destinationRequest(dst));
    const got = decode(dst, i);
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      return `${what}: ip route get ${ip(dst)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`;
    }
  }
  return null;
}

function decoder(c: FibLpmCompiler, t: PoptrieTable): (dst: number) => unknown {
  return (dst) => c.decode(lookupPoptrie(t, dst), dst);
}

test('compiled answers equal routeGet() after every event, compiled incrementally and in full (fib_lookup)', () => {
  fc.assert(
    fc.property(fibScript(), fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 8 }), (lines, extra) => {
      const snaps = snapshotsOf(lines);
      const inc = new FibLpmCompiler();
      const full = new FibLpmCompiler({ incremental: false });
      snaps.forEach((s, i) => {
        const vi = inc.compile(s);
        const vf = full.compile(s);
        const dsts = probeDestinations(s, extra);
        const where = `after line ${i + 1} (${lines[i]})`;
        const m1 = firstMismatch(s, decoder(inc, vi.table), dsts, `${vi.mode} compile ${where}`);
        assert.equal(m1, null, m1 ?? '');
        const m2 = firstMismatch(s, decoder(full, vf.table), dsts, `full compile ${where}`);
        assert.equal(m2, null, m2 ?? '');
      });
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

/** Scripts that pin down quirks random scripts reach rarely; each runs after SETUP (v0 up with 10.0.0.1/24, v1 without carrier). */
const EXAMPLES: readonly (readonly string[])[] = [
  // fib4_rule_suppress(): prefix length <= suppress_prefixlength, at the boundary.
  ['ip route add default via 10.0.0.2', 'ip route add 8.0.0.0/8 via 10.0.0.3', 'ip route add 8.8.8.0/24 dev v0', 'ip rule add lookup main suppress_prefixlength 8 pref 100', 'ip rule add prohibit pref 150'],
  // suppress_ifgroup: the group of the route's first nexthop's device.
  ['ip link set dev v0 group 5', 'ip route add 8.0.0.0/8 via 10.0.0.2', 'ip route add 9.0.0.0/8 dev v0p', 'ip rule add lookup main suppress_ifgroup 5 pref 100', 'ip rule add unreachable pref 150'],
  // `not to`: outside the prefix; `not` with a selector that never matches: everywhere.
  ['ip route add 8.0.0.0/8 via 10.0.0.2', 'ip rule add not to 8.0.0.0/8 prohibit pref 100', 'ip rule add not oif v0 to 9.0.0.0/8 lookup 100 pref 50', 'ip route add 9.9.0.0/16 dev v0 table 100'],
  // goto skips the rules in between; a goto to a missing priority is a nop.
  ['ip route add 8.0.0.0/8 via 10.0.0.2 table 100', 'ip rule add to 8.0.0.0/8 goto 200 pref 100', 'ip rule add goto 300 pref 120', 'ip rule add prohibit pref 150', 'ip rule add lookup 100 pref 200'],
  // Fast path: main, then (only when main has nothing: no match or throw) the default table.
  ['ip route add unreachable 8.0.0.0/8', 'ip route add throw 9.0.0.0/8', 'ip route add default via 10.0.0.2 table default', 'ip route add prohibit 10.9.0.0/16 table default'],
  ['ip route add unreachable 8.0.0.0/8', 'ip route add throw 9.0.0.0/8', 'ip route add blackhole 7.0.0.0/8'],
  // throw in a rule's table: on to the next rule.
  ['ip route add throw 8.0.0.0/8 table 100', 'ip route add 8.8.0.0/16 dev v0 table 100', 'ip rule add lookup 100 pref 100', 'ip route add 8.0.0.0/8 via 10.0.0.2'],
  // local (source = destination), multicast (224.0.0.1 is RTCF_LOCAL on an up device), broadcast, 0/8.
  ['ip route add local 198.51.100.0/24 dev lo', 'ip route add multicast 224.0.0.0/4 dev v0', 'ip route add 0.0.0.0/8 dev v0', 'ip route add broadcast 203.0.113.255 dev v0', 'ip route add default via 10.0.0.2'],
  // linkdown nexthops are skipped where ignore_routes_with_linkdown applies (v1 has no carrier).
  ['ip addr add 10.1.0.1/16 dev v1', 'ip route add 8.0.0.0/8 via 10.1.2.3 dev v1', 'ip route add default via 10.0.0.2', 'sysctl -w net.ipv4.conf.v1.ignore_routes_with_linkdown=1', 'ip route add 9.0.0.0/8 nexthop via 10.1.2.3 dev v1 nexthop via 10.0.0.3 dev v0'],
  // Incremental: a route event under a rule prefix (a region of its own) and under a smaller table's prefix.
  ['ip route add 9.9.9.0/24 dev v0 table 100', 'ip rule add to 8.8.8.0/24 lookup 100 pref 100', 'ip rule add lookup 100 pref 110', 'ip route add 8.0.0.0/8 via 10.0.0.2', 'ip route replace 8.0.0.0/8 via 10.0.0.3', 'ip route add 9.0.0.0/8 via 10.0.0.2', 'ip route del 9.0.0.0/8', 'ip route add 9.9.0.0/16 dev v0 table 100'],
  // dead nexthops after a link goes down; nexthop objects (group, blackhole).
  ['ip nexthop add id 1 via 10.0.0.2 dev v0', 'ip nexthop add id 3 blackhole', 'ip route add 8.0.0.0/8 nhid 1', 'ip route add 9.0.0.0/8 nhid 3', 'ip route add 7.0.0.0/8 via 10.0.0.3', 'ip link set v0 down'],
];

test('compiled answers equal routeGet() on the examples (suppress, not, goto, fast path, throw, local, linkdown, dead)', () => {
  for (const ex of EXAMPLES) {
    const lines = [...EXAMPLE_SETUP, ...ex];
    const snaps = snapshotsOf(lines);
    const inc = new FibLpmCompiler();
    snaps.forEach((s, i) => {
      const v = inc.compile(s);
      const m = firstMismatch(s, decoder(inc, v.table), probeDestinations(s), `${v.mode} compile after "${lines[i]}"`);
      assert.equal(m, null, m ?? '');
    });
  }
});

const EXAMPLE_SETUP = ['ip link set lo up', 'ip link add v0 type veth peer name v0p', 'ip link add v1 type veth peer name v1p', 'ip link set v0 up', 'ip link set v0p up', 'ip link set v1 up', 'ip addr add 10.0.0.1/24 dev v0', 'ip addr add 192.0.2.1/24 dev v0p'];

test('route events after the setup compile incrementally (pmapDiff), and big changes in full', () => {
  const snaps = snapshotsOf([
    'ip link set lo up',
    'ip link add v0 type veth peer name v0p',
    'ip link set v0 up',
    'ip link set v0p up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip route add 8.0.0.0/8 via 10.0.0.2',
    'ip route add 8.8.8.0/24 dev v0 table 100',
    'ip route add default via 10.0.0.3',
    'ip route del 8.0.0.0/8',
    'ip rule add to 8.0.0.0/8 lookup 100 pref 100',
    'ip route add 8.8.0.0/16 via 10.0.0.2',
    'ip route add unreachable 8.8.8.0/25 table 100',
  ]);
  const c = new FibLpmCompiler();
  const modes = snaps.map((s) => c.compile(s).mode);
  assert.deepEqual(modes, ['full', 'full', 'full', 'full', 'full', 'incremental', 'incremental', 'incremental', 'incremental', 'full', 'incremental', 'incremental']);
  const last = snaps[snaps.length - 1]!;
  const m = firstMismatch(last, decoder(c, c.compile(last).table), probeDestinations(last), 'final');
  assert.equal(m, null, m ?? '');
});

test('only destination-only requests take the compiled path; the rest is routeGet() itself', () => {
  const base = destinationRequest(0x08080808);
  assert.equal(isDestinationOnly(base), true);
  for (const r of [{ ...base, src: 1 }, { ...base, oif: 2 }, { ...base, iif: 2 }, { ...base, mark: 1 }, { ...base, tos: 4 }, { ...base, uid: 5 }, { ...base, ipproto: 6 }, { ...base, dport: 53 }, { ...base, fibmatch: true }]) {
    assert.equal(isDestinationOnly(r), false, JSON.stringify(r));
  }
});

const engine = new FibEngine({ threads: 2, minChunk: 64 });
after(() => engine.close());

test('each batch is answered by one version, even when publish() runs while batches are in flight', async () => {
  await fc.assert(
    fc.asyncProperty(fibScript(10), async (lines) => {
      const snaps = snapshotsOf(lines);
      const probe = Array.from(probeDestinations(snaps[snaps.length - 1]!));
      const dsts = Uint32Array.from([...probe, ...probe, ...probe, ...probe]);
      const pending: { batch: Promise<{ codes: Uint32Array; version: number; snapshot: FibSnapshot }>; snapshot: FibSnapshot }[] = [];
      for (const s of snaps) {
        engine.publish(s);
        // The batch started now must be answered by `s`, whatever is published next.
        pending.push({ batch: engine.lookupBatch(dsts), snapshot: s });
      }
      for (const p of pending) {
        const b = await p.batch;
        assert.equal(b.snapshot, p.snapshot);
        const m = firstMismatch(p.snapshot, (dst, i) => engine.decode(b.codes[i]!, dst), dsts, `batch of version ${b.version}`);
        assert.equal(m, null, m ?? '');
      }
    }),
    { numRuns: 6, seed: SEED, endOnFailure: true },
  );
});

test('a worker that dies mid-batch is replaced and its share answered again: nothing lost, nothing doubled', async () => {
  const snaps = snapshotsOf([
    'ip link set lo up',
    'ip link add v0 type veth peer name v0p',
    'ip link set v0 up',
    'ip link set v0p up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip route add 8.0.0.0/8 via 10.0.0.2',
    'ip route add prohibit 8.8.0.0/16',
    'ip rule add to 8.8.8.0/24 lookup 100 pref 100',
    'ip route add 8.8.8.0/24 dev v0 table 100',
  ]);
  const s = snaps[snaps.length - 1]!;
  let killed = 0;
  const faulty = new FibEngine({
    threads: 2,
    minChunk: 64,
    faults: ({ chunk, attempt }) => {
      if (chunk === 1 && attempt === 0) {
        killed++;
        return 'exit';
      }
      return undefined;
    },
  });
  try {
    faulty.publish(s);
    const dsts = Uint32Array.from({ length: 5000 }, (_, i) => (0x08000000 + i * 977) >>> 0);
    const codes = await faulty.lookup(dsts);
    assert.equal(killed, 1);
    const st = faulty.stats();
    assert.equal(st.retries, 1);
    assert.equal(st.answered, dsts.length);
    const m = firstMismatch(s, (dst, i) => faulty.decode(codes[i]!, dst), dsts.subarray(0, 800), 'after a worker died');
    assert.equal(m, null, m ?? '');
    // The pool goes on answering with a fresh worker.
    const again = await faulty.lookup(dsts);
    assert.deepEqual(again, codes);
  } finally {
    await faulty.close();
  }
});

test('routeGet() on the engine equals the reference for any request (exact path for the rest)', async () => {
  const snaps = snapshotsOf([
    'ip link set lo up',
    'ip link add v0 type veth peer name v0p',
    'ip link set v0 up',
    'ip link set v0p up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip route add 8.0.0.0/8 via 10.0.0.2',
    'ip rule add from 10.0.0.1 lookup 100 pref 100',
    'ip route add 8.8.8.0/24 dev v0 table 100',
  ]);
  const s = snaps[snaps.length - 1]!;
  const e = new FibEngine({ threads: 1 });
  try {
    e.publish(s);
    for (const dst of probeDestinations(s)) {
      for (const req of [destinationRequest(dst), { ...destinationRequest(dst), src: 0x0a000001 }, { ...destinationRequest(dst), oif: 3 }]) {
        assert.deepStrictEqual(e.routeGet(req), routeGet(s, req), `${ip(dst)} ${JSON.stringify(req)}`);
      }
    }
  } finally {
    await e.close();
  }
});
