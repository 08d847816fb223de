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

import { concat, defer, type Observable, type OperatorFunction } from 'rxjs';
import { concatMap, takeWhile } from 'rxjs';
import { AF_INET, AF_UNSPEC } from '../uapi/socket.js';
import { FIB_RULE_IIF_DETACHED, FIB_RULE_INVERT, FIB_RULE_OIF_DETACHED, FIB_RULE_UNRESOLVED, FR_ACT_GOTO, FR_ACT_NOP, FR_ACT_TO_TBL } from '../uapi/fib-rules.js';
import { IFA_F_PERMANENT } from '../uapi/if-addr.js';
import { IFF_RUNNING, IFF_UP } from '../uapi/if.js';
import { NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT } from '../uapi/netconf.js';
import { RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTN_UNICAST, RTPROT_BOOT, RTPROT_UNSPEC } from '../uapi/rtnetlink.js';
import type {
  AddrRecord, LinkRecord, NetconfRecord, NetlinkRecord, NexthopGroupEntry, NexthopRecord,
  Op, PortRange, RouteNexthop, RouteRecord, RuleRecord, Timestamp, TraceError, TraceRecord,
  TraceStats,
} from './netlink-records.js';
import {
  DSFIELD_NAMES, GROUP_NAMES, IFA_FLAG_WORDS, IP_PROTO_NAMES, LINK_EVENT_NAMES, LINK_FLAG_WORDS,
  LINK_TYPE_NAMES, nameToNumber, OPERSTATE_NAMES, parseNumber, PROTOCOL_NAMES, REALM_NAMES,
  RP_FILTER_NAMES, RT_FLAG_WORDS, RTAX_NAMES, RTN_TYPE_NAMES, SCOPE_NAMES, TABLE_NAMES,
  type Iproute2Names,
} from '../uapi/rt-names.js';

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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A fault in a record: the line, what was expected, what was found. Internal. */
class TextFault {
  constructor(readonly line: number, readonly expected: string, readonly problem: string) {}
}

