// The data a `kfib replay --html` page carries (version 3): what the page needs up front, in
// packed columns, and the events of the trace packed too, so that the page opens a trace of
// a million notifications without a JSON object or a state per notification. The FIB at a
// moment is computed only when the page shows it (report-model.ts: the nearest checkpoint the
// page has folded to, plus a short replay), never stored per moment.
//
// | block (script element id) | content                                                        |
// | ------------------------- | -------------------------------------------------------------- |
// | kfib-data (JSON)          | ReportData: title, initial state, problems, string tables, the |
// |                           | silent moments, device lanes and route counts (precomputed by  |
// |                           | the writer from the replay: the timeline needs no fold)         |
// | kfib-moments (base64)     | one record per notification (moment-columns.ts)                 |
// | kfib-texts (paged)        | one JSON string per notification: its summary (record-summary), |
// |                           | in pages deflated on their own (text-pages.ts)                  |
// | kfib-events (base64)      | one record per applied event (moment-columns.ts)                |
// | kfib-objects (JSON Lines) | kfib event-log lines: the route templates and the other events  |
//
// Moment i (1-based; state 0 is the state before the trace) applies the next `n` events, in
// order; the events block has exactly the events of the moments, so `sum(n) === events`.

import type { IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord } from '../trace/netlink-records.js';
import type { DeviceLane } from './device-lanes.js';
import type { MomentTexts } from './text-pages.js';
import { namesProblem, type ReportNames } from './report-names.js';

/** Version of the embedded data; the page refuses others. */
export const REPORT_DATA_VERSION = 4;

/** How the replay used a notification (replayer.ts RecordRole). */
export type MomentRole = 'state' | 'cause' | 'consequence' | 'ignored';

export const ROLES: readonly MomentRole[] = ['state', 'cause', 'consequence', 'ignored'];

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

/** The rare fields of a moment, kept beside the columns. */
export interface MomentExtra {
  /** The state index of the moment (1-based). */
  readonly i: number;
  readonly notes?: readonly string[];
  readonly pulledBy?: number;
}

/** One table's route count after each state, as runs of zigzag varint deltas (route-counts.ts). */
export interface SeriesData {
  readonly id: number;
  readonly name: string;
  readonly max: number;
  /** The first state index the series covers (0 before it: the table did not exist). */
  readonly from: number;
  /** base64 of the deltas, one per state from `from` on, as (delta, run) pairs (raw DEFLATE first when `deflated`). */
  readonly deltas: string;
  /**
   * The deltas are deflated: so in a written page (report-html.ts reportFrame()), where a
   * million states' deltas are 2.6 MB of base64 the HTML parser would read before the
   * page's script, and about 1 KB deflated. The recorder's own data is not.
   */
  readonly deflated?: true;
}

/** Everything the page needs up front besides the packed blocks. */
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
  readonly problems: readonly ReportProblem[];
  /** How many moments (notifications) and applied events the blocks hold. */
  readonly moments: number;
  readonly events: number;
  /** The netlink type names the moment records index. */
  readonly types: readonly string[];
  /** The senders (`kernel`, `pid N`) the moment records index. */
  readonly bys: readonly string[];
  readonly extras: readonly MomentExtra[];
  /** The moments with silent changes (state indexes, ascending) and how many each made. */
  readonly silent: { readonly at: readonly number[]; readonly count: readonly number[] };
  readonly lanes: readonly DeviceLane[];
  readonly series: readonly SeriesData[];
  /**
   * The capture's names of tables, protocols, scopes and dsfields, as the replay printed
   * with them (report-names.ts: what differs from iproute2's built-ins); absent in data
   * written before they were carried, which means the built-in names.
   */
  readonly names?: ReportNames;
  /**
   * true for a kfib event log replayed without --initial: it starts from the model's own
   * fresh namespace (every devconf value known), not from an unknown empty one
   * (initialState()'s `fresh`). Absent otherwise.
   */
  readonly fresh?: true;
}

/** The blocks as the page opens them: the summaries read a page at a time (text-pages.ts). */
export type PageBlocks = Omit<ReportBlocks, 'texts' | 'events'> & {
  readonly texts: MomentTexts;
  /** null: not read yet (the page reads them after it is drawn: ReportModel.attachEvents()). */
  readonly events: Uint8Array | null;
};

