// A route of an `ip -j` dump that no request can re-create now (a multipath leg whose
// gateway no longer resolves because its device lost its last address, a route on a device
// that is down), built as the kernel holds it: the importer's last resort (initial-state.ts).
//
// What the dump prints is not always what the kernel holds. fib_nexthop_info()
// (fib_semantics.c) prints a leg's RTNH_F_DEAD, and also prints "dead" beside "linkdown" for
// a leg that is only RTNH_F_LINKDOWN when ip_ignore_linkdown() holds for its device. Which of
// the two the kernel holds decides what happens next: fib_sync_up() on carrier clears
// LINKDOWN, but only a new address (NETDEV_UP) clears DEAD. legDead() reads it back:
//
// | printed               | device                                                  | RTNH_F_DEAD |
// | --------------------- | ------------------------------------------------------- | ----------- |
// | no "dead"             | any                                                     | no          |
// | "dead" only           | any                                                     | yes         |
// | "dead linkdown"       | ignore_routes_with_linkdown off (all and device)        | yes         |
// | "dead linkdown"       | missing or admin down (fib_sync_down_dev NETDEV_DOWN)   | yes         |
// | "dead linkdown"       | up with carrier: LINKDOWN outlived fib_sync_up(), so fib_disable_ip() set both | yes |
// | "dead linkdown"       | up, no carrier, an IPv4 address (an address add clears DEAD) | no     |
// | "dead linkdown"       | up, no carrier, no IPv4 address                         | ambiguous   |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import type { RouteConfig } from '../events/route.js';
import { fibInfo, fibRebalance, type FibAlias, type FibNh } from '../snapshot/fib-info.js';
import { ipMetricsConvert, isMetricsError } from '../semantics/fib-metrics.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE } from '../uapi/rtnetlink.js';

/**
 * Whether a leg the dump printed with `flags` on device `ifindex` holds RTNH_F_DEAD in the
 * kernel (the table above); null when the dump cannot tell.
 */
export function legDead(s: FibSnapshot, ifindex: number, flags: readonly string[]): boolean | null {
  if (!flags.includes('dead')) return false;
  if (!flags.includes('linkdown')) return true;
  const d = s.devices.get(ifindex);
  if (d === undefined || !d.up || !ignoreLinkdown(s, ifindex)) return true;
  if (d.carrier) return true;
  return d.addrs.length > 0 ? false : null;
}

/** What constructAlias() gives: the route, and the legs whose dead flag the dump left open. */
export interface ConstructedAlias {
  readonly alias: FibAlias;
  /** Leg numbers (0-based) where legDead() was ambiguous (taken as dead). */
  readonly ambiguousLegs: readonly number[];
}

/**
 * The fib_alias of a dumped route, built without validation: its legs' flags as legDead()
 * reads them, its metrics (ip_metrics_convert: the kernel accepted them once, so any
 * congestion name), realms, the multipath route's own LINKDOWN (the first line's flag) and
 * fib_rebalance()'s exclusions, as fib_create_info() and the sync functions leave them.
 *
 * @param legFlags the printed flags of leg i (a single-path route's are the route's own)
 */
export function constructAlias(s: FibSnapshot, cfg: RouteConfig, legFlags: (i: number) => readonly string[], routeFlags: readonly string[]): ConstructedAlias {
  const ambiguousLegs: number[] = [];
  const nhs: FibNh[] = cfg.nhs.map((n, i) => {
    const flags = legFlags(i);
    const dead = legDead(s, n.dev, flags);
    if (dead === null) ambiguousLegs.push(i);
    return {
      dev: n.dev,
      gw: n.gw,
      // An IPv6 gateway (fib_check_nh_v6_gw(): scope link; its leg's LINKDOWN only as dumped).
      ...(n.gw6 === undefined ? {} : { gw6: n.gw6 }),
      weight: n.weight,
      onlink: n.onlink,
      scope: cfg.scope === RT_SCOPE_HOST ? RT_SCOPE_NOWHERE : n.gw === null && n.gw6 === undefined ? RT_SCOPE_HOST : RT_SCOPE_LINK,
      dead: dead !== false,
      linkdown: flags.includes('linkdown'),
      tclassid: n.flow ?? 0,
    };
  });
  const metrics = ipMetricsConvert(cfg.mx ?? null, () => true);
  const info = fibInfo({
    protocol: cfg.protocol,
    scope: cfg.scope,
    priority: cfg.priority,
    prefsrc: cfg.prefsrc,
    tbId: cfg.table,
    nhs: nhs.length < 2 ? nhs : fibRebalance(nhs, (dev) => ignoreLinkdown(s, dev)),
    nhid: cfg.nhid,
    dead: false,
    pfsrcRemoved: false,
    // Only a multipath route prints the fib_info's RTNH_F_LINKDOWN, on its first line.
    linkdown: cfg.multipath && routeFlags.includes('linkdown'),
    multipath: cfg.multipath,
    metrics: isMetricsError(metrics) ? null : metrics,
    flow: cfg.nhs.length === 0 ? (cfg.flow ?? 0) : 0,
  });
  return { alias: { type: cfg.type, tos: cfg.tos, info }, ambiguousLegs };
}
