// The route objects of fib_semantics.c: struct fib_nh (a nexthop inside a route),
// struct fib_info (what routes with equal attributes share) and struct fib_alias (one
// route in a table's leaf). Immutable: a flag change makes a new object.

import type { Ip4 } from '../net/ip4.js';
import type { RouteType } from '../uapi/rtnetlink.js';
import { sameMetrics, type FibMetrics } from './fib-metrics.js';

/** A nexthop inside a route (struct fib_nh). */
export interface FibNh {
  /** Output device ifindex (fib_nh_oif). */
  readonly dev: number;
  /** Gateway, or null for a directly connected nexthop. */
  readonly gw: Ip4 | null;
  /**
   * An IPv6 gateway (fib_nh_gw_family AF_INET6, fib_nh_gw6: RFC 5549, `via inet6 fe80::1`)
   * as canonical text; gw is then null. Absent for none.
   */
  readonly gw6?: string;
  /** Multipath weight (rtnh_hops + 1); 1 for single-path routes. */
  readonly weight: number;
  /** RTNH_F_ONLINK given by the user. */
  readonly onlink: boolean;
  /** fib_nh_scope: NOWHERE for host-scope routes, HOST without gateway, else the scope of the route that resolved the gateway. */
  readonly scope: number;
  /** RTNH_F_DEAD. */
  readonly dead: boolean;
  /** RTNH_F_LINKDOWN. */
  readonly linkdown: boolean;
  /** nh_tclassid: the realms (RTA_FLOW) of this nexthop; absent means 0. */
  readonly tclassid?: number;
  /**
   * A multipath leg's fib_nh_upper_bound is -1 (fib_rebalance(): dead, or linkdown where
   * ignore_routes_with_linkdown applied then); absent on single-path routes.
   */
  readonly lbExcluded?: boolean;
}

/**
 * fib_rebalance(): which legs of a multipath fib_info leave the hash (upper bound -1),
 * as the device settings stand now; a single-path info is returned as it is.
 */
export function fibRebalance(nhs: readonly FibNh[], ignoreLinkdown: (dev: number) => boolean): readonly FibNh[] {
  if (nhs.length < 2) return nhs;
  let changed = false;
  const out = nhs.map((nh) => {
    const x = nh.dead || (nh.linkdown && ignoreLinkdown(nh.dev));
    if (nh.lbExcluded === x) return nh;
    changed = true;
    return { ...nh, lbExcluded: x };
  });
  return changed ? out : nhs;
}

/** The attributes routes share (struct fib_info). */
export interface FibInfo {
  readonly protocol: number;
  readonly scope: number;
  /** Metric (fib_priority). */
  readonly priority: number;
  /** Preferred source (fib_prefsrc), 0 when unset. */
  readonly prefsrc: Ip4;
  /** The table the info was created for (fib_tb_id), which fib_sync_down_addr checks. */
  readonly tbId: number;
  /** Nexthops; empty for error types and for nexthop-object routes. */
  readonly nhs: readonly FibNh[];
  /** Nexthop object id (RTA_NH_ID), or 0. */
  readonly nhid: number;
  /** RTNH_F_DEAD on the route (all nexthops dead, or its prefsrc vanished): fib_flush deletes it. */
  readonly dead: boolean;
  /** Set by fib_sync_down_addr: the route dies because its prefsrc vanished, and since 6.6 fib_flush notifies that. */
  readonly pfsrcRemoved: boolean;
  /**
   * RTNH_F_LINKDOWN in fib_flags: every nexthop was linkdown when the route was made
   * (fib_create_info), or all went at once (fib_sync_down_dev); cleared by fib_sync_up.
   * Only a multipath route shows it, on its first line. Absent means false.
   */
  readonly linkdown?: boolean;
  /** The route was created multipath (RTA_MULTIPATH), even with one leg. */
  readonly multipath: boolean;
  /** fib_metrics (RTA_METRICS after ip_metrics_convert); absent or null for dst_default_metrics. */
  readonly metrics?: FibMetrics | null;
  /**
   * The nh_tclassid of a route of an error type (blackhole, unreachable …): fib_nh_init()
   * fills the fib_info's one nexthop before fib_create_info() looks at the type, so the
   * realms stay and are dumped, though the model keeps no nexthop for such routes.
   */
  readonly flow?: number;
}

/**
 * A FibInfo with its fields written in one fixed order, so that every info shares one V8
 * hidden class (spreads give each object a shape of its own, which made reading a
 * 900,000-route table five times slower).
 */
export function fibInfo(x: FibInfo): FibInfo {
  return {
    protocol: x.protocol,
    scope: x.scope,
    priority: x.priority,
    prefsrc: x.prefsrc,
    tbId: x.tbId,
    nhs: x.nhs,
    nhid: x.nhid,
    dead: x.dead,
    pfsrcRemoved: x.pfsrcRemoved,
    linkdown: x.linkdown ?? false,
    multipath: x.multipath,
    metrics: x.metrics ?? null,
    flow: x.flow ?? 0,
  };
}

/** One route: a fib_alias in a table leaf. */
export interface FibAlias {
  readonly type: RouteType;
  /** dscp / tos byte (fa_dscp). */
  readonly tos: number;
  readonly info: FibInfo;
}

/** A route with its place: what printers, effects and lookups pass around. */
export interface FibRoute {
  readonly table: number;
  readonly dst: Ip4;
  readonly plen: number;
  readonly alias: FibAlias;
}

/** nh_comp(): nexthops equal apart from the RTNH_COMPARE_MASK flags (dead, linkdown). */
export function sameNexthops(a: readonly FibNh[], b: readonly FibNh[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as FibNh;
    const y = b[i] as FibNh;
    if (x.dev !== y.dev || x.gw !== y.gw || (x.gw6 ?? null) !== (y.gw6 ?? null) || x.weight !== y.weight || x.onlink !== y.onlink || (x.tclassid ?? 0) !== (y.tclassid ?? 0)) return false;
  }
  return true;
}

/** fib_find_info(): would the kernel intern these two as one fib_info? (A one-leg RTA_MULTIPATH route equals the plain one: nh_comp.) */
export function sameFibInfo(a: FibInfo, b: FibInfo): boolean {
  return (
    a.protocol === b.protocol &&
    a.scope === b.scope &&
    a.prefsrc === b.prefsrc &&
    a.priority === b.priority &&
    a.tbId === b.tbId &&
    a.nhid === b.nhid &&
    sameMetrics(a.metrics, b.metrics) &&
    (a.flow ?? 0) === (b.flow ?? 0) &&
    sameNexthops(a.nhs, b.nhs)
  );
}

/** nhc_gw_family != 0: the nexthop has a gateway of either family. */
export function nhHasGw(nh: { readonly gw: Ip4 | null; readonly gw6?: string }): boolean {
  return nh.gw !== null || nh.gw6 !== undefined;
}

/** Whether any nexthop of the route uses dev (fib_info_nh_uses_dev). */
export function infoUsesDev(info: FibInfo, dev: number): boolean {
  return info.nhs.some((nh) => nh.dev === dev);
}
