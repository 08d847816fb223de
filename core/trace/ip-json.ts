// Typed reading of the `ip -j` snapshots of ../shared/traces (before.json, after.json,
// checkpoints/*.json): `unknown` in, typed objects out, with every problem named by its JSON path.
//
// Why: an rtmon file carries only a link dump, so a replay starts from such a snapshot, and the
// fixtures' expectations are snapshots too. The shapes are what iproute2 6.1 prints with -j:
// print_linkinfo() / print_addrinfo() (ip/ipaddress.c), print_route() (ip/iproute.c),
// print_rule() (ip/iprule.c), print_netconf() (ip/ipnetconf.c), __print_nexthop_entry()
// (ip/ipnexthop.c); keys follow ../shared/formats/README.md section 4. Key names are kept as
// iproute2 prints them (snake_case) so that a snapshot can be compared or printed back as is.
//
// | key         | kept                                   | skipped and counted            |
// | ----------- | -------------------------------------- | ------------------------------ |
// | `link`      | every device                           |                                |
// | `addr`      | every device, `inet` addr_info entries | `inet6` (and other) entries    |
// | `route`     | IPv4 routes                            | IPv6 routes (`pref` key or `:`)|
// | `rule`      | every rule (`ip -j rule` is IPv4)      | rules with IPv6 addresses      |
// | `netconf`   | `inet` entries                         | other families                 |
// | `nexthop`   | IPv4 nexthops, groups, blackholes      | nexthops via IPv6 gateways     |
// | `route_get` | every query                            |                                |
// | any element | the keys listed in the types below     | other keys (counted by name)   |
//
// An element that fails validation is left out and reported; the others are kept.
//
// The shapes are in ip-json-types.ts, the checking combinators in _json-check.ts.

import type { Timestamp } from './netlink-records.js';
import type { IpLink, IpAddrInfo, IpAddr, IpFlow, IpVia, IpRouteNexthop, IpRoute, IpRule, IpNetconf, IpNexthopGroupMember, IpNexthop, IpNexthopResArgs, IpRouteGetResult, IpRouteGet, IpSnapshot, IpSnapshotResult, IpJsonOptions } from './ip-json-types.js';
import { type Check, type Cx, INVALID, anyArray, arr, bool, fail, int, list, metricsRecord, nul, obj, skip, str, strOrInt, strOrNull } from './_json-check.js';

export type { IpLink, IpAddrInfo, IpAddr, IpFlow, IpVia, IpRouteNexthop, IpRoute, IpRule, IpNetconf, IpNexthopGroupMember, IpNexthop, IpNexthopResArgs, IpRouteGetResult, IpRouteGet, IpSnapshot, JsonPathError, IpSnapshotResult, IpJsonOptions } from './ip-json-types.js';

// ---- shapes ----

const flags = list(str);

const linkRequired = { ifindex: int, ifname: str, flags };
const linkOptional = {
  mtu: int, qdisc: str, operstate: str, linkmode: str, group: str, txqlen: int, link_type: str,
  address: str, broadcast: str, permaddr: str, link: strOrNull, link_index: int, link_netnsid: int,
  master: str, link_pointtopoint: bool, proto_down: bool, event: str, ifalias: str, altnames: list(str),
};
const link: Check<IpLink> = obj('link', linkRequired, linkOptional);

const addrInfo: Check<IpAddrInfo> = obj('addr_info', { family: str, local: str, prefixlen: int, scope: str }, {
  address: str, broadcast: str, label: str, metric: int, secondary: bool, noprefixroute: bool,
  dynamic: bool, deprecated: bool, tentative: bool, autojoin: bool, valid_life_time: int,
  preferred_life_time: int,
});

const addr: Check<IpAddr> = obj('addr', {
  ...linkRequired,
  addr_info: arr(addrInfo, (_raw, a) => (a.family === 'inet' ? undefined : `addr_info/${a.family}`)),
}, linkOptional);

const flowObj: Check<IpFlow> = obj('flow', { to: str }, { from: str });
/** print_rta_via(): RTA_VIA, a gateway of another family (`via inet6 fe80::1`). */
const viaObj: Check<IpVia> = obj('via', { family: str, host: str }, {});

const routeNexthop: Check<IpRouteNexthop> = obj('nexthops', { flags }, { gateway: str, via: viaObj, dev: str, weight: int, flow: flowObj });

