// print_linkinfo() of devices imported from an `ip -j link` dump (kind 'other'): the dump's
// `link` (IFLA_LINK) gives NAME@LINK, M-DOWN while that device is down, and, without carrier,
// default_operstate()'s LOWERLAYERDOWN (a device whose iflink is another one). Compared with
// what this kernel printed for a macvlan on a down veth and the veth pair itself
// (hostsetup of probe7: ip link add d2 type veth peer name d2p; ip link set d2 up;
// ip link add link d2p name mv0 type macvlan mode bridge).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot, deviceByName } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { linkHeader } from '../../core/iproute2/ip-link-show.js';
import type { NetDevice } from '../../core/snapshot/net-device.js';

test('an imported device with a dumped link prints NAME@LINK, M-DOWN and LOWERLAYERDOWN as the kernel did', () => {
  let s = initialSnapshot();
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 5, name: 'd2p', kind: 'other', up: false, lower: 6 } }).snapshot;
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 6, name: 'd2', kind: 'other', up: true, lower: 5 } }).snapshot;
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 7, name: 'mv0', kind: 'other', up: false, lower: 5 } }).snapshot;
  // d2 was dumped up without LOWER_UP: no carrier.
  const d2 = { ...(deviceByName(s, 'd2') as NetDevice), carrier: false };
  const devices = new Map(s.devices);
  devices.set(6, d2);
  const s2 = { ...s, devices };
  const head = (name: string): string => linkHeader(s2, deviceByName(s2, name) as NetDevice, true).replace(/ qdisc \S+/, ' qdisc Q');
  assert.equal(head('d2'), '6: d2@d2p: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc Q state LOWERLAYERDOWN mode DEFAULT group default qlen 1000');
  assert.equal(head('mv0'), '7: mv0@d2p: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc Q state DOWN mode DEFAULT group default qlen 1000');
  assert.equal(head('d2p'), '5: d2p@d2: <BROADCAST,MULTICAST> mtu 1500 qdisc Q state DOWN mode DEFAULT group default qlen 1000');
});
