// The reducer: (snapshot, event) -> { snapshot, effects, error }. Pure: never throws,
// never mutates; a rejected or no-op event returns the very same snapshot object.
// Each case names the kernel entry point it mirrors (rtnetlink_rcv_msg() dispatching to the
// doit handler of the message type); the handlers live in the folders of their kernel files.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { isInfoChange, type Change, type Effect } from '../snapshot/effects.js';
import { expandChanges } from '../snapshot/info-changes.js';
import { Txn, txnChanged } from '../snapshot/txn.js';
import { assertNever, type FibEvent } from '../events/fib-event.js';
import type { RuleAddEvent } from '../events/rule.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { doSetlink, linkwatchCarrier, rtnlNewlink, unregisterNetdevice } from '../dev/rtnl-link.js';
import { rtnlLinkprop } from '../dev/rtnl-linkprop.js';
import { inetRtmDeladdr, inetRtmNewaddr } from '../devinet/inet-rtm-addr.js';
import { inetRtmDelroute, inetRtmNewroute } from '../frontend/inet-rtm-route.js';
import { fibRulesEvent } from '../rules/fib-rules-event.js';
import { fibDelRule, fibNewRule } from '../rules/rules-change.js';
import { rtmDelNexthop, rtmNewNexthop } from '../nexthop/nexthop-change.js';
import { devconfUnknown, sysctlWrite } from '../devinet/sysctl.js';
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

/** One event with what the reducer made of it (the replay's AppliedEvent has this shape). */
export interface ReducedEvent {
  readonly event: FibEvent;
  readonly step: Step;
}

/**
 * A step whose effects are listed from its changes when first read. It is also the pair
 * (event, step) a replay reports (ReducedEvent: `step` is itself), and holds a single
 * change without a list (most events make one): a replay of a million route events then
 * makes one object per reduction, not three.
 */
class ReducedStep implements Step, ReducedEvent {
  private listed: readonly Effect[] | null = null;
  private list: readonly Change[] | null;
  constructor(
    readonly snapshot: FibSnapshot,
    /** The only change, when there is exactly one and no list was made. */
    private readonly one: Change | null,
    list: readonly Change[] | null,
    readonly error: KernelError | null,
    readonly event: FibEvent,
  ) {
    this.list = list;
  }
  get changes(): readonly Change[] {
    if (this.list === null) this.list = this.one === null ? NO_CHANGES : [this.one];
    return this.list;
  }
  get effects(): readonly Effect[] {
    return (this.listed ??= expandChanges(this.changes));
  }
  get step(): Step {
    return this;
  }
  /** The effect when the step made exactly one change and it is an effect (not a per-fib_info change), else null. */
  get singleEffect(): Effect | null {
    const c = this.list === null ? this.one : this.list.length === 1 ? (this.list[0] as Change) : null;
    return c === null || isInfoChange(c) ? null : c;
  }
}

const NO_CHANGES: readonly Change[] = Object.freeze([]);

/**
 * The step of a reduction as the pair (event, step): the step itself when the reducer made
 * it for that event (no object more), else a new pair.
 */
export function reducedEvent(step: Step, event: FibEvent): ReducedEvent {
  return step instanceof ReducedStep && step.event === event ? step : { event, step };
}

/**
 * The effect of a step that made exactly one change, an effect (not a per-fib_info change);
 * null otherwise (then read step.effects). Reads it without listing the step's effects.
 */
export function singleEffect(step: Step): Effect | null {
  if (step instanceof ReducedStep) return step.singleEffect;
  const es = step.effects;
  return es.length === 1 ? (es[0] as Effect) : null;
}

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
  return stepOf(txn, s, apply(txn, e), e);
}

function stepOf(txn: Txn, s: FibSnapshot, error: KernelError | null, e: FibEvent): Step {
  const changed = txnChanged(txn);
  if (!changed && (error !== null || txn.firstChange === null)) {
    return error === null ? new ReducedStep(s, txn.firstChange, txn.effectList, null, e) : new ReducedStep(s, null, NO_CHANGES, error, e);
  }
  if (error !== null && !changed) return new ReducedStep(s, null, NO_CHANGES, error, e);
  return new ReducedStep(txn.commit(), txn.firstChange, txn.effectList, error, e);
}

/**
 * fib_nl_newrule() under fib_rules_event(). Its own function: a closure in apply() would
 * make V8 allocate a context for txn and e on every event, route events included.
 */
function ruleAdd(txn: Txn, e: RuleAddEvent): KernelError | null {
  return fibRulesEvent(txn, () => fibNewRule(txn, e));
}

function apply(txn: Txn, e: FibEvent): KernelError | null {
  // Route requests first: a switch on strings is a chain of comparisons, and a replay's
  // events are mostly route requests.
  switch (e.type) {
    case 'route-new':
      return inetRtmNewroute(txn, e);
    case 'route-del':
      return inetRtmDelroute(txn, e);
    case 'link-add':
      return rtnlNewlink(txn, e);
    case 'link-set':
      return doSetlink(txn, e);
    case 'link-carrier':
      return linkwatchCarrier(txn, e);
    case 'link-del':
      return unregisterNetdevice(txn, e);
    case 'link-prop':
      return rtnlLinkprop(txn, e);
    case 'addr-add':
      return inetRtmNewaddr(txn, e);
    case 'addr-del':
      return inetRtmDeladdr(txn, e);
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
    case 'devconf-unknown':
      devconfUnknown(txn);
      return null;
    default:
      return assertNever(e);
  }
}
