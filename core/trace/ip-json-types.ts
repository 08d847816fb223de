// The shapes of an `ip -j` snapshot (see ip-json.ts for what is kept): what iproute2 6.1
// prints with -j from print_linkinfo()/print_addrinfo() (ip/ipaddress.c), print_route()
// (ip/iproute.c), print_rule() (ip/iprule.c), print_netconf() (ip/ipnetconf.c) and
// __print_nexthop_entry() (ip/ipnexthop.c), key names as printed. Split from ip-json.ts.

import type { Timestamp } from './netlink-records.js';

/** `ip -j link show` element. */
export interface IpLink {
  readonly ifindex: number;
  readonly ifname: string;
  readonly flags: readonly string[];
  readonly mtu?: number;
  readonly qdisc?: string;
  readonly operstate?: string;
  readonly linkmode?: string;
  readonly group?: string;
  readonly txqlen?: number;
  /** IFLA_IFALIAS (`ip link` prints it only while the device has one). */
  readonly ifalias?: string;
  /** print_linkinfo()'s alternative names. */
  readonly altnames?: readonly string[];
  readonly link_type?: string;
  readonly address?: string;
  readonly broadcast?: string;
  readonly permaddr?: string;
  /** The IFLA_LINK device's name; null for IFLA_LINK 0. */
  readonly link?: string | null;
  readonly link_index?: number;
  readonly link_netnsid?: number;
  readonly master?: string;
  readonly link_pointtopoint?: boolean;
  readonly proto_down?: boolean;
  readonly event?: string;
}

/** One `addr_info` entry of `ip -j addr show` (IPv4 only are kept). */
export interface IpAddrInfo {
  readonly family: string;
  readonly local: string;
  readonly prefixlen: number;
  readonly scope: string;
  /** The peer of a point-to-point address. */
  readonly address?: string;
  readonly broadcast?: string;
  readonly label?: string;
  readonly metric?: number;
  readonly secondary?: boolean;
  readonly noprefixroute?: boolean;
  readonly dynamic?: boolean;
  readonly deprecated?: boolean;
  readonly tentative?: boolean;
  readonly autojoin?: boolean;
  readonly valid_life_time?: number;
  readonly preferred_life_time?: number;
}

/** `ip -j addr show` element: the device's link fields plus its addresses. */
export interface IpAddr extends IpLink {
  readonly addr_info: readonly IpAddrInfo[];
}

/** One leg of a multipath route. */
/** print_rta_flow() in JSON: realm names (or numbers). */
export interface IpFlow {
  readonly from?: string;
  readonly to: string;
}

/** print_rta_via() in JSON: RTA_VIA's family name and address. */
export interface IpVia {
  readonly family: string;
  readonly host: string;
}

export interface IpRouteNexthop {
  readonly gateway?: string;
  readonly via?: IpVia;
  readonly flow?: IpFlow;
  readonly dev?: string;
  readonly weight?: number;
  readonly flags: readonly string[];
}

/** `ip -j route show table all` element (IPv4 only are kept). Absent keys are iproute2's defaults. */
export interface IpRoute {
  readonly type?: string;
  readonly dst: string;
  readonly from?: string;
  readonly nhid?: number;
  readonly tos?: string;
  readonly gateway?: string;
  readonly via?: IpVia;
  readonly dev?: string;
  readonly table?: string;
  readonly protocol?: string;
  readonly scope?: string;
  readonly prefsrc?: string;
  readonly metric?: number;
  readonly flags: readonly string[];
  /** print_rta_metrics() in JSON: numbers, "congestion" a name, "ecn" null, "features" a hex string. */
  readonly metrics?: readonly Readonly<Record<string, number | string | null>>[];
  readonly nexthops?: readonly IpRouteNexthop[];
  readonly flow?: IpFlow;
}

/** `ip -j rule show` element. Null-valued keys are flags. */
export interface IpRule {
  readonly priority: number;
  readonly src: string;
  readonly srclen?: number;
  readonly dst?: string;
  readonly dstlen?: number;
  readonly not?: null;
  readonly tos?: string;
  readonly fwmark?: string;
  readonly fwmask?: string;
  readonly iif?: string;
  readonly iif_detached?: null;
  readonly oif?: string;
  readonly oif_detached?: null;
  readonly l3mdev?: null;
  readonly uid_start?: number;
  readonly uid_end?: number;
  readonly ipproto?: string;
  readonly sport?: number;
  readonly sport_start?: number;
  readonly sport_end?: number;
  readonly dport?: number;
  readonly dport_start?: number;
  readonly dport_end?: number;
  readonly tun_id?: number;
  readonly table?: string;
  readonly suppress_prefixlen?: number;
  readonly suppress_ifgroup?: string;
  readonly flow_from?: string;
  readonly flow_to?: string;
  readonly goto?: number | string;
  readonly unresolved?: null;
  readonly nop?: null;
  readonly action?: string;
  /** print_rule() of action RTN_NAT (10) without FRA_GATEWAY. */
  readonly masquerade?: null;
  readonly protocol?: string;
}

