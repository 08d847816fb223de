// The commonest route message, decoded as one object: RTA_TABLE, RTA_DST, [RTA_GATEWAY,]
// RTA_OIF and nothing else, in that order — what the kernel sends for `ip route add|del
// PREFIX [via GW] dev DEV` (fib_dump_info(): RTA_TABLE, RTA_DST, then fib_nexthop_info():
// the gateway before the device), and all of a full-table load.
//
// Why: decodeRoute() starts from the header fields and adds each attribute as it meets it,
// so every record of a trace grew its property store twice (once for the attributes, once
// for the time stamp): two objects per record more than a literal with every field. The
// literal here has the very fields, in the very order, decodeRoute()'s general path gives
// (header fields, attributes in message order, time last); anything else (another
// attribute, another order, a length the general path would check or refuse) returns null
// and takes that path. test/trace/route-plain.test.ts compares both on such messages.

import type { RouteRecord } from './fib-records.js';
import { RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_TABLE } from '../uapi/rtnetlink.js';
import { ipv4At, type FrameMeta, type Reader } from './_rtnl-attrs.js';
import { H } from './_rtnl-msg.js';
import type { Op } from './netlink-records.js';

/**
 * The attribute of type `type` with a 4-byte payload at `pos`, else false (then the general
 * path decides). Read through the view directly: the 8 bytes are checked to be inside the
 * message first, as the Reader's methods would check each read.
 */
function attr4(r: Reader, pos: number, type: number): boolean {
  return r.length - pos >= 8 && r.view.getUint16(r.base + pos, r.le) === 8 && (r.view.getUint16(r.base + pos + 2, r.le) & 0x3fff) === type;
}

/**
 * The record of a plain route message (see above), or null. `family` and `flags` are read
 * by the caller, which has checked them (AF_INET, not RTM_F_CLONED).
 */
export function plainRoute(r: Reader, meta: FrameMeta, op: Op, family: number, flags: number): RouteRecord | null {
  let pos = H + 12;
  if (!attr4(r, pos, RTA_TABLE)) return null;
  const v = r.view;
  const base = r.base;
  const table = v.getUint32(base + pos + 4, r.le);
  pos += 8;
  if (!attr4(r, pos, RTA_DST)) return null;
  const dstAt = pos + 4;
  pos += 8;
  let gwAt = -1;
  if (attr4(r, pos, RTA_GATEWAY)) {
    gwAt = pos + 4;
    pos += 8;
  }
  if (!attr4(r, pos, RTA_OIF)) return null;
  const oif = v.getUint32(base + pos + 4, r.le);
  pos += 8;
  // Fewer than 4 bytes left are ignored, as the general path (RTA_OK()) ignores them.
  if (r.length - pos >= 4) return null;
  const dst = ipv4At(r.bytes, base + dstAt);
  // Network order to a number, as the general path reads it.
  const dstAddr = v.getUint32(base + dstAt, false);
  const time = meta.time;
  // The rtmsg (inside the message: its attributes follow it).
  const dstLen = v.getUint8(base + H + 1);
  const srcLen = v.getUint8(base + H + 2);
  const tos = v.getUint8(base + H + 3);
  const protocol = v.getUint8(base + H + 5);
  const scope = v.getUint8(base + H + 6);
  const type = v.getUint8(base + H + 7);
  const { offset, nlmsgType, nlmsgFlags, nlmsgSeq, nlmsgPid, dump } = meta;
  if (gwAt < 0) {
    return time === undefined
      ? { offset, nlmsgType, nlmsgFlags, nlmsgSeq, nlmsgPid, dump, kind: 'route', op, family, dstLen, srcLen, tos, table, protocol, scope, type, flags, dst, dstAddr, oif }
      : { offset, nlmsgType, nlmsgFlags, nlmsgSeq, nlmsgPid, dump, kind: 'route', op, family, dstLen, srcLen, tos, table, protocol, scope, type, flags, dst, dstAddr, oif, time };
  }
  const gateway = ipv4At(r.bytes, base + gwAt);
  return time === undefined
    ? { offset, nlmsgType, nlmsgFlags, nlmsgSeq, nlmsgPid, dump, kind: 'route', op, family, dstLen, srcLen, tos, table, protocol, scope, type, flags, dst, dstAddr, gateway, oif }
    : { offset, nlmsgType, nlmsgFlags, nlmsgSeq, nlmsgPid, dump, kind: 'route', op, family, dstLen, srcLen, tos, table, protocol, scope, type, flags, dst, dstAddr, gateway, oif, time };
}
