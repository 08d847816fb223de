// `ip route` (iproute2 6.1 ip/iproute.c): iproute_modify, iproute_list, iproute_get.

import {
  Args,
  CommandContext,
  CommandExit,
  devIndex,
  duparg2,
  failKernel,
  invarg,
  matches,
  notModelled,
} from './command-context.js';
import type { NexthopSpec, RouteOp } from '../events/route.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_SCOPE_UNIVERSE, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_BOOT, type RouteType } from '../uapi/rtnetlink.js';
import { STRERROR } from '../uapi/errno.js';
import { dsfieldNumber, parseUnsigned, protoNumber, scopeNumber, tableNumber } from '../uapi/rt-names.js';
import { maskOf, type Ip4 } from '../net/ip4.js';
import { formatRouteLine, routeJson, type RouteHide } from '../print/route-line.js';
import { tableRoutes, type FibTable } from '../snapshot/fib-table.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import { routeGet, routeGetHashDependence, type RouteGetRequest } from '../route/route-output.js';
import { formatRouteGet, routeGetJson } from '../print/route-get.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { aliasNexthops } from '../trie/fib-table-lookup.js';
import type { GlobalOptions } from './global-options.js';
import { ipprotoNumber } from './ip-proto.js';
import { AfState, getAddrAf, getPrefixAf, type AfAddr, type AfPrefix } from './addr-family.js';

/** preferred_family: -4 settles on inet, otherwise AF_UNSPEC until an address decides. */
function startFamily(opts: GlobalOptions): AfState {
  return new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
}


import { deviceByName } from '../snapshot/snapshot.js';
import { getRtRealmsOrRaw, MetricsBuilder, parseFastopenNoCookie, parseMetricWord } from './route-metrics.js';
import { dumpedMetrics } from '../snapshot/fib-metrics.js';
import { RTAX_CC_ALGO, type MetricAttr } from '../uapi/rtax.js';

const ROUTE_TYPES: readonly RouteType[] = [
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
];

/** rtnl_rtntype_a2n. */
function routeTypeOf(word: string): RouteType | undefined {
  return ROUTE_TYPES.find((t) => t === word);
}

export function ipRoute(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return routeList(ctx, opts, new Args([]));
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return routeModify(ctx, opts, a, 'add');
  if (matches(verb, 'change') || verb === 'chg') return routeModify(ctx, opts, a, 'change');
  if (matches(verb, 'replace')) return routeModify(ctx, opts, a, 'replace');
  if (matches(verb, 'prepend')) return routeModify(ctx, opts, a, 'prepend');
  if (matches(verb, 'append')) return routeModify(ctx, opts, a, 'append');
  if (matches(verb, 'delete')) return routeModify(ctx, opts, a, 'delete');
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return routeList(ctx, opts, a);
  if (matches(verb, 'get')) return routeGetCmd(ctx, opts, a);
  if (matches(verb, 'flush')) return routeFlush(ctx, opts, a);
  if (matches(verb, 'save') || matches(verb, 'restore') || matches(verb, 'showdump') || matches(verb, 'test')) {
    notModelled(`ip route ${verb}`);
  }
  throw new CommandExit(`Command "${verb}" is unknown, try "ip route help".\n`, 255);
}

interface ParsedNh {
  dev: string | null;
  gw: Ip4 | null;
  weight: number;
  onlink: boolean;
  /** RTA_FLOW inside the rtnexthop, when `realms` was given for the leg. */
  flow?: number;
}

/** A gateway of 0.0.0.0 is no gateway: rtm_to_fib_config() sets fc_gw_family only for a non-zero RTA_GATEWAY. */
function gwOrNull(gw: Ip4 | null): Ip4 | null {
  return gw === 0 ? null : gw;
}

