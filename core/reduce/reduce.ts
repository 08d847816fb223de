// The reducer: (snapshot, event) -> { snapshot, effects, error }. Pure: never throws,
// never mutates; a rejected or no-op event returns the very same snapshot object.
// Each case names the kernel entry point it mirrors (rtnetlink_rcv_msg() dispatching to the
// doit handler of the message type); the handlers live in the folders of their kernel files.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import { Txn, txnChanged } from '../snapshot/txn.js';
import type { PMapEdit } from '../snapshot/persistent-map.js';
import { assertNever, type FibEvent } from '../events/fib-event.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { doSetlink, linkwatchCarrier, rtnlNewlink, unregisterNetdevice } from '../dev/rtnl-link.js';
import { inetRtmDeladdr, inetRtmNewaddr } from '../devinet/inet-rtm-addr.js';
import { inetRtmDelroute, inetRtmNewroute } from '../frontend/inet-rtm-route.js';
import { fibRulesEvent } from '../rules/fib-rules-event.js';
import { fibDelRule, fibNewRule } from '../rules/rules-change.js';
import { nexthopAdd, nexthopDel } from '../nexthop/nexthop-change.js';
import { sysctlWrite } from '../devinet/sysctl.js';

/** What one event did. */
export interface Step {
  readonly snapshot: FibSnapshot;
  readonly effects: readonly Effect[];
  /** The kernel's answer when it refused the request (errno and extack), else null. */
  readonly error: KernelError | null;
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
 * With an `edit` (persistent-map.ts, PMapEdit) the tables' nodes that edit owns are updated
 * in place: for a caller that keeps no earlier snapshot made with the same edit (a replay
 * without history). Everything else stays persistent, and so do snapshots made before.
 */
export function reduceFib(s: FibSnapshot, e: FibEvent, edit: PMapEdit | null = null): Step {
  // One working copy kept for the next event (none is kept by anything reduceFib returns);
  // taken while in use, so that a reduction inside a reduction would get its own.
  let txn = spareTxn;
  if (txn === null) txn = new Txn(s, edit);
  else {
    spareTxn = null;
    txn.reset(s, edit);
  }
  const step = stepOf(txn, s, apply(txn, e));
  spareTxn = txn;
  return step;
}

let spareTxn: Txn | null = null;

function stepOf(txn: Txn, s: FibSnapshot, error: KernelError | null): Step {
  if (!txnChanged(txn) && (error !== null || txn.effects.length === 0)) {
    return { snapshot: s, effects: error === null ? txn.effects : [], error };
  }
  if (error !== null && !txnChanged(txn)) return { snapshot: s, effects: [], error };
  return { snapshot: txn.commit(), effects: txn.effects, error };
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
      return fibRulesEvent(txn, () => fibNewRule(txn, e));
    case 'rule-del':
      return fibDelRule(txn, e.match);
    case 'nexthop-add':
      return nexthopAdd(txn, e);
    case 'nexthop-del':
      return nexthopDel(txn, e.id);
    case 'sysctl':
      if (e.target.kind === 'dev' && txn.dev(e.target.ifindex) === undefined) return kerr('ENOENT');
      sysctlWrite(txn, e);
      return null;
    case 'ip-forward':
      sysctlWrite(txn, { type: 'sysctl', target: { kind: 'all' }, key: 'forwarding', value: e.value });
      return null;
    default:
      return assertNever(e);
  }
}
