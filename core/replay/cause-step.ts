// The two steps that apply a record's events through the reducer: a state step (a link
// record, rtmon's dump, a full RTM_NEWNETCONF: the model's devices follow the trace, no
// matching) and a cause step (a request the trace stands for: older predictions reported
// missing, a promote_secondaries the burst implies inferred, its events applied, their
// predicted notifications left pending for the records that follow). Split from replayer.ts,
// which decides which step a record takes.
//
// | step  | events                                   | predictions                     |
// | ----- | ---------------------------------------- | ------------------------------- |
// | state | recordEvents() + IFLA_INET_CONF writes   | added (kernel routes of a link) |
// | cause | inferCompatMode() + inferPromotion() +   | older ones missing, its added   |
// |       | recordEvents()                           |                                 |

import type { FibEvent } from '../events/fib-event.js';
import { notifiedEffects } from '../snapshot/info-changes.js';
import { inetConfEvents, recordEvents } from './record-events.js';
import { predictedNotifications } from './notification.js';
import { linkAfterQdisc, linkFromRecord, vethPeerAcrossNetns, vethPeerBackfill, withPeerIndex } from './link-table.js';
import type { Queued, RecordQueue } from './record-queue.js';
import { missingFindings, type PendingNotifications } from './pending-notifications.js';
import { inferPromotion, unseenPromotion } from './promotion-inference.js';
import { inferCompatMode } from './compat-mode-inference.js';
import { withinWindow } from './burst-cause.js';
import { AMBIGUOUS_OP_NOTE, replaceInferred } from './record-route-events.js';
import type { ReplayState } from './replay-state.js';
import type { CheckFinding, RecordRole, ReplayStep } from './replay-step.js';

/** A link record, a root qdisc, a dump record or a full netconf: state events, no matching (their predictions wait). */
export function stateStep(st: ReplayState, pending: PendingNotifications, q: Queued): ReplayStep {
  const r = q.record;
  const events = recordEvents(r, st.snap, st.resolve);
  const evs = typeof events === 'string' ? [] : [...events];
  const notes: string[] = [];
  if (r.kind === 'link') {
    if (r.op === 'del') {
      const peer = vethPeerAcrossNetns(r, st.links, false);
      st.links = new Map(st.links);
      if (peer !== null) st.links.set(peer.ifindex, peer);
      st.links.delete(r.ifindex);
      st.monitorNames.delete(r.ifindex);
    } else if (r.family === 0) {
      const isNew = !st.links.has(r.ifindex);
      st.links = new Map(st.links);
      st.links.set(r.ifindex, withPeerIndex(linkFromRecord(r, st.links.get(r.ifindex)), st.links));
      const peer = vethPeerBackfill(r, st.links);
      if (peer !== null) st.links.set(peer.ifindex, peer);
      const back = vethPeerAcrossNetns(r, st.links, isNew);
      if (back !== null) st.links.set(back.ifindex, back);
      if (!st.monitorNames.has(r.ifindex) && r.name !== undefined) st.monitorNames.set(r.ifindex, r.name);
    }
  }
  if (r.kind === 'qdisc') {
    // A root qdisc changes what `ip link` prints (no RTM_NEWLINK says it): link-table.ts.
    const info = st.links.get(r.ifindex);
    const next = info === undefined ? info : linkAfterQdisc(info, r);
    if (next !== undefined && next !== info) st.links = new Map(st.links).set(r.ifindex, next);
  }
  const first = st.applyEvents(evs);
  const { applied, before } = first;
  let changes = first.changes;
  if (r.kind === 'link' && r.op === 'new' && r.inetConf !== undefined) {
    const conf = inetConfEvents(r.ifindex, r.inetConf, st.snap);
    const known = st.snap.devices.get(r.ifindex)?.conf;
    if (conf.length > 0) {
      // The first batch's changes are carried: applied in place, its per-fib_info changes
      // are listed before the conf events reduce (replay-state.ts, applyEvents()).
      const more = st.applyEvents(conf, changes);
      applied.push(...more.applied);
      changes = more.changes;
      // A value the model did not know is learnt silently; a known one that differs is noted.
      for (const c of conf) if (known !== undefined && !known.unknown.has(c.key)) notes.push(`IFLA_INET_CONF of ${st.snap.devices.get(r.ifindex)?.name ?? r.ifindex}: ${c.key} = ${c.value}`);
    }
  }
  st.metrics = st.metricsAfter(changes, null);
  const silent = st.silentOf(before, changes, applied.map((a) => a.event));
  // Predictions of state events (kernel routes of a device coming up) are matched later.
  const findings: CheckFinding[] = [];
  if (q.seq !== 0) pending.add(predictedNotifications(before, st.snap, notifiedEffects(changes)), q.seq, r.time);
  return st.stepOf(q, 'state', applied, silent, findings, notes);
}

