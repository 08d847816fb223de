// A streaming reader of the file `rtmon file F` writes: bytes in, records of
// netlink-records.ts out, in bounded memory, never throwing.
//
// Mirrors rtnl_from_file() of iproute2 6.1 (lib/libnetlink.c), which `ip monitor file` uses: read
// a 16-byte nlmsghdr, check nlmsg_len, read NLMSG_ALIGN(nlmsg_len) bytes, dispatch on the type
// (accept_msg() in ip/ipmonitor.c; NLMSG_TSTAMP is print_nlmsg_timestamp()). The file layout
// (a stamp, the link dump, then a stamp before each notification) is rtmon's (ip/rtmon.c); see
// ../shared/formats/README.md section 1 and its reading algorithm in 2.9.
//
// | situation                                   | strict (default)         | lenient                        |
// | ------------------------------------------- | ------------------------ | ------------------------------ |
// | IPv6, neighbour, AF_BRIDGE, qdisc, ... msgs | skipped and counted      | same                           |
// | unknown attribute type                      | skipped by length        | same                           |
// | malformed message (short fixed header, attribute overflowing, wrong-size payload, unknown message type) | error, stop | error value (fatal: false), skip the message by nlmsg_len |
// | nlmsg_len < 16 or > maxMessageBytes         | error, stop              | error value, scan on for the next NLMSG_TSTAMP header |
// | file ends mid-header or mid-message         | error at the end         | same (not fatal)               |
// | wrong byte order (big-endian file read as little, or the reverse) | error, stop | error, stop      |
//
// Divergence: rtnl_from_file() aborts on the first bad header and accepts any message length up
// to its buffer; here faults carry byte offsets, and `maxMessageBytes` bounds memory instead.
//
// decodeRtmon (a whole file) and rtmonRecords (RxJS) are in rtmon-records.ts.

import { nlmsgTypeName } from './netlink-records.js';
import { NLM_F_MULTI, NLMSG_TSTAMP } from '../uapi/netlink.js';
import { RTM_MAX } from '../uapi/rtnetlink.js';
import type { Timestamp, TraceError, TraceRecord, TraceStats } from './netlink-records.js';
import { align4, isDecodeFailure, type FrameMeta } from './_rtnl-attrs.js';
import { decodeRecord, locateCut } from './_rtnl-decode.js';
import { PendingBytes } from './pending-bytes.js';

/** Options of the rtmon reader. */
export interface RtmonOptions {
  /** Name used in error messages (the reader opens nothing). */
  readonly file?: string;
  /** Skip bad records, count them and go on; default false: stop at the first fault. */
  readonly lenient?: boolean;
  /** Byte order of the capturing host: 'little' (default; every fixture), 'big', or 'auto'. */
  readonly endian?: 'little' | 'big' | 'auto';
  /** Largest nlmsg_len accepted; bounds the memory of the reader. Default 1 MiB. */
  readonly maxMessageBytes?: number;
  /** Also deliver a `skipped` record for every message not modelled; default false (counted only). */
  readonly emitSkipped?: boolean;
  /**
   * Deliver a `timestamp` record for each NLMSG_TSTAMP (default true). Every record carries
   * its time stamp anyway (`time`); a replay turns these off (one object per notification).
   */
  readonly emitTimestamps?: boolean;
}

const HDR = 16;
const DEFAULT_MAX_MESSAGE = 1 << 20;

/** Whether a header looks like one rtmon writes: a sane length and a netlink or rtnetlink type. */
function plausibleHeader(len: number, type: number, max: number): boolean {
  return len >= HDR && len <= max && (type === NLMSG_TSTAMP || (type >= 1 && type <= 4) || (type >= 16 && type <= RTM_MAX));
}

/**
 * An incremental rtmon decoder: feed chunks of any size, get the records completed so far.
 *
 * Example:
 * ```ts
 * const d = new RtmonDecoder({ file: 'trace.rtmon' });
 * const records = [...d.push(chunk1), ...d.push(chunk2), ...d.finish()];
 * // records ends with { kind: 'end', stats }
 * ```
 *
 * 1. Append the chunk to at most one incomplete record kept from before (bounded by
 *    maxMessageBytes + 16 bytes), or read it in place when nothing is pending.
 * 2. For each complete record: check the header, decode it (`_rtnl-decode.ts`), attach the
 *    latest time stamp and the dump flag, deliver it; skip its padding.
 * 3. On a fault: deliver an error value; stop (strict), or skip the record and go on (lenient).
 * 4. `finish()` reports a cut tail and delivers the `end` record with the totals.
 */
export class RtmonDecoder {
  private readonly file: string | undefined;
  private readonly lenient: boolean;
  private readonly endianMode: 'little' | 'big' | 'auto';
  private readonly max: number;
  private readonly emitSkipped: boolean;
  private readonly emitTimestamps: boolean;

