// ip netconf without -4 (core/iproute2/ip-netconf-nexthop.ts) beyond the kernel fixture
// test/fixtures/kernel/netconf-all-families.ip: what is named instead of guessed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';

test('ip netconf without -4 on a state imported from a dump is named: its IPv6 devconf is not in the dump', () => {
  const lines = [...runScript('ip netconf show\nip -4 netconf show dev lo\n', initialSnapshot(true))];
  assert.deepEqual(lines.map((l) => l.problem), ['not modelled: ip netconf without -4 on an imported state (the IPv6 devconf is not in the dump)', undefined]);
});
