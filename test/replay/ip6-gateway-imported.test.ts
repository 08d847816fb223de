// An IPv6 gateway on an imported state (`kfib run --initial`): the kernel checks it against
// the device's IPv6 settings and the host's IPv6 routes and addresses (fib6_nh_init(),
// ip6_route_check_nh()), which a dump does not carry, so the command is named, never
// answered with the model's guess. Before: EHOSTUNREACH for a global gateway, and "IPv6 is
// disabled on nexthop device" for a link-local one on a host whose dump shows IPv6
// addresses on that device (the import takes IPv6 as off unless the dump has IPv6
// gateways). In a fresh namespace the answers stay the kernel's (test/fixtures/kernel/via-inet6-*).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const BEFORE = resolve(here, '../../../test/fixtures/initial/veth-pair-admin/before.json');

function run(script: string, initial: boolean): { stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-ip6gw-'));
  const f = join(dir, 'script.ip');
  writeFileSync(f, script);
  const r = spawnSync(process.execPath, [KFIB, 'run', ...(initial ? ['--initial', BEFORE] : []), f], { encoding: 'utf8' });
  return { stdout: r.stdout, status: r.status };
}

const GLOBAL = 'ip route add 10.5.0.0/16 via inet6 2001:db8::1 dev eth0\nip nexthop add id 7 via 2001:db8::1 dev eth0\nip route show 10.5.0.0/16\n';

test('a global IPv6 gateway on an imported state is named (route and nexthop), exit 3', () => {
  const r = run(GLOBAL, true);
  assert.equal(r.status, 3, r.stdout);
  // Both commands named (the summary counts them), neither answered.
  assert.match(r.stdout, /#\s+2 × not modelled: IPv6 gateway 2001:db8::1 on an imported state/);
  assert.match(r.stdout, /\$ ip route add 10\.5\.0\.0\/16 via inet6 2001:db8::1 dev eth0\n\[exit 2\]\n\$ ip nexthop add id 7 via 2001:db8::1 dev eth0\n\[exit 2\]\n/);
  assert.doesNotMatch(r.stdout, /Network is unreachable|No route to host/);
});

test('a link-local gateway on an imported state whose eth0 has IPv6 addresses is named too', () => {
  const r = run('ip route add 10.6.0.0/16 via inet6 fe80::1 dev eth0\nip route show 10.6.0.0/16\n', true);
  assert.equal(r.status, 3, r.stdout);
  assert.match(r.stdout, /not modelled: IPv6 gateway fe80::1 on an imported state/);
  assert.doesNotMatch(r.stdout, /IPv6 is disabled/);
});

test('in a fresh namespace the global gateway is still refused as the kernel refuses it', () => {
  const r = run(`ip link add eth0 type veth peer name eth1\nip link set eth0 up\nsysctl -w net.ipv6.conf.all.disable_ipv6=0\n${GLOBAL}`, false);
  assert.doesNotMatch(r.stdout, /not modelled: IPv6 gateway/);
  assert.match(r.stdout, /\$ ip route add 10\.5\.0\.0\/16 via inet6 2001:db8::1 dev eth0\n.*(unreachable|No route to host)/);
});
