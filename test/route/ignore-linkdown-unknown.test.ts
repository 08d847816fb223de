// ignore_routes_with_linkdown of an imported state that does not give it (a trace without
// before.json: devconf-unknown) is unknown, not 0: an answer that reads it for a linkdown
// nexthop (fib_lookup_good_nhc(), the `dead` flag fib_nexthop_info() dumps) is a named gap
// when the two values answer differently, and answered when they agree or when the value
// is seen. Before, the lookup and `ip route` took it as 0 with exit 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { deviceByName, type FibSnapshot } from '../../core/snapshot/snapshot.js';

const SETUP = `ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 up
ip link set a1 up
ip link set b0 up
ip link set b1 up
ip addr add 10.1.0.1/24 dev a0
ip addr add 10.2.0.1/24 dev b0
ip route add 10.9.0.0/16 via 10.1.0.2 dev a0
ip route add 10.9.0.0/16 via 10.2.0.2 dev b0 metric 10
ip link set a1 down
`;

/** The state after `script`, then every devconf value made unknown (as an imported state that does not give them). */
function imported(script = SETUP): FibSnapshot {
  const all = [...runScript(script)];
  const last = all[all.length - 1];
  assert.ok(last !== undefined);
  return reduceFib(last.snapshot, { type: 'devconf-unknown' }).snapshot;
}

test('ip route get through a linkdown nexthop: the answer depends on the unknown value, named', () => {
  const r = runCommand(imported(), ['ip', 'route', 'get', '10.9.0.1']);
  assert.match(r.output.notModelled ?? '', /ignore_routes_with_linkdown/);
});

test('a lookup that meets no linkdown nexthop is answered', () => {
  const r = runCommand(imported(), ['ip', 'route', 'get', '10.2.0.5']);
  assert.equal(r.output.notModelled, undefined);
  assert.equal(r.output.stdout, '10.2.0.5 dev b0 src 10.2.0.1 uid 0 \n    cache \n');
});

test('ip route show with a linkdown nexthop: its dead flag is named', () => {
  const r = runCommand(imported(), ['ip', 'route', 'show']);
  assert.match(r.output.notModelled ?? '', /the dead flag of a linkdown nexthop on a0/);
});

test('once all and a0 are seen (0), both answer as the kernel does', () => {
  let s = imported();
  const a0 = deviceByName(s, 'a0')?.ifindex ?? 0;
  for (const target of [{ kind: 'all' as const }, { kind: 'dev' as const, ifindex: a0 }]) {
    s = reduceFib(s, { type: 'sysctl', target, key: 'ignore_routes_with_linkdown', value: 0, observed: true }).snapshot;
  }
  const get = runCommand(s, ['ip', 'route', 'get', '10.9.0.1']);
  assert.equal(get.output.notModelled, undefined);
  assert.equal(get.output.stdout, '10.9.0.1 via 10.1.0.2 dev a0 src 10.1.0.1 uid 0 \n    cache \n');
  const show = runCommand(s, ['ip', 'route', 'show']);
  assert.equal(show.output.notModelled, undefined);
  assert.match(show.output.stdout, /10\.9\.0\.0\/16 via 10\.1\.0\.2 dev a0 linkdown \n/);
});

// fib_select_multipath() skips a leg whose fib_nh_upper_bound the last fib_rebalance() set to
// -1: a linkdown leg while ignore_routes_with_linkdown held. On an imported state that does
// not give the value, which legs take part is unknown too (before: taken as 0, so the flow
// from a0's address went out via the carrier-less a0 with exit 0; the kernel with the value 1
// answers `via 10.2.0.2 dev b0`).
const MULTIPATH = `ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 up
ip link set a1 up
ip link set b0 up
ip link set b1 up
ip addr add 10.1.0.1/24 dev a0
ip addr add 10.2.0.1/24 dev b0
ip route add 10.8.0.0/16 nexthop via 10.1.0.2 dev a0 nexthop via 10.2.0.2 dev b0
ip link set a1 down
`;

test('a multipath leg chosen by its source address, the other leg linkdown: the legs in the rebalance depend on the unknown value, named', () => {
  const r = runCommand(imported(MULTIPATH), ['ip', 'route', 'get', '10.8.0.1', 'from', '10.1.0.1']);
  assert.equal(r.output.stdout, '');
  assert.match(r.output.notModelled ?? '', /^an answer that depends on values the model does not know: net\.ipv4\.conf\.a0\.ignore_routes_with_linkdown/);
});

test('a multipath flow whose leg is the same under both values is answered', () => {
  const r = runCommand(imported(MULTIPATH), ['ip', 'route', 'get', '10.8.0.1', 'from', '10.2.0.1']);
  assert.equal(r.output.notModelled, undefined);
  assert.equal(r.output.stdout, '10.8.0.1 from 10.2.0.1 via 10.2.0.2 dev b0 uid 0 \n    cache \n');
});
