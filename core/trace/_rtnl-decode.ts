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
// The attribute layer (reader, rtattr walk, typed getters, names) is _rtnl-attrs.ts; the switches
// here name every attribute by its uapi constant (core/uapi/). Faults are thrown as `Fault`
// values inside these two modules only and returned as values by
// `decodeMessage`, which never throws.

import { AF_INET, AF_INET6, AF_UNSPEC } from '../uapi/socket.js';
import { familyName, nlmsgTypeName } from './netlink-records.js';
import {
  RTA_DST, RTA_SRC, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH,
  RTA_FLOW, RTA_TABLE, RTA_VIA, RTA_NH_ID, RTM_DELADDR, RTM_DELLINK, RTM_DELNETCONF, RTM_DELROUTE,
  RTM_DELRULE, RTM_F_CLONED, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNETCONF, RTM_NEWNEXTHOP,
  RTM_NEWROUTE, RTM_NEWRULE,
} from '../uapi/rtnetlink.js';
import type {
  AddrRecord, LinkRecord, NetconfRecord, NexthopGroupEntry, NexthopRecord, Op, RouteNexthop,
  RouteRecord, RouteVia, RuleRecord,
} from './netlink-records.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';
import {
  IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_QDISC, IFLA_MASTER,
  IFLA_OPERSTATE, IFLA_LINKINFO, IFLA_AF_SPEC, IFLA_GROUP, IFLA_CARRIER, IFLA_LINK_NETNSID,
  IFLA_PROTO_DOWN, IFLA_EVENT, IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND, IFLA_INET_CONF,
} from '../uapi/if-link.js';
import {
  IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_RT_PRIORITY,
} from '../uapi/if-addr.js';
import {
  FRA_DST, FRA_SRC, FRA_IIFNAME, FRA_GOTO, FRA_PRIORITY, FRA_FWMARK, FRA_FLOW, FRA_TUN_ID,
  FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN, FRA_TABLE, FRA_FWMASK, FRA_OIFNAME, FRA_L3MDEV,
  FRA_UID_RANGE, FRA_PROTOCOL, FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_DSCP,
  FRA_SPORT_MASK, FRA_DPORT_MASK, FRA_DSCP_MASK,
} from '../uapi/fib-rules.js';
import {
  NETCONFA_IFINDEX, NETCONFA_FORWARDING, NETCONFA_RP_FILTER, NETCONFA_MC_FORWARDING,
  NETCONFA_PROXY_NEIGH, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_INPUT,
  NETCONFA_BC_FORWARDING,
} from '../uapi/netconf.js';
import {
  NHA_ID, NHA_GROUP, NHA_GROUP_TYPE, NHA_BLACKHOLE, NHA_OIF, NHA_GATEWAY, NHA_FDB,
} from '../uapi/nexthop.js';
import {
  type Attr, type DecodeOutcome, FIXED_HEADER_NAMES, Fault, type FrameMeta, type Mutable,
  NLMSG_HDRLEN, ROUTE_ATTRS, Reader, SHARED_READER, align4, attrName, attrSpace, fixedHeaderSize,
  getI32, getIpv4, getMac, getString, getU16, getU32, getU8, ipv4At, ipv6At, need, walkAttrs,
  withTime,
} from './_rtnl-attrs.js';

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
      case IFLA_ADDRESS: rec.address = getMac(r, a); break;
      case IFLA_BROADCAST: rec.broadcast = getMac(r, a); break;
      case IFLA_IFNAME: rec.name = getString(r, a); break;
      case IFLA_MTU: rec.mtu = getU32(r, a, S); break;
      case IFLA_LINK: rec.link = getI32(r, a, S); break;
      case IFLA_QDISC: rec.qdisc = getString(r, a); break;
      case IFLA_MASTER: rec.master = getI32(r, a, S); break;
      case IFLA_OPERSTATE: rec.operstate = getU8(r, a, S); break;
      case IFLA_LINKINFO:
        for (const i of walkAttrs(r, a.start, a.start + a.len, 'IFLA_INFO')) {
          if (i.type === IFLA_INFO_KIND) rec.linkKind = getString(r, i);
          else if (i.type === IFLA_INFO_SLAVE_KIND) rec.slaveKind = getString(r, i);
        }
        break;
      case IFLA_AF_SPEC:
        for (const f of walkAttrs(r, a.start, a.start + a.len, 'IFLA_AF')) {
          if (f.type !== AF_INET) continue;
          for (const c of walkAttrs(r, f.start, f.start + f.len, 'IFLA_INET')) {
            if (c.type !== IFLA_INET_CONF) continue;
            const conf: number[] = [];
            for (let k = 0; k + 4 <= c.len; k += 4) conf.push(r.u32(c.start + k));
            rec.inetConf = conf;
          }
        }
        break;
      case IFLA_GROUP: rec.group = getU32(r, a, S); break;
      case IFLA_CARRIER: rec.carrier = getU8(r, a, S) !== 0; break;
      case IFLA_LINK_NETNSID: rec.linkNetnsid = getI32(r, a, S); break;
      case IFLA_PROTO_DOWN: rec.protoDown = getU8(r, a, S) !== 0; break;
      case IFLA_EVENT: rec.event = getU32(r, a, S); break;
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
      case IFA_ADDRESS: rec.address = getIpv4(r, a, S); break;
      case IFA_LOCAL: rec.local = getIpv4(r, a, S); break;
      case IFA_LABEL: rec.label = getString(r, a); break;
      case IFA_BROADCAST: rec.broadcast = getIpv4(r, a, S); break;
      case IFA_CACHEINFO:
        need(a, S, 16, false);
        rec.preferredLft = r.u32(a.start);
        rec.validLft = r.u32(a.start + 4);
        break;
      case IFA_FLAGS: rec.flags = getU32(r, a, S); break;
      case IFA_RT_PRIORITY: rec.rtPriority = getU32(r, a, S); break;
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
      if (x.type === RTA_GATEWAY) leg.gateway = getIpv4(r, x, 'RTA');
      else if (x.type === RTA_FLOW) leg.flow = getU32(r, x, 'RTA');
      else if (x.type === RTA_VIA) leg.via = getVia(r, x, 'RTA');
    }
    legs.push(leg);
    pos += align4(len);
  }
  return legs;
}

