// The reducer: (snapshot, event) -> { snapshot, effects, error }. Pure: never throws,
// never mutates; a rejected or no-op event returns the very same snapshot object.
// Each case names the kernel entry point it mirrors (rtnetlink_rcv_msg() dispatching to the
// doit handler of the message type); the handlers live in the folders of their kernel files.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Change, Effect } from '../snapshot/effects.js';
import { expandChanges } from '../snapshot/info-changes.js';
import { Txn, txnChanged } from '../snapshot/txn.js';
import { assertNever, type FibEvent } from '../events/fib-event.js';
import type { RuleAddEvent } from '../events/rule.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { doSetlink, linkwatchCarrier, rtnlNewlink, unregisterNetdevice } from '../dev/rtnl-link.js';
import { inetRtmDeladdr, inetRtmNewaddr } from '../devinet/inet-rtm-addr.js';
import { inetRtmDelroute, inetRtmNewroute } from '../frontend/inet-rtm-route.js';
import { fibRulesEvent } from '../rules/fib-rules-event.js';
import { fibDelRule, fibNewRule } from '../rules/rules-change.js';
import { rtmDelNexthop, rtmNewNexthop } from '../nexthop/nexthop-change.js';
import { sysctlWrite } from '../devinet/sysctl.js';
import { netSysctlWrite } from '../devinet/net-sysctl.js';

/** What one event did. */
export interface Step {
  readonly snapshot: FibSnapshot;
  /**
   * Every change, one effect per route (a per-fib_info change listed route by route, on
   * first read: info-changes.ts). In an in-place replay (an `edit`), read it before the next
   * event.
   */
  readonly effects: readonly Effect[];
  /**
   * What the reducer recorded: effects, and one InfoChange per fib_info a device event
   * changed (however many routes use it). Absent: the same as effects.
   */
  readonly changes?: readonly Change[];
  /** The kernel's answer when it refused the request (errno and extack), else null. */
  readonly error: KernelError | null;
}

/** A step whose effects are listed from its changes when first read. */
class ReducedStep implements Step {
  private listed: readonly Effect[] | null = null;
  constructor(
    readonly snapshot: FibSnapshot,
    readonly changes: readonly Change[],
    readonly error: KernelError | null,
  ) {}
  get effects(): readonly Effect[] {
    return (this.listed ??= expandChanges(this.changes));
  }
}

const NO_CHANGES: readonly Change[] = Object.freeze([]);

/**
 * Applies one event the way the kernel would.
 *
 * @example
 *   let s = initialSnapshot();
 *   s = reduceFib(s, { type: 'link-add', link: { name: 'veth0', kind: 'veth', up: true },
 *                      peer: { name: 'veth0peer', kind: 'veth', up: false } }).snapshot;
 *
 * 1. copy-on-write working copy of s;
 * 2. run the kernel path for the event (it may refuse with an errno);
 * 3. a refusal that changed nothing, or an event that changed nothing, returns s itself;
 *    otherwise a new snapshot sharing every untouched object with s.
 *
 * Pure: nothing reachable from s is changed, and nothing outside the call is kept (a new
 * working copy per call). A caller that reduces many events and keeps no earlier snapshot
 * uses a FibRunner (fib-runner.ts), which owns a reused working copy and, optionally, an
 * in-place edit of the tables.
 */
export function reduceFib(s: FibSnapshot, e: FibEvent): Step {
  return reduceWith(new Txn(s, null), s, e);
}

/** One reduction on a working copy already reset to s (the runner's entry). */
export function reduceWith(txn: Txn, s: FibSnapshot, e: FibEvent): Step {
  return stepOf(txn, s, apply(txn, e));
}

function stepOf(txn: Txn, s: FibSnapshot, error: KernelError | null): Step {
  if (!txnChanged(txn) && (error !== null || txn.effects.length === 0)) {
    return new ReducedStep(s, error === null ? txn.effects : NO_CHANGES, error);
  }
  if (error !== null && !txnChanged(txn)) return new ReducedStep(s, NO_CHANGES, error);
  return new ReducedStep(txn.commit(), txn.effects, error);
}

/**
 * fib_nl_newrule() under fib_rules_event(). Its own function: a closure in apply() would
 * make V8 allocate a context for txn and e on every event, route events included.
 */
function ruleAdd(txn: Txn, e: RuleAddEvent): KernelError | null {
  return fibRulesEvent(txn, () => fibNewRule(txn, e));
}

function apply(txn: Txn, e: FibEvent): KernelError | null {
  switch (e.type) {
    case 'link-add':
      return rtnlNewlink(txn, e);
    case 'link-set':
      return doSetlink(txn, e);
    case 'link-carrier':
      return linkwatchCarrier(txn, e);
    case 'link-del':
      return unregisterNetdevice(txn, e);
    case 'addr-add':
      return inetRtmNewaddr(txn, e);
    case 'addr-del':
      return inetRtmDeladdr(txn, e);
    case 'route-new':
      return inetRtmNewroute(txn, e);
    case 'route-del':
      return inetRtmDelroute(txn, e);
    case 'rule-add':
      return ruleAdd(txn, e);
    case 'rule-del':
      return fibDelRule(txn, e.match);
    case 'nexthop-add':
      return rtmNewNexthop(txn, e);
    case 'nexthop-del':
      return rtmDelNexthop(txn, e.id);
    case 'sysctl':
      if (e.target.kind === 'dev' && txn.dev(e.target.ifindex) === undefined) return kerr('ENOENT');
      sysctlWrite(txn, e);
      return null;
    case 'ip-forward':
      sysctlWrite(txn, { type: 'sysctl', target: { kind: 'all' }, key: 'forwarding', value: e.value });
      return null;
    case 'net-sysctl':
      return netSysctlWrite(txn, e);
    default:
      return assertNever(e);
  }
}
