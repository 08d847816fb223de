// A replayed state printed as iproute2 6.1 prints it: the `ip -j` arrays of
// ../shared/traces' snapshots (`link`, `addr`, `route`, `rule`, `netconf`, `nexthop`) and
// the text of `ip route show table all`, `ip rule show`, `ip -4 netconf show`,
// `ip nexthop show`, `ip link show` and `ip -4 address show`.
//
// Mirrors print_route() (ip/iproute.c, with print_rta_metrics()), print_rule()
// (ip/iprule.c), print_netconf() (ip/ipnetconf.c), __print_nexthop_entry()
// (ip/ipnexthop.c), print_linkinfo() and print_addrinfo() (ip/ipaddress.c). Route, rule
// and route-get lines come from the core printers; this module adds what the replay
// carries beside the FIB: RTA_METRICS of routes, and link attributes (link-table.ts).
//
// Divergence: IPv6 is not modelled, so `ip -4 address show` is printed rather than
// `ip address show`, and the `addr` array holds only `inet` entries.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { linkInfoOf } from '../iproute2/link-info.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import type { RouteMetrics } from '../trace/netlink-records.js';
import { tableRoutes } from '../snapshot/fib-table.js';
import { tablesInDumpOrder } from '../iproute2/ip-route.js';
import { formatRouteLine, routeJson } from '../print/route-line.js';
import { formatRule, ruleJson } from '../iproute2/ip-rule.js';
import { formatNexthop, nexthopJson as ipNexthopJson } from '../iproute2/ip-nexthop.js';
import { netconfLine } from '../iproute2/ip-netconf-nexthop.js';
import type { JsonValue } from '../print/json-out.js';
import { formatIp4 } from '../net/ip4.js';
import { BUILTIN_NAMES, linkTypeName, scopeName, type PrintNames } from '../uapi/rt-names.js';
import { IFF_POINTOPOINT, flagWords, masterName, peerName, type LinkInfo, type LinkTable } from './link-table.js';
import { addrInfoJson, linkCommon, netconfJson, txqlenText } from '../print/link-json.js';
import { ifaFlagWords, lifetimeText } from '../print/addr-info.js';
export { addrInfoJson, linkCommon, netconfJson } from '../print/link-json.js';

/** Everything a replay prints from: the FIB and what it carries beside it. */
export interface ReplayView {
  readonly snapshot: FibSnapshot;
  readonly links: LinkTable;
  /** RTA_METRICS by route identity (_route-key.ts); the FIB itself does not keep them. */
  readonly metrics: ReadonlyMap<string, RouteMetrics>;
  /** The capturing host's name tables (rt_tables ...); iproute2's built-in ones when absent. */
  readonly names?: PrintNames;
}

/** The `ip -j` keys of a snapshot file. */
export interface IpJsonDump {
  readonly link: JsonValue[];
  readonly addr: JsonValue[];
  readonly route: JsonValue[];
  readonly rule: JsonValue[];
  readonly netconf: JsonValue[];
  readonly nexthop: JsonValue[];
}

/** Every IPv4 route in `ip route show table all` order. */
export function routesInDumpOrder(s: FibSnapshot): FibRoute[] {
  const out: FibRoute[] = [];
  for (const t of tablesInDumpOrder(s.tables)) for (const r of tableRoutes(t)) out.push(r);
  return out;
}

/**
 * One route as `ip -j route show table all` prints it, metrics and realms included: the
 * model's fib_info carries RTA_METRICS (ip_metrics_convert) and nh_tclassid itself, so the
 * replay's side table of metrics (`v.metrics`, kept for old callers) adds nothing.
 */
export function routeJsonWithMetrics(v: ReplayView, r: FibRoute): Record<string, JsonValue> {
  return routeJson(v.snapshot, r, {}, undefined, v.names);
}

/** One route as `ip route show table all` prints it (metrics from the model, as above). */
export function routeLineWithMetrics(v: ReplayView, r: FibRoute): string {
  return formatRouteLine(v.snapshot, r, {}, undefined, v.names);
}

/** One `ip -j nexthop show` element (resilient groups and fdb nexthops included). */
export function nexthopJson(s: FibSnapshot, o: NexthopObject, names: PrintNames = BUILTIN_NAMES): JsonValue {
  return ipNexthopJson(s, o, false, names);
}

