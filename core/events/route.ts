// Route events: RTM_NEWROUTE with its NLM_F_* flags and RTM_DELROUTE (struct fib_config).

import type { Ip4 } from '../net/ip4.js';
import type { RouteType } from '../uapi/rtnetlink.js';
import type { MetricAttr } from '../uapi/rtax.js';

/** One nexthop as the user gave it (struct fib_config fc_oif/fc_gw4, or an rtnexthop). */
export interface NexthopSpec {
  /** 0 when no device was given. */
  readonly dev: number;
  readonly gw: Ip4 | null;
  /**
   * RTA_VIA with AF_INET6 (`via inet6 fe80::1`, fib_gw_from_via(): fc_gw_family AF_INET6):
   * the IPv6 gateway as canonical text (core/net/ip6.ts); gw is then null. Absent for none.
   */
  readonly gw6?: string;
  /**
   * The kernel accepted this IPv6 gateway (a trace's record, or a dump of the host): its
   * ip6_route_check_nh() found a route to it through dev. The model has no IPv6 FIB to look
   * it up again, so fib6_nh_init() takes that as given (semantics/fib6-nh-init.ts). Absent
   * in a script's requests.
   */
  readonly gw6Routed?: boolean;
  readonly weight: number;
  readonly onlink: boolean;
  /** RTA_FLOW (realms, `to | from << 16`): the route's for a single path, the leg's in RTA_MULTIPATH; 0 or absent for none. */
  readonly flow?: number;
}

/** struct fib_config for an insert. */
export interface RouteConfig {
  readonly table: number;
  readonly dst: Ip4;
  readonly plen: number;
  readonly tos: number;
  readonly type: RouteType;
  readonly scope: number;
  readonly protocol: number;
  readonly priority: number;
  /** 0 when none. */
  readonly prefsrc: Ip4;
  readonly nhs: readonly NexthopSpec[];
  /** RTA_MULTIPATH given (`nexthop …` words). */
  readonly multipath: boolean;
  /** RTA_NH_ID, 0 when none. */
  readonly nhid: number;
  /** RTA_METRICS as sent (fc_mx), absent or null when none. */
  readonly mx?: readonly MetricAttr[] | null;
  /** A route-level RTA_FLOW beside RTA_MULTIPATH (fc_flow), which the first leg's must equal. */
  readonly flow?: number;
  /**
   * A route-level RTA_OIF (fc_oif, 0 when none) and RTA_GATEWAY/RTA_VIA beside RTA_MULTIPATH
   * (`via A dev D nexthop …`), which the first leg's must equal (fib_get_nhs()).
   */
  readonly mpTop?: { readonly oif: number; readonly gw: Ip4 | null; readonly gw6?: string };
}

/** `add` = CREATE|EXCL, `replace` = CREATE|REPLACE, `change` = REPLACE, `prepend` = CREATE, `append` = CREATE|APPEND. */
export type RouteOp = 'add' | 'replace' | 'change' | 'prepend' | 'append';

export interface RouteNewEvent {
  readonly type: 'route-new';
  readonly op: RouteOp;
  readonly cfg: RouteConfig;
}

/** struct fib_config for a delete: zero / null fields mean "any". */
export interface RouteDelConfig {
  readonly table: number;
  readonly dst: Ip4;
  readonly plen: number;
  readonly tos: number;
  readonly type: RouteType | null;
  /** RT_SCOPE_NOWHERE (255) = any. */
  readonly scope: number;
  readonly protocol: number;
  readonly priority: number;
  readonly prefsrc: Ip4;
  readonly nhs: readonly NexthopSpec[];
  readonly multipath: boolean;
  readonly nhid: number;
  /** RTA_METRICS of the delete: each given attribute must match (fib_metrics_match). */
  readonly mx?: readonly MetricAttr[] | null;
  /** As RouteConfig.mpTop: with it, fib_nh_match() compares the first nexthop only. */
  readonly mpTop?: RouteConfig['mpTop'];
}

export interface RouteDelEvent {
  readonly type: 'route-del';
  readonly cfg: RouteDelConfig;
}

export type RouteEvent = RouteNewEvent | RouteDelEvent;
