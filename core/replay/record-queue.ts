// The records a replay holds back (its lookahead window), oldest first. A record stays queued
// until enough later records have arrived to find what it caused or what caused it.

import type { NetlinkRecord } from '../trace/netlink-records.js';

/** One held-back record: its sequence number (0 for a dump record) and whether its events ran ahead. */
export interface Queued {
  readonly record: NetlinkRecord;
  readonly seq: number;
  applied: boolean;
}

/** An entry made by `new`, not a literal: entries are reused and live long (see snapshot.ts, Snapshot). */
class QueueEntry implements Queued {
  applied = false;
  constructor(
    readonly record: NetlinkRecord,
    readonly seq: number,
  ) {}
}

/**
 * The records held back (lookahead), oldest first: a ring over an array, since
 * Array.prototype.shift() moves every element (~150 ns a record at the default lookahead).
 */
export class RecordQueue {
  private items: (Queued | undefined)[] = new Array<Queued | undefined>(64);
  private head = 0;
  length = 0;
  /**
   * The entry shift() removed last, reused by the next add(): a replay makes an entry per
   * record, and one leaves the queue as each arrives. Safe because add() is called only when
   * a record arrives (TraceReplayer.push()), after the records that left before are done.
   */
  private spare: Queued | null = null;

  at(i: number): Queued {
    return this.items[(this.head + i) & (this.items.length - 1)] as Queued;
  }

  /** Queues a record (its entry the one shift() removed last, when there is one). */
  add(record: NetlinkRecord, seq: number): void {
    let q = this.spare;
    if (q === null) q = new QueueEntry(record, seq);
    else {
      this.spare = null;
      const m = q as { -readonly [K in keyof Queued]: Queued[K] };
      m.record = record;
      m.seq = seq;
      m.applied = false;
    }
    this.push(q);
  }

  private push(q: Queued): void {
    if (this.length === this.items.length) {
      const grown = new Array<Queued | undefined>(this.items.length * 2);
      for (let i = 0; i < this.length; i++) grown[i] = this.at(i);
      this.items = grown;
      this.head = 0;
    }
    this.items[(this.head + this.length) & (this.items.length - 1)] = q;
    this.length++;
  }

  shift(): void {
    this.spare = this.items[this.head] ?? null;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.length--;
  }

  indexOf(q: Queued): number {
    for (let i = 0; i < this.length; i++) if (this.at(i) === q) return i;
    return -1;
  }
}