/** IPv6 routes have a `pref` key; IPv4 routes never do (formats README section 4). */
function ipv6Route(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Readonly<Record<string, unknown>>;
  const colon = (k: string): boolean => typeof r[k] === 'string' && (r[k] as string).includes(':');
  return Object.hasOwn(r, 'pref') || colon('dst') || colon('gateway') || colon('prefsrc');
}

/**
 * A route with a lightweight tunnel (`encap ip …`, not an IPv6 route: those have `pref`):
 * not modelled. print_encap_ip() prints its tunnel's `dst`, `src` and `tos` as JSON keys of
 * the route object itself (iproute2 6.1), so the object has `dst` twice and JSON.parse keeps
 * the tunnel's (`"dst":"192.0.2.2"`, or an IPv6 one for `encap ip6`): the route's own
 * destination is lost, and it must not be read as a host route, nor as an IPv6 route.
 */
function encapRoute(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Readonly<Record<string, unknown>>;
  const legEncap = Array.isArray(r['nexthops']) && (r['nexthops'] as unknown[]).some((n) => typeof n === 'object' && n !== null && Object.hasOwn(n, 'encap'));
  return !Object.hasOwn(r, 'pref') && (Object.hasOwn(r, 'encap') || legEncap);
}
/** The skip reason of a route ip -j printed (out of scope for IPv6; a gap for encap). */
function routeSkip(raw: unknown): string | undefined {
  if (encapRoute(raw)) return 'route with encap (lightweight tunnel; ip -j prints the tunnel dst over the route dst)';
  return ipv6Route(raw) ? 'route/inet6' : undefined;
}

const route: Check<IpRoute> = (v, p, cx) => {
  if (encapRoute(v) || ipv6Route(v)) return routeV6(v, p, cx);
  return routeV4(v, p, cx);
};
const routeV4: Check<IpRoute> = obj('route', { dst: str, flags }, {
  type: str, from: str, nhid: int, tos: str, gateway: str, via: viaObj, dev: str, table: str, protocol: str,
  scope: str, prefsrc: str, metric: int, metrics: list(metricsRecord), nexthops: list(routeNexthop), flow: flowObj,
});
/** IPv6 routes (and routes with encap) are only checked for being objects; they are skipped. */
const routeV6: Check<IpRoute> = (v, p, cx) =>
  (typeof v === 'object' && v !== null && !Array.isArray(v)
    ? { dst: '', flags: [] }
    : fail(cx, p, 'a route object', v));

const rule: Check<IpRule> = obj('rule', { priority: int, src: str }, {
  srclen: int, dst: str, dstlen: int, not: nul, tos: str, fwmark: str, fwmask: str, iif: str,
  iif_detached: nul, oif: str, oif_detached: nul, l3mdev: nul, uid_start: int, uid_end: int,
  ipproto: str, sport: int, sport_start: int, sport_end: int, dport: int, dport_start: int,
  dport_end: int, tun_id: int, table: str, suppress_prefixlen: int, suppress_ifgroup: str,
  flow_from: str, flow_to: str, goto: strOrInt, unresolved: nul, nop: nul, action: str,
  masquerade: nul, protocol: str,
});

const netconf: Check<IpNetconf> = obj('netconf', { family: str, interface: str }, {
  forwarding: bool, rp_filter: strOrInt, mc_forwarding: bool, proxy_neigh: bool,
  ignore_routes_with_linkdown: bool, input: bool,
});

const groupMember: Check<IpNexthopGroupMember> = obj('group', { id: int }, { weight: int });

const seconds: Check<number> = (v, p, cx) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(cx, p, 'a number of seconds', v));

const resArgs: Check<IpNexthopResArgs> = obj('resilient_args', { buckets: int }, { idle_timer: seconds, unbalanced_timer: seconds, unbalanced_time: seconds });

const nexthop: Check<IpNexthop> = obj('nexthop', { id: int, flags }, {
  group: list(groupMember), type: str, gateway: str, dev: str, scope: str, blackhole: nul,
  protocol: str, fdb: nul, resilient_args: resArgs,
});

const routeGetResult: Check<IpRouteGetResult> = obj('route_get result', { dst: str, flags }, {
  type: str, from: str, gateway: str, via: viaObj, dev: str, iif: str, table: str, prefsrc: str, tos: str,
  mark: int, uid: int, cache: anyArray, metrics: list(metricsRecord), flow: flowObj,
});

const routeGetResults: Check<readonly IpRouteGetResult[] | null> = (v, p, cx) =>
  (v === null ? null : list(routeGetResult)(v, p, cx));

