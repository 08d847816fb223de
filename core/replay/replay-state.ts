// The state a trace replay carries from record to record, and the one place it changes: the
// snapshot (advanced through a FibRunner, in place when the replay keeps no history), the link
// table, the RTA_METRICS kept beside routes, and the names a live `ip monitor` cached. Also the
// checkpoint hooks of a time-travel index (checkpoint-index.ts): freeze() ends the in-place
// edit so the state so far stays intact, copies counts the nodes changed since.
//
// Split from replayer.ts, which decides what each record is (state, cause, consequence); the
// steps it makes read and advance this state (state-step.ts, cause-step.ts, route-fast-path.ts).
//
// | part              | changed by                                   | kept intact                   |
// | ----------------- | -------------------------------------------- | ----------------------------- |
// | snap              | applyEvents() (reduceFib via FibRunner)      | always, unless inPlace        |
// | links             | setLinks() (a new Map per change)            | always                        |
// | metrics           | metricsAfter() (trackMetrics: a new Map)     | always                        |
// | monitorNames      | the link records (text traces' resolution)   | not exposed                   |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { FibRunner } from '../reduce/fib-runner.js';
import { reducedEvent } from '../reduce/reduce.js';
import type { FibEvent } from '../events/fib-event.js';
import { isInfoChange, type Change } from '../snapshot/effects.js';
import { expandChanges } from '../snapshot/info-changes.js';
import type { KernelError } from '../uapi/errno.js';
import type { RouteMetrics, NetlinkRecord, AddrRecord, NetconfRecord } from '../trace/netlink-records.js';
import { netconfTarget, type ResolveDev } from './record-events.js';
import { recordNotifications, type Notification } from './notification.js';
import { silentChanges, type SilentChange } from './silent-changes.js';
import type { LinkInfo } from './link-table.js';
import type { ReplayView } from './ip-json-dump.js';
import { trackMetrics } from './route-metrics-table.js';
import type { Queued } from './record-queue.js';
import type { AppliedEvent, CheckFinding, RecordRole, ReplayOptions, ReplayStart, ReplayStep } from './replay-step.js';

/** Shared empty results (frozen: nothing may add to them). */
// Not frozen: a frozen array has another elements kind, and a caller's for-of over push()'s
// results then met two kinds and took V8's generic iteration (an object per element).
// Typed readonly, so nothing adds to it.
export const NO_STEPS: readonly ReplayStep[] = [];
export const NO_SILENT: readonly SilentChange[] = Object.freeze([]);
export const NO_NOTES: readonly string[] = Object.freeze([]);
export const NO_FINDINGS: readonly CheckFinding[] = Object.freeze([]);

/** The gap notes of a step's disagreements with the trace, by kind (completeness.ts counts them). */
const DISAGREEMENT: Readonly<Record<CheckFinding['kind'], string>> = {
  different: 'a notification differs from the model\'s prediction',
  unexpected: 'a notification the model did not predict',
  missing: 'a notification the model predicted never came',
};

/**
 * A step's notes with one gap note per kind of disagreement among `findings`: the kernel
 * notified something other than the model predicted, so the model's state is not the
 * kernel's from here on (a cause the trace does not carry, such as the carrier, admin or
 * address changes a route-only `ip monitor` leaves out). --check lists each one. A step
 * already named as a gap (not replayed, refused) gets no second note.
 */
export function withDisagreements(notes: readonly string[], findings: readonly CheckFinding[]): readonly string[] {
  if (notes.some((n) => n.startsWith('not replayed: ') || n.startsWith('the model refused it'))) return notes;
  const kinds = new Set(findings.map((f) => f.kind));
  const out = [...notes];
  for (const k of ['different', 'unexpected', 'missing'] as const) {
    if (kinds.has(k)) out.push(`trace disagrees: ${DISAGREEMENT[k]}: a change the trace does not carry (a carrier, admin or address change left out of a filtered monitor?); --check lists each`);
  }
  return out;
}

