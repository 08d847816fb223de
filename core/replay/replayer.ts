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
// The parts: replay-step.ts (what a step reports), record-events.ts (a record to its events),
// burst-cause.ts (a consequence before its cause), promotion-inference.ts, rule-family.ts,
// route-metrics-table.ts, record-queue.ts and pending-notifications.ts.

import { AF_UNSPEC } from '../uapi/socket.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { FibRunner } from '../reduce/fib-runner.js';
import type { FibEvent } from '../events/fib-event.js';
import type { Change, Effect } from '../snapshot/effects.js';
import { expandChanges, notifiedEffects } from '../snapshot/info-changes.js';
import type { KernelError } from '../uapi/errno.js';
import type { RouteMetrics, NetlinkRecord, TraceRecord, AddrRecord, NetconfRecord } from '../trace/netlink-records.js';
import { inetConfEvents, isProblem, netconfIsFull, netconfTarget, routeEvent, type ResolveDev, recordEvents, usesIpv6 } from './record-events.js';
import {
  attrDiff,
  predictedNotifications,
  recordNotifications,
  type Notification,
} from './notification.js';
import { silentChanges, type SilentChange } from './silent-changes.js';
import { linkFromRecord, type LinkInfo } from './link-table.js';
import type { ReplayView } from './ip-json-dump.js';
import { RecordQueue, type Queued } from './record-queue.js';
import { PendingNotifications } from './pending-notifications.js';
import { ruleFamily } from './rule-family.js';
import { inferPromotion } from './promotion-inference.js';
import { trackMetrics } from './route-metrics-table.js';
import { findCause, kernelOriginated, withinWindow } from './burst-cause.js';
import type { AppliedEvent, CheckFinding, RecordRole, ReplayOptions, ReplayStart, ReplayStep } from './replay-step.js';

export type { AppliedEvent, CheckFinding, RecordRole, ReplayOptions, ReplayStart, ReplayStep } from './replay-step.js';


