// The data a `kfib replay --html` page carries: the replayed event log (kfib's JSON Lines,
// core/events/event-log.ts) and, beside it, one entry per notification of the trace (its
// time, its netlink type, who sent it, how the replay used it and how many events of the
// log it applied), plus the state the replay started from (the `ip -j` snapshot and
// rtmon's link dump). The page folds the log through the reducer itself: no answer is
// precomputed here, so the page can show any moment and answer any lookup.
//
// | part            | where in the page                                  | what                                   |
// | --------------- | -------------------------------------------------- | -------------------------------------- |
// | ReportData      | `<script type="application/json" id="kfib-data">`  | moments, initial state, problems       |
// | event log       | `<script type="application/x-ndjson" id="kfib-log">` | `{"v":1,"seq":N,"event":…}` per line |
//
// Moment i applies the next `n` events of the log, in order; the log has exactly the
// events of the moments, so `sum(n) === log length`.

import type { IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord, RouteMetrics } from '../trace/netlink-records.js';

/** Version of the embedded data; the page refuses others. */
export const REPORT_DATA_VERSION = 1;

/** How the replay used a notification (replayer.ts RecordRole). */
export type MomentRole = 'state' | 'cause' | 'consequence' | 'ignored';

/** One notification of the trace (or one event of a kfib log), as the page lists it. */
export interface ReportMoment {
  /** `@N` of `kfib replay --at`: the 1-based notification number (a kfib log: the event's seq). */
  readonly seq: number;
  /** "sec.usec" in the trace's clock, when the trace has time stamps. */
  readonly t?: string;
  /** The netlink message type (RTM_NEWROUTE …), or `event` for a kfib log. */
  readonly type: string;
  /** `kernel` (nlmsg_pid 0) or `pid N`; absent in `ip monitor` text. */
  readonly by?: string;
  readonly role: MomentRole;
  /** The notification in a few words, `ip monitor`-like. */
  readonly text: string;
  /** How many events of the log this moment applied. */
  readonly n: number;
  /** RTA_METRICS of the route this notification added (the FIB does not keep them). */
  readonly metrics?: RouteMetrics;
  /** What the replay inferred or refused (replayer.ts ReplayStep.notes). */
  readonly notes?: readonly string[];
  /** Set when this cause was applied ahead of its turn for the consequence @pulledBy. */
  readonly pulledBy?: number;
}

/** A problem met while reading the trace or building the initial state. */
export interface ReportProblem {
  readonly message: string;
  /** True when reading stopped there: the moments end at the fault. */
  readonly fatal: boolean;
}

/** Everything the page needs besides the event log. */
export interface ReportData {
  readonly version: typeof REPORT_DATA_VERSION;
  /** The trace's file name, for the title. */
  readonly title: string;
  readonly format: 'rtmon' | 'monitor' | 'log';
  /** The trace's size in bytes. */
  readonly traceBytes: number;
  /** The `--initial` snapshot (parsed, route_get left out), or null for an empty namespace. */
  readonly initial: IpSnapshot | null;
  /** The link dump at the head of an rtmon file (initial-state.ts uses it). */
  readonly dump: readonly LinkRecord[];
  readonly moments: readonly ReportMoment[];
  readonly problems: readonly ReportProblem[];
}

const ROLES: readonly string[] = ['state', 'cause', 'consequence', 'ignored'];

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function momentProblem(v: unknown, i: number): string | null {
  const where = `moments[${i}]`;
  if (!isObject(v)) return `${where}: expected an object`;
  if (typeof v['seq'] !== 'number' || !Number.isInteger(v['seq'])) return `${where}.seq: expected an integer`;
  if (v['t'] !== undefined && (typeof v['t'] !== 'string' || !/^\d+\.\d{6}$/.test(v['t']))) return `${where}.t: expected "sec.usec"`;
  if (typeof v['type'] !== 'string') return `${where}.type: expected a string`;
  if (v['by'] !== undefined && typeof v['by'] !== 'string') return `${where}.by: expected a string`;
  if (typeof v['role'] !== 'string' || !ROLES.includes(v['role'])) return `${where}.role: expected one of ${ROLES.join(', ')}`;
  if (typeof v['text'] !== 'string') return `${where}.text: expected a string`;
  if (typeof v['n'] !== 'number' || !Number.isInteger(v['n']) || v['n'] < 0) return `${where}.n: expected a count`;
  if (v['metrics'] !== undefined && !isObject(v['metrics'])) return `${where}.metrics: expected an object`;
  if (v['notes'] !== undefined && (!Array.isArray(v['notes']) || !v['notes'].every((x) => typeof x === 'string'))) return `${where}.notes: expected strings`;
  if (v['pulledBy'] !== undefined && typeof v['pulledBy'] !== 'number') return `${where}.pulledBy: expected a number`;
  return null;
}

/**
 * Checks the embedded data (the page reads it back as `unknown`); a string says what is wrong.
 * @example const d = parseReportData(JSON.parse(text)); if (typeof d === 'string') fail(d);
 * 1. the version and the top-level keys;
 * 2. every moment's fields (the snapshot is re-validated by the page with parseIpSnapshot);
 * 3. the link dump holds link records.
 */
export function parseReportData(v: unknown): ReportData | string {
  if (!isObject(v)) return 'Cannot read the report data: expected an object';
  if (v['version'] !== REPORT_DATA_VERSION) return `Cannot read the report data: expected version ${REPORT_DATA_VERSION}, got ${JSON.stringify(v['version'])}`;
  if (typeof v['title'] !== 'string') return 'Cannot read the report data: title: expected a string';
  if (v['format'] !== 'rtmon' && v['format'] !== 'monitor' && v['format'] !== 'log') return 'Cannot read the report data: format: expected rtmon, monitor or log';
  if (typeof v['traceBytes'] !== 'number') return 'Cannot read the report data: traceBytes: expected a number';
  if (v['initial'] !== null && !isObject(v['initial'])) return 'Cannot read the report data: initial: expected a snapshot or null';
  const dump = v['dump'];
  if (!Array.isArray(dump) || !dump.every((r) => isObject(r) && r['kind'] === 'link')) return 'Cannot read the report data: dump: expected link records';
  const moments = v['moments'];
  if (!Array.isArray(moments)) return 'Cannot read the report data: moments: expected an array';
  for (let i = 0; i < moments.length; i++) {
    const p = momentProblem(moments[i], i);
    if (p !== null) return `Cannot read the report data: ${p}`;
  }
  const problems = v['problems'];
  if (!Array.isArray(problems) || !problems.every((p) => isObject(p) && typeof p['message'] === 'string' && typeof p['fatal'] === 'boolean')) {
    return 'Cannot read the report data: problems: expected {message, fatal} objects';
  }
  // The checks above cover every field the page reads.
  return v as unknown as ReportData;
}

/** "sec.usec" to microseconds relative to `origin` (exact: both parts are integers). */
export function momentUsec(t: string, originSec: number): number {
  const dot = t.indexOf('.');
  return (Number(t.slice(0, dot)) - originSec) * 1e6 + Number(t.slice(dot + 1));
}