  private le: boolean | undefined;
  private readonly pending = new PendingBytes();
  /** Absolute offset of the next unread byte. */
  private pos = 0;
  private received = 0;
  private padToSkip = 0;
  private resyncing = false;
  private halted = false;
  private finished = false;
  private time: Timestamp | undefined;
  private stamps = 0;
  private readonly counts = new Map<string, number>();
  private runKind: string | null = null;
  private runCount = 0;
  private readonly skippedCounts: Record<string, number> = {};
  private errors = 0;
  private readonly meta: { -readonly [K in keyof FrameMeta]: FrameMeta[K] } = { offset: 0, nlmsgType: 0, nlmsgFlags: 0, nlmsgSeq: 0, nlmsgPid: 0, dump: false };

  constructor(options: RtmonOptions = {}) {
    this.file = options.file;
    this.lenient = options.lenient ?? false;
    this.endianMode = options.endian ?? 'little';
    this.max = Math.max(HDR, options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE);
    this.emitSkipped = options.emitSkipped ?? false;
    this.emitTimestamps = options.emitTimestamps ?? true;
    if (this.endianMode !== 'auto') this.le = this.endianMode === 'little';
  }

  /** True once a fatal error stopped the reader; later input is ignored. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Decodes what `chunk` completes; returns the records in file order. */
  push(chunk: Uint8Array): TraceRecord[] {
    const out: TraceRecord[] = [];
    if (this.halted || this.finished) return out;
    this.received += chunk.length;
    const p = this.pending;
    // A record the last chunk cut is completed first, with only the bytes it lacks (the
    // rest of the chunk is then read in place, not copied behind it).
    let at = 0;
    while (p.length > 0 && at < chunk.length && !this.halted) {
      const take = Math.min(chunk.length - at, this.pendingNeeds());
      p.append(chunk.subarray(at, at + take));
      at += take;
      p.start = this.parse(p.buf, p.start, p.end, out);
    }
    if (this.halted) p.start = p.end;
    else if (p.length === 0 && at < chunk.length) {
      const used = this.parse(chunk, at, chunk.length, out);
      if (!this.halted) p.keep(chunk.subarray(used));
    }
    p.shrink();
    return out;
  }

  /**
   * How many more bytes the pending record needs to be complete: the rest of its header,
   * then the rest of its nlmsg_len. Unbounded when that is not known (resynchronising, the
   * byte order not yet decided, a length the parser will refuse): the whole chunk then.
   */
  private pendingNeeds(): number {
    const p = this.pending;
    if (this.resyncing || this.le === undefined || this.pos === 0) return Infinity;
    if (p.length < HDR) return HDR - p.length;
    const len = new DataView(p.buf.buffer, p.buf.byteOffset + p.start, 4).getUint32(0, this.le);
    if (len < HDR || len > this.max || len <= p.length) return Infinity;
    return len - p.length;
  }

  /** Ends the input: reports a record cut by the end of the file, then the `end` record. */
  finish(): TraceRecord[] {
    const out: TraceRecord[] = [];
    if (this.finished) return out;
    this.finished = true;
    const left = this.pending.length;
    if (this.resyncing && left > 0) this.skipBytes(left);
    if (!this.halted && !this.resyncing && left > 0) {
      const tail = this.pending.view();
      if (left < HDR) {
        this.fault(out, {
          offset: this.pos,
          expected: 'a 16-byte netlink header',
          problem: `netlink header: the file ends after ${left} of its 16 bytes`,
        }, !this.lenient);
      } else {
        const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
        const le = this.le ?? true;
        const len = view.getUint32(0, le);
        const type = view.getUint16(4, le);
        const cut = locateCut(tail, le, type);
        this.fault(out, {
          offset: this.pos + cut.at,
          recordOffset: this.pos,
          msgType: type,
          expected: `${len} bytes of ${nlmsgTypeName(type)} (nlmsg_len)`,
          problem: `${nlmsgTypeName(type)} at byte ${this.pos}: nlmsg_len ${len} runs past the end of the file, only ${left} bytes remain; the file was cut inside ${cut.what}`,
        }, !this.lenient);
      }
      this.pos += left;
    }
    this.pending.clear();
    out.push({ kind: 'end', offset: this.received, stats: this.stats() });
    return out;
  }

  /** Totals so far. */
  stats(): TraceStats {
    return {
      consumed: this.pos,
      records: Object.fromEntries([...this.flushedCounts()].map(([k, n]) => [k, k === 'timestamp' ? this.stamps : n])),
      skipped: { ...this.skippedCounts },
      errors: this.errors,
      stopped: this.halted,
    };
  }

