// What a trace replay reports per record (a ReplayStep) and how it starts and is tuned: the
// vocabulary shared by the replayer (replayer.ts), its runs (replay-run.ts, replay-session.ts),
// the explanation and the report. Split from replayer.ts so that readers of steps need not
// import the replayer.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Step } from '../reduce/reduce.js';
import type { FibEvent } from '../events/fib-event.js';
import type { PrintNames } from '../uapi/rt-names.js';
import type { NetlinkRecord, RouteMetrics, Timestamp } from '../trace/netlink-records.js';
import type { Notification } from './notification.js';
import type { SilentChange } from './silent-changes.js';
import type { LinkTable } from './link-table.js';

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