export function decodeRoute(r: Reader, meta: FrameMeta): DecodeOutcome {
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
      case RTA_DST: {
        rec.dst = getIpv4(r, a, S);
        // Network order to a number, read once more here rather than parsed from the text.
        rec.dstAddr = r.view.getUint32(r.base + a.start, false);
        break;
      }
      case RTA_SRC: rec.src = getIpv4(r, a, S); break;
      case RTA_OIF: rec.oif = getU32(r, a, S); break;
      case RTA_GATEWAY: rec.gateway = getIpv4(r, a, S); break;
      case RTA_PRIORITY: rec.priority = getU32(r, a, S); break;
      case RTA_PREFSRC: rec.prefsrc = getIpv4(r, a, S); break;
      case RTA_METRICS: {
        const m: Record<string, number> = {};
        for (const x of walkAttrs(r, a.start, a.start + a.len, 'RTAX')) {
          const name = RTAX_NAMES[x.type];
          if (name === undefined || name === 'congctl') continue; // RTAX_CC_ALGO is a string
          m[name] = getU32(r, x, 'RTAX');
        }
        rec.metrics = m;
        break;
      }
      case RTA_MULTIPATH: rec.multipath = decodeMultipath(r, a); break;
      case RTA_FLOW: rec.flow = getU32(r, a, S); break;
      case RTA_TABLE: rec.table = getU32(r, a, S); break;
      case RTA_VIA: rec.via = getVia(r, a, S); break;
      case RTA_NH_ID: rec.nhId = getU32(r, a, S); break;
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
      case FRA_DST: rec.dst = getIpv4(r, a, S); break;
      case FRA_SRC: rec.src = getIpv4(r, a, S); break;
      case FRA_IIFNAME: rec.iifName = getString(r, a); break;
      case FRA_GOTO: rec.goto = getU32(r, a, S); break;
      case FRA_PRIORITY: rec.priority = getU32(r, a, S); break;
      case FRA_FWMARK: rec.fwmark = getU32(r, a, S); break;
      case FRA_FLOW: rec.flow = getU32(r, a, S); break;
      case FRA_TUN_ID: {
        need(a, S, 8, false);
        // FRA_TUN_ID is a __be64 whatever the host's byte order.
        rec.tunId = r.view.getBigUint64(r.base + a.start, false).toString();
        break;
      }
      case FRA_SUPPRESS_IFGROUP: { const v = getU32(r, a, S); if (v !== 0xffffffff) rec.suppressIfgroup = v; break; }
      case FRA_SUPPRESS_PREFIXLEN: { const v = getU32(r, a, S); if (v !== 0xffffffff) rec.suppressPrefixlen = v; break; }
      case FRA_TABLE: rec.table = getU32(r, a, S); break;
      case FRA_FWMASK: rec.fwmask = getU32(r, a, S); break;
      case FRA_OIFNAME: rec.oifName = getString(r, a); break;
      case FRA_L3MDEV: rec.l3mdev = getU8(r, a, S); break;
      case FRA_UID_RANGE: rec.uidRange = getRange32(r, a, S); break;
      case FRA_PROTOCOL: rec.protocol = getU8(r, a, S); break;
      case FRA_IP_PROTO: rec.ipProto = getU8(r, a, S); break;
      case FRA_SPORT_RANGE: rec.sportRange = getRange16(r, a, S); break;
      case FRA_DPORT_RANGE: rec.dportRange = getRange16(r, a, S); break;
      case FRA_DSCP: rec.dscp = getU8(r, a, S); break;
      case FRA_SPORT_MASK: rec.sportMask = getU16(r, a, S); break;
      case FRA_DPORT_MASK: rec.dportMask = getU16(r, a, S); break;
      case FRA_DSCP_MASK: rec.dscpMask = getU8(r, a, S); break;
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
      case NETCONFA_IFINDEX: rec.ifindex = getI32(r, a, S); break;
      case NETCONFA_FORWARDING: rec.forwarding = getI32(r, a, S); break;
      case NETCONFA_RP_FILTER: rec.rpFilter = getI32(r, a, S); break;
      case NETCONFA_MC_FORWARDING: rec.mcForwarding = getI32(r, a, S); break;
      case NETCONFA_PROXY_NEIGH: rec.proxyNeigh = getI32(r, a, S); break;
      case NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: rec.ignoreRoutesWithLinkdown = getI32(r, a, S); break;
      case NETCONFA_INPUT: rec.input = getI32(r, a, S); break;
      case NETCONFA_BC_FORWARDING: rec.bcForwarding = getI32(r, a, S); break;
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
      case NHA_ID: id = getU32(r, a, S); break;
      case NHA_GROUP: {
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
      case NHA_GROUP_TYPE: rec.groupType = getU16(r, a, S); break;
      case NHA_BLACKHOLE: rec.blackhole = true; break;
      case NHA_OIF: rec.oif = getU32(r, a, S); break;
      case NHA_GATEWAY: rec.gateway = getIpv4(r, a, S); break;
      case NHA_FDB: rec.fdb = true; break;
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
