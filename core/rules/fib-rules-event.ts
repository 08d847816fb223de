// fib_rules_event() (fib_rules.c): a rule names its iif/oif devices, and attaches when a device
// of that name registers (NETDEV_REGISTER, NETDEV_CHANGENAME) and detaches when it goes
// (NETDEV_UNREGISTER). The model runs a link change and then compares which rules' names
// resolve before and after; each change is a silent effect (no RTM_NEWRULE is sent).
//
// Whether a name resolves depends on the devices only: when fn changed none (a rule added,
// for one), nothing can attach or detach and the rules are not walked (a walk per rule
// added made 100,000 rules quadratic). The walk skips rules that name no device.

import type { Txn } from '../snapshot/txn.js';
import type { FibRule } from '../events/rule.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ruleDevIndex } from './fib-rules-lookup.js';

/** Runs fn and records rules that attach or detach because device names changed. */
export function fibRulesEvent<T>(txn: Txn, fn: () => T): T {
  const before = txn.view();
  const out = fn();
  if (txn.devices === before.devices) return out;
  const after = txn.view();
  // Rules added by fn attach as they are made, not by this event.
  const old = after.rules === before.rules ? null : new Set(before.rules);
  for (const r of after.rules) {
    if (r.iifName === null && r.oifName === null) continue;
    if (old !== null && !old.has(r)) continue;
    attachChange(txn, before, after, r, r.iifName);
    attachChange(txn, before, after, r, r.oifName);
  }
  return out;
}

function attachChange(txn: Txn, before: FibSnapshot, after: FibSnapshot, r: FibRule, name: string | null): void {
  if (name === null) return;
  const was = ruleDevIndex(before, name) > 0;
  const is = ruleDevIndex(after, name) > 0;
  if (was !== is) txn.emit({ kind: is ? 'rule-attach' : 'rule-detach', rule: r, dev: name, cause: 'fib_rules_event', notified: false });
}
