// A streaming reader of `ip monitor` text (iproute2 6.1): lines in, the records of
// netlink-records.ts out, as far as the text carries them; never throws.
//
// Reverses the printers `ip monitor` calls from accept_msg() (ip/ipmonitor.c): print_linkinfo()
// and print_addrinfo() (ip/ipaddress.c), print_route() / print_rta_multipath() (ip/iproute.c),
// print_rule() (ip/iprule.c), print_netconf() (ip/ipnetconf.c), __print_nexthop_entry()
// (ip/ipnexthop.c), and the time stamps of print_timestamp() / print_nlmsg_timestamp()
// (lib/utils.c). Grammar: ../shared/formats/README.md section 3.
//
// | input                                   | handled as                                              |
// | --------------------------------------- | ------------------------------------------------------- |
// | `[2026-11-21T04:51:04.782905] ` (-ts)   | a `timestamp` record, then the record                   |
// | `Timestamp: Sat Nov 21 ... 658259 usec` (-t; `us` from `ip monitor file`) | a `timestamp` record |
// | `[LINK]` `[ADDR]` `[ROUTE]` `[RULE]` `[NETCONF]` `[NEXTHOP]` (or no label) | parsed      |
// | `[NEIGH]` `[MROUTE]` `[PREFIX]` `[NSID]` `[ADDRLABEL]` `[NEXTHOPBUCKET]` `[STATS]`, IPv6 | skipped, counted |
// | `[LINK]` records without `group` (AF_BRIDGE / AF_INET6 link messages) | skipped, counted |
// | lines starting with a space or TAB      | continuation of the record above                        |
// | anything else that does not parse       | error value naming the line (lenient: skipped, counted) |
//
// What the text cannot give (see ../shared/formats/README.md 3.5): ifindexes of route, nexthop
// and netconf devices (names are recorded in `dev` / `devName`, the replayer resolves them),
// nlmsg flags/seq/pid, ifi_change, IFLA_CARRIER, link kinds, sysctl values, and numbers that the
// printing host named through its own /etc/iproute2 tables (pass them as `names`).
//
// This file splits the text into records and time stamps; each record kind has its parser in
// a file named after the iproute2 printer it reverses: ip-monitor-ipaddress.ts ([LINK], [ADDR]),
// ip-monitor-iproute.ts, ip-monitor-iprule.ts, ip-monitor-ipnetconf.ts, ip-monitor-ipnexthop.ts.

import { decoded, type OperatorFunction } from '../stream/rx.js';
import type { NetlinkRecord, Op, Timestamp, TraceError, TraceRecord, TraceStats } from './netlink-records.js';
import type { Iproute2Names } from '../uapi/rt-names.js';
import { type Ctx, Skip, TextFault, clip } from './_ip-monitor-text.js';
import { parseAddr, parseLink } from './ip-monitor-ipaddress.js';
import { parseRoute } from './ip-monitor-iproute.js';
import { parseRule } from './ip-monitor-iprule.js';
import { parseNetconf } from './ip-monitor-ipnetconf.js';
import { parseNexthop } from './ip-monitor-ipnexthop.js';
import { SGR_ESCAPE } from './trace-format.js';

/** Options of the `ip monitor` reader. */
export interface IpMonitorOptions {
  /** Name used in error messages (the reader opens nothing). */
  readonly file?: string;
  /** Skip bad records, count them and go on; default false: stop at the first. */
  readonly lenient?: boolean;
  /**
   * Offset of the printing host's local time from UTC in minutes: `-t` and `-ts` print local
   * time without a zone. Default 0 (the fixtures were captured in UTC).
   */
  readonly utcOffsetMinutes?: number;
  /** The printing host's extra name tables (rt_tables, rt_protos ...). */
  readonly names?: Iproute2Names;
  /** Also deliver a `skipped` record for every record not modelled; default false. */
  readonly emitSkipped?: boolean;
  /** Longest line accepted (bounds memory); default 65536 characters. */
  readonly maxLineLength?: number;
  /** Most continuation lines of one record (bounds memory); default 10000. */
  readonly maxRecordLines?: number;
}

