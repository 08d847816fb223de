// What the report page holds once open: the packed moments read into columns (nothing per
// moment as an object), the timeline's data as the writer made it, and the FIB at a moment
// computed only when asked, from the nearest checkpoint (state-index.ts) plus the moment's
// own events, exactly as `kfib replay --explain` finds them (the same reduceFib and
// silentChanges over the same events grouped the same way).
//
// | asked              | from                                                                |
// | ------------------ | ------------------------------------------------------------------- |
// | state 0            | initialState(data.initial, data.dump): the state before the trace   |
// | state i (i ≥ 1)    | before = the FIB after moment i-1 (StateIndex), then moment i's     |
// |                    | events through reduceFib: effects, refusals                          |
// | silent             | silentChanges(before, after, effects, { rules }), as replayer.ts    |
// | moment i           | the columns (moment-columns.ts), its text line, its extras          |

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import { reduceFib } from '../reduce/reduce.js';
import { parseIpSnapshot } from '../trace/ip-json.js';
import type { RouteMetrics } from '../trace/netlink-records.js';
import { initialState, type InitialState } from '../replay/initial-state.js';
import { silentChanges, type SilentChange } from '../replay/silent-changes.js';
import type { PageBlocks, ReportBlocks, ReportData, ReportMoment, ReportProblem, MomentRole, MomentExtra } from './report-data.js';
import { momentRole, momentTime, PagedEvents, readMoments, type MomentColumns } from './moment-columns.js';
import { StateIndex } from './state-index.js';
import type { DeviceLane } from './device-lanes.js';
import { readSeries, type TableSeries } from './route-counts.js';
import { JoinedTexts, TEXT_PAGE, type MomentTexts } from './text-pages.js';

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
  /**
   * RTA_METRICS beside the FIB: empty here, the routes' fib_info carries them (formatRouteLine
   * prints them); kept for the callers of tableRouteLine().
   */
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
  readonly metricsBefore: ReadonlyMap<string, RouteMetrics>;
  readonly silent: readonly SilentChange[];
}

const NO_METRICS: ReadonlyMap<string, RouteMetrics> = new Map();

const EMPTY_COLUMNS = (): MomentColumns => ({ count: 0, seq: new Int32Array(0), sec: new Float64Array(0), usec: new Int32Array(0), type: new Int32Array(0), by: new Int32Array(0), role: new Uint8Array(0), start: new Int32Array(1) });

/** A report, opened. */
export class ReportModel {
  /** States: the initial one and one per moment. */
  readonly count: number;
  /** The second of the first time stamp, or null without times (`usec` counts from that stamp). */
  readonly originSec: number | null;
  /** Every moment has a time stamp (a time axis is possible). */
  readonly timed: boolean;
  /** Indexes of the states whose moment made silent changes. */
  readonly silentMoments: readonly number[];
  readonly silentCount: number;
  /** The data's problems and the page's own (blocks that do not match the data). */
  readonly problems: readonly ReportProblem[];
  /** µs since the first time stamp, per state (NaN: none; state 0 has none). */
  readonly usec: Float64Array;
  readonly lanes: readonly DeviceLane[];
  readonly series: readonly TableSeries[];
  private readonly silentBy = new Map<number, number>();
  private readonly extras = new Map<number, MomentExtra>();
  private readonly index: StateIndex;
  private last: MomentState | null = null;

  constructor(
    readonly data: ReportData,
    readonly init: InitialState,
    private readonly cols: MomentColumns,
    private readonly texts: MomentTexts,
    private readonly events: PagedEvents | null,
    problems: ReportProblem[],
  ) {
    this.count = cols.count + 1;
    data.silent.at.forEach((i, k) => this.silentBy.set(i, data.silent.count[k] ?? 0));
    this.silentMoments = data.silent.at.filter((i) => i < this.count);
    this.silentCount = this.silentMoments.reduce((n, i) => n + (this.silentBy.get(i) ?? 0), 0);
    for (const e of data.extras) this.extras.set(e.i, e);
    const usec = new Float64Array(this.count).fill(NaN);
    let first = -1;
    for (let k = 0; k < cols.count; k++) {
      if (!Number.isNaN(cols.sec[k] as number)) {
        first = k;
        break;
      }
    }
    this.originSec = first < 0 ? null : (cols.sec[first] as number);
    if (first >= 0) {
      const origin = (cols.usec[first] as number);
      const base = this.originSec as number;
      for (let k = 0; k < cols.count; k++) {
        const s = cols.sec[k] as number;
        if (!Number.isNaN(s)) usec[k + 1] = (s - base) * 1e6 + (cols.usec[k] as number) - origin;
      }
    }
    this.usec = usec;
    let timed = cols.count > 0;
    for (let k = 0; k < cols.count && timed; k++) if (Number.isNaN(cols.sec[k] as number)) timed = false;
    this.timed = timed;
    const series: TableSeries[] = [];
    for (const s of data.series) {
      const r = readSeries(s, this.count);
      if (typeof r === 'string') problems.push({ message: `embedded route counts: ${r}`, fatal: false });
      else series.push(r);
    }
    this.series = series;
    this.lanes = data.lanes;
    this.problems = problems;
    const available = events?.count ?? 0;
    this.index = new StateIndex(init.snapshot, {
      states: this.count,
      events: (i) => this.eventsOf(i),
      count: (i) => Math.max(0, Math.min(available, cols.start[i] as number) - Math.min(available, cols.start[i - 1] as number)),
    });
  }

  private eventsOf(i: number): FibEvent[] {
    if (i <= 0 || this.events === null) return [];
    return this.events.range(this.cols.start[i - 1] as number, this.cols.start[i] as number);
  }

  /** The seq of state i's moment (0 for the initial state). */
  seqAt(i: number): number {
    return i <= 0 ? 0 : (this.cols.seq[i - 1] as number);
  }

