// Numeric encodings from include/uapi/linux/rtnetlink.h and fib_rules.h, kept as the
// kernel has them so that comparisons read like the kernel's (RT_SCOPE_LINK = 253).

import type { Errno } from './errno.js';

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_NEWNEIGH = 28;
export const RTM_DELNEIGH = 29;
export const RTM_NEWRULE = 32;
export const RTM_DELRULE = 33;
export const RTM_NEWNETCONF = 80;
export const RTM_DELNETCONF = 81;
/** Traffic control (include/uapi/linux/rtnetlink.h): a qdisc added, changed or deleted (tc_modify_qdisc(), tc_get_qdisc()). */
export const RTM_NEWQDISC = 36;
export const RTM_DELQDISC = 37;
/** tcmsg.tcm_parent of a root qdisc (include/uapi/linux/pkt_sched.h). */
export const TC_H_ROOT = 0xffffffff;
/** TCA_KIND: the qdisc's ops->id (`pfifo`, `noqueue`, `fq_codel` …). */
export const TCA_KIND = 1;
export const RTM_NEWNEXTHOP = 104;
export const RTM_DELNEXTHOP = 105;
/** RTM_MAX of Linux 6.18 (after RTM_GETTUNNEL 122): types above it are not rtnetlink. */
export const RTM_MAX = 123;

export const RTNH_F_DEAD = 0x1;
export const RTNH_F_PERVASIVE = 0x2;
export const RTNH_F_ONLINK = 0x4;
export const RTNH_F_OFFLOAD = 0x8;
export const RTNH_F_LINKDOWN = 0x10;
export const RTNH_F_UNRESOLVED = 0x20;
export const RTNH_F_TRAP = 0x40;

export const RTM_F_NOTIFY = 0x100;
export const RTM_F_CLONED = 0x200;
export const RTM_F_OFFLOAD = 0x4000;
export const RTM_F_TRAP = 0x8000;
export const RTM_F_OFFLOAD_FAILED = 0x20000000;

export const RT_TABLE_COMPAT = 252;

export const RTN_UNICAST = 1;
export const RTN_LOCAL = 2;
export const RTN_BROADCAST = 3;
export const RTN_BLACKHOLE = 6;
export const RTN_UNREACHABLE = 7;
export const RTN_PROHIBIT = 8;
export const RTN_THROW = 9;

/** enum rtattr_type_t (struct rtmsg's attributes, RTA_*). */
export const RTA_DST = 1;
export const RTA_SRC = 2;
export const RTA_IIF = 3;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_PREFSRC = 7;
export const RTA_METRICS = 8;
export const RTA_MULTIPATH = 9;
export const RTA_FLOW = 11;
export const RTA_TABLE = 15;
export const RTA_VIA = 18;
/** Lightweight tunnel encapsulation of a nexthop (lwtunnel_fill_encap()). */
export const RTA_ENCAP_TYPE = 21;
export const RTA_ENCAP = 22;
export const RTA_NH_ID = 30;

/** Route types (enum rtm_type), the strings iproute2 prints for them. */
export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat'
  | 'xresolve';

/** RTN_* numbers, for JSON logs and netlink traces. */
export const RTN: Readonly<Record<RouteType, number>> = {
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
  xresolve: 11,
};

/** fib_props[type].error: what a lookup that hits an alias of this type returns. */
export function fibPropsError(type: RouteType): Errno | null {
  switch (type) {
    case 'blackhole':
      return 'EINVAL';
    case 'unreachable':
      return 'EHOSTUNREACH';
    case 'prohibit':
      return 'EACCES';
    case 'throw':
      return 'EAGAIN';
    case 'nat':
    case 'xresolve':
      return 'EINVAL';
    default:
      return null;
  }
}

/** fib_props[type].scope: the narrowest scope a route of this type may have. */
export function fibPropsScope(type: RouteType): number {
  switch (type) {
    case 'local':
      return RT_SCOPE_HOST;
    case 'broadcast':
    case 'anycast':
      return RT_SCOPE_LINK;
    case 'nat':
    case 'xresolve':
      return RT_SCOPE_NOWHERE;
    default:
      return RT_SCOPE_UNIVERSE;
  }
}
