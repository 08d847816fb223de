import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RulesList } from '../../core/snapshot/rules-list.js';
import { blankRule } from '../../core/snapshot/fib-rule.js';
import type { FibRule } from '../../core/events/rule.js';

// The naive model: an array, a rule inserted before the first rule of a higher priority
// (fib_nl_newrule()), removed by position.
function naiveInsert(xs: readonly FibRule[], r: FibRule): FibRule[] {
  const i = xs.findIndex((x) => x.priority > r.priority);
  const out = [...xs];
  out.splice(i < 0 ? xs.length : i, 0, r);
  return out;
}

/** Every way of reading the list gives the naive array. */
function sameAs(l: RulesList, xs: readonly FibRule[]): void {
  assert.equal(l.length, xs.length);
  assert.deepEqual(l.toArray(), xs);
  assert.deepEqual([...l], xs);
  const seen: [FibRule, number][] = [];
  l.forEach((r, i) => seen.push([r, i]));
  assert.deepEqual(seen, xs.map((r, i) => [r, i]));
  for (let i = -1; i <= xs.length; i++) assert.equal(l.at(i), xs[i]);
  for (const p of new Set(xs.map((r) => r.priority).concat([-1, 1e9]))) {
    assert.equal(l.lowerBound(p), xs.filter((r) => r.priority < p).length, `lowerBound(${p})`);
    assert.equal(l.upperBound(p), xs.filter((r) => r.priority <= p).length, `upperBound(${p})`);
  }
}

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), priority: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('del' as const), at: fc.nat() }) },
);

test('the rule list keeps the kernel order (priority, then insertion) under any adds and deletes, and every reader sees it (fib_nl_newrule)', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 1500, size: 'max' }), (ops) => {
      let l = RulesList.from([]);
      let xs: FibRule[] = [];
      let n = 0;
      for (const o of ops) {
        if (o.kind === 'add') {
          // A distinct object per rule (the table field tells them apart in a failure).
          const r = { ...blankRule(o.priority), table: n++ };
          l = l.insertByPriority(r);
          xs = naiveInsert(xs, r);
        } else if (xs.length > 0) {
          const i = o.at % xs.length;
          l = l.removeAt(i);
          xs = xs.filter((_, j) => j !== i);
        }
      }
      sameAs(l, xs);
    }),
    { numRuns: 60 },
  );
});

test('a change leaves every earlier list as it was (snapshots stay immutable), with thousands of rules', () => {
  let l = RulesList.from([]);
  let xs: FibRule[] = [];
  const versions: [RulesList, FibRule[]][] = [];
  let seed = 7;
  const rnd = (m: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % m;
  };
  for (let k = 0; k < 6000; k++) {
    if (k % 4 === 3 && xs.length > 0) {
      const i = rnd(xs.length);
      l = l.removeAt(i);
      xs = xs.filter((_, j) => j !== i);
    } else {
      const r = { ...blankRule(rnd(500)), table: k };
      l = l.insertByPriority(r);
      xs = naiveInsert(xs, r);
    }
    if (k % 1000 === 0) versions.push([l, xs]);
  }
  sameAs(l, xs);
  for (const [v, a] of versions) assert.deepEqual(v.toArray(), a);
  // Deleting everything leaves an empty list that still takes rules.
  while (l.length > 0) l = l.removeAt(rnd(l.length));
  assert.deepEqual(l.toArray(), []);
  const one = blankRule(5);
  sameAs(l.insertByPriority(one), [one]);
});

test('a list is built only from rules in priority order', () => {
  assert.throws(() => RulesList.from([blankRule(2), blankRule(1)]), /not in priority order at 1: 2 then 1/);
  const rs = Array.from({ length: 2000 }, (_, i) => ({ ...blankRule(i >> 2), table: i }));
  sameAs(RulesList.from(rs), rs);
  assert.equal(JSON.stringify(RulesList.from(rs.slice(0, 3))), JSON.stringify(rs.slice(0, 3)));
});
