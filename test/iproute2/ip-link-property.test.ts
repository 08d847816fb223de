// Alternative names (`ip link property`, core/dev/rtnl-linkprop.ts) beyond the kernel
// fixtures link-altname and link-altname-list-limit: a host imported with `--initial` whose
// device has one (systemd's altnames), a rule written with one (named: the kernel binds it
// to the ifindex), and the event log's form of the request.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFibEvent } from '../../core/events/parse-event.js';
import { runScript } from '../../core/script/run-script.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
/** eth0 with the alternative name enp0s31f6, as systemd names a NIC (capture 51). */
const BEFORE = resolve(here, '../../../test/fixtures/traces/51-systemd-altnames/before.json');

function runInitial(script: string): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-altname-'));
  const f = join(dir, 'script.ip');
  writeFileSync(f, script);
  const r = spawnSync(process.execPath, [KFIB, 'run', '--initial', BEFORE, f], { encoding: 'utf8' });
  return { stdout: r.stdout, status: r.status };
}

test('an imported device is found by its alternative name, and the name is taken', () => {
  // Before: "Cannot find device" for the route, a new device enp0s31f6 made, and its
  // sysctl answered, all with exit 0.
  const r = runInitial(
    'ip route add 198.51.100.0/24 dev enp0s31f6\nip route show dev enp0s31f6\nip link add enp0s31f6 type veth peer name zz\nsysctl net.ipv4.conf.enp0s31f6.forwarding\n',
  );
  assert.equal(
    r.stdout,
    '$ ip route add 198.51.100.0/24 dev enp0s31f6\n' +
      '$ ip route show dev enp0s31f6\n' +
      'default via 10.40.0.1 metric 100 \n' +
      '10.40.0.0/24 proto kernel scope link src 10.40.0.5 \n' +
      '198.51.100.0/24 scope link \n' +
      '$ ip link add enp0s31f6 type veth peer name zz\n' +
      'RTNETLINK answers: File exists\n' +
      '[exit 2]\n' +
      '$ sysctl net.ipv4.conf.enp0s31f6.forwarding\n' +
      'sysctl: cannot stat /proc/sys/net/ipv4/conf/enp0s31f6/forwarding: No such file or directory\n' +
      '[exit 1]\n',
  );
  assert.equal(r.status, 0);
});

test('a rule written with an alternative name is named, and not added', () => {
  const lines = [...runScript('ip link add v0 type veth peer name v1\nip link property add dev v0 altname up0\nip rule add iif up0 table 5\nip rule add oif v0 table 6\nip rule show\n')];
  assert.equal(lines[2]?.problem, 'not modelled: ip rule naming up0, an alternative name of v0 (the kernel attaches the rule to that device\'s ifindex)');
  assert.equal(lines[3]?.problem, undefined);
  assert.equal(lines[4]?.stdout, '0:\tfrom all lookup local\n32765:\tfrom all oif v0 lookup 6\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
});

test('the event log takes link-prop requests with names iproute2 can send, and says what is wrong with others', () => {
  assert.deepEqual(parseFibEvent({ type: 'link-prop', ifindex: 3, op: 'add', altnames: ['wan0', 'a:b'] }), { type: 'link-prop', ifindex: 3, op: 'add', altnames: ['wan0', 'a:b'] });
  assert.equal(parseFibEvent({ type: 'link-prop', ifindex: 3, op: 'add', altnames: [''] }), "link-prop.altnames[0]: expected an alternative name (not empty, no '/' or white space)");
  assert.equal(parseFibEvent({ type: 'link-prop', ifindex: 3, op: 'set', altnames: ['x'] }), 'link-prop.op: expected one of add, del');
});
