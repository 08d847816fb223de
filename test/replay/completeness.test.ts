import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeness, completenessLines, readerSkipIsOutOfScope, snapshotSkipIsOutOfScope } from '../../core/replay/completeness.js';
import type { ReplayStep } from '../../core/replay/replayer.js';

test('IPv6, other families and non-FIB messages are out of scope; anything else skipped is a gap', () => {
  const scope = ['RTM_NEWROUTE/AF_INET6', '[ROUTE]/inet6', 'RTM_DELNEIGH', '[NEIGH]', 'RTM_NEWLINK/AF_BRIDGE', 'RTM_NEWMDB', 'RTM_NEWROUTE/cloned', '[LINK] without group (AF_BRIDGE or AF_INET6 link message)'];
  assert.deepEqual(scope.map(readerSkipIsOutOfScope), scope.map(() => true));
  assert.equal(readerSkipIsOutOfScope('RTM_NEWROUTE/AF_INET'), false);
  assert.deepEqual(['route/inet6', 'rule/inet6', 'unknown key link.linkinfo', 'unknown key names', 'unknown key route_get'].map(snapshotSkipIsOutOfScope), [true, true, true, true, true]);
  assert.deepEqual(['unknown key route.congctl', 'unknown key rule.foo', 'unknown key nexthop.bar'].map(snapshotSkipIsOutOfScope), [false, false, false]);
});

function step(seq: number, notes: string[]): ReplayStep {
  return { seq, notes } as unknown as ReplayStep;
}

test('refused events, records not replayed and ambiguous families are counted gaps, with the first place', () => {
  const c = completeness({
    hasInitial: true,
    stats: { consumed: 10, records: {}, skipped: { '[ROUTE]/inet6': 40, 'RTM_FOO/AF_INET': 2 }, errors: 0, stopped: false },
    initialSkipped: { 'route/inet6': 3, 'unknown key route.congctl': 1 },
    initialDifferences: ['route missing: {"dst":"10.0.0.0/8"}'],
    steps: [step(1, []), step(7, ['the model refused it: EINVAL (Nexthop id does not exist)']), step(9, ['the model refused it: EINVAL']), step(12, ['ambiguous family: a rule with no address'])],
  });
  assert.equal(c.refused, 2);
  assert.deepEqual(completenessLines(c), [
    '# replay: 7 gaps (IPv4 FIB content the model did not represent):',
    '#   2 × not modelled, skipped: RTM_FOO/AF_INET',
    '#   1 × initial snapshot: not kept: unknown key route.congctl',
    '#   1 × initial snapshot not reproduced: route missing (first before the trace)',
    '#   2 × refused by the model: EINVAL (first @7)',
    '#   1 × ambiguous family (ip monitor text: a rule with no address; applied as IPv4) (first @12)',
    '#     initial snapshot route missing: {"dst":"10.0.0.0/8"}',
    '# out of scope (not the IPv4 FIB): [ROUTE]/inet6 40, initial snapshot: route/inet6 3',
  ]);
});

test('a replay with nothing left out says it is exact', () => {
  const c = completeness({ hasInitial: true, steps: [step(1, ['inferred from the promotion that follows: promote_secondaries = 1'])] });
  assert.deepEqual(completenessLines(c), ['# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)']);
});