/** What applyEvents() did: the events with their reducer steps, the state before, the changes, the last error. */
export interface AppliedBatch {
  readonly applied: AppliedEvent[];
  readonly before: FibSnapshot;
  readonly changes: Change[];
  readonly error: KernelError | null;
}

/**
 * The replay's state and its options.
 * @example
 *   const st = new ReplayState(start, { form: 'binary' });
 *   const { applied, before, changes } = st.applyEvents(events);
 * 1. applyEvents() reduces events one by one from the current snapshot;
 * 2. silentOf()/metricsAfter() read what they changed;
 * 3. stepOf() makes the step that reports them, with the state after.
 */
export class ReplayState {
  snap: FibSnapshot;
  links: Map<number, LinkInfo>;
  metrics: Map<string, RouteMetrics>;
  /** The name a live `ip monitor` has cached for an ifindex (text: it never updates, formats README 5). */
  readonly monitorNames = new Map<number, string>();
  readonly form: 'binary' | 'text';
  readonly lookahead: number;
  readonly windowUsec: number;
  readonly explain: boolean;
  readonly check: boolean;
  readonly resolve: ResolveDev;
  /** Reduces the trace's events (in place when ReplayOptions.inPlace). */
  private readonly runner: FibRunner;
  /** Whether the runner updates tables in place (see checkpoint()). */
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
    // The text form: ip monitor's cache keeps the first name it saw for an ifindex (formats
    // README 5: ll_remember_index() never updates it), so after a rename the old name stands
    // for the renamed device, and a device made later with that name is printed by it too:
    // two live devices under one name. Which one a `dev NAME` means, the text cannot say.
    const ambiguous = (name: string): readonly number[] | undefined => {
      if (this.form !== 'text') return undefined;
      const live = [...this.monitorNames].filter(([i, n]) => n === name && this.snap.devices.has(i)).map(([i]) => i);
      return live.length > 1 ? live : undefined;
    };
    this.resolve = Object.assign((name: string): number | undefined => {
      if (this.form === 'text') {
        let gone: number | undefined;
        for (const [i, n] of this.monitorNames) {
          if (n !== name) continue;
          if (this.snap.devices.has(i)) return i;
          gone = i;
        }
        // A device the monitor has cached under another name is never printed with this one
        // (after a swap of names, `eth0` in the text is the device first seen as eth0, not the
        // one the model now calls eth0).
        const found = deviceByName(this.snap, name)?.ifindex;
        const cur = found !== undefined && (this.monitorNames.get(found) ?? name) === name ? found : undefined;
        // A device the model already removed (its DELLINK applied ahead) keeps its name
        // until the trace's own DELLINK.
        return cur ?? gone;
      }
      return deviceByName(this.snap, name)?.ifindex;
    }, { ambiguous });
  }

  /** The state now. */
  get view(): ReplayView {
    return { snapshot: this.snap, links: this.links, metrics: this.metrics };
  }

  /** The state now, kept intact from here on even in place (FibRunner.freeze()): a checkpoint. */
  checkpoint(): ReplayView {
    if (this.inPlace) this.runner.freeze();
    return this.view;
  }

  /** Table nodes an in-place replay copied since the last checkpoint (0 when not in place). */
  get changeSinceCheckpoint(): number {
    return this.runner.copies;
  }

  /** The ifindex of an address record (by name when the model does not know the index). */
  readonly addrIfindex = (r: AddrRecord): number => {
    if (this.snap.devices.has(r.ifindex)) return r.ifindex;
    if (r.devName !== undefined) return this.resolve(r.devName) ?? r.ifindex;
    return r.ifindex;
  };

  private readonly netconfTargetIndex = (r: NetconfRecord): number | undefined => {
    const t = netconfTarget(r, this.resolve);
    if (t === undefined) return undefined;
    return t.kind === 'all' ? -1 : t.kind === 'default' ? -2 : t.ifindex;
  };

  /** The notifications a captured record stands for, keyed as predictions are. */
  notificationsOf(r: NetlinkRecord): Notification[] {
    return recordNotifications(r, this.resolve, this.addrIfindex, this.netconfTargetIndex);
  }

  /** Reduces one event from the current snapshot and moves to its result. */
  reduceOne(event: FibEvent): AppliedEvent {
    const step = this.runner.reduce(this.snap, event);
    this.snap = step.snapshot;
    // The reducer's step is the pair itself (reduce.ts, reducedEvent()): no object more.
    return reducedEvent(step, event);
  }

  /**
   * Applies events; returns them with the snapshot before and what the reducer recorded:
   * effects, and one change per fib_info a device event changed or flushed (effects.ts,
   * InfoChange), whose routes are listed only where they are read (--explain, metrics kept
   * beside routes, notified flushes): a carrier flap or an admin-down flush of a full table
   * costs the fib_infos on the device, not a route effect each.
   */
  applyEvents(events: readonly FibEvent[], carried: readonly Change[] = []): AppliedBatch {
    const before = this.snap;
    const applied: AppliedEvent[] = [];
    let changes: Change[] = [...carried];
    let error: KernelError | null = null;
    for (const event of events) {
      // A per-fib_info change made in place lists its routes only until the next reduction
      // (info-changes.ts, checkFresh): when they will be read after this batch (metrics kept
      // beside routes, a notified flush's predictions), they are listed before it goes on.
      if (this.routesRead(changes)) changes = [...expandChanges(changes)];
      const a = this.reduceOne(event);
      applied.push(a);
      for (const c of a.step.changes ?? a.step.effects) changes.push(c);
      if (a.step.error !== null) error = a.step.error;
    }
    return { applied, before, changes, error };
  }

  /** Whether the routes of an in-place per-fib_info change among changes will be read (metricsAfter(), notifiedEffects()). */
  private routesRead(changes: readonly Change[]): boolean {
    for (const c of changes) if (isInfoChange(c) && c.edit !== null && (this.metrics.size > 0 || c.notified)) return true;
    return false;
  }

  /** The silent changes between `before` and now (none unless explaining). */
  silentOf(before: FibSnapshot, changes: readonly Change[], events: readonly FibEvent[]): readonly SilentChange[] {
    if (!this.explain) return NO_SILENT;
    const rules = events.some((e) => e.type.startsWith('rule') || e.type.startsWith('link'));
    return silentChanges(before, this.snap, expandChanges(changes), { rules });
  }

  /** The metrics kept beside routes after changes (their routes listed only when some metrics exist or the record brings some). */
  metricsAfter(changes: readonly Change[], record: NetlinkRecord | null): Map<string, RouteMetrics> {
    if (this.metrics.size === 0 && (record?.kind !== 'route' || record.metrics === undefined)) return this.metrics;
    return trackMetrics(this.metrics, expandChanges(changes), record);
  }

  /** The step reporting a queued record, with the state now. */
  stepOf(q: Queued, role: RecordRole, applied: AppliedEvent[], silent: readonly SilentChange[], findings: CheckFinding[], notes: readonly string[], pulledBy?: number): ReplayStep {
    const r = q.record;
    // Written out rather than spread: a step is made per record, and a spread copy took
    // V8's slow generic path every time.
    const findingsOut = this.check || findings.length === 0 ? findings : [];
    // Whatever --check says, a disagreement between the trace and the model is a gap.
    const notesOut = findings.length === 0 ? notes : withDisagreements(notes, findings);
    // The time in the literal when there is one (an added property costs a second object).
    const step: { -readonly [K in keyof ReplayStep]: ReplayStep[K] } =
      r.time !== undefined
        ? { seq: q.seq, time: r.time, record: r, role, applied, snapshot: this.snap, links: this.links, metrics: this.metrics, silent, findings: findingsOut, notes: notesOut }
        : { seq: q.seq, record: r, role, applied, snapshot: this.snap, links: this.links, metrics: this.metrics, silent, findings: findingsOut, notes: notesOut };
    if (pulledBy !== undefined) step.pulledBy = pulledBy;
    return step;
  }
}
