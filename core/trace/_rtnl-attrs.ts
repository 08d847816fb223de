// The attribute layer of an rtnetlink message: a byte-order-aware reader over one message,
// the rtattr walk of parse_rtattr() / RTA_OK() (lib/libnetlink.c), typed getters that check
// an attribute's length, the fixed header sizes, and attribute names (built from the uapi
// constants) for error messages. Faults are thrown as `Fault` values and caught by
// decodeMessage() (_rtnl-decode.ts), which never throws.

import { AF_INET, AF_INET6 } from '../uapi/socket.js';
import {
  RTA_DST, RTA_FLOW, RTA_GATEWAY, RTA_IIF, RTA_METRICS, RTA_MULTIPATH, RTA_NH_ID, RTA_OIF,
  RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE, RTA_VIA, RTM_DELADDR, RTM_DELLINK, RTM_DELNETCONF,
  RTM_DELNEXTHOP, RTM_DELROUTE, RTM_DELRULE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNETCONF,
  RTM_NEWNEXTHOP, RTM_NEWROUTE, RTM_NEWRULE, RTM_NEWQDISC, RTM_DELQDISC, TCA_KIND,
} from '../uapi/rtnetlink.js';
import type { NetlinkRecord, Timestamp } from './netlink-records.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';
import {
  IFLA_ADDRESS, IFLA_AF_SPEC, IFLA_BROADCAST, IFLA_CARRIER, IFLA_EVENT, IFLA_GROUP, IFLA_IFNAME,
  IFLA_INET_CONF, IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND, IFLA_LINK, IFLA_LINKINFO,
  IFLA_LINK_NETNSID, IFLA_MASTER, IFLA_TXQLEN, IFLA_IFALIAS, IFLA_MTU, IFLA_OPERSTATE, IFLA_PROTO_DOWN, IFLA_QDISC,
} from '../uapi/if-link.js';
import {
  IFA_ADDRESS, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_LABEL, IFA_LOCAL, IFA_RT_PRIORITY,
} from '../uapi/if-addr.js';
import {
  FRA_DPORT_MASK, FRA_DPORT_RANGE, FRA_DSCP, FRA_DSCP_MASK, FRA_DST, FRA_FLOW, FRA_FWMARK,
  FRA_FWMASK, FRA_GOTO, FRA_IIFNAME, FRA_IP_PROTO, FRA_L3MDEV, FRA_OIFNAME, FRA_PRIORITY,
  FRA_PROTOCOL, FRA_SPORT_MASK, FRA_SPORT_RANGE, FRA_SRC, FRA_SUPPRESS_IFGROUP,
  FRA_SUPPRESS_PREFIXLEN, FRA_TABLE, FRA_TUN_ID, FRA_UID_RANGE,
} from '../uapi/fib-rules.js';
import {
  NETCONFA_BC_FORWARDING, NETCONFA_FORWARDING, NETCONFA_IFINDEX,
  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_INPUT, NETCONFA_MC_FORWARDING,
  NETCONFA_PROXY_NEIGH, NETCONFA_RP_FILTER,
} from '../uapi/netconf.js';
import {
  NHA_BLACKHOLE, NHA_FDB, NHA_GATEWAY, NHA_GROUP, NHA_GROUP_TYPE, NHA_ID, NHA_OIF,
} from '../uapi/nexthop.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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
  | DecodeFailure;

/** A message not decoded: skipped (not modelled) or malformed. */
export type DecodeFailure =
  | { readonly ok: 'skip'; readonly reason: string }
  | { readonly ok: false; readonly fault: Fault };

/**
 * The record itself, or why there is none: what rtmon's reader takes (decodeRecord() in
 * _rtnl-decode.ts), without the wrapper of a DecodeOutcome (an object per record).
 */
export type DecodeResult = NetlinkRecord | DecodeFailure;

/** Whether a DecodeResult is a failure (a record has no `ok`). */
export function isDecodeFailure(x: DecodeResult): x is DecodeFailure {
  return (x as { readonly ok?: unknown }).ok !== undefined;
}

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
export function withTime<T extends { time?: Timestamp }>(rec: T, meta: FrameMeta): T {
  if (meta.time !== undefined) rec.time = meta.time;
  return rec;
}

export const NLMSG_HDRLEN = 16;

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
    case RTM_NEWQDISC: case RTM_DELQDISC: return 20; // tcmsg
    default: return undefined;
  }
}

export const FIXED_HEADER_NAMES: Readonly<Record<number, string>> = {
  16: 'ifinfomsg', 17: 'ifinfomsg', 20: 'ifaddrmsg', 21: 'ifaddrmsg', 24: 'rtmsg', 25: 'rtmsg',
  32: 'fib_rule_hdr', 33: 'fib_rule_hdr', 80: 'netconfmsg', 81: 'netconfmsg', 104: 'nhmsg',
  105: 'nhmsg', 36: 'tcmsg', 37: 'tcmsg',
};

/** { NAME: number } -> { number: 'NAME' }: a name table from the constants themselves. */
function byNumber(consts: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  return Object.fromEntries(Object.entries(consts).map(([name, n]) => [n, name]));
}

