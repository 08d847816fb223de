// Whole-trace helpers over TraceReplayer: replay records held in memory, find the state
// at a time or after the N-th notification, and the RxJS operator for streams.

import { decoded, type OperatorFunction } from '../stream/rx.js';
import type { Timestamp, TraceRecord, TraceStats } from '../trace/netlink-records.js';
import { TraceReplayer, type CheckFinding, type ReplayOptions, type ReplayStart, type ReplayStep } from './replayer.js';
import type { ReplayView } from './ip-json-dump.js';

/** A point of a trace: a time (rtmon clock), or after the N-th notification. */
export type TracePoint = { readonly kind: 'time'; readonly time: Timestamp } | { readonly kind: 'seq'; readonly seq: number };

/** Whether a step lies after the point (and so is not part of the state at it). */
export function stepAfter(st: ReplayStep, p: TracePoint): boolean {
  if (p.kind === 'seq') return st.seq > p.seq;
  if (st.time === undefined) return false;
  return st.time.sec > p.time.sec || (st.time.sec === p.time.sec && st.time.usec > p.time.usec);
}

/** Everything a replay produced. */
export interface ReplayResult {
  readonly steps: readonly ReplayStep[];
  /** Predictions never matched by the end. */
  readonly missing: readonly CheckFinding[];
  readonly stats?: TraceStats;
}

/**
 * Replays records held in memory (dump records of an rtmon file are expected to be part
 * of `start` already and are skipped here).
 * @example const { steps } = replayRecords(decodeRtmon(bytes), start, { form: 'binary' });
 */
export function replayRecords(records: Iterable<TraceRecord>, start: ReplayStart, opts: ReplayOptions): ReplayResult {
  const rp = new TraceReplayer(start, opts);
  const steps: ReplayStep[] = [];
  let stats: TraceStats | undefined;
  for (const r of records) {
    if (r.kind === 'end') stats = r.stats;
    if (r.kind === 'link' && r.dump) continue;
    for (const s of rp.push(r)) steps.push(s);
  }
  const fin = rp.finish();
  steps.push(...fin.steps);
  return stats === undefined ? { steps, missing: fin.missing } : { steps, missing: fin.missing, stats };
}

/** The state at a point: the start, then every step not after it. */
export function stateAt(start: ReplayStart, steps: readonly ReplayStep[], p: TracePoint): ReplayView {
  const names = start.names;
  let v: ReplayView = names === undefined ? { snapshot: start.snapshot, links: start.links, metrics: start.metrics ?? new Map() } : { snapshot: start.snapshot, links: start.links, metrics: start.metrics ?? new Map(), names };
  for (const st of steps) {
    if (stepAfter(st, p)) break;
    v = names === undefined ? { snapshot: st.snapshot, links: st.links, metrics: st.metrics } : { snapshot: st.snapshot, links: st.links, metrics: st.metrics, names };
  }
  return v;
}

/**
 * An RxJS operator: trace records in, replay steps out (held back by the lookahead, all
 * delivered on completion). Unmatched predictions at the end are not emitted as steps;
 * use TraceReplayer directly for them.
 */
export function replaySteps(start: ReplayStart, opts: ReplayOptions): OperatorFunction<TraceRecord, ReplayStep> {
  return decoded(() => {
    const rp = new TraceReplayer(start, opts);
    return { push: (r: TraceRecord) => (r.kind === 'link' && r.dump ? [] : rp.push(r)), finish: () => rp.finish().steps };
  });
}
