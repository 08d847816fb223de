// __inet_insert_ifa() and __inet_del_ifa() (net/ipv4/devinet.c), table-driven by
// promote_secondaries: an address in the subnet of an existing primary becomes its
// secondary (192.0.2.2/24, .3/24 under .1/24), one in another subnet a primary (.9/25).
// Deleting the primary deletes its secondaries with it when promote_secondaries=0; when 1,
// the first secondary is promoted to primary (its local route's src moves to it,
// fib_del_ifaddr()/fib_add_ifaddr()) and the others stay its secondaries.
//
// Expected outputs were captured from Linux 6.18 + iproute2 6.1 in a private namespace
// (`unshare -n`, the same commands).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SCRIPT = (p: number): string => `ip link add v0 type veth peer name v0p
ip link set v0 up
ip link set v0p up
sysctl -w net.ipv4.conf.v0.promote_secondaries=${p}
ip addr add 192.0.2.1/24 dev v0
ip addr add 192.0.2.2/24 dev v0
ip addr add 192.0.2.3/24 dev v0
ip addr add 192.0.2.9/25 dev v0
ip addr del 192.0.2.1/24 dev v0
ip -4 -o addr show dev v0
ip -4 route show table all
`;

const CASES: readonly (readonly [behaviour: string, promote: number, kernel: string])[] = [
  [
    'deleting a primary deletes its secondaries with it (promote_secondaries=0)',
    0,
    `3: v0    inet 192.0.2.9/25 scope global v0\\       valid_lft forever preferred_lft forever
192.0.2.0/25 dev v0 proto kernel scope link src 192.0.2.9 
local 192.0.2.9 dev v0 table local proto kernel scope host src 192.0.2.9 
broadcast 192.0.2.127 dev v0 table local proto kernel scope link src 192.0.2.9 
`,
  ],
  [
    'deleting a primary promotes its first secondary, which keeps the other (promote_secondaries=1)',
    1,
    `3: v0    inet 192.0.2.9/25 scope global v0\\       valid_lft forever preferred_lft forever
3: v0    inet 192.0.2.2/24 scope global v0\\       valid_lft forever preferred_lft forever
3: v0    inet 192.0.2.3/24 scope global secondary v0\\       valid_lft forever preferred_lft forever
192.0.2.0/25 dev v0 proto kernel scope link src 192.0.2.9 
192.0.2.0/24 dev v0 proto kernel scope link src 192.0.2.2 
local 192.0.2.2 dev v0 table local proto kernel scope host src 192.0.2.2 
local 192.0.2.3 dev v0 table local proto kernel scope host src 192.0.2.2 
local 192.0.2.9 dev v0 table local proto kernel scope host src 192.0.2.9 
broadcast 192.0.2.127 dev v0 table local proto kernel scope link src 192.0.2.9 
broadcast 192.0.2.255 dev v0 table local proto kernel scope link src 192.0.2.2 
`,
  ],
];

for (const [behaviour, promote, kernel] of CASES) {
  test(`__inet_del_ifa: ${behaviour}`, () => {
    const lines = [...runScript(SCRIPT(promote))];
    assert.equal(lines.slice(-2).map((l) => l.stdout + l.stderr).join(''), kernel);
  });
}
