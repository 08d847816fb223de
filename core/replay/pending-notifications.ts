// The notifications the model predicted and the trace has not shown yet, by notification id,
// each with the record that caused it. A record's notifications are matched against them
// (take); what is left when the cause's burst is over is reported missing (drain).

import type { Timestamp } from '../trace/netlink-records.js';
import { attrDiff, type Notification } from './notification.js';
import type { Queued } from './record-queue.js';
import type { CheckFinding } from './replay-step.js';

/** One prediction and the record (sequence number, time) that caused it. */
export interface Pending {
  readonly n: Notification;
  readonly causeSeq: number;
  readonly causeTime?: Timestamp;
}

/** Predictions by notification id, in the order they were predicted. */
export class PendingNotifications {
  private readonly byId = new Map<string, Pending[]>();
  /** How many predictions are waiting. */
  count = 0;

  /** Adds a cause's predictions. */
  add(ns: readonly Notification[], causeSeq: number, causeTime: Timestamp | undefined): void {
    for (const n of ns) {
      const list = this.byId.get(n.id);
      const p: Pending = causeTime === undefined ? { n, causeSeq } : { n, causeSeq, causeTime };
      if (list === undefined) this.byId.set(n.id, [p]);
      else list.push(p);
      this.count++;
    }
  }

  /** The oldest prediction with this id, removed; undefined when none waits. */
  take(id: string): Pending | undefined {
    const list = this.byId.get(id);
    if (list === undefined) return undefined;
    const p = list.shift();
    if (list.length === 0) this.byId.delete(id);
    if (p !== undefined) this.count--;
    return p;
  }

  /** Every waiting prediction (by id, then in order), removed. */
  drain(): Pending[] {
    const out: Pending[] = [];
    if (this.count === 0) return out;
    for (const list of this.byId.values()) out.push(...list);
    this.byId.clear();
    this.count = 0;
    return out;
  }
}

/**
 * Matches a record's notifications against the pending predictions: each one predicted is
 * taken (a `different` finding when its attributes differ); returns those left unmatched.
 */
export function matchPending(pending: PendingNotifications, q: Queued, ns: readonly Notification[], findings: CheckFinding[]): Notification[] {
  const left: Notification[] = [];
  for (const n of ns) {
    const p = pending.take(n.id);
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

/** Every prediction never matched, removed, as `missing` findings (none when not checking). */
export function missingFindings(pending: PendingNotifications, check: boolean): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const p of pending.drain()) {
    out.push({ kind: 'missing', expected: p.n, causeSeq: p.causeSeq, ...(p.causeTime !== undefined ? { causeTime: p.causeTime } : {}) });
  }
  return check ? out : [];
}