interface PendingRecord {
  readonly line: number;
  readonly text: string;
  readonly cont: { readonly line: number; readonly text: string }[];
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

const PARSED_LABELS = new Set(['LINK', 'ADDR', 'ROUTE', 'RULE', 'NETCONF', 'NEXTHOP']);
const SKIPPED_LABELS = new Set(['NEIGH', 'MROUTE', 'PREFIX', 'NSID', 'ADDRLABEL', 'NEXTHOPBUCKET', 'STATS']);
/** `ip -o`'s line separator before a continuation: a backslash, then white space. */
const ONELINE_SEP = /\\(?=[ \t])/;
const NUD_STATES = new Set(['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT', 'NONE']);

/**
 * An incremental `ip monitor` decoder: feed text of any chunking, get the records completed.
 * A record is complete when the next record (or the end) begins, since continuation lines follow it.
 *
 * Example:
 * ```ts
 * const d = new IpMonitorDecoder({ file: 'monitor.txt' });
 * const records = [...d.push(text), ...d.finish()]; // ends with { kind: 'end', stats }
 * ```
 *
 * 1. Split the input into lines, keeping a partial last line (at most maxLineLength).
 * 2. Group a record's first line with the continuation lines that follow it.
 * 3. Strip `[time] `, `[nsid N]`, `[LABEL]` and `Deleted `, then parse by label (or by shape
 *    when the monitor printed no labels).
 * 4. On a fault: an error value; stop (strict) or skip the record (lenient).
 */
export class IpMonitorDecoder {
  private readonly file: string | undefined;
  private readonly lenient: boolean;
  private readonly utcOffset: number;
  private readonly names: Iproute2Names;
  private readonly emitSkipped: boolean;
  private readonly maxLine: number;
  private readonly maxLines: number;

  private partial = '';
  private discardingLongLine = false;
  private lineNo = 0;
  private pending: PendingRecord | undefined;
  private time: Timestamp | undefined;
  private halted = false;
  private finished = false;
  private readonly counts: Record<string, number> = {};
  private readonly skippedCounts: Record<string, number> = {};
  private errors = 0;

  constructor(options: IpMonitorOptions = {}) {
    this.file = options.file;
    this.lenient = options.lenient ?? false;
    this.utcOffset = (options.utcOffsetMinutes ?? 0) * 60;
    this.names = options.names ?? {};
    this.emitSkipped = options.emitSkipped ?? false;
    this.maxLine = options.maxLineLength ?? 65536;
    this.maxLines = options.maxRecordLines ?? 10000;
  }

  /** True once a fatal error stopped the reader; later input is ignored. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Reads a chunk of text; returns the records it completes. */
  push(text: string): TraceRecord[] {
    const out: TraceRecord[] = [];
    if (this.halted || this.finished) return out;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (this.discardingLongLine) {
        this.discardingLongLine = false;
        this.partial = '';
        continue;
      }
      const line = this.partial + piece;
      this.partial = '';
      this.onLine(line, out);
      if (this.halted) return out;
    }
    if (!this.discardingLongLine) this.partial += text.slice(start);
    if (this.partial.length > this.maxLine) {
      this.lineNo++;
      this.fault(out, new TextFault(this.lineNo, `a line of at most ${this.maxLine} characters`,
        `line is longer than ${this.maxLine} characters (maxLineLength)`));
      this.partial = '';
      this.discardingLongLine = true;
    }
    return out;
  }

  /** Ends the input: parses the last record and delivers the `end` record. */
  finish(): TraceRecord[] {
    const out: TraceRecord[] = [];
    if (this.finished) return out;
    this.finished = true;
    if (!this.halted && !this.discardingLongLine && this.partial.length > 0) this.cutLine(out);
    if (!this.halted) this.flush(out);
    out.push({ kind: 'end', line: this.lineNo, stats: this.stats() });
    return out;
  }

