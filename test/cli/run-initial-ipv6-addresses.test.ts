// kfib run --initial on a host dump with IPv6 addresses (test/fixtures/initial/
// altname-dev-words, captured with IPv6 on: lo and the veths list inet6 addresses): the
// model keeps no IPv6 address, so an `ip address` listing of both families that shows a
// device the dump listed with one, or a device that is up (addrconf gives it a link-local
// address), is a named gap. Before, `ip -br addr` printed the devices without their IPv6
// addresses and the run called itself exact (exit 0). A listing of -4 or of the link
// family, and a device that is down and had none, stay exact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const kfib = join(root, 'dist', 'cli', 'kfib.js');
const before = join(root, 'test', 'fixtures', 'initial', 'altname-dev-words', 'before.json');

test('ip address of both families on a host dump with IPv6 addresses is a named gap; -4, -0 and a down device without any stay exact', () => {
  const script = [
    'ip -br addr',
    'ip -4 -br addr show dev eth0',
    'ip link add d0 type veth peer name d1',
    'ip -br addr show dev d0',
    'ip link set d0 up',
    'ip -br addr show dev d0',
    'ip -0 -br addr show dev d0',
  ].join('\n') + '\n';
  const r = spawnSync(process.execPath, [kfib, 'run', '--initial', before, '-'], { input: script, encoding: 'utf8' });
  const gap = 'not modelled: ip address without -4 on an imported host with IPv6 addresses (the model keeps no IPv6 address)';
  assert.equal(r.status, 3, r.stderr);
  assert.equal(
    r.stdout.split('\n# out of scope')[0],
    [
      '$ ip -br addr',
      '[exit 2]',
      '$ ip -4 -br addr show dev eth0',
      '$ ip link add d0 type veth peer name d1',
      '$ ip -br addr show dev d0',
      'd0@d1            DOWN           ',
      '$ ip link set d0 up',
      '$ ip -br addr show dev d0',
      '[exit 2]',
      '$ ip -0 -br addr show dev d0',
      'd0@d1            LOWERLAYERDOWN xx:xx:xx:xx:xx:xx <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> ',
      '# run: 2 gaps (IPv4 FIB content the model did not represent):',
      `#   2 × ${gap} (first line 1)`,
    ].join('\n'),
  );
});
