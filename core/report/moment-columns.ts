// The packed records of a report page (report-data.ts) and their columns once read: a
// moment record per notification and an event record per applied event, written by the
// recorder (report-recorder.ts) as the replay goes and read once by the page when it opens.
//
// | record | fields (varints, ByteWriter)                                               |
// | ------ | -------------------------------------------------------------------------- |
// | moment | flags (bit0: a time, bit1: a sender, bits 2-3: the role), seq − previous   |
// |        | seq (zigzag), type index, sender index (if bit1), n, and with a time: sec − |
// |        | previous sec (zigzag) and usec                                              |
// | event  | object index × 2 + packed; packed: dst (4 bytes) and plen (1 byte)          |
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

/** What the writer remembers between moment records (the deltas' bases). */
export interface MomentCursor {
  seq: number;
  sec: number;
}

/** Writes one moment record; `type` and `by` are indexes into the data's tables (by: -1 none). */
export function writeMoment(w: ByteWriter, c: MomentCursor, m: ReportMoment, type: number, by: number): void {
  const dot = m.t === undefined ? -1 : m.t.indexOf('.');
  w.uint((m.t !== undefined ? 1 : 0) | (by >= 0 ? 2 : 0) | (ROLES.indexOf(m.role) << 2));
  w.int(m.seq - c.seq);
  c.seq = m.seq;
  w.uint(type);
  if (by >= 0) w.uint(by);
  w.uint(m.n);
  if (m.t !== undefined) {
    const sec = Number(m.t.slice(0, dot));
    w.int(sec - c.sec);
    c.sec = sec;
    w.uint(Number(m.t.slice(dot + 1)));
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
  /** Seconds of the time stamp; NaN without one. */
  readonly sec: Float64Array;
  readonly usec: Int32Array;
  readonly type: Int32Array;
  /** -1: no sender. */
  readonly by: Int32Array;
  readonly role: Uint8Array;
  /** start[k]..start[k+1]: the events of moment k (count + 1 entries). */
  readonly start: Int32Array;
}

/** Reads `count` moment records; a message names the first bad one. */
export function readMoments(bytes: Uint8Array, count: number): MomentColumns | string {
  const r = new ByteReader(bytes);
  const seq = new Int32Array(count);
  const sec = new Float64Array(count);
  const usec = new Int32Array(count);
  const type = new Int32Array(count);
  const by = new Int32Array(count);
  const role = new Uint8Array(count);
  const start = new Int32Array(count + 1);
  let s = 0;
  let t = 0;
  let k = 0;
  try {
    for (; k < count; k++) {
      const flags = r.uint();
      s += r.int();
      seq[k] = s;
      type[k] = r.uint();
      by[k] = (flags & 2) !== 0 ? r.uint() : -1;
      start[k + 1] = (start[k] as number) + r.uint();
      role[k] = (flags >> 2) & 3;
      if ((flags & 1) !== 0) {
        t += r.int();
        sec[k] = t;
        usec[k] = r.uint();
      } else sec[k] = NaN;
    }
  } catch (e) {
    return `moment record ${k + 1} of ${count}: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!r.done) return `the moment records go on after the ${count} moments the data names`;
  return { count, seq, sec, usec, type, by, role, start };
}

/** "sec.usec" of moment k, or undefined. */
export function momentTime(c: MomentColumns, k: number): string | undefined {
  const sec = c.sec[k] as number;
  return Number.isNaN(sec) ? undefined : `${sec}.${String(c.usec[k]).padStart(6, '0')}`;
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
