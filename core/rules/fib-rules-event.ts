// fib_rules_event() (fib_rules.c): a rule names its iif/oif devices, and attaches when a device
// of that name registers (NETDEV_REGISTER, NETDEV_CHANGENAME) and detaches when it goes
// (NETDEV_UNREGISTER). The model runs a link change and then compares which rules' names
// resolve before and after; each change is a silent effect (no RTM_NEWRULE is sent).

import type { Txn } from '../snapshot/txn.js';
import { ruleDevIndex } from './fib-rules-lookup.js';

/** Runs fn and records rules that attach or detach because device names changed. */
export function fibRulesEvent<T>(txn: Txn, fn: () => T): T {
  const before = txn.view();
  const out = fn();
  const after = txn.view();
  for (const r of after.rules) {
    for (const name of [r.iifName, r.oifName]) {
      if (name === null || !before.rules.includes(r)) continue;
      const was = ruleDevIndex(before, name) > 0;
      const is = ruleDevIndex(after, name) > 0;
      if (was !== is) {
        txn.emit({ kind: is ? 'rule-attach' : 'rule-detach', rule: r, dev: name, cause: 'fib_rules_event', notified: false });
      }
    }
  }
  return out;
}
