// Collects what a `kfib replay --html` page embeds while the replay runs: each replay step
// (replayer.ts ReplayStep) becomes a packed moment record and its summary line, its applied
// events packed event records (moment-columns.ts), and what the timeline shows is made here
// once, from the replay's own states, so the page needs no fold to draw it: the moments with
// silent changes (silentChanges(), as report-model.ts finds them for the moment shown), the
// device lanes (LaneBuilder) and the route counts (RouteCountBuilder). Pure: the CLI feeds
// it and streams the blocks (a ReportSink) into the page.
//
// The silent changes compare the state before a step with the state after it: the replay
// that feeds a recorder must keep its states intact (no in-place replay: replay-streams.ts).

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import type { Step } from '../reduce/reduce.js';
import type { IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord } from '../trace/netlink-records.js';
import { formatTimestamp, nlmsgTypeName } from '../trace/netlink-records.js';
import type { InitialState } from '../replay/initial-state.js';
import type { ReplayStep } from '../replay/replay-step.js';
import { describeEvent } from '../replay/explain.js';
import { silentChanges } from '../replay/silent-changes.js';
import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';
import { reportNames } from './report-names.js';
import { REPORT_DATA_VERSION, type MomentExtra, type ReportBlocks, type ReportData, type ReportMoment, type ReportProblem } from './report-data.js';
import { recordSummary } from './record-summary.js';
import { ByteWriter } from './page-codec.js';
import { EventPacker, MomentWriter } from './moment-columns.js';
import { LaneBuilder } from './device-lanes.js';
import { RouteCountBuilder } from './route-counts.js';

/** What a report says about its trace. */
export interface ReportMeta {
  /** The trace's file name. */
  readonly title: string;
  readonly format: ReportData['format'];
  readonly traceBytes: number;
  /**
   * The names the replay prints with (--names DIR, the trace folder's names/, the snapshot's
   * "names"; the built-ins when absent): the summaries and the route-count series use them,
   * and the data carries them for the page (ReportData.names).
   */
  readonly names?: PrintNames;
}

/** Where a recorder sends the packed blocks as they grow (in pieces, in order). */
export interface ReportSink {
  moments(bytes: Uint8Array): void;
  /** JSON strings, one a line. */
  texts(text: string): void;
  events(bytes: Uint8Array): void;
  /** kfib event-log lines. */
  objects(text: string): void;
}

/** A sink that keeps the blocks in memory (tests, small reports). */
export class MemorySink implements ReportSink {
  private readonly m: Uint8Array[] = [];
  private readonly e: Uint8Array[] = [];
  private readonly t: string[] = [];
  private readonly o: string[] = [];
  moments(b: Uint8Array): void {
    this.m.push(b.slice());
  }
  texts(s: string): void {
    this.t.push(s);
  }
  events(b: Uint8Array): void {
    this.e.push(b.slice());
  }
  objects(s: string): void {
    this.o.push(s);
  }
  blocks(): ReportBlocks {
    const join = (parts: readonly Uint8Array[]): Uint8Array => {
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
    return { moments: join(this.m), texts: this.t.join(''), events: join(this.e), objects: this.o.join('') };
  }
}

/** The data of a report, and its blocks when they were kept in memory. */
export interface RecordedReport {
  readonly data: ReportData;
  readonly blocks: ReportBlocks | null;
}

/** Bytes or characters a block gathers before it goes to the sink. */
const FLUSH = 1 << 16;

/**
 * Builds the embedded data of a report from a replay.
 * @example
 *   const rec = new ReportRecorder({ title: 'trace.rtmon', format: 'rtmon', traceBytes: n });
 *   rec.begin(before, dump, init);
 *   for (const st of steps) rec.step(st);
 *   const { data, blocks } = rec.finish();
 * 1. `begin` keeps the initial snapshot and link dump (the page rebuilds the state from
 *    them with initialState()) and notes how the initial state was made;
 * 2. `step` adds a moment per notification, its events, and its part of the timeline;
 * 3. `logEvent` does the same for one event of a kfib log (no time, no notification);
 * 4. `problem` keeps a reading problem; `finish` flushes the blocks and returns the data.
 */
export class ReportRecorder {
  private readonly meta: ReportMeta;
  private readonly sink: ReportSink;
  private initial: IpSnapshot | null = null;
  private fresh = false;
  private dump: readonly LinkRecord[] = [];
  private readonly problems: ReportProblem[] = [];
  private prev: FibSnapshot | null = null;
  private moments = 0;
  private events = 0;
  private readonly types = new Map<string, number>();
  private readonly bys = new Map<string, number>();
  private readonly extras: MomentExtra[] = [];
  private readonly silentAt: number[] = [];
  private readonly silentCount: number[] = [];
  private readonly momentCols = new MomentWriter();
  private readonly momentW = new ByteWriter();
  private readonly eventW = new ByteWriter();
  private texts: string[] = [];
  private textChars = 0;
  private objects: string[] = [];
  private readonly packer = new EventPacker();
  private readonly lanes = new LaneBuilder();
  private counts: RouteCountBuilder | null = null;
  private readonly names: PrintNames;

