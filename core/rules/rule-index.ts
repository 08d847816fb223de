// An index of a rule list by what rule_exists() compares (fib_rules.c), so that adding a
// rule asks a map instead of comparing it with every rule in the list.
//
// Why: fib_nl_newrule() refuses a rule equal to one in the list (EEXIST). The comparison is
// not plain equality: from, to and tos count only when the new rule gives them
// (fib4_rule_compare(): src_len, dst_len, tos != 0; realms when FRA_FLOW is in the request),
// every other attribute always counts. So each rule is entered under one key per subset of
// {from, to, tos} that it could be compared on: a hash of the other attributes (realms
// aside) plus that subset's values. A new rule can only equal a rule entered under the key
// of its own subset (the selectors it gives), and each rule there is compared as the kernel
// compares (sameUnder(): a hash can collide; realms are compared there, when given). A rule
// that does not give from, to or tos never equals a new rule that gives it (a non-zero value
// against zero), so it is not entered under those subsets. Comparing each new rule with the
// whole list made 100,000 rules quadratic (the kernel walks its list too, but in C); keys
// made as strings (the first index) spent most of an add in allocation and GC.
//
// The list is a persistent sequence in the snapshot (snapshot/rules-list.ts); the index
// belongs to one list. When a new list is made from an indexed one by adding or removing one
// rule, the index moves to the new list (adopt()); an older list asked again (a branch from
// an earlier snapshot) gets a fresh index built from its rules. So each snapshot reads an
// index of its own list.

import type { FibRule } from '../events/rule.js';
import type { RulesList } from '../snapshot/rules-list.js';

/** A string's hash (FNV-1a), for the device names a rule gives. */
function strHash(h: number, x: string | null): number {
  if (x === null) return Math.imul(h ^ 0x9e37, 0x01000193);
  for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ x.length, 0x01000193);
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x01000193);
}

/** A hash of the attributes rule_exists() always compares (all but from, to, tos and realms). */
function fixedHash(r: FibRule): number {
  let h = 0x811c9dc5;
  h = mix(h, r.priority);
  h = mix(h, r.not ? 1 : 0);
  h = mix(h, r.fwmark);
  h = mix(h, r.fwmask);
  h = strHash(h, r.iifName);
  h = strHash(h, r.oifName);
  h = mix(h, r.uidStart ?? -1);
  h = mix(h, r.uidEnd ?? -1);
  h = mix(h, r.ipproto);
  h = mix(h, r.sport === null ? -1 : r.sport[0] * 65536 + r.sport[1]);
  h = mix(h, r.dport === null ? -1 : r.dport[0] * 65536 + r.dport[1]);
  h = strHash(h, r.action);
  h = mix(h, r.table);
  h = mix(h, r.gotoTarget);
  h = mix(h, r.suppressPrefixlen);
  h = mix(h, r.suppressIfgroup);
  h = mix(h, r.protocol);
  return mix(h, r.l3mdev ? 1 : 0);
}

/** Which of from, to and tos a rule gives (bits 0, 1, 2): those fib4_rule_compare() checks. */
function givenMask(r: FibRule): number {
  return (r.srcLen !== 0 ? 1 : 0) | (r.dstLen !== 0 ? 2 : 0) | (r.tos !== 0 ? 4 : 0);
}

/** The key of a rule under one subset of {from, to, tos}: a 32-bit hash (collisions are checked by sameUnder()). */
function keyUnder(r: FibRule, fixed: number, mask: number): number {
  let h = mix(fixed, mask);
  if ((mask & 1) !== 0) h = mix(mix(h, r.src), r.srcLen);
  if ((mask & 2) !== 0) h = mix(mix(h, r.dst), r.dstLen);
  if ((mask & 4) !== 0) h = mix(h, r.tos);
  return h;
}

function samePorts(a: readonly [number, number] | null, b: readonly [number, number] | null): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1];
}

