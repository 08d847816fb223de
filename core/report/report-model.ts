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
import { emptyMoments, momentRole, momentTime, PagedEvents, readMoments, type MomentColumns } from './moment-columns.js';
import { StateIndex } from './state-index.js';
import type { PrintNames } from '../uapi/rt-names.js';
import { printNamesOf } from './report-names.js';
import type { DeviceLane } from './device-lanes.js';
import { readSeries, type Inflate, type TableSeries } from './route-counts.js';
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
  /** The report's names (ReportModel.names: one object for every state), for printing the state. */
  readonly names: PrintNames;
}

const NO_METRICS: ReadonlyMap<string, RouteMetrics> = new Map();


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
  /** The latest of `usec` (0 without times). */
  readonly latestUsec: number;
  /** µs since the first time stamp, per state (NaN: none; state 0 has none). */
  readonly usec: Float64Array;
  readonly lanes: readonly DeviceLane[];
  readonly series: readonly TableSeries[];
  /** The capture's names of tables, protocols, scopes and dsfields (ReportData.names; the built-ins without). */
  readonly names: PrintNames;
  private readonly silentBy = new Map<number, number>();
  private readonly extras = new Map<number, MomentExtra>();
  private readonly index: StateIndex;
  private last: MomentState | null = null;
  private events: PagedEvents | null = null;
  /** False until the events block is read (attachEvents()): no state after 0 is folded before. */
  private eventsRead = false;
  private readonly problemList: ReportProblem[];

  constructor(
    readonly data: ReportData,
    readonly init: InitialState,
    names: PrintNames,
    private readonly cols: MomentColumns,
    private readonly texts: MomentTexts,
    private readonly objects: string,
    problems: ReportProblem[],
    inflate?: Inflate,
  ) {
    this.count = cols.count + 1;
    this.names = names;
    data.silent.at.forEach((i, k) => this.silentBy.set(i, data.silent.count[k] ?? 0));
    this.silentMoments = data.silent.at.filter((i) => i < this.count);
    this.silentCount = this.silentMoments.reduce((n, i) => n + (this.silentBy.get(i) ?? 0), 0);
    for (const e of data.extras) this.extras.set(e.i, e);
    this.originSec = cols.origin?.sec ?? null;
    this.usec = cols.usec;
    this.latestUsec = cols.latest;
    this.timed = cols.count > 0 && cols.timed === cols.count;
    const series: TableSeries[] = [];
    for (const s of data.series) {
      const r = readSeries(s, this.count, inflate);
      if (typeof r === 'string') problems.push({ message: `embedded route counts: ${r}`, fatal: false });
      else series.push(r);
    }
    this.series = series;
    this.lanes = data.lanes;
    this.problemList = problems;
    this.index = new StateIndex(init.snapshot, {
      states: this.count,
      events: (i) => this.eventsOf(i),
      count: (i) => {
        const available = this.events?.count ?? 0;
        return Math.max(0, Math.min(available, cols.start[i] as number) - Math.min(available, cols.start[i - 1] as number));
      },
    });
  }

  /** The data's problems and the page's own (blocks that do not match the data). */
  get problems(): readonly ReportProblem[] {
    return this.problemList;
  }

  /** The events block has been read: every state can be folded (before, only state 0). */
  get eventsReady(): boolean {
    return this.eventsRead;
  }

  /**
   * Reads the events block (once; later calls change nothing) and returns the problems it
   * has: damaged or short, it is a problem, not a failure — the moments it cannot cover
   * apply nothing. The page calls it when the document is parsed (the block follows its
   * script), with a message instead of bytes when the block could not be decoded at all.
   */
  attachEvents(bytes: Uint8Array | string): readonly ReportProblem[] {
    if (this.eventsRead) return [];
    this.eventsRead = true;
    const found: ReportProblem[] = [];
    const read = typeof bytes === 'string' ? bytes : PagedEvents.read(bytes, this.data.events, this.objects);
    if (typeof read === 'string') found.push({ message: `${typeof bytes === 'string' ? read : `embedded events: ${read}`}; the moments apply nothing`, fatal: true });
    else this.events = read;
    const wanted = this.cols.start[this.cols.count] as number;
    if (this.events !== null && wanted !== this.events.count) found.push({ message: `the moments name ${wanted} events, the embedded log holds ${this.events.count}`, fatal: true });
    for (const p of found) this.problemList.push(p);
    return found;
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

  /** Events to replay before state(i) is answered (0: at hand; Infinity: the events are not read yet). */
  pending(i: number): number {
    if (i > 0 && !this.eventsRead) return Infinity;
    if (this.last !== null && (this.last.index === i || this.last.index === i - 1)) return 0;
    return this.index.cost(Math.max(0, i - 1));
  }

  /** Folds toward state i for about `budgetMs`; true once state(i) is cheap (never before the events are read). */
  foldToward(i: number, budgetMs: number): boolean {
    if (i > 0 && !this.eventsRead) return false;
    return this.index.extend(Math.max(0, i - 1), budgetMs);
  }

  /** Checkpoints the page made so far. */
  get checkpoints(): number {
    return this.index.checkpoints;
  }

  /** The state after moment i (0: before the trace), with its effects and silent changes. */
  state(index: number): MomentState {
    const i = Math.max(0, Math.min(this.count - 1, index));
    // A state folded without its events would be wrong, and the index would keep it.
    if (i > 0 && !this.eventsRead) throw new Error(`state ${i} asked before the events block was read`);
    if (this.last?.index === i) return this.last;
    let st: MomentState;
    if (i === 0) {
      const s = this.init.snapshot;
      st = { index: 0, moment: null, usec: null, events: [], effects: [], refused: [], before: s, snapshot: s, metrics: NO_METRICS, metricsBefore: NO_METRICS, silent: [], names: this.names };
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
      st = { index: i, moment: this.momentAt(i), usec: this.usecAt(i), events: evs, effects, refused, before, snapshot, metrics: NO_METRICS, metricsBefore: NO_METRICS, silent, names: this.names };
    }
    this.last = st;
    return st;
  }
}

