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

export interface IpRouteNexthop {
  readonly gateway?: string;
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
  readonly dev?: string;
  readonly iif?: string;
  readonly table?: string;
  readonly prefsrc?: string;
  readonly tos?: string;
  readonly mark?: number;
  readonly uid?: number;
  readonly flags: readonly string[];
  readonly cache?: readonly unknown[];
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
}

export interface IpJsonOptions {
  /** Name used in error messages (the parser opens nothing). */
  readonly file?: string;
}

// ---- validators ----

const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

interface Cx {
  readonly errors: JsonPathError[];
  readonly skipped: Record<string, number>;
  readonly file: string | undefined;
}

type Check<T> = (v: unknown, path: string, cx: Cx) => T | Invalid;
type Shape = Readonly<Record<string, Check<unknown>>>;
type Out<C> = C extends Check<infer T> ? T : never;
type Obj<R extends Shape, O extends Shape> =
  { readonly [K in keyof R]: Out<R[K]> } & { readonly [K in keyof O]?: Out<O[K]> };

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function fail(cx: Cx, path: string, expected: string, got: unknown): Invalid {
  const prefix = cx.file === undefined ? '' : `${cx.file}: `;
  cx.errors.push({ path, expected, message: `${prefix}${path}: expected ${expected}, got ${describe(got)}` });
  return INVALID;
}

function skip(cx: Cx, reason: string): void {
  cx.skipped[reason] = (cx.skipped[reason] ?? 0) + 1;
}

const str: Check<string> = (v, p, cx) => (typeof v === 'string' ? v : fail(cx, p, 'a string', v));
const int: Check<number> = (v, p, cx) =>
  (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(cx, p, 'an integer', v));
const bool: Check<boolean> = (v, p, cx) => (typeof v === 'boolean' ? v : fail(cx, p, 'a boolean', v));
const nul: Check<null> = (v, p, cx) => (v === null ? null : fail(cx, p, 'null (a flag)', v));
const strOrNull: Check<string | null> = (v, p, cx) =>
  (v === null || typeof v === 'string' ? v : fail(cx, p, 'a string or null', v));
const strOrInt: Check<string | number> = (v, p, cx) =>
  (typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v)) ? v : fail(cx, p, 'a string or an integer', v));
const anyArray: Check<readonly unknown[]> = (v, p, cx) => (Array.isArray(v) ? v : fail(cx, p, 'an array', v));
/** The keys print_rta_metrics() writes in JSON, and what each holds. */
const METRIC_KEYS: Readonly<Record<string, 'number' | 'string' | 'null'>> = {
  mtu: 'number', window: 'number', rtt: 'number', rttvar: 'number', ssthresh: 'number', cwnd: 'number',
  advmss: 'number', reordering: 'number', hoplimit: 'number', initcwnd: 'number', ecn: 'null',
  features: 'string', rto_min: 'number', initrwnd: 'number', quickack: 'number', congestion: 'string',
  fastopen_no_cookie: 'number',
};
const metricsRecord: Check<Readonly<Record<string, number | string | null>>> = (v, p, cx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, 'an object of route metrics', v);
  const out: Record<string, number | string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    const want = METRIC_KEYS[k];
    if (want === undefined) return fail(cx, `${p}.${k}`, `a route metric (${Object.keys(METRIC_KEYS).join(', ')})`, k);
    if (want === 'null' ? x !== null : typeof x !== want) return fail(cx, `${p}.${k}`, want === 'null' ? 'null (a flag)' : `a ${want}`, x);
    out[k] = x as number | string | null;
  }
  return out;
};
const numberRecord: Check<Readonly<Record<string, number>>> = (v, p, cx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, 'an object of numbers', v);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'number') return fail(cx, `${p}.${k}`, 'a number', x);
    out[k] = x;
  }
  return out;
};

/**
 * An array whose invalid items are reported and left out; `keep` may return a skip reason
 * for a valid item that is deliberately not kept.
 */
function arr<T>(item: Check<T>, keep?: (raw: unknown, t: T) => string | undefined): Check<T[]> {
  return (v, p, cx) => {
    if (!Array.isArray(v)) return fail(cx, p, 'an array', v);
    const out: T[] = [];
    v.forEach((x: unknown, i: number) => {
      const r = item(x, `${p}[${i}]`, cx);
      if (r === INVALID) return;
      const reason = keep?.(x, r);
      if (reason !== undefined) skip(cx, reason);
      else out.push(r);
    });
    return out;
  };
}

