// The packed records of a report page (report-data.ts) and their columns once read: a
// moment record per notification and an event record per applied event, written by the
// recorder (report-recorder.ts) as the replay goes and read once by the page when it opens.
//
// | record | fields (varints, ByteWriter)                                               |
// | ------ | -------------------------------------------------------------------------- |
// | moments| chunks of up to MOMENT_CHUNK moments: the count, then six columns, each    |
// |        | run-length coded as (value, run) pairs: flags (bit0: a time, bit1: a       |
// |        | sender, bits 2-3: the role), seq − previous seq (zigzag), type index, n,   |
// |        | then the sender index of the moments with one, and for the moments with a  |
// |        | time: sec − previous sec (zigzag), usec − previous usec (zigzag)            |
// | event  | object index × 2 + packed; packed: dst (4 bytes) and plen (1 byte)          |
//
// The moments are columns, run-length coded, because the page reads every one of them
// before it is drawn (the timeline), and a trace repeats itself: the same sender, type and
// count, seq going up by one, second after second unchanged. A million moments were 9 MB
// of records, a third of a second to inflate and as much to read in the page; as columns
// they are a few bytes a moment where times differ, and runs filled at once elsewhere.
//
// An event is "packed" when it is a route event: its object is a template (the first route
// event of its shape, core/replay/packed-events.ts routeShapeKey(): every field but dst and
// plen), and the event is the template with its own dst and plen, as PackedEvents keeps
// them for time travel. Any other event is its object whole.

import type { FibEvent } from '../events/fib-event.js';
import type { RouteDelEvent, RouteNewEvent } from '../events/route.js';
import { encodeLogLine } from '../events/event-log.js';
import { decodeLogLine } from '../events/log-decoder.js';
import { routeShapeKey } from '../replay/packed-events.js';
import { ByteReader, type ByteWriter } from './page-codec.js';
import { ROLES, type MomentRole, type ReportMoment } from './report-data.js';

/** Moments per chunk of the moments block (the writer holds one chunk's columns). */
export const MOMENT_CHUNK = 65536;

/** Writes a column of `n` values as (value, run) pairs; `signed`: values zigzag coded. */
function writeRuns(w: ByteWriter, col: Float64Array, n: number, signed: boolean): void {
  let i = 0;
  while (i < n) {
    const v = col[i] as number;
    let j = i + 1;
    while (j < n && col[j] === v) j++;
    if (signed) w.int(v);
    else w.uint(v);
    w.uint(j - i);
    i = j;
  }
}

/** Writes the moment records, a chunk of columns at a time (bounded memory). */
export class MomentWriter {
  private n = 0;
  private timed = 0;
  private sent = 0;
  private seq = 0;
  private sec = 0;
  private usec = 0;
  private readonly flags = new Float64Array(MOMENT_CHUNK);
  private readonly seqDelta = new Float64Array(MOMENT_CHUNK);
  private readonly type = new Float64Array(MOMENT_CHUNK);
  private readonly count = new Float64Array(MOMENT_CHUNK);
  private readonly by = new Float64Array(MOMENT_CHUNK);
  private readonly secDelta = new Float64Array(MOMENT_CHUNK);
  private readonly usecDelta = new Float64Array(MOMENT_CHUNK);

  /** Adds one moment; `type` and `by` are indexes into the data's tables (by: -1 none). A full chunk is written to `w`. */
  add(w: ByteWriter, m: ReportMoment, type: number, by: number): void {
    const k = this.n++;
    this.flags[k] = (m.t !== undefined ? 1 : 0) | (by >= 0 ? 2 : 0) | (ROLES.indexOf(m.role) << 2);
    this.seqDelta[k] = m.seq - this.seq;
    this.seq = m.seq;
    this.type[k] = type;
    this.count[k] = m.n;
    if (by >= 0) this.by[this.sent++] = by;
    if (m.t !== undefined) {
      const dot = m.t.indexOf('.');
      const sec = Number(m.t.slice(0, dot));
      const usec = Number(m.t.slice(dot + 1));
      this.secDelta[this.timed] = sec - this.sec;
      this.usecDelta[this.timed++] = usec - this.usec;
      this.sec = sec;
      this.usec = usec;
    }
    if (this.n === MOMENT_CHUNK) this.flush(w);
  }

