// A runner: the mutable side of reducing many events, kept out of the pure reducer (as
// xstate keeps `transition` pure and puts state in an actor). It owns one working copy (Txn)
// reused from event to event and, in in-place mode, the PMapEdit whose table nodes it
// updates in place.
//
// Contract: reduceFib() never changes anything reachable from its input. A runner without
// inPlace gives the same guarantee for every snapshot it hands out. With inPlace a snapshot
// it handed out is valid only until its next reduction (its tables may be edited in place);
// snapshots it did not make (its start, anything from reduceFib) are never changed.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibEvent } from '../events/fib-event.js';
import { Txn } from '../snapshot/txn.js';
import { PMapEdit } from '../snapshot/persistent-map.js';
import { reduceWith, type Step } from './reduce.js';

export interface FibRunnerOptions {
  /** Update table nodes this runner made in place: for a caller that keeps no earlier snapshot (a replay without history). */
  readonly inPlace?: boolean;
}

export class FibRunner {
  private edit: PMapEdit | null;
  /** The spare working copy; null while a reduction is running (a nested one gets its own). */
  private spare: Txn | null = null;

  constructor(opts: FibRunnerOptions = {}) {
    this.edit = opts.inPlace === true ? new PMapEdit() : null;
  }

  /**
   * Ends in-place editing of what was made so far: the snapshot last handed out stays
   * intact from now on (a new edit owns no node, so later updates copy before they change),
   * and later reductions update in place again what they copy. For a time-travel index that
   * keeps a checkpoint every K events and replays in place between them. No-op without inPlace.
   */
  freeze(): void {
    if (this.edit !== null) this.edit = new PMapEdit();
  }

  /** Table nodes copied or made since the runner started or was last frozen (0 unless inPlace). */
  get copies(): number {
    return this.edit === null ? 0 : this.edit.copies;
  }

  /** reduceFib(s, e) on the runner's working copy (and, in in-place mode, its edit). */
  reduce(s: FibSnapshot, e: FibEvent): Step {
    if (this.edit !== null) this.edit.steps++;
    let txn = this.spare;
    if (txn === null) txn = new Txn(s, this.edit);
    else {
      this.spare = null;
      txn.reset(s, this.edit);
    }
    const step = reduceWith(txn, s, e);
    this.spare = txn;
    return step;
  }
}