/**
 * rule_exists() with fib4_rule_compare(): whether `old` equals the new rule `r` — every
 * attribute but from, to, tos and realms, and those of them `r` gives.
 */
function sameUnder(old: FibRule, r: FibRule): boolean {
  return (
    old.priority === r.priority &&
    old.not === r.not &&
    old.fwmark === r.fwmark &&
    old.fwmask === r.fwmask &&
    old.iifName === r.iifName &&
    old.oifName === r.oifName &&
    old.uidStart === r.uidStart &&
    old.uidEnd === r.uidEnd &&
    old.ipproto === r.ipproto &&
    samePorts(old.sport, r.sport) &&
    samePorts(old.dport, r.dport) &&
    old.action === r.action &&
    old.table === r.table &&
    old.gotoTarget === r.gotoTarget &&
    old.suppressPrefixlen === r.suppressPrefixlen &&
    old.suppressIfgroup === r.suppressIfgroup &&
    old.protocol === r.protocol &&
    old.l3mdev === r.l3mdev &&
    (r.srcLen === 0 || (old.src === r.src && old.srcLen === r.srcLen)) &&
    (r.dstLen === 0 || (old.dst === r.dst && old.dstLen === r.dstLen)) &&
    (r.tos === 0 || old.tos === r.tos) &&
    // rule4->tclassid is 0 for a rule added without realms; FRA_FLOW given as 0 matches it.
    (r.flow === undefined || (old.flow ?? 0) === r.flow)
  );
}

/** The rules entered under one key: one rule, or several when keys are shared. */
type Bucket = FibRule | FibRule[];

/** A rule list's index: the rules under each key. */
class RuleIndex {
  private readonly buckets = new Map<number, Bucket>();

  constructor(rules: Iterable<FibRule>) {
    for (const r of rules) this.add(r);
  }

  add(r: FibRule): void {
    const fixed = fixedHash(r);
    const g = givenMask(r);
    for (let m = 0; m < 8; m++) {
      if ((m & ~g) !== 0) continue;
      const k = keyUnder(r, fixed, m);
      const b = this.buckets.get(k);
      if (b === undefined) this.buckets.set(k, r);
      else if (Array.isArray(b)) b.push(r);
      else this.buckets.set(k, [b as FibRule, r]);
    }
  }

  remove(r: FibRule): void {
    const fixed = fixedHash(r);
    const g = givenMask(r);
    for (let m = 0; m < 8; m++) {
      if ((m & ~g) !== 0) continue;
      const k = keyUnder(r, fixed, m);
      const b = this.buckets.get(k);
      if (b === r) this.buckets.delete(k);
      else if (Array.isArray(b)) {
        const i = b.indexOf(r);
        if (i >= 0) b.splice(i, 1);
        if (b.length === 1) this.buckets.set(k, b[0]!);
      }
    }
  }

  /** rule_exists(): a rule in the list equal to `rule` as fib4_rule_compare() sees it. */
  exists(rule: FibRule): boolean {
    const b = this.buckets.get(keyUnder(rule, fixedHash(rule), givenMask(rule)));
    if (b === undefined) return false;
    if (!Array.isArray(b)) return sameUnder(b as FibRule, rule);
    for (const old of b) if (sameUnder(old, rule)) return true;
    return false;
  }
}

const indexes = new WeakMap<RulesList, RuleIndex>();

function indexOf(rules: RulesList): RuleIndex {
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
export function ruleExists(rules: RulesList, rule: FibRule): boolean {
  return indexOf(rules).exists(rule);
}

/**
 * Moves the index of `from` (if it has one) to `to`, a list made from it by adding `added`
 * and removing `removed`: the next ruleExists() on `to` costs no rebuild.
 */
export function adoptRuleIndex(from: RulesList, to: RulesList, added: FibRule | null, removed: FibRule | null): void {
  const ix = indexes.get(from);
  if (ix === undefined) return;
  indexes.delete(from);
  if (added !== null) ix.add(added);
  if (removed !== null) ix.remove(removed);
  indexes.set(to, ix);
}
