// Rule events: RTM_NEWRULE / RTM_DELRULE (fib_nl_newrule, fib_nl_delrule).

import type { FibRule } from '../rules/fib-rule.js';

/** A rule to add; priority null means "let the kernel choose" (fib_default_rule_pref). table 0 with lookup: the kernel picks an empty table. */
export interface RuleAddEvent {
  readonly type: 'rule-add';
  readonly rule: Omit<FibRule, 'priority'> & { readonly priority: number | null };
}

/** Which fields a delete request carries; the first rule matching all of them goes. */
export type RuleMatch = Partial<FibRule>;

export interface RuleDelEvent {
  readonly type: 'rule-del';
  readonly match: RuleMatch;
}

export type RuleEvent = RuleAddEvent | RuleDelEvent;
