// The flattened copies of poptrie versions that a lookup pool's workers share (the copy the
// WebAssembly loop reads: wasm-lookup.ts), made on the main thread when a version is
// published.
//
// Why: a copy is 4.25 MiB (36.25 MiB with the direct level of a large table); one per worker thread would multiply what the lookups keep in the
// last-level cache by the number of workers, the way per-CPU copies of fib_trie would. So the
// pool keeps a few copies in the table's heap, shared by every worker, and writes the one a
// new version uses at publish time, from a copy no running batch reads. As with the kernel's
// RCU, a copy that batches still read is never written: it is reused only once the pool says
// no batch pins its version (LookupPool's pins, its synchronize_rcu()); when every copy is
// still read, another is allocated.

import type { PoptrieTable } from './_poptrie-arena.js';
import { flattenSlot, runnerFor } from './lpm-table.js';
import { DIRECT_MIN_LEAVES, newFlatSlot, wantsDirect, type FlatSlot } from './wasm-lookup.js';

interface Copy {
  slot: FlatSlot;
  /** The pool version that reads it. */
  version: number;
}

/**
 * The shared copies of one pool, for the heap of its current table.
 *
 * @example
 *   const copies = new FlatCopies();
 *   const flat = copies.copyFor(table, 7, (v) => pins.has(v)); // byte offset for the tasks
 */
export class FlatCopies {
  private heapId = -1;
  private copies: Copy[] = [];

  /** @param directMinLeaves leaves from which a copy has the direct level (_direct-level.ts). */
  constructor(private readonly directMinLeaves = DIRECT_MIN_LEAVES) {}

  /** Copies held in the current heap (each 4.25 MiB, or 36.25 MiB with the direct level). */
  get count(): number {
    return this.copies.length;
  }

  /**
   * The byte offset of the copy of `t` that batches of pool version `version` read.
   *
   * 1. A table in another heap (a full compile) starts a new set of copies; the old heap's
   *    stay with the batches that still read them.
   * 2. A copy already of `t` (same root) is taken over by the new version.
   * 3. Otherwise the copy of the newest version no batch reads (`busy(v)` false) is patched to
   *    `t` (only the /16s that differ), or a new copy is allocated and written whole.
   */
  copyFor(t: PoptrieTable, version: number, busy: (version: number) => boolean): number {
    if (t.heap.id !== this.heapId) {
      this.heapId = t.heap.id;
      this.copies = [];
    }
    const same = this.copies.find((c) => c.slot.root === t.root);
    if (same) {
      same.version = version;
      return same.slot.pairs;
    }
    let free: Copy | undefined;
    for (const c of this.copies) if (!busy(c.version) && (free === undefined || c.version > free.version)) free = c;
    const direct = wantsDirect(t.leaves.length, this.directMinLeaves);
    if (free === undefined) {
      free = { slot: newFlatSlot(t.heap, direct), version };
      this.copies.push(free);
    } else if (direct && !free.slot.direct) {
      // The table grew past the threshold: a copy with the direct level replaces the free one.
      free.slot = newFlatSlot(t.heap, true);
    }
    flattenSlot(runnerFor(t.heap), free.slot, t);
    free.version = version;
    return free.slot.pairs;
  }
}
