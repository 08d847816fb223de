import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentChanges } from '../../core/replay/silent-changes.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';

function script(lines: readonly string[], s: FibSnapshot = initialSnapshot()): FibSnapshot {
  for (const l of lines) s = runCommand(s, l.split(' ')).snapshot;
  return s;
}

function last(s: FibSnapshot, line: string) {
  const r = runCommand(s, line.split(' '));
  const effects = r.steps.flatMap((x) => x.step.effects);
  return silentChanges(s, r.snapshot, effects, { rules: true });
}

const base = ['ip link set lo up', 'ip link add veth0 type veth peer name veth0p', 'ip link set veth0p up', 'ip link set veth0 up', 'ip addr add 192.0.2.1/24 dev veth0', 'ip route add 198.51.100.0/24 via 192.0.2.254 table 10'];

test('the last address going flushes the policy table silently (fib_disable_ip)', () => {
  const c = last(script(base), 'ip addr del 192.0.2.1/24 dev veth0');
  assert.deepEqual(c.map((x) => [x.kind, x.cause, x.kind === 'route-removed' ? x.json['dst'] : '']), [['route-removed', 'fib_disable_ip', '198.51.100.0/24']]);
});

test('ignore_routes_with_linkdown only changes how linkdown routes are reported', () => {
  const s = script([...base, 'ip link set veth0p down']);
  const c = last(s, 'sysctl -w net.ipv4.conf.veth0.ignore_routes_with_linkdown=1');
  assert.ok(c.length > 0);
  assert.ok(c.every((x) => x.kind === 'route-changed' && x.reportOnly && JSON.stringify(x.after['flags']).includes('dead')));
});

test('a goto rule is resolved silently when its target appears', () => {
  const s = script([...base, 'ip rule add pref 190 to 172.31.0.0/16 goto 200']);
  const c = last(s, 'ip rule add pref 200 lookup 200');
  assert.deepEqual(c.map((x) => (x.kind === 'rule-changed' ? [x.before, x.after] : x.kind)), [[['unresolved'], []]]);
});

test('a replace removes the old route without RTM_DELROUTE (implied by the flag)', () => {
  const c = last(script(base), 'ip route replace 198.51.100.0/24 via 192.0.2.253 table 10');
  assert.deepEqual(c.map((x) => (x.kind === 'route-removed' ? [x.implied, x.json['gateway']] : x.kind)), [[true, '192.0.2.254']]);
});
