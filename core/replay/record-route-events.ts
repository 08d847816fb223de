// RTM_NEWROUTE / RTM_DELROUTE to the route event that would cause it: the request side of
// inet_rtm_newroute()/inet_rtm_delroute() and rtm_to_fib_config() (nlmsg_flags to the op,
// RTA_MULTIPATH to nexthop specs, RTA_METRICS). Split from record-events.ts.

import type { FibEvent } from '../events/fib-event.js';
import type { NexthopSpec, RouteConfig, RouteDelConfig, RouteOp } from '../events/route.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { type RouteType } from '../uapi/rtnetlink.js';
import { tableAliases } from '../snapshot/fib-table.js';
import { RTAX_CC_ALGO, type MetricAttr } from '../uapi/rtax.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';
import type { RouteNexthop, RouteRecord, RouteVia } from '../trace/netlink-records.js';
import { canonicalIp6 } from '../net/ip6.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, RTNH_F_ONLINK, Unconvertible, dev, ip, isProblem, routeTypeOf, type ResolveDev } from './_record-convert.js';

const NO_SPECS: readonly NexthopSpec[] = Object.freeze([]);

/**
 * The one nexthop of a plain request (a device and/or an IPv4 gateway): the list made for
 * the request before when it names the same, since routes of a table usually share their
 * nexthop (a full table through one uplink). Specs are read-only, so a shared list answers
 * as a fresh one; remembering the last saves two objects per route record.
 */
function oneSpec(dev: number, gw: number | null, onlink: boolean): readonly NexthopSpec[] {
  const last = lastSpec[0] as NexthopSpec;
  if (last.dev === dev && last.gw === gw && last.onlink === onlink) return lastSpec;
  lastSpec = [{ dev, gw, weight: 1, onlink }];
  return lastSpec;
}
let lastSpec: readonly NexthopSpec[] = [{ dev: 0, gw: null, weight: 1, onlink: false }];

/**
 * The nexthops a route record names, as a request would give them (RTA_MULTIPATH given:
 * r.multipath, see routeConfig).
 */
function nexthopSpecs(r: RouteRecord, resolve: ResolveDev): readonly NexthopSpec[] | Unconvertible {
  if (r.nhId !== undefined) return NO_SPECS;
  if (r.multipath !== undefined) {
    const nhs: NexthopSpec[] = [];
    for (const leg of r.multipath as readonly RouteNexthop[]) {
      const d = dev(leg.ifindex, leg.dev, resolve);
      if (isProblem(d)) return d;
      nhs.push({ dev: d, ...specGw(leg.gateway, leg.via), weight: leg.hops + 1, onlink: (leg.flags & RTNH_F_ONLINK) !== 0, ...(leg.flow === undefined ? {} : { flow: leg.flow }) });
    }
    return nhs;
  }
  const d = dev(r.oif, r.dev, resolve);
  if (isProblem(d)) return d;
  if (r.via === undefined && r.flow === undefined) {
    // The common case (a gateway or a device, no RTA_VIA, no RTA_FLOW), written out: the
    // spreads below took V8's generic copy and ~200 bytes a record.
    const gw = ip(r.gateway);
    if (d === 0 && gw === null) return NO_SPECS;
    return oneSpec(d, gw, (r.flags & RTNH_F_ONLINK) !== 0);
  }
  const g = specGw(r.gateway, r.via);
  if (d === 0 && g.gw === null && g.gw6 === undefined) return NO_SPECS;
  return [{ dev: d, ...g, weight: 1, onlink: (r.flags & RTNH_F_ONLINK) !== 0, ...(r.flow === undefined ? {} : { flow: r.flow }) }];
}

/** RTA_GATEWAY, or RTA_VIA (fib_gw_from_via(): AF_INET or AF_INET6), as a nexthop spec's gateway. */
function specGw(gateway: string | undefined, via: RouteVia | undefined): { gw: number | null; gw6?: string; gw6Routed?: boolean } {
  if (gateway !== undefined || via === undefined) return { gw: ip(gateway) };
  // The record is the kernel's: it found the IPv6 gateway reachable (gw6Routed).
  if (via.family === 10) return { gw: null, gw6: canonicalIp6(via.address) ?? via.address, gw6Routed: true };
  return { gw: ip(via.address) };
}

/** The route type a request would give: a route using a blackhole nexthop object is unicast to the FIB. */
function requestType(r: RouteRecord, s: FibSnapshot): RouteType | Unconvertible {
  const t = routeTypeOf(r.type);
  if (t === undefined) return new Unconvertible(`unknown route type ${r.type}`);
  if (t === 'blackhole' && r.nhId !== undefined && s.nexthops.get(r.nhId)?.kind === 'blackhole') return 'unicast';
  return t;
}

