// Collects what a `kfib replay --html` page embeds while the replay runs: each replay step
// (replayer.ts ReplayStep) becomes a moment, its applied events go to the event log, and
// the problems met on the way are kept for the page's header. Pure: the CLI feeds it and
// writes the result.

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord } from '../trace/netlink-records.js';
import { formatTimestamp, nlmsgTypeName } from '../trace/netlink-records.js';
import { encodeLogLine } from '../events/event-log.js';
import type { InitialState } from '../replay/initial-state.js';
import type { ReplayStep } from '../replay/replayer.js';
import { describeEvent } from '../replay/explain.js';
import { REPORT_DATA_VERSION, type ReportData, type ReportMoment, type ReportProblem } from './report-data.js';
import { recordSummary } from './record-summary.js';

/** What a report says about its trace. */
export interface ReportMeta {
  /** The trace's file name. */
  readonly title: string;
  readonly format: ReportData['format'];
  readonly traceBytes: number;
}

/** The data and the event log of a report. */
export interface RecordedReport {
  readonly data: ReportData;
  /** kfib's JSON Lines event log of every moment's events, in order. */
  readonly log: string;
  /** How many moments there are (with a sink: data.moments is then empty). */
  readonly moments: number;
}

/**
 * Where a recorder sends each moment and each log line as it goes, instead of holding them
 * (a report of a million notifications: about 150 MB of moments and 260 MB of log): the
 * writer then streams them into the page (report-html.ts reportFrame()).
 */
export interface ReportSink {
  /** One moment's JSON (JSON.stringify of a ReportMoment), in order. */
  moment(json: string): void;
  /** One line of the event log, with its newline. */
  logLine(line: string): void;
}

/**
 * Builds the embedded data of a report from a replay.
 * @example
 *   const rec = new ReportRecorder({ title: 'trace.rtmon', format: 'rtmon', traceBytes: n });
 *   rec.begin(before, dump, init);
 *   for (const st of steps) rec.step(st);
 *   const { data, log } = rec.finish();
 * 1. `begin` keeps the initial snapshot and link dump (the page rebuilds the state from
 *    them with initialState()) and notes how the initial state was made;
 * 2. `step` adds a moment per notification and its events to the log;
 * 3. `logEvent` does the same for one event of a kfib log (no time, no notification);
 * 4. `problem` keeps a reading problem; `finish` returns everything (with a sink: all but
 *    the moments and the log, already sent there).
 */
export class ReportRecorder {
  private readonly meta: ReportMeta;
  private initial: IpSnapshot | null = null;
  private dump: readonly LinkRecord[] = [];
  private readonly moments: ReportMoment[] = [];
  private readonly problems: ReportProblem[] = [];
  private readonly lines: string[] = [];
  private prev: FibSnapshot | null = null;
  private momentCount = 0;
  private lineCount = 0;

  /** With a sink, moments and log lines go there as they come (bounded memory); else finish() returns them. */
  constructor(
    meta: ReportMeta,
    private readonly sink: ReportSink | null = null,
  ) {
    this.meta = meta;
  }

  /** The state the replay starts from. */
  begin(initial: IpSnapshot | null, dump: readonly LinkRecord[], init: InitialState): void {
    if (initial === null) {
      this.initial = null;
    } else {
      // route_get answers belong to the snapshot's moment, not to the initial state.
      const { route_get: _answers, ...rest } = initial;
      this.initial = rest;
    }
    this.dump = dump;
    this.prev = init.snapshot;
    if (initial === null) {
      this.problem(`no --initial snapshot: the replay starts from an empty namespace (only lo, down)${dump.length > 0 ? `, with the ${dump.length} links of the trace's link dump` : ''}; addresses, routes and rules that existed before the trace are unknown`, false);
    }
    for (const d of init.differences) this.problem(`initial state differs from the snapshot: ${d}`, false);
    for (const c of init.constructed) this.problem(`initial state: ${c}`, false);
  }

  /** One replay step (one notification). */
  step(st: ReplayStep): void {
    const r = st.record;
    const before = this.prev ?? st.snapshot;
    const names = (i: number): string | undefined => before.devices.get(i)?.name ?? st.snapshot.devices.get(i)?.name;
    const events = st.applied.map((a) => a.event);
    const m: { -readonly [K in keyof ReportMoment]: ReportMoment[K] } = {
      seq: st.seq,
      type: nlmsgTypeName(r.nlmsgType),
      role: st.role,
      text: recordSummary(r, names),
      n: events.length,
    };
    if (st.time !== undefined) m.t = formatTimestamp(st.time);
    if (r.nlmsgPid !== undefined) m.by = r.nlmsgPid === 0 ? 'kernel' : `pid ${r.nlmsgPid}`;
    if (r.kind === 'route' && r.op === 'new' && r.metrics !== undefined && events.length > 0) m.metrics = r.metrics;
    if (st.notes.length > 0) m.notes = st.notes;
    if (st.pulledBy !== undefined) m.pulledBy = st.pulledBy;
    this.addMoment(m);
    this.addEvents(events);
    this.prev = st.snapshot;
  }

  /** One event of a kfib log, applied to `before`. */
  logEvent(seq: number, event: FibEvent, before: FibSnapshot): void {
    this.addMoment({ seq, type: 'event', role: 'cause', text: describeEvent(event, before), n: 1 });
    this.addEvents([event]);
  }

  private addMoment(m: ReportMoment): void {
    this.momentCount++;
    if (this.sink === null) this.moments.push(m);
    else this.sink.moment(JSON.stringify(m));
  }

  /** A problem met while reading; `fatal` when reading stopped there. */
  problem(message: string, fatal: boolean): void {
    this.problems.push({ message, fatal });
  }

  /** The data and the log. */
  finish(): RecordedReport {
    return {
      data: {
        version: REPORT_DATA_VERSION,
        title: this.meta.title,
        format: this.meta.format,
        traceBytes: this.meta.traceBytes,
        initial: this.initial,
        dump: this.dump,
        moments: this.moments,
        problems: this.problems,
      },
      log: this.lines.join(''),
      moments: this.momentCount,
    };
  }

  private addEvents(events: readonly FibEvent[]): void {
    for (const event of events) {
      const line = encodeLogLine({ seq: ++this.lineCount, event });
      if (this.sink === null) this.lines.push(line);
      else this.sink.logLine(line);
    }
  }
}