  /** The counts by kind, the current run included. */
  private flushedCounts(): Map<string, number> {
    this.flushRun();
    return this.counts;
  }

  private skipBytes(n: number): void {
    const k = 'bytes skipped to resynchronise';
    this.skippedCounts[k] = (this.skippedCounts[k] ?? 0) + n;
  }

  /**
   * Counts a record of a kind. Runs of one kind (a table load is a million route records)
   * are counted in `runKind`/`runCount` and added to the map when the kind changes or the
   * totals are read: a map update per record was a few percent of the reader.
   */
  private count(kind: string): void {
    if (kind === this.runKind) {
      this.runCount++;
      return;
    }
    this.flushRun();
    // The map keeps the kinds in the order they first came.
    if (!this.counts.has(kind)) this.counts.set(kind, 0);
    this.runKind = kind;
    this.runCount = 1;
  }

  private flushRun(): void {
    if (this.runKind === null) return;
    this.counts.set(this.runKind, (this.counts.get(this.runKind) ?? 0) + this.runCount);
    this.runKind = null;
    this.runCount = 0;
  }

  private skip(out: TraceRecord[], reason: string, offset: number, nlmsgType: number): void {
    this.skippedCounts[reason] = (this.skippedCounts[reason] ?? 0) + 1;
    if (this.emitSkipped) out.push({ kind: 'skipped', offset, nlmsgType, reason });
  }

  private fault(
    out: TraceRecord[],
    f: { offset: number; recordOffset?: number; msgType?: number; expected: string; problem: string },
    fatal: boolean,
  ): void {
    const prefix = this.file === undefined ? '' : `${this.file}: `;
    const e: { -readonly [K in keyof TraceError]: TraceError[K] } = {
      kind: 'error',
      offset: f.offset,
      expected: f.expected,
      message: `${prefix}byte ${f.offset}: ${f.problem}`,
      fatal,
    };
    if (f.recordOffset !== undefined && f.recordOffset !== f.offset) e.recordOffset = f.recordOffset;
    if (f.msgType !== undefined) e.msgType = f.msgType;
    out.push(e);
    this.errors++;
    if (fatal) this.halted = true;
  }

  /** Parses complete records in data[from, to); returns the index of the first unused byte. */
  private parse(data: Uint8Array, from: number, to: number, out: TraceRecord[]): number {
    let i = from;
    // One view over the chunk: records are read at their offsets, without a view or a
    // subarray each.
    const whole = new DataView(data.buffer, data.byteOffset, data.byteLength);
    while (!this.halted) {
      if (this.padToSkip > 0) {
        const k = Math.min(this.padToSkip, to - i);
        i += k;
        this.pos += k;
        this.padToSkip -= k;
        if (this.padToSkip > 0) break;
        continue;
      }
      if (to - i < HDR) break;
      if (this.le === undefined || this.pos === 0) {
        if (!this.checkEndian(new DataView(data.buffer, data.byteOffset + i, HDR), out)) break;
      }
      const le = this.le ?? true;
      if (this.resyncing) {
        if (this.isStampHeader(whole, i, le)) {
          this.resyncing = false;
        } else {
          i += 4;
          this.pos += 4;
          this.skipBytes(4);
          continue;
        }
      }
      const len = whole.getUint32(i, le);
      const type = whole.getUint16(i + 4, le);
      if (len < HDR || len > this.max) {
        this.fault(out, {
          offset: this.pos,
          msgType: type,
          expected: len < HDR ? 'nlmsg_len >= 16' : `nlmsg_len <= ${this.max} (maxMessageBytes)`,
          problem: len < HDR
            ? `netlink header: nlmsg_len ${len} is smaller than the 16-byte header`
            : `netlink header: nlmsg_len ${len} exceeds the limit of ${this.max} bytes (maxMessageBytes)`,
        }, !this.lenient);
        if (this.halted) break;
        // Lenient: look for the next time-stamp record, which rtmon puts before every notification.
        this.resyncing = true;
        i += 4;
        this.pos += 4;
        this.skipBytes(4);
        continue;
      }
      if (to - i < len) break;
      this.record(data, whole, i, len, type, le, out);
      if (this.halted) break;
      i += len;
      this.pos += len;
      this.padToSkip = align4(len) - len;
    }
    return i;
  }

  private isStampHeader(view: DataView, at: number, le: boolean): boolean {
    return view.getUint32(at, le) === 24 && view.getUint16(at + 4, le) === NLMSG_TSTAMP &&
      view.getUint16(at + 6, le) === 0 && view.getUint32(at + 8, le) === 0 && view.getUint32(at + 12, le) === 0;
  }

