// Decodes one rtnetlink message (header, fixed header, attributes) into the IR of
// netlink-records.ts. Used by rtmon.ts, which does the framing; not exported from the core.
//
// Mirrors the parsing side of iproute2 6.1: parse_rtattr() / RTA_OK() (lib/libnetlink.c) for
// attribute walking, print_linkinfo() / print_addrinfo() (ip/ipaddress.c), print_route() and
// print_rta_multipath() (ip/iproute.c), print_rule() (ip/iprule.c), print_netconf()
// (ip/ipnetconf.c) and ipnh_parse_nhmsg() (ip/ipnexthop.c) for which attribute means what.
// Layouts: ../shared/formats/README.md section 2.
//
// Divergence: iproute2 silently stops at a malformed attribute (RTA_OK fails); here it is an
// error naming the byte offset, because a replay must not act on half a message.
//
// Faults are thrown as `Fault` values inside this module only and returned as values by
// `decodeMessage`, which never throws.

import { AF_INET, AF_INET6, AF_UNSPEC } from '../uapi/socket.js';
import { familyName, nlmsgTypeName } from './netlink-records.js';
import { RTM_DELADDR, RTM_DELLINK, RTM_DELNETCONF, RTM_DELNEXTHOP, RTM_DELROUTE, RTM_DELRULE, RTM_F_CLONED, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNETCONF, RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE } from '../uapi/rtnetlink.js';
import type {
  AddrRecord, LinkRecord, NetconfRecord, NetlinkRecord, NexthopGroupEntry, NexthopRecord,
  Op, RouteNexthop, RouteRecord, RouteVia, RuleRecord, Timestamp,
} from './netlink-records.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A fault inside a message: where, what was expected, and what was found. */
export class Fault {
  constructor(
    /** Offset relative to the start of the message (its nlmsghdr). */
    readonly at: number,
    readonly expected: string,
    readonly problem: string,
  ) {}
}

export type DecodeOutcome =
  | { readonly ok: true; readonly record: NetlinkRecord }
  | { readonly ok: 'skip'; readonly reason: string }
  | { readonly ok: false; readonly fault: Fault };

/** The parts of RecordMeta the framing layer knows. */
export interface FrameMeta {
  readonly offset: number;
  readonly nlmsgType: number;
  readonly nlmsgFlags: number;
  readonly nlmsgSeq: number;
  readonly nlmsgPid: number;
  readonly dump: boolean;
  readonly time?: Timestamp;
}

// Records are built with every header field written out, never with `...meta`: an object
// spread followed by optional fields sends V8 into dictionary mode (15x slower on fixture 08).
function withTime<T extends { time?: Timestamp }>(rec: T, meta: FrameMeta): T {
  if (meta.time !== undefined) rec.time = meta.time;
  return rec;
}

const NLMSG_HDRLEN = 16;

/** NLMSG_ALIGN / NLA_ALIGN / RTNH_ALIGN: round up to 4. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Size of the fixed header after the nlmsghdr for the message types decoded here. */
export function fixedHeaderSize(type: number): number | undefined {
  switch (type) {
    case RTM_NEWLINK: case RTM_DELLINK: return 16; // ifinfomsg
    case RTM_NEWADDR: case RTM_DELADDR: return 8; // ifaddrmsg
    case RTM_NEWROUTE: case RTM_DELROUTE: return 12; // rtmsg
    case RTM_NEWRULE: case RTM_DELRULE: return 12; // fib_rule_hdr
    case RTM_NEWNETCONF: case RTM_DELNETCONF: return 1; // netconfmsg (attributes at 4)
    case RTM_NEWNEXTHOP: case RTM_DELNEXTHOP: return 8; // nhmsg
    default: return undefined;
  }
}

const FIXED_HEADER_NAMES: Readonly<Record<number, string>> = {
  16: 'ifinfomsg', 17: 'ifinfomsg', 20: 'ifaddrmsg', 21: 'ifaddrmsg', 24: 'rtmsg', 25: 'rtmsg',
  32: 'fib_rule_hdr', 33: 'fib_rule_hdr', 80: 'netconfmsg', 81: 'netconfmsg', 104: 'nhmsg',
  105: 'nhmsg',
};

