// The fast path of a replay: a route request (RTM_NEWROUTE/DELROUTE sent by a process, not
// the kernel) with nothing pending, the bulk of a real trace and all of a table load. It is
// applied as one event and its own notification paired with the single notified effect it
// predicts, without building the keys of every notification (notification.ts). Split from
// replayer.ts; the general path (cause-step.ts) gives the same steps, only slower.
//
// | condition                                       | why the general path is needed otherwise        |
// | ----------------------------------------------- | ----------------------------------------------- |
// | a route record                                  | other kinds carry several notifications         |
// | no prediction pending                           | the record may be a consequence of a cause      |
// | not applied ahead (q.applied)                   | pulled by an earlier consequence: match only    |
// | not kernel-originated (burst-cause.ts)          | a consequence may come before its cause         |
// | no IPv6 gateway while the model has IPv6 off    | recordEvents() turns IPv6 on first              |
// | an nhid route in the model's compat mode        | cause-step.ts infers nexthop_compat_mode first  |

import type { Effect } from '../snapshot/effects.js';
import type { FibEvent } from '../events/fib-event.js';
import { isProblem, routeEvent, usesIpv6, type Unconvertible } from './record-events.js';
import { AMBIGUOUS_OP_NOTE, replaceInferred } from './record-route-events.js';
import { predictedNotifications } from './notification.js';
import { stateFlagsAgree } from './route-notification.js';
import { trackMetrics } from './route-metrics-table.js';
import { singleEffect } from '../reduce/reduce.js';
import { kernelOriginated } from './burst-cause.js';
import { compatModeShown } from './compat-mode-inference.js';
import type { Queued } from './record-queue.js';
import { matchPending, type PendingNotifications } from './pending-notifications.js';
import { NO_FINDINGS, NO_NOTES, NO_SILENT, type ReplayState } from './replay-state.js';
import type { CheckFinding, ReplayStep } from './replay-step.js';

/**
 * The event of the record at the head of the queue when it takes the fast path (the table
 * above), or the reason it cannot be converted; undefined when it takes the general path.
 * Converted once: routeCauseStep() applies what this returns.
 */
export function routeFastPathEvent(st: ReplayState, pending: PendingNotifications, q: Queued): FibEvent | Unconvertible | undefined {
  const r = q.record;
  if (r.kind !== 'route' || pending.count !== 0 || q.applied || kernelOriginated(r, st.form)) return undefined;
  // A route on a nexthop object printed in another nexthop_compat_mode: the general path infers it.
  const mode = compatModeShown(r);
  if (mode !== null && mode !== st.snap.ipv4Sysctl.nexthop_compat_mode) return undefined;
  const ev = routeEvent(r, st.snap, st.resolve);
  if (st.snap.ipv4Sysctl.disable_ipv6 !== 0 && !isProblem(ev) && usesIpv6(ev)) return undefined;
  return ev;
}

/**
 * The step of a route request that takes the fast path, with its event from routeFastPathEvent().
 * 1. its event applied (a record the model cannot convert is ignored, with a note);
 * 2. when not checking and its one notified effect is its own add/replace/del: done;
 * 3. else its predictions are added and its own notification matched, the rest unexpected.
 */
export function routeCauseStep(st: ReplayState, pending: PendingNotifications, q: Queued, ev: FibEvent | Unconvertible): ReplayStep {
  const r = q.record;
  if (r.kind !== 'route') throw new TypeError(`routeCauseStep: a route record expected, got ${r.kind}`);
  if (isProblem(ev)) return st.stepOf(q, 'ignored', [], [], [], [`not replayed: ${ev.problem}`]);
  // One event: applyEvents() without its copies.
  const before = st.snap;
  const a = st.reduceOne(ev);
  const applied = [a];
  const step = a.step;
  const error = step.error;
  if (st.metrics.size > 0 || r.metrics !== undefined) st.metrics = trackMetrics(st.metrics, step.effects, r);
  const silent = st.explain ? st.silentOf(before, step.effects, [ev]) : NO_SILENT;
  q.applied = true;
  const refusedNotes: readonly string[] = error === null ? NO_NOTES : [`the model refused it: ${error.errno}${error.extack !== undefined ? ` (${error.extack})` : ''}`];
  const notes = replaceInferred(r, ev) ? [AMBIGUOUS_OP_NOTE, ...refusedNotes] : refusedNotes;
  let notified = 0;
  let own: Effect | undefined;
  // The one effect of a plain route request, read without listing the step's effects.
  const one = singleEffect(step);
  if (one !== null) {
    if (one.notified && one.kind !== 'link') {
      notified = 1;
      own = one;
    }
  } else {
    for (const e of step.effects) {
      if (!e.notified || e.kind === 'link') continue;
      notified++;
      own = e;
    }
  }
  const selfMatch = notified === 1 && own !== undefined && (r.op === 'new' ? own.kind === 'route-add' || own.kind === 'route-replace' : own.kind === 'route-del');
  // Nothing will be added to this step's findings (the shared empty list), unless the flags
  // the kernel set from its devices' state differ from the model's: then the matching below
  // reports the difference, which the step names as a gap (replay-state.ts).
  const ownRoute = own !== undefined && (own.kind === 'route-add' || own.kind === 'route-replace' || own.kind === 'route-del') ? own.route : undefined;
  if (selfMatch && !st.check && ownRoute !== undefined && stateFlagsAgree(st.snap, ownRoute, r)) {
    return st.stepOf(q, 'cause', applied, silent, NO_FINDINGS as CheckFinding[], notes);
  }
  const findings: CheckFinding[] = [];
  pending.add(predictedNotifications(before, st.snap, step.effects), q.seq, r.time);
  const left = matchPending(pending, q, st.notificationsOf(r), findings);
  for (const n of left) {
    findings.push({ kind: 'unexpected', captured: n, seq: q.seq, ...(r.time !== undefined ? { time: r.time } : {}), why: notes[0] ?? 'the model did not predict this notification for the request it stands for' });
  }
  return st.stepOf(q, 'cause', applied, silent, findings, notes);
}
