// The inet6_dev paths of `ip link` (core/iproute2/ip-link.ts) beyond the kernel fixtures
// lo-mtu-inet6-dev.ip and link-addrgenmode.ip: what the model names instead of guessing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';

function problems(script: string, imported = false): (string | undefined)[] {
  return [...runScript(script, initialSnapshot(imported))].map((l) => l.problem);
}

test('lo\'s MTU raised back to 1280 while lo is up with IPv6 enabled is named (addrconf_notify() does not give ::1 back)', () => {
  const p = problems('sysctl -w net.ipv6.conf.all.disable_ipv6=0\nip link set lo up\nip link set lo mtu 1000\nip link set lo mtu 1500\nip link set lo down\nip link set lo mtu 1000\nip link set lo mtu 1500\n');
  assert.deepEqual(p, [undefined, undefined, undefined, 'not modelled: lo\'s MTU raised back to 1280 or more while lo is up with IPv6 enabled (addrconf_notify() does not give ::1 back until lo goes down and up)', undefined, undefined, undefined]);
});

test('a device that got no inet6_dev under the name all, brought up under another, is named where its inet6_dev is read', () => {
  const p = problems('ip link add va mtu 1000 type veth peer name vb\nip link set va name all\nip link set all mtu 1400\nip link set all addrgenmode none\nip link set all name vz\nip link set vz up\nip netconf show dev vz\nip link set vz name default\nip link set vz addrgenmode none\nip link set vz mtu 1300\nip netconf show dev vz\n');
  const unknown = 'whose inet6_dev is not known (made at an up only if addrconf_link_ready() then)';
  assert.deepEqual(p, [undefined, undefined, undefined, undefined, undefined, undefined, `not modelled: ip netconf: the inet6 entry of vz, ${unknown}`, `not modelled: a rename to default on vz, ${unknown}`, `not modelled: addrgenmode on vz, ${unknown}`, undefined, undefined]);
});

test('addrgenmode stable_secret on an imported state is named (the host\'s stable_secret sysctls are not in the dump); on a fresh one it is EINVAL', () => {
  assert.deepEqual(problems('ip link set lo addrgenmode stable_secret\nip link set lo addrgenmode none\n', true), ['not modelled: ip link addrgenmode stable_secret on an imported state (whether the host set net.ipv6.conf.*.stable_secret)', undefined]);
  const fresh = [...runScript('ip link set lo addrgenmode stable_secret\n', initialSnapshot())];
  assert.equal(fresh[0]?.problem, undefined);
  assert.equal(fresh[0]?.exit, 2);
});
