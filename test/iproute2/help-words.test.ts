// `help` where iproute2 6.1 prints a usage text: a named gap, never another command's answer.
//
// Captured in a private namespace (iproute2 6.1): every line below printed its command's
// usage on stderr and exited 255. The model does not reproduce usage texts; before this
// test, ten of these answered as something else (`Command "help" is unknown`, a prefix
// error, `Cannot find device "help"`, ...), wrong with no gap named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { runCommand } from '../../core/iproute2/ip-command.js';

const USAGE_LINES: readonly [string, string][] = [
  ['ip address help', 'ip address help'],
  ['ip address add help', 'ip address help'],
  ['ip address add 192.0.2.13/28 dev lo he', 'ip address help'],
  ['ip addr show help', 'ip address help'],
  ['ip route help', 'ip route help'],
  ['ip route add help', 'ip route help'],
  ['ip route get help', 'ip route help'],
  ['ip route get to help', 'ip route help'],
  ['ip route get 1.2.3.4 from help', 'ip route help'],
  ['ip route get 1.2.3.4 from 1.1.1.1 he', 'ip route help'],
  ['ip rule help', 'ip rule help'],
  ['ip rule add help', 'ip rule help'],
  ['ip rule add from 1.2.3.4 help', 'ip rule help'],
  ['ip rule add type help', 'ip rule help'],
  ['ip link help', 'ip link help'],
  ['ip link add help', 'ip link help'],
  ['ip link set help', 'ip link help'],
  ['ip link set lo help', 'ip link help'],
  ['ip link show help', 'ip link help'],
];

for (const [line, gap] of USAGE_LINES) {
  test(`${line}: the usage iproute2 prints is named as a gap (${gap})`, () => {
    const r = runCommand(initialSnapshot(), line.split(' '));
    assert.deepEqual({ gap: r.output.notModelled, stdout: r.output.stdout }, { gap, stdout: '' });
  });
}