/** NLM_F_* of an RTM_NEWROUTE to the request's op (formats README 1.5). */
export function routeOp(flags: number | undefined): RouteOp | undefined {
  if (flags === undefined) return undefined;
  if ((flags & NLM_F_REPLACE) !== 0) return (flags & NLM_F_CREATE) !== 0 ? 'replace' : 'change';
  if ((flags & NLM_F_APPEND) !== 0) return 'append';
  if ((flags & NLM_F_EXCL) !== 0) return 'add';
  if ((flags & NLM_F_CREATE) !== 0) return 'prepend';
  return 'add';
}

/** The fib_config a route record describes. */
export function routeConfig(r: RouteRecord, s: FibSnapshot, resolve: ResolveDev): RouteConfig | Unconvertible {
  const type = requestType(r, s);
  if (isProblem(type)) return type;
  const nh = nexthopSpecs(r, resolve);
  if (isProblem(nh)) return nh;
  const dst = r.dstAddr ?? ip(r.dst) ?? 0;
  return {
    table: r.table,
    dst,
    plen: r.dstLen,
    tos: r.tos,
    type,
    scope: r.scope,
    protocol: r.protocol,
    priority: r.priority ?? 0,
    prefsrc: ip(r.prefsrc) ?? 0,
    nhs: nh,
    multipath: r.nhId === undefined && r.multipath !== undefined,
    nhid: r.nhId ?? 0,
    mx: recordMetrics(r),
  };
}

/**
 * A record's RTA_METRICS as the attributes of a request (RTAX order, as
 * rtnetlink_put_metrics() dumps them): what re-creates the route's fib_info metrics, and
 * what a delete compares (fib_metrics_match()).
 */
export function recordMetrics(r: { readonly metrics?: Readonly<Record<string, number>>; readonly congctl?: string }): readonly MetricAttr[] | null {
  if (r.metrics === undefined && r.congctl === undefined) return null;
  const out: MetricAttr[] = [];
  for (let type = 1; type < RTAX_NAMES.length; type++) {
    const name = RTAX_NAMES[type];
    if (name === undefined) continue;
    if (type === RTAX_CC_ALGO) {
      if (r.congctl !== undefined) out.push({ type: RTAX_CC_ALGO, name: r.congctl });
      continue;
    }
    const v = r.metrics?.[name];
    if (v !== undefined) out.push({ type, val: v });
  }
  return out.length === 0 ? null : out;
}

/**
 * RTM_NEWROUTE / RTM_DELROUTE to route-new / route-del.
 * Text traces carry no nlmsg_flags: a route whose (table, prefix, tos, metric) group
 * already exists is taken as a replace (what routing daemons send); append and prepend
 * print the same line and cannot be told apart from it, so the replay names the line
 * (replaceInferred(), AMBIGUOUS_OP_NOTE).
 */
export function routeEvent(r: RouteRecord, s: FibSnapshot, resolve: ResolveDev): FibEvent | Unconvertible {
  const cfg = routeConfig(r, s, resolve);
  if (isProblem(cfg)) return cfg;
  if (r.op === 'del') {
    // The request's own fields: a delete matches on what it gives (fib_table_delete()).
    return { type: 'route-del', cfg: cfg satisfies RouteDelConfig };
  }
  let op = routeOp(r.nlmsgFlags);
  if (op === undefined) {
    op = groupExists(s, cfg) ? 'replace' : 'add';
  }
  return { type: 'route-new', op, cfg };
}

/**
 * The note of a route line a text trace gave without nlmsg_flags over a route of the same
 * (table, prefix, tos, metric): routeEvent() applies it as a replace, but `ip route
 * append` and `prepend` print the same line, and keep the route a replace takes away
 * (fib_table_insert(): a replace takes the group's first alias's place; an append goes
 * after the group, a prepend before it). A named gap (completeness.ts), not a guess.
 */
export const AMBIGUOUS_OP_NOTE = 'ambiguous operation: a route line over a route of the same table, prefix, tos and metric (ip monitor text has no nlmsg_flags: replace, append and prepend print alike); applied as a replace';

/** Whether routeEvent() took a route line for a replace for want of nlmsg_flags (AMBIGUOUS_OP_NOTE). */
export function replaceInferred(r: RouteRecord, ev: FibEvent): boolean {
  return r.op !== 'del' && r.nlmsgFlags === undefined && ev.type === 'route-new' && ev.op === 'replace';
}

function groupExists(s: FibSnapshot, cfg: RouteConfig): boolean {
  const t = s.tables.get(cfg.table);
  if (t === undefined) return false;
  return tableAliases(t, cfg.dst, cfg.plen).some((fa) => fa.tos === cfg.tos && fa.info.priority === cfg.priority);
}
