// The intermediate representation (IR) of the rtnetlink notifications that matter for replaying
// an IPv4 FIB, shared by the rtmon reader (binary) and the `ip monitor` reader (text).
//
// Why: a captured trace is a sequence of netlink messages; the replayer needs them typed, with
// where they came from (byte offset or line), their nlmsg type/flags/seq/pid (who caused them,
// see ../shared/formats/README.md 1.5) and the most recent NLMSG_TSTAMP. Field names follow the
// uapi structs and attributes (include/uapi/linux/rtnetlink.h, if_link.h, if_addr.h,
// fib_rules.h, netconf.h, nexthop.h); values keep the kernel's numbers (RT_SCOPE_LINK = 253).
//
// One record per message, discriminated on `kind`:
//
// | kind        | messages                        | fixed header     |
// | ----------- | ------------------------------- | ---------------- |
// | `timestamp` | NLMSG_TSTAMP (15, rtmon only)   | u32 sec, u32 usec|
// | `link`      | RTM_NEWLINK / RTM_DELLINK       | ifinfomsg        |
// | `addr`      | RTM_NEWADDR / RTM_DELADDR       | ifaddrmsg        |
// | `route`     | RTM_NEWROUTE / RTM_DELROUTE     | rtmsg            |
// | `rule`      | RTM_NEWRULE / RTM_DELRULE       | fib_rule_hdr     |
// | `netconf`   | RTM_NEWNETCONF / RTM_DELNETCONF | netconfmsg       |
// | `nexthop`   | RTM_NEWNEXTHOP / RTM_DELNEXTHOP | nhmsg            |
// | `skipped`   | anything not modelled (IPv6, neighbours, AF_BRIDGE links, ...), only on request |
// | `error`     | a fault in the input (a value, never thrown)                                   |
// | `end`       | the last record of every stream: totals and what was skipped                   |
//
// Text records carry what `ip monitor` prints: device *names* where the binary has ifindexes
// (`dev`, `linkName`, `masterName`), no nlmsg flags/seq/pid, no ifi_change, no IFLA_CARRIER.
// The replayer resolves names itself (see ../shared/formats/README.md section 5).
//
// record-meta.ts holds what every record carries; fib-records.ts the route, rule and nexthop
// records. This file is the one import for all of them.

import { AF_BRIDGE, AF_INET, AF_INET6, AF_UNSPEC } from '../uapi/socket.js';
import type { Op, RecordMeta, TimestampRecord } from './record-meta.js';
import type { NexthopRecord, RouteRecord, RuleRecord } from './fib-records.js';

export type { Timestamp, RecordMeta, TimestampRecord, Op } from './record-meta.js';
export { formatTimestamp, compareTimestamps } from './record-meta.js';
export type { RouteNexthop, RouteVia, RouteMetrics, RouteRecord, PortRange, RuleRecord, NexthopGroupEntry, NexthopRecord } from './fib-records.js';
export { legWeight } from './fib-records.js';

