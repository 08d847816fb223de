// The engine compiled incrementally along a script whose route request leaves an nh_saddr
// mark (noteNhSaddr(): a route via a device with a host-scope address, after a
// route_localnet write): found by fib-engine.test.ts's batch property (KFIB_SEED=73204).
// The incremental compile kept the answer interned for that fib_info before the mark, with
// a route_localnet gap routeGet() does not name; envChange() now compiles in full when the
// marks (or the net.ipv4 sysctls) change.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeGet } from '../../core/route/route-output.js';
import { destinationRequest, FibEngine } from '../../workers/fib-engine.js';
import { ip, probeDestinations, snapshotsOf } from './_fib-scripts.js';

const SCRIPT: readonly string[] = [
    "ip link set lo up",
    "sysctl -w net.ipv6.conf.all.disable_ipv6=0",
    "ip link add v0 type veth peer name v0p",
    "ip link add v1 type veth peer name v1p",
    "ip link set v0 up",
    "ip link set v0p up",
    "ip link set v1 up",
    "ip addr add 10.0.0.1/24 dev v0",
    "ip addr add 10.1.0.1/16 dev v1",
    "ip addr add 192.0.2.1/24 dev v0p",
    "ip nexthop add id 1 via 10.0.0.2 dev v0",
    "ip nexthop add id 2 via 192.0.2.9 dev v0p",
    "ip nexthop add id 3 blackhole",
    "ip nexthop add id 10 group 1/2",
    "ip route add 203.0.113.7 tos 0x10 table 100 nexthop via 10.1.2.3 dev v1",
    "ip route add 127.0.0.0/8 via 10.0.0.3  table 100 metric 10",
    "ip rule add to 192.0.2.64/26 pref 100 lookup 200",
    "ip rule add from 10.0.0.0/8 to 8.8.8.0/24 pref 100 lookup 300",
    "ip rule add not to 224.0.0.0/4 pref 32765 lookup 200",
    "ip route append throw 198.51.100.0/24 table 200 src 10.1.0.1",
    "ip route prepend throw 0.0.0.0/8 tos 0x10 metric 100",
    "sysctl -w net.ipv4.conf.all.route_localnet=1",
    "ip route replace 192.0.2.64/26 dev lo table 200 mtu 1400",
    "ip rule add to 224.0.0.0/4 pref 200 lookup local",
];

test('after every event of the script, every probe answer equals routeGet() (incremental compiles included)', async () => {
  const snaps = snapshotsOf([...SCRIPT]);
  const dsts = Uint32Array.from(probeDestinations(snaps[snaps.length - 1]!));
  const engine = new FibEngine({ threads: 1, minChunk: 64 });
  try {
    const bad: string[] = [];
    for (let k = 0; k < snaps.length; k++) {
      const s = snaps[k]!;
      engine.publish(s);
      const b = await engine.lookupBatch(dsts);
      for (let i = 0; i < dsts.length; i++) {
        const got = engine.decode(b.codes[i]!, dsts[i]!);
        const want = routeGet(s, destinationRequest(dsts[i]!));
        try {
          assert.deepStrictEqual(got, want);
        } catch {
          bad.push(`after line ${k + 1} (${SCRIPT[k]}): ip route get ${ip(dsts[i]!)}: got ${JSON.stringify(got)}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  } finally {
    await engine.close();
  }
});
