// The replay of a captured trace: each notification is either a cause (a request, a
// carrier change, a sysctl write), applied through the reducer, or a consequence the
// kernel sent for a cause (the proto kernel routes of an address, the local routes
// deleted with it, a promoted secondary), matched against the notifications the model
// predicted for that cause instead of being applied twice.
//
// | record                     | handling                                                        |
// | -------------------------- | --------------------------------------------------------------- |
// | link dump (rtmon's first)  | state: the events that take the model's devices there           |
// | RTM_NEWLINK / DELLINK      | state: admin, carrier, name, group, IFLA_INET_CONF (record-events.ts) |
// | full RTM_NEWNETCONF        | state (a device registering or being renamed)                   |
// | anything else              | a consequence when the model predicted it; else a cause         |
//
// A kernel-originated record (nlmsg_pid 0; in text: a proto kernel route, a deleted
// address) that no cause predicted is looked up among the next records of its burst: the
// kernel sometimes sends consequences before the notification of their cause (the local
// routes of secondaries before the DELADDR of their primary, the DELADDR of a device's
// addresses before its DELLINK). The record whose event predicts it is applied first.
//
// Every step reports the silent changes of its events (silent-changes.ts) and, for
// --check, the predicted notifications that never came (missing), the captured ones the
// model did not predict (unexpected), and pairs whose attributes differ (different).
//
// The parts: replay-step.ts (what a step reports), replay-state.ts (the state carried from
// record to record, the checkpoint hooks), cause-step.ts (state and cause steps),
// route-fast-path.ts (a route request with nothing pending), record-events.ts (a record to
// its events), burst-cause.ts (a consequence before its cause), promotion-inference.ts,
// rule-family.ts, route-metrics-table.ts, record-queue.ts and pending-notifications.ts
// (predictions and their matching).

import { AF_UNSPEC } from '../uapi/socket.js';
import type { TraceRecord } from '../trace/netlink-records.js';
import { netconfIsFull } from './record-events.js';
import type { ReplayView } from './ip-json-dump.js';
import { RecordQueue, type Queued } from './record-queue.js';
import { matchPending, missingFindings, PendingNotifications } from './pending-notifications.js';
import { ruleFamily } from './rule-family.js';
import { findCause, kernelOriginated } from './burst-cause.js';
import { ReplayState, NO_STEPS, withDisagreements } from './replay-state.js';
import { causeStep, stateStep } from './cause-step.js';
import { routeCauseStep, routeFastPathEvent } from './route-fast-path.js';
import type { CheckFinding, ReplayOptions, ReplayStart, ReplayStep } from './replay-step.js';
import { warmShapes } from './_shape-warmup.js';

export type { AppliedEvent, CheckFinding, RecordRole, ReplayOptions, ReplayStart, ReplayStep } from './replay-step.js';

/**
 * Replays records one by one; `push` returns the steps completed so far (records are held
 * back `lookahead` records), `finish` the rest.
 *
 * @example
 *   const rp = new TraceReplayer(start, { form: 'binary' });
 *   const steps = [...records.flatMap((r) => rp.push(r)), ...rp.finish()];
 *
 * 1. a link record, or a record of rtmon's dump: state events, no matching;
 * 2. a record whose notifications the model predicted: a consequence (attributes compared);
 * 3. else, if kernel-originated, a later record of the burst whose events predict it is
 *    applied first;
 * 4. else the record is a cause: pending predictions are reported missing, its events
 *    applied, and it is matched against their predictions.
 */
export class TraceReplayer {
  private readonly st: ReplayState;
  private readonly pending = new PendingNotifications();
  private readonly queue = new RecordQueue();
  /** Text traces: IPv6 rules proven by evidence (ruleFamily), by their text, with a count. */
  private readonly ipv6Rules = new Map<string, number>();
  private seq = 0;

  constructor(start: ReplayStart, opts: ReplayOptions) {
    // Once per process, before any replay's code is optimised (_shape-warmup.ts says why).
    warmShapes((s, o) => new TraceReplayer(s, o));
    this.st = new ReplayState(start, opts);
  }

  /** The state now (after every step returned so far). */
  get view(): ReplayView {
    return this.st.view;
  }

  /**
   * The state now, kept intact from here on even by an in-place replay (FibRunner.freeze()):
   * a checkpoint of a time-travel index (core/replay/checkpoint-index.ts).
   */
  checkpoint(): ReplayView {
    return this.st.checkpoint();
  }

  /** Table nodes an in-place replay copied since the last checkpoint (0 when not in place): its change, in nodes. */
  get changeSinceCheckpoint(): number {
    return this.st.changeSinceCheckpoint;
  }

  /** Predictions not yet matched. */
  get pendingPredictions(): number {
    return this.pending.count;
  }

