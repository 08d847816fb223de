// fib_props[] (net/ipv4/fib_semantics.c), table-driven: the error each route type answers a
// lookup with, as `ip route get` reports it. blackhole -EINVAL, unreachable -EHOSTUNREACH,
// prohibit -EACCES; throw -EAGAIN, which fib_rules_lookup() turns into "try the next rule",
// so with only the default rules the walk ends (after the empty default table) in
// -ENETUNREACH.
//
// Expected outputs were captured from Linux 6.18 + iproute2 6.1 in a private namespace
// (`unshare -n`, the same commands).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const CASES: readonly (readonly [type: string, kernel: string])[] = [
  ['blackhole', 'RTNETLINK answers: Invalid argument\n'],
  ['unreachable', 'RTNETLINK answers: No route to host\n'],
  ['prohibit', 'RTNETLINK answers: Permission denied\n'],
  ['throw', 'RTNETLINK answers: Network is unreachable\n'],
];

for (const [type, kernel] of CASES) {
  test(`fib_props: a ${type} route answers a lookup with ${kernel.replace('RTNETLINK answers: ', '').trim()}, exit 2`, () => {
    const lines = [...runScript(`ip route add ${type} 10.9.1.0/24\nip route get 10.9.1.1\n`)];
    const last = lines[lines.length - 1]!;
    assert.equal(last.stdout + last.stderr, kernel);
    assert.equal(last.exit, 2);
  });
}
