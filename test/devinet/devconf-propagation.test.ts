// devinet_conf_proc / devinet_copy_dflt_conf: how conf/default reaches devices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { deviceByName, initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';

function run(script: string): FibSnapshot {
  let s = initialSnapshot();
  for (const l of runScript(script)) s = l.snapshot;
  return s;
}

const ign = (s: FibSnapshot, n: string): number | undefined => deviceByName(s, n)?.conf.values.ignore_routes_with_linkdown;

test('a write to default reaches only devices that never marked the key', () => {
  const s = run(`ip link add name a type veth peer name ap
ip link add name b type veth peer name bp
ip addr add 192.0.2.1/24 dev b
sysctl -w net.ipv4.conf.ap.ignore_routes_with_linkdown=0
sysctl -w net.ipv4.conf.default.ignore_routes_with_linkdown=1`);
  assert.equal(ign(s, 'a'), 1, 'untouched device follows default');
  assert.equal(ign(s, 'ap'), 0, 'a device written directly keeps its value');
  assert.equal(ign(s, 'b'), 0, 'an address marks every key');
  assert.equal(s.confDefault.values.ignore_routes_with_linkdown, 1);
});

test('a device created after a default write copies the value and its mark', () => {
  const s = run(`sysctl -w net.ipv4.conf.default.ignore_routes_with_linkdown=1
ip link add name c type veth peer name cp
sysctl -w net.ipv4.conf.default.ignore_routes_with_linkdown=0`);
  assert.equal(ign(s, 'c'), 1, 'the copied mark stops later default writes');
});

test('all.forwarding rewrites every device and default (inet_forward_change)', () => {
  const s = run(`ip link add name d type veth peer name dp
sysctl -w net.ipv4.conf.d.forwarding=0
sysctl -w net.ipv4.conf.all.forwarding=1`);
  assert.equal(deviceByName(s, 'd')?.conf.values.forwarding, 1);
  assert.equal(deviceByName(s, 'lo')?.conf.values.forwarding, 1);
  assert.equal(s.confDefault.values.forwarding, 1);
});
