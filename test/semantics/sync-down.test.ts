// fib_sync_down_dev() (net/ipv4/fib_semantics.c), table-driven: what a device event does to
// the routes through the device, by event (carrier loss: NETDEV_CHANGE; admin down:
// NETDEV_DOWN; unregister: NETDEV_UNREGISTER, force) × the device's
// ignore_routes_with_linkdown × a single-path or a multipath route. The kernel marks
// RTNH_F_LINKDOWN on carrier loss and keeps the route; marks RTNH_F_DEAD on down and then
// fib_flush() removes the fib_infos wholly dead; on unregister (force) a multipath route with
// one leg on the device dies whole. fib_dump_info() prints a linkdown nexthop as dead too when
// ignore_routes_with_linkdown is on, and fib_lookup() then skips it.
//
// Expected outputs were captured from Linux 6.18 + iproute2 6.1 in a private namespace
// (`unshare -n`, the same commands, a 1.5 s settle after each carrier change for linkwatch).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SETUP = `ip link add v0 type veth peer name v0p
ip link add v1 type veth peer name v1p
ip link set v0 up
ip link set v0p up
ip link set v1 up
ip link set v1p up
ip addr add 192.0.2.2/24 dev v0
ip addr add 198.51.100.2/24 dev v1
ip route add 10.1.0.0/16 via 192.0.2.1
ip route add 10.2.0.0/16 nexthop via 192.0.2.1 nexthop via 198.51.100.1
`;

/** What the `ip route show` / `ip route get` lines of a script print (stdout, then stderr). */
function queries(script: string): string {
  let out = '';
  for (const l of runScript(script)) if (/^ip route (show|get)/.test(l.command)) out += l.stdout + l.stderr;
  return out;
}

const CASES: readonly { readonly behaviour: string; readonly script: string; readonly kernel: string }[] = [
  {
    behaviour: 'a carrier loss marks linkdown but keeps the routes when ignore_routes_with_linkdown=0 (NETDEV_CHANGE)',
    script: 'ip link set v0p down\nip route show\n',
    kernel: `10.1.0.0/16 via 192.0.2.1 dev v0 linkdown 
10.2.0.0/16 
	nexthop via 192.0.2.1 dev v0 weight 1 linkdown 
	nexthop via 198.51.100.1 dev v1 weight 1 
192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.2 linkdown 
198.51.100.0/24 dev v1 proto kernel scope link src 198.51.100.2 
`,
  },
  {
    behaviour: 'a carrier loss with ignore_routes_with_linkdown=1 prints the nexthops dead linkdown and lookups skip them',
    script: 'sysctl -w net.ipv4.conf.v0.ignore_routes_with_linkdown=1\nip link set v0p down\nip route show\nip route get 10.1.0.1\nip route get 10.2.0.1\n',
    kernel: `10.1.0.0/16 via 192.0.2.1 dev v0 dead linkdown 
10.2.0.0/16 
	nexthop via 192.0.2.1 dev v0 weight 1 dead linkdown 
	nexthop via 198.51.100.1 dev v1 weight 1 
192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.2 dead linkdown 
198.51.100.0/24 dev v1 proto kernel scope link src 198.51.100.2 
RTNETLINK answers: Network is unreachable
10.2.0.1 via 198.51.100.1 dev v1 src 198.51.100.2 uid 0 
    cache 
`,
  },
  {
    behaviour: 'an admin down kills the single-path routes (fib_flush) and marks the multipath leg dead (NETDEV_DOWN)',
    script: 'ip link set v0 down\nip route show\n',
    kernel: `10.2.0.0/16 
	nexthop via 192.0.2.1 dev v0 weight 1 dead linkdown 
	nexthop via 198.51.100.1 dev v1 weight 1 
198.51.100.0/24 dev v1 proto kernel scope link src 198.51.100.2 
`,
  },
  {
    behaviour: 'an unregister removes a multipath route with one leg on the device whole (NETDEV_UNREGISTER, force)',
    script: 'ip link del v0\nip route show\n',
    kernel: `198.51.100.0/24 dev v1 proto kernel scope link src 198.51.100.2 
`,
  },
];

for (const c of CASES) {
  test(`fib_sync_down_dev: ${c.behaviour}`, () => {
    assert.equal(queries(SETUP + c.script), c.kernel);
  });
}
