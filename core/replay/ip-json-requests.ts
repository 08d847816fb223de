// An `ip -j rule` / `ip -j route` element as the request that makes it: the inverse of
// iproute2's print_rule()/print_route() (ip/iprule.c, ip/iproute.c), to the fib_rule and
// fib_config that fib_nl_newrule()/rtm_to_fib_config() would build. Split from initial-state.ts.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopSpec, RouteConfig } from '../events/route.js';
import { ruleActionOf, type FibRule, type RuleAction } from '../events/rule.js';
import { blankRule, sameRule } from '../snapshot/fib-rule.js';
import type { RouteType } from '../uapi/rtnetlink.js';
import { RT_TABLE_MAIN, RTPROT_BOOT } from '../uapi/rtnetlink.js';
import { BUILTIN_NAMES, dsfieldNumber, protoNumber, realmNumber, scopeNumber, tableNumber, RTAX_NAMES, RTN_TYPE_NAMES, groupNumber, type PrintNames } from '../uapi/rt-names.js';
import { RTAX_CC_ALGO, RTAX_FEATURES, RTAX_FEATURE_ECN, type MetricAttr } from '../uapi/rtax.js';
import { ipprotoNumber } from '../iproute2/ip-proto.js';
import type { IpRoute, IpRule, IpVia } from '../trace/ip-json.js';
import { canonicalIp6 } from '../net/ip6.js';
import { ip, prefixOf } from './_initial-builder.js';

/**
 * print_rule()'s "action": rtnl_rtntype_n2a() of frh.action (`none` for 0, a number for
 * 12..255 or under -N), as ruleActionOf() reads it.
 */
function actionOf(word: string): RuleAction | undefined {
  const n = word === 'none' ? 0 : word !== 'unspec' && Object.hasOwn(RTN_TYPE_NAMES, word) ? RTN_TYPE_NAMES[word] : /^[0-9]+$/.test(word) ? Number(word) : undefined;
  return n === undefined || n > 255 ? undefined : ruleActionOf(n);
}

function portsOf(single: number | undefined, start: number | undefined, end: number | undefined): readonly [number, number] | null {
  if (single !== undefined) return [single, single];
  if (start !== undefined && end !== undefined) return [start, end];
  return null;
}

/** An `ip -j rule` element as a fib_rule. */
export function ruleFromJson(r: IpRule, names: PrintNames = BUILTIN_NAMES): FibRule {
  const src = r.src === 'all' ? { addr: 0, len: 0 } : { addr: ip(r.src), len: r.srclen ?? 32 };
  const dst = r.dst === undefined ? { addr: 0, len: 0 } : { addr: ip(r.dst), len: r.dstlen ?? 32 };
  let action: RuleAction = 'lookup';
  if (r.goto !== undefined) action = 'goto';
  else if (r.nop !== undefined) action = 'nop';
  else if (r.masquerade !== undefined) action = ruleActionOf(10);
  else if (r.action !== undefined) action = actionOf(r.action) ?? 'lookup';
  const fwmark = r.fwmark === undefined ? 0 : Number(r.fwmark);
  return {
    ...blankRule(r.priority),
    not: r.not !== undefined,
    src: src.addr,
    srcLen: src.len,
    dst: dst.addr,
    dstLen: dst.len,
    tos: r.tos === undefined ? 0 : (dsfieldNumber(r.tos, names) ?? 0),
    fwmark,
    fwmask: r.fwmask !== undefined ? Number(r.fwmask) : fwmark !== 0 ? 0xffffffff : 0,
    iifName: r.iif ?? null,
    oifName: r.oif ?? null,
    uidStart: r.uid_start ?? null,
    uidEnd: r.uid_end ?? null,
    ipproto: r.ipproto === undefined ? 0 : (ipprotoNumber(r.ipproto) ?? 0),
    sport: portsOf(r.sport, r.sport_start, r.sport_end),
    dport: portsOf(r.dport, r.dport_start, r.dport_end),
    action,
    // print_rule() prints a non-zero table whatever the action (`lookup 7 blackhole`).
    table: r.table !== undefined ? (tableNumber(r.table, names) ?? (action === 'lookup' ? RT_TABLE_MAIN : 0)) : action === 'lookup' ? RT_TABLE_MAIN : 0,
    gotoTarget: r.goto === undefined ? 0 : Number(r.goto),
    suppressPrefixlen: r.suppress_prefixlen ?? -1,
    // rtnl_group_n2a(): group 0 is printed `default`.
    suppressIfgroup: r.suppress_ifgroup === undefined ? -1 : (groupNumber(r.suppress_ifgroup) ?? Number(r.suppress_ifgroup)),
    protocol: r.protocol === undefined ? 0 : (protoNumber(r.protocol, names) ?? 0),
    l3mdev: r.l3mdev !== undefined,
    // FRA_FLOW: "realms FROM/TO" (flow_from, flow_to).
    ...(r.flow_from !== undefined || r.flow_to !== undefined ? { flow: realmsOf(r.flow_from, r.flow_to) } : {}),
  };
}

export function sameRuleIgnoringProto(a: FibRule, b: FibRule): boolean {
  return sameRule({ ...a, protocol: 0 }, { ...b, protocol: 0 });
}