  /**
   * The input ended inside a line: `ip monitor` ends every line it prints with a newline
   * (print_nlmsg() and the printers of accept_msg() in ip/ipmonitor.c), so the log was cut
   * while it was written (the monitor killed mid-record, a copy of a growing file). The record
   * that line belongs to is cut, whatever it parses as (`\tnexthop via 10.0.0.1` without its
   * `dev`, a route without its other legs): a bad record, as a cut rtmon file's last message
   * is, not a record replayed as if whole. A record before it that the cut line does not
   * continue is complete (the next record had begun).
   */
  private cutLine(out: TraceRecord[]): void {
    const text = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    this.partial = '';
    this.lineNo++;
    if (text.trim() === '') return;
    const continues = text.startsWith(' ') || text.startsWith('\t');
    const first = continues ? this.pending?.line : undefined;
    if (continues) this.pending = undefined;
    else this.flush(out);
    if (this.halted) return;
    const what = first === undefined ? 'its record' : `the record of line ${first}`;
    this.fault(out, new TextFault(this.lineNo, 'a line ending in a newline',
      `the log ends inside a line, "${clip(text)}" (no newline after it: cut while it was written); ${what} is incomplete`));
  }

  /** Totals so far. */
  stats(): TraceStats {
    return {
      consumed: this.lineNo,
      records: { ...this.counts },
      skipped: { ...this.skippedCounts },
      errors: this.errors,
      stopped: this.halted,
    };
  }

  private onLine(raw: string, out: TraceRecord[]): void {
    this.lineNo++;
    const plain = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // `ip -c monitor`: colour escapes around words (color_fprintf(), lib/color.c); without
    // them the line is what `ip monitor` prints, character for character.
    const text = plain.includes('\x1b') ? plain.replace(SGR_ESCAPE, '') : plain;
    if (text.trim() === '') return;
    // `ip -o monitor` (oneline) prints a record's continuation lines on its first line, each
    // newline replaced by `\` (_SL_ in lib/utils.c, print_nl()): split them apart again. A
    // continuation always begins with white space (`\    link/ether`, `\\tnexthop via`).
    if (!text.startsWith(' ') && !text.startsWith('\t') && ONELINE_SEP.test(text)) {
      const [first, ...rest] = text.split(ONELINE_SEP);
      this.onRecordLine(first ?? '', out);
      for (const c of rest) {
        if (this.halted) return;
        if (c.trim() !== '') this.onRecordLine(c, out);
      }
      return;
    }
    this.onRecordLine(text, out);
  }

  private onRecordLine(text: string, out: TraceRecord[]): void {
    if (text.startsWith(' ') || text.startsWith('\t')) {
      if (this.pending === undefined) {
        this.fault(out, new TextFault(this.lineNo, 'a record line (continuation lines follow a record)',
          `continuation line without a record: "${clip(text)}"`));
        return;
      }
      if (this.pending.cont.length >= this.maxLines) {
        const first = this.pending.line;
        this.pending = undefined;
        this.fault(out, new TextFault(this.lineNo, `at most ${this.maxLines} continuation lines`,
          `the record of line ${first} has more than ${this.maxLines} continuation lines (maxRecordLines)`));
        return;
      }
      this.pending.cont.push({ line: this.lineNo, text });
      return;
    }
    this.flush(out);
    if (this.halted) return;
    if (text.startsWith('Timestamp:')) {
      try {
        this.stamp(out, this.lineNo, parseLongStamp(text, this.lineNo, this.utcOffset));
      } catch (e) {
        this.caught(e, out);
      }
      return;
    }
    this.pending = { line: this.lineNo, text, cont: [] };
  }

