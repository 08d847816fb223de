// ip link add … type vxlan (core/iproute2/iplink-vxlan.ts) beyond the kernel fixture
// test/fixtures/kernel/vxlan-link-add.ip: what is named instead of guessed, and the event a
// vxlan is made with (an event log of the script replays to the same devices).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { parseFibEvent } from '../../core/events/parse-event.js';

const problems = (script: string): (string | undefined)[] => [...runScript(script)].map((l) => l.problem);

test('vxlan words outside the IPv4 subset are named, never guessed', () => {
  assert.deepEqual(problems('ip link add eth0 type veth peer name eth0p\nip link add v1 type vxlan id 1 group 239.1.1.1 dev eth0 dstport 0\nip link add v2 type vxlan id 2 local any dstport 0\nip link add v3 type vxlan id 3 df set dstport 0\nip link add v4 type vxlan id 4 external\nip link add v5 mtu 1400 type vxlan id 5 dstport 0\n'), [
    undefined,
    'not modelled: ip link add type vxlan group (a multicast group: its IGMP join on open)',
    'not modelled: ip link add type vxlan local any (only dotted-quad IPv4 addresses are modelled)',
    'not modelled: ip link add type vxlan df',
    'not modelled: ip link add type vxlan external',
    'not modelled: ip link add mtu … type vxlan (vxlan_config_apply() clamps it to the lower device)',
  ]);
});

test('the link-add event of a vxlan carries its VNI, port and lower device and survives the event log (JSON Lines)', () => {
  const lines = [...runScript('ip link add eth0 type veth peer name eth0p\nip link add vx0 type vxlan id 42 dev eth0 dstport 0\nip link add vx1 type vxlan id 43 dstport 4789 srcport 100 200\n')];
  const events = lines.flatMap((l) => l.steps.map((s) => s.event));
  assert.deepEqual(events.slice(1).map((e) => (e.type === 'link-add' ? [e.link.driver, e.link.vxlan] : e.type)), [
    ['vxlan', { vni: 42, port: 8472, link: 3 }],
    ['vxlan', { vni: 43, port: 4789, link: null, srcPort: { low: 100, high: 200 } }],
  ]);
  for (const e of events) assert.deepEqual(parseFibEvent(JSON.parse(JSON.stringify(e)) as unknown), e);
});