/** The packed blocks of a page, decoded from base64 (report-model.ts reads them). */
export interface ReportBlocks {
  readonly moments: Uint8Array;
  /** One JSON string and a newline per moment. */
  readonly texts: string;
  readonly events: Uint8Array;
  /** kfib JSON Lines event log of the templates and other events. */
  readonly objects: string;
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function laneProblem(v: unknown, i: number): string | null {
  if (!isObject(v) || !isCount(v['ifindex']) || !isStrings(v['names'])) return `lanes[${i}]: expected {ifindex, names, segments, marks}`;
  const segs = v['segments'];
  if (!Array.isArray(segs) || !segs.every((s) => isObject(s) && isCount(s['from']) && isCount(s['to']) && typeof s['up'] === 'boolean' && typeof s['carrier'] === 'boolean' && typeof s['name'] === 'string')) return `lanes[${i}].segments: expected {from, to, up, carrier, name}`;
  if (!Array.isArray(v['marks']) || !v['marks'].every(isCount)) return `lanes[${i}].marks: expected state indexes`;
  return null;
}

function extrasProblem(v: unknown): string | null {
  if (!Array.isArray(v)) return 'extras: expected an array';
  for (let k = 0; k < v.length; k++) {
    const e: unknown = v[k];
    if (!isObject(e) || !isCount(e['i'])) return `extras[${k}].i: expected a state index`;
    if (e['notes'] !== undefined && !isStrings(e['notes'])) return `extras[${k}].notes: expected strings`;
    if (e['pulledBy'] !== undefined && typeof e['pulledBy'] !== 'number') return `extras[${k}].pulledBy: expected a number`;
  }
  return null;
}

/**
 * Checks the embedded data (the page reads it back as `unknown`); a string says what is wrong.
 * @example const d = parseReportData(JSON.parse(text)); if (typeof d === 'string') fail(d);
 * 1. the version and the top-level keys;
 * 2. the string tables, extras, silent moments, lanes, series and names;
 * 3. the link dump holds link records (the snapshot is re-validated by the page).
 */
export function parseReportData(v: unknown): ReportData | string {
  const bad = (what: string): string => `Cannot read the report data: ${what}`;
  if (!isObject(v)) return bad('expected an object');
  if (v['version'] !== REPORT_DATA_VERSION) return bad(`expected version ${REPORT_DATA_VERSION}, got ${JSON.stringify(v['version'])}`);
  if (typeof v['title'] !== 'string') return bad('title: expected a string');
  if (v['format'] !== 'rtmon' && v['format'] !== 'monitor' && v['format'] !== 'log') return bad('format: expected rtmon, monitor or log');
  if (typeof v['traceBytes'] !== 'number') return bad('traceBytes: expected a number');
  if (v['initial'] !== null && !isObject(v['initial'])) return bad('initial: expected a snapshot or null');
  const dump = v['dump'];
  if (!Array.isArray(dump) || !dump.every((r) => isObject(r) && r['kind'] === 'link')) return bad('dump: expected link records');
  const problems = v['problems'];
  if (!Array.isArray(problems) || !problems.every((p) => isObject(p) && typeof p['message'] === 'string' && typeof p['fatal'] === 'boolean')) return bad('problems: expected {message, fatal} objects');
  if (!isCount(v['moments'])) return bad('moments: expected a count');
  if (!isCount(v['events'])) return bad('events: expected a count');
  if (!isStrings(v['types'])) return bad('types: expected strings');
  if (!isStrings(v['bys'])) return bad('bys: expected strings');
  const ex = extrasProblem(v['extras']);
  if (ex !== null) return bad(ex);
  const silent = v['silent'];
  if (!isObject(silent) || !Array.isArray(silent['at']) || !silent['at'].every(isCount) || !Array.isArray(silent['count']) || !silent['count'].every(isCount) || silent['at'].length !== silent['count'].length) return bad('silent: expected {at, count} of equal lengths');
  const lanes = v['lanes'];
  if (!Array.isArray(lanes)) return bad('lanes: expected an array');
  for (let i = 0; i < lanes.length; i++) {
    const p = laneProblem(lanes[i], i);
    if (p !== null) return bad(p);
  }
  const series = v['series'];
  if (!Array.isArray(series) || !series.every((s) => isObject(s) && isCount(s['id']) && typeof s['name'] === 'string' && isCount(s['max']) && isCount(s['from']) && typeof s['deltas'] === 'string' && (s['deflated'] === undefined || s['deflated'] === true))) return bad('series: expected {id, name, max, from, deltas, deflated?}');
  const names = namesProblem(v['names']);
  if (names !== null) return bad(names);
  if (v['fresh'] !== undefined && v['fresh'] !== true) return bad('fresh: expected true or absent');
  // The checks above cover every field the page reads.
  return v as unknown as ReportData;
}

/** "sec.usec" to microseconds relative to `origin` (exact: both parts are integers). */
export function momentUsec(t: string, originSec: number): number {
  const dot = t.indexOf('.');
  return (Number(t.slice(0, dot)) - originSec) * 1e6 + Number(t.slice(dot + 1));
}