/** A record skipped on purpose. Internal. */
class Skip {
  constructor(readonly reason: string) {}
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
const NUD_STATES = new Set(['INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT', 'NONE']);
const NETCONF_KEYS = new Set(['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_neigh', 'ignore_routes_with_linkdown', 'input']);

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
    if (!this.halted && !this.discardingLongLine && this.partial.length > 0) {
      const line = this.partial;
      this.partial = '';
      this.onLine(line, out);
    }
    if (!this.halted) this.flush(out);
    out.push({ kind: 'end', line: this.lineNo, stats: this.stats() });
    return out;
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
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
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
    if (nsid !== null) s = s.slice(nsid[0].length);
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

interface Ctx {
  readonly line: number;
  readonly op: Op;
  readonly cont: readonly { readonly line: number; readonly text: string }[];
  readonly names: Iproute2Names;
  readonly time: Timestamp | undefined;
}

// Records are built field by field, never with an object spread, which would put them in V8's
// slow dictionary mode; the time stamp is added last.
function withTime<T extends { time?: Timestamp }>(rec: T, ctx: Ctx): T {
  if (ctx.time !== undefined) rec.time = ctx.time;
  return rec;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
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

// ---- token helpers ----

class Tokens {
  private i = 0;
  constructor(readonly words: readonly string[], readonly line: number, readonly what: string) {}
  get done(): boolean { return this.i >= this.words.length; }
  peek(k = 0): string | undefined { return this.words[this.i + k]; }
  next(): string | undefined { return this.words[this.i++]; }
  value(key: string): string {
    const v = this.next();
    if (v === undefined) throw this.fault(`a value after "${key}"`, `"${key}" has no value`);
    return v;
  }
  fault(expected: string, problem: string): TextFault {
    return new TextFault(this.line, expected, `Cannot parse ${this.what}: ${problem}`);
  }
}

function words(s: string): string[] {
  const t = s.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

function num(t: Tokens, key: string, word: string, max = 0xffffffff): number {
  const n = parseNumber(word, max);
  if (n === undefined) throw t.fault(`a number after "${key}"`, `"${key}" must be a number <= ${max}: got "${word}"`);
  return n;
}

function named(
  t: Tokens, key: string, word: string, defaults: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, number>> | undefined, max: number, table: string,
): number {
  const n = nameToNumber(word, defaults, extra, max);
  if (n === undefined) {
    throw t.fault(`a number or a name of ${table} after "${key}"`,
      `unknown ${key} "${word}" (not a number, and not in ${table}: pass the printing host's table in options.names)`);
  }
  return n;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4(t: Tokens, key: string, word: string): string {
  if (!IPV4.test(word)) throw t.fault(`an IPv4 address after "${key}"`, `"${key}" must be an IPv4 address: got "${word}"`);
  return word;
}

/** `A.B.C.D[/LEN]`, `0/LEN` or `all`/`default` (host length 32 when no /LEN). */
function prefix(t: Tokens, key: string, word: string): { addr?: string; len: number } {
  if (word === 'all' || word === 'default') return { len: 0 };
  const m = /^([^/]+)(?:\/(\d+))?$/.exec(word);
  if (m === null) throw t.fault(`A.B.C.D[/LEN] after "${key}"`, `bad prefix "${word}"`);
  const len = m[2] === undefined ? 32 : Number(m[2]);
  if (len > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${len}`);
  if (m[1] === '0' && m[2] !== undefined) return { len };
  return { addr: ipv4(t, key, m[1] ?? ''), len };
}

function hasIpv6(ws: readonly string[]): boolean {
  return ws.some((w) => w.includes(':'));
}

// ---- [LINK] ----

function parseLink(s: string, ctx: Ctx): LinkRecord {
  const m = /^(\d+): ([^:\s]+): <([^>]*)>(.*)$/.exec(s);
  if (m === null) {
    throw new TextFault(ctx.line, 'IFINDEX: NAME[@LINK]: <FLAGS> mtu N ...', `Cannot parse link: "${clip(s)}"`);
  }
  const t = new Tokens(words(m[4] ?? ''), ctx.line, 'link');
  const nameLink = m[2] ?? '';
  const at = nameLink.lastIndexOf('@');
  const rec: Mutable<LinkRecord> = {
    line: ctx.line, dump: false,
    kind: 'link',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 16 : 17,
    family: AF_UNSPEC,
    ifindex: num(t, 'ifindex', m[1] ?? '', 0x7fffffff),
    name: at > 0 ? nameLink.slice(0, at) : nameLink,
    flags: 0,
  };
  if (at > 0) {
    const peer = nameLink.slice(at + 1);
    if (peer === 'NONE') rec.link = 0;
    else rec.linkName = peer;
  }
  let flags = 0;
  let noCarrier = false;
  for (const w of (m[3] ?? '').split(',')) {
    if (w === '') continue;
    if (w === 'NO-CARRIER') { noCarrier = true; continue; }
    if (w === 'M-DOWN') { rec.linkDown = true; continue; }
    const f = LINK_FLAG_WORDS.find(([name]) => name === w);
    if (f !== undefined) { flags |= f[1]; continue; }
    if (/^[0-9a-f]+$/.test(w)) { flags |= parseInt(w, 16); continue; }
    throw t.fault('link flag words (BROADCAST, UP, LOWER_UP ...)', `unknown link flag "${w}"`);
  }
  // print_link_flags() prints NO-CARRIER for UP without RUNNING and never RUNNING itself.
  if ((flags & IFF_UP) !== 0 && !noCarrier) flags |= IFF_RUNNING;
  rec.flags = flags;
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'mtu': rec.mtu = num(t, k, t.value(k)); break;
      case 'qdisc': rec.qdisc = t.value(k); break;
      case 'master': rec.masterName = t.value(k); break;
      case 'state': rec.operstate = named(t, k, t.value(k), OPERSTATE_NAMES, undefined, 255, 'the IF_OPER_* words'); break;
      case 'mode': t.value(k); break;
      case 'group': rec.group = named(t, k, t.value(k), GROUP_NAMES, ctx.names.groups, 0xffffffff, 'iproute2 group'); break;
      case 'qlen': t.value(k); break;
      case 'event': {
        const rest: string[] = [];
        while (!t.done) rest.push(t.next() ?? '');
        const ev = rest.join(' ');
        const n = LINK_EVENT_NAMES[ev] ?? parseNumber(ev, 0xffffffff);
        if (n === undefined) throw t.fault('an IFLA_EVENT word', `unknown event "${ev}"`);
        rec.event = n;
        break;
      }
      default:
        if (k.startsWith('xdp') || k.startsWith('prog/')) break; // xdp_dump() output: not modelled
        throw t.fault('mtu, qdisc, master, state, group or event', `unexpected word "${k}"`);
    }
  }
  const second = ctx.cont[0];
  if (second !== undefined) {
    const lm = /^\s+link\/(\S+)(.*)$/.exec(second.text);
    if (lm === null) {
      throw new TextFault(second.line, '    link/TYPE [MAC] [brd MAC]', `Cannot parse link: bad second line "${clip(second.text)}"`);
    }
    const type = LINK_TYPE_NAMES[lm[1] ?? ''];
    if (type !== undefined) rec.ifiType = type;
    const u = new Tokens(words(lm[2] ?? ''), second.line, 'link');
    if (!u.done && /^[0-9a-f]{2}([:-][0-9a-f]{2})*$/.test(u.peek() ?? '')) rec.address = u.next() ?? '';
    while (!u.done) {
      const k = u.next() ?? '';
      switch (k) {
        case 'brd': case 'peer': rec.broadcast = u.value(k); break;
        case 'permaddr': case 'link-netns': case 'new-netns': case 'new-netnsid': case 'new-ifindex':
          u.value(k);
          break;
        case 'link-netnsid': {
          const v = u.value(k);
          if (v !== 'unknown') rec.linkNetnsid = num(u, k, v, 0x7fffffff);
          break;
        }
        case 'protodown': rec.protoDown = u.value(k) === 'on'; break;
        default:
          if (k.startsWith('protodown_reason')) { while (!u.done) u.next(); break; }
          throw u.fault('brd, permaddr, link-netnsid or protodown', `unexpected word "${k}"`);
      }
    }
  }
  // AF_BRIDGE (and AF_INET6) link messages have no IFLA_GROUP: only AF_UNSPEC ones describe the device.
  if (rec.group === undefined) throw new Skip('[LINK] without group (AF_BRIDGE or AF_INET6 link message)');
  return withTime(rec, ctx);
}

// ---- [ADDR] ----

function parseAddr(s: string, ctx: Ctx): AddrRecord {
  const m = /^(\d+): (\S+)\s+(\S+) (.*)$/.exec(s);
  if (m === null) {
    throw new TextFault(ctx.line, 'IFINDEX: NAME    inet ADDR/PLEN ... scope S ... LABEL', `Cannot parse address: "${clip(s)}"`);
  }
  const fam = m[3] ?? '';
  if (fam !== 'inet') {
    if (fam === 'inet6' || fam === 'family' || fam === 'link' || fam === 'mpls' || fam === 'bridge') {
      throw new Skip(`[ADDR]/${fam}`);
    }
    throw new TextFault(ctx.line, 'the family word inet or inet6', `Cannot parse address: unknown family "${fam}"`);
  }
  const t = new Tokens(words(m[4] ?? ''), ctx.line, 'address');
  const rec: Mutable<AddrRecord> = {
    line: ctx.line, dump: false,
    kind: 'addr',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 20 : 21,
    family: AF_INET,
    ifindex: num(t, 'ifindex', m[1] ?? ''),
    devName: m[2] ?? '',
    prefixlen: 0,
    flags: 0,
    scope: 0,
  };
  const first = t.next() ?? '';
  let plenWord: string;
  if (t.peek() === 'peer') {
    t.next();
    rec.local = ipv4(t, 'inet', first);
    const peer = t.value('peer');
    const pm = /^([^/]+)\/(\d+)$/.exec(peer);
    if (pm === null) throw t.fault('peer PEER/PLEN', `bad peer "${peer}"`);
    rec.address = ipv4(t, 'peer', pm[1] ?? '');
    plenWord = pm[2] ?? '';
  } else {
    const am = /^([^/]+)\/(\d+)$/.exec(first);
    if (am === null) throw t.fault('ADDR/PLEN after "inet"', `bad address "${first}"`);
    rec.local = ipv4(t, 'inet', am[1] ?? '');
    rec.address = rec.local;
    plenWord = am[2] ?? '';
  }
  const plen = Number(plenWord);
  if (plen > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${plen}`);
  rec.prefixlen = plen;
  let scopeSeen = false;
  let dynamic = false;
  let flags = 0;
  while (!t.done) {
    const k = t.next() ?? '';
    if (!scopeSeen) {
      switch (k) {
        case 'metric': rec.rtPriority = num(t, k, t.value(k)); continue;
        case 'brd': rec.broadcast = ipv4(t, k, t.value(k)); continue;
        case 'any': t.value(k); continue;
        case 'scope':
          rec.scope = named(t, k, t.value(k), SCOPE_NAMES, ctx.names.scopes, 255, 'rt_scopes');
          scopeSeen = true;
          continue;
        default:
          throw t.fault('metric, brd or scope', `unexpected word "${k}"`);
      }
    }
    const f = Object.hasOwn(IFA_FLAG_WORDS, k) ? IFA_FLAG_WORDS[k] : undefined;
    if (f !== undefined) { flags |= f; continue; }
    if (k === 'dynamic') { dynamic = true; continue; }
    if (k === 'flags') {
      const v = t.value(k);
      if (!/^[0-9a-f]+$/.test(v)) throw t.fault('hex flags after "flags"', `bad flags "${v}"`);
      flags |= parseInt(v, 16);
      continue;
    }
    if (t.done) { rec.label = k; continue; }
    throw t.fault('address flag words, then the label', `unexpected word "${k}"`);
  }
  if (!scopeSeen) throw t.fault('"scope S"', 'no scope');
  // print_ifa_flags() prints "dynamic" for the absence of IFA_F_PERMANENT and never "permanent".
  rec.flags = dynamic ? flags : flags | IFA_F_PERMANENT;
  for (const c of ctx.cont) {
    const lm = /^\s+valid_lft (forever|\d+sec) preferred_lft (forever|-?\d+sec)\s*$/.exec(c.text);
    if (lm === null) {
      throw new TextFault(c.line, '       valid_lft (forever|Nsec) preferred_lft (forever|Nsec)',
        `Cannot parse address: bad continuation line "${clip(c.text)}"`);
    }
    const life = (w: string): number => (w === 'forever' ? 0xffffffff : Number(w.slice(0, -3)) >>> 0);
    rec.validLft = life(lm[1] ?? '');
    rec.preferredLft = life(lm[2] ?? '');
  }
  return withTime(rec, ctx);
}

// ---- [ROUTE] ----

const RTT_UNITS: Readonly<Record<string, number>> = { rtt: 8, rttvar: 4, rto_min: 1 };

/** One RTAX value as print_rta_metrics() prints it. */
function metricValue(t: Tokens, name: string, word: string): number | undefined {
  if (name === 'congctl') return undefined;
  if (name === 'features') {
    if (word === 'ecn') return 1;
    return num(t, name, word);
  }
  const scale = RTT_UNITS[name];
  if (scale !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(word);
    if (m === null) throw t.fault(`a time (Nms or Ns) after "${name}"`, `bad ${name} "${word}"`);
    const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
    return Math.round(ms * scale);
  }
  return num(t, name, word);
}

function parseRouteKeys(t: Tokens, rec: Mutable<RouteRecord>, names: Iproute2Names): void {
  let flags = 0;
  const metrics: Record<string, number> = {};
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { flags |= rf; continue; }
    switch (k) {
      case 'from': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.src = p.addr;
        rec.srcLen = p.len;
        continue;
      }
      case 'nhid': rec.nhId = num(t, k, t.value(k)); continue;
      case 'tos': case 'dsfield': rec.tos = named(t, k, t.value(k), DSFIELD_NAMES, names.dsfields, 255, 'rt_dsfield'); continue;
      case 'via': {
        const v = t.value(k);
        if (v === 'inet' || v === 'inet6') {
          const a = t.value(k);
          rec.via = { family: v === 'inet' ? 2 : 10, address: a };
        } else {
          rec.gateway = ipv4(t, k, v);
        }
        continue;
      }
      case 'dev': rec.dev = t.value(k); continue;
      case 'table': rec.table = named(t, k, t.value(k), TABLE_NAMES, names.tables, 0xffffffff, 'rt_tables'); continue;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, names.protocols, 255, 'rt_protos'); continue;
      case 'scope': rec.scope = named(t, k, t.value(k), SCOPE_NAMES, names.scopes, 255, 'rt_scopes'); continue;
      case 'src': rec.prefsrc = ipv4(t, k, t.value(k)); continue;
      case 'metric':
        if (rec.priority === undefined) rec.priority = num(t, k, t.value(k));
        else t.value(k);
        continue;
      case 'realm': case 'realms': rec.flow = realms(t, k, t.value(k), names); continue;
      case 'mark': case 'uid': case 'iif': t.value(k); continue;
      case 'as': if (t.peek() === 'to') t.next(); t.value(k); continue;
      default: break;
    }
    const rtax = RTAX_NAMES.indexOf(k);
    if (rtax >= 2) {
      let w = t.value(k);
      if (w === 'lock') {
        metrics['lock'] = (metrics['lock'] ?? 0) | (1 << rtax);
        w = t.value(k);
      }
      if (k === 'congctl') {
        rec.congctl = w;
        continue;
      }
      const v = metricValue(t, k, w);
      if (v !== undefined) metrics[k] = v;
      continue;
    }
    throw t.fault('a route attribute (via, dev, table, proto, scope, src, metric, flags ...)', `unexpected word "${k}"`);
  }
  rec.flags = flags;
  if (Object.keys(metrics).length > 0) rec.metrics = metrics;
}

function realms(t: Tokens, key: string, word: string, names: Iproute2Names): number {
  const [a, b] = word.split('/');
  const one = (w: string): number => named(t, key, w, REALM_NAMES, names.realms, 0xffff, 'rt_realms');
  return b === undefined ? one(a ?? '') : (one(a ?? '') << 16) | one(b);
}

function parseLeg(text: string, line: number, names: Iproute2Names): RouteNexthop {
  const m = /^\s*nexthop(?:\s+(.*))?$/.exec(text);
  if (m === null) {
    throw new TextFault(line, '<TAB>nexthop via GW dev NAME weight W', `Cannot parse route: bad nexthop line "${clip(text)}"`);
  }
  const t = new Tokens(words(m[1] ?? ''), line, 'route nexthop');
  const leg: Mutable<RouteNexthop> = { flags: 0, hops: 0 };
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { leg.flags |= rf; continue; }
    switch (k) {
      case 'via': {
        const v = t.value(k);
        if (v === 'inet' || v === 'inet6') leg.via = { family: v === 'inet' ? 2 : 10, address: t.value(k) };
        else leg.gateway = ipv4(t, k, v);
        break;
      }
      case 'dev': leg.dev = t.value(k); break;
      case 'weight': {
        const w = num(t, k, t.value(k), 256);
        if (w < 1) throw t.fault('a weight 1..256', `weight must be >= 1: got ${w}`);
        leg.hops = w - 1;
        break;
      }
      case 'realm': case 'realms': leg.flow = realms(t, k, t.value(k), names); break;
      default:
        throw t.fault('via, dev, weight or nexthop flags', `unexpected word "${k}"`);
    }
  }
  return leg;
}

