// `ip route show` lines: print_route() of iproute2 6.1 applied to what fib_dump_info()
// reports for a route (rtm_flags from the nexthop, `dead` added where
// ignore_routes_with_linkdown applies to a linkdown nexthop: fib_nexthop_info).

import { formatIp4, formatPrefix } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown, ignoreLinkdownKnown } from '../snapshot/snapshot.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { aliasNexthops, aliasNexthopsOnlink, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { RT_SCOPE_UNIVERSE, RT_TABLE_MAIN, RTPROT_BOOT } from '../uapi/rtnetlink.js';
import { BUILTIN_NAMES, dsfieldName, protoName, rtntypeName, scopeName, tableName, type PrintNames } from '../uapi/rt-names.js';
import type { JsonObject, JsonValue } from './json-out.js';
import type { FibMetrics } from '../snapshot/fib-metrics.js';
import { flowJson, formatFlow, formatMetrics, metricsJson } from './rta-metrics.js';
import { formatNexthop, nexthopJson } from './nexthop-entry.js';

/** Which fields a `ip route show` selector pins, and so hides (filter.*mask == -1). */
export interface RouteHide {
  readonly dev?: boolean;
  readonly proto?: boolean;
  readonly scope?: boolean;
  readonly metric?: boolean;
  readonly via?: boolean;
  readonly src?: boolean;
  readonly tos?: boolean;
  /** A single table was asked for (filter.tb): no `table` word. */
  readonly table?: boolean;
  /** `realms` pinned both halves (filter.realmmask == ~0): no realm words. */
  readonly realms?: boolean;
  /** `ip -d`: the type, table, proto and scope are printed even at their defaults. */
  readonly details?: boolean;
}

interface NhView {
  readonly gw: number | null;
  /** RTA_VIA (AF_INET6) of the leg. */
  readonly gw6: string | undefined;
  readonly dev: number;
  readonly weight: number;
  readonly flags: readonly string[];
  /** RTA_FLOW inside the rtnexthop (0: none). */
  readonly flow: number;
}

function devName(s: FibSnapshot, i: number): string {
  return s.devices.get(i)?.name ?? `if${i}`;
}

/**
 * Why the `dead` flag of a route's linkdown nexthop is not knowable (fib_nexthop_info(): a
 * linkdown nexthop is dumped dead while ignore_routes_with_linkdown applies, a value an
 * imported state may not give; printed as stored), or null.
 */
export function deadFlagUnknown(s: FibSnapshot, r: FibRoute): string | null {
  const nhs = aliasNexthops(s, r.alias);
  if (nhs === 'blackhole') return null;
  for (const nh of nhs) {
    if (nh.dead || !nh.linkdown || ignoreLinkdownKnown(s, nh.dev) !== null) continue;
    const name = s.devices.get(nh.dev)?.name ?? `if${nh.dev}`;
    return `the dead flag of a linkdown nexthop on ${name}: net.ipv4.conf.all/${name}.ignore_routes_with_linkdown are not known (an imported state without them)`;
  }
  return null;
}

/** fib_nexthop_info() flags of one nexthop, in print_rt_flags order. */
function nhFlags(s: FibSnapshot, nh: ResolvedNh & { readonly onlink?: boolean }): string[] {
  const dead = nh.dead || (nh.linkdown && ignoreLinkdown(s, nh.dev));
  const out: string[] = [];
  if (dead) out.push('dead');
  if (nh.onlink === true) out.push('onlink');
  if (nh.linkdown) out.push('linkdown');
  return out;
}

/** The fields of a route as print_route() sees them. */
interface RouteView {
  readonly type: string;
  readonly dst: string;
  readonly nhid: number;
  readonly tos: number;
  readonly gw: number | null;
  /** RTA_VIA (AF_INET6): an IPv6 gateway, printed `via inet6 ADDR` (print_rta_via()). */
  readonly gw6: string | undefined;
  readonly dev: number | null;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly prefsrc: number;
  readonly metric: number;
  readonly flags: readonly string[];
  readonly multipath: readonly NhView[] | null;
  /** RTA_FLOW of a single-path route (0: none). */
  readonly flow: number;
  readonly metrics: FibMetrics | null;
}

