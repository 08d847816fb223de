// Rule realms (FRA_FLOW) in `ip route get`: set_class_tag() fills the halves the nexthop
// left 0, and an answer a per-CPU cached route could change is refused by name. The
// answers themselves are compared with the kernel in test/fixtures/kernel/rule-realms*.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { setClassTag } from '../../core/route/rt-class-tag.js';

const SETUP = `ip link add name v0 type veth peer name v1
ip link set dev v1 up
ip link set dev v0 up
ip addr add 10.0.0.1/24 dev v0
ip route add 172.16.0.0/16 via 10.0.0.254 table 100 realms 3/4
ip route add 172.17.0.0/16 via 10.0.0.254 table 100
ip route add 172.17.0.0/16 via 10.0.0.254 table 200
ip rule add from 10.0.0.1 lookup 100 realms 5 prio 10
ip rule add lookup 100 prio 20
ip rule add lookup 200 prio 30
`;

function last(script: string): { stdout: string; problem: string | undefined; exit: number } {
  const lines = [...runScript(script)];
  const l = lines[lines.length - 1];
  assert.ok(l !== undefined);
  return { stdout: l.stdout, problem: l.problem, exit: l.exit };
}

test('set_class_tag fills only the halves that are 0', () => {
  assert.equal(setClassTag(0, (1 << 16) | 2), (1 << 16) | 2);
  assert.equal(setClassTag(5, (1 << 16) | 2), (1 << 16) | 5);
  assert.equal(setClassTag(6 << 16, 7), (6 << 16) | 7);
  assert.equal(setClassTag((3 << 16) | 4, (1 << 16) | 2), (3 << 16) | 4);
});

test('a nexthop with both realms answers whatever the rule: no cached route can differ', () => {
  const r = last(`${SETUP}ip route get 172.16.1.1 from 10.0.0.1`);
  assert.equal(r.problem, undefined);
  assert.equal(r.stdout, '172.16.1.1 from 10.0.0.1 via 10.0.0.254 dev v0 table 100 realms 3/4 uid 0 \n    cache \n');
});

test("a cacheable answer a lookup rule's realms would change is refused by name, through either rule", () => {
  for (const get of ['ip route get 172.17.1.1 from 10.0.0.1', 'ip route get 172.17.1.1']) {
    const r = last(`${SETUP}${get}`);
    assert.equal(r.exit, 2);
    assert.match(r.problem ?? '', /^not modelled: ip route get whose cached output route may carry a rule's realms/);
  }
});

test('a route of a table no realms rule looks up is answered', () => {
  const r = last(`${SETUP}ip rule del prio 20\nip route get 172.17.1.1`);
  assert.equal(r.problem, undefined);
  assert.equal(r.stdout, '172.17.1.1 via 10.0.0.254 dev v0 table 200 src 10.0.0.1 uid 0 \n    cache \n');
});

test('a rule with realms makes input-path questions refused (fib_num_tclassid_users)', () => {
  const r = last(`${SETUP}sysctl -w net.ipv4.conf.all.forwarding=1\nip route get 172.17.1.1 from 10.9.0.1 iif v1`);
  assert.match(r.problem ?? '', /^not modelled: realms on the input path/);
});