/** iproute_modify(). */
function routeModify(ctx: CommandContext, opts: GlobalOptions, a: Args, op: RouteOp | 'delete'): void {
  const st = startFamily(opts);
  // An IPv6 address is parsed like iproute2 parses it (so later words get its messages);
  // the command is refused as not modelled only once it is complete.
  let v6 = false;
  const in4 = (x: AfAddr): Ip4 => {
    if (x.family === 'inet6') v6 = true;
    return x.family === 'inet' ? x.addr : 0;
  };
  const del = op === 'delete';
  let table = RT_TABLE_MAIN;
  let tableOk = false;
  let scope = del ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
  let scopeOk = false;
  let type: RouteType | null = del ? null : 'unicast';
  let protocol = del ? 0 : RTPROT_BOOT;
  let tos = 0;
  let priority = 0;
  let prefsrc = 0;
  let dst: { addr: Ip4; len: number } | null = null;
  let dev: string | null = null;
  let gw: Ip4 | null = null;
  let onlink = false;
  let nhid = 0;
  const legs: ParsedNh[] = [];
  let multipath = false;
  const mx = new MetricsBuilder();
  let flow = 0;
  while (!a.done) {
    const w = a.cur;
    if (w === 'src') prefsrc = in4(getAddrAf(a.next(), st));
    else if (w === 'via') {
      if (gw !== null) invarg('use nexthop syntax to specify multiple via\n', w);
      let v = a.next();
      // read_family(): `via inet6 ADDR` is an RTA_VIA (an IPv4 route through an IPv6 gateway).
      if (v === 'inet6') notModelled('ip route via inet6 (RTA_VIA)');
      if (v === 'inet') v = a.next();
      gw = in4(getAddrAf(v, st));
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldNumber(v, ctx.names);
      if (t === undefined) invarg('"tos" value is invalid\n', v);
      tos = t;
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      priority = m;
    } else if (w === 'scope') {
      const v = a.next();
      const s = scopeNumber(v, ctx.names);
      if (s === undefined) invarg('invalid "scope" value\n', v);
      scope = s;
      scopeOk = true;
    } else if (parseMetricWord(a, w, mx)) {
      // an RTA_METRICS word
    } else if (matches(w, 'realms')) {
      const v = a.next();
      const r = getRtRealmsOrRaw(v);
      if (r === undefined) invarg('"realm" value is invalid\n', v);
      flow = r;
    } else if (w === 'onlink') onlink = true;
    else if (w === 'nexthop') {
      multipath = true;
      parseNexthops(ctx, a, legs, st, in4);
      break;
    } else if (w === 'nhid') {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('"id" value is invalid\n', v);
      nhid = n;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v, ctx.names);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      protocol = p;
    } else if (matches(w, 'table')) {
      const v = a.next();
      const t = tableNumber(v, ctx.names);
      if (t === undefined) invarg('"table" value is invalid\n', v);
      table = t;
      tableOk = true;
    } else if (w === 'dev' || w === 'oif') dev = a.next();
    else if (['encap', 'expires', 'as', 'from', 'pref', 'ttl-propagate', 'vrf'].includes(w)) {
      notModelled(`ip route ${w}`);
    } else if (matches(w, 'fastopen_no_cookie')) parseFastopenNoCookie(a, mx);
    else {
      let word = w;
      if (word === 'to') word = a.next();
      const t = !/^[0-9]/.test(word) ? routeTypeOf(word) : undefined;
      if (t !== undefined) {
        type = t;
        word = a.next();
      }
      if (matches(word, 'help')) throw new CommandExit('', 255, 'ip route help');
      if (dst !== null) duparg2('to', word);
      const p = getPrefixAf(word, st);
      dst = { addr: p.family === 'inet' ? p.addr : 0, len: p.len };
    }
    a.advance();
  }
  if (dst === null) throw new CommandExit('', 255, 'ip route usage');
  if (st.family === 'inet6' || v6) notModelled('IPv6 routes and IPv6 gateways');
  const devIdx = dev === null ? 0 : devIndex(ctx, dev);
  const nhs: NexthopSpec[] = multipath
    ? legs.map((l) => ({
        dev: l.dev === null ? 0 : devIndex(ctx, l.dev),
        gw: gwOrNull(l.gw),
        weight: l.weight,
        onlink: l.onlink,
        ...(l.flow === undefined ? {} : { flow: l.flow }),
      }))
    : [{ dev: devIdx, gw: gwOrNull(gw), weight: 1, onlink, flow }];
  const metrics = mx.result();
  if (!tableOk && (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast')) table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (type === 'local' || type === 'nat') scope = RT_SCOPE_HOST;
    else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') scope = RT_SCOPE_LINK;
    else if (type === 'unicast' || type === null) {
      if (del) scope = RT_SCOPE_NOWHERE;
      else if (gw === null && !multipath && nhid === 0) scope = RT_SCOPE_LINK;
    }
  }
  if (table === 0) table = RT_TABLE_MAIN;
  // ECN bits are refused by rtm_to_fib_config(), for a delete as for an add, before any
  // other check and before the table is made.
  if ((tos & 3) !== 0) failKernel({ errno: 'EINVAL', extack: 'Invalid dsfield (tos): ECN bits must be 0' });
  if (del) {
    const step = ctx.apply({
      type: 'route-del',
      cfg: { table, dst: dst.addr, plen: dst.len, tos, type, scope, protocol, priority, prefsrc, nhs, multipath, nhid, mx: metrics },
    });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  const step = ctx.apply({
    type: 'route-new',
    op: op as RouteOp,
    cfg: { table, dst: dst.addr, plen: dst.len, tos, type: type ?? 'unicast', scope, protocol, priority, prefsrc, nhs, multipath, nhid, mx: metrics, ...(multipath && flow !== 0 ? { flow } : {}) },
  });
  if (step.error !== null) failKernel(step.error);
}

/** parse_nexthops() / parse_one_nh(). */
function parseNexthops(ctx: CommandContext, a: Args, legs: ParsedNh[], st: AfState, in4: (x: AfAddr) => Ip4): void {
  while (!a.done) {
    if (a.cur !== 'nexthop') throw new CommandExit(`Error: "nexthop" or end of line is expected instead of "${a.cur}"\n`, 255);
    if (a.peek() === undefined) throw new CommandExit('Error: unexpected end of line after "nexthop"\n', 255);
    const leg: ParsedNh = { dev: null, gw: null, weight: 1, onlink: false };
    a.advance();
    while (!a.done && a.cur !== 'nexthop') {
      const w = a.cur;
      if (w === 'via') {
        let v = a.next();
        if (v === 'inet6') notModelled('ip route nexthop via inet6 (RTA_VIA)');
        if (v === 'inet') v = a.next();
        leg.gw = in4(getAddrAf(v, st));
      } else if (w === 'dev') {
        leg.dev = a.next();
        // parse_one_nh(): nodev() returns -1, and parse_nexthops() exits with -1.
        if (deviceByName(ctx.snapshot, leg.dev) === undefined) {
          throw new CommandExit(`Cannot find device "${leg.dev}"\nError: cannot parse nexthop\n`, 255);
        }
      } else if (w === 'weight') {
        const v = a.next();
        const n = parseUnsigned(v);
        if (n === undefined || n === 0 || n > 256) invarg('"weight" is invalid\n', v);
        leg.weight = n;
      } else if (w === 'onlink') leg.onlink = true;
      else if (matches(w, 'realms')) {
        const v = a.next();
        const r = getRtRealmsOrRaw(v);
        if (r === undefined) invarg('"realm" value is invalid\n', v);
        leg.flow = r;
      } else if (w === 'encap' || w === 'as') notModelled(`ip route nexthop ${w}`);
      else break;
      a.advance();
    }
    legs.push(leg);
    if (!a.done && a.cur !== 'nexthop') throw new CommandExit(`Error: "nexthop" or end of line is expected instead of "${a.cur}"\n`, 255);
  }
}

interface RouteFilter {
  tb: number; // 0 = all
  hide: RouteHide;
  /** filter.realm / filter.realmmask. */
  realm?: number;
  realmmask?: number;
  protocol?: number;
  scope?: number;
  type?: RouteType;
  tos?: number;
  metric?: number;
  oif?: number;
  via?: { addr: Ip4; len: number };
  src?: { addr: Ip4; len: number };
  rdst?: { addr: Ip4; len: number };
  mdst?: { addr: Ip4; len: number };
}

/** inet_addr_match(): the first `bits` bits equal. */
function prefixMatch(a: Ip4, b: Ip4, bits: number): boolean {
  return (((a ^ b) >>> 0) & maskOf(bits)) === 0;
}

/** The kernel's dump filter (fib_dump_info_filter) plus iproute2's filter_nlmsg(). */
function routePasses(ctx: CommandContext, f: RouteFilter, r: FibRoute): boolean {
  const info = r.alias.info;
  if (f.oif !== undefined) {
    // The kernel filters by any nexthop's device, then iproute2 compares RTA_OIF, which a
    // multipath route does not have: such routes never pass a `dev` selector.
    const nhs = aliasNexthops(ctx.snapshot, r.alias);
    const obj = info.nhid !== 0 ? ctx.snapshot.nexthops.get(info.nhid) : undefined;
    if (nhs === 'blackhole') {
      if (f.oif !== 1) return false;
    } else if (info.multipath || obj?.kind === 'group' || nhs.length !== 1 || nhs[0]?.dev !== f.oif) return false;
  }
  if (f.protocol !== undefined && info.protocol !== f.protocol) return false;
  if (f.scope !== undefined && info.scope !== f.scope) return false;
  // fib_dump_info(): a route on a blackhole nexthop object is dumped as type blackhole.
  if (f.type !== undefined && (info.nhid !== 0 && aliasNexthops(ctx.snapshot, r.alias) === 'blackhole' ? 'blackhole' : r.alias.type) !== f.type) return false;
  if (f.tos !== undefined && r.alias.tos !== f.tos) return false;
  if (f.metric !== undefined && info.priority !== f.metric) return false;
  if (f.rdst !== undefined && (f.rdst.len > r.plen || !prefixMatch(r.dst, f.rdst.addr, f.rdst.len))) return false;
  if (f.mdst !== undefined && (f.mdst.len < r.plen || !prefixMatch(r.dst, f.mdst.addr, r.plen))) return false;
  if (f.via !== undefined) {
    const gw = info.nhs[0]?.gw ?? null;
    if (gw === null || !prefixMatch(gw, f.via.addr, f.via.len)) return false;
  }
  if (f.src !== undefined && (info.prefsrc === 0 || !prefixMatch(info.prefsrc, f.src.addr, f.src.len))) return false;
  if (f.realmmask !== undefined && f.realmmask !== 0) {
    // RTA_FLOW is a single-path route's (a multipath route carries it per leg).
    const realms = !info.multipath && info.nhs.length === 1 ? (info.nhs[0]?.tclassid ?? 0) : 0;
    if ((((realms ^ (f.realm ?? 0)) & f.realmmask) >>> 0) !== 0) return false;
  }
  return true;
}

/** Tables in `table all` dump order: bucket id mod 256 ascending, newest first in a bucket (fib_table_hash). */
export function tablesInDumpOrder(tables: ReadonlyMap<number, FibTable>): FibTable[] {
  const list = [...tables.values()];
  const created = new Map(list.map((t, i) => [t.id, i]));
  return list.sort((x, y) => {
    const bx = x.id % 256;
    const by = y.id % 256;
    if (bx !== by) return bx - by;
    return (created.get(y.id) ?? 0) - (created.get(x.id) ?? 0);
  });
}

/** iproute_list_flush_or_save() for `show`. */
function routeList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const { routes, f } = selectRoutes(ctx, opts, a, 'Dump');
  if (opts.details) {
    // print_route() with show_details: nh_info of a nexthop-object route is not modelled.
    if (routes.some((r) => r.alias.info.nhid !== 0)) notModelled('ip -details route show with nexthop objects');
    f.hide = { ...f.hide, details: true };
  }
  if (opts.json) {
    const arr: JsonValue[] = routes.map((r) => routeJson(ctx.snapshot, r, f.hide, undefined, ctx.names));
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const r of routes) ctx.print(formatRouteLine(ctx.snapshot, r, f.hide, undefined, ctx.names));
}