/** Attribute names per message type, for error messages. */
const ATTR_NAMES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  IFLA: byNumber({ IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_QDISC, IFLA_MASTER, IFLA_TXQLEN, IFLA_OPERSTATE, IFLA_LINKINFO, IFLA_IFALIAS, IFLA_AF_SPEC, IFLA_GROUP, IFLA_CARRIER, IFLA_LINK_NETNSID, IFLA_PROTO_DOWN, IFLA_EVENT }),
  IFLA_INFO: byNumber({ IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND }),
  IFLA_AF: { [AF_INET]: 'IFLA_AF_SPEC/AF_INET', [AF_INET6]: 'IFLA_AF_SPEC/AF_INET6' },
  IFLA_INET: byNumber({ IFLA_INET_CONF }),
  IFA: byNumber({ IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_RT_PRIORITY }),
  RTA: byNumber({ RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH, RTA_FLOW, RTA_TABLE, RTA_VIA, RTA_NH_ID }),
  RTAX: Object.fromEntries(RTAX_NAMES.flatMap((n, i) => (n === undefined ? [] : [[i, `RTAX_${n.toUpperCase()}`]]))),
  FRA: byNumber({ FRA_DST, FRA_SRC, FRA_IIFNAME, FRA_GOTO, FRA_PRIORITY, FRA_FWMARK, FRA_FLOW, FRA_TUN_ID, FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN, FRA_TABLE, FRA_FWMASK, FRA_OIFNAME, FRA_L3MDEV, FRA_UID_RANGE, FRA_PROTOCOL, FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_DSCP, FRA_SPORT_MASK, FRA_DPORT_MASK, FRA_DSCP_MASK }),
  NETCONFA: byNumber({ NETCONFA_IFINDEX, NETCONFA_FORWARDING, NETCONFA_RP_FILTER, NETCONFA_MC_FORWARDING, NETCONFA_PROXY_NEIGH, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_INPUT, NETCONFA_BC_FORWARDING }),
  TCA: byNumber({ TCA_KIND }),
  NHA: byNumber({ NHA_ID, NHA_GROUP, NHA_GROUP_TYPE, NHA_BLACKHOLE, NHA_OIF, NHA_GATEWAY, NHA_FDB }),
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
    case RTM_NEWQDISC: case RTM_DELQDISC: return 'TCA';
    default: return 'attribute';
  }
}

/** `RTA_GATEWAY (type 5)`, or `RTA type 77` when unnamed. */
export function attrName(space: string, type: number): string {
  const n = ATTR_NAMES[space]?.[type];
  return n === undefined ? `${space} type ${type}` : `${n} (type ${type})`;
}

/** One attribute: positions are relative to the message start. */
export interface Attr {
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
export class Reader {
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
export function walkAttrs(r: Reader, start: number, end: number, space: string): Attr[] {
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

export const SHARED_READER = new Reader(new Uint8Array(4), true);

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
export const ROUTE_ATTRS = new AttrCursor(SHARED_READER, 0, 0, 'RTA');

export function need(a: Attr, space: string, size: number, exact: boolean): void {
  if (exact ? a.len !== size : a.len < size) {
    throw new Fault(a.at, `a ${exact ? '' : 'payload of at least '}${size}-byte${exact ? ' payload' : ''}`,
      `${attrName(space, a.type)} has a ${a.len}-byte payload, expected ${exact ? '' : 'at least '}${size}`);
  }
}

export function getU8(r: Reader, a: Attr, space: string): number {
  need(a, space, 1, false);
  return r.u8(a.start);
}
export function getU16(r: Reader, a: Attr, space: string): number {
  need(a, space, 2, false);
  return r.u16(a.start);
}
export function getU32(r: Reader, a: Attr, space: string): number {
  need(a, space, 4, false);
  return r.u32(a.start);
}
export function getI32(r: Reader, a: Attr, space: string): number {
  need(a, space, 4, false);
  return r.i32(a.start);
}
export function getIpv4(r: Reader, a: Attr, space: string): string {
  need(a, space, 4, true);
  return ipv4At(r.bytes, r.base + a.start);
}
export function getString(r: Reader, a: Attr): string {
  const from = r.base + a.start;
  let end = from;
  const stop = from + a.len;
  while (end < stop && r.bytes[end] !== 0) end++;
  return latin1OrUtf8(r.bytes.subarray(from, end));
}
export function getMac(r: Reader, a: Attr): string {
  const parts: string[] = [];
  for (let i = 0; i < a.len; i++) parts.push((r.bytes[r.base + a.start + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
function latin1OrUtf8(b: Uint8Array): string {
  return utf8.decode(b);
}

/** "0" … "255" and "0." … "255.", made once: a trace formats millions of addresses. */
const OCTET: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_DOT: readonly string[] = OCTET.map((o) => `${o}.`);

// The two halves of an address, "a.b." and "c.d", made on first use: an address is then one
// concatenation (one string) instead of three, and a full table meets a few tens of
// thousands of halves (at most 2 x 65,536 short strings).
const HEADS: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);
const TAILS: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);

/** A dotted quad from 4 bytes in network order. */
export function ipv4At(b: Uint8Array, at: number): string {
  const b0 = b[at] ?? 0;
  const b1 = b[at + 1] ?? 0;
  const b2 = b[at + 2] ?? 0;
  const b3 = b[at + 3] ?? 0;
  const hi = (b0 << 8) | b1;
  const lo = (b2 << 8) | b3;
  const head = HEADS[hi] ?? (HEADS[hi] = OCTET_DOT[b0]! + OCTET_DOT[b1]!);
  const tail = TAILS[lo] ?? (TAILS[lo] = OCTET_DOT[b2]! + OCTET[b3]!);
  return head + tail;
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
