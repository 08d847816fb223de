// What `kfib run --initial` cannot know of imported link state is named, never printed as a
// guess (test/fixtures/initial/link-qdisc-master: a dump of this kernel's namespace; what
// it can know is compared byte for byte with the kernel there). Each line below printed a
// guess with exit 0 before: a tap never up brought up (its carrier and its default qdisc,
// net.core.default_qdisc, are the host's), a port leaving an imported bridge (the bridge's
// carrier follows its ports' STP state), a port joining one (its driver decides).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qdiscOf, qdiscOnOpen, type NetDevice } from '../../core/snapshot/net-device.js';
import { initialSnapshot, deviceByName } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const BEFORE = resolve(here, '../../../test/fixtures/initial/link-qdisc-master/before.json');

function run(script: string): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-link-gaps-'));
  const f = join(dir, 'script.ip');
  writeFileSync(f, script);
  const r = spawnSync(process.execPath, [KFIB, 'run', '--initial', BEFORE, f], { encoding: 'utf8' });
  return { stdout: r.stdout, status: r.status };
}

test('a tap dumped never up and brought up: its carrier and its qdisc are named, exit 3', () => {
  const r = run('ip link set tr0 up\nip link show dev tr0\n');
  assert.equal(r.status, 3);
  assert.match(r.stdout, /not modelled: the carrier of tr0 once up is its driver's \(tun\)/);
  assert.match(r.stdout, /not modelled: the qdisc of tr0 \(an imported device brought up from noop gets its host's net\.core\.default_qdisc/);
  assert.doesNotMatch(r.stdout, /tr0: <.*qdisc/);
});

test('the JSON listing names the unknown qdisc too', () => {
  const r = run('ip link set tr0 up\nip -j link show dev tr0\n');
  assert.equal(r.status, 3);
  assert.match(r.stdout, /\$ ip -j link show dev tr0\n\[exit 2\]\n/);
});

test('a port leaving an imported bridge, or joining one, is named', () => {
  const r = run('ip link set v0p nomaster\nip link set v1 master br0\n');
  assert.equal(r.status, 3);
  assert.match(r.stdout, /not modelled: the carrier of br0 follows its ports' STP state in the kernel/);
  assert.match(r.stdout, /not modelled: ip link set master br0: a device imported from a snapshot/);
});

test('deleting an imported bridge only takes its ports out (no gap: its carrier goes with it)', () => {
  const r = run('ip link del br0\nip -br link show dev v0p\n');
  assert.equal(r.status, 0, r.stdout);
});

test('dev_activate(): a model-made device derives noop/noqueue; an imported one keeps its qdisc, or gets noqueue from noop only for an IFF_NO_QUEUE driver', () => {
  let s = initialSnapshot();
  s = reduceFib(s, { type: 'link-add', link: { name: 'a', kind: 'veth', up: false }, peer: { name: 'b', kind: 'veth', up: false } }).snapshot;
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 20, name: 'nic', kind: 'other', up: false, qdisc: 'noop' } }).snapshot;
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 21, name: 'vx', kind: 'other', driver: 'vxlan', up: false, qdisc: 'noop' } }).snapshot;
  s = reduceFib(s, { type: 'link-add', link: { ifindex: 22, name: 'eth', kind: 'other', up: false, qdisc: 'fq_codel' } }).snapshot;
  const q = (n: string): string | null => qdiscOf(deviceByName(s, n) as NetDevice);
  assert.deepEqual(['a', 'nic', 'vx', 'eth'].map(q), ['noop', 'noop', 'noop', 'fq_codel']);
  for (const n of ['a', 'nic', 'vx', 'eth']) s = reduceFib(s, { type: 'link-set', ifindex: (deviceByName(s, n) as NetDevice).ifindex, up: true }).snapshot;
  assert.deepEqual(['a', 'nic', 'vx', 'eth'].map(q), ['noqueue', null, 'noqueue', 'fq_codel']);
  for (const n of ['a', 'vx', 'eth']) s = reduceFib(s, { type: 'link-set', ifindex: (deviceByName(s, n) as NetDevice).ifindex, up: false }).snapshot;
  // dev_deactivate() keeps dev->qdisc.
  assert.deepEqual(['a', 'vx', 'eth'].map(q), ['noqueue', 'noqueue', 'fq_codel']);
  assert.equal(qdiscOnOpen(deviceByName(s, 'a') as NetDevice), undefined);
});
