// fib_num_tclassid_users after the last route with realms goes: the kernel counts a route's
// realms out in fib_nh_release(), from free_fib_info_rcu(), which free_fib_info() defers by
// call_rcu(): until the grace period ends fib_validate_source() still takes its full path.
// A rule's realms are counted out at once (fib4_rule_delete()).
//
// Captured on Linux 6.18 (unshare -n; a0 10.1.0.1/24, b0 10.2.0.1/24, all up), the script
//   ip route add 10.88.0.0/24 via 10.1.0.8 realm 3
//   ip route get 10.1.0.1 from 10.2.0.255 iif a0
//   ip route del 10.88.0.0/24
//   ip route get 10.1.0.1 from 10.2.0.255 iif a0      (twice)
//   sleep S
//   ip route get 10.1.0.1 from 10.2.0.255 iif a0
// three runs each for S = 0, 0.05, 0.2 and 1. With realms in use: always
//   RTNETLINK answers: Invalid argument
// (the full check: the source is b0's subnet broadcast). Right after the delete, runs gave
//   RTNETLINK answers: Invalid argument
// or
//   local 10.1.0.1 from 10.2.0.255 dev lo
//       cache <local> iif a0
// (the fast path) depending on the run, for both gets; after `sleep 0.2` and `sleep 1` each
// of the six runs gave the fast path's answer, after `sleep 0` one of three still EINVAL.
// The model has no clock: once the last route with realms went, an answer the two paths
// give differently is a named gap, and one they agree on is answered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SETUP = `ip link add a0 type veth peer name a1
ip link add b0 type veth peer name b1
ip link set a0 up
ip link set a1 up
ip link set b0 up
ip link set b1 up
ip addr add 10.1.0.1/24 dev a0
ip addr add 10.2.0.1/24 dev b0
`;

function lines(script: string): { command: string; out: string; problem: string | undefined }[] {
  return [...runScript(SETUP + script)].slice(8).map((l) => ({ command: l.command, out: l.stdout + l.stderr, problem: l.problem }));
}

test('after the last route with realms is deleted, the subnet-broadcast source case is a named gap; agreeing answers are given', () => {
  const got = lines(`ip route get 10.1.0.1 from 10.2.0.255 iif a0
ip route add 10.88.0.0/24 via 10.1.0.8 realm 3
ip route get 10.1.0.1 from 10.2.0.255 iif a0
ip route del 10.88.0.0/24
ip route get 10.1.0.1 from 10.2.0.255 iif a0
ip route get 10.1.0.1 from 10.1.0.7 iif a0`);
  // Before any realms: the fast path (a fresh namespace: fib_num_tclassid_users is 0).
  assert.deepEqual(got[0], { command: 'ip route get 10.1.0.1 from 10.2.0.255 iif a0', out: 'local 10.1.0.1 from 10.2.0.255 dev lo \n    cache <local> iif a0 \n', problem: undefined });
  // With realms in use: the full check.
  assert.equal(got[2]?.out, 'RTNETLINK answers: Invalid argument\n');
  assert.equal(got[2]?.problem, undefined);
  // Right after the delete: either, by the clock.
  assert.match(got[4]?.problem ?? '', /fib_num_tclassid_users after the last route with realms went/);
  // A source both paths accept alike (on a0's own subnet): answered.
  assert.equal(got[5]?.problem, undefined);
  assert.equal(got[5]?.out, 'local 10.1.0.1 from 10.1.0.7 dev lo \n    cache <local> iif a0 \n');
});

test('a route with realms replaced or flushed with its device also leaves the count pending; a rule with realms does not', () => {
  const replaced = lines(`ip route add 10.88.0.0/24 via 10.1.0.8 realm 3
ip route replace 10.88.0.0/24 via 10.1.0.8
ip route get 10.1.0.1 from 10.2.0.255 iif a0`);
  assert.match(replaced[2]?.problem ?? '', /fib_num_tclassid_users/);
  const flushed = lines(`ip route add 10.88.0.0/24 via 10.1.0.8 realm 3
ip link set a0 down
ip link set a0 up
ip route get 10.1.0.1 from 10.2.0.255 iif a0`);
  assert.match(flushed[3]?.problem ?? '', /fib_num_tclassid_users/);
  // fib4_rule_delete() counts a rule's realms out at once; the rule made the rules custom,
  // so the full check stays (fib4_has_custom_rules): the kernel answered EINVAL after
  // `ip rule del`, as before it (captured in the same runs).
  const rule = lines(`ip rule add from 10.9.0.0/24 lookup 100 realms 4 pref 100
ip route get 10.1.0.1 from 10.2.0.255 iif a0
ip rule del pref 100
ip route get 10.1.0.1 from 10.2.0.255 iif a0`);
  assert.equal(rule[1]?.out, 'RTNETLINK answers: Invalid argument\n');
  assert.deepEqual([rule[3]?.out, rule[3]?.problem], ['RTNETLINK answers: Invalid argument\n', undefined]);
});
