// A compiled answer (answer-table.ts) on an imported state whose devconf is unknown
// (devconf-unknown: a trace without before.json) is named where routeGet() names it, never
// taken as 0: route_localnet of the output device for a loopback source (__mkroute_output())
// and ignore_routes_with_linkdown for a linkdown nexthop (fib_lookup_good_nhc()). Before,
// answer-table.ts read both values as stored (0) and answered with no gap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reduceFib } from '../../../core/reduce/reduce.js';
import { tableAliases } from '../../../core/snapshot/fib-table.js';
import type { FibSnapshot } from '../../../core/snapshot/snapshot.js';
import { routeGet } from '../../../core/route/route-output.js';
import { AnswerTable } from '../../../workers/compile/answer-table.js';
import { decodeOutcome, outcomeOf } from '../../../workers/compile/decode-outcome.js';
import { destinationRequest } from '../../../workers/fib-engine.js';
import { snapshotsOf } from '../_fib-scripts.js';

function compiled(s: FibSnapshot, dst: number, plen: number, probe: number): ReturnType<typeof decodeOutcome> {
  const main = s.tables.get(254);
  assert.ok(main !== undefined);
  const at = new AnswerTable(s);
  const id = at.leafAnswer(tableAliases(main, dst, plen));
  assert.ok(id >= 0);
  return decodeOutcome(outcomeOf(at.answers, { answer: id, table: 254, plen, ruleFlow: 0 }), probe);
}

function unknown(lines: readonly string[]): FibSnapshot {
  const s = snapshotsOf(lines).at(-1);
  assert.ok(s !== undefined);
  return reduceFib(s, { type: 'devconf-unknown' }).snapshot;
}

test('a loopback prefsrc out of a device whose route_localnet is unknown: named, as routeGet() names it', () => {
  const s = unknown(['ip link set lo up', 'ip link add v0 type veth peer name v0p', 'ip link set v0 up', 'ip link set v0p up', 'ip route add 10.9.0.0/16 dev v0 src 127.0.0.1']);
  const want = routeGet(s, destinationRequest(0x0a090001));
  assert.equal(want.ok, false);
  assert.match(want.ok ? '' : (want.gap ?? ''), /route_localnet/);
  assert.deepEqual(compiled(s, 0x0a090000, 16, 0x0a090001), want);
});

test('a linkdown nexthop whose ignore_routes_with_linkdown is unknown: the compiled answer carries the gap', () => {
  const s = unknown(['ip link add a0 type veth peer name a1', 'ip link set a0 up', 'ip link set a1 up', 'ip addr add 10.1.0.1/24 dev a0', 'ip route add 10.9.0.0/16 via 10.1.0.2 dev a0', 'ip link set a1 down']);
  const got = compiled(s, 0x0a090000, 16, 0x0a090001);
  assert.ok(got.ok && got.answer.kind === 'route');
  assert.match(got.answer.gap ?? '', /ignore_routes_with_linkdown/);
  // routeGet() explores both values: with 1 the only route is skipped (unreachable), with 0 it is used.
  const want = routeGet(s, destinationRequest(0x0a090001));
  assert.match(want.ok ? '' : (want.gap ?? ''), /ignore_routes_with_linkdown/);
});