/** Attribute names per message type, for error messages. */
const ATTR_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  IFLA: {
    1: 'IFLA_ADDRESS', 2: 'IFLA_BROADCAST', 3: 'IFLA_IFNAME', 4: 'IFLA_MTU', 5: 'IFLA_LINK',
    6: 'IFLA_QDISC', 10: 'IFLA_MASTER', 16: 'IFLA_OPERSTATE', 18: 'IFLA_LINKINFO',
    26: 'IFLA_AF_SPEC', 27: 'IFLA_GROUP', 33: 'IFLA_CARRIER', 37: 'IFLA_LINK_NETNSID',
    39: 'IFLA_PROTO_DOWN', 44: 'IFLA_EVENT',
  },
  IFLA_INFO: { 1: 'IFLA_INFO_KIND', 2: 'IFLA_INFO_DATA', 4: 'IFLA_INFO_SLAVE_KIND' },
  IFLA_AF: { 2: 'IFLA_AF_SPEC/AF_INET', 10: 'IFLA_AF_SPEC/AF_INET6' },
  IFLA_INET: { 1: 'IFLA_INET_CONF' },
  IFA: {
    1: 'IFA_ADDRESS', 2: 'IFA_LOCAL', 3: 'IFA_LABEL', 4: 'IFA_BROADCAST', 6: 'IFA_CACHEINFO',
    8: 'IFA_FLAGS', 9: 'IFA_RT_PRIORITY',
  },
  RTA: {
    1: 'RTA_DST', 2: 'RTA_SRC', 3: 'RTA_IIF', 4: 'RTA_OIF', 5: 'RTA_GATEWAY', 6: 'RTA_PRIORITY',
    7: 'RTA_PREFSRC', 8: 'RTA_METRICS', 9: 'RTA_MULTIPATH', 11: 'RTA_FLOW', 15: 'RTA_TABLE',
    18: 'RTA_VIA', 30: 'RTA_NH_ID',
  },
  RTAX: Object.fromEntries(RTAX_NAMES.flatMap((n, i) => (n === undefined ? [] : [[i, `RTAX_${n.toUpperCase()}`]]))),
  FRA: {
    1: 'FRA_DST', 2: 'FRA_SRC', 3: 'FRA_IIFNAME', 4: 'FRA_GOTO', 6: 'FRA_PRIORITY',
    10: 'FRA_FWMARK', 11: 'FRA_FLOW', 12: 'FRA_TUN_ID', 13: 'FRA_SUPPRESS_IFGROUP',
    14: 'FRA_SUPPRESS_PREFIXLEN', 15: 'FRA_TABLE', 16: 'FRA_FWMASK', 17: 'FRA_OIFNAME',
    19: 'FRA_L3MDEV', 20: 'FRA_UID_RANGE', 21: 'FRA_PROTOCOL', 22: 'FRA_IP_PROTO',
    23: 'FRA_SPORT_RANGE', 24: 'FRA_DPORT_RANGE', 25: 'FRA_DSCP', 28: 'FRA_SPORT_MASK',
    29: 'FRA_DPORT_MASK', 30: 'FRA_DSCP_MASK',
  },
  NETCONFA: {
    1: 'NETCONFA_IFINDEX', 2: 'NETCONFA_FORWARDING', 3: 'NETCONFA_RP_FILTER',
    4: 'NETCONFA_MC_FORWARDING', 5: 'NETCONFA_PROXY_NEIGH',
    6: 'NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN', 7: 'NETCONFA_INPUT', 8: 'NETCONFA_BC_FORWARDING',
  },
  NHA: {
    1: 'NHA_ID', 2: 'NHA_GROUP', 3: 'NHA_GROUP_TYPE', 4: 'NHA_BLACKHOLE', 5: 'NHA_OIF',
    6: 'NHA_GATEWAY', 11: 'NHA_FDB',
  },
};