function nexthopIds(s: FibSnapshot): number[] {
  return [...s.nexthops.keys()].sort((a, b) => a - b);
}

/**
 * The view with a LinkInfo for every device of the snapshot: a device no record of the
 * trace described (one a kfib event log's events made) gets the model's own, what
 * rtnl_fill_ifinfo() would carry for it (../iproute2/link-info.ts linkInfoOf(), the
 * attributes `kfib run` prints `ip link` from: a veth's peer, M-DOWN, altnames, txqlen).
 * Before, such a device was printed from a few derived fields (no `@peer`, no M-DOWN).
 */
function withModelLinks(v: ReplayView): ReplayView {
  let links: Map<number, LinkInfo> | null = null;
  for (const d of v.snapshot.devices.values()) if (!v.links.has(d.ifindex)) (links ??= new Map(v.links)).set(d.ifindex, linkInfoOf(v.snapshot, d));
  return links === null ? v : { ...v, links };
}

/** The device's LinkInfo (from withModelLinks()'s table), under its current name. */
function infoOf(v: ReplayView, ifindex: number): LinkInfo | undefined {
  const known = v.links.get(ifindex);
  const d = v.snapshot.devices.get(ifindex);
  if (d === undefined || known === undefined) return undefined;
  return known.name === d.name ? known : { ...known, name: d.name };
}

/** `ip -j link show`. */
export function linksJson(v0: ReplayView): JsonValue[] {
  const v = withModelLinks(v0);
  const out: JsonValue[] = [];
  for (const i of v.snapshot.devices.keys()) {
    const info = infoOf(v, i);
    if (info !== undefined) out.push(linkCommon(v, info, true));
  }
  return out;
}

/** `ip -j addr show`, IPv4 entries only. */
export function addrsJson(v0: ReplayView): JsonValue[] {
  const v = withModelLinks(v0);
  const out: JsonValue[] = [];
  for (const d of v.snapshot.devices.values()) {
    const info = infoOf(v, d.ifindex);
    if (info === undefined) continue;
    const o = linkCommon(v, info, false);
    o['addr_info'] = d.addrs.map((a) => addrInfoJson(a, v.names));
    out.push(o);
  }
  return out;
}

/** The whole state with the keys and shapes of after.json (IPv4 parts). */
export function ipJsonDump(v: ReplayView): IpJsonDump {
  const s = v.snapshot;
  return {
    link: linksJson(v),
    addr: addrsJson(v),
    route: routesInDumpOrder(s).map((r) => routeJsonWithMetrics(v, r)),
    rule: s.rules.map((r) => ruleJson(s, r, false, v.names)),
    netconf: netconfJson(s),
    nexthop: nexthopIds(s).map((id) => nexthopJson(s, s.nexthops.get(id) as NexthopObject, v.names)),
  };
}

function linkHeader(v: ReplayView, info: LinkInfo, withMode: boolean): string {
  const peer = peerName(info, v.links);
  const master = masterName(info, v.links);
  return (
    `${info.ifindex}: ${info.name}${peer !== null ? `@${peer}` : ''}: <${flagWords(info, v.links).join(',')}> mtu ${info.mtu} qdisc ${info.qdisc} ` +
    `${master !== null ? `master ${master} ` : ''}state ${info.operstate} ${withMode ? 'mode DEFAULT ' : ''}` +
    `group ${info.group === 0 ? 'default' : String(info.group)} ${txqlenText(info.txqlen)}` +
    // print_linkinfo(): without the link-layer line (ip -4 address) the peer's nsid ends this one.
    `${!withMode && info.linkNetnsid !== undefined ? ` link-netnsid ${info.linkNetnsid}` : ''}\n`
  );
}

/**
 * print_linkinfo()'s link-layer line: `link/TYPE `, the address and ` brd ` (` peer ` on a
 * point-to-point device) and the broadcast address when the kernel sent them (a tun has
 * neither: `    link/none `), then for `ip link` the alias on a line of its own.
 */
