// Time travel in bounded memory: the state of a replay at any instant from a checkpoint
// index built as the trace is read, instead of a snapshot kept per event.
//
// Why: a snapshot per event shares structure but still costs a copied table chunk and its
// path per route event (about 2 KiB: 2.1 GiB for a million route events on a full table).
// Here a checkpoint (the replay's state, kept intact) is taken every K steps; between two
// checkpoints only the events each step applied are kept, packed (packed-events.ts, 12
// bytes a route event), with the link table and RTA_METRICS of the steps that changed them.
// The state after step N is the nearest checkpoint at or before N with the events of the
// steps in between applied again through the reducer (in place on copies of the
// checkpoint's nodes: the checkpoint stays intact). The replay between checkpoints may run
// in place too (TraceReplayer.checkpoint() ends the in-place edit at each checkpoint).
//
// | part                 | per                    | bytes                                   |
// | -------------------- | ---------------------- | --------------------------------------- |
// | packed events        | event                  | 12 (route events), the object otherwise |
// | step points          | step                   | 4 (event start) + 4 (seq) + 16 (time)   |
// | checkpoints          | K steps                | the nodes changed since the last one    |
// | links, metrics       | step that changed them | the new table (copy on write already)   |
//
// The points of --at and --until (replay-run.ts stepAfter) are found by binary search over
// running maxima of the steps' seq and time: the first step after a point is the first
// whose running maximum passes it (steps are made in the replay's order; a cause pulled
// ahead of its consequence has a later seq).

import { FibRunner } from '../reduce/fib-runner.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { RouteMetrics } from '../trace/netlink-records.js';
import type { ReplayView } from './ip-json-dump.js';
import type { LinkTable } from './link-table.js';
import { PackedEvents } from './packed-events.js';
import { F64Blocks, I32Blocks } from './_block-column.js';
import type { TracePoint } from './replay-run.js';
import type { AppliedEvent, ReplayStep } from './replay-step.js';

/**
 * Steps between checkpoints by default. Chosen by measurement on a million route events
 * over the full table (bench/replay.bench.ts, bench/results/replay.json): the worst instant
 * replays K-1 steps, and a step of random churn costs 2-5 µs there (its table chunk is
 * copied once more after each checkpoint), so K = 2048 answered the worst instants in up
 * to 11 ms (90th percentile) under load and K = 1024 in 5.5 ms at most, for about the same
 * peak RSS (350 MiB; K = 512: 9 ms at worst, the replay slower).
 */
export const DEFAULT_CHECKPOINT_EVERY = 1024;

/**
 * Table nodes an in-place replay may copy before a checkpoint is due sooner than K steps
 * (settle()'s `change`). A step of random churn on a full table copies about one node (a
 * chunk; an inner node on its path once per checkpoint, its separators shared since
 * pmap-edit.ts ownedCopy()) and costs 2-5 µs to apply again; a step of a table loaded in
 * order copies a few hundredths of a node and costs under 1 µs. At 384, churn gets a
 * checkpoint every ~370 steps (the bench's 98,100 steps of churn: about 264 checkpoints,
 * about 435 while separators were copied too): the replay an instant needs is bounded by its
 * cost, not only by its steps. On that trace K = 256, 512 and 1024 answered instants alike
 * (the worst ones are the garbage collections they meet, not the steps they replay).
 */
export const DEFAULT_CHECKPOINT_CHANGE = 384;

export interface CheckpointIndexOptions {
  /** Steps between checkpoints (K); default DEFAULT_CHECKPOINT_EVERY. */
  readonly every?: number;
  /** Nodes copied (settle()'s `change`) that make a checkpoint due; default DEFAULT_CHECKPOINT_CHANGE. */
  readonly change?: number;
}

interface Checkpoint {
  /** Steps applied before it (0: the start). */
  readonly step: number;
  readonly snapshot: FibSnapshot;
  readonly links: LinkTable;
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
}

/**
 * A checkpoint index over the steps of one replay.
 * @example
 *   const idx = new CheckpointIndex(start);
 *   for (const r of records) {
 *     for (const st of replayer.push(r)) idx.add(st);
 *     idx.settle(() => replayer.checkpoint());
 *   }
 *   idx.stateAt({ kind: 'seq', seq: 57 });   // the state after the 57th notification
 * 1. add() packs each step's events and notes its seq and time;
 * 2. settle(), after a batch of steps, keeps a checkpoint once K steps have passed (the
 *    freeze callback makes an in-place replay leave that state intact);
 * 3. stateAfter(n) / stateAt(point): the nearest checkpoint, then the steps in between.
 */
export class CheckpointIndex {
  private readonly every: number;
  private readonly change: number;
  private readonly events = new PackedEvents();
  /** Running maximum of the steps' seq (stepAfter for `@N`). */
  private readonly seqMax = new I32Blocks();
  /** Running maximum of the steps' time, sec and usec compared in that order; -1 before any time. */
  private readonly secMax = new F64Blocks();
  private readonly usecMax = new F64Blocks();
  private readonly cps: Checkpoint[] = [];
  /** The link table after step i (1-based count of steps), for the steps that changed it. */
  private readonly linksAfter = new Map<number, LinkTable>();
  private readonly metricsAfter = new Map<number, ReadonlyMap<string, RouteMetrics>>();
  /** The state after the last step added. */
  private lastSnapshot: FibSnapshot;
  private lastLinks: LinkTable;
  private lastMetrics: ReadonlyMap<string, RouteMetrics>;
  private readonly names: ReplayView['names'];

