// fib_default_rule_pref(), said differently: the lowest priority among the rules after
// the first one, minus one; 0 when that is 0 or there is no such rule.

import type { FibRule } from '../../core/events/rule.js';

export function naiveDefaultPref(rules: readonly FibRule[]): number {
  const rest = rules.slice(1).map((r) => r.priority);
  if (rest.length === 0) return 0;
  const low = Math.min(...rest);
  return low === 0 ? 0 : low - 1;
}

/** Whether priorities never decrease along the list. */
export function sortedByPriority(rules: readonly FibRule[]): boolean {
  return rules.every((r, i) => i === 0 || (rules[i - 1] as FibRule).priority <= r.priority);
}
