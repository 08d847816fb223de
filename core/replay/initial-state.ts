// The state a replay starts from: an `ip -j` snapshot (the before.json of
// ../shared/traces) turned into a FibSnapshot, through the reducer wherever an event can
// say it, and constructed directly where none can.
//
// | before.json part           | how                                                             |
// | -------------------------- | --------------------------------------------------------------- |
// | link                       | link-add (explicit ifindex, kind 'other', lo kept), brought up with carrier |
// | netconf all/default, device| sysctl writes of the values that differ (all and default first) |
// | rtmon link dump            | IFLA_INET_CONF values (promote_secondaries ...) as sysctl writes |
// | addr (inet)                | addr-add in dump order (peer, brd, scope, label, metric, noprefixroute) |
// | rule                       | rule-del of absent default rules, rule-add with priority         |
// | nexthop                    | nexthop-add, single ones and blackholes before groups            |
// | route (IPv4)               | route-new append, in dump order, retried until no progress (gateways resolved through routes added later) |
// | admin-down, no carrier     | link-set down, link-carrier off, after everything else           |
// | kernel routes not in the dump (deleted by hand) | route-del                                  |
// | routes no request can make (a kernel route whose address is gone, a route on a down device) | constructed: the alias is inserted into its table |
// | alias order within a prefix| constructed: reordered as dumped                                 |
//
// Why devices are 'other': their carrier then comes only from what the trace says
// (IFLA_CARRIER, IFF_LOWER_UP), at the moment the kernel reported it.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { initialSnapshot } from '../snapshot/snapshot.js';
import { reduceFib } from '../reduce/reduce.js';
import type { FibEvent } from '../events/fib-event.js';
import type { SysctlTarget } from '../events/sysctl.js';
import type { NexthopSpec, RouteConfig } from '../events/route.js';
import type { FibRule, RuleAction } from '../events/rule.js';
import { blankRule, sameRule } from '../snapshot/fib-rule.js';
import type { FibAlias, FibInfo, FibNh, FibRoute } from '../snapshot/fib-info.js';
import { fibInfo } from '../snapshot/fib-info.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import type { DevconfKey } from '../uapi/ip-devconf.js';
import type { RouteType } from '../uapi/rtnetlink.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_MAIN, RTPROT_BOOT } from '../uapi/rtnetlink.js';
import { emptyTable, tableAliases, tableSetAliases, type FibTable } from '../snapshot/fib-table.js';
import { parseIp4, type Ip4 } from '../net/ip4.js';
import { BUILTIN_NAMES, dsfieldNumber, protoNumber, scopeNumber, tableNumber, RTAX_NAMES, type PrintNames } from '../uapi/rt-names.js';
import { RTAX_CC_ALGO, RTAX_FEATURES, RTAX_FEATURE_ECN, type MetricAttr } from '../uapi/rtax.js';
import { ipprotoNumber } from '../iproute2/ip-proto.js';
import { routeJson } from '../print/route-line.js';
import type { JsonValue } from '../print/json-out.js';
import type { IpNetconf, IpNexthop, IpRoute, IpRule, IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord, RouteMetrics } from '../trace/netlink-records.js';
import { inetConfEvents, linkEvents } from './record-events.js';
import { linkFromJson, linkFromRecord, type LinkInfo } from './link-table.js';
import { routeKey } from './_route-key.js';
import { ipJsonDump, routesInDumpOrder } from './ip-json-dump.js';

/** Where a replay starts, and how it got there. */
export interface InitialState {
  readonly snapshot: FibSnapshot;
  readonly links: ReadonlyMap<number, LinkInfo>;
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
  /** The events applied, in order (an event log of the initial state). */
  readonly events: readonly FibEvent[];
  /** What had to be constructed without an event, one line each. */
  readonly constructed: readonly string[];
  /** Where the result still differs from the snapshot (should be empty). */
  readonly differences: readonly string[];
  /**
   * Entries of the snapshot that name a table, protocol, scope or dsfield no name table
   * defines ("$.route[3]: unknown table \"isp1\" ..."): left out of the state, never defaulted.
   */
  readonly errors: readonly string[];
}

const IFF_UP = 0x1;
const IFF_LOWER_UP = 0x10000;