/** RTM_NEWLINK / RTM_DELLINK of family AF_UNSPEC (the device itself). */
export interface LinkRecord extends RecordMeta {
  readonly kind: 'link';
  readonly op: Op;
  /** ifi_family: always AF_UNSPEC (0); AF_BRIDGE and AF_INET6 records are skipped. */
  readonly family: number;
  readonly ifindex: number;
  /** ifi_type (ARPHRD_*); text: from `link/TYPE` when the word is known. */
  readonly ifiType?: number;
  /** IFLA_IFNAME (text: the name the monitor printed). */
  readonly name?: string;
  /** ifi_flags (IFF_*). Text: rebuilt from the `<...>` words, IFF_RUNNING inferred as UP and not NO-CARRIER. */
  readonly flags: number;
  /** ifi_change; binary only ("do not rely on it"). */
  readonly change?: number;
  readonly mtu?: number;
  /** IFLA_OPERSTATE (IF_OPER_*: 2 DOWN, 3 LOWERLAYERDOWN, 6 UP ...). */
  readonly operstate?: number;
  /** IFLA_CARRIER; binary only (text: see IFF_LOWER_UP in flags). */
  readonly carrier?: boolean;
  /** IFLA_MASTER ifindex. */
  readonly master?: number;
  /** Text only: the master's name. */
  readonly masterName?: string;
  /** IFLA_LINKINFO / IFLA_INFO_KIND ("veth", "bridge"); binary only. */
  readonly linkKind?: string;
  /** IFLA_LINKINFO / IFLA_INFO_SLAVE_KIND ("bridge" on ports); binary only. */
  readonly slaveKind?: string;
  /** IFLA_LINK: veth peer / lower device ifindex; 0 = none (text `@NONE`). */
  readonly link?: number;
  /** Text only: the `@PEER` name (a name, or `ifN` when the monitor did not know it). */
  readonly linkName?: string;
  /** IFLA_LINK_NETNSID: IFLA_LINK is in another namespace. */
  readonly linkNetnsid?: number;
  /**
   * IFLA_NEW_NETNSID and IFLA_NEW_IFINDEX (text: `new-netnsid N new-ifindex I`): an RTM_DELLINK
   * of a device leaving for another namespace (dev_change_net_namespace()), the id this
   * namespace gives that one and the ifindex the device has there.
   */
  readonly newNetnsid?: number;
  readonly newIfindex?: number;
  /** Text only: `M-DOWN`, the IFLA_LINK device is down. */
  readonly linkDown?: boolean;
  /** IFLA_GROUP. */
  readonly group?: number;
  readonly qdisc?: string;
  /** IFLA_ADDRESS as `aa:bb:...`. */
  readonly address?: string;
  /** IFLA_BROADCAST as `aa:bb:...`. */
  readonly broadcast?: string;
  readonly protoDown?: boolean;
  /** IFLA_EVENT (2 = features changed ...). */
  readonly event?: number;
  /** IFLA_TXQLEN; binary only (ip monitor does not print it), and in every binary RTM_NEWLINK. */
  readonly txqlen?: number;
  /** IFLA_IFALIAS: present only while the device has an alias; binary only. */
  readonly ifalias?: string;
  /**
   * The alternative names (IFLA_PROP_LIST's IFLA_ALT_IFNAME; text: the `    altname X` lines),
   * in the kernel's order; every RTM_NEWLINK carries all of them (rtnl_fill_prop_list()),
   * so an empty list is none. Absent on a deletion.
   */
  readonly altnames?: readonly string[];
  /** IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF: element i-1 is IPV4_DEVCONF_i; binary only. */
  readonly inetConf?: readonly number[];
}

/** RTM_NEWADDR / RTM_DELADDR of family AF_INET. */
export interface AddrRecord extends RecordMeta {
  readonly kind: 'addr';
  readonly op: Op;
  readonly family: number;
  readonly ifindex: number;
  readonly prefixlen: number;
  /** IFA_FLAGS when present, else ifa_flags (IFA_F_SECONDARY 0x1, NOPREFIXROUTE 0x200, PERMANENT 0x80 ...). */
  readonly flags: number;
  /** ifa_scope (0 universe, 253 link, 254 host). */
  readonly scope: number;
  /** IFA_LOCAL, dotted quad. */
  readonly local?: string;
  /** IFA_ADDRESS (the peer of a point-to-point address, else equal to IFA_LOCAL). */
  readonly address?: string;
  readonly broadcast?: string;
  /** IFA_LABEL ("lan0:vip"). */
  readonly label?: string;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  readonly rtPriority?: number;
  /** IFA_CACHEINFO valid lifetime in seconds (0xFFFFFFFF forever). */
  readonly validLft?: number;
  /** IFA_CACHEINFO preferred lifetime in seconds (0xFFFFFFFF forever). */
  readonly preferredLft?: number;
  /** Text only: the device name printed after the ifindex (can be stale, formats README 5). */
  readonly devName?: string;
}

/** RTM_NEWNETCONF / RTM_DELNETCONF of family AF_INET; only the attributes present. */
export interface NetconfRecord extends RecordMeta {
  readonly kind: 'netconf';
  readonly op: Op;
  readonly family: number;
  /** NETCONFA_IFINDEX: a device, or -1 NETCONFA_IFINDEX_ALL, -2 NETCONFA_IFINDEX_DEFAULT. Text: only for all/default. */
  readonly ifindex?: number;
  /** Text only: the device name (absent for all/default, which set ifindex). */
  readonly devName?: string;
  readonly forwarding?: number;
  /** 0 off, 1 strict, 2 loose. */
  readonly rpFilter?: number;
  readonly mcForwarding?: number;
  /** proxy_arp for IPv4. */
  readonly proxyNeigh?: number;
  readonly ignoreRoutesWithLinkdown?: number;
  readonly input?: number;
  /** Binary only: iproute2 6.1 never prints it. */
  readonly bcForwarding?: number;
}