  constructor(start: ReplayView, opts: CheckpointIndexOptions = {}) {
    this.every = Math.max(1, Math.floor(opts.every ?? DEFAULT_CHECKPOINT_EVERY));
    this.change = Math.max(1, Math.floor(opts.change ?? DEFAULT_CHECKPOINT_CHANGE));
    this.names = start.names;
    this.lastSnapshot = start.snapshot;
    this.lastLinks = start.links;
    this.lastMetrics = start.metrics;
    this.cps.push({ step: 0, snapshot: start.snapshot, links: start.links, metrics: start.metrics });
  }

  /** Steps indexed. */
  get steps(): number {
    return this.events.steps;
  }

  /** Checkpoints kept (the start included). */
  get checkpoints(): number {
    return this.cps.length;
  }

  /** The step count of each checkpoint, in order (0: the start). */
  checkpointSteps(): number[] {
    return this.cps.map((c) => c.step);
  }

  /** Bytes of the packed columns (not the checkpoints' nodes, shared with the replay). */
  get bytes(): number {
    return this.events.bytes + this.seqMax.bytes + this.secMax.bytes + this.usecMax.bytes;
  }

  /** Records one step, in the order the replay made it. */
  add(st: ReplayStep): void {
    const n = this.events.steps;
    const applied = st.applied;
    for (let i = 0; i < applied.length; i++) this.events.push((applied[i] as AppliedEvent).event);
    this.events.endStep();
    const prevSeq = n === 0 ? -1 : this.seqMax.at(n - 1);
    this.seqMax.push(st.seq > prevSeq ? st.seq : prevSeq);
    let sec = n === 0 ? -1 : this.secMax.at(n - 1);
    let usec = n === 0 ? -1 : this.usecMax.at(n - 1);
    const t = st.time;
    if (t !== undefined && (t.sec > sec || (t.sec === sec && t.usec > usec))) {
      sec = t.sec;
      usec = t.usec;
    }
    this.secMax.push(sec);
    this.usecMax.push(usec);
    if (st.links !== this.lastLinks) this.linksAfter.set(n + 1, st.links);
    if (st.metrics !== this.lastMetrics) this.metricsAfter.set(n + 1, st.metrics);
    // Three fields, not an object a step: a step is made per record.
    this.lastSnapshot = st.snapshot;
    this.lastLinks = st.links;
    this.lastMetrics = st.metrics;
  }

  /**
   * Ends a batch of steps (the steps one record completed): when K steps have passed since
   * the last checkpoint, or the replay changed `change` nodes since then (an in-place
   * replay: TraceReplayer.changeSinceCheckpoint), `freeze` is called (the replay stops
   * changing what it made so far: TraceReplayer.checkpoint()) and the state after the last
   * step is kept.
   */
  settle(freeze: () => void, change = 0): void {
    const n = this.events.steps;
    const lastCp = (this.cps[this.cps.length - 1] as Checkpoint).step;
    if (n === lastCp || (n - lastCp < this.every && change < this.change)) return;
    freeze();
    this.cps.push({ step: n, snapshot: this.lastSnapshot, links: this.lastLinks, metrics: this.lastMetrics });
  }

  /** How many steps lie at or before the point (the state at it is stateAfter(that)). */
  stepsAt(p: TracePoint): number {
    const n = this.events.steps;
    // The first step whose running maximum is after the point.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.afterAt(mid, p)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private afterAt(i: number, p: TracePoint): boolean {
    if (p.kind === 'seq') return this.seqMax.at(i) > p.seq;
    const sec = this.secMax.at(i);
    const usec = this.usecMax.at(i);
    return sec > p.time.sec || (sec === p.time.sec && usec > p.time.usec);
  }

  /** The state at a point (the start, then every step not after it), as replay-run.ts stateAt(). */
  stateAt(p: TracePoint): ReplayView {
    return this.stateAfter(this.stepsAt(p));
  }

  /**
   * The state after the first n steps (0: the start).
   * 1. the last checkpoint at or before n (binary search);
   * 2. the events of the steps in between, applied in order by an in-place runner, which
   *    copies the checkpoint's nodes before changing them;
   * 3. the link table and metrics of the last step in between that changed them.
   */
  stateAfter(n: number): ReplayView {
    const steps = this.events.steps;
    if (!Number.isInteger(n) || n < 0 || n > steps) throw new RangeError(`stateAfter: expected 0..${steps} steps, got ${n}`);
    let lo = 0;
    let hi = this.cps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.cps[mid] as Checkpoint).step <= n) lo = mid;
      else hi = mid - 1;
    }
    const cp = this.cps[lo] as Checkpoint;
    let snapshot = cp.snapshot;
    let links = cp.links;
    let metrics = cp.metrics;
    if (cp.step < n) {
      const runner = new FibRunner({ inPlace: true });
      for (let i = cp.step; i < n; i++) {
        for (const e of this.events.eventsOf(i)) snapshot = runner.reduce(snapshot, e).snapshot;
        links = this.linksAfter.get(i + 1) ?? links;
        metrics = this.metricsAfter.get(i + 1) ?? metrics;
      }
    }
    return this.names === undefined ? { snapshot, links, metrics } : { snapshot, links, metrics, names: this.names };
  }
}