const routeGet: Check<IpRouteGet> = obj('route_get', { query: str, result: routeGetResults, error: strOrNull }, {});

const time: Check<Timestamp> = (v, p, cx) => {
  if (typeof v !== 'string') return fail(cx, p, 'a "sec.usec" string', v);
  const m = /^(\d+)\.(\d{6})$/.exec(v);
  if (m === null) return fail(cx, p, 'a "sec.usec" string with 6 digits of microseconds', v);
  return { sec: Number(m[1]), usec: Number(m[2]) };
};

const TOP_REQUIRED = ['link', 'addr', 'route', 'rule', 'netconf'] as const;

/**
 * Reads one snapshot object (`before.json`, `after.json`, `checkpoints/NN-NAME.json`).
 * Never throws; invalid elements are reported by JSON path and left out.
 *
 * Example:
 * ```ts
 * const r = parseIpSnapshot(JSON.parse(text), { file: 'before.json' });
 * if (!r.ok) for (const e of r.errors) console.error(e.message); // before.json: $.route[3].dst: expected a string, got number 5
 * r.snapshot.route; // IPv4 routes; r.skipped['route/inet6'] counts the IPv6 ones
 * ```
 *
 * 1. Check that the input is an object with the keys link, addr, route, rule and netconf
 *    (nexthop, route_get, checkpoint and time are optional).
 * 2. Check every element against its shape; keep the valid ones.
 * 3. Leave out IPv6 routes, non-inet addresses and netconf entries, and nexthops via IPv6
 *    gateways, and unknown keys, counting each in `skipped`.
 */
export function parseIpSnapshot(input: unknown, options: IpJsonOptions = {}): IpSnapshotResult {
  const cx: Cx = { errors: [], skipped: {}, file: options.file };
  const empty: IpSnapshot = { link: [], addr: [], route: [], rule: [], netconf: [], nexthop: [] };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail(cx, '$', 'a snapshot object with the keys link, addr, route, rule, netconf', input);
    return { ok: false, snapshot: empty, errors: cx.errors, skipped: cx.skipped };
  }
  const src = input as Readonly<Record<string, unknown>>;
  for (const k of TOP_REQUIRED) {
    if (!Object.hasOwn(src, k)) fail(cx, `$.${k}`, `the key "${k}" (the output of ip -j ${k === 'addr' ? 'addr' : k} show)`, undefined);
  }
  const sources = { route: [] as number[], rule: [] as number[], nexthop: [] as number[] };
  const field = <T>(k: string, check: Check<T[]>): T[] => {
    if (!Object.hasOwn(src, k)) return [];
    const r = check(src[k], `$.${k}`, cx);
    return r === INVALID ? [] : r;
  };
  const snapshot: { -readonly [K in keyof IpSnapshot]: IpSnapshot[K] } = {
    link: field('link', arr(link)),
    addr: field('addr', arr(addr)),
    route: field('route', arr(route, routeSkip, sources.route)),
    rule: field('rule', arr(rule, (_raw, r) => ((r.src.includes(':') || (r.dst ?? '').includes(':')) ? 'rule/inet6' : undefined), sources.rule)),
    netconf: field('netconf', arr(netconf, (_raw, n) => (n.family === 'inet' ? undefined : `netconf/${n.family}`))),
    // An AF_INET6 nexthop (an IPv6 gateway) is kept: IPv4 routes may use it.
    nexthop: field('nexthop', arr(nexthop, () => undefined, sources.nexthop)),
  };
  if (Object.hasOwn(src, 'route_get')) snapshot.route_get = field('route_get', arr(routeGet));
  if (Object.hasOwn(src, 'checkpoint')) {
    const c = str(src['checkpoint'], '$.checkpoint', cx);
    if (c !== INVALID) snapshot.checkpoint = c;
  }
  if (Object.hasOwn(src, 'time')) {
    const t = time(src['time'], '$.time', cx);
    if (t !== INVALID) snapshot.time = t;
  }
  for (const k of Object.keys(src)) {
    if (!['link', 'addr', 'route', 'rule', 'netconf', 'nexthop', 'route_get', 'checkpoint', 'time'].includes(k)) {
      skip(cx, `unknown key ${k}`);
    }
  }
  return { ok: cx.errors.length === 0, snapshot, errors: cx.errors, skipped: cx.skipped, sources };
}

/** Whether an `ip -j route` element is an IPv6 route (has `pref`, or an address with `:`). */
export function isIpv6RouteJson(raw: unknown): boolean {
  return ipv6Route(raw);
}
