// The address family of an `ip monitor` rule line that prints none: `ip rule` and `ip -6 rule`
// print alike, so the family is inferred from what fib_nl_newrule()/fib_nl_delrule() would
// have answered the IPv4 rules (EEXIST, ENOENT). Split from replayer.ts.

import { AF_UNSPEC } from '../uapi/socket.js';
import { formatRule } from '../iproute2/ip-rule.js';
import type { RuleRecord } from '../trace/netlink-records.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { reduceFib } from '../reduce/reduce.js';
import { isProblem, ruleEvent } from './record-events.js';

/**
 * The family of an `ip monitor` rule line with no address (AF_UNSPEC from the reader: `ip
 * -6 rule` prints alike). Proven IPv6: a delete of a rule no IPv4 rule matches
 * (fib_nl_delrule() would have said ENOENT). An add of a rule identical to an IPv4 rule
 * that exists is a `twin`: the IPv6 twin of that rule, or an IPv4 duplicate, which
 * fib_nl_newrule() accepts from a request without NLM_F_EXCL (iproute2 6.1's `ip rule add`
 * asks it; older iproute2 and other netlink clients need not): not applied, and named as a
 * gap (completeness.ts). Otherwise the line is applied as IPv4 and said to be of ambiguous
 * family (counted by completeness.ts).
 * ipv6Rules counts, per printed rule, the twins taken as IPv6 (the replay's own table).
 */
export function ruleFamily(r: RuleRecord, snap: FibSnapshot, ipv6Rules: Map<string, number>): 'ipv6' | 'twin' | 'ambiguous' | 'ipv4' {
  if (r.family !== AF_UNSPEC) return 'ipv4';
  const add = ruleEvent({ ...r, op: 'new' });
  const ev = ruleEvent(r);
  if (isProblem(add) || isProblem(ev) || add.type !== 'rule-add') return 'ambiguous';
  const key = formatRule(snap, { ...add.rule, priority: add.rule.priority ?? r.priority ?? 0 });
  const v6 = (ipv6Rules.get(key) ?? 0) > 0;
  // What the model's IPv4 rules say of the request: EEXIST for an exclusive add (an
  // identical IPv4 rule exists), ENOENT for a delete.
  const err = reduceFib(snap, ev.type === 'rule-add' ? { ...ev, exclusive: true } : ev).error;
  if (r.op === 'new') {
    if (err?.errno === 'EEXIST') {
      ipv6Rules.set(key, (ipv6Rules.get(key) ?? 0) + 1);
      return 'twin';
    }
    return 'ambiguous';
  }
  if (err !== null) {
    if (v6) ipv6Rules.set(key, (ipv6Rules.get(key) ?? 0) - 1);
    return 'ipv6';
  }
  return 'ambiguous';
}