  /** Decides or checks the byte order on the first header. Returns false when it stopped. */
  private checkEndian(view: DataView, out: TraceRecord[]): boolean {
    const lenLE = view.getUint32(0, true);
    const lenBE = view.getUint32(0, false);
    const okLE = plausibleHeader(lenLE, view.getUint16(4, true), this.max);
    const okBE = plausibleHeader(lenBE, view.getUint16(4, false), this.max);
    if (this.endianMode === 'auto') {
      this.le = !(okBE && !okLE);
      return true;
    }
    const wantLE = this.endianMode === 'little';
    if (wantLE && !okLE && okBE) {
      this.wrongEndian(out, 'big', lenLE, lenBE, view.getUint16(4, false));
      return false;
    }
    if (!wantLE && !okBE && okLE) {
      this.wrongEndian(out, 'little', lenBE, lenLE, view.getUint16(4, true));
      return false;
    }
    return true;
  }

  private wrongEndian(out: TraceRecord[], actual: 'big' | 'little', asRead: number, asOther: number, type: number): void {
    const assumed = actual === 'big' ? 'little' : 'big';
    this.fault(out, {
      offset: 0,
      msgType: type,
      expected: `a ${assumed}-endian capture`,
      problem: `the file is ${actual}-endian: its first nlmsg_len reads ${asRead} as ${assumed}-endian but ${asOther} as ${actual}-endian (type ${type}, ${nlmsgTypeName(type)}); rtmon writes the capturing host's byte order, so read it with endian '${actual}' or 'auto'`,
    }, true);
  }

  /** One record: the `len` bytes at `at` of `data` (`view` is over the whole of `data`). */
  private record(data: Uint8Array, view: DataView, at: number, len: number, type: number, le: boolean, out: TraceRecord[]): void {
    const offset = this.pos;
    const flags = view.getUint16(at + 6, le);
    if (type === NLMSG_TSTAMP) {
      if (len !== 24) {
        this.fault(out, { offset, msgType: type, expected: 'nlmsg_len 24 for NLMSG_TSTAMP', problem: `NLMSG_TSTAMP has nlmsg_len ${len}, expected 24 (16-byte header + u32 sec + u32 usec)` }, !this.lenient);
        return;
      }
      const sec = view.getUint32(at + 16, le);
      const usec = view.getUint32(at + 20, le);
      if (usec > 999999) {
        this.fault(out, { offset: offset + 20, recordOffset: offset, msgType: type, expected: 'microseconds 0..999999', problem: `NLMSG_TSTAMP at byte ${offset} has ${usec} microseconds, expected 0..999999` }, !this.lenient);
        return;
      }
      this.time = { sec, usec };
      this.stamps++;
      // Counted by `stamps` (every notification has one); the Map only keeps the kinds' order.
      if (this.stamps === 1) this.counts.set('timestamp', 0);
      if (this.emitTimestamps) out.push({ kind: 'timestamp', offset, sec, usec });
      return;
    }
    if (type >= 1 && type <= 4) {
      // NLMSG_NOOP/ERROR/DONE/OVERRUN: ignored, as accept_msg() does.
      this.skip(out, nlmsgTypeName(type), offset, type);
      return;
    }
    if (type < 16 || type > RTM_MAX) {
      this.fault(out, {
        offset,
        msgType: type,
        expected: `NLMSG_TSTAMP (15) or an rtnetlink type (16..${RTM_MAX})`,
        problem: `unknown message type ${type} (nlmsg_len ${len}): expected NLMSG_TSTAMP (15) or an rtnetlink type (16..${RTM_MAX})`,
      }, !this.lenient);
      return;
    }
    // One header object for every record: the decoders copy its fields into the record.
    const meta = this.meta;
    meta.offset = offset;
    meta.nlmsgType = type;
    meta.nlmsgFlags = flags;
    meta.nlmsgSeq = view.getUint32(at + 8, le);
    meta.nlmsgPid = view.getUint32(at + 12, le);
    meta.dump = this.stamps <= 1 || (flags & NLM_F_MULTI) !== 0;
    // Once set, the time stamp is never unset (each later NLMSG_TSTAMP replaces it).
    if (this.time !== undefined) meta.time = this.time;
    const r = decodeRecord(data, le, meta, at, len, view);
    if (!isDecodeFailure(r)) {
      this.count(r.kind);
      out.push(r);
    } else if (r.ok === 'skip') {
      this.skip(out, r.reason, offset, type);
    } else {
      this.fault(out, {
        offset: offset + r.fault.at,
        recordOffset: offset,
        msgType: type,
        expected: r.fault.expected,
        problem: `${nlmsgTypeName(type)} at byte ${offset}: ${r.fault.problem}`,
      }, !this.lenient);
    }
  }
}
