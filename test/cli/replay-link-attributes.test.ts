// test/fixtures/traces/16-link-attributes replayed with its links shown: from trace.rtmon the
// txqlen, alias, a tun's missing link-layer address and the root qdisc tc added and deleted
// (RTM_NEWQDISC/DELQDISC) print as the kernel printed them (exit 0); from monitor.txt the
// devices whose txqlen or alias ip monitor hid are named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACE = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', '16-link-attributes');

function replay(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

test('links from the binary trace: qlen, alias, link/none and the root qdisc as ip link printed them', () => {
  const r = replay([TRACE, '--show', 'link']);
  assert.equal(r.code, 0);
  // tc qdisc del dev eth0 root: the veth's default (noqueue) again.
  assert.match(r.out, /\n3: eth0@eth0-p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 500\n {4}link\/ether [0-9a-f:]+ brd ff:ff:ff:ff:ff:ff\n {4}alias uplink\n/);
  assert.match(r.out, /\n\d+: tun0: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500\n {4}link\/none \n/);
  assert.match(r.out, /\n\d+: brp@brp-p: <[A-Z_,]+> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 2000\n/);
  assert.doesNotMatch(r.out, /not modelled/);
});

test('between tc qdisc add and del the root pfifo shows (--at the port-left checkpoint, as its snapshot says)', () => {
  const r = replay([TRACE, '--show', 'link', '--at', '1796560329.130614']);
  assert.equal(r.code, 0);
  assert.match(r.out, /\n3: eth0@eth0-p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo state UP /);
});

test('the same trace showing only routes stays exact', () => {
  const r = replay([TRACE]);
  assert.equal(r.code, 0);
  assert.match(r.out, /\n# replay: exact /);
});

test('links from monitor.txt: the devices whose txqlen or alias ip monitor hid are named, one gap each', () => {
  const r = replay([join(TRACE, 'monitor.txt'), '--initial', join(TRACE, 'before.json'), '--names', join(TRACE, 'names'), '--show', 'link']);
  assert.equal(r.code, 3);
  const named = [...r.out.matchAll(/not modelled: the txqlen and alias of (\S+), which ip monitor does not print/g)].map((m) => m[1]).sort();
  assert.deepEqual(named, ['br0', 'brp', 'eth0', 'late0', 'late0-p', 'tun0']);
});