const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

/** An `ip -j route` element as a route request (names resolved by `dev`). */
/**
 * The RTA_METRICS a JSON route shows, as request attributes. print_rta_metrics() prints
 * rtt/8 and rttvar/4 in ms and no `lock` in JSON, so locks are not known from `ip -j` and
 * rtt/rttvar come back as multiples of 8 and 4 (which print the same).
 */
export function jsonMetricAttrs(m: Readonly<Record<string, number | string | null>> | undefined): readonly MetricAttr[] | null {
  if (m === undefined) return null;
  const out: MetricAttr[] = [];
  let features = 0;
  for (const [k, v] of Object.entries(m)) {
    if (k === 'congestion' && typeof v === 'string') out.push({ type: RTAX_CC_ALGO, name: v });
    else if (k === 'ecn') features |= RTAX_FEATURE_ECN;
    else if (k === 'features' && typeof v === 'string') features |= Number.parseInt(v, 16) >>> 0;
    else if (typeof v === 'number') {
      const type = RTAX_NAMES.indexOf(k);
      if (type < 2) continue;
      out.push({ type, val: k === 'rtt' ? v * 8 : k === 'rttvar' ? v * 4 : v });
    }
  }
  if (features !== 0) out.push({ type: RTAX_FEATURES, val: features });
  return out.length === 0 ? null : out;
}

/** Realms as print_rta_flow() and fib4_rule_fill()'s printer name them (names checked by ip-json-names.ts). */
function realmsOf(from: string | undefined, to: string | undefined): number {
  const realm = (w: string | undefined): number => (w === undefined ? 0 : (realmNumber(w) ?? 0));
  return ((realm(from) << 16) | realm(to)) >>> 0;
}

/** RTA_FLOW from print_rta_flow()'s JSON ("cosmos" is realm 0 in rt_realms). */
function flowOf(f: { readonly from?: string; readonly to: string } | undefined): { flow?: number } {
  if (f === undefined) return {};
  return { flow: realmsOf(f.from, f.to) };
}

/** `gateway`, or `via` (print_rta_via(): RTA_VIA of family inet6 or inet), as a nexthop spec's gateway. */
function jsonGw(gateway: string | undefined, via: IpVia | undefined): { gw: number | null; gw6?: string; gw6Routed?: boolean } {
  if (gateway !== undefined || via === undefined) return { gw: gateway === undefined ? null : ip(gateway) };
  // The dump is the kernel's: it found the IPv6 gateway reachable (gw6Routed).
  if (via.family === 'inet6') return { gw: null, gw6: canonicalIp6(via.host) ?? via.host, gw6Routed: true };
  return { gw: ip(via.host) };
}

export function routeConfigFromJson(r: IpRoute, dev: (name: string | undefined) => number, s: FibSnapshot, names: PrintNames = BUILTIN_NAMES): RouteConfig {
  const p = prefixOf(r.dst);
  let type: RouteType = r.type !== undefined && (ROUTE_TYPES as readonly string[]).includes(r.type) ? (r.type as RouteType) : 'unicast';
  if (type === 'blackhole' && r.nhid !== undefined && s.nexthops.get(r.nhid)?.kind === 'blackhole') type = 'unicast';
  let nhs: NexthopSpec[] = [];
  let multipath = false;
  if (r.nhid === undefined) {
    if (r.nexthops !== undefined) {
      multipath = true;
      nhs = r.nexthops.map((n) => ({ dev: dev(n.dev), ...jsonGw(n.gateway, n.via), weight: n.weight ?? 1, onlink: n.flags.includes('onlink'), ...flowOf(n.flow) }));
    } else if (type === 'blackhole' || type === 'unreachable' || type === 'prohibit' || type === 'throw') {
      // An error type keeps its realms (fib_nh_init() fills them before fib_create_info()
      // looks at the type): the request's one nexthop carries them, without device or gateway.
      if (r.flow !== undefined) nhs = [{ dev: 0, gw: null, weight: 1, onlink: false, ...flowOf(r.flow) }];
    } else if (r.dev !== undefined || r.gateway !== undefined || r.via !== undefined) {
      nhs = [{ dev: dev(r.dev), ...jsonGw(r.gateway, r.via), weight: 1, onlink: r.flags.includes('onlink'), ...flowOf(r.flow) }];
    }
  }
  return {
    table: r.table === undefined ? RT_TABLE_MAIN : (tableNumber(r.table, names) ?? RT_TABLE_MAIN),
    dst: p.addr,
    plen: p.len,
    tos: r.tos === undefined ? 0 : (dsfieldNumber(r.tos, names) ?? 0),
    type,
    scope: r.scope === undefined ? 0 : (scopeNumber(r.scope, names) ?? 0),
    protocol: r.protocol === undefined ? RTPROT_BOOT : (protoNumber(r.protocol, names) ?? RTPROT_BOOT),
    priority: r.metric ?? 0,
    prefsrc: ip(r.prefsrc),
    nhs,
    multipath,
    nhid: r.nhid ?? 0,
    mx: jsonMetricAttrs(r.metrics?.[0]),
  };
}