  /** Writes the moments not yet written as one chunk (none: nothing). */
  flush(w: ByteWriter): void {
    if (this.n === 0) return;
    w.uint(this.n);
    writeRuns(w, this.flags, this.n, false);
    writeRuns(w, this.seqDelta, this.n, true);
    writeRuns(w, this.type, this.n, false);
    writeRuns(w, this.count, this.n, false);
    writeRuns(w, this.by, this.sent, false);
    writeRuns(w, this.secDelta, this.timed, true);
    writeRuns(w, this.usecDelta, this.timed, true);
    this.n = 0;
    this.sent = 0;
    this.timed = 0;
  }
}

/** Interns events as objects (templates and others) and writes their records. */
export class EventPacker {
  private readonly shapes = new Map<string, { index: number; template: RouteNewEvent | RouteDelEvent }>();
  private objects = 0;

  /** Writes the event's record; returns the object line to add when it made a new object. */
  write(w: ByteWriter, e: FibEvent): string | null {
    if ((e.type === 'route-new' || e.type === 'route-del') && e.cfg.dst >>> 0 === e.cfg.dst && (e.cfg.plen & 63) === e.cfg.plen) {
      const key = routeShapeKey(e);
      if (key !== null) {
        let s = this.shapes.get(key);
        let line: string | null = null;
        if (s === undefined) {
          s = { index: this.objects++, template: e };
          this.shapes.set(key, s);
          line = encodeLogLine({ seq: s.index + 1, event: e });
        }
        w.uint(s.index * 2 + 1);
        w.u32(e.cfg.dst);
        w.byte(e.cfg.plen);
        return line;
      }
    }
    const index = this.objects++;
    w.uint(index * 2);
    return encodeLogLine({ seq: index + 1, event: e });
  }
}

/** The moments of a page, as columns (index k: moment k+1, i.e. state k+1). */
export interface MomentColumns {
  readonly count: number;
  readonly seq: Int32Array;
  /**
   * Per state (count + 1 entries; state k+1 is moment k, state 0 has none): µs since the
   * first time stamp of the trace, NaN without one. Exact: integers below 2^53.
   */
  readonly usec: Float64Array;
  /** The first time stamp (its second and µs), or null when no moment has one. */
  readonly origin: { readonly sec: number; readonly usec: number } | null;
  /** Moments with a time stamp. */
  readonly timed: number;
  /** The latest of `usec` (0 without times): times go up in steps, so the ends of each step. */
  readonly latest: number;
  readonly type: Int32Array;
  /** -1: no sender. */
  readonly by: Int32Array;
  readonly role: Uint8Array;
  /** start[k]..start[k+1]: the events of moment k (count + 1 entries). */
  readonly start: Int32Array;
}

/** No moments. */
export function emptyMoments(): MomentColumns {
  return { count: 0, seq: new Int32Array(0), usec: new Float64Array(1).fill(NaN), origin: null, timed: 0, latest: 0, type: new Int32Array(0), by: new Int32Array(0), role: new Uint8Array(0), start: new Int32Array(1) };
}

/** One column's runs: values and lengths (a run past the column's end is damage). */
function readRuns(r: ByteReader, n: number, signed: boolean, what: string): { values: number[]; runs: number[] } {
  const values: number[] = [];
  const runs: number[] = [];
  let i = 0;
  while (i < n) {
    values.push(signed ? r.int() : r.uint());
    const run = r.uint();
    if (run === 0 || i + run > n) throw new RangeError(`the ${what} column has a run of ${run} where ${n - i} moments are left`);
    runs.push(run);
    i += run;
  }
  return { values, runs };
}

/**
 * Reads `count` moments (chunks of columns); a message names the first bad chunk. Runs are
 * filled at once, and the loops that remain touch each moment once (the page reads a
 * million moments before it is drawn).
 */