  constructor(meta: ReportMeta, sink: ReportSink = new MemorySink()) {
    this.meta = meta;
    this.sink = sink;
    this.names = meta.names ?? BUILTIN_NAMES;
  }

  /** The state the replay starts from. */
  begin(initial: IpSnapshot | null, dump: readonly LinkRecord[], init: InitialState, fresh = false): void {
    // A kfib event log without --initial starts from the model's fresh namespace (initialState()'s `fresh`).
    this.fresh = fresh && initial === null;
    if (initial === null) {
      this.initial = null;
    } else {
      // route_get answers belong to the snapshot's moment, not to the initial state.
      const { route_get: _answers, ...rest } = initial;
      this.initial = rest;
    }
    this.dump = dump;
    this.prev = init.snapshot;
    this.lanes.add({ index: 0, effects: [], devices: init.snapshot.devices });
    this.counts = new RouteCountBuilder(init.snapshot, this.names);
    if (initial === null && !this.fresh) {
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
      text: recordSummary(r, names, this.names),
      n: events.length,
    };
    if (st.time !== undefined) m.t = formatTimestamp(st.time);
    if (r.nlmsgPid !== undefined) m.by = r.nlmsgPid === 0 ? 'kernel' : `pid ${r.nlmsgPid}`;
    if (st.notes.length > 0) m.notes = st.notes;
    if (st.pulledBy !== undefined) m.pulledBy = st.pulledBy;
    const effects: Effect[] = [];
    for (const a of st.applied) for (const e of a.step.effects) effects.push(e);
    this.add(m, events, before, st.snapshot, effects);
  }

  /** One event of a kfib log, applied to `before` (the reducer's step). */
  logEvent(seq: number, event: FibEvent, before: FibSnapshot, step: Step): void {
    this.add({ seq, type: 'event', role: 'cause', text: describeEvent(event, before, this.names), n: 1 }, [event], before, step.snapshot, step.effects);
  }

  /** A problem met while reading; `fatal` when reading stopped there. */
  problem(message: string, fatal: boolean): void {
    this.problems.push({ message, fatal });
  }

  private add(m: ReportMoment, events: readonly FibEvent[], before: FibSnapshot, after: FibSnapshot, effects: readonly Effect[]): void {
    const index = ++this.moments;
    let type = this.types.get(m.type);
    if (type === undefined) this.types.set(m.type, (type = this.types.size));
    let by = -1;
    if (m.by !== undefined) {
      by = this.bys.get(m.by) ?? -1;
      if (by < 0) this.bys.set(m.by, (by = this.bys.size));
    }
    this.momentCols.add(this.momentW, m, type, by);
    const line = `${JSON.stringify(m.text)}\n`;
    this.texts.push(line);
    this.textChars += line.length;
    if (m.notes !== undefined || m.pulledBy !== undefined) this.extras.push({ i: index, ...(m.notes === undefined ? {} : { notes: m.notes }), ...(m.pulledBy === undefined ? {} : { pulledBy: m.pulledBy }) });
    for (const e of events) {
      const obj = this.packer.write(this.eventW, e);
      if (obj !== null) this.objects.push(obj);
      this.events++;
    }
    // As report-model.ts finds them for the moment shown (rules looked at after a rule or link event).
    if (events.length > 0) {
      const rules = events.some((e) => e.type.startsWith('rule') || e.type.startsWith('link'));
      const n = silentChanges(before, after, effects, { rules }).length;
      if (n > 0) {
        this.silentAt.push(index);
        this.silentCount.push(n);
      }
    }
    this.lanes.add({ index, effects, devices: after.devices });
    this.counts?.add(effects, after.tables.keys());
    this.prev = after;
    if (this.momentW.length >= FLUSH || this.eventW.length >= FLUSH || this.textChars >= FLUSH || this.objects.length >= 256) this.flush();
  }

  private flush(): void {
    if (this.momentW.length > 0) this.sink.moments(this.momentW.take());
    if (this.eventW.length > 0) this.sink.events(this.eventW.take());
    if (this.texts.length > 0) this.sink.texts(this.texts.join(''));
    if (this.objects.length > 0) this.sink.objects(this.objects.join(''));
    this.texts = [];
    this.textChars = 0;
    this.objects = [];
  }

  /** The data; the blocks too when the sink kept them in memory. */
  finish(): RecordedReport {
    this.momentCols.flush(this.momentW);
    this.flush();
    const data: ReportData = {
      version: REPORT_DATA_VERSION,
      title: this.meta.title,
      format: this.meta.format,
      traceBytes: this.meta.traceBytes,
      initial: this.initial,
      dump: this.dump,
      problems: this.problems,
      moments: this.moments,
      events: this.events,
      types: [...this.types.keys()],
      bys: [...this.bys.keys()],
      extras: this.extras,
      silent: { at: this.silentAt, count: this.silentCount },
      lanes: this.lanes.finish(this.moments + 1),
      series: this.counts?.finish() ?? [],
      names: reportNames(this.names),
      ...(this.fresh ? { fresh: true as const } : {}),
    };
    return { data, blocks: this.sink instanceof MemorySink ? this.sink.blocks() : null };
  }
}

