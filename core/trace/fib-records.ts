// The FIB's own records (see netlink-records.ts): RTM_NEWROUTE/DELROUTE (struct rtmsg and
// RTA_*, include/uapi/linux/rtnetlink.h), RTM_NEWRULE/DELRULE (struct fib_rule_hdr and FRA_*,
// fib_rules.h) and RTM_NEWNEXTHOP/DELNEXTHOP (struct nhmsg and NHA_*, nexthop.h).
// Split from netlink-records.ts.

import type { Op, RecordMeta } from './record-meta.js';

/** One leg of RTA_MULTIPATH (struct rtnexthop and its attributes). */
export interface RouteNexthop {
  /** rtnh_flags (RTNH_F_DEAD 0x1, ONLINK 0x4, LINKDOWN 0x10 ...). */
  readonly flags: number;
  /** rtnh_hops: weight - 1. */
  readonly hops: number;
  /** rtnh_ifindex; absent in text. */
  readonly ifindex?: number;
  /** Text only: the device name. */
  readonly dev?: string;
  readonly gateway?: string;
  /** RTA_FLOW (realms). */
  readonly flow?: number;
  /** RTA_VIA: a gateway of another family (IPv4 route via IPv6). */
  readonly via?: RouteVia;
}

export interface RouteVia {
  readonly family: number;
  readonly address: string;
}

/** RTA_METRICS, by iproute2 name (mtu, advmss, window, rtt ...) plus `lock` (RTAX_LOCK bits). */
export type RouteMetrics = Readonly<Record<string, number>>;

/** RTM_NEWROUTE / RTM_DELROUTE of family AF_INET. */
export interface RouteRecord extends RecordMeta {
  readonly kind: 'route';
  readonly op: Op;
  readonly family: number;
  readonly dstLen: number;
  readonly srcLen: number;
  readonly tos: number;
  /** RTA_TABLE when present, else rtm_table. */
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  /** rtm_type (RTN_UNICAST 1 ... RTN_THROW 9). */
  readonly type: number;
  /** rtm_flags: RTNH_F_* of a single-nexthop route in the low byte, RTM_F_* above. */
  readonly flags: number;
  /** RTA_DST, absent for 0.0.0.0/0. */
  readonly dst?: string;
  /** RTA_DST as a number (host order), given by the binary reader beside `dst`. */
  readonly dstAddr?: number;
  readonly src?: string;
  readonly gateway?: string;
  readonly via?: RouteVia;
  /** RTA_OIF; absent in text. */
  readonly oif?: number;
  /** Text only: `dev NAME`. */
  readonly dev?: string;
  /** RTA_PRIORITY (the metric); absent when 0. */
  readonly priority?: number;
  readonly prefsrc?: string;
  readonly multipath?: readonly RouteNexthop[];
  /** RTA_NH_ID: the route uses a nexthop object. */
  readonly nhId?: number;
  readonly metrics?: RouteMetrics;
  /** RTAX_CC_ALGO inside RTA_METRICS: the congestion control name (`congctl bbr`). */
  readonly congctl?: string;
  /** RTA_FLOW (realms: to | from << 16). */
  readonly flow?: number;
}

export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/** RTM_NEWRULE / RTM_DELRULE of family AF_INET. */
export interface RuleRecord extends RecordMeta {
  readonly kind: 'rule';
  readonly op: Op;
  readonly family: number;
  readonly dstLen: number;
  readonly srcLen: number;
  readonly tos: number;
  /** FRA_TABLE when present, else the header's table; 0 for actions other than lookup. */
  readonly table: number;
  /** FR_ACT_TO_TBL 1, GOTO 2, NOP 3, BLACKHOLE 6, UNREACHABLE 7, PROHIBIT 8. */
  readonly action: number;
  /** FIB_RULE_PERMANENT 0x1, INVERT 0x2, UNRESOLVED 0x4, IIF_DETACHED 0x8, OIF_DETACHED 0x10. */
  readonly flags: number;
  /** FRA_PRIORITY (text always prints one). */
  readonly priority?: number;
  readonly dst?: string;
  readonly src?: string;
  /** FRA_IIFNAME: rules hold names, not ifindexes. */
  readonly iifName?: string;
  readonly oifName?: string;
  /** FRA_GOTO: target priority. */
  readonly goto?: number;
  readonly fwmark?: number;
  readonly fwmask?: number;
  readonly flow?: number;
  /** FRA_TUN_ID (u64 in network order), as a decimal string. */
  readonly tunId?: string;
  /** FRA_SUPPRESS_IFGROUP; absent when unset (-1). */
  readonly suppressIfgroup?: number;
  /** FRA_SUPPRESS_PREFIXLEN; absent when unset (-1). */
  readonly suppressPrefixlen?: number;
  readonly l3mdev?: number;
  readonly uidRange?: PortRange;
  /** FRA_PROTOCOL; text prints it only when it is neither 0 nor kernel (2). */
  readonly protocol?: number;
  readonly ipProto?: number;
  readonly sportRange?: PortRange;
  readonly dportRange?: PortRange;
  readonly sportMask?: number;
  readonly dportMask?: number;
  readonly dscp?: number;
  readonly dscpMask?: number;
}

export interface NexthopGroupEntry {
  readonly id: number;
  /** The real weight (1..256), i.e. the wire's weight - 1 plus one. */
  readonly weight: number;
}

/** RTM_NEWNEXTHOP / RTM_DELNEXTHOP of family AF_INET, or AF_UNSPEC for groups. */
export interface NexthopRecord extends RecordMeta {
  readonly kind: 'nexthop';
  readonly op: Op;
  /** nh_family: 2 for IPv4 nexthops and blackholes, 10 for IPv6 ones (gateway in IPv6 text), 0 for groups. */
  readonly family: number;
  readonly scope: number;
  readonly protocol: number;
  /** nh_flags (RTNH_F_*). */
  readonly flags: number;
  readonly id: number;
  readonly gateway?: string;
  /** NHA_OIF; absent in text. */
  readonly oif?: number;
  /** Text only: `dev NAME`. */
  readonly dev?: string;
  readonly blackhole: boolean;
  readonly group?: readonly NexthopGroupEntry[];
  /** NHA_GROUP_TYPE: 0 multipath, 1 resilient. */
  readonly groupType?: number;
  /** NHA_RES_GROUP of a resilient group: buckets, and the timers in clock_t (centiseconds). */
  readonly res?: { readonly buckets?: number; readonly idleTimer?: number; readonly unbalancedTimer?: number };
  readonly fdb: boolean;
}

/** The multipath weight of a leg (rtnh_hops + 1). */
export function legWeight(nh: RouteNexthop): number {
  return nh.hops + 1;
}
