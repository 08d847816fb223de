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

import type { PrintNames } from '../uapi/rt-names.js';
import { AF_UNSPEC } from '../uapi/socket.js';
import { formatRule } from '../iproute2/ip-rule.js';
import type { RuleRecord } from '../trace/netlink-records.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { reduceFib, type Step } from '../reduce/reduce.js';
import { FibRunner } from '../reduce/fib-runner.js';
import type { FibEvent } from '../events/fib-event.js';
import type { Effect } from '../snapshot/effects.js';
import type { KernelError } from '../uapi/errno.js';
import type {
  RouteMetrics,
  NetlinkRecord,
  Timestamp,
  TraceRecord,
  AddrRecord,
  NetconfRecord,
} from '../trace/netlink-records.js';
import { compareTimestamps } from '../trace/netlink-records.js';
import { inPrefix, parseIp4 } from '../net/ip4.js';
import {
  addrEvent,
  inetConfEvents,
  isProblem,
  linkEvents,
  netconfEvents,
  netconfIsFull,
  netconfTarget,
  nexthopEvent,
  routeEvent,
  ruleEvent,
  type ResolveDev,
} from './record-events.js';
import {
  attrDiff,
  predictedNotifications,
  recordNotifications,
  type Notification,
} from './notification.js';
import { silentChanges, type SilentChange } from './silent-changes.js';
import { linkFromRecord, type LinkInfo, type LinkTable } from './link-table.js';
import { routeKey } from './_route-key.js';
import type { ReplayView } from './ip-json-dump.js';
import { IFA_F_SECONDARY } from '../uapi/if-addr.js';
import { RecordQueue, type Queued } from './record-queue.js';
import { PendingNotifications } from './pending-notifications.js';

/** One event the replay applied, with what the reducer made of it. */
export interface AppliedEvent {
  readonly event: FibEvent;
  readonly step: Step;
}

/** A --check finding. */
export type CheckFinding =
  | { readonly kind: 'missing'; readonly expected: Notification; readonly causeSeq: number; readonly causeTime?: Timestamp }
  | { readonly kind: 'unexpected'; readonly captured: Notification; readonly seq: number; readonly time?: Timestamp; readonly why: string }
  | { readonly kind: 'different'; readonly captured: Notification; readonly expected: Notification; readonly seq: number; readonly time?: Timestamp; readonly fields: readonly string[] };

/** How a record was used. */
export type RecordRole = 'state' | 'cause' | 'consequence' | 'ignored';

/** What the replay did with one record. */
export interface ReplayStep {
  /** 1-based position among the notifications after the link dump; 0 for dump records. */
  readonly seq: number;
  readonly time?: Timestamp;
  readonly record: NetlinkRecord;
  readonly role: RecordRole;
  readonly applied: readonly AppliedEvent[];
  /** The state after this step. */
  readonly snapshot: FibSnapshot;
  readonly links: LinkTable;
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
  readonly silent: readonly SilentChange[];
  readonly findings: readonly CheckFinding[];
  /** Facts the replay inferred (e.g. a sysctl the trace does not show). */
  readonly notes: readonly string[];
  /** Set on a cause applied ahead of its turn: the seq of the consequence that needed it. */
  readonly pulledBy?: number;
}

/** Where a replay starts. */
export interface ReplayStart {
  readonly snapshot: FibSnapshot;
  readonly links: LinkTable;
  readonly metrics?: ReadonlyMap<string, RouteMetrics>;
  /** The capturing host's name tables (rt_tables ...), for printing. */
  readonly names?: PrintNames;
}