  roleAt(i: number): MomentRole {
    return momentRole(this.cols, i - 1);
  }

  /** Silent changes made by state i's moment. */
  silentAt(i: number): number {
    return this.silentBy.get(i) ?? 0;
  }

  /** Events state i's moment applied. */
  eventCount(i: number): number {
    return i <= 0 ? 0 : (this.cols.start[i] as number) - (this.cols.start[i - 1] as number);
  }

  usecAt(i: number): number | null {
    const u = this.usec[i];
    return u === undefined || Number.isNaN(u) ? null : u;
  }

  /** The moment of state i (null for the initial state). */
  momentAt(i: number): ReportMoment | null {
    if (i <= 0 || i >= this.count) return null;
    const k = i - 1;
    const c = this.cols;
    const t = momentTime(c, k);
    const by = c.by[k] as number;
    const ex = this.extras.get(i);
    return {
      seq: c.seq[k] as number,
      ...(t === undefined ? {} : { t }),
      type: this.data.types[c.type[k] as number] ?? '?',
      ...(by < 0 ? {} : { by: this.data.bys[by] ?? '?' }),
      role: momentRole(c, k),
      text: this.texts.line(k),
      n: this.eventCount(i),
      ...(ex?.notes === undefined ? {} : { notes: ex.notes }),
      ...(ex?.pulledBy === undefined ? {} : { pulledBy: ex.pulledBy }),
    };
  }

  /** Events to replay before state(i) is answered (0: at hand). */
  pending(i: number): number {
    if (this.last !== null && (this.last.index === i || this.last.index === i - 1)) return 0;
    return this.index.cost(Math.max(0, i - 1));
  }

  /** Folds toward state i for about `budgetMs`; true once state(i) is cheap. */
  foldToward(i: number, budgetMs: number): boolean {
    return this.index.extend(Math.max(0, i - 1), budgetMs);
  }

  /** Checkpoints the page made so far. */
  get checkpoints(): number {
    return this.index.checkpoints;
  }

  /** The state after moment i (0: before the trace), with its effects and silent changes. */
  state(index: number): MomentState {
    const i = Math.max(0, Math.min(this.count - 1, index));
    if (this.last?.index === i) return this.last;
    let st: MomentState;
    if (i === 0) {
      const s = this.init.snapshot;
      st = { index: 0, moment: null, usec: null, events: [], effects: [], refused: [], before: s, snapshot: s, metrics: NO_METRICS, metricsBefore: NO_METRICS, silent: [] };
    } else {
      const before = this.last?.index === i - 1 ? this.last.snapshot : this.index.snapshotAfter(i - 1);
      const evs = this.eventsOf(i);
      const effects: Effect[] = [];
      const refused: string[] = [];
      let snapshot = before;
      let rules = false;
      for (const event of evs) {
        const r = reduceFib(snapshot, event);
        snapshot = r.snapshot;
        for (const e of r.effects) effects.push(e);
        if (r.error !== null) refused.push(`${r.error.errno}${r.error.extack !== undefined ? ` (${r.error.extack})` : ''}`);
        if (event.type.startsWith('rule') || event.type.startsWith('link')) rules = true;
      }
      const silent = evs.length === 0 ? [] : silentChanges(before, snapshot, effects, { rules });
      st = { index: i, moment: this.momentAt(i), usec: this.usecAt(i), events: evs, effects, refused, before, snapshot, metrics: NO_METRICS, metricsBefore: NO_METRICS, silent };
    }
    this.last = st;
    return st;
  }
}

/**
 * Opens a report: rebuilds the initial state and reads the packed blocks; folds nothing.
 * @example const model = openReport(data, blocks); model.state(model.count - 1).snapshot
 * 1. the initial snapshot is validated again (parseIpSnapshot) and rebuilt (initialState);
 * 2. the moment and event records are read into columns; damaged or short blocks are a
 *    problem, not a failure: the moments they cannot cover apply nothing;
 * 3. the summaries are read when a moment is shown (a page's texts: text-pages.ts).
 */
export function openReport(data: ReportData, blocks: ReportBlocks | PageBlocks): ReportModel {
  const problems: ReportProblem[] = [...data.problems];
  let ipSnap = null;
  if (data.initial !== null) {
    const parsed = parseIpSnapshot(data.initial, { file: 'the embedded initial snapshot' });
    for (const e of parsed.errors) problems.push({ message: e.message, fatal: false });
    ipSnap = parsed.snapshot;
  }
  const init = initialState(ipSnap, data.dump);
  let cols = readMoments(blocks.moments, data.moments);
  if (typeof cols === 'string') {
    problems.push({ message: `embedded moments: ${cols}; the page shows the initial state only`, fatal: true });
    cols = EMPTY_COLUMNS();
  }
  const read = PagedEvents.read(blocks.events, data.events, blocks.objects);
  let events: PagedEvents | null = null;
  if (typeof read === 'string') problems.push({ message: `embedded events: ${read}; the moments apply nothing`, fatal: true });
  else events = read;
  const wanted = cols.start[cols.count] as number;
  if (events !== null && wanted !== events.count) problems.push({ message: `the moments name ${wanted} events, the embedded log holds ${events.count}`, fatal: true });
  const texts = typeof blocks.texts === 'string' ? new JoinedTexts(blocks.texts) : blocks.texts;
  const pages = Math.ceil(data.moments / TEXT_PAGE);
  if (texts.pages !== null && texts.pages !== pages) problems.push({ message: `the embedded summaries hold ${texts.pages} pages of ${TEXT_PAGE} moments, the report has ${data.moments} moments (${pages} pages)`, fatal: false });
  return new ReportModel(data, init, cols, texts, events, problems);
}
