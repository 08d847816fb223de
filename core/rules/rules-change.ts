// Rule add and delete: fib_newrule() / fib_delrule() (fib_rules.c) with
// fib4_rule_configure() (fib4_rules.c).

import type { Txn } from '../snapshot/txn.js';
import type { RuleAddEvent, RuleMatch } from '../events/rule.js';
import { type FibRule } from '../events/rule.js';
import { adoptRuleIndex, ruleExists } from './rule-index.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import type { RulesList } from '../snapshot/rules-list.js';

/** fib_default_rule_pref(): the second rule's priority minus one, or 0. */
function defaultPref(rules: RulesList): number {
  const second = rules.at(1);
  if (second !== undefined && second.priority !== 0) return second.priority - 1;
  return 0;
}

/**
 * fib_newrule():
 * 1. priority: given, or fib_default_rule_pref();
 * 2. goto to a priority not above its own: EINVAL "Backward goto not supported";
 * 3. an identical rule: EEXIST, when the request has NLM_F_EXCL (else the duplicate is added);
 * 4. fib4_rule_configure: tos with ECN bits: EINVAL; `lookup 0` takes the lowest unused
 *    table id; from now on lookups walk the rules (fib_has_custom_rules);
 * 5. insert before the first rule with a higher priority.
 */
export function fibNewRule(txn: Txn, e: RuleAddEvent): KernelError | null {
  const priority = e.rule.priority ?? defaultPref(txn.rules);
  let rule: FibRule = { ...e.rule, priority };
  if (rule.action === 'goto' && rule.gotoTarget <= rule.priority) return kerr('EINVAL', 'Backward goto not supported');
  // rule_exists(), through an index of the list (rule-index.ts); fib_newrule() asks it only
  // for a request with NLM_F_EXCL.
  if (e.exclusive !== false && ruleExists(txn.rules, rule)) return kerr('EEXIST');
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
  // priority (every insert keeps it so) and persistent: the place is found by descent and
  // only the path to it is copied (snapshot/rules-list.ts).
  const rules = txn.rules.insertByPriority(rule);
  adoptRuleIndex(txn.rules, rules, rule, null);
  txn.rules = rules;
  txn.emit({ kind: 'rule-add', rule, cause: 'fib_nl_newrule', notified: true });
  return null;
}

/** The attributes a delete request gives, each as fib_nl_delrule()'s rule_find() compares it. */
function given(m: RuleMatch): [keyof FibRule, unknown][] {
  // rule_find() does not compare the goto target (`ip rule del pref 9 goto 51` deletes
  // `9: goto 50`, as this kernel does).
  return (Object.entries(m) as [keyof FibRule, unknown][]).filter(([k, v]) => v !== undefined && k !== 'gotoTarget');
}

function matches(r: FibRule, given: readonly (readonly [keyof FibRule, unknown])[]): boolean {
  for (const [k, v] of given) {
    // rule4->tclassid is 0 for a rule added without realms.
    const rv = k === 'flow' ? (r.flow ?? 0) : r[k];
    if (Array.isArray(v) && Array.isArray(rv)) {
      if (v[0] !== rv[0] || v[1] !== rv[1]) return false;
    } else if (rv !== v) return false;
  }
  return true;
}

/**
 * fib_delrule(): the first rule matching every given attribute; ENOENT when none. The
 * kernel walks the whole list; with a priority given only rules of that priority can match,
 * and the sorted list finds them by descent.
 */
export function fibDelRule(txn: Txn, m: RuleMatch): KernelError | null {
  // fib_nl2rule() checks a delete request as it checks an add: a goto not above the given
  // priority (or fib_default_rule_pref() without one) is EINVAL.
  if (m.action === 'goto' && m.gotoTarget !== undefined && m.gotoTarget <= (m.priority ?? defaultPref(txn.rules))) {
    return kerr('EINVAL', 'Backward goto not supported');
  }
  const g = given(m);
  const list = txn.rules;
  let i = -1;
  if (m.priority !== undefined) {
    const end = list.upperBound(m.priority);
    for (let k = list.lowerBound(m.priority); k < end; k++) {
      if (matches(list.at(k)!, g)) {
        i = k;
        break;
      }
    }
  } else i = list.findIndex((r) => matches(r, g));
  if (i < 0) return kerr('ENOENT');
  const rule = list.at(i)!;
  const rules = list.removeAt(i);
  adoptRuleIndex(list, rules, null, rule);
  txn.rules = rules;
  // fib4_rule_delete(): fib_unmerge(), then fib_has_custom_rules = true, as for an add.
  txn.customRules = true;
  txn.emit({ kind: 'rule-del', rule, cause: 'fib_nl_delrule', notified: true });
  return null;
}
