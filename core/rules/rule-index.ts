// An index of a rule list by what rule_exists() compares (fib_rules.c), so that adding a
// rule asks a map instead of comparing it with every rule in the list.
//
// Why: fib_nl_newrule() refuses a rule equal to one in the list (EEXIST). The comparison is
// not plain equality: from, to and tos count only when the new rule gives them
// (fib4_rule_compare(): src_len, dst_len, tos != 0; realms when FRA_FLOW is in the request),
// every other attribute always counts. So each rule is entered under one key per subset of
// {from, to, tos, realms} that it could be compared on: the other attributes plus that
// subset's values. A new rule exists exactly when the key of its own subset (the selectors
// it gives) is present. A rule that does not give from, to or tos never equals a new rule
// that gives it (a non-zero value against zero), so it is not entered under those subsets;
// realms can be given as 0, which equals a rule without realms, so every rule is entered
// under both realms subsets. Comparing each new rule with the whole list
// made 100,000 rules quadratic (the kernel walks its list too, but in C).
//
// The list stays an immutable array in the snapshot; the index belongs to one array. When
// a new list is made from an indexed one by adding or removing one rule, the index moves to
// the new list (adopt()); an older list asked again (a branch from an earlier snapshot)
// gets a fresh index built from its rules. So each snapshot reads an index of its own list.

import type { FibRule } from '../events/rule.js';

/** The attributes rule_exists() always compares, as one string. */
function fixedKey(r: FibRule): string {
  const sp = r.sport === null ? '-' : `${r.sport[0]}-${r.sport[1]}`;
  const dp = r.dport === null ? '-' : `${r.dport[0]}-${r.dport[1]}`;
  return (
    `${r.priority}|${r.not ? 1 : 0}|${r.fwmark}|${r.fwmask}|${r.iifName ?? '\0'}|${r.oifName ?? '\0'}|${r.uidStart ?? '-'}|${r.uidEnd ?? '-'}` +
    `|${r.ipproto}|${sp}|${dp}|${r.action}|${r.table}|${r.gotoTarget}|${r.suppressPrefixlen}|${r.suppressIfgroup}|${r.protocol}|${r.l3mdev ? 1 : 0}`
  );
}

/** Which selectors a rule gives (bit 0 from, bit 1 to, bit 2 tos, bit 3 realms): those fib4_rule_compare() checks. */
function givenMask(r: FibRule): number {
  return (r.srcLen !== 0 ? 1 : 0) | (r.dstLen !== 0 ? 2 : 0) | (r.tos !== 0 ? 4 : 0) | (r.flow !== undefined ? 8 : 0);
}

const SUBSETS = 16;

/** The key of a rule under one subset of the selectors. */
function keyUnder(r: FibRule, fixed: string, mask: number): string {
  let k = `${mask}|${fixed}`;
  if ((mask & 1) !== 0) k += `|${r.src}/${r.srcLen}`;
  if ((mask & 2) !== 0) k += `|${r.dst}/${r.dstLen}`;
  if ((mask & 4) !== 0) k += `|${r.tos}`;
  if ((mask & 8) !== 0) k += `|f${r.flow ?? 0}`;
  return k;
}

/** A rule list's index: how many rules sit under each key. */
class RuleIndex {
  private readonly counts = new Map<string, number>();

  constructor(rules: readonly FibRule[]) {
    for (const r of rules) this.add(r);
  }

  add(r: FibRule): void {
    const fixed = fixedKey(r);
    const g = givenMask(r);
    for (let m = 0; m < SUBSETS; m++) {
      if ((m & ~g & 7) !== 0) continue;
      const k = keyUnder(r, fixed, m);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    }
  }

  remove(r: FibRule): void {
    const fixed = fixedKey(r);
    const g = givenMask(r);
    for (let m = 0; m < SUBSETS; m++) {
      if ((m & ~g & 7) !== 0) continue;
      const k = keyUnder(r, fixed, m);
      const n = (this.counts.get(k) ?? 0) - 1;
      if (n <= 0) this.counts.delete(k);
      else this.counts.set(k, n);
    }
  }

  /** rule_exists(): a rule in the list equal to `rule` as fib4_rule_compare() sees it. */
  exists(rule: FibRule): boolean {
    return this.counts.has(keyUnder(rule, fixedKey(rule), givenMask(rule)));
  }
}

const indexes = new WeakMap<readonly FibRule[], RuleIndex>();

function indexOf(rules: readonly FibRule[]): RuleIndex {
  let ix = indexes.get(rules);
  if (ix === undefined) {
    ix = new RuleIndex(rules);
    indexes.set(rules, ix);
  }
  return ix;
}

/**
 * rule_exists(): whether `rules` hold a rule equal to `rule` (from, to and tos compared only
 * when `rule` gives them).
 *
 * @example
 *   ruleExists(defaultRules(), { ...blankRule(32766), table: 254, protocol: 2 }); // true
 */
export function ruleExists(rules: readonly FibRule[], rule: FibRule): boolean {
  return indexOf(rules).exists(rule);
}

/**
 * Moves the index of `from` (if it has one) to `to`, a list made from it by adding `added`
 * and removing `removed`: the next ruleExists() on `to` costs no rebuild.
 */
export function adoptRuleIndex(from: readonly FibRule[], to: readonly FibRule[], added: FibRule | null, removed: FibRule | null): void {
  const ix = indexes.get(from);
  if (ix === undefined) return;
  indexes.delete(from);
  if (added !== null) ix.add(added);
  if (removed !== null) ix.remove(removed);
  indexes.set(to, ix);
}