/** iproute_flush(): dump with the selectors, then RTM_DELROUTE each route as dumped. */
function routeFlush(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  if (a.done) throw new CommandExit('"ip route flush" requires arguments.\n', 1);
  if (a.cur === 'cache') return;
  const { routes } = selectRoutes(ctx, opts, a, 'Flush');
  for (const r of routes) {
    const info = r.alias.info;
    const step = ctx.apply({
      type: 'route-del',
      cfg: {
        table: r.table,
        dst: r.dst,
        plen: r.plen,
        tos: r.alias.tos,
        type: r.alias.type,
        scope: info.scope,
        protocol: info.protocol,
        priority: info.priority,
        prefsrc: info.prefsrc,
        nhs: info.nhs.map((nh) => ({ dev: nh.dev, gw: nh.gw, weight: nh.weight, onlink: nh.onlink, ...((nh.tclassid ?? 0) !== 0 ? { flow: nh.tclassid } : {}) })),
        multipath: info.multipath,
        nhid: info.nhid,
        mx: dumpedAttrs(info.metrics ?? null),
      },
    });
    if (step.error !== null) failKernel(step.error);
  }
}

/** The RTA_METRICS of a dumped route, as a flush sends it back (rtnetlink_put_metrics order). */
function dumpedAttrs(m: Parameters<typeof dumpedMetrics>[0]): readonly MetricAttr[] | null {
  const out: MetricAttr[] = [];
  for (const [type, v] of dumpedMetrics(m)) out.push(type === RTAX_CC_ALGO ? { type: RTAX_CC_ALGO, name: String(v) } : { type, val: Number(v) });
  return out.length === 0 ? null : out;
}