class Builder {
  s: FibSnapshot = initialSnapshot();
  readonly events: FibEvent[] = [];
  readonly problems: string[] = [];
  apply(e: FibEvent): boolean {
    const st = reduceFib(this.s, e);
    this.s = st.snapshot;
    this.events.push(e);
    return st.error === null;
  }
  /** Applies e; on refusal, keeps the old snapshot and drops the event from the log. */
  tryApply(e: FibEvent): boolean {
    const st = reduceFib(this.s, e);
    if (st.error !== null) return false;
    this.s = st.snapshot;
    this.events.push(e);
    return true;
  }
  ifindex(name: string | undefined): number {
    if (name === undefined) return 0;
    for (const d of this.s.devices.values()) if (d.name === name) return d.ifindex;
    return 0;
  }
}

function ip(text: string | undefined): Ip4 {
  return text === undefined ? 0 : (parseIp4(text) ?? 0);
}

function prefixOf(dst: string): { addr: Ip4; len: number } {
  if (dst === 'default') return { addr: 0, len: 0 };
  const [a, l] = dst.split('/');
  return { addr: ip(a), len: l === undefined ? 32 : Number(l) };
}

const NETCONF_KEYS: readonly (readonly [keyof IpNetconf, DevconfKey])[] = [
  ['forwarding', 'forwarding'],
  ['rp_filter', 'rp_filter'],
  ['proxy_neigh', 'proxy_arp'],
  ['ignore_routes_with_linkdown', 'ignore_routes_with_linkdown'],
];

function netconfValue(n: IpNetconf, k: keyof IpNetconf): number | undefined {
  const v = n[k];
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (v === 'off') return 0;
  if (v === 'strict') return 1;
  if (v === 'loose') return 2;
  return undefined;
}

function netconfWrites(b: Builder, n: IpNetconf, target: SysctlTarget): void {
  const conf = target.kind === 'all' ? b.s.confAll : target.kind === 'default' ? b.s.confDefault : b.s.devices.get(target.ifindex)?.conf;
  if (conf === undefined) return;
  for (const [jk, key] of NETCONF_KEYS) {
    const v = netconfValue(n, jk);
    if (v === undefined || conf.values[key] === v) continue;
    b.apply({ type: 'sysctl', target, key, value: v });
  }
}

const RULE_ACTIONS: readonly RuleAction[] = ['blackhole', 'unreachable', 'prohibit'];

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
  else if (r.action !== undefined && (RULE_ACTIONS as readonly string[]).includes(r.action)) action = r.action as RuleAction;
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
    table: action === 'lookup' ? (r.table === undefined ? RT_TABLE_MAIN : (tableNumber(r.table, names) ?? RT_TABLE_MAIN)) : 0,
    gotoTarget: r.goto === undefined ? 0 : Number(r.goto),
    suppressPrefixlen: r.suppress_prefixlen ?? -1,
    suppressIfgroup: r.suppress_ifgroup === undefined ? -1 : Number(r.suppress_ifgroup),
    protocol: r.protocol === undefined ? 0 : (protoNumber(r.protocol, names) ?? 0),
    l3mdev: r.l3mdev !== undefined,
  };
}

function sameRuleIgnoringProto(a: FibRule, b: FibRule): boolean {
  return sameRule({ ...a, protocol: 0 }, { ...b, protocol: 0 });
}

const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat'];

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