function linkLayer(v: ReplayView, info: LinkInfo, withAlias: boolean): string {
  let t = `    link/${info.linkTypeWord ?? linkTypeName(info.ifiType, v.names)} `;
  if (info.address !== undefined) t += info.address;
  if (info.broadcast !== undefined) t += `${(info.flags & IFF_POINTOPOINT) !== 0 ? ' peer ' : ' brd '}${info.broadcast}`;
  if (info.linkNetnsid !== undefined) t += ` link-netnsid ${info.linkNetnsid}`;
  if (withAlias && info.ifalias !== undefined) t += `\n    alias ${info.ifalias}`;
  return `${t}\n${altnameLines(info)}`;
}

/** print_linkinfo()'s `    altname X` lines (after the alias; `ip -4 address` prints them too). */
function altnameLines(info: LinkInfo): string {
  let t = '';
  for (const n of info.altnames ?? []) t += `    altname ${n}\n`;
  return t;
}

/** About how long a piece of routeTextInPieces() is, in characters. */
const PIECE = 1 << 16;

/**
 * The text of `ip route show table all`, handed to `emit` in pieces of about 64 KiB in
 * dump order (fib_table_dump() per table): a full table's text (50 MB for 900,000 routes)
 * is never built whole, and its routes and lines are not all kept at once (those kept
 * for a whole dump outlived every young-generation collection while it was being built).
 */
export function routeTextInPieces(v: ReplayView, emit: (text: string) => void): void {
  let piece = '';
  for (const t of tablesInDumpOrder(v.snapshot.tables)) {
    for (const r of tableRoutes(t)) {
      piece += routeLineWithMetrics(v, r);
      if (piece.length >= PIECE) {
        emit(piece);
        piece = '';
      }
    }
  }
  if (piece !== '') emit(piece);
}

/** showText(), the route dump in pieces (routeTextInPieces()), everything else whole. */
export function showTextInPieces(v: ReplayView, what: ShowWhat, emit: (text: string) => void): void {
  if (what === 'route') routeTextInPieces(v, emit);
  else emit(showText(v, what));
}

/** What `--show` can print. */
export type ShowWhat = 'route' | 'rule' | 'addr' | 'link' | 'netconf' | 'nexthop';

/** The text of `ip route show table all`, `ip rule show`, `ip -4 address show`, `ip link show`, `ip -4 netconf show` or `ip nexthop show`. */
export function showText(v0: ReplayView, what: ShowWhat): string {
  const v = what === 'link' || what === 'addr' ? withModelLinks(v0) : v0;
  const s = v.snapshot;
  switch (what) {
    case 'route': {
      const pieces: string[] = [];
      routeTextInPieces(v, (t) => void pieces.push(t));
      return pieces.join('');
    }
    case 'rule':
      return s.rules.map((r) => formatRule(s, r, false, v.names)).join('');
    case 'netconf': {
      const line = netconfLine;
      let out = '';
      for (const d of s.devices.values()) out += line(d.name, d.conf);
      return out + line('all', s.confAll) + line('default', s.confDefault);
    }
    case 'nexthop':
      return nexthopIds(s).map((id) => formatNexthop(s, s.nexthops.get(id) as NexthopObject, false, v.names)).join('');
    case 'link': {
      let out = '';
      for (const i of s.devices.keys()) {
        const info = infoOf(v, i);
        if (info !== undefined) out += linkHeader(v, info, true) + linkLayer(v, info, true);
      }
      return out;
    }
    case 'addr': {
      let out = '';
      for (const d of s.devices.values()) {
        const info = infoOf(v, d.ifindex);
        if (info === undefined || d.addrs.length === 0) continue;
        out += linkHeader(v, info, false) + altnameLines(info);
        for (const a of d.addrs) {
          let w = `    inet ${formatIp4(a.local)}`;
          if (a.address !== a.local) w += ` peer ${formatIp4(a.address)}`;
          w += `/${a.prefixlen} `;
          if (a.metric !== 0) w += `metric ${a.metric} `;
          if (a.broadcast !== 0) w += `brd ${formatIp4(a.broadcast)} `;
          w += `scope ${scopeName(a.scope, v.names)} `;
          for (const f of ifaFlagWords(a)) w += `${f} `;
          out += `${w}${a.label}\n       ${lifetimeText(a)}\n`;
        }
      }
      return out;
    }
  }
}