function view(s: FibSnapshot, r: FibRoute, tableOverride?: number): RouteView {
  const info = r.alias.info;
  const nhs = aliasNexthops(s, r.alias);
  let type: string = r.alias.type;
  let gw: number | null = null;
  let gw6: string | undefined;
  let dev: number | null = null;
  let flags: readonly string[] = [];
  let multipath: NhView[] | null = null;
  let flow = 0;
  const obj = info.nhid !== 0 ? s.nexthops.get(info.nhid) : undefined;
  // fib_dump_info(): a route using a nexthop object reports its id, is a blackhole when
  // the object is one (nexthop_is_blackhole), and with nexthop_compat_mode=0 nothing more.
  if (obj !== undefined && s.ipv4Sysctl.nexthop_compat_mode === 0) {
    if (nhs === 'blackhole') type = 'blackhole';
  } else if (nhs === 'blackhole') {
    type = 'blackhole';
    dev = 1;
  } else if ((info.multipath || obj?.kind === 'group') && nhs.length > 1) {
    // A one-leg `nexthop …` route is a single-path route too (fib_info_num_path() is 1).
    // fib_dump_info(): a nexthop group reduced to one member (nexthop_flush_dev) is
    // reported like a single nexthop, since fib_info_num_path() is 1 (shared/traces/10).
    // fib_dump_info(): rtm_flags are the route's fib_flags (RTNH_F_LINKDOWN when every leg was).
    if (info.linkdown === true) flags = ['linkdown'];
    const onlink = aliasNexthopsOnlink(s, r.alias);
    multipath = nhs.map((nh, i) => ({
      gw: nh.gw,
      gw6: nh.gw6,
      dev: nh.dev,
      weight: nh.weight,
      flags: nhFlags(s, { ...nh, onlink: onlink[i] === true }),
      flow: nh.tclassid ?? 0,
    }));
  } else if (nhs.length === 1) {
    const nh = nhs[0] as ResolvedNh;
    gw = nh.gw;
    gw6 = nh.gw6;
    dev = nh.dev;
    flow = nh.tclassid ?? 0;
    flags = nhFlags(s, { ...nh, onlink: aliasNexthopsOnlink(s, r.alias)[0] === true });
  }
  // A route of an error type keeps its realms in the fib_info (fib_nh_init ran for it).
  if (multipath === null && (info.flow ?? 0) !== 0) flow = info.flow ?? 0;
  return {
    type,
    dst: formatPrefix(r.dst, r.plen),
    nhid: info.nhid,
    tos: r.alias.tos,
    gw,
    gw6,
    dev,
    table: tableOverride ?? r.table,
    protocol: info.protocol,
    scope: info.scope,
    prefsrc: info.prefsrc,
    metric: info.priority,
    flags,
    multipath,
    flow,
    metrics: info.metrics ?? null,
  };
}

/** One route in `ip route show` text, ending in " \n" (multipath legs on tab-indented lines). */
/**
 * The gateway a dump of the route carries at its top level (fib_dump_info()): RTA_GATEWAY
 * (gw) or RTA_VIA (gw6) of a single-path route, none for a multipath one (its legs' are
 * inside RTA_MULTIPATH) or a route without a gateway.
 */
export function dumpedGateway(s: FibSnapshot, r: FibRoute): { readonly gw: number | null; readonly gw6: string | undefined } {
  const v = view(s, r);
  return { gw: v.gw, gw6: v.gw6 };
}

/**
 * `ip -o`: iproute2 writes _SL_ ("\\" instead of "\n") where a route's text breaks a line
 * (before each multipath leg, before route get's `cache`), so a route stays on one line.
 */
export function oneline(text: string, on: boolean): string {
  // print_cache_nexthop_id() writes its "\n\tnh_info " prefix as it is, not as _SL_.
  return on ? `${text.slice(0, -1).replace(/\n(?!\tnh_info )/g, '\\')}\n` : text;
}

/**
 * print_route() with -details, for a route with RTA_NH_ID: print_cache_nexthop_id() asks the
 * kernel for the object (RTM_GETNEXTHOP) and prints it as `ip -d nexthop` would, after the
 * metrics and before the multipath legs. The object of a route's nhid always exists
 * (nexthop deletion takes its routes with it: remove_nexthop() -> __remove_nexthop_fib()).
 */
function nhInfoObject(s: FibSnapshot, r: FibRoute, d: boolean): NexthopObject | undefined {
  return d && r.alias.info.nhid !== 0 ? s.nexthops.get(r.alias.info.nhid) : undefined;
}