/** RTA_FLOW from print_rta_flow()'s JSON ("cosmos" is realm 0 in rt_realms). */
function flowOf(f: { readonly from?: string; readonly to: string } | undefined): { flow?: number } {
  if (f === undefined) return {};
  const realm = (w: string | undefined): number => (w === undefined || w === 'cosmos' ? 0 : Number.parseInt(w, 10) & 0xffff);
  return { flow: ((realm(f.from) << 16) | realm(f.to)) >>> 0 };
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
      nhs = r.nexthops.map((n) => ({ dev: dev(n.dev), gw: n.gateway === undefined ? null : ip(n.gateway), weight: n.weight ?? 1, onlink: n.flags.includes('onlink'), ...flowOf(n.flow) }));
    } else if (r.dev !== undefined || r.gateway !== undefined) {
      if (type !== 'blackhole' && type !== 'unreachable' && type !== 'prohibit' && type !== 'throw') {
        nhs = [{ dev: dev(r.dev), gw: r.gateway === undefined ? null : ip(r.gateway), weight: 1, onlink: r.flags.includes('onlink'), ...flowOf(r.flow) }];
      }
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

/** JSON with object keys sorted (arrays keep their order): equal for equal content. */
export function canonicalJson(v: unknown, drop: ReadonlySet<string> = new Set()): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x: unknown) => canonicalJson(x, drop)).join(',')}]`;
  const o = v as Readonly<Record<string, unknown>>;
  const keys = Object.keys(o).filter((k) => !drop.has(k) && o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k], drop)}`).join(',')}}`;
}

const NO_FLAGS: ReadonlySet<string> = new Set(['flags']);

/** A route's JSON without its flags: what identifies it across link-state changes. */
function sig(o: unknown): string {
  return canonicalJson(o, NO_FLAGS);
}

function nexthopEvent(n: IpNexthop, b: Builder, names: PrintNames): FibEvent {
  const base = { type: 'nexthop-add' as const, id: n.id, replace: false, protocol: n.protocol === undefined ? 0 : (protoNumber(n.protocol, names) ?? 0) };
  const fdb = n.fdb !== undefined;
  if (n.group !== undefined) {
    const members = n.group.map((m) => ({ id: m.id, weight: m.weight ?? 1 }));
    const r = n.resilient_args;
    // "type": "resilient" with its resilient_args (timers in seconds, sent in clock_t).
    const res =
      n.type === 'resilient'
        ? {
            res: {
              ...(r === undefined ? {} : { buckets: r.buckets }),
              ...(r?.idle_timer === undefined ? {} : { idleTimer: Math.round(r.idle_timer * 100) }),
              ...(r?.unbalanced_timer === undefined ? {} : { unbalancedTimer: Math.round(r.unbalanced_timer * 100) }),
            },
          }
        : {};
    return { ...base, kind: 'group', members, fdb, ...res };
  }
  if (n.blackhole !== undefined) return { ...base, kind: 'blackhole' };
  if (fdb) return { ...base, kind: 'single', dev: 0, gw: n.gateway === undefined ? null : ip(n.gateway), onlink: n.flags.includes('onlink'), fdb: true };
  return { ...base, kind: 'single', dev: b.ifindex(n.dev), gw: n.gateway === undefined ? null : ip(n.gateway), onlink: n.flags.includes('onlink') };
}

/** Builds a FibAlias without validation, for a route no request can re-create now. */
function constructAlias(cfg: RouteConfig, j: IpRoute, s: FibSnapshot): FibAlias {
  const nhFlags = (i: number): readonly string[] => (j.nexthops !== undefined ? (j.nexthops[i]?.flags ?? []) : j.flags);
  const nhs: FibNh[] = cfg.nhs.map((n, i) => {
    const flags = nhFlags(i);
    const d = s.devices.get(n.dev);
    const linkdown = flags.includes('linkdown');
    return {
      dev: n.dev,
      gw: n.gw,
      weight: n.weight,
      onlink: n.onlink,
      scope: cfg.scope === RT_SCOPE_HOST ? 255 : n.gw === null ? RT_SCOPE_HOST : RT_SCOPE_LINK,
      dead: flags.includes('dead') && (d === undefined || !d.up || !linkdown),
      linkdown,
    };
  });
  const info: FibInfo = {
    protocol: cfg.protocol,
    scope: cfg.scope,
    priority: cfg.priority,
    prefsrc: cfg.prefsrc,
    tbId: cfg.table,
    nhs,
    nhid: cfg.nhid,
    dead: false,
    pfsrcRemoved: false,
    multipath: cfg.multipath,
  };
  return { type: cfg.type, tos: cfg.tos, info };
}

function withTable(s: FibSnapshot, t: FibTable): FibSnapshot {
  const tables = new Map(s.tables);
  tables.set(t.id, t);
  return { ...s, tables };
}

/**
 * The state of an `ip -j` snapshot (and of rtmon's link dump), as a FibSnapshot.
 *
 * @example
 *   const init = initialState(parseIpSnapshot(JSON.parse(text)).snapshot, dumpRecords);
 *   init.differences; // [] when the model reproduces every IPv4 route, rule and netconf value
 *
 * Steps as in the table at the top of this file; then the result is printed as `ip -j`
 * and compared with the input: whatever still differs is listed in `differences`.
 */
export function initialState(ipSnapIn: IpSnapshot | null, dump: readonly LinkRecord[] = [], names: PrintNames = BUILTIN_NAMES): InitialState {
  const b = new Builder();
  const { snap: ipSnap, errors } = ipSnapIn === null ? { snap: null, errors: [] } : withKnownNames(ipSnapIn, names);
  const constructed: string[] = [];
  const links = new Map<number, LinkInfo>();
  if (ipSnap === null) {
    for (const r of dump) {
      for (const e of linkEvents(r, b.s)) b.apply(e);
      links.set(r.ifindex, linkFromRecord(r, links.get(r.ifindex)));
      if (r.inetConf !== undefined) for (const e of inetConfEvents(r.ifindex, r.inetConf, b.s)) b.apply(e);
    }
    return { snapshot: b.s, links, metrics: new Map(), events: b.events, constructed, differences: [], errors };
  }
  // 1. all and default, before devices copy default.
  for (const n of ipSnap.netconf) {
    if (n.interface === 'all') netconfWrites(b, n, { kind: 'all' });
  }
  for (const n of ipSnap.netconf) {
    if (n.interface === 'default') netconfWrites(b, n, { kind: 'default' });
  }
  // 2. devices, all up with carrier for now.
  const jsonLinks = [...ipSnap.link].sort((x, y) => x.ifindex - y.ifindex);
  for (const l of jsonLinks) {
    const info = linkFromJson(l);
    links.set(l.ifindex, info);
    const existing = b.s.devices.get(l.ifindex);
    if (existing === undefined) {
      b.apply({ type: 'link-add', link: { ifindex: l.ifindex, name: l.ifname, kind: l.flags.includes('LOOPBACK') ? 'loopback' : 'other', up: false, ...(l.address !== undefined ? { mac: l.address } : {}), ...(l.mtu !== undefined ? { mtu: l.mtu } : {}) } });
    } else if (existing.name !== l.ifname) {
      b.apply({ type: 'link-set', ifindex: l.ifindex, name: l.ifname });
    }
    const group = l.group === undefined || l.group === 'default' ? 0 : Number(l.group);
    if (group !== 0) b.apply({ type: 'link-set', ifindex: l.ifindex, group });
  }
  // Peers known by name.
  for (const [i, info] of links) {
    if (info.linkName !== undefined && info.link === undefined) {
      const peer = jsonLinks.find((x) => x.ifname === info.linkName);
      if (peer !== undefined) links.set(i, { ...info, link: peer.ifindex });
    }
  }
  for (const r of dump) {
    if (r.op === 'new' && r.family === 0) links.set(r.ifindex, { ...linkFromRecord(r, links.get(r.ifindex)), txqlen: links.get(r.ifindex)?.txqlen ?? 1000 });
  }
  const isUp = new Map(jsonLinks.map((l) => [l.ifindex, l.flags.includes('UP')]));
  // Loopback addresses before lo comes up: inetdev_event(NETDEV_UP) adds 127.0.0.1/8 then,
  // after (so as a secondary of) any 127/8 address the dump lists first.
  for (const a of ipSnap.addr) if (a.flags.includes('LOOPBACK')) addAddrs(b, a);
  for (const l of jsonLinks) {
    if (l.flags.includes('UP') || !l.flags.includes('LOOPBACK')) b.apply({ type: 'link-set', ifindex: l.ifindex, up: true });
  }
  // 3. per-device sysctls: netconf, then the link dump's IFLA_INET_CONF.
  for (const n of ipSnap.netconf) {
    if (n.interface === 'all' || n.interface === 'default') continue;
    const i = b.ifindex(n.interface);
    if (i !== 0) netconfWrites(b, n, { kind: 'dev', ifindex: i });
  }
  for (const r of dump) if (r.inetConf !== undefined) for (const e of inetConfEvents(r.ifindex, r.inetConf, b.s)) b.apply(e);
  // 4. addresses.
  for (const a of ipSnap.addr) addAddrs(b, a);
  // 5-7. nexthop objects (single ones first) and routes (retried while a gateway depends on
  // a route added later), first under the namespace's own rules, then again after the
  // snapshot's rules are added, for what needed them; the default rules the snapshot lacks
  // go last. The kernel resolved each gateway (fib_check_nh_v4_gw(): fib_lookup() for main
  // and for nexthop objects) under the rules of its own moment, which the dump does not
  // tell: a rule added later (a blackhole `to` rule, a deleted main rule) must not stand in
  // the way (test/replay/import-roundtrip.test.ts found both).
  const wanted = ipSnap.rule.map((r) => ruleFromJson(r, names));
  const nhs = [...ipSnap.nexthop].sort((x, y) => Number(x.group !== undefined) - Number(y.group !== undefined) || x.id - y.id);
  const dev = (name: string | undefined): number => b.ifindex(name);
  const present = (r: IpRoute): boolean => routesInDumpOrder(b.s).some((m) => sig(routeJson(b.s, m, {}, undefined, names)) === sig(r));
  let todo = ipSnap.route.filter((r) => !present(r));
  const pass = (): void => {
    for (const n of nhs) if (!b.s.nexthops.has(n.id)) b.tryApply(nexthopEvent(n, b, names));
    for (let round = 0; round < 4 && todo.length > 0; round++) {
      const left: IpRoute[] = [];
      for (const r of todo) {
        if (!b.tryApply({ type: 'route-new', op: 'append', cfg: routeConfigFromJson(r, dev, b.s, names) })) left.push(r);
      }
      if (left.length === todo.length) break;
      todo = left;
    }
  };
  pass();
  for (const w of wanted) {
    if (!b.s.rules.some((r) => sameRuleIgnoringProto(w, r))) b.apply({ type: 'rule-add', rule: w });
  }
  pass();
  // A single nexthop whose gateway no longer resolves (its address was deleted: the kernel
  // keeps the object) cannot be requested again: construct it as dumped, then what uses it.
  // Likewise a blackhole nexthop dumped while lo is down: it survives lo going down
  // (nexthop_flush_dev() skips blackholes) but nexthop_create() refuses a new one then.
  let builtOne = false;
  for (const n of nhs) {
    if (b.s.nexthops.has(n.id) || n.group !== undefined) continue;
    if (n.blackhole !== undefined) {
      const ev = nexthopEvent(n, b, names);
      const obj: NexthopObject = { kind: 'blackhole', id: n.id, protocol: ev.type === 'nexthop-add' ? ev.protocol : 0 };
      b.s = { ...b.s, nexthops: new Map(b.s.nexthops).set(n.id, obj) };
      constructed.push(`nexthop constructed (no request can re-create it now): ${JSON.stringify(n)}`);
      builtOne = true;
      continue;
    }
    const ev = nexthopEvent(n, b, names);
    if (ev.type !== 'nexthop-add' || ev.kind !== 'single') continue;
    const d = b.s.devices.get(ev.dev);
    if (d === undefined || !d.up) continue;
    const obj: NexthopObject = { kind: 'single', id: n.id, dev: ev.dev, gw: ev.gw, onlink: ev.onlink, scope: n.scope === undefined ? (ev.gw === null ? RT_SCOPE_HOST : RT_SCOPE_LINK) : (scopeNumber(n.scope, names) ?? RT_SCOPE_LINK), protocol: ev.protocol, fdb: false };
    b.s = { ...b.s, nexthops: new Map(b.s.nexthops).set(n.id, obj) };
    constructed.push(`nexthop constructed (no request can re-create it now): ${JSON.stringify(n)}`);
    builtOne = true;
  }
  if (builtOne) pass();
  for (const r of [...b.s.rules]) {
    if (!wanted.some((w) => sameRuleIgnoringProto(w, r))) b.apply({ type: 'rule-del', match: r });
  }
  // 8. link state as dumped: admin down first, then carrier.
  for (const l of jsonLinks) {
    const f = linkFromJson(l).flags;
    if ((f & IFF_UP) === 0 && b.s.devices.get(l.ifindex)?.up === true) b.apply({ type: 'link-set', ifindex: l.ifindex, up: false });
    const d = b.s.devices.get(l.ifindex);
    const carrier = (f & IFF_LOWER_UP) !== 0 || (f & IFF_UP) === 0;
    const dumped = dump.find((r) => r.ifindex === l.ifindex && r.carrier !== undefined);
    const want = dumped?.carrier ?? carrier;
    if (d !== undefined && d.kind === 'other' && d.carrier !== want) b.apply({ type: 'link-carrier', ifindex: l.ifindex, carrier: want });
  }
  void isUp;
  // 9. reconcile routes with the dump: delete extras, construct what is missing, reorder.
  const target = ipSnap.route;
  const targetSigs = new Map<string, number>();
  for (const r of target) targetSigs.set(sig(r), (targetSigs.get(sig(r)) ?? 0) + 1);
  for (const m of routesInDumpOrder(b.s)) {
    const k = sig(routeJson(b.s, m, {}, undefined, names));
    const n = targetSigs.get(k) ?? 0;
    if (n > 0) {
      targetSigs.set(k, n - 1);
      continue;
    }
    const info = m.alias.info;
    b.tryApply({
      type: 'route-del',
      cfg: { table: m.table, dst: m.dst, plen: m.plen, tos: m.alias.tos, type: m.alias.type, scope: info.scope, protocol: info.protocol, priority: info.priority, prefsrc: info.prefsrc, nhs: info.nhs.map((nh) => ({ dev: nh.dev, gw: nh.gw, weight: nh.weight, onlink: nh.onlink })), multipath: info.multipath, nhid: info.nhid },
    });
  }
  const metrics = new Map<string, RouteMetrics>();
  for (const r of target) {
    const modelRoutes = routesInDumpOrder(b.s);
    const have = modelRoutes.find((m) => sig(routeJson(b.s, m, {}, undefined, names)) === sig(r));
    const cfg = routeConfigFromJson(r, dev, b.s, names);
    let route: FibRoute;
    if (have !== undefined) {
      route = have;
      // fib_info's RTNH_F_LINKDOWN (a multipath route's first-line flag) depends on the order
      // its legs lost carrier, which a dump does not tell: set it as dumped.
      const want = r.nexthops !== undefined && r.flags.includes('linkdown');
      const info = have.alias.info;
      if (r.nexthops !== undefined && (info.linkdown === true) !== want) {
        const alias: FibAlias = { ...have.alias, info: fibInfo({ ...info, linkdown: want }) };
        const t = b.s.tables.get(have.table) ?? emptyTable(have.table);
        b.s = withTable(b.s, tableSetAliases(t, have.dst, have.plen, tableAliases(t, have.dst, have.plen).map((fa) => (fa === have.alias ? alias : fa))));
        route = { ...have, alias };
        constructed.push(`route flag linkdown set as dumped (it depends on the order the legs lost carrier): ${JSON.stringify(r)}`);
      }
    } else {
      const alias = constructAlias(cfg, r, b.s);
      const t = b.s.tables.get(cfg.table) ?? emptyTable(cfg.table);
      b.s = withTable(b.s, tableSetAliases(t, cfg.dst, cfg.plen, [...tableAliases(t, cfg.dst, cfg.plen), alias]));
      route = { table: cfg.table, dst: cfg.dst, plen: cfg.plen, alias };
      constructed.push(`route constructed (no request can re-create it now): ${JSON.stringify(r)}`);
    }
    // RTA_METRICS went into the request (routeConfigFromJson: mx), so the model's fib_info
    // holds them; nothing is kept beside the snapshot.
    void route;
  }
  // Alias order within each prefix, as dumped.
  const order = new Map<string, string[]>();
  for (const r of target) {
    const cfg = routeConfigFromJson(r, dev, b.s, names);
    const k = `${cfg.table}|${cfg.dst}|${cfg.plen}`;
    const list = order.get(k) ?? [];
    list.push(sig(r));
    order.set(k, list);
  }
  for (const [k, sigs] of order) {
    if (sigs.length < 2) continue;
    const [table, dst, plen] = k.split('|').map(Number) as [number, number, number];
    const t = b.s.tables.get(table);
    if (t === undefined) continue;
    const aliases = tableAliases(t, dst, plen);
    const keyed = aliases.map((fa) => ({ fa, s: sig(routeJson(b.s, { table, dst, plen, alias: fa }, {}, undefined, names)) }));
    const sorted = [...keyed].sort((x, y) => sigs.indexOf(x.s) - sigs.indexOf(y.s));
    if (sorted.some((x, i) => x !== keyed[i])) {
      b.s = withTable(b.s, tableSetAliases(t, dst, plen, sorted.map((x) => x.fa)));
      constructed.push(`route order within ${k} set as dumped`);
    }
  }
  // 10. what still differs.
  const got = ipJsonDump({ snapshot: b.s, links, metrics, names });
  const differences: string[] = [];
  const cmp = (what: string, a: readonly JsonValue[], e: readonly unknown[]): void => {
    const x = a.map((v) => canonicalJson(v));
    const y = e.map((v) => canonicalJson(v));
    for (const v of y) if (!x.includes(v)) differences.push(`${what} missing: ${v}`);
    for (const v of x) if (!y.includes(v)) differences.push(`${what} extra: ${v}`);
    if (differences.length === 0 && x.join('\n') !== y.join('\n')) differences.push(`${what}: same entries, different order`);
  };
  cmp('route', got.route, target);
  cmp('rule', got.rule, ipSnap.rule);
  if (ipSnap.netconf.length > 0) cmp('netconf', got.netconf, ipSnap.netconf);
  cmp('nexthop', got.nexthop, ipSnap.nexthop);
  return { snapshot: b.s, links, metrics, events: b.events, constructed, differences, errors };
}

/** What a name word needs: a name some table defines, or a number (rtnl_*_a2n). */
function unknownName(word: string | undefined, kind: 'table' | 'protocol' | 'scope' | 'dsfield', names: PrintNames): string | null {
  if (word === undefined) return null;
  const known =
    kind === 'table' ? tableNumber(word, names) : kind === 'protocol' ? protoNumber(word, names) : kind === 'scope' ? scopeNumber(word, names) : dsfieldNumber(word, names);
  if (known !== undefined) return null;
  const where = names.where[kind === 'table' ? 'tables' : kind === 'protocol' ? 'protocols' : kind === 'scope' ? 'scopes' : 'dsfields'];
  return `unknown ${kind} "${word}": not a number, and not in ${where}`;
}

/**
 * The entries of a snapshot that name a table, protocol, scope or dsfield no name table
 * defines, one message each (as InitialState.errors): for a caller that refuses such a
 * snapshot before replaying anything (`kfib replay`, `kfib run --initial`).
 */
export function unknownNameErrors(snap: IpSnapshot, names: PrintNames): readonly string[] {
  return withKnownNames(snap, names).errors;
}

/**
 * The snapshot without the entries that name something no name table defines, and one
 * error per such entry (its JSON path, the word, where names were looked for). Never a
 * default: `table isp1` without an rt_tables naming isp1 is an error, not table main.
 */
function withKnownNames(snap: IpSnapshot, names: PrintNames): { snap: IpSnapshot; errors: string[] } {
  const errors: string[] = [];
  const check = <T>(list: readonly T[], what: string, label: (x: T) => string, words: (x: T) => [string | undefined, 'table' | 'protocol' | 'scope' | 'dsfield'][]): T[] =>
    list.filter((x, i) => {
      const bad = words(x).map(([w, k]) => unknownName(w, k, names)).filter((m): m is string => m !== null);
      for (const m of bad) errors.push(`${what} ${label(x)} (the ${i + 1}. IPv4 ${what} of the dump): ${m}`);
      return bad.length === 0;
    });
  const route = check(snap.route, 'route', (r) => r.dst, (r) => [[r.table, 'table'], [r.protocol, 'protocol'], [r.scope, 'scope'], [r.tos, 'dsfield']]);
  const rule = check(snap.rule, 'rule', (r) => `pref ${r.priority}`, (r) => [[r.table, 'table'], [r.protocol, 'protocol'], [r.tos, 'dsfield']]);
  const nexthop = check(snap.nexthop, 'nexthop', (n) => `id ${n.id}`, (n) => [[n.protocol, 'protocol'], [n.scope, 'scope']]);
  return { snap: { ...snap, route, rule, nexthop }, errors };
}

/** addr-add of every IPv4 address of one `ip -j addr` element, in dump order (refusals ignored). */
function addAddrs(b: Builder, a: IpSnapshot['addr'][number]): void {
  for (const x of a.addr_info) {
    const local = ip(x.local);
    b.tryApply({
      type: 'addr-add',
      ifindex: a.ifindex,
      local,
      address: x.address === undefined ? local : ip(x.address),
      prefixlen: x.prefixlen,
      broadcast: ip(x.broadcast),
      scope: scopeNumber(x.scope) ?? 0,
      ...(x.label !== undefined ? { label: x.label } : {}),
      metric: x.metric ?? 0,
      noprefixroute: x.noprefixroute === true,
      replace: false,
    });
  }
}
