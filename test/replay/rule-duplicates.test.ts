// Duplicate IPv4 rules: fib_newrule() refuses a rule identical to one in the list only when
// the request has NLM_F_EXCL (iproute2's `ip rule add` asks it; other netlink clients, and
// `ip rule restore`, need not). A capture's RTM_NEWRULE is an add the kernel accepted, so
// a replay adds it even when it is identical (test/fixtures/traces/60-*, 61-*), and a dump
// that lists a rule twice is imported with both copies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import { initialState, canonicalJson } from '../../core/replay/initial-state.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import type { RuleAddEvent } from '../../core/events/rule.js';
import { readJson } from '../trace/_fixtures.js';

function ruleAdd(s: FibSnapshot, exclusive: boolean | undefined): ReturnType<typeof reduceFib> {
  const rule = { ...runCommandRule(), priority: 1000 };
  const ev: RuleAddEvent = exclusive === undefined ? { type: 'rule-add', rule } : { type: 'rule-add', rule, exclusive };
  return reduceFib(s, ev);
}

/** `from all lookup 100` as a rule-add's rule (read back from the model's own `ip rule add`). */
function runCommandRule(): RuleAddEvent['rule'] {
  const r = runCommand(initialSnapshot(), ['ip', 'rule', 'add', 'pref', '1000', 'lookup', '100']);
  const added = r.snapshot.rules.at(1);
  assert.ok(added !== undefined && added.priority === 1000);
  return added;
}

const rules = (s: FibSnapshot): string => runCommand(s, ['ip', 'rule']).output.stdout;

test('an add without NLM_F_EXCL makes a duplicate; with it (the default) an identical rule is EEXIST', () => {
  const one = ruleAdd(initialSnapshot(), undefined);
  assert.equal(one.error, null);
  assert.equal(ruleAdd(one.snapshot, undefined).error?.errno, 'EEXIST');
  assert.equal(ruleAdd(one.snapshot, true).error?.errno, 'EEXIST');
  const two = ruleAdd(one.snapshot, false);
  assert.equal(two.error, null);
  assert.equal(
    rules(two.snapshot),
    ['0:\tfrom all lookup local', '1000:\tfrom all lookup 100', '1000:\tfrom all lookup 100', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default', ''].join('\n'),
  );
});

test('deleting one duplicate keeps the other, and the index still finds it (EEXIST), until both are gone', () => {
  let s = ruleAdd(ruleAdd(initialSnapshot(), undefined).snapshot, false).snapshot;
  s = runCommand(s, ['ip', 'rule', 'del', 'pref', '1000', 'lookup', '100']).snapshot;
  assert.equal(rules(s), ['0:\tfrom all lookup local', '1000:\tfrom all lookup 100', '32766:\tfrom all lookup main', '32767:\tfrom all lookup default', ''].join('\n'));
  assert.equal(ruleAdd(s, undefined).error?.errno, 'EEXIST');
  s = runCommand(s, ['ip', 'rule', 'del', 'pref', '1000', 'lookup', '100']).snapshot;
  assert.equal(ruleAdd(s, undefined).error, null);
  const gone = runCommand(s, ['ip', 'rule', 'del', 'pref', '1000', 'lookup', '100']);
  assert.equal(gone.output.stderr, 'RTNETLINK answers: No such file or directory\n');
});

test('a dump listing a rule twice (fixture 60, checkpoint 01) is imported with both copies, in order', () => {
  const raw = readJson('60-rule-duplicate-noexcl', 'checkpoints/01-duplicate.json') as { rule: unknown[] };
  const parsed = parseIpSnapshot(raw);
  assert.deepEqual(parsed.errors, []);
  const init = initialState(parsed.snapshot);
  assert.deepEqual(init.differences, []);
  const dumped = ipJsonDump({ snapshot: init.snapshot, links: init.links, metrics: init.metrics });
  assert.deepEqual(dumped.rule.map((r) => canonicalJson(r)), raw.rule.map((r) => canonicalJson(r)));
});