export interface ReplayOptions {
  /** 'binary' (rtmon: ifindexes, nlmsg flags and pids) or 'text' (`ip monitor`: names). */
  readonly form: 'binary' | 'text';
  /** Records kept ahead to find a cause sent after its consequence; default 32. */
  readonly lookahead?: number;
  /** How far ahead (microseconds) a cause may be; default 20000. */
  readonly windowUsec?: number;
  /** Compute silent changes (default true). */
  readonly explain?: boolean;
  /** Compare notifications (default true). */
  readonly check?: boolean;
  /**
   * Keep no history (default false): tables are updated in place (PMapEdit), so a step's
   * snapshot is valid only until the next step is made; for a replay that reads the state
   * at the end (or at --until) only. Ignored with explain or check, which compare states.
   */
  readonly inPlace?: boolean;
}

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

  constructor(start: ReplayStart, opts: ReplayOptions) {
    this.snap = start.snapshot;
    this.links = new Map(start.links);
    this.metrics = new Map(start.metrics ?? []);
    this.form = opts.form;
    this.lookahead = opts.lookahead ?? 32;
    this.windowUsec = opts.windowUsec ?? 20000;
    this.explain = opts.explain ?? true;
    this.check = opts.check ?? true;
    this.runner = new FibRunner({ inPlace: opts.inPlace === true && !this.explain && !this.check });
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

  /** The events a record stands for, against a snapshot. */
  private eventsFor(r: NetlinkRecord, s: FibSnapshot): FibEvent[] | string {
    switch (r.kind) {
      case 'link': {
        const ev = linkEvents(r, s);
        return ev;
      }
      case 'route': {
        const e = routeEvent(r, s, this.resolve);
        return isProblem(e) ? e.problem : [e];
      }
      case 'addr': {
        const e = addrEvent(r, s, this.resolve);
        return isProblem(e) ? e.problem : [e];
      }
      case 'rule': {
        const e = ruleEvent(r);
        return isProblem(e) ? e.problem : [e];
      }
      case 'nexthop': {
        const e = nexthopEvent(r, s, this.resolve);
        return isProblem(e) ? e.problem : [e];
      }
      case 'netconf':
        return netconfEvents(r, s, this.resolve);
    }
  }

  /** Applies events; returns them with the snapshot before. */
  private applyEvents(events: readonly FibEvent[]): { applied: AppliedEvent[]; before: FibSnapshot; effects: Effect[]; error: KernelError | null } {
    const before = this.snap;
    const applied: AppliedEvent[] = [];
    const effects: Effect[] = [];
    let error: KernelError | null = null;
    for (const event of events) {
      const step = this.runner.reduce(this.snap, event);
      this.snap = step.snapshot;
      applied.push({ event, step });
      for (const e of step.effects) effects.push(e);
      if (step.error !== null) error = step.error;
    }
    return { applied, before, effects, error };
  }

  private silentOf(before: FibSnapshot, effects: readonly Effect[], events: readonly FibEvent[]): readonly SilentChange[] {
    if (!this.explain) return NO_SILENT;
    const rules = events.some((e) => e.type.startsWith('rule') || e.type.startsWith('link'));
    return silentChanges(before, this.snap, effects, { rules });
  }

  /** Keeps RTA_METRICS beside the FIB: dropped with their route, set from the record that added it. */
  private trackMetrics(effects: readonly Effect[], record: NetlinkRecord | null): void {
    // Copy on write: earlier steps keep the table they were given.
    let copied = false;
    const write = (): Map<string, RouteMetrics> => {
      if (!copied) {
        this.metrics = new Map(this.metrics);
        copied = true;
      }
      return this.metrics;
    };
    if (this.metrics.size > 0) {
      for (const e of effects) {
        const gone = e.kind === 'route-del' ? e.route : e.kind === 'route-replace' ? e.old : undefined;
        if (gone !== undefined && this.metrics.has(routeKey(gone))) write().delete(routeKey(gone));
      }
    }
    if (record?.kind !== 'route' || record.metrics === undefined || record.op !== 'new') return;
    for (const e of effects) {
      if (e.kind === 'route-add' || e.kind === 'route-replace') write().set(routeKey(e.route), record.metrics);
    }
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
    const events = this.eventsFor(r, this.snap);
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
    const { applied, before, effects } = this.applyEvents(evs);
    if (r.kind === 'link' && r.op === 'new' && r.inetConf !== undefined) {
      const conf = inetConfEvents(r.ifindex, r.inetConf, this.snap);
      if (conf.length > 0) {
        const more = this.applyEvents(conf);
        applied.push(...more.applied);
        effects.push(...more.effects);
        for (const c of conf) notes.push(`IFLA_INET_CONF of ${this.snap.devices.get(r.ifindex)?.name ?? r.ifindex}: ${c.key} = ${c.value}`);
      }
    }
    this.trackMetrics(effects, null);
    const silent = this.silentOf(before, effects, applied.map((a) => a.event));
    // Predictions of state events (kernel routes of a device coming up) are matched later.
    const findings: CheckFinding[] = [];
    if (q.seq !== 0) this.pending.add(predictedNotifications(before, this.snap, effects), q.seq, r.time);
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
    if (r.kind !== 'route' && r.kind !== 'addr') return false;
    if (this.form === 'binary') return r.nlmsgPid === 0;
    return r.kind === 'addr' ? r.op === 'del' : r.protocol === 2;
  }

  private withinWindow(a: NetlinkRecord, b: NetlinkRecord): boolean {
    if (a.time === undefined || b.time === undefined) return true;
    const d = (b.time.sec - a.time.sec) * 1e6 + (b.time.usec - a.time.usec);
    return d <= this.windowUsec && compareTimestamps(b.time, a.time) >= 0;
  }

  /** A later record of the burst whose events predict `ids`, if any. */
  private findCause(q: Queued, ids: ReadonlySet<string>): Queued | undefined {
    for (let i = 1; i < this.queue.length && i <= 16; i++) {
      const c = this.queue.at(i);
      if (c.applied || c.seq === 0) continue;
      if (!this.withinWindow(q.record, c.record)) break;
      if (c.record.kind === 'netconf') continue;
      const events = this.eventsFor(c.record, this.snap);
      if (typeof events === 'string' || events.length === 0) continue;
      let s = this.snap;
      const effects: Effect[] = [];
      for (const e of events) {
        const st = reduceFib(s, e);
        s = st.snapshot;
        for (const x of st.effects) effects.push(x);
      }
      if (predictedNotifications(this.snap, s, effects).some((n) => ids.has(n.id))) return c;
    }
    return undefined;
  }

  /** For an address deletion: infer promote_secondaries from a promotion that follows in the trace. */
  private inferPromotion(q: Queued): FibEvent[] {
    const at = this.queue.indexOf(q);
    const r = q.record;
    if (r.kind !== 'addr' || r.op !== 'del' || (r.flags & IFA_F_SECONDARY) !== 0) return [];
    const ifindex = this.addrIfindex(r);
    const d = this.snap.devices.get(ifindex);
    const local = parseIp4(r.local ?? '');
    if (d === undefined || local === undefined) return [];
    const prim = d.addrs.find((a) => a.local === local && a.prefixlen === r.prefixlen && !a.secondary);
    if (prim === undefined) return [];
    const secs = d.addrs.filter((a) => a.secondary && a.prefixlen === prim.prefixlen && inPrefix(a.address, prim.address, prim.prefixlen));
    if (secs.length === 0) return [];
    const on = d.conf.values.promote_secondaries !== 0 || this.snap.confAll.values.promote_secondaries !== 0;
    for (let i = at + 1; i < this.queue.length; i++) {
      const c = this.queue.at(i);
      if (!this.withinWindow(r, c.record)) break;
      const x = c.record;
      if (x.kind !== 'addr' || this.addrIfindex(x) !== ifindex) continue;
      const xl = parseIp4(x.local ?? '');
      if (!secs.some((a) => a.local === xl)) continue;
      if (x.op === 'new' && (x.flags & IFA_F_SECONDARY) === 0 && !on) {
        return [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 1 }];
      }
      if (x.op === 'del' && on) {
        return [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 0 }];
      }
    }
    return [];
  }

  /** Applies a record as a cause (flushing older predictions as missing). */
  private causeStep(q: Queued, findings: CheckFinding[], role: RecordRole, pulledBy?: number): ReplayStep {
    const r = q.record;
    const notes: string[] = [];
    const events = this.eventsFor(r, this.snap);
    if (typeof events === 'string') {
      notes.push(`not replayed: ${events}`);
      return this.stepOf(q, 'ignored', [], [], findings, notes);
    }
    findings.push(...this.flushPending());
    const inferred = this.inferPromotion(q);
    for (const e of inferred) notes.push(`inferred from the promotion that follows: ${e.type === 'sysctl' ? `${e.key} = ${e.value}` : e.type}`);
    const all = [...inferred, ...events];
    const { applied, before, effects, error } = this.applyEvents(all);
    this.trackMetrics(effects, r);
    this.pending.add(predictedNotifications(before, this.snap, effects), q.seq, r.time);
    const silent = this.silentOf(before, effects, all);
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
    if (this.metrics.size > 0 || r.metrics !== undefined) this.trackMetrics(effects, r);
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
  /**
   * The family of an `ip monitor` rule line with no address (AF_UNSPEC from the reader: `ip
   * -6 rule` prints alike). Proven IPv6: an add of a rule identical to an IPv4 rule that
   * exists (`ip rule add` asks NLM_F_EXCL: fib_nl_newrule() would have said EEXIST), or a
   * delete of a rule no IPv4 rule matches. Otherwise the line is applied as IPv4 and said
   * to be of ambiguous family (counted by completeness.ts).
   */
  private ruleFamily(r: RuleRecord): 'ipv6' | 'ambiguous' | 'ipv4' {
    if (r.family !== AF_UNSPEC) return 'ipv4';
    const add = ruleEvent({ ...r, op: 'new' });
    const ev = ruleEvent(r);
    if (isProblem(add) || isProblem(ev) || add.type !== 'rule-add') return 'ambiguous';
    const key = formatRule(this.snap, { ...add.rule, priority: add.rule.priority ?? r.priority ?? 0 });
    const v6 = (this.ipv6Rules.get(key) ?? 0) > 0;
    // What the model's IPv4 rules say of the request: EEXIST for an add, ENOENT for a delete.
    const err = reduceFib(this.snap, ev).error;
    if (r.op === 'new') {
      if (err?.errno === 'EEXIST') {
        this.ipv6Rules.set(key, (this.ipv6Rules.get(key) ?? 0) + 1);
        return 'ipv6';
      }
      return 'ambiguous';
    }
    if (err !== null) {
      if (v6) this.ipv6Rules.set(key, (this.ipv6Rules.get(key) ?? 0) - 1);
      return 'ipv6';
    }
    return 'ambiguous';
  }

  private next(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    if (r.kind === 'rule' && r.family === AF_UNSPEC && q.seq !== 0) {
      const fam = this.ruleFamily(r);
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

  private nextRecord(): ReplayStep[] {
    const q = this.queue.at(0);
    const r = q.record;
    if (r.kind === 'link' || q.seq === 0 || (r.kind === 'netconf' && netconfIsFull(r))) {
      this.queue.shift();
      return [this.stateStep(q)];
    }
    if (r.kind === 'route' && this.pending.count === 0 && !q.applied && !this.kernelOriginated(r)) {
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
