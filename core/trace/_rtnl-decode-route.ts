// RTM_NEWROUTE/DELROUTE and RTM_NEWNEXTHOP/DELNEXTHOP decoded: the attributes iproute2 6.1
// reads in print_route()/print_rta_multipath() (ip/iproute.c) and ipnh_parse_nhmsg()
// (ip/ipnexthop.c), each by its uapi constant. Split from _rtnl-decode.ts.

import { AF_INET, AF_INET6, AF_UNSPEC } from '../uapi/socket.js';
import { nlmsgTypeName } from './netlink-records.js';
import { RTA_DST, RTA_SRC, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH, RTA_FLOW, RTA_TABLE, RTA_VIA, RTA_NH_ID, RTA_ENCAP, RTA_ENCAP_TYPE, RTM_F_CLONED, RTM_NEWNEXTHOP, RTM_NEWROUTE } from '../uapi/rtnetlink.js';
import type { NexthopGroupEntry, NexthopRecord, Op, RouteNexthop, RouteRecord, RouteVia } from './netlink-records.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';
import {
  NHA_ID, NHA_GROUP, NHA_GROUP_TYPE, NHA_BLACKHOLE, NHA_OIF, NHA_GATEWAY, NHA_FDB, NHA_ENCAP, NHA_ENCAP_TYPE,
} from '../uapi/nexthop.js';
import { type Attr, type DecodeOutcome, type DecodeResult, Fault, type FrameMeta, type Mutable, ROUTE_ATTRS, Reader, align4, attrName, getIpv4, getString, getU16, getU32, ipv4At, ipv6At, need, walkAttrs, withTime } from './_rtnl-attrs.js';
import { H, opOf, skipFamily } from './_rtnl-msg.js';
import { plainRoute } from './_rtnl-route-plain.js';

function getVia(r: Reader, a: Attr, space: string): RouteVia {
  need(a, space, 2, false);
  const family = r.u16(a.start);
  const n = a.len - 2;
  if (family === AF_INET && n === 4) return { family, address: ipv4At(r.bytes, r.base + a.start + 2) };
  if (family === AF_INET6 && n === 16) return { family, address: ipv6At(r.bytes, r.base + a.start + 2) };
  throw new Fault(a.at, 'an rtvia of family 2 with 4 address bytes or family 10 with 16',
    `${attrName(space, a.type)} has family ${family} and ${n} address bytes`);
}

export function decodeMultipath(r: Reader, a: Attr): RouteNexthop[] {
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

/** A route message's record (not wrapped: see DecodeResult), or why none. */
export function decodeRoute(r: Reader, meta: FrameMeta): DecodeResult {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const flags = r.u32(H + 8);
  // Cached (RTM_F_CLONED) routes are answers of the route cache, not FIB changes; ip monitor
  // does not print them either (accept_msg() in ip/ipmonitor.c).
  if ((flags & RTM_F_CLONED) !== 0) return { ok: 'skip', reason: `${nlmsgTypeName(meta.nlmsgType)}/cloned` };
  const op = opOf(meta.nlmsgType, RTM_NEWROUTE);
  // The commonest message as one object (_rtnl-route-plain.ts); null: the general path below.
  const plain = plainRoute(r, meta, op, family, flags);
  if (plain !== null) return plain;
  if (hasEncap(r)) return { ok: 'skip', reason: `${nlmsgTypeName(meta.nlmsgType)}/AF_INET with RTA_ENCAP (lightweight tunnel)` };
  return routeFromAttrs(r, meta, op, family, flags);
}

/**
 * Whether the route, or one of its RTA_MULTIPATH legs, has a lightweight tunnel
 * encapsulation (RTA_ENCAP_TYPE/RTA_ENCAP: `ip route add … encap ip id 10 dst 192.0.2.2 dev
 * vx0`, which fib_nexthop_info() sends with lwtunnel_fill_encap()). The model has no
 * lwtunnel state: such a route is not modelled, and is skipped by name rather than replayed
 * as a route without its encapsulation (its lookups and dumps differ).
 */
function hasEncap(r: Reader): boolean {
  for (const a of walkAttrs(r, H + 12, r.length, 'RTA')) {
    if (a.type === RTA_ENCAP || a.type === RTA_ENCAP_TYPE) return true;
    if (a.type !== RTA_MULTIPATH) continue;
    const end = a.start + a.len;
    for (let pos = a.start; end - pos >= 8;) {
      const len = r.u16(pos);
      if (len < 8 || pos + len > end) break;
      for (const x of walkAttrs(r, pos + 8, pos + len, 'RTA')) if (x.type === RTA_ENCAP || x.type === RTA_ENCAP_TYPE) return true;
      pos += align4(len);
    }
  }
  return false;
}

/**
 * The general path of decodeRoute(): the header fields, then each attribute as it comes
 * (throws a Fault on a malformed one). Exported for the test that compares it with
 * plainRoute().
 */
export function routeFromAttrs(r: Reader, meta: FrameMeta, op: Op, family: number, flags: number): RouteRecord {
  const rec: Mutable<RouteRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'route',
    op,
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
          if (name === undefined) continue;
          // RTAX_CC_ALGO is the algorithm's name (rtnetlink_put_metrics: nla_put_string).
          if (name === 'congctl') rec.congctl = getString(r, x);
          else m[name] = getU32(r, x, 'RTAX');
        }
        if (Object.keys(m).length > 0) rec.metrics = m;
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
  return withTime(rec, meta);
}

export function decodeNexthop(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  // Groups are AF_UNSPEC whatever their members; AF_INET6 nexthops (fib6_nh) are kept, as
  // IPv4 routes may use them (Linux >= 5.2); AF_BRIDGE (fdb) and others are skipped.
  if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNSPEC) return skipFamily(meta.nlmsgType, family);
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
      case NHA_GATEWAY:
        if (family === AF_INET6) {
          need(a, S, 16, true);
          rec.gateway = ipv6At(r.bytes, r.base + a.start);
        } else rec.gateway = getIpv4(r, a, S);
        break;
      case NHA_FDB: rec.fdb = true; break;
      // A nexthop object with a lightweight tunnel (nh_fill_node(): lwtunnel_fill_encap()):
      // not modelled, skipped by name (see hasEncap()).
      case NHA_ENCAP: case NHA_ENCAP_TYPE:
        return { ok: 'skip', reason: `${nlmsgTypeName(meta.nlmsgType)}/${family === AF_INET6 ? 'AF_INET6' : 'AF_INET'} with NHA_ENCAP (lightweight tunnel)` };
      case 12: {
        // NHA_RES_GROUP (nested): BUCKETS u16, IDLE_TIMER u32, UNBALANCED_TIMER u32 (clock_t).
        const res: { buckets?: number; idleTimer?: number; unbalancedTimer?: number } = {};
        for (const n of walkAttrs(r, a.start, a.start + a.len, 'NHA_RES_GROUP')) {
          if (n.type === 1) res.buckets = getU16(r, n, 'NHA_RES_GROUP');
          else if (n.type === 2) res.idleTimer = getU32(r, n, 'NHA_RES_GROUP');
          else if (n.type === 3) res.unbalancedTimer = getU32(r, n, 'NHA_RES_GROUP');
        }
        rec.res = res;
        break;
      }
      default: break;
    }
  }
  if (id === undefined) {
    return { ok: false, fault: new Fault(H + 8, 'an NHA_ID attribute', 'nexthop message has no NHA_ID (type 1)') };
  }
  rec.id = id;
  return { ok: true, record: withTime(rec, meta) };
}
