// The page's time travel: the FIB after any moment of a report from the nearest checkpoint
// plus a short replay, as core/replay/checkpoint-index.ts answers `kfib replay --at`, with the
// same spacing (DEFAULT_CHECKPOINT_EVERY events, or DEFAULT_CHECKPOINT_CHANGE table nodes
// copied). The page does not carry checkpoints (a full table is tens of megabytes each):
// it makes them as it folds the packed events forward, and folds only as far as it is asked
// (a moment selected, or a bounded slice of work between two frames), so opening a trace of
// a million events costs no fold at all.
//
// Between checkpoints the fold runs in place (FibRunner inPlace, frozen at each checkpoint,
// as TraceReplayer.checkpoint() freezes the replay): a checkpoint stays intact, and a state
// between two is made by a throwaway runner that copies the checkpoint's nodes it changes.

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { FibRunner } from '../reduce/fib-runner.js';
import { DEFAULT_CHECKPOINT_CHANGE, DEFAULT_CHECKPOINT_EVERY } from '../replay/checkpoint-index.js';

/** The events of each state (state i: moment i, 1-based) and how many there are. */
export interface StateEvents {
  readonly states: number;
  events(i: number): readonly FibEvent[];
  count(i: number): number;
}

export class StateIndex {
  /** State index of each checkpoint, ascending (0: the start). */
  private readonly at: number[] = [0];
  private readonly snaps: FibSnapshot[];
  /** Events applied from the start up to each checkpoint (for cost()). */
  private readonly applied: number[] = [0];

  constructor(
    start: FibSnapshot,
    private readonly src: StateEvents,
  ) {
    this.snaps = [start];
  }

  /** The last state a checkpoint was made for. */
  get frontier(): number {
    return this.at[this.at.length - 1] as number;
  }

  get checkpoints(): number {
    return this.at.length;
  }

  private nearest(i: number): number {
    let lo = 0;
    let hi = this.at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.at[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Events to apply before the state after moment i is known (0 at a checkpoint). */
  cost(i: number): number {
    const c = this.nearest(i);
    let n = 0;
    for (let j = (this.at[c] as number) + 1; j <= i; j++) n += this.src.count(j);
    return n;
  }

  /**
   * Folds forward from the last checkpoint toward state `target`, making checkpoints on the
   * way, for at most about `budgetMs` (checked at checkpoints); true once it got there.
   */
  extend(target: number, budgetMs = Infinity): boolean {
    const last = this.at.length - 1;
    let m = this.at[last] as number;
    if (m >= target) return true;
    const t0 = performance.now();
    let snap = this.snaps[last] as FibSnapshot;
    let applied = this.applied[last] as number;
    const runner = new FibRunner({ inPlace: true });
    let since = 0;
    while (m < target) {
      m++;
      for (const e of this.src.events(m)) {
        snap = runner.reduce(snap, e).snapshot;
        since++;
      }
      applied += this.src.count(m);
      if (since >= DEFAULT_CHECKPOINT_EVERY || runner.copies >= DEFAULT_CHECKPOINT_CHANGE) {
        runner.freeze();
        this.keep(m, snap, applied);
        since = 0;
        if (performance.now() - t0 > budgetMs) break;
      }
    }
    if (m > this.frontier) {
      runner.freeze();
      this.keep(m, snap, applied);
    }
    return m >= target;
  }

  private keep(m: number, snap: FibSnapshot, applied: number): void {
    this.at.push(m);
    this.snaps.push(snap);
    this.applied.push(applied);
  }

  /** The FIB after moment i (0: before the trace): the nearest checkpoint, then the moments in between. */
  snapshotAfter(i: number): FibSnapshot {
    if (!Number.isInteger(i) || i < 0 || i >= this.src.states) throw new RangeError(`snapshotAfter: expected 0..${this.src.states - 1}, got ${i}`);
    if (i > this.frontier) this.extend(i);
    const c = this.nearest(i);
    let snap = this.snaps[c] as FibSnapshot;
    const from = this.at[c] as number;
    if (from === i) return snap;
    const runner = new FibRunner({ inPlace: true });
    for (let j = from + 1; j <= i; j++) for (const e of this.src.events(j)) snap = runner.reduce(snap, e).snapshot;
    return snap;
  }
}