/** The attribute prefix (IFLA, IFA, ...) of a message type. */
export function attrSpace(type: number): string {
  switch (type) {
    case RTM_NEWLINK: case RTM_DELLINK: return 'IFLA';
    case RTM_NEWADDR: case RTM_DELADDR: return 'IFA';
    case RTM_NEWROUTE: case RTM_DELROUTE: return 'RTA';
    case RTM_NEWRULE: case RTM_DELRULE: return 'FRA';
    case RTM_NEWNETCONF: case RTM_DELNETCONF: return 'NETCONFA';
    case RTM_NEWNEXTHOP: case RTM_DELNEXTHOP: return 'NHA';
    default: return 'attribute';
  }
}

/** `RTA_GATEWAY (type 5)`, or `RTA type 77` when unnamed. */
export function attrName(space: string, type: number): string {
  const n = ATTR_NAMES[space]?.[type];
  return n === undefined ? `${space} type ${type}` : `${n} (type ${type})`;
}

/** One attribute: positions are relative to the message start. */
interface Attr {
  readonly type: number;
  /** Start of the rtattr header. */
  readonly at: number;
  /** Start of the payload. */
  readonly start: number;
  /** Payload length. */
  readonly len: number;
}

/**
 * Reads integers in the capture's byte order from one message: the `length` bytes at
 * `base` of `bytes` (positions are relative to the message start). A whole rtmon chunk is
 * read through one DataView, without a view or subarray per message.
 */
class Reader {
  view: DataView;
  bytes: Uint8Array;
  le: boolean;
  base: number;
  length: number;
  constructor(bytes: Uint8Array, le: boolean, base = 0, length: number = bytes.length - base, view?: DataView) {
    this.bytes = bytes;
    this.le = le;
    this.base = base;
    this.length = length;
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Points this reader at another message (decodeMessage() keeps one reader for all). */
  reset(bytes: Uint8Array, le: boolean, base: number, length: number, view: DataView): this {
    this.bytes = bytes;
    this.le = le;
    this.base = base;
    this.length = length;
    this.view = view;
    return this;
  }
  /** Reads stay inside the message, as a DataView over it alone would enforce. */
  private at(at: number, size: number): number {
    if (at < 0 || at + size > this.length) throw new RangeError(`offset ${at} (+${size}) is outside the ${this.length}-byte message`);
    return this.base + at;
  }
  u8(at: number): number { return this.view.getUint8(this.at(at, 1)); }
  u16(at: number): number { return this.view.getUint16(this.at(at, 2), this.le); }
  u32(at: number): number { return this.view.getUint32(this.at(at, 4), this.le); }
  i32(at: number): number { return this.view.getInt32(this.at(at, 4), this.le); }
}

/**
 * Walks an attribute sequence in [start, end) of the message, as parse_rtattr() does: each
 * rtattr is {u16 rta_len, u16 rta_type}, the next starts at NLA_ALIGN(rta_len); bits 15/14 of
 * the type are NLA_F_NESTED/NLA_F_NET_BYTEORDER. Fewer than 4 bytes left over are ignored, as
 * RTA_OK() does.
 */
function walkAttrs(r: Reader, start: number, end: number, space: string): Attr[] {
  const attrs: Attr[] = [];
  let pos = start;
  while (end - pos >= 4) {
    const len = r.u16(pos);
    const type = r.u16(pos + 2) & 0x3fff;
    if (len < 4) {
      throw new Fault(pos, 'rta_len >= 4',
        `${attrName(space, type)} has rta_len ${len}, smaller than its 4-byte header`);
    }
    if (pos + len > end) {
      throw new Fault(pos, `rta_len <= ${end - pos} (the bytes left in its container)`,
        `${attrName(space, type)} has rta_len ${len}, overflowing its container by ${pos + len - end} bytes`);
    }
    attrs.push({ type, at: pos, start: pos + 4, len: len - 4 });
    pos += align4(len);
  }
  return attrs;
}

const SHARED_READER = new Reader(new Uint8Array(4), true);

/**
 * walkAttrs() without an object per attribute: one cursor moved along the sequence (its
 * fields are those of the current attribute), for the messages a trace has millions of.
 */
class AttrCursor implements Attr {
  type = 0;
  at = 0;
  start = 0;
  len = 0;
  private pos: number;

  constructor(
    private r: Reader,
    start: number,
    private end: number,
    private space: string,
  ) {
    this.pos = start;
  }

