// fib_rules_lookup() (fib_rules.c) with fib4_rule_match() / fib4_rule_action() /
// fib4_rule_suppress() (fib4_rules.c): the rule walk that picks the table a lookup asks.
// Above fib_table_lookup() (trie/), below fib_lookup() (route/).

import { maskOf } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { deviceByName } from '../snapshot/snapshot.js';
import type { FibRule } from '../events/rule.js';
import type { RulesList } from '../snapshot/rules-list.js';
import { LEGACY_TOS_MASK, type Flow } from '../net/flow.js';
import { fibTableLookup, type FibResult, type LookupFlags, type LookupOutcome } from '../trie/fib-table-lookup.js';

/** Whether a rule's iif/oif names a device that exists now (not FIB_RULE_*_DETACHED). */
export function ruleDevIndex(s: FibSnapshot, name: string | null): number {
  if (name === null) return 0;
  const d = deviceByName(s, name);
  return d === undefined ? -1 : d.ifindex;
}

/** fib_rule_match() with fib4_rule_match(). */
export function ruleMatches(s: FibSnapshot, r: FibRule, flow: Flow): boolean {
  const m = ((): boolean => {
    // l3mdev_fib_rule_match(): only a flow through a VRF device (none exists here) matches.
    if (r.l3mdev) return false;
    const iif = ruleDevIndex(s, r.iifName);
    if (iif !== 0 && iif !== flow.iif) return false;
    const oif = ruleDevIndex(s, r.oifName);
    if (oif !== 0 && oif !== flow.oif) return false;
    if (((r.fwmark ^ flow.mark) & r.fwmask) !== 0) return false;
    if (r.uidStart !== null && r.uidEnd !== null && (flow.uid < r.uidStart || flow.uid > r.uidEnd)) return false;
    if ((((flow.saddr ^ r.src) >>> 0) & maskOf(r.srcLen)) !== 0) return false;
    if ((((flow.daddr ^ r.dst) >>> 0) & maskOf(r.dstLen)) !== 0) return false;
    if (r.tos !== 0 && r.tos !== (flow.tos & LEGACY_TOS_MASK)) return false;
    if (r.ipproto !== 0 && r.ipproto !== flow.proto) return false;
    if (r.sport !== null && (flow.sport < r.sport[0] || flow.sport > r.sport[1])) return false;
    if (r.dport !== null && (flow.dport < r.dport[0] || flow.dport > r.dport[1])) return false;
    return true;
  })();
  return r.not ? !m : m;
}

/** The rule a goto jumps to: the first rule with the target priority (rule->ctarget), or null (unresolved). */
export function gotoTarget(rules: RulesList, r: FibRule): number | null {
  // The list is sorted by priority: the first rule at the target is found by descent.
  const i = rules.lowerBound(r.gotoTarget);
  return rules.at(i)?.priority === r.gotoTarget ? i : null;
}

/** fib4_rule_suppress(). */
function suppressed(s: FibSnapshot, r: FibRule, res: FibResult): boolean {
  if (res.plen <= r.suppressPrefixlen) return true;
  if (r.suppressIfgroup !== -1) {
    const first = res.alias.info.nhs[0];
    const dev = first === undefined ? undefined : s.devices.get(first.dev);
    if (dev !== undefined && dev.group === r.suppressIfgroup) return true;
  }
  return false;
}

/** fib_rules_lookup(): the first rule that matches and whose action answers (a lookup that finds nothing, or is suppressed, goes on to the next rule). */
export function fibRulesLookup(s: FibSnapshot, flow: Flow, flags: LookupFlags = {}): LookupOutcome {
  const rules = s.rules;
  for (let i = 0; i < rules.length; i++) {
    let r = rules.at(i) as FibRule;
    let idx = i;
    // `goto jumped`: a goto re-enters the loop at its target, which must match too.
    for (;;) {
      if (!ruleMatches(s, r, flow)) break;
      if (r.action === 'goto') {
        const t = gotoTarget(rules, r);
        if (t === null) break;
        idx = t;
        r = rules.at(t) as FibRule;
        i = idx;
        continue;
      }
      if (r.action === 'nop') break;
      let out: LookupOutcome;
      switch (r.action) {
        case 'unreachable':
          return { ok: false, errno: 'ENETUNREACH' };
        case 'prohibit':
          return { ok: false, errno: 'EACCES' };
        case 'lookup':
          out = s.tables.has(r.table) ? fibTableLookup(s, r.table, flow, flags) : { ok: false, errno: 'EAGAIN' };
          break;
        default:
          // fib4_rule_action(): blackhole and every action without a meaning (`action N`).
          return { ok: false, errno: 'EINVAL' };
      }
      if (out.ok && suppressed(s, r, out.res)) break;
      if (!out.ok && out.errno === 'EAGAIN') break;
      // __fib_lookup(): res->tclassid is the realms of the rule that gave the result.
      if (out.ok && (r.flow ?? 0) !== 0) return { ok: true, res: { ...out.res, tclassid: r.flow ?? 0 } };
      return out;
    }
  }
  return { ok: false, errno: 'ENETUNREACH' };
}