/**
 * Opens a report: rebuilds the initial state and reads the packed blocks; folds nothing.
 * @example const model = openReport(data, blocks); model.state(model.count - 1).snapshot
 * 1. the initial snapshot is validated again (parseIpSnapshot) and rebuilt (initialState)
 *    with the report's names (ReportData.names); its entries that name what no name table
 *    defines are problems;
 * 2. the moment and event records are read into columns; damaged or short blocks are a
 *    problem, not a failure: the moments they cannot cover apply nothing;
 * 3. the summaries are read when a moment is shown (a page's texts: text-pages.ts);
 * 4. the events may come later (`events: null`, then attachEvents()): the page draws first;
 * 5. `inflate` reads the deflated route counts of a written page (SeriesData.deflated).
 */
export function openReport(data: ReportData, blocks: ReportBlocks | PageBlocks, inflate?: Inflate): ReportModel {
  const problems: ReportProblem[] = [...data.problems];
  let ipSnap = null;
  if (data.initial !== null) {
    const parsed = parseIpSnapshot(data.initial, { file: 'the embedded initial snapshot' });
    for (const e of parsed.errors) problems.push({ message: e.message, fatal: false });
    ipSnap = parsed.snapshot;
  }
  // The capture's names, as the replay read the snapshot with them (`"table": "isp1"`).
  const names = printNamesOf(data.names);
  // A kfib event log without --initial: the model's fresh namespace, as the replay started from.
  const init = initialState(ipSnap, data.dump, names, data.fresh === true ? { fresh: true } : {});
  // Entries no name table defines (a --lenient replay left them out too): named, not hidden.
  for (const e of init.errors) problems.push({ message: `initial state: ${e}`, fatal: false });
  let cols = readMoments(blocks.moments, data.moments);
  if (typeof cols === 'string') {
    problems.push({ message: `embedded moments: ${cols}; the page shows the initial state only`, fatal: true });
    cols = emptyMoments();
  }
  const texts = typeof blocks.texts === 'string' ? new JoinedTexts(blocks.texts) : blocks.texts;
  const pages = Math.ceil(data.moments / TEXT_PAGE);
  if (texts.pages !== null && texts.pages !== pages) problems.push({ message: `the embedded summaries hold ${texts.pages} pages of ${TEXT_PAGE} moments, the report has ${data.moments} moments (${pages} pages)`, fatal: false });
  const model = new ReportModel(data, init, names, cols, texts, blocks.objects, problems, inflate);
  if (blocks.events !== null) model.attachEvents(blocks.events);
  return model;
}