  private flush(out: TraceRecord[]): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    try {
      const r = this.parseRecord(p, out);
      this.count(r.kind);
      out.push(r);
    } catch (e) {
      this.caught(e, out, p.line);
    }
  }

  private caught(e: unknown, out: TraceRecord[], line: number = this.lineNo): void {
    if (e instanceof Skip) {
      this.skippedCounts[e.reason] = (this.skippedCounts[e.reason] ?? 0) + 1;
      if (this.emitSkipped) out.push({ kind: 'skipped', line, reason: e.reason });
    } else if (e instanceof TextFault) {
      this.fault(out, e);
    } else {
      this.fault(out, new TextFault(line, 'a parsable record', `internal error: ${String(e)}`));
    }
  }

  private stamp(out: TraceRecord[], line: number, t: Timestamp): void {
    this.time = t;
    this.count('timestamp');
    out.push({ kind: 'timestamp', line, sec: t.sec, usec: t.usec });
  }

  private count(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  private fault(out: TraceRecord[], f: TextFault): void {
    const prefix = this.file === undefined ? '' : `${this.file}: `;
    const fatal = !this.lenient;
    const e: TraceError = {
      kind: 'error',
      line: f.line,
      expected: f.expected,
      message: `${prefix}line ${f.line}: ${f.problem}`,
      fatal,
    };
    out.push(e);
    this.errors++;
    if (fatal) {
      this.halted = true;
      this.pending = undefined;
    }
  }

  private parseRecord(p: PendingRecord, out: TraceRecord[]): NetlinkRecord {
    let s = p.text;
    const ts = /^\[(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})\] ?/.exec(s);
    if (ts !== null) {
      this.stamp(out, p.line, shortStamp(ts, p.line, this.utcOffset));
      s = s.slice(ts[0].length);
    } else if (s.startsWith('[') && /^\[\d/.test(s)) {
      throw new TextFault(p.line, 'a time stamp [YYYY-MM-DDTHH:MM:SS.uuuuuu]', `Cannot parse time stamp: "${clip(s)}"`);
    }
    const nsid = /^\[nsid (current|\d+)\]/.exec(s);
    if (nsid !== null) {
      // `ip monitor all-nsid` (NETLINK_LISTEN_ALL_NSID): print_headers() in ip/ipmonitor.c
      // writes `[nsid current]` for the listener's own namespace (no nsid in the control
      // message) and `[nsid N]` for a record of another namespace, one the listener's has an
      // id for (do_one_broadcast() delivers only those: peernet_has_id()). That namespace's
      // devices, addresses, routes and rules are not this FIB's: out of scope, never applied.
      // A namespace that gave itself an id (RTM_NEWNSID naming its own pid: `ip netns
      // list-id` then lists it) still sees its own records as `[nsid current]` (Linux 6.18,
      // tried by hand), so `[nsid N]` is never this namespace.
      if (nsid[1] !== 'current') throw new Skip('another network namespace ([nsid N])');
      s = s.slice(nsid[0].length);
    }
    let label: string | undefined;
    const lab = /^\[([A-Z]+)\]/.exec(s);
    if (lab !== null) {
      label = lab[1] ?? '';
      s = s.slice(lab[0].length);
      if (SKIPPED_LABELS.has(label)) throw new Skip(`[${label}]`);
      if (!PARSED_LABELS.has(label)) {
        throw new TextFault(p.line, 'a label [LINK] [ADDR] [ROUTE] [RULE] [NETCONF] [NEXTHOP] [NEIGH] ...',
          `unknown label [${label}]`);
      }
    }
    let op: Op = 'new';
    if (s.startsWith('Deleted ')) {
      op = 'del';
      s = s.slice('Deleted '.length);
    }
    const kind = label ?? classify(s);
    const ctx: Ctx = {
      line: p.line,
      op,
      cont: p.cont,
      names: this.names,
      time: this.time,
    };
    switch (kind) {
      case 'LINK': return parseLink(s, ctx);
      case 'ADDR': return parseAddr(s, ctx);
      case 'ROUTE': return parseRoute(s, ctx);
      case 'RULE': return parseRule(s, ctx);
      case 'NETCONF': return parseNetconf(s, ctx);
      case 'NEXTHOP': return parseNexthop(s, ctx);
      default: throw new Skip(`[${kind}]`);
    }
  }
}

