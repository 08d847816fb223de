// Rule add and delete: fib_newrule() / fib_delrule() (fib_rules.c) with
// fib4_rule_configure() (fib4_rules.c).

import type { Txn } from '../snapshot/txn.js';
import type { RuleAddEvent, RuleMatch } from '../events/rule.js';
import { type FibRule } from '../events/rule.js';
import { adoptRuleIndex, ruleExists } from './rule-index.js';
import { kerr, type KernelError } from '../uapi/errno.js';

/** fib_default_rule_pref(): the second rule's priority minus one, or 0. */
function defaultPref(rules: readonly FibRule[]): number {
  const second = rules[1];
  if (second !== undefined && second.priority !== 0) return second.priority - 1;
  return 0;
}

/**
 * fib_newrule():
 * 1. priority: given, or fib_default_rule_pref();
 * 2. goto to a priority not above its own: EINVAL "Backward goto not supported";
 * 3. an identical rule: EEXIST;
 * 4. fib4_rule_configure: tos with ECN bits: EINVAL; `lookup 0` takes the lowest unused
 *    table id; from now on lookups walk the rules (fib_has_custom_rules);
 * 5. insert before the first rule with a higher priority.
 */
export function fibNewRule(txn: Txn, e: RuleAddEvent): KernelError | null {
  const priority = e.rule.priority ?? defaultPref(txn.rules);
  let rule: FibRule = { ...e.rule, priority };
  if (rule.action === 'goto' && rule.gotoTarget <= rule.priority) return kerr('EINVAL', 'Backward goto not supported');
  // rule_exists(), through an index of the list (rule-index.ts).
  if (ruleExists(txn.rules, rule)) return kerr('EEXIST');
  if ((rule.tos & 3) !== 0) return kerr('EINVAL', 'Invalid dsfield (tos): ECN bits must be 0');
  // fib4_rule_configure(): IPv4 rules take only the IPTOS_TOS_MASK (0x1e) bits.
  if ((rule.tos & ~0x1e) !== 0) return kerr('EINVAL', 'Invalid tos');
  // fib4_rule_configure(): an l3mdev rule's table comes from the device at lookup time.
  if (rule.action === 'lookup' && rule.table === 0 && !rule.l3mdev) {
    let id = 1;
    while (txn.tables.has(id)) id++;
    txn.ensureTable(id);
    rule = { ...rule, table: id };
  }
  txn.customRules = true;
  // fib_nl_newrule(): before the first rule with a higher priority. The list is sorted by
  // priority (every insert keeps it so), so that rule is found by bisection.
  let lo = 0;
  let hi = txn.rules.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((txn.rules[mid] as FibRule).priority > priority) hi = mid;
    else lo = mid + 1;
  }
  // One exactly sized copy (ES2023 toSpliced; the project's lib is ES2022): slice() then
  // splice() allocated twice per rule, and past ~16,000 rules each array is a large object.
  const rules = (txn.rules as unknown as { toSpliced(start: number, del: number, x: FibRule): FibRule[] }).toSpliced(lo, 0, rule);
  adoptRuleIndex(txn.rules, rules, rule, null);
  txn.rules = rules;
  txn.emit({ kind: 'rule-add', rule, cause: 'fib_nl_newrule', notified: true });
  return null;
}

function matches(r: FibRule, m: RuleMatch): boolean {
  for (const [k, v] of Object.entries(m) as [keyof FibRule, unknown][]) {
    if (v === undefined) continue;
    // rule4->tclassid is 0 for a rule added without realms.
    const rv = k === 'flow' ? (r.flow ?? 0) : r[k];
    if (Array.isArray(v) && Array.isArray(rv)) {
      if (v[0] !== rv[0] || v[1] !== rv[1]) return false;
    } else if (rv !== v) return false;
  }
  return true;
}

/** fib_delrule(): the first rule matching every given attribute; ENOENT when none. */
export function fibDelRule(txn: Txn, m: RuleMatch): KernelError | null {
  const i = txn.rules.findIndex((r) => matches(r, m));
  if (i < 0) return kerr('ENOENT');
  const rule = txn.rules[i] as FibRule;
  const rules = txn.rules.filter((_, j) => j !== i);
  adoptRuleIndex(txn.rules, rules, null, rule);
  txn.rules = rules;
  // fib4_rule_delete(): fib_unmerge(), then fib_has_custom_rules = true, as for an add.
  txn.customRules = true;
  txn.emit({ kind: 'rule-del', rule, cause: 'fib_nl_delrule', notified: true });
  return null;
}