export function readMoments(bytes: Uint8Array, count: number): MomentColumns | string {
  const r = new ByteReader(bytes);
  const seq = new Int32Array(count);
  const usec = new Float64Array(count + 1);
  usec[0] = NaN;
  const type = new Int32Array(count);
  const by = new Int32Array(count);
  const role = new Uint8Array(count);
  const start = new Int32Array(count + 1);
  // Per chunk: the moments (indexes in the chunk) that have a sender, a time.
  const sentAt = new Int32Array(Math.min(count, MOMENT_CHUNK));
  const timedAt = new Int32Array(Math.min(count, MOMENT_CHUNK));
  let s = 0;
  let e = 0;
  let off = 0;
  let latest = 0;
  let origin: { sec: number; usec: number } | null = null;
  let timedAll = 0;
  let k = 0;
  try {
    while (k < count) {
      const n = r.uint();
      if (n === 0 || n > MOMENT_CHUNK || k + n > count) throw new RangeError(`a chunk of ${n} moments where ${count - k} are left (at most ${MOMENT_CHUNK} a chunk)`);
      let timed = 0;
      let sent = 0;
      const flags = readRuns(r, n, false, 'flags');
      for (let j = 0, i = 0; j < flags.runs.length; j++) {
        const v = flags.values[j] as number;
        const end = i + (flags.runs[j] as number);
        if (v > 15) throw new RangeError(`flags ${v}: expected at most 15`);
        role.fill(v >> 2, k + i, k + end);
        if ((v & 2) === 0) by.fill(-1, k + i, k + end);
        else for (let x = i; x < end; x++) sentAt[sent++] = x;
        if ((v & 1) === 0) usec.fill(NaN, k + i + 1, k + end + 1);
        else for (let x = i; x < end; x++) timedAt[timed++] = x;
        i = end;
      }
      const seqs = readRuns(r, n, true, 'seq');
      for (let j = 0, i = k; j < seqs.runs.length; j++) {
        const v = seqs.values[j] as number;
        for (const end = i + (seqs.runs[j] as number); i < end; i++) seq[i] = s += v;
      }
      const types = readRuns(r, n, false, 'type');
      for (let j = 0, i = k; j < types.runs.length; j++) type.fill(types.values[j] as number, i, (i += types.runs[j] as number));
      const counts = readRuns(r, n, false, 'event count');
      for (let j = 0, i = k; j < counts.runs.length; j++) {
        const v = counts.values[j] as number;
        for (const end = i + (counts.runs[j] as number); i < end; i++) start[i + 1] = e += v;
      }
      const senders = readRuns(r, sent, false, 'sender');
      for (let j = 0, x = 0; j < senders.runs.length; j++) {
        const v = senders.values[j] as number;
        for (const end = x + (senders.runs[j] as number); x < end; x++) by[k + (sentAt[x] as number)] = v;
      }
      const secs = readRuns(r, timed, true, 'sec');
      const usecs = readRuns(r, timed, true, 'usec');
      // Two columns of runs walked together, a stretch at a time where neither changes: each
      // moment's (sec, usec) as µs since the first time stamp, `off` going up by `step`.
      let js = 0;
      let ju = 0;
      let leftS = 0;
      let leftU = 0;
      for (let x = 0; x < timed; ) {
        if (leftS === 0) leftS = secs.runs[js++] as number;
        if (leftU === 0) leftU = usecs.runs[ju++] as number;
        const ds = secs.values[js - 1] as number;
        const du = usecs.values[ju - 1] as number;
        // The first time stamp is the first steps themselves (from 0): µs 0 from there.
        if (origin === null) {
          origin = { sec: ds, usec: du };
          off = -(ds * 1e6 + du);
        }
        const len = Math.min(leftS, leftU);
        const step = ds * 1e6 + du;
        // A stretch goes one way: its ends bound it. Beyond 2^53 µs a double is no longer exact.
        const last = off + step * len;
        if (!Number.isSafeInteger(last) || !Number.isSafeInteger(off + step)) throw new RangeError(`a time stamp ${Math.round(last / 1e6)} s from the first: beyond exact microseconds`);
        if (off + step > latest) latest = off + step;
        if (last > latest) latest = last;
        for (const end = x + len; x < end; x++) usec[k + (timedAt[x] as number) + 1] = off += step;
        leftS -= len;
        leftU -= len;
      }
      timedAll += timed;
      k += n;
    }
  } catch (err) {
    return `moments ${k + 1} and on (of ${count}): ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!r.done) return `the moment records go on after the ${count} moments the data names`;
  return { count, seq, usec, origin, timed: timedAll, latest, type, by, role, start };
}

/** "sec.usec" of moment k, or undefined (from the first time stamp and the µs since it). */
export function momentTime(c: MomentColumns, k: number): string | undefined {
  const u = c.usec[k + 1] as number;
  if (Number.isNaN(u) || c.origin === null) return undefined;
  const total = c.origin.usec + u;
  const sec = Math.floor(total / 1e6);
  return `${c.origin.sec + sec}.${String(total - sec * 1e6).padStart(6, '0')}`;
}

export function momentRole(c: MomentColumns, k: number): MomentRole {
  return ROLES[c.role[k] as number] as MomentRole;
}

/**
 * The events of a page: their records read into columns, their objects parsed when first
 * needed (a trace of a million route events has a handful of templates).
 */
export class PagedEvents {
  readonly count: number;
  private readonly obj: Int32Array;
  private readonly dst: Uint32Array;
  /** -1: the object whole. */
  private readonly plen: Int8Array;
  private lines: Int32Array | null = null;
  private readonly parsed = new Map<number, FibEvent>();

  private constructor(count: number, obj: Int32Array, dst: Uint32Array, plen: Int8Array, private readonly objects: string) {
    this.count = count;
    this.obj = obj;
    this.dst = dst;
    this.plen = plen;
  }

  /** Reads the event records; a message names the first bad one. */
  static read(bytes: Uint8Array, count: number, objects: string): PagedEvents | string {
    const r = new ByteReader(bytes);
    const obj = new Int32Array(count);
    const dst = new Uint32Array(count);
    const plen = new Int8Array(count);
    let k = 0;
    try {
      for (; k < count; k++) {
        const x = r.uint();
        obj[k] = Math.floor(x / 2);
        if (x % 2 === 1) {
          dst[k] = r.u32();
          plen[k] = r.byte();
        } else plen[k] = -1;
      }
    } catch (e) {
      return `event record ${k + 1} of ${count}: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!r.done) return `the event records go on after the ${count} events the data names`;
    return new PagedEvents(count, obj, dst, plen, objects);
  }

  private object(i: number): FibEvent {
    const hit = this.parsed.get(i);
    if (hit !== undefined) return hit;
    if (this.lines === null) {
      const starts: number[] = [0];
      for (let p = this.objects.indexOf('\n'); p >= 0; p = this.objects.indexOf('\n', p + 1)) starts.push(p + 1);
      this.lines = Int32Array.from(starts);
    }
    const from = this.lines[i];
    const to = this.lines[i + 1];
    if (from === undefined || to === undefined) throw new Error(`the embedded objects end before object ${i + 1}`);
    // Object i is written as the log line of seq i + 1 (encodeLogLine), checked as the log reader checks a line.
    const d = decodeLogLine(new TextEncoder().encode(this.objects.slice(from, to).replace(/\n$/, '')), i + 1);
    if ('message' in d) throw new Error(`embedded object ${i + 1}: ${d.message}`);
    this.parsed.set(i, d.event);
    return d.event;
  }

  /** Event k (0-based), equal to the one the replay applied. */
  event(k: number): FibEvent {
    const o = this.object(this.obj[k] as number);
    const plen = this.plen[k] as number;
    if (plen < 0) return o;
    const t = o as RouteNewEvent | RouteDelEvent;
    const dst = this.dst[k] as number;
    if (t.cfg.dst === dst && t.cfg.plen === plen) return t;
    return t.type === 'route-new' ? { type: 'route-new', op: t.op, cfg: { ...t.cfg, dst, plen } } : { type: 'route-del', cfg: { ...t.cfg, dst, plen } };
  }

  /** Events [from, to). */
  range(from: number, to: number): FibEvent[] {
    const out: FibEvent[] = [];
    for (let k = from; k < to && k < this.count; k++) out.push(this.event(k));
    return out;
  }
}