/** The selectors of show/flush (iproute_list_flush_or_save) and the routes they pick. */
function selectRoutes(ctx: CommandContext, opts: GlobalOptions, a: Args, what: 'Dump' | 'Flush'): { routes: FibRoute[]; f: RouteFilter } {
  const st = startFamily(opts);
  let ipv6 = false;
  /** A selector address of the dump family (no settling: iproute2 keeps dump_family). */
  const sel = (word: string): { addr: Ip4; len: number } => {
    const p = getPrefixAf(word, st, false);
    if (p.family !== 'inet') {
      ipv6 = ipv6 || p.family === 'inet6';
      return { addr: 0, len: p.family === 'inet6' ? 0 : p.len };
    }
    return { addr: p.addr, len: p.len };
  };
  const f: RouteFilter = { tb: RT_TABLE_MAIN, hide: {} };
  const hide: { -readonly [K in keyof RouteHide]: RouteHide[K] } = {};
  let od: string | null = null;
  while (!a.done) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const v = a.next();
      const t = tableNumber(v, ctx.names);
      if (t === undefined) {
        if (v === 'all') f.tb = 0;
        else if (v === 'cache') notModelled('ip route show table cache');
        else invarg('table id value is invalid\n', v);
      } else f.tb = t;
    } else if (matches(w, 'cached') || matches(w, 'cloned')) notModelled('ip route show cached');
    else if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldNumber(v, ctx.names);
      if (t === undefined) invarg('TOS value is invalid\n', v);
      f.tos = t;
      hide.tos = true;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v, ctx.names);
      if (p === undefined) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
      } else {
        f.protocol = p;
        hide.proto = true;
      }
    } else if (matches(w, 'scope')) {
      const v = a.next();
      const s = scopeNumber(v, ctx.names);
      if (s === undefined) {
        if (v !== 'all') invarg('invalid "scope"\n', v);
      } else {
        f.scope = s;
        hide.scope = true;
      }
    } else if (matches(w, 'type')) {
      const v = a.next();
      const t = routeTypeOf(v);
      if (t === undefined) invarg('node type value is invalid\n', v);
      f.type = t;
    } else if (w === 'dev' || w === 'oif') od = a.next();
    else if (matches(w, 'realms')) {
      // iproute_list_flush_or_save(): a half left empty ("5/" or "/5") is not compared.
      const v = a.next();
      const r = getRtRealmsOrRaw(v);
      if (r === undefined) invarg('invalid realms\n', v);
      f.realm = r;
      let mask = 0xffffffff;
      if ((r & 0xffff) === 0 && v.endsWith('/')) mask = (mask & ~0xffff) >>> 0;
      if ((r & 0xffff0000) === 0 && (!v.includes('/') || v.startsWith('/'))) mask = (mask & 0xffff) >>> 0;
      f.realmmask = mask;
      if (mask === 0xffffffff) hide.realms = true;
    } else if (w === 'iif' || w === 'mark' || matches(w, 'vrf') || matches(w, 'from')) notModelled(`ip route show ${w}`);
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      f.metric = m;
      hide.metric = true;
    } else if (w === 'via') {
      let v = a.next();
      if (v === 'inet') v = a.next();
      const p = sel(v);
      f.via = { addr: p.addr, len: p.len };
      if (p.len === 32) hide.via = true;
    } else if (w === 'src') {
      const p = sel(a.next());
      f.src = { addr: p.addr, len: p.len };
      if (p.len === 32) hide.src = true;
    } else {
      let word = w;
      if (matches(word, 'to')) word = a.next();
      if (matches(word, 'root')) {
        const p = sel(a.next());
        f.rdst = { addr: p.addr, len: p.len };
      } else if (matches(word, 'match')) {
        const p = sel(a.next());
        f.mdst = { addr: p.addr, len: p.len };
      } else {
        if (matches(word, 'exact')) word = a.next();
        const p = sel(word);
        f.mdst = { addr: p.addr, len: p.len };
        f.rdst = { addr: p.addr, len: p.len };
      }
    }
    a.advance();
  }
  // An IPv6 selector makes it an IPv6 dump, which the model cannot answer.
  if (ipv6) notModelled('IPv6 routes');
  if (od !== null) {
    f.oif = devIndex(ctx, od);
    hide.dev = true;
  }
  if (f.tb !== 0) hide.table = true;
  f.hide = hide;
  let tables: FibTable[];
  if (f.tb !== 0) {
    const t = ctx.snapshot.tables.get(f.tb);
    // Before its first route main does not exist (a delete from it is "FIB table does not
    // exist"), yet iproute2's dump of it succeeds, empty.
    if (t === undefined && f.tb !== RT_TABLE_MAIN) throw new CommandExit(`Error: ipv4: FIB table does not exist.\n${what} terminated\n`, 2);
    tables = t === undefined ? [] : [t];
  } else tables = tablesInDumpOrder(ctx.snapshot.tables);
  const routes: FibRoute[] = [];
  for (const t of tables) for (const r of tableRoutes(t)) if (routePasses(ctx, f, r)) routes.push(r);
  return { routes, f };
}

