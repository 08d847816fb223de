// core/dev/vxlan.ts: vxlan_config_validate(), vxlan_config_apply(), vxlan_change_mtu() and
// vxlan_handle_lowerdev_unregister() as the reducer applies them to link events.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

function lastDevices(script: string): [string, number][] {
  const lines = [...runScript(script)];
  const last = lines[lines.length - 1];
  assert.ok(last !== undefined);
  return [...last.snapshot.devices.values()].map((d) => [d.name, d.mtu]);
}

test('a vxlan takes its lower device\'s MTU less 50, at least 68; 1500 without one (vxlan_config_apply)', () => {
  assert.deepEqual(lastDevices('ip link add x type veth peer name y\nip link set x mtu 100\nip link add v1 type vxlan id 1 dev x dstport 0\nip link add v2 type vxlan id 2 dev lo dstport 0\nip link add v3 type vxlan id 3 dstport 0\n'), [
    ['lo', 65536], ['y', 1500], ['x', 100], ['v1', 68], ['v2', 65486], ['v3', 1500],
  ]);
});

test('the same VNI on another port is a new device, on the same port EEXIST with no ifindex spent (vxlan_vni_in_use)', () => {
  const lines = [...runScript('ip link add v1 type vxlan id 7 dstport 4789\nip link add v2 type vxlan id 7 dstport 4789\nip link add v3 type vxlan id 7 dstport 0\n')];
  assert.equal(lines[1]!.stderr, 'Error: A VXLAN device with the specified VNI already exists.\n');
  assert.deepEqual([...lines[2]!.snapshot.devices.values()].map((d) => [d.ifindex, d.name]), [[1, 'lo'], [2, 'v1'], [3, 'v3']]);
});

test('the vxlans on a device go with it, through a veth peer too (vxlan_handle_lowerdev_unregister)', () => {
  assert.deepEqual(lastDevices('ip link add x type veth peer name y\nip link add v1 type vxlan id 1 dev x dstport 0\nip link add v2 type vxlan id 2 dstport 0\nip link del y\n'), [['lo', 65536], ['v2', 1500]]);
});