  /** Starts over on another attribute sequence (decodeRoute() keeps one cursor). */
  reset(r: Reader, start: number, end: number, space: string): this {
    this.r = r;
    this.pos = start;
    this.end = end;
    this.space = space;
    return this;
  }

  /** Moves to the next attribute; false at the end. Throws a Fault as walkAttrs() does. */
  next(): boolean {
    const { r, end, pos } = this;
    if (end - pos < 4) return false;
    const len = r.u16(pos);
    const type = r.u16(pos + 2) & 0x3fff;
    if (len < 4) {
      throw new Fault(pos, 'rta_len >= 4',
        `${attrName(this.space, type)} has rta_len ${len}, smaller than its 4-byte header`);
    }
    if (pos + len > end) {
      throw new Fault(pos, `rta_len <= ${end - pos} (the bytes left in its container)`,
        `${attrName(this.space, type)} has rta_len ${len}, overflowing its container by ${pos + len - end} bytes`);
    }
    this.type = type;
    this.at = pos;
    this.start = pos + 4;
    this.len = len - 4;
    this.pos = pos + align4(len);
    return true;
  }
}

/** The cursor of decodeRoute() (decoding never nests). */
const ROUTE_ATTRS = new AttrCursor(SHARED_READER, 0, 0, 'RTA');

function need(a: Attr, space: string, size: number, exact: boolean): void {
  if (exact ? a.len !== size : a.len < size) {
    throw new Fault(a.at, `a ${exact ? '' : 'payload of at least '}${size}-byte${exact ? ' payload' : ''}`,
      `${attrName(space, a.type)} has a ${a.len}-byte payload, expected ${exact ? '' : 'at least '}${size}`);
  }
}

function getU8(r: Reader, a: Attr, space: string): number {
  need(a, space, 1, false);
  return r.u8(a.start);
}
function getU16(r: Reader, a: Attr, space: string): number {
  need(a, space, 2, false);
  return r.u16(a.start);
}
function getU32(r: Reader, a: Attr, space: string): number {
  need(a, space, 4, false);
  return r.u32(a.start);
}
function getI32(r: Reader, a: Attr, space: string): number {
  need(a, space, 4, false);
  return r.i32(a.start);
}
function getIpv4(r: Reader, a: Attr, space: string): string {
  need(a, space, 4, true);
  return ipv4At(r.bytes, r.base + a.start);
}
function getString(r: Reader, a: Attr): string {
  const from = r.base + a.start;
  let end = from;
  const stop = from + a.len;
  while (end < stop && r.bytes[end] !== 0) end++;
  return latin1OrUtf8(r.bytes.subarray(from, end));
}
function getMac(r: Reader, a: Attr): string {
  const parts: string[] = [];
  for (let i = 0; i < a.len; i++) parts.push((r.bytes[r.base + a.start + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
function latin1OrUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

/** A dotted quad from 4 bytes in network order. */
/** "0" … "255" and "0." … "255.", made once: a trace formats millions of addresses. */
const OCTET: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_DOT: readonly string[] = OCTET.map((o) => `${o}.`);

export function ipv4At(b: Uint8Array, at: number): string {
  return OCTET_DOT[b[at] ?? 0]! + OCTET_DOT[b[at + 1] ?? 0]! + OCTET_DOT[b[at + 2] ?? 0]! + OCTET[b[at + 3] ?? 0]!;
}

/** RFC 5952 text of a 16-byte IPv6 address (longest run of >= 2 zero groups as `::`). */
export function ipv6At(b: Uint8Array, at: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

function opOf(type: number, newType: number): Op {
  return type === newType ? 'new' : 'del';
}

/**
 * Decodes one message of exactly nlmsg_len bytes (header included).
 *
 * Example: `decodeMessage(bytes, true, meta)` on an RTM_NEWROUTE of family AF_INET gives
 * `{ ok: true, record: { kind: 'route', ... } }`; of family AF_INET6, `{ ok: 'skip', reason:
 * 'RTM_NEWROUTE/AF_INET6' }`.
 *
 * 1. Check that the payload holds the fixed header of the type.
 * 2. Skip (with a reason) families and types that are not modelled.
 * 3. Walk the attributes; a malformed one is a Fault at its offset.
 */
export function decodeMessage(
  bytes: Uint8Array,
  le: boolean,
  meta: FrameMeta,
  base = 0,
  length: number = bytes.length - base,
  view?: DataView,
): DecodeOutcome {
  const type = meta.nlmsgType;
  const fixed = fixedHeaderSize(type);
  if (fixed === undefined) return { ok: 'skip', reason: nlmsgTypeName(type) };
  const payload = length - NLMSG_HDRLEN;
  if (payload < fixed) {
    return {
      ok: false,
      fault: new Fault(NLMSG_HDRLEN, `a ${fixed}-byte ${FIXED_HEADER_NAMES[type] ?? 'header'}`,
        `payload is ${payload} bytes, too short for its ${fixed}-byte ${FIXED_HEADER_NAMES[type] ?? 'header'}`),
    };
  }
  // One reader for every message read through a shared view (decoding never nests).
  const r = view === undefined ? new Reader(bytes, le, base, length) : SHARED_READER.reset(bytes, le, base, length, view);
  try {
    switch (type) {
      case RTM_NEWLINK: case RTM_DELLINK: return decodeLink(r, meta);
      case RTM_NEWADDR: case RTM_DELADDR: return decodeAddr(r, meta);
      case RTM_NEWROUTE: case RTM_DELROUTE: return decodeRoute(r, meta);
      case RTM_NEWRULE: case RTM_DELRULE: return decodeRule(r, meta);
      case RTM_NEWNETCONF: case RTM_DELNETCONF: return decodeNetconf(r, meta);
      default: return decodeNexthop(r, meta);
    }
  } catch (e) {
    if (e instanceof Fault) return { ok: false, fault: e };
    // A RangeError from DataView would mean a bounds check above is wrong; report it as a fault
    // rather than throwing out of a reader.
    return { ok: false, fault: new Fault(0, 'a well-formed message', `internal bounds error: ${String(e)}`) };
  }
}

function skipFamily(type: number, family: number): DecodeOutcome {
  return { ok: 'skip', reason: `${nlmsgTypeName(type)}/${familyName(family)}` };
}

const H = NLMSG_HDRLEN;

function decodeLink(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_UNSPEC) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<LinkRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'link',
    op: opOf(meta.nlmsgType, RTM_NEWLINK),
    family,
    ifindex: r.i32(H + 4),
    ifiType: r.u16(H + 2),
    flags: r.u32(H + 8),
    change: r.u32(H + 12),
  };
  const S = 'IFLA';
  for (const a of walkAttrs(r, H + 16, r.length, S)) {
    switch (a.type) {
      case 1: rec.address = getMac(r, a); break;
      case 2: rec.broadcast = getMac(r, a); break;
      case 3: rec.name = getString(r, a); break;
      case 4: rec.mtu = getU32(r, a, S); break;
      case 5: rec.link = getI32(r, a, S); break;
      case 6: rec.qdisc = getString(r, a); break;
      case 10: rec.master = getI32(r, a, S); break;
      case 16: rec.operstate = getU8(r, a, S); break;
      case 18:
        for (const i of walkAttrs(r, a.start, a.start + a.len, 'IFLA_INFO')) {
          if (i.type === 1) rec.linkKind = getString(r, i);
          else if (i.type === 4) rec.slaveKind = getString(r, i);
        }
        break;
      case 26:
        for (const f of walkAttrs(r, a.start, a.start + a.len, 'IFLA_AF')) {
          if (f.type !== AF_INET) continue;
          for (const c of walkAttrs(r, f.start, f.start + f.len, 'IFLA_INET')) {
            if (c.type !== 1) continue;
            const conf: number[] = [];
            for (let k = 0; k + 4 <= c.len; k += 4) conf.push(r.u32(c.start + k));
            rec.inetConf = conf;
          }
        }
        break;
      case 27: rec.group = getU32(r, a, S); break;
      case 33: rec.carrier = getU8(r, a, S) !== 0; break;
      case 37: rec.linkNetnsid = getI32(r, a, S); break;
      case 39: rec.protoDown = getU8(r, a, S) !== 0; break;
      case 44: rec.event = getU32(r, a, S); break;
      default: break; // unknown or unneeded: skipped by length
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

function decodeAddr(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<AddrRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'addr',
    op: opOf(meta.nlmsgType, RTM_NEWADDR),
    family,
    prefixlen: r.u8(H + 1),
    flags: r.u8(H + 2),
    scope: r.u8(H + 3),
    ifindex: r.u32(H + 4),
  };
  const S = 'IFA';
  for (const a of walkAttrs(r, H + 8, r.length, S)) {
    switch (a.type) {
      case 1: rec.address = getIpv4(r, a, S); break;
      case 2: rec.local = getIpv4(r, a, S); break;
      case 3: rec.label = getString(r, a); break;
      case 4: rec.broadcast = getIpv4(r, a, S); break;
      case 6:
        need(a, S, 16, false);
        rec.preferredLft = r.u32(a.start);
        rec.validLft = r.u32(a.start + 4);
        break;
      case 8: rec.flags = getU32(r, a, S); break;
      case 9: rec.rtPriority = getU32(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

function getVia(r: Reader, a: Attr, space: string): RouteVia {
  need(a, space, 2, false);
  const family = r.u16(a.start);
  const n = a.len - 2;
  if (family === AF_INET && n === 4) return { family, address: ipv4At(r.bytes, r.base + a.start + 2) };
  if (family === AF_INET6 && n === 16) return { family, address: ipv6At(r.bytes, r.base + a.start + 2) };
  throw new Fault(a.at, 'an rtvia of family 2 with 4 address bytes or family 10 with 16',
    `${attrName(space, a.type)} has family ${family} and ${n} address bytes`);
}

function decodeMultipath(r: Reader, a: Attr): RouteNexthop[] {
  const legs: RouteNexthop[] = [];
  const end = a.start + a.len;
  let pos = a.start;
  while (end - pos >= 8) {
    const len = r.u16(pos);
    if (len < 8 || pos + len > end) {
      throw new Fault(pos, `rtnh_len between 8 and ${end - pos}`,
        `RTA_MULTIPATH (type 9) leg has rtnh_len ${len}, ${len < 8 ? 'smaller than its 8-byte rtnexthop' : `overflowing the attribute by ${pos + len - end} bytes`}`);
    }
    const leg: Mutable<RouteNexthop> = { flags: r.u8(pos + 2), hops: r.u8(pos + 3), ifindex: r.i32(pos + 4) };
    for (const x of walkAttrs(r, pos + 8, pos + len, 'RTA')) {
      if (x.type === 5) leg.gateway = getIpv4(r, x, 'RTA');
      else if (x.type === 11) leg.flow = getU32(r, x, 'RTA');
      else if (x.type === 18) leg.via = getVia(r, x, 'RTA');
    }
    legs.push(leg);
    pos += align4(len);
  }
  return legs;
}

function decodeRoute(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const flags = r.u32(H + 8);
  // Cached (RTM_F_CLONED) routes are answers of the route cache, not FIB changes; ip monitor
  // does not print them either (accept_msg() in ip/ipmonitor.c).
  if ((flags & RTM_F_CLONED) !== 0) return { ok: 'skip', reason: `${nlmsgTypeName(meta.nlmsgType)}/cloned` };
  const rec: Mutable<RouteRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'route',
    op: opOf(meta.nlmsgType, RTM_NEWROUTE),
    family,
    dstLen: r.u8(H + 1),
    srcLen: r.u8(H + 2),
    tos: r.u8(H + 3),
    table: r.u8(H + 4),
    protocol: r.u8(H + 5),
    scope: r.u8(H + 6),
    type: r.u8(H + 7),
    flags,
  };
  const S = 'RTA';
  const a = ROUTE_ATTRS.reset(r, H + 12, r.length, S);
  while (a.next()) {
    switch (a.type) {
      case 1: {
        rec.dst = getIpv4(r, a, S);
        // Network order to a number, read once more here rather than parsed from the text.
        rec.dstAddr = r.view.getUint32(r.base + a.start, false);
        break;
      }
      case 2: rec.src = getIpv4(r, a, S); break;
      case 4: rec.oif = getU32(r, a, S); break;
      case 5: rec.gateway = getIpv4(r, a, S); break;
      case 6: rec.priority = getU32(r, a, S); break;
      case 7: rec.prefsrc = getIpv4(r, a, S); break;
      case 8: {
        const m: Record<string, number> = {};
        for (const x of walkAttrs(r, a.start, a.start + a.len, 'RTAX')) {
          const name = RTAX_NAMES[x.type];
          if (name === undefined) continue;
          // RTAX_CC_ALGO is the algorithm's name (rtnetlink_put_metrics: nla_put_string).
          if (name === 'congctl') rec.congctl = getString(r, x);
          else m[name] = getU32(r, x, 'RTAX');
        }
        if (Object.keys(m).length > 0) rec.metrics = m;
        break;
      }
      case 9: rec.multipath = decodeMultipath(r, a); break;
      case 11: rec.flow = getU32(r, a, S); break;
      case 15: rec.table = getU32(r, a, S); break;
      case 18: rec.via = getVia(r, a, S); break;
      case 30: rec.nhId = getU32(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

function getRange32(r: Reader, a: Attr, space: string): { start: number; end: number } {
  need(a, space, 8, false);
  return { start: r.u32(a.start), end: r.u32(a.start + 4) };
}
function getRange16(r: Reader, a: Attr, space: string): { start: number; end: number } {
  need(a, space, 4, false);
  return { start: r.u16(a.start), end: r.u16(a.start + 2) };
}

function decodeRule(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<RuleRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'rule',
    op: opOf(meta.nlmsgType, RTM_NEWRULE),
    family,
    dstLen: r.u8(H + 1),
    srcLen: r.u8(H + 2),
    tos: r.u8(H + 3),
    table: r.u8(H + 4),
    action: r.u8(H + 7),
    flags: r.u32(H + 8),
  };
  const S = 'FRA';
  for (const a of walkAttrs(r, H + 12, r.length, S)) {
    switch (a.type) {
      case 1: rec.dst = getIpv4(r, a, S); break;
      case 2: rec.src = getIpv4(r, a, S); break;
      case 3: rec.iifName = getString(r, a); break;
      case 4: rec.goto = getU32(r, a, S); break;
      case 6: rec.priority = getU32(r, a, S); break;
      case 10: rec.fwmark = getU32(r, a, S); break;
      case 11: rec.flow = getU32(r, a, S); break;
      case 12: {
        need(a, S, 8, false);
        // FRA_TUN_ID is a __be64 whatever the host's byte order.
        rec.tunId = r.view.getBigUint64(r.base + a.start, false).toString();
        break;
      }
      case 13: { const v = getU32(r, a, S); if (v !== 0xffffffff) rec.suppressIfgroup = v; break; }
      case 14: { const v = getU32(r, a, S); if (v !== 0xffffffff) rec.suppressPrefixlen = v; break; }
      case 15: rec.table = getU32(r, a, S); break;
      case 16: rec.fwmask = getU32(r, a, S); break;
      case 17: rec.oifName = getString(r, a); break;
      case 19: rec.l3mdev = getU8(r, a, S); break;
      case 20: rec.uidRange = getRange32(r, a, S); break;
      case 21: rec.protocol = getU8(r, a, S); break;
      case 22: rec.ipProto = getU8(r, a, S); break;
      case 23: rec.sportRange = getRange16(r, a, S); break;
      case 24: rec.dportRange = getRange16(r, a, S); break;
      case 25: rec.dscp = getU8(r, a, S); break;
      case 28: rec.sportMask = getU16(r, a, S); break;
      case 29: rec.dportMask = getU16(r, a, S); break;
      case 30: rec.dscpMask = getU8(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

function decodeNetconf(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<NetconfRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'netconf',
    op: opOf(meta.nlmsgType, RTM_NEWNETCONF),
    family,
  };
  const S = 'NETCONFA';
  // netconfmsg is one byte; attributes start at NLMSG_ALIGN(1) = 4 into the payload.
  for (const a of walkAttrs(r, H + 4, r.length, S)) {
    switch (a.type) {
      case 1: rec.ifindex = getI32(r, a, S); break;
      case 2: rec.forwarding = getI32(r, a, S); break;
      case 3: rec.rpFilter = getI32(r, a, S); break;
      case 4: rec.mcForwarding = getI32(r, a, S); break;
      case 5: rec.proxyNeigh = getI32(r, a, S); break;
      case 6: rec.ignoreRoutesWithLinkdown = getI32(r, a, S); break;
      case 7: rec.input = getI32(r, a, S); break;
      case 8: rec.bcForwarding = getI32(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

function decodeNexthop(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  // Groups are AF_UNSPEC whatever their members; AF_BRIDGE (fdb) and AF_INET6 are skipped.
  if (family !== AF_INET && family !== AF_UNSPEC) return skipFamily(meta.nlmsgType, family);
  let id: number | undefined;
  const rec: Mutable<NexthopRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'nexthop',
    op: opOf(meta.nlmsgType, RTM_NEWNEXTHOP),
    family,
    scope: r.u8(H + 1),
    protocol: r.u8(H + 2),
    flags: r.u32(H + 4),
    id: 0,
    blackhole: false,
    fdb: false,
  };
  const S = 'NHA';
  for (const a of walkAttrs(r, H + 8, r.length, S)) {
    switch (a.type) {
      case 1: id = getU32(r, a, S); break;
      case 2: {
        if (a.len % 8 !== 0) {
          throw new Fault(a.at, 'a multiple of 8 bytes (struct nexthop_grp)',
            `NHA_GROUP (type 2) has a ${a.len}-byte payload, not a multiple of 8`);
        }
        const group: NexthopGroupEntry[] = [];
        for (let k = 0; k < a.len; k += 8) {
          const weightMinusOne = r.u8(a.start + k + 4) | (r.u8(a.start + k + 5) << 8);
          group.push({ id: r.u32(a.start + k), weight: weightMinusOne + 1 });
        }
        rec.group = group;
        break;
      }
      case 3: rec.groupType = getU16(r, a, S); break;
      case 4: rec.blackhole = true; break;
      case 5: rec.oif = getU32(r, a, S); break;
      case 6: rec.gateway = getIpv4(r, a, S); break;
      case 11: rec.fdb = true; break;
      default: break;
    }
  }
  if (id === undefined) {
    return { ok: false, fault: new Fault(H + 8, 'an NHA_ID attribute', 'nexthop message has no NHA_ID (type 1)') };
  }
  rec.id = id;
  return { ok: true, record: withTime(rec, meta) };
}

/**
 * Where a message cut short by the end of the file was cut: inside its fixed header or inside
 * which attribute. `present` is the number of bytes of the message that exist.
 */
export function locateCut(partial: Uint8Array, le: boolean, type: number): { at: number; what: string } {
  if (partial.length < NLMSG_HDRLEN) return { at: 0, what: 'the 16-byte netlink header' };
  const fixed = fixedHeaderSize(type);
  if (fixed === undefined) return { at: NLMSG_HDRLEN, what: 'the payload' };
  if (partial.length < NLMSG_HDRLEN + fixed) {
    return { at: NLMSG_HDRLEN, what: `the ${fixed}-byte ${FIXED_HEADER_NAMES[type] ?? 'fixed header'}` };
  }
  const r = new Reader(partial, le);
  const space = attrSpace(type);
  let pos = NLMSG_HDRLEN + (type === RTM_NEWNETCONF || type === RTM_DELNETCONF ? 4 : fixed);
  if (pos > partial.length) {
    return { at: NLMSG_HDRLEN + fixed, what: `the padding after the ${FIXED_HEADER_NAMES[type] ?? 'fixed header'}` };
  }
  for (;;) {
    if (pos === partial.length) return { at: pos, what: 'the attribute list, after a complete attribute' };
    if (partial.length - pos < 4) return { at: pos, what: 'an attribute header' };
    const len = r.u16(pos);
    const atype = r.u16(pos + 2) & 0x3fff;
    if (len < 4) return { at: pos, what: `a malformed attribute (rta_len ${len})` };
    if (pos + len > partial.length) return { at: pos, what: `attribute ${attrName(space, atype)}` };
    if (pos + align4(len) > partial.length) return { at: pos + len, what: `the padding after attribute ${attrName(space, atype)}` };
    pos += align4(len);
  }
}