/** iproute_get(). */
function routeGetCmd(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const st = startFamily(opts);
  let v6 = false;
  const inetPrefix = (p: AfPrefix): { addr: Ip4; len: number } => {
    if (p.family === 'inet6') v6 = true;
    return { addr: p.family === 'inet' ? p.addr : 0, len: p.len };
  };
  let tos = 0;
  let src = 0;
  let idev: string | null = null;
  let odev: string | null = null;
  let mark = 0;
  let uid: number | undefined;
  let fibmatch = false;
  let sport = 0;
  let dport = 0;
  let ipproto: number | undefined;
  let dst: Ip4 | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldNumber(v, ctx.names);
      if (t === undefined) invarg('TOS value is invalid\n', v);
      tos = t;
    } else if (matches(w, 'from')) {
      const v = a.next();
      src = inetPrefix(getPrefixAf(v, st)).addr;
    } else if (matches(w, 'iif')) idev = a.next();
    else if (matches(w, 'mark')) {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('invalid mark value', v);
      mark = m;
    } else if (matches(w, 'oif') || w === 'dev') odev = a.next();
    else if (matches(w, 'uid')) {
      const v = a.next();
      const u = parseUnsigned(v);
      if (u === undefined) invarg('invalid UID\n', v);
      uid = u;
    } else if (matches(w, 'fibmatch')) fibmatch = true;
    else if (matches(w, 'sport')) {
      const v = a.next();
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) invarg('invalid sport\n', v);
      sport = n;
    } else if (matches(w, 'dport')) {
      const v = a.next();
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) invarg('invalid dport\n', v);
      dport = n;
    } else if (matches(w, 'ipproto')) {
      const v = a.next();
      const n = ipprotoNumber(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      ipproto = n;
    } else if (matches(w, 'notify') || matches(w, 'connected') || matches(w, 'vrf') || w === 'as') notModelled(`ip route get ${w}`);
    else {
      let word = w;
      if (word === 'to') word = a.next();
      const p = inetPrefix(getPrefixAf(word, st));
      if (p.len !== 32 && st.family === 'inet') ctx.warn(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.\n`);
      dst = p.addr;
    }
    a.advance();
  }
  if (dst === null) throw new CommandExit('need at least a destination address\n', 1);
  if (st.family === 'inet6' || v6) notModelled('IPv6 routes');
  if (opts.details) notModelled('ip -details route get');
  const iif = idev === null ? 0 : devIndex(ctx, idev);
  const oif = odev === null ? 0 : devIndex(ctx, odev);
  const req: RouteGetRequest = {
    dst,
    src,
    iif,
    oif,
    mark,
    tos,
    ...(uid === undefined ? {} : { uid }),
    // inet_rtm_getroute(): without RTA_IP_PROTO the flow is UDP.
    ipproto: ipproto ?? 17,
    sport,
    dport,
    fibmatch,
  };
  const out = routeGet(ctx.snapshot, req);
  if (!out.ok) throw new CommandExit(`RTNETLINK answers: ${STRERROR[out.errno]}\n`, 2);
  // fib_select_multipath(): a leg the per-boot hash seed picks is named, never guessed.
  const hash = routeGetHashDependence(ctx.snapshot, req);
  if (hash !== null) notModelled(`multipath leg chosen by the flow hash (per-boot seed): ${hash}`);
  if (out.answer.kind === 'fibmatch') {
    const r: FibRoute = { table: out.answer.res.table, dst: out.answer.res.dst, plen: out.answer.res.plen, alias: out.answer.res.alias };
    if (opts.json) ctx.print(`${jsonCompact([routeJson(ctx.snapshot, r, {}, undefined, ctx.names)])}\n`);
    else ctx.print(formatRouteLine(ctx.snapshot, r, {}, undefined, ctx.names));
    return;
  }
  if (out.answer.gap !== undefined) notModelled(out.answer.gap);
  if (opts.json) ctx.print(`${jsonCompact([routeGetJson(ctx.snapshot, out.answer, ctx.names)])}\n`);
  else ctx.print(formatRouteGet(ctx.snapshot, out.answer, ctx.names));
}