/** A plain array of checked items where one bad item invalidates the whole (flags, groups). */
function list<T>(item: Check<T>): Check<T[]> {
  return (v, p, cx) => {
    if (!Array.isArray(v)) return fail(cx, p, 'an array', v);
    const out: T[] = [];
    let bad = false;
    v.forEach((x: unknown, i: number) => {
      const r = item(x, `${p}[${i}]`, cx);
      if (r === INVALID) bad = true;
      else out.push(r);
    });
    return bad ? INVALID : out;
  };
}

function obj<R extends Shape, O extends Shape>(name: string, required: R, optional: O): Check<Obj<R, O>> {
  return (v, p, cx) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, `a ${name} object`, v);
    const src = v as Readonly<Record<string, unknown>>;
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const [k, check] of Object.entries(required)) {
      if (!Object.hasOwn(src, k)) {
        fail(cx, `${p}.${k}`, `the key "${k}" of a ${name}`, undefined);
        bad = true;
        continue;
      }
      const r = check(src[k], `${p}.${k}`, cx);
      if (r === INVALID) bad = true;
      else out[k] = r;
    }
    for (const [k, x] of Object.entries(src)) {
      if (Object.hasOwn(required, k)) continue;
      const check = Object.hasOwn(optional, k) ? optional[k] : undefined;
      if (check === undefined) {
        skip(cx, `unknown key ${name}.${k}`);
        continue;
      }
      const r = check(x, `${p}.${k}`, cx);
      if (r === INVALID) bad = true;
      else out[k] = r;
    }
    // The keys are exactly those of R (required, all checked) and O (optional, checked).
    return bad ? INVALID : (out as Obj<R, O>);
  };
}

// ---- shapes ----

const flags = list(str);

const linkRequired = { ifindex: int, ifname: str, flags };
const linkOptional = {
  mtu: int, qdisc: str, operstate: str, linkmode: str, group: str, txqlen: int, link_type: str,
  address: str, broadcast: str, permaddr: str, link: strOrNull, link_index: int, link_netnsid: int,
  master: str, link_pointtopoint: bool, proto_down: bool, event: str,
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
const routeNexthop: Check<IpRouteNexthop> = obj('nexthops', { flags }, { gateway: str, dev: str, weight: int, flow: flowObj });

/** IPv6 routes have a `pref` key; IPv4 routes never do (formats README section 4). */
function ipv6Route(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Readonly<Record<string, unknown>>;
  const colon = (k: string): boolean => typeof r[k] === 'string' && (r[k] as string).includes(':');
  return Object.hasOwn(r, 'pref') || colon('dst') || colon('gateway') || colon('prefsrc');
}

const route: Check<IpRoute> = (v, p, cx) => {
  if (ipv6Route(v)) return routeV6(v, p, cx);
  return routeV4(v, p, cx);
};
const routeV4: Check<IpRoute> = obj('route', { dst: str, flags }, {
  type: str, from: str, nhid: int, tos: str, gateway: str, dev: str, table: str, protocol: str,
  scope: str, prefsrc: str, metric: int, metrics: list(metricsRecord), nexthops: list(routeNexthop), flow: flowObj,
});
/** IPv6 routes are only checked for being objects; they are skipped. */
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
  protocol: str,
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
  type: str, from: str, gateway: str, dev: str, iif: str, table: str, prefsrc: str, tos: str,
  mark: int, uid: int, cache: anyArray,
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
  const field = <T>(k: string, check: Check<T[]>): T[] => {
    if (!Object.hasOwn(src, k)) return [];
    const r = check(src[k], `$.${k}`, cx);
    return r === INVALID ? [] : r;
  };
  const snapshot: { -readonly [K in keyof IpSnapshot]: IpSnapshot[K] } = {
    link: field('link', arr(link)),
    addr: field('addr', arr(addr)),
    route: field('route', arr(route, (raw) => (ipv6Route(raw) ? 'route/inet6' : undefined))),
    rule: field('rule', arr(rule, (_raw, r) => ((r.src.includes(':') || (r.dst ?? '').includes(':')) ? 'rule/inet6' : undefined))),
    netconf: field('netconf', arr(netconf, (_raw, n) => (n.family === 'inet' ? undefined : `netconf/${n.family}`))),
    nexthop: field('nexthop', arr(nexthop, (_raw, n) => ((n.gateway ?? '').includes(':') ? 'nexthop/inet6' : undefined))),
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
  return { ok: cx.errors.length === 0, snapshot, errors: cx.errors, skipped: cx.skipped };
}

/** Whether an `ip -j route` element is an IPv6 route (has `pref`, or an address with `:`). */
export function isIpv6RouteJson(raw: unknown): boolean {
  return ipv6Route(raw);
}