/** Shared empty results (frozen: nothing may add to them). */
const NO_STEPS: readonly ReplayStep[] = Object.freeze([]);
const NO_SILENT: readonly SilentChange[] = Object.freeze([]);
const NO_NOTES: readonly string[] = Object.freeze([]);
const NO_FINDINGS: readonly CheckFinding[] = Object.freeze([]);

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
  private snap: FibSnapshot;
  private links: Map<number, LinkInfo>;
  private metrics: Map<string, RouteMetrics>;
  /** The name a live `ip monitor` has cached for an ifindex (text: it never updates, formats README 5). */
  private readonly monitorNames = new Map<number, string>();
  private readonly pending = new PendingNotifications();
  private readonly queue = new RecordQueue();
  /** Text traces: IPv6 rules proven by evidence (ruleFamily), by their text, with a count. */
  private readonly ipv6Rules = new Map<string, number>();
  private seq = 0;
  private readonly form: 'binary' | 'text';
  private readonly lookahead: number;
  private readonly windowUsec: number;
  private readonly explain: boolean;
  private readonly check: boolean;
  private readonly resolve: ResolveDev;
  /** Reduces the trace's events (in place when ReplayOptions.inPlace). */
  private readonly runner: FibRunner;
  /** Whether the runner updates tables in place (see freeze()). */
  private readonly inPlace: boolean;

  constructor(start: ReplayStart, opts: ReplayOptions) {
    this.snap = start.snapshot;
    this.links = new Map(start.links);
    this.metrics = new Map(start.metrics ?? []);
    this.form = opts.form;
    this.lookahead = opts.lookahead ?? 32;
    this.windowUsec = opts.windowUsec ?? 20000;
    this.explain = opts.explain ?? true;
    this.check = opts.check ?? true;
    this.inPlace = opts.inPlace === true && !this.explain && !this.check;
    this.runner = new FibRunner({ inPlace: this.inPlace });
    for (const d of this.snap.devices.values()) this.monitorNames.set(d.ifindex, d.name);
    this.resolve = (name: string): number | undefined => {
      if (this.form === 'text') {
        let gone: number | undefined;
        for (const [i, n] of this.monitorNames) {
          if (n !== name) continue;
          if (this.snap.devices.has(i)) return i;
          gone = i;
        }
        const cur = deviceByName(this.snap, name)?.ifindex;
        // A device the model already removed (its DELLINK applied ahead) keeps its name
        // until the trace's own DELLINK.
        return cur ?? gone;
      }
      return deviceByName(this.snap, name)?.ifindex;
    };
  }

  /** The state now (after every step returned so far). */
  get view(): ReplayView {
    return { snapshot: this.snap, links: this.links, metrics: this.metrics };
  }

  /**
   * The state now, kept intact from here on even by an in-place replay (FibRunner.freeze()):
   * a checkpoint of a time-travel index (core/replay/checkpoint-index.ts).
   */
  checkpoint(): ReplayView {
    if (this.inPlace) this.runner.freeze();
    return this.view;
  }

  /** Table nodes an in-place replay copied since the last checkpoint (0 when not in place): its change, in nodes. */
  get changeSinceCheckpoint(): number {
    return this.runner.copies;
  }

  /** Predictions not yet matched. */
  get pendingPredictions(): number {
    return this.pending.count;
  }

  /** Feeds one record; returns the steps it completes. */
  push(r: TraceRecord): readonly ReplayStep[] {
    if (r.kind !== 'link' && r.kind !== 'addr' && r.kind !== 'route' && r.kind !== 'rule' && r.kind !== 'netconf' && r.kind !== 'nexthop') return NO_STEPS;
    const seq = r.dump ? 0 : ++this.seq;
    this.queue.push({ record: r, seq, applied: false });
    if (this.queue.length <= this.lookahead) return NO_STEPS;
    // Usually one record leaves the queue: its steps are returned as they are.
    let out = this.next();
    while (this.queue.length > this.lookahead) out = out.concat(this.next());
    return out;
  }

  /** Ends the trace: processes what is held back and reports every prediction never matched. */
  finish(): { steps: ReplayStep[]; missing: CheckFinding[] } {
    const steps: ReplayStep[] = [];
    while (this.queue.length > 0) steps.push(...this.next());
    return { steps, missing: this.flushPending() };
  }

  /** Every prediction never matched, as `missing` findings (none when not checking). */
  private flushPending(): CheckFinding[] {
    const out: CheckFinding[] = [];
    for (const p of this.pending.drain()) {
      out.push({ kind: 'missing', expected: p.n, causeSeq: p.causeSeq, ...(p.causeTime !== undefined ? { causeTime: p.causeTime } : {}) });
    }
    return this.check ? out : [];
  }

  private addrIfindex = (r: AddrRecord): number => {
    if (this.snap.devices.has(r.ifindex)) return r.ifindex;
    if (r.devName !== undefined) return this.resolve(r.devName) ?? r.ifindex;
    return r.ifindex;
  };

  private netconfTargetIndex = (r: NetconfRecord): number | undefined => {
    const t = netconfTarget(r, this.resolve);
    if (t === undefined) return undefined;
    return t.kind === 'all' ? -1 : t.kind === 'default' ? -2 : t.ifindex;
  };

  private notificationsOf(r: NetlinkRecord): Notification[] {
    return recordNotifications(r, this.resolve, this.addrIfindex, this.netconfTargetIndex);
  }

  /**
   * Applies events; returns them with the snapshot before and what the reducer recorded:
   * effects, and one change per fib_info a device event changed or flushed (effects.ts,
   * InfoChange), whose routes are listed only where they are read (--explain, metrics kept
   * beside routes, notified flushes): a carrier flap or an admin-down flush of a full table
   * costs the fib_infos on the device, not a route effect each.
   */
  private applyEvents(events: readonly FibEvent[]): { applied: AppliedEvent[]; before: FibSnapshot; changes: Change[]; error: KernelError | null } {
    const before = this.snap;
    const applied: AppliedEvent[] = [];
    const changes: Change[] = [];
    let error: KernelError | null = null;
    for (const event of events) {
      const step = this.runner.reduce(this.snap, event);
      this.snap = step.snapshot;
      applied.push({ event, step });
      for (const c of step.changes ?? step.effects) changes.push(c);
      if (step.error !== null) error = step.error;
    }
    return { applied, before, changes, error };
  }

  private silentOf(before: FibSnapshot, changes: readonly Change[], events: readonly FibEvent[]): readonly SilentChange[] {
    if (!this.explain) return NO_SILENT;
    const rules = events.some((e) => e.type.startsWith('rule') || e.type.startsWith('link'));
    return silentChanges(before, this.snap, expandChanges(changes), { rules });
  }

  /** The metrics kept beside routes after changes (their routes listed only when some metrics exist or the record brings some). */
  private metricsAfter(changes: readonly Change[], record: NetlinkRecord | null): Map<string, RouteMetrics> {
    if (this.metrics.size === 0 && (record?.kind !== 'route' || record.metrics === undefined)) return this.metrics;
    return trackMetrics(this.metrics, expandChanges(changes), record);
  }

  private stepOf(q: Queued, role: RecordRole, applied: AppliedEvent[], silent: readonly SilentChange[], findings: CheckFinding[], notes: readonly string[], pulledBy?: number): ReplayStep {
    const r = q.record;
    // Written out rather than spread: a step is made per record, and a spread copy took
    // V8's slow generic path every time.
    const findingsOut = this.check || findings.length === 0 ? findings : [];
    // The time in the literal when there is one (an added property costs a second object).
    const step: { -readonly [K in keyof ReplayStep]: ReplayStep[K] } =
      r.time !== undefined
        ? { seq: q.seq, time: r.time, record: r, role, applied, snapshot: this.snap, links: this.links, metrics: this.metrics, silent, findings: findingsOut, notes }
        : { seq: q.seq, record: r, role, applied, snapshot: this.snap, links: this.links, metrics: this.metrics, silent, findings: findingsOut, notes };
    if (pulledBy !== undefined) step.pulledBy = pulledBy;
    return step;
  }

  /** A link record or a full netconf: state events, no matching. */
  private stateStep(q: Queued): ReplayStep {
    const r = q.record;
    const events = recordEvents(r, this.snap, this.resolve);
    const evs = typeof events === 'string' ? [] : [...events];
    const notes: string[] = [];
    if (r.kind === 'link') {
      if (r.op === 'del') {
        this.links = new Map(this.links);
        this.links.delete(r.ifindex);
        this.monitorNames.delete(r.ifindex);
      } else {
        if (r.family === 0) {
          this.links = new Map(this.links);
          this.links.set(r.ifindex, linkFromRecord(r, this.links.get(r.ifindex)));
          if (!this.monitorNames.has(r.ifindex) && r.name !== undefined) this.monitorNames.set(r.ifindex, r.name);
        }
      }
    }
    const { applied, before, changes } = this.applyEvents(evs);
    if (r.kind === 'link' && r.op === 'new' && r.inetConf !== undefined) {
      const conf = inetConfEvents(r.ifindex, r.inetConf, this.snap);
      if (conf.length > 0) {
        const more = this.applyEvents(conf);
        applied.push(...more.applied);
        changes.push(...more.changes);
        for (const c of conf) notes.push(`IFLA_INET_CONF of ${this.snap.devices.get(r.ifindex)?.name ?? r.ifindex}: ${c.key} = ${c.value}`);
      }
    }
    this.metrics = this.metricsAfter(changes, null);
    const silent = this.silentOf(before, changes, applied.map((a) => a.event));
    // Predictions of state events (kernel routes of a device coming up) are matched later.
    const findings: CheckFinding[] = [];
    if (q.seq !== 0) this.pending.add(predictedNotifications(before, this.snap, notifiedEffects(changes)), q.seq, r.time);
    return this.stepOf(q, 'state', applied, silent, findings, notes);
  }

  /** Matches a record's notifications against pending predictions; returns those left unmatched. */
  private match(q: Queued, ns: readonly Notification[], findings: CheckFinding[]): Notification[] {
    const left: Notification[] = [];
    for (const n of ns) {
      const p = this.pending.take(n.id);
      if (p === undefined) {
        left.push(n);
        continue;
      }
      const diff = attrDiff(n, p.n);
      if (diff.length > 0) {
        const r = q.record;
        findings.push({ kind: 'different', captured: n, expected: p.n, seq: q.seq, ...(r.time !== undefined ? { time: r.time } : {}), fields: diff });
      }
    }
    return left;
  }

  private kernelOriginated(r: NetlinkRecord): boolean {
    return kernelOriginated(r, this.form);
  }

  private withinWindow(a: NetlinkRecord, b: NetlinkRecord): boolean {
    return withinWindow(a, b, this.windowUsec);
  }

  /** A later record of the burst whose events predict `ids`, if any. */
  private findCause(q: Queued, ids: ReadonlySet<string>): Queued | undefined {
    return findCause(this.queue, q, ids, this.snap, this.resolve, this.windowUsec);
  }

  /** Applies a record as a cause (flushing older predictions as missing). */
  private causeStep(q: Queued, findings: CheckFinding[], role: RecordRole, pulledBy?: number): ReplayStep {
    const r = q.record;
    const notes: string[] = [];
    const events = recordEvents(r, this.snap, this.resolve);
    if (typeof events === 'string') {
      notes.push(`not replayed: ${events}`);
      return this.stepOf(q, 'ignored', [], [], findings, notes);
    }
    findings.push(...this.flushPending());
    const inferred = inferPromotion(this.queue, q, this.snap, this.addrIfindex, (a, b) => this.withinWindow(a, b));
    for (const e of inferred) notes.push(`inferred from the promotion that follows: ${e.type === 'sysctl' ? `${e.key} = ${e.value}` : e.type}`);
    const all = [...inferred, ...events];
    const { applied, before, changes, error } = this.applyEvents(all);
    this.metrics = this.metricsAfter(changes, r);
    this.pending.add(predictedNotifications(before, this.snap, notifiedEffects(changes)), q.seq, r.time);
    const silent = this.silentOf(before, changes, all);
    q.applied = true;
    if (error !== null) notes.push(`the model refused it: ${error.errno}${error.extack !== undefined ? ` (${error.extack})` : ''}`);
    return this.stepOf(q, role, applied, silent, findings, notes, pulledBy);
  }

  /**
   * The common case of a route request with nothing pending: apply it and pair its own
   * notification with the single notified effect, without building the others' keys.
   */
  private routeCauseStep(q: Queued): ReplayStep {
    const r = q.record;
    if (r.kind !== 'route') return this.causeStep(q, [], 'cause');
    const ev = routeEvent(r, this.snap, this.resolve);
    if (isProblem(ev)) return this.stepOf(q, 'ignored', [], [], [], [`not replayed: ${ev.problem}`]);
    // One event: applyEvents() without its copies.
    const before = this.snap;
    const st = this.runner.reduce(before, ev);
    this.snap = st.snapshot;
    const applied: AppliedEvent[] = [{ event: ev, step: st }];
    const effects = st.effects;
    const error = st.error;
    if (this.metrics.size > 0 || r.metrics !== undefined) this.metrics = trackMetrics(this.metrics, effects, r);
    const silent = this.explain ? this.silentOf(before, effects, [ev]) : NO_SILENT;
    q.applied = true;
    const notes: readonly string[] = error === null ? NO_NOTES : [`the model refused it: ${error.errno}${error.extack !== undefined ? ` (${error.extack})` : ''}`];
    let notified = 0;
    let own: Effect | undefined;
    for (const e of effects) {
      if (!e.notified || e.kind === 'link') continue;
      notified++;
      own = e;
    }
    const selfMatch = notified === 1 && own !== undefined && (r.op === 'new' ? own.kind === 'route-add' || own.kind === 'route-replace' : own.kind === 'route-del');
    // Nothing will be added to this step's findings: the shared empty list.
    if (selfMatch && !this.check) return this.stepOf(q, 'cause', applied, silent, NO_FINDINGS as CheckFinding[], notes);
    const findings: CheckFinding[] = [];
    this.pending.add(predictedNotifications(before, this.snap, effects), q.seq, r.time);
    const left = this.match(q, this.notificationsOf(r), findings);
    for (const n of left) {
      findings.push({ kind: 'unexpected', captured: n, seq: q.seq, ...(r.time !== undefined ? { time: r.time } : {}), why: notes[0] ?? 'the model did not predict this notification for the request it stands for' });
    }
    return this.stepOf(q, 'cause', applied, silent, findings, notes);
  }

  /** Processes the record at the head of the queue. */

  private next(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    if (r.kind === 'rule' && r.family === AF_UNSPEC && q.seq !== 0) {
      const fam = ruleFamily(r, this.snap, this.ipv6Rules);
      if (fam === 'ipv6') {
        this.queue.shift();
        return [this.stepOf(q, 'ignored', [], [], [], [`IPv6 rule (out of scope): family from evidence: ${r.op === 'new' ? 'an identical IPv4 rule exists, so the kernel accepted this one in the other family' : 'no IPv4 rule matches this deletion'}`])];
      }
      if (fam === 'ambiguous') {
        return this.nextRecord().map((st) => (st.record === r ? { ...st, notes: [...st.notes, 'ambiguous family: a rule line with no address (ip -6 rule prints alike); applied as IPv4'] } : st));
      }
    }
    return this.nextRecord();
  }

  private ipv6Evidence(r: NetlinkRecord & { kind: 'route' }): boolean {
    if (this.snap.ipv4Sysctl.disable_ipv6 === 0) return false;
    const ev = routeEvent(r, this.snap, this.resolve);
    return !isProblem(ev) && usesIpv6(ev);
  }

  private nextRecord(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    if (r.kind === 'link' || q.seq === 0 || (r.kind === 'netconf' && netconfIsFull(r))) {
      this.queue.shift();
      return [this.stateStep(q)];
    }
    // (An IPv6 gateway while IPv6 is off in the model takes the general path: recordEvents()
    // turns IPv6 on first.)
    if (r.kind === 'route' && this.pending.count === 0 && !q.applied && !this.kernelOriginated(r) && !this.ipv6Evidence(r)) {
      this.queue.shift();
      return [this.routeCauseStep(q)];
    }
    const out: ReplayStep[] = [];
    const findings: CheckFinding[] = [];
    const ns = this.notificationsOf(r);
    if (r.kind === 'netconf' && r.op === 'del') {
      // RTM_DELNETCONF: a device going away (or being renamed); its link record says it.
      this.queue.shift();
      return [this.stepOf(q, 'state', [], [], [], [])];
    }
    let left = this.match(q, ns, findings);
    if (left.length === 0 && ns.length > 0) {
      this.queue.shift();
      return [this.stepOf(q, 'consequence', [], [], findings, [])];
    }
    if (q.applied) {
      // A cause applied ahead of its turn whose own notification was not predicted.
      this.queue.shift();
      for (const n of left) findings.push({ kind: 'unexpected', captured: n, seq: q.seq, ...(r.time !== undefined ? { time: r.time } : {}), why: 'the model did not predict it for this request' });
      return [this.stepOf(q, 'ignored', [], [], findings, [])];
    }
    if (this.kernelOriginated(r) && left.length > 0) {
      const cause = this.findCause(q, new Set(left.map((n) => n.id)));
      if (cause !== undefined) {
        out.push(this.causeStep(cause, [], 'cause', q.seq));
        left = this.match(q, left, findings);
        if (left.length === 0) {
          this.queue.shift();
          out.push(this.stepOf(q, 'consequence', [], [], findings, []));
          return out;
        }
      }
    }
    this.queue.shift();
    const step = this.causeStep(q, findings, 'cause');
    const stillLeft = this.match(q, left, step.findings as CheckFinding[]);
    for (const n of stillLeft) {
      (step.findings as CheckFinding[]).push({
        kind: 'unexpected',
        captured: n,
        seq: q.seq,
        ...(r.time !== undefined ? { time: r.time } : {}),
        why: step.notes.find((x) => x.startsWith('the model refused')) ?? 'the model did not predict this notification for the request it stands for',
      });
    }
    out.push(step);
    return out;
  }
}
