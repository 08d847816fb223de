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
//
// One module per message family: _rtnl-decode-link.ts (link, addr, netconf),
// _rtnl-decode-route.ts (route, nexthop), _rtnl-decode-rule.ts (rule), _rtnl-decode-qdisc.ts
// (root qdiscs: the `qdisc` of a link).

import { nlmsgTypeName } from './netlink-records.js';
import { RTM_DELADDR, RTM_DELLINK, RTM_DELNETCONF, RTM_DELQDISC, RTM_DELROUTE, RTM_DELRULE, RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNETCONF, RTM_NEWQDISC, RTM_NEWROUTE, RTM_NEWRULE } from '../uapi/rtnetlink.js';
import { type DecodeOutcome, type DecodeResult, FIXED_HEADER_NAMES, Fault, isDecodeFailure, type FrameMeta, NLMSG_HDRLEN, Reader, SHARED_READER, align4, attrName, attrSpace, fixedHeaderSize } from './_rtnl-attrs.js';
import { decodeAddr, decodeLink, decodeNetconf } from './_rtnl-decode-link.js';
import { decodeNexthop, decodeRoute } from './_rtnl-decode-route.js';
import { decodeRule } from './_rtnl-decode-rule.js';
import { decodeQdisc } from './_rtnl-decode-qdisc.js';

export { decodeRoute } from './_rtnl-decode-route.js';

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
export function decodeMessage(...args: Parameters<typeof decodeRecord>): DecodeOutcome {
  const r = decodeRecord(...args);
  return isDecodeFailure(r) ? r : { ok: true, record: r };
}

/**
 * decodeMessage() giving the record itself on success (a DecodeResult): what rtmon's reader
 * calls for every record, where the wrapper was an object per record.
 */
export function decodeRecord(
  bytes: Uint8Array,
  le: boolean,
  meta: FrameMeta,
  base = 0,
  length: number = bytes.length - base,
  view?: DataView,
): DecodeResult {
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
      case RTM_NEWLINK: case RTM_DELLINK: return unwrap(decodeLink(r, meta));
      case RTM_NEWADDR: case RTM_DELADDR: return unwrap(decodeAddr(r, meta));
      case RTM_NEWROUTE: case RTM_DELROUTE: return decodeRoute(r, meta);
      case RTM_NEWRULE: case RTM_DELRULE: return unwrap(decodeRule(r, meta));
      case RTM_NEWNETCONF: case RTM_DELNETCONF: return unwrap(decodeNetconf(r, meta));
      case RTM_NEWQDISC: case RTM_DELQDISC: return unwrap(decodeQdisc(r, meta));
      default: return unwrap(decodeNexthop(r, meta));
    }
  } catch (e) {
    if (e instanceof Fault) return { ok: false, fault: e };
    // A RangeError from DataView would mean a bounds check above is wrong; report it as a fault
    // rather than throwing out of a reader.
    return { ok: false, fault: new Fault(0, 'a well-formed message', `internal bounds error: ${String(e)}`) };
  }
}

function unwrap(o: DecodeOutcome): DecodeResult {
  return o.ok === true ? o.record : o;
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
