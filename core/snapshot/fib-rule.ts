// Policy routing rules (struct fib_rule + struct fib4_rule, fib_rules.c, fib4_rules.c).
// Devices in iif/oif are kept by name, as the kernel does (rule->iifname): a rule is
// "detached" while no device has that name, and attaches when one appears.

import type { FibRule } from '../events/rule.js';
import { RulesList } from './rules-list.js';

/** A rule with every selector empty. */
export function blankRule(priority: number): FibRule {
  return {
    priority,
    not: false,
    src: 0,
    srcLen: 0,
    dst: 0,
    dstLen: 0,
    tos: 0,
    fwmark: 0,
    fwmask: 0,
    iifName: null,
    oifName: null,
    uidStart: null,
    uidEnd: null,
    ipproto: 0,
    sport: null,
    dport: null,
    action: 'lookup',
    table: 254,
    gotoTarget: 0,
    suppressPrefixlen: -1,
    suppressIfgroup: -1,
    protocol: 0,
    l3mdev: false,
  };
}

/** rule_exists(): same priority and every attribute equal, protocol included. */
export function sameRule(a: FibRule, b: FibRule): boolean {
  return (
    a.priority === b.priority &&
    a.not === b.not &&
    a.src === b.src &&
    a.srcLen === b.srcLen &&
    a.dst === b.dst &&
    a.dstLen === b.dstLen &&
    a.tos === b.tos &&
    a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask &&
    a.iifName === b.iifName &&
    a.oifName === b.oifName &&
    a.uidStart === b.uidStart &&
    a.uidEnd === b.uidEnd &&
    a.ipproto === b.ipproto &&
    samePorts(a.sport, b.sport) &&
    samePorts(a.dport, b.dport) &&
    a.action === b.action &&
    a.table === b.table &&
    a.gotoTarget === b.gotoTarget &&
    a.suppressPrefixlen === b.suppressPrefixlen &&
    a.suppressIfgroup === b.suppressIfgroup &&
    // rule_exists() compares the protocol too: a user rule equal to a default one
    // (proto kernel) is no duplicate.
    a.protocol === b.protocol &&
    a.l3mdev === b.l3mdev &&
    (a.flow ?? 0) === (b.flow ?? 0)
  );
}

function samePorts(a: readonly [number, number] | null, b: readonly [number, number] | null): boolean {
  if (a === null || b === null) return a === b;
  return a[0] === b[0] && a[1] === b[1];
}

/** The three rules of a fresh namespace (fib_default_rules_init). */
export function defaultRules(): RulesList {
  return RulesList.from([
    { ...blankRule(0), table: 255, protocol: 2 },
    { ...blankRule(32766), table: 254, protocol: 2 },
    { ...blankRule(32767), table: 253, protocol: 2 },
  ]);
}
