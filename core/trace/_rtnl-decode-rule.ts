// RTM_NEWRULE/DELRULE decoded: the FRA_* attributes iproute2 6.1 reads in print_rule()
// (ip/iprule.c), each by its uapi constant. Split from _rtnl-decode.ts.

import { AF_INET } from '../uapi/socket.js';
import { RTM_NEWRULE } from '../uapi/rtnetlink.js';
import type { RuleRecord } from './netlink-records.js';
import {
  FRA_DST, FRA_SRC, FRA_IIFNAME, FRA_GOTO, FRA_PRIORITY, FRA_FWMARK, FRA_FLOW, FRA_TUN_ID,
  FRA_SUPPRESS_IFGROUP, FRA_SUPPRESS_PREFIXLEN, FRA_TABLE, FRA_FWMASK, FRA_OIFNAME, FRA_L3MDEV,
  FRA_UID_RANGE, FRA_PROTOCOL, FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_DSCP,
  FRA_SPORT_MASK, FRA_DPORT_MASK, FRA_DSCP_MASK,
} from '../uapi/fib-rules.js';
import { type Attr, type DecodeOutcome, type FrameMeta, type Mutable, Reader, getIpv4, getString, getU16, getU32, getU8, need, walkAttrs, withTime } from './_rtnl-attrs.js';
import { H, opOf, skipFamily } from './_rtnl-msg.js';

function getRange32(r: Reader, a: Attr, space: string): { start: number; end: number } {
  need(a, space, 8, false);
  return { start: r.u32(a.start), end: r.u32(a.start + 4) };
}
function getRange16(r: Reader, a: Attr, space: string): { start: number; end: number } {
  need(a, space, 4, false);
  return { start: r.u16(a.start), end: r.u16(a.start + 2) };
}

export function decodeRule(r: Reader, meta: FrameMeta): DecodeOutcome {
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
