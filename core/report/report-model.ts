// What the report page computes when it opens: the embedded event log folded through the
// reducer from the embedded initial state, one state per moment, with the effects of each
// moment and its silent changes, exactly as `kfib replay --explain` finds them (the same
// reduceFib and silentChanges, over the same events grouped the same way).
//
// | state      | from                                                                |
// | ---------- | ------------------------------------------------------------------- |
// | states[0]  | initialState(data.initial, data.dump): the state before the trace   |
// | states[i]  | states[i-1] with the n events of moment i-1 applied (reduceFib)     |
// | silent     | silentChanges(before, after, effects, { rules }), as replayer.ts    |
// | metrics    | RTA_METRICS carried beside the FIB as replayer.ts trackMetrics does |

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import { reduceFib } from '../reduce/reduce.js';
import { decodeLog } from '../events/event-log.js';
import { parseIpSnapshot } from '../trace/ip-json.js';
import type { RouteMetrics } from '../trace/netlink-records.js';
import { initialState, type InitialState } from '../replay/initial-state.js';
import { silentChanges, type SilentChange } from '../replay/silent-changes.js';
import { routeKey } from '../replay/_route-key.js';
import { momentUsec, type ReportData, type ReportMoment, type ReportProblem } from './report-data.js';

/** The state after one moment (index 0: before the trace). */
export interface MomentState {
  readonly index: number;
  /** The notification; null for the initial state. */
  readonly moment: ReportMoment | null;
  /** Microseconds since the first time stamp of the trace, when the moment has one. */
  readonly usec: number | null;
  readonly events: readonly FibEvent[];
  readonly effects: readonly Effect[];
  /** The kernel's refusals of this moment's events (errno and extack). */
  readonly refused: readonly string[];
  readonly before: FibSnapshot;
  readonly snapshot: FibSnapshot;
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
  /** RTA_METRICS before the moment (to print the routes it removed). */
  readonly metricsBefore: ReadonlyMap<string, RouteMetrics>;
  readonly silent: readonly SilentChange[];
}

/** A report, opened. */
export interface ReportModel {
  readonly data: ReportData;
  readonly init: InitialState;
  /** states[0] is the initial state; states[i] follows data.moments[i-1]. */
  readonly states: readonly MomentState[];
  /** The second of the first time stamp, or null without times (`usec` counts from that stamp). */
  readonly originSec: number | null;
  /** Every moment has a time stamp (a time axis is possible). */
  readonly timed: boolean;
  /** Indexes of the states whose moment made silent changes. */
  readonly silentMoments: readonly number[];
  readonly silentCount: number;
  /** The data's problems and the page's own (a log that does not match its moments). */
  readonly problems: readonly ReportProblem[];
}

function metricsAfter(prev: ReadonlyMap<string, RouteMetrics>, effects: readonly Effect[], m: ReportMoment): ReadonlyMap<string, RouteMetrics> {
  let out: Map<string, RouteMetrics> | null = null;
  const write = (): Map<string, RouteMetrics> => (out ??= new Map(prev));
  if (prev.size > 0) {
    for (const e of effects) {
      const gone = e.kind === 'route-del' ? e.route : e.kind === 'route-replace' ? e.old : undefined;
      if (gone !== undefined && prev.has(routeKey(gone))) write().delete(routeKey(gone));
    }
  }
  if (m.metrics !== undefined) {
    for (const e of effects) if (e.kind === 'route-add' || e.kind === 'route-replace') write().set(routeKey(e.route), m.metrics);
  }
  return out ?? prev;
}

/**
 * Opens a report: rebuilds the initial state and folds the log, moment by moment.
 * @example const model = openReport(data, logText); model.states.at(-1)?.snapshot
 * 1. the initial snapshot is validated again (parseIpSnapshot) and rebuilt (initialState);
 * 2. the log is decoded (decodeLog); a bad or short log is a problem, not a failure: the
 *    moments it cannot cover apply nothing;
 * 3. each moment applies its events with reduceFib and records effects, refusals,
 *    RTA_METRICS and its silent changes (silentChanges, rules looked at when a rule or
 *    link event was applied, as replayer.ts does).
 */
export function openReport(data: ReportData, log: string): ReportModel {
  const problems: ReportProblem[] = [...data.problems];
  let ipSnap = null;
  if (data.initial !== null) {
    const parsed = parseIpSnapshot(data.initial, { file: 'the embedded initial snapshot' });
    for (const e of parsed.errors) problems.push({ message: e.message, fatal: false });
    ipSnap = parsed.snapshot;
  }
  const init = initialState(ipSnap, data.dump);
  const decoded = decodeLog(log);
  if (decoded.error !== undefined) problems.push({ message: `embedded event log, line ${decoded.error.line} (byte ${decoded.error.offset}): ${decoded.error.message}`, fatal: true });
  if (decoded.torn !== undefined) problems.push({ message: `embedded event log, line ${decoded.torn.line} (byte ${decoded.torn.offset}): ${decoded.torn.reason}`, fatal: true });
  const events = decoded.events;
  const wanted = data.moments.reduce((n, m) => n + m.n, 0);
  if (wanted !== events.length) problems.push({ message: `the moments name ${wanted} events, the embedded log holds ${events.length}`, fatal: true });

  const first = data.moments.find((m) => m.t !== undefined)?.t;
  const originSec = first === undefined ? null : Number(first.slice(0, first.indexOf('.')));
  // usec counts from the first time stamp itself.
  const originUsec = first === undefined || originSec === null ? 0 : momentUsec(first, originSec);
  const timed = data.moments.length > 0 && data.moments.every((m) => m.t !== undefined);

  const states: MomentState[] = [];
  let snapshot = init.snapshot;
  let metrics: ReadonlyMap<string, RouteMetrics> = init.metrics;
  states.push({ index: 0, moment: null, usec: null, events: [], effects: [], refused: [], before: snapshot, snapshot, metrics, metricsBefore: metrics, silent: [] });
  const silentMoments: number[] = [];
  let silentCount = 0;
  let next = 0;
  for (const m of data.moments) {
    const before = snapshot;
    const evs: FibEvent[] = [];
    const effects: Effect[] = [];
    const refused: string[] = [];
    let rules = false;
    for (let k = 0; k < m.n && next < events.length; k++) {
      const event = (events[next++] as (typeof events)[number]).event;
      const st = reduceFib(snapshot, event);
      snapshot = st.snapshot;
      evs.push(event);
      for (const e of st.effects) effects.push(e);
      if (st.error !== null) refused.push(`${st.error.errno}${st.error.extack !== undefined ? ` (${st.error.extack})` : ''}`);
      if (event.type.startsWith('rule') || event.type.startsWith('link')) rules = true;
    }
    const metricsBefore = metrics;
    metrics = metricsAfter(metrics, effects, m);
    const silent = evs.length === 0 ? [] : silentChanges(before, snapshot, effects, { rules });
    const index = states.length;
    if (silent.length > 0) {
      silentMoments.push(index);
      silentCount += silent.length;
    }
    const usec = m.t === undefined || originSec === null ? null : momentUsec(m.t, originSec) - originUsec;
    states.push({ index, moment: m, usec, events: evs, effects, refused, before, snapshot, metrics, metricsBefore, silent });
  }
  return { data, init, states, originSec, timed, silentMoments, silentCount, problems };
}