function parseRoute(s: string, ctx: Ctx): RouteRecord {
  const ws = words(s);
  // Every IPv6 route has an address with ':' or RTA_PREF ("pref medium"); IPv4 routes never do.
  if (hasIpv6(ws) || (ws.length >= 2 && ws[ws.length - 2] === 'pref')) throw new Skip('[ROUTE]/inet6');
  const t = new Tokens(ws, ctx.line, 'route');
  const rec: Mutable<RouteRecord> = {
    line: ctx.line, dump: false,
    kind: 'route',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 24 : 25,
    family: AF_INET,
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: RT_TABLE_MAIN,
    protocol: RTPROT_BOOT,
    scope: RT_SCOPE_UNIVERSE,
    type: RTN_UNICAST,
    flags: 0,
  };
  let w = t.next();
  if (w === undefined) throw t.fault('[TYPE] DST ...', 'empty route');
  const type = Object.hasOwn(RTN_TYPE_NAMES, w) ? RTN_TYPE_NAMES[w] : undefined;
  if (type !== undefined) {
    rec.type = type;
    w = t.next();
    if (w === undefined) throw t.fault('DST after the route type', 'no destination');
  }
  if (w !== 'default') {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(w);
    if (m === null) throw t.fault('DST (default, A.B.C.D or A.B.C.D/LEN)', `bad destination "${w}"`);
    const len = m[2] === undefined ? 32 : Number(m[2]);
    if (len > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${len}`);
    if (!(m[1] === '0' && m[2] !== undefined)) {
      if (!IPV4.test(m[1] ?? '')) throw t.fault('DST (default, A.B.C.D or A.B.C.D/LEN)', `bad destination "${w}"`);
      rec.dst = m[1] ?? '';
    }
    rec.dstLen = len;
  }
  parseRouteKeys(t, rec, ctx.names);
  if (ctx.cont.length > 0) {
    const legs = ctx.cont.map((c) => parseLeg(c.text, c.line, ctx.names));
    rec.multipath = legs;
  }
  return withTime(rec, ctx);
}

// ---- [RULE] ----

function portRange(t: Tokens, key: string, word: string): { range: PortRange; mask?: number } {
  const hm = /^(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)$/.exec(word);
  if (hm !== null) {
    const p = num(t, key, hm[1] ?? '', 0xffff);
    return { range: { start: p, end: p }, mask: num(t, key, hm[2] ?? '', 0xffff) };
  }
  const m = /^(\d+)(?:-(\d+))?$/.exec(word);
  if (m === null) throw t.fault(`PORT[-PORT] after "${key}"`, `bad port range "${word}"`);
  const a = num(t, key, m[1] ?? '', 0xffff);
  const b = m[2] === undefined ? a : num(t, key, m[2], 0xffff);
  return { range: { start: a, end: b } };
}

function parseRule(s: string, ctx: Ctx): RuleRecord {
  const m = /^(\d+):\s+(.*)$/.exec(s);
  if (m === null) throw new TextFault(ctx.line, 'PRIO:<TAB>[not] from ...', `Cannot parse rule: "${clip(s)}"`);
  const ws = words(m[2] ?? '');
  if (hasIpv6(ws)) throw new Skip('[RULE]/inet6');
  const t = new Tokens(ws, ctx.line, 'rule');
  const rec: Mutable<RuleRecord> = {
    line: ctx.line, dump: false,
    kind: 'rule',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 32 : 33,
    family: AF_INET,
    priority: num(t, 'priority', m[1] ?? ''),
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: 0,
    action: FR_ACT_TO_TBL,
    flags: 0,
  };
  let flags = 0;
  let sawFrom = false;
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'not': flags |= FIB_RULE_INVERT; break;
      case 'from': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.src = p.addr;
        rec.srcLen = p.len;
        sawFrom = true;
        break;
      }
      case 'to': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.dst = p.addr;
        rec.dstLen = p.len;
        break;
      }
      case 'tos': case 'dsfield': rec.tos = named(t, k, t.value(k), DSFIELD_NAMES, ctx.names.dsfields, 255, 'rt_dsfield'); break;
      case 'fwmark': {
        const v = t.value(k);
        const [mark, mask] = v.split('/');
        rec.fwmark = num(t, k, mark ?? '');
        rec.fwmask = mask === undefined ? 0xffffffff : num(t, k, mask);
        break;
      }
      case 'iif': case 'oif': {
        const name = t.value(k);
        if (k === 'iif') rec.iifName = name; else rec.oifName = name;
        if (t.peek() === '[detached]' || t.peek() === 'detached') {
          t.next();
          flags |= k === 'iif' ? FIB_RULE_IIF_DETACHED : FIB_RULE_OIF_DETACHED;
        }
        break;
      }
      case 'lookup': {
        const v = t.value(k);
        rec.action = FR_ACT_TO_TBL;
        if (v === '[l3mdev-table]') rec.l3mdev = 1;
        else rec.table = named(t, k, v, TABLE_NAMES, ctx.names.tables, 0xffffffff, 'rt_tables');
        break;
      }
      case 'uidrange': {
        const um = /^(\d+)-(\d+)$/.exec(t.value(k));
        if (um === null) throw t.fault('uidrange A-B', 'bad uid range');
        rec.uidRange = { start: num(t, k, um[1] ?? ''), end: num(t, k, um[2] ?? '') };
        break;
      }
      case 'ipproto': rec.ipProto = named(t, k, t.value(k), IP_PROTO_NAMES, ctx.names.ipProtos, 255, '/etc/protocols'); break;
      case 'sport': {
        const p = portRange(t, k, t.value(k));
        rec.sportRange = p.range;
        if (p.mask !== undefined) rec.sportMask = p.mask;
        break;
      }
      case 'dport': {
        const p = portRange(t, k, t.value(k));
        rec.dportRange = p.range;
        if (p.mask !== undefined) rec.dportMask = p.mask;
        break;
      }
      case 'tun_id': {
        const v = t.value(k);
        if (!/^\d+$/.test(v)) throw t.fault('a decimal tun_id', `bad tun_id "${v}"`);
        rec.tunId = BigInt(v).toString();
        break;
      }
      case 'suppress_prefixlength': rec.suppressPrefixlen = num(t, k, t.value(k)); break;
      case 'suppress_ifgroup': rec.suppressIfgroup = named(t, k, t.value(k), GROUP_NAMES, ctx.names.groups, 0xffffffff, 'iproute2 group'); break;
      case 'realms': rec.flow = realms(t, k, t.value(k), ctx.names); break;
      case 'map-to': t.value(k); rec.action = 10; break;
      case 'masquerade': rec.action = 10; break;
      case 'goto': {
        const v = t.value(k);
        rec.action = FR_ACT_GOTO;
        if (v !== 'none') rec.goto = num(t, k, v);
        if (t.peek() === '[unresolved]') { t.next(); flags |= FIB_RULE_UNRESOLVED; }
        break;
      }
      case 'nop': rec.action = FR_ACT_NOP; break;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, ctx.names.protocols, 255, 'rt_protos'); break;
      default: {
        const a = Object.hasOwn(RTN_TYPE_NAMES, k) ? RTN_TYPE_NAMES[k] : undefined;
        if (a !== undefined && a !== 0) { rec.action = a; break; }
        throw t.fault('a rule selector or action (from, to, iif, lookup, goto, blackhole ...)', `unexpected word "${k}"`);
      }
    }
  }
  if (!sawFrom) throw t.fault('"from"', 'no "from" selector (print_rule() always prints one)');
  rec.flags = flags;
  return withTime(rec, ctx);
}

// ---- [NETCONF] ----

function parseNetconf(s: string, ctx: Ctx): NetconfRecord {
  const t = new Tokens(words(s), ctx.line, 'netconf');
  const fam = t.next() ?? '';
  if (fam !== 'inet') {
    if (fam === 'inet6' || fam === 'mpls' || fam === 'bridge' || fam === 'unspec') throw new Skip(`[NETCONF]/${fam}`);
    throw t.fault('inet or inet6', `unknown family "${fam}"`);
  }
  const rec: Mutable<NetconfRecord> = {
    line: ctx.line, dump: false,
    kind: 'netconf',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 80 : 81,
    family: AF_INET,
  };
  const dev = t.peek();
  if (dev !== undefined && !NETCONF_KEYS.has(dev)) {
    t.next();
    if (dev === 'all') rec.ifindex = NETCONFA_IFINDEX_ALL;
    else if (dev === 'default') rec.ifindex = NETCONFA_IFINDEX_DEFAULT;
    else rec.devName = dev;
  }
  const onOff = (k: string): number => {
    const v = t.value(k);
    if (v === 'on') return 1;
    if (v === 'off') return 0;
    throw t.fault(`on or off after "${k}"`, `bad value "${v}"`);
  };
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'forwarding': rec.forwarding = onOff(k); break;
      case 'rp_filter': rec.rpFilter = named(t, k, t.value(k), RP_FILTER_NAMES, undefined, 0xffffffff, 'off/strict/loose'); break;
      case 'mc_forwarding': rec.mcForwarding = onOff(k); break;
      case 'proxy_neigh': rec.proxyNeigh = onOff(k); break;
      case 'ignore_routes_with_linkdown': rec.ignoreRoutesWithLinkdown = onOff(k); break;
      case 'input': rec.input = onOff(k); break;
      default:
        throw t.fault('forwarding, rp_filter, mc_forwarding, proxy_neigh, ignore_routes_with_linkdown or input', `unexpected word "${k}"`);
    }
  }
  return withTime(rec, ctx);
}

// ---- [NEXTHOP] ----

function parseNexthop(s: string, ctx: Ctx): NexthopRecord {
  const ws = words(s);
  if (hasIpv6(ws)) throw new Skip('[NEXTHOP]/inet6');
  const t = new Tokens(ws, ctx.line, 'nexthop');
  if (t.next() !== 'id') throw t.fault('id ID ...', 'does not start with "id"');
  const id = num(t, 'id', t.value('id'));
  const rec: Mutable<NexthopRecord> = {
    line: ctx.line, dump: false,
    kind: 'nexthop',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 104 : 105,
    family: AF_INET,
    id,
    scope: RT_SCOPE_UNIVERSE,
    protocol: RTPROT_UNSPEC,
    flags: 0,
    blackhole: false,
    fdb: false,
  };
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { rec.flags |= rf; continue; }
    switch (k) {
      case 'group': {
        const g = t.value(k);
        const entries: NexthopGroupEntry[] = [];
        for (const e of g.split('/')) {
          const em = /^(\d+)(?:,(\d+))?$/.exec(e);
          if (em === null) throw t.fault('group ID[,WEIGHT]/ID...', `bad group member "${e}"`);
          entries.push({ id: num(t, k, em[1] ?? ''), weight: em[2] === undefined ? 1 : num(t, k, em[2], 256) });
        }
        rec.group = entries;
        break;
      }
      case 'type': {
        const v = t.value(k);
        rec.groupType = v === 'resilient' ? 1 : v === 'mpath' ? 0 : num(t, k, v, 0xffff);
        break;
      }
      case 'buckets': case 'idle_timer': case 'unbalanced_timer': case 'unbalanced_time': t.value(k); break;
      case 'via': rec.gateway = ipv4(t, k, t.value(k)); break;
      case 'dev': rec.dev = t.value(k); break;
      case 'scope': rec.scope = named(t, k, t.value(k), SCOPE_NAMES, ctx.names.scopes, 255, 'rt_scopes'); break;
      case 'blackhole': rec.blackhole = true; break;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, ctx.names.protocols, 255, 'rt_protos'); break;
      case 'fdb': rec.fdb = true; break;
      default:
        throw t.fault('group, via, dev, scope, blackhole, proto, fdb or flags', `unexpected word "${k}"`);
    }
  }
  // The text has no nh_family: groups are AF_UNSPEC, others (IPv4 here) AF_INET.
  if (rec.group !== undefined) rec.family = AF_UNSPEC;
  return withTime(rec, ctx);
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
  return (source: Observable<string | Uint8Array>) =>
    defer(() => {
      const decoder = new IpMonitorDecoder(options);
      const utf8 = new TextDecoder('utf-8');
      return concat(
        source.pipe(
          concatMap((chunk) => decoder.push(typeof chunk === 'string' ? chunk : utf8.decode(chunk, { stream: true }))),
          takeWhile((r) => !(r.kind === 'error' && r.fatal), true),
        ),
        defer(() => [...decoder.push(utf8.decode()), ...decoder.finish()]),
      );
    });
}