/**
 * A rule naming a device by one of its alternative names: fib_nl_newrule() looks the name up
 * with __dev_get_by_name(), which finds alternative names too, so the kernel attaches the
 * rule to that device, while the model's devices have only their names and leave it
 * detached (it neither prints nor matches it as the kernel does). Null when no name given is
 * an alternative name the trace showed.
 */
function altnameRule(st: ReplayState, names: readonly (string | undefined)[]): string | null {
  for (const n of names) {
    if (n === undefined || n === '') continue;
    for (const l of st.links.values()) {
      if (l.name !== n && (l.altnames ?? []).includes(n)) return `a rule naming ${n}, an alternative name of ${l.name}, which the kernel attaches to that device (__dev_get_by_name() finds alternative names)`;
    }
  }
  return null;
}

/** Applies a record as a cause (flushing older predictions as missing); `pulledBy` when applied ahead of its consequence. */
export function causeStep(st: ReplayState, pending: PendingNotifications, queue: RecordQueue, q: Queued, findings: CheckFinding[], role: RecordRole, pulledBy?: number): ReplayStep {
  const r = q.record;
  const notes: string[] = [];
  const events = recordEvents(r, st.snap, st.resolve);
  if (r.kind === 'rule' && r.op === 'new') {
    const alt = altnameRule(st, [r.iifName, r.oifName]);
    if (alt !== null) notes.push(`not modelled: ${alt}`);
  }
  if (typeof events === 'string') {
    notes.push(`not replayed: ${events}`);
    return st.stepOf(q, 'ignored', [], [], findings, notes);
  }
  if (r.kind === 'route' && events.some((e) => replaceInferred(r, e))) notes.push(AMBIGUOUS_OP_NOTE);
  // Always listed: a prediction that never came is a disagreement, a gap (replay-state.ts).
  findings.push(...missingFindings(pending, true));
  const inferred = inferPromotion(queue, q, st.snap, st.addrIfindex, (a, b) => withinWindow(a, b, st.windowUsec));
  for (const e of inferred.events) notes.push(`inferred from the promotion that follows: ${e.type === 'sysctl' ? `${e.key} = ${e.value}` : e.type}`);
  const compat = inferCompatMode(queue, q, st.snap, (a, b) => withinWindow(a, b, st.windowUsec));
  for (const e of compat) notes.push(`inferred from the route notifications of its burst: ${e.type === 'net-sysctl' ? `${e.key} = ${e.value}` : e.type}`);
  const seen = inferred.promote;
  if (seen !== null) notes.push(`promote_secondaries not known: the records that follow show the secondaries ${seen ? 'promoted' : 'deleted'}`);
  else if (inferred.events.length === 0) {
    const unseen = unseenPromotion(st.snap, r, st.addrIfindex);
    if (unseen !== null) notes.push(`not modelled: ${unseen}`);
  }
  const all: FibEvent[] = [...compat, ...inferred.events, ...(seen === null ? events : events.map((e) => (e.type === 'addr-del' ? { ...e, promote: seen } : e)))];
  const { applied, before, changes, error } = st.applyEvents(all);
  st.metrics = st.metricsAfter(changes, r);
  pending.add(predictedNotifications(before, st.snap, notifiedEffects(changes)), q.seq, r.time);
  const silent = st.silentOf(before, changes, all);
  q.applied = true;
  if (error !== null) notes.push(`the model refused it: ${error.errno}${error.extack !== undefined ? ` (${error.extack})` : ''}`);
  return st.stepOf(q, role, applied, silent, findings, notes, pulledBy);
}