/** What kind of record an unlabelled line is (`ip monitor` without `all`/`label`). */
function classify(s: string): string {
  if (/^\d+: [^:\s]+: </.test(s)) return 'LINK';
  if (/^\d+: \S+\s+(inet6?|family|link|mpls|bridge)\s/.test(s)) return 'ADDR';
  if (/^\d+:\s/.test(s)) return 'RULE';
  if (/^id \d+/.test(s)) return 'NEXTHOP';
  if (/^(inet6?|mpls|bridge|ipmr|ip6mr|unspec)\s/.test(s)) return 'NETCONF';
  if (/^(nsid|prefix|label) /.test(s)) return s.startsWith('nsid') ? 'NSID' : s.startsWith('prefix') ? 'PREFIX' : 'ADDRLABEL';
  const words = s.trim().split(/\s+/);
  const last = words[words.length - 1] ?? '';
  if (words.includes('lladdr') || NUD_STATES.has(last) || /^miss\b/.test(s)) return 'NEIGH';
  return 'ROUTE';
}

function shortStamp(m: RegExpExecArray, line: number, utcOffset: number): Timestamp {
  const [y, mo, d, h, mi, sec, us] = m.slice(1).map((x) => Number(x));
  return toTimestamp(line, y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, sec ?? 0, us ?? 0, utcOffset, m[0]);
}

/** `Timestamp: Sat Nov 21 04:41:46 2026 658259 usec` (print_timestamp) or `... us` (print_nlmsg_timestamp). */
function parseLongStamp(text: string, line: number, utcOffset: number): Timestamp {
  const m = /^Timestamp: [A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) (\d+) (usec|us)\s*$/.exec(text);
  const mo = m === null ? undefined : MONTHS[m[1] ?? ''];
  if (m === null || mo === undefined) {
    throw new TextFault(line, 'Timestamp: DAY MON DD HH:MM:SS YYYY USEC usec',
      `Cannot parse time stamp: "${clip(text)}"`);
  }
  const n = (i: number): number => Number(m[i]);
  return toTimestamp(line, n(6), mo, n(2), n(3), n(4), n(5), n(7), utcOffset, text);
}

function toTimestamp(
  line: number, y: number, mo: number, d: number, h: number, mi: number, s: number, us: number,
  utcOffset: number, text: string,
): Timestamp {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || us > 999999) {
    throw new TextFault(line, 'a valid date and time with microseconds 0..999999',
      `Cannot parse time stamp: out of range: "${clip(text)}"`);
  }
  return { sec: Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - utcOffset, usec: us };
}

/**
 * Parses a whole `ip monitor` text held in memory.
 *
 * Example: `parseIpMonitor(text, { file: 'monitor.txt' }).filter((r) => r.kind === 'route')`.
 */
export function parseIpMonitor(text: string, options: IpMonitorOptions = {}): TraceRecord[] {
  const d = new IpMonitorDecoder(options);
  return [...d.push(text), ...d.finish()];
}

/**
 * An RxJS operator from chunks of `ip monitor` output (strings, or UTF-8 bytes) to records; the
 * last record is `end`. A fatal error completes the output after the error and `end` records.
 *
 * Example: `stdinChunks$.pipe(ipMonitorRecords({ lenient: true }))`.
 *
 * 1. A fresh decoder (and UTF-8 stream decoder for bytes) per subscription.
 * 2. Each chunk is pushed; its records are emitted in order.
 * 3. Emission stops after a fatal error; on completion `finish()` adds the last record and `end`.
 */
export function ipMonitorRecords(options: IpMonitorOptions = {}): OperatorFunction<string | Uint8Array, TraceRecord> {
  return decoded(
    () => {
      const decoder = new IpMonitorDecoder(options);
      const utf8 = new TextDecoder('utf-8');
      return {
        push: (chunk: string | Uint8Array) => decoder.push(typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true })),
        finish: () => [...decoder.push(utf8.decode()), ...decoder.finish()],
      };
    },
    (r) => r.kind === 'error' && r.fatal,
  );
}