export function formatRouteLine(s: FibSnapshot, r: FibRoute, hide: RouteHide, tableOverride?: number, names: PrintNames = BUILTIN_NAMES): string {
  const v = view(s, r, tableOverride);
  const d = hide.details === true;
  let out = '';
  if (v.type !== 'unicast' || d) out += `${rtntypeName(v.type, names)} `;
  out += `${v.dst} `;
  if (v.nhid !== 0) out += `nhid ${v.nhid} `;
  if (v.tos !== 0 && hide.tos !== true) out += `tos ${dsfieldName(v.tos, names)} `;
  if (v.gw !== null && hide.via !== true) out += `via ${formatIp4(v.gw)} `;
  if (v.gw6 !== undefined) out += `via inet6 ${v.gw6} `;
  if (v.dev !== null && hide.dev !== true) out += `dev ${devName(s, v.dev)} `;
  if (v.table !== 0 && (v.table !== RT_TABLE_MAIN || d) && hide.table !== true) out += `table ${tableName(v.table, names)} `;
  if ((v.protocol !== RTPROT_BOOT || d) && hide.proto !== true) out += `proto ${protoName(v.protocol, names)} `;
  if ((v.scope !== RT_SCOPE_UNIVERSE || d) && hide.scope !== true) out += `scope ${scopeName(v.scope, names)} `;
  if (v.prefsrc !== 0 && hide.src !== true) out += `src ${formatIp4(v.prefsrc)} `;
  if (v.metric !== 0 && hide.metric !== true) out += `metric ${v.metric} `;
  for (const f of v.flags) out += `${f} `;
  if (v.flow !== 0 && hide.realms !== true) out += formatFlow(v.flow, names.numeric === true);
  out += formatMetrics(v.metrics);
  const nhInfo = nhInfoObject(s, r, d);
  if (nhInfo !== undefined) out += `\n\tnh_info ${formatNexthop(s, nhInfo, true, names).slice(0, -1)}`;
  if (v.multipath !== null) {
    for (const nh of v.multipath) {
      out += '\n\tnexthop ';
      if (nh.gw !== null) out += `via ${formatIp4(nh.gw)} `;
      if (nh.gw6 !== undefined) out += `via inet6 ${nh.gw6} `;
      if (nh.flow !== 0) out += formatFlow(nh.flow, names.numeric === true);
      out += `dev ${devName(s, nh.dev)} `;
      out += `weight ${nh.weight} `;
      for (const f of nh.flags) out += `${f} `;
    }
  }
  return `${out}\n`;
}

/** The same route as an `ip -j route show` object, keys in iproute2's order. */
export function routeJson(s: FibSnapshot, r: FibRoute, hide: RouteHide, tableOverride?: number, names: PrintNames = BUILTIN_NAMES): Record<string, JsonValue> {
  const v = view(s, r, tableOverride);
  const d = hide.details === true;
  const o: Record<string, JsonValue> = {};
  if (v.type !== 'unicast' || d) o['type'] = rtntypeName(v.type, names);
  o['dst'] = v.dst;
  if (v.nhid !== 0) o['nhid'] = v.nhid;
  if (v.tos !== 0 && hide.tos !== true) o['tos'] = dsfieldName(v.tos, names);
  if (v.gw !== null && hide.via !== true) o['gateway'] = formatIp4(v.gw);
  if (v.gw6 !== undefined) o['via'] = { family: 'inet6', host: v.gw6 };
  if (v.dev !== null && hide.dev !== true) o['dev'] = devName(s, v.dev);
  if (v.table !== 0 && (v.table !== RT_TABLE_MAIN || d) && hide.table !== true) o['table'] = tableName(v.table, names);
  if ((v.protocol !== RTPROT_BOOT || d) && hide.proto !== true) o['protocol'] = protoName(v.protocol, names);
  if ((v.scope !== RT_SCOPE_UNIVERSE || d) && hide.scope !== true) o['scope'] = scopeName(v.scope, names);
  if (v.prefsrc !== 0 && hide.src !== true) o['prefsrc'] = formatIp4(v.prefsrc);
  if (v.metric !== 0 && hide.metric !== true) o['metric'] = v.metric;
  o['flags'] = [...v.flags];
  if (v.flow !== 0 && hide.realms !== true) o['flow'] = flowJson(v.flow, names.numeric === true);
  const mx = metricsJson(v.metrics);
  if (mx !== null) o['metrics'] = [mx];
  const nhInfo = nhInfoObject(s, r, d);
  if (nhInfo !== undefined) o['nh_info'] = nexthopJson(s, nhInfo, true, names);
  if (v.multipath !== null) {
    o['nexthops'] = v.multipath.map((nh): JsonObject => {
      const x: Record<string, JsonValue> = {};
      if (nh.gw !== null) x['gateway'] = formatIp4(nh.gw);
      if (nh.gw6 !== undefined) x['via'] = { family: 'inet6', host: nh.gw6 };
      if (nh.flow !== 0) x['flow'] = flowJson(nh.flow, names.numeric === true);
      x['dev'] = devName(s, nh.dev);
      x['weight'] = nh.weight;
      x['flags'] = [...nh.flags];
      return x;
    });
  }
  return o;
}