/** `ip -j -4 netconf show` element. */
export interface IpNetconf {
  readonly family: string;
  readonly interface: string;
  readonly forwarding?: boolean;
  /** "off", "strict", "loose", or a number. */
  readonly rp_filter?: string | number;
  readonly mc_forwarding?: boolean;
  readonly proxy_neigh?: boolean;
  readonly ignore_routes_with_linkdown?: boolean;
  readonly input?: boolean;
}

export interface IpNexthopGroupMember {
  readonly id: number;
  /** Absent for weight 1. */
  readonly weight?: number;
}

/** `ip -j nexthop show` element. */
export interface IpNexthop {
  readonly id: number;
  readonly group?: readonly IpNexthopGroupMember[];
  readonly type?: string;
  readonly gateway?: string;
  readonly dev?: string;
  readonly scope?: string;
  readonly blackhole?: null;
  readonly protocol?: string;
  readonly flags: readonly string[];
  readonly fdb?: null;
  /** A resilient group's arguments (print_nh_res_group(): timers in seconds). */
  readonly resilient_args?: IpNexthopResArgs;
}

export interface IpNexthopResArgs {
  readonly buckets: number;
  readonly idle_timer?: number;
  readonly unbalanced_timer?: number;
  readonly unbalanced_time?: number;
}

/** One element printed by `ip -j route get`. */
export interface IpRouteGetResult {
  readonly type?: string;
  readonly dst: string;
  readonly from?: string;
  readonly gateway?: string;
  readonly via?: IpVia;
  readonly dev?: string;
  readonly iif?: string;
  readonly table?: string;
  readonly prefsrc?: string;
  readonly tos?: string;
  readonly mark?: number;
  readonly uid?: number;
  readonly flags: readonly string[];
  readonly cache?: readonly unknown[];
  /** rt_fill_info()'s RTA_METRICS: the route's metrics (print_rta_metrics(), as a route's). */
  readonly metrics?: readonly Readonly<Record<string, number | string | null>>[];
  /** RTA_FLOW: the realms. */
  readonly flow?: IpFlow;
}

/** One `route_get` entry: the query, and the result or the error line. */
export interface IpRouteGet {
  readonly query: string;
  readonly result: readonly IpRouteGetResult[] | null;
  readonly error: string | null;
}

/** A snapshot of a namespace as the fixtures store it. */
export interface IpSnapshot {
  readonly link: readonly IpLink[];
  readonly addr: readonly IpAddr[];
  readonly route: readonly IpRoute[];
  readonly rule: readonly IpRule[];
  readonly netconf: readonly IpNetconf[];
  readonly nexthop: readonly IpNexthop[];
  readonly route_get?: readonly IpRouteGet[];
  /** Checkpoints only: the name given to `checkpoint NAME`. */
  readonly checkpoint?: string;
  /** Checkpoints only: "sec.usec" in the rtmon clock. */
  readonly time?: Timestamp;
}

/** A validation problem, named by its JSON path (`$.route[3].dst`). */
export interface JsonPathError {
  readonly path: string;
  readonly expected: string;
  readonly message: string;
}

/** What `parseIpSnapshot` returns: the valid part, the problems, and what it left out on purpose. */
export interface IpSnapshotResult {
  readonly ok: boolean;
  readonly snapshot: IpSnapshot;
  readonly errors: readonly JsonPathError[];
  /** Counts of what was deliberately not kept: `route/inet6`, `addr_info/inet6`, `unknown key route.foo` ... */
  readonly skipped: Readonly<Record<string, number>>;
  /**
   * For route, rule and nexthop: the input index of each kept element (`snapshot.route[i]`
   * was `$.route[sources.route[i]]`), so that a later message names the input's element.
   */
  readonly sources?: SnapshotSources;
}

/** The input index of each kept element of a snapshot's route, rule and nexthop arrays. */
export interface SnapshotSources {
  readonly route: readonly number[];
  readonly rule: readonly number[];
  readonly nexthop: readonly number[];
}

export interface IpJsonOptions {
  /** Name used in error messages (the parser opens nothing). */
  readonly file?: string;
}