  /** Feeds one record; returns the steps it completes. */
  push(r: TraceRecord): readonly ReplayStep[] {
    if (r.kind !== 'link' && r.kind !== 'addr' && r.kind !== 'route' && r.kind !== 'rule' && r.kind !== 'netconf' && r.kind !== 'nexthop' && r.kind !== 'qdisc') return NO_STEPS;
    const seq = r.dump ? 0 : ++this.seq;
    this.queue.add(r, seq);
    if (this.queue.length <= this.st.lookahead) return NO_STEPS;
    // Usually one record leaves the queue: its steps are returned as they are.
    let out = this.next();
    while (this.queue.length > this.st.lookahead) out = out.concat(this.next());
    return out;
  }

  /** Ends the trace: processes what is held back and reports every prediction never matched. */
  finish(): { steps: ReplayStep[]; missing: CheckFinding[] } {
    const steps: ReplayStep[] = [];
    while (this.queue.length > 0) steps.push(...this.next());
    return { steps, missing: missingFindings(this.pending, this.st.check) };
  }

  /** Applies a record as a cause. */
  private causeStep(q: Queued, findings: CheckFinding[], pulledBy?: number): ReplayStep {
    return causeStep(this.st, this.pending, this.queue, q, findings, 'cause', pulledBy);
  }

  /** Processes the record at the head of the queue. */
  private next(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    if (r.kind === 'rule' && r.family === AF_UNSPEC && q.seq !== 0) {
      const fam = ruleFamily(r, this.st.snap, this.ipv6Rules);
      if (fam === 'ipv6') {
        this.queue.shift();
        return [this.st.stepOf(q, 'ignored', [], [], [], ['IPv6 rule (out of scope): family from evidence: no IPv4 rule matches this deletion'])];
      }
      if (fam === 'twin') {
        this.queue.shift();
        return [this.st.stepOf(q, 'ignored', [], [], [], ['ambiguous twin: a rule line identical to an IPv4 rule that exists: its IPv6 twin, or an IPv4 duplicate added without NLM_F_EXCL; not applied'])];
      }
      if (fam === 'ambiguous') {
        return this.nextRecord().map((st) => (st.record === r ? { ...st, notes: [...st.notes, 'ambiguous family: a rule line with no address (ip -6 rule prints alike); applied as IPv4'] } : st));
      }
    }
    return this.nextRecord();
  }

  private nextRecord(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    const st = this.st;
    if (r.kind === 'link' || r.kind === 'qdisc' || q.seq === 0 || (r.kind === 'netconf' && netconfIsFull(r))) {
      this.queue.shift();
      return [stateStep(st, this.pending, q)];
    }
    const fast = routeFastPathEvent(st, this.pending, q);
    if (fast !== undefined) {
      this.queue.shift();
      return [routeCauseStep(st, this.pending, q, fast)];
    }
    const out: ReplayStep[] = [];
    const findings: CheckFinding[] = [];
    const ns = st.notificationsOf(r);
    if (r.kind === 'netconf' && r.op === 'del') {
      // RTM_DELNETCONF: a device going away (or being renamed); its link record says it.
      this.queue.shift();
      return [st.stepOf(q, 'state', [], [], [], [])];
    }
    let left = matchPending(this.pending, q, ns, findings);
    if (left.length === 0 && ns.length > 0) {
      this.queue.shift();
      return [st.stepOf(q, 'consequence', [], [], findings, [])];
    }
    if (q.applied) {
      // A cause applied ahead of its turn whose own notification was not predicted.
      this.queue.shift();
      for (const n of left) findings.push({ kind: 'unexpected', captured: n, seq: q.seq, ...(r.time !== undefined ? { time: r.time } : {}), why: 'the model did not predict it for this request' });
      return [st.stepOf(q, 'ignored', [], [], findings, [])];
    }
    if (kernelOriginated(r, st.form) && left.length > 0) {
      const cause = findCause(this.queue, q, new Set(left.map((n) => n.id)), st.snap, st.resolve, st.windowUsec);
      if (cause !== undefined) {
        out.push(this.causeStep(cause, [], q.seq));
        left = matchPending(this.pending, q, left, findings);
        if (left.length === 0) {
          this.queue.shift();
          out.push(st.stepOf(q, 'consequence', [], [], findings, []));
          return out;
        }
      }
    }
    this.queue.shift();
    const step = this.causeStep(q, findings);
    // The record's own notifications, matched against what its cause predicted.
    const late: CheckFinding[] = [];
    const stillLeft = matchPending(this.pending, q, left, late);
    for (const n of stillLeft) {
      late.push({
        kind: 'unexpected',
        captured: n,
        seq: q.seq,
        ...(r.time !== undefined ? { time: r.time } : {}),
        why: step.notes.find((x) => x.startsWith('the model refused')) ?? 'the model did not predict this notification for the request it stands for',
      });
    }
    out.push(late.length === 0 ? step : { ...step, findings: st.check ? [...step.findings, ...late] : step.findings, notes: withDisagreements(step.notes, late) });
    return out;
  }
}