/** A message that was read and deliberately not modelled (only with `emitSkipped`). */
export interface SkippedRecord {
  readonly kind: 'skipped';
  readonly offset?: number;
  readonly line?: number;
  readonly nlmsgType?: number;
  /** The counter it was added to, e.g. `RTM_NEWROUTE/AF_INET6`, `[NEIGH]`. */
  readonly reason: string;
}

/** A fault in the input; everything before it has been delivered. */
export interface TraceError {
  readonly kind: 'error';
  /** rtmon: byte offset of the fault (a header, a fixed header, an attribute). */
  readonly offset?: number;
  /** rtmon: byte offset of the message that holds the fault, when different from `offset`. */
  readonly recordOffset?: number;
  /** `ip monitor`: 1-based line number of the fault. */
  readonly line?: number;
  readonly msgType?: number;
  /** What the reader expected there, e.g. "nlmsg_len >= 16". */
  readonly expected: string;
  /** A sentence naming the file, the position, the message and the problem. */
  readonly message: string;
  /** False when the reader skipped the record and went on (`lenient`), true when it stopped. */
  readonly fatal: boolean;
}

/** Totals of one stream. */
export interface TraceStats {
  /** Bytes (rtmon) or lines (text) consumed. */
  readonly consumed: number;
  /** Records delivered, by kind. */
  readonly records: Readonly<Record<string, number>>;
  /** Messages read and not modelled, by reason (`RTM_NEWROUTE/AF_INET6`, `RTM_DELNEIGH`, `[NEIGH]` ...). */
  readonly skipped: Readonly<Record<string, number>>;
  /** Error records delivered (in lenient mode: records skipped as bad). */
  readonly errors: number;
  /** Whether the stream stopped at a fatal error before its end. */
  readonly stopped: boolean;
}

/** The last record of every stream. */
export interface EndRecord {
  readonly kind: 'end';
  readonly offset?: number;
  readonly line?: number;
  readonly stats: TraceStats;
}

/**
 * RTM_NEWQDISC / RTM_DELQDISC (tcmsg, tc_fill_qdisc()): what `ip link` prints as `qdisc` is
 * the root one's TCA_KIND (parent TC_H_ROOT); binary only (ip monitor does not show qdiscs).
 */
export interface QdiscRecord extends RecordMeta {
  readonly kind: 'qdisc';
  readonly op: Op;
  /** tcm_ifindex. */
  readonly ifindex: number;
  /** tcm_handle. */
  readonly handle: number;
  /** tcm_parent: TC_H_ROOT (0xffffffff) for a root qdisc. */
  readonly parent: number;
  /** TCA_KIND; absent when the message had none. */
  readonly qdiscKind?: string;
}

/** Everything a reader can deliver. */
export type TraceRecord =
  | TimestampRecord
  | LinkRecord
  | AddrRecord
  | RouteRecord
  | RuleRecord
  | NetconfRecord
  | NexthopRecord
  | QdiscRecord
  | SkippedRecord
  | TraceError
  | EndRecord;

/** The records that describe netlink notifications (not stamps, errors or the end). */
export type NetlinkRecord =
  | LinkRecord
  | AddrRecord
  | RouteRecord
  | RuleRecord
  | NetconfRecord
  | NexthopRecord
  | QdiscRecord;

/** True for link/addr/route/rule/netconf/nexthop records. */
export function isNetlinkRecord(r: TraceRecord): r is NetlinkRecord {
  switch (r.kind) {
    case 'link':
    case 'addr':
    case 'route':
    case 'rule':
    case 'netconf':
    case 'nexthop':
    case 'qdisc':
      return true;
    case 'timestamp':
    case 'skipped':
    case 'error':
    case 'end':
      return false;
    default:
      return assertNever(r);
  }
}

/** Exhaustiveness check for `switch` over a union. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/** The name of a netlink message type, as rtmon_decode.py prints it (`TYPE_N` when unnamed). */
export function nlmsgTypeName(type: number): string {
  return NLMSG_TYPE_NAMES[type] ?? `TYPE_${type}`;
}

