// rule_exists() through the index (core/rules/rule-index.ts) against the kernel's walk said
// plainly: compare the new rule with every rule in the list, from/to/tos only when the new
// rule gives them, realms only when the request carries FRA_FLOW.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/index.js';
import { blankRule } from '../../core/snapshot/fib-rule.js';
import type { FibRule } from '../../core/events/rule.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';

/** fib4_rule_compare() plus the generic part of rule_exists(), one attribute after another. */
function naiveEqual(old: FibRule, r: FibRule): boolean {
  const always: (keyof FibRule)[] = ['priority', 'not', 'fwmark', 'fwmask', 'iifName', 'oifName', 'uidStart', 'uidEnd', 'ipproto', 'action', 'table', 'gotoTarget', 'suppressPrefixlen', 'suppressIfgroup', 'protocol', 'l3mdev'];
  for (const k of always) if (old[k] !== r[k]) return false;
  if (JSON.stringify(old.sport) !== JSON.stringify(r.sport) || JSON.stringify(old.dport) !== JSON.stringify(r.dport)) return false;
  if (r.srcLen !== 0 && (old.srcLen !== r.srcLen || old.src !== r.src)) return false;
  if (r.dstLen !== 0 && (old.dstLen !== r.dstLen || old.dst !== r.dst)) return false;
  if (r.tos !== 0 && old.tos !== r.tos) return false;
  if (r.flow !== undefined && (old.flow ?? 0) !== r.flow) return false;
  return true;
}

// Few values per attribute, so that equal and almost equal rules are common.
const rule = fc
  .record({
    priority: fc.integer({ min: 1, max: 4 }),
    src: fc.constantFrom(0x0a000000, 0x0a000100),
    srcLen: fc.constantFrom(0, 24, 32),
    dst: fc.constantFrom(0, 0xc0000200),
    dstLen: fc.constantFrom(0, 24),
    tos: fc.constantFrom(0, 4, 8),
    flow: fc.constantFrom(undefined, 0, 5),
    table: fc.constantFrom(100, 101),
    iifName: fc.constantFrom(null, 'v0', 'v1'),
    sport: fc.constantFrom(null, [1, 2] as const, [1, 3] as const),
    not: fc.boolean(),
  })
  .map(({ flow, ...r }): FibRule => {
    const base: FibRule = { ...blankRule(r.priority), ...r, src: r.srcLen === 0 ? 0 : r.src, dst: r.dstLen === 0 ? 0 : r.dst };
    return flow === undefined ? base : { ...base, flow };
  });

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), rule }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('del' as const), at: fc.nat() }) },
);

test('ip rule add is refused with EEXIST exactly when the kernel\'s walk finds an equal rule (rule_exists, fib4_rule_compare)', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300, size: 'max' }), (ops) => {
      let s: FibSnapshot = initialSnapshot();
      const history: FibSnapshot[] = [];
      for (const o of ops) {
        if (o.kind === 'add') {
          const want = s.rules.some((old) => naiveEqual(old, o.rule));
          const st = reduceFib(s, { type: 'rule-add', rule: o.rule });
          assert.equal(st.error?.errno ?? null, want ? 'EEXIST' : null, `rule ${JSON.stringify(o.rule)}`);
          s = st.snapshot;
        } else if (s.rules.length > 3) {
          // A user rule (after the first default one), deleted whole.
          const victim = s.rules.at(1 + (o.at % (s.rules.length - 1)))!;
          const st = reduceFib(s, { type: 'rule-del', match: victim });
          assert.equal(st.error, null);
          s = st.snapshot;
        }
        history.push(s);
      }
      // An earlier snapshot asked again (a branch) answers for its own list.
      const mid = history[history.length >> 1];
      if (mid !== undefined) {
        for (const o of ops) {
          if (o.kind !== 'add') continue;
          const want = mid.rules.some((old) => naiveEqual(old, o.rule));
          assert.equal(reduceFib(mid, { type: 'rule-add', rule: o.rule }).error?.errno ?? null, want ? 'EEXIST' : null);
        }
      }
    }),
    { numRuns: 100 },
  );
});