const NLMSG_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'NLMSG_NOOP', 2: 'NLMSG_ERROR', 3: 'NLMSG_DONE', 4: 'NLMSG_OVERRUN', 15: 'NLMSG_TSTAMP',
  16: 'RTM_NEWLINK', 17: 'RTM_DELLINK', 18: 'RTM_GETLINK', 19: 'RTM_SETLINK',
  20: 'RTM_NEWADDR', 21: 'RTM_DELADDR', 22: 'RTM_GETADDR',
  24: 'RTM_NEWROUTE', 25: 'RTM_DELROUTE', 26: 'RTM_GETROUTE',
  28: 'RTM_NEWNEIGH', 29: 'RTM_DELNEIGH', 30: 'RTM_GETNEIGH',
  32: 'RTM_NEWRULE', 33: 'RTM_DELRULE', 34: 'RTM_GETRULE',
  36: 'RTM_NEWQDISC', 37: 'RTM_DELQDISC', 38: 'RTM_GETQDISC',
  40: 'RTM_NEWTCLASS', 41: 'RTM_DELTCLASS', 42: 'RTM_GETTCLASS',
  44: 'RTM_NEWTFILTER', 45: 'RTM_DELTFILTER', 46: 'RTM_GETTFILTER',
  48: 'RTM_NEWACTION', 49: 'RTM_DELACTION', 50: 'RTM_GETACTION',
  52: 'RTM_NEWPREFIX', 56: 'RTM_NEWMULTICAST', 57: 'RTM_DELMULTICAST', 58: 'RTM_GETMULTICAST',
  60: 'RTM_NEWANYCAST', 61: 'RTM_DELANYCAST', 62: 'RTM_GETANYCAST',
  64: 'RTM_NEWNEIGHTBL', 66: 'RTM_GETNEIGHTBL', 67: 'RTM_SETNEIGHTBL', 68: 'RTM_NEWNDUSEROPT',
  72: 'RTM_NEWADDRLABEL', 73: 'RTM_DELADDRLABEL', 74: 'RTM_GETADDRLABEL',
  78: 'RTM_GETDCB', 79: 'RTM_SETDCB',
  80: 'RTM_NEWNETCONF', 81: 'RTM_DELNETCONF', 82: 'RTM_GETNETCONF',
  84: 'RTM_NEWMDB', 85: 'RTM_DELMDB', 86: 'RTM_GETMDB',
  88: 'RTM_NEWNSID', 89: 'RTM_DELNSID', 90: 'RTM_GETNSID',
  92: 'RTM_NEWSTATS', 94: 'RTM_GETSTATS', 95: 'RTM_SETSTATS',
  96: 'RTM_NEWCACHEREPORT', 100: 'RTM_NEWCHAIN', 101: 'RTM_DELCHAIN', 102: 'RTM_GETCHAIN',
  104: 'RTM_NEWNEXTHOP', 105: 'RTM_DELNEXTHOP', 106: 'RTM_GETNEXTHOP',
  108: 'RTM_NEWLINKPROP', 109: 'RTM_DELLINKPROP', 110: 'RTM_GETLINKPROP',
  112: 'RTM_NEWVLAN', 113: 'RTM_DELVLAN', 114: 'RTM_GETVLAN',
  116: 'RTM_NEWNEXTHOPBUCKET', 117: 'RTM_DELNEXTHOPBUCKET', 118: 'RTM_GETNEXTHOPBUCKET',
  120: 'RTM_NEWTUNNEL', 121: 'RTM_DELTUNNEL', 122: 'RTM_GETTUNNEL',
};

/** The name of an address family (`AF_INET6`, `AF_N` when unnamed). */
export function familyName(family: number): string {
  switch (family) {
    case AF_UNSPEC: return 'AF_UNSPEC';
    case AF_INET: return 'AF_INET';
    case AF_BRIDGE: return 'AF_BRIDGE';
    case AF_INET6: return 'AF_INET6';
    case 28: return 'AF_MPLS';
    case 128: return 'RTNL_FAMILY_IPMR';
    case 129: return 'RTNL_FAMILY_IP6MR';
    default: return `AF_${family}`;
  }
}
