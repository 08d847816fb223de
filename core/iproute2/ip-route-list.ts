// `ip route show|flush` (iproute2 6.1 ip/iproute.c: iproute_list_flush_or_save(),
// iproute_flush(), filter_nlmsg()): the selectors, the kernel's dump filter
// (fib_dump_info_filter()) and the dump order of fib_table_dump() over the table hash.
// Split from ip-route.ts.

import { Args, CommandContext, CommandExit, devIndex, failKernel, invarg, matches, notModelled } from './command-context.js';
import { RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import { dsfieldNumber, parseUnsigned, protoNumber, scopeNumber, tableNumber } from '../uapi/rt-names.js';
import { maskOf, type Ip4 } from '../net/ip4.js';
import { resTimersJsonExact } from '../print/nexthop-entry.js';
import { RES_TIMER_JSON_GAP } from './ip-nexthop-print.js';
import { deadFlagUnknown, dumpedGateway, formatRouteLine, oneline, routeJson, type RouteHide } from '../print/route-line.js';
import { tableRoutes, type FibTable } from '../snapshot/fib-table.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { aliasNexthops } from '../trie/fib-table-lookup.js';
import type { GlobalOptions } from './global-options.js';
import { getPrefixAf } from './addr-family.js';
import { getRtRealmsOrRaw } from './route-metrics.js';
import { dumpedMetrics } from '../snapshot/fib-metrics.js';
import { RTAX_CC_ALGO, type MetricAttr } from '../uapi/rtax.js';
import { startFamily } from './_ip-route-args.js';
import { rtnlRtntypeA2n, routeTypemask, typemaskHas } from './rtm-map.js';

interface RouteFilter {
  tb: number; // 0 = all
  hide: RouteHide;
  /** filter.realm / filter.realmmask. */
  realm?: number;
  realmmask?: number;
  protocol?: number;
  scope?: number;
  /** filter.typemask (rtm-map.ts). */
  typemask?: number;
  tos?: number;
  metric?: number;
  oif?: number;
  via?: { addr: Ip4; len: number };
  src?: { addr: Ip4; len: number };
  rdst?: { addr: Ip4; len: number };
  mdst?: { addr: Ip4; len: number };
  /** filter.cloned (`cached`, `cloned`, `table cache`): RTM_F_CLONED, only exceptions are dumped. */
  cloned?: boolean;
  /** A `from` selector that no IPv4 route (source prefix 0.0.0.0/0) passes. */
  noSource?: boolean;
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
  if (f.noSource === true) return false;
  if (f.protocol !== undefined && info.protocol !== f.protocol) return false;
  if (f.scope !== undefined && info.scope !== f.scope) return false;
  // fib_dump_info(): a route on a blackhole nexthop object is dumped as type blackhole.
  if (f.typemask !== undefined && f.typemask !== 0 && !typemaskHas(f.typemask, info.nhid !== 0 && aliasNexthops(ctx.snapshot, r.alias) === 'blackhole' ? 'blackhole' : r.alias.type)) return false;
  if (f.tos !== undefined && r.alias.tos !== f.tos) return false;
  if (f.metric !== undefined && info.priority !== f.metric) return false;
  if (f.rdst !== undefined && (f.rdst.len > r.plen || !prefixMatch(r.dst, f.rdst.addr, f.rdst.len))) return false;
  if (f.mdst !== undefined && (f.mdst.len < r.plen || !prefixMatch(r.dst, f.mdst.addr, r.plen))) return false;
  if (f.via !== undefined) {
    // filter_nlmsg(): a route whose RTA_VIA is of another family fails; else the selector is
    // matched against RTA_GATEWAY, 0.0.0.0 when the dump has none (a multipath route, a route
    // without a gateway): `via 10.1.0.2` leaves out a multipath route through it, `via 0/0`
    // keeps every route.
    const g = dumpedGateway(ctx.snapshot, r);
    if (g.gw6 !== undefined || !prefixMatch(g.gw ?? 0, f.via.addr, f.via.len)) return false;
  }
  // filter_nlmsg(): a route without RTA_PREFSRC is compared as 0.0.0.0 (`src 0/0` keeps
  // every route, `src 0.0.0.0` the ones without a preferred source).
  if (f.src !== undefined && !prefixMatch(info.prefsrc, f.src.addr, f.src.len)) return false;
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

/** The nh_info of `ip -d -j` routes, printed as `ip -j nexthop` prints the object. */
export function nhInfoJsonCheck(ctx: CommandContext, routes: readonly FibRoute[]): void {
  for (const r of routes) {
    const o = r.alias.info.nhid === 0 ? undefined : ctx.snapshot.nexthops.get(r.alias.info.nhid);
    if (o !== undefined && !resTimersJsonExact(o)) notModelled(RES_TIMER_JSON_GAP);
  }
}

/** iproute_list_flush_or_save() for `show`. */
export function routeList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const f = parseSelectors(ctx, opts, a);
  // iproute_list_flush_or_save(): new_json_obj() opens the array before the dump, so a
  // refused dump (a table that does not exist) leaves `[` on stdout, with no newline (`[ `
  // under -p, as iproute2 6.1's writer leaves it here).
  if (opts.json && f.tb !== 0 && f.tb !== RT_TABLE_MAIN && !ctx.snapshot.tables.has(f.tb)) ctx.print(opts.pretty ? '[ ' : '[');
  const routes = dumpRoutes(ctx, f, 'Dump');
  // print_route() with show_details: the type, table, proto and scope always, and a
  // nexthop-object route's nh_info.
  if (opts.details) f.hide = { ...f.hide, details: true };
  // A linkdown nexthop's `dead` depends on ignore_routes_with_linkdown, which an imported state may not give.
  for (const r of routes) {
    const unknown = deadFlagUnknown(ctx.snapshot, r);
    if (unknown !== null) notModelled(unknown);
  }
  if (opts.json) {
    if (opts.details) nhInfoJsonCheck(ctx, routes);
    const arr: JsonValue[] = routes.map((r) => routeJson(ctx.snapshot, r, f.hide, undefined, ctx.names));
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const r of routes) ctx.print(oneline(formatRouteLine(ctx.snapshot, r, f.hide, undefined, ctx.names), opts.oneline));
}

/**
 * iproute_flush(): with `cached` (`flush cache`), the IPv4 route cache is flushed
 * (/proc/sys/net/ipv4/route/flush: no FIB change) and an IPv4 flush ends there; otherwise
 * rounds of a dump with the selectors and an RTM_DELROUTE per route dumped, until a dump
 * finds nothing. -s reports the rounds; -s -s also prints each route as it is dumped.
 */
export function routeFlush(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  if (a.done) throw new CommandExit('"ip route flush" requires arguments.\n', 1);
  const f = parseSelectors(ctx, opts, a);
  const stats = opts.stats ?? 0;
  // iproute_list_flush_or_save(): a dump of one table is an IPv4 dump even without -4.
  const inetOnly = opts.family === 'inet' || f.tb !== 0;
  if (f.cloned === true) {
    if (stats > 0) ctx.print('*** IPv4 routing cache is flushed.\n');
    if (inetOnly) return;
  }
  if (stats > 1 && opts.json) notModelled('ip -j -s -s route flush (print_route() outside a JSON array)');
  // iproute_flush() prints each dumped route (-s -s) with print_route(), -details included.
  if (opts.details) f.hide = { ...f.hide, details: true };
  let round = 0;
  for (;;) {
    const routes = dumpRoutes(ctx, f, 'Flush');
    if (routes.length === 0) {
      if (stats > 0) {
        if (round === 0 && f.cloned !== true) ctx.print('Nothing to flush.\n');
        else ctx.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
      }
      return;
    }
    if (stats > 1) for (const r of routes) ctx.print(oneline(formatRouteLine(ctx.snapshot, r, f.hide, undefined, ctx.names), opts.oneline));
    refusedCopies(ctx, routes);
    for (const r of routes) deleteDumped(ctx, r);
    round++;
    if (stats > 0) ctx.print(`\n*** Round ${round}, deleting ${routes.length} entries ***\n`);
    // The kernel's RTM_DELROUTE of a dumped route cannot fail but for a route another
    // delete took with it; a round that deletes nothing would loop (30 s in iproute2).
    if (round >= 10) notModelled('ip route flush that does not end in 10 rounds');
  }
}

/** iproute_list_flush_or_save()'s flushb: the copies are sent when 3584 bytes are full. */
const FLUSH_BUFFER = 4096 - 512;

/** An upper bound of a dumped route's netlink message (nlmsghdr, rtmsg and every attribute it can carry). */
function dumpedMessageBound(ctx: CommandContext, r: FibRoute): number {
  const nhs = aliasNexthops(ctx.snapshot, r.alias);
  const legs = nhs === 'blackhole' ? 1 : nhs.length;
  // TABLE, DST, PRIORITY, PREFSRC, NH_ID, FLOW, OIF (8 each), GATEWAY or VIA (24), METRICS
  // (4 + 17 × 8 + a congestion control name), MULTIPATH (4 + per leg rtnexthop, VIA, FLOW).
  return 16 + 12 + 7 * 8 + 24 + (r.alias.info.metrics != null ? 4 + 17 * 8 + 20 : 0) + 4 + legs * (8 + 24 + 8);
}

/**
 * A flush copies each dumped route into an RTM_DELROUTE. With nexthop_compat_mode=1 the dump
 * of a route on a nexthop object carries RTA_NH_ID *and* the nexthop's RTA_OIF (a blackhole
 * object's is lo), RTA_GATEWAY or RTA_MULTIPATH, which rtm_to_fib_config() refuses as
 * mutually exclusive: the other copies sent in the same buffer are deleted, then
 * flush_update()'s rtnl_send_check() finds the EINVAL and iproute2 stops there.
 */
function refusedCopies(ctx: CommandContext, routes: readonly FibRoute[]): void {
  if (ctx.snapshot.ipv4Sysctl.nexthop_compat_mode === 0) return;
  const refused = routes.filter((r) => r.alias.info.nhid !== 0);
  if (refused.length === 0) return;
  let bytes = 0;
  for (const r of routes) bytes += (dumpedMessageBound(ctx, r) + 3) & ~3;
  // Several buffers: which copies went before the failing one depends on message sizes.
  if (bytes > FLUSH_BUFFER) notModelled('ip route flush of nexthop-object routes beyond one flush buffer (nexthop_compat_mode=1)');
  for (const r of routes) if (r.alias.info.nhid === 0) deleteDumped(ctx, r);
  throw new CommandExit('Failed to send flush request: Invalid argument\n', 2);
}

/** One dumped route sent back as RTM_DELROUTE (iproute_flush() copies the dumped message). */
function deleteDumped(ctx: CommandContext, r: FibRoute): void {
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
      nhs: info.nhs.map((nh) => ({ dev: nh.dev, gw: nh.gw, ...(nh.gw6 === undefined ? {} : { gw6: nh.gw6 }), weight: nh.weight, onlink: nh.onlink, ...((nh.tclassid ?? 0) !== 0 ? { flow: nh.tclassid } : {}) })),
      multipath: info.multipath,
      nhid: info.nhid,
      mx: dumpedAttrs(info.metrics ?? null),
    },
  });
  if (step.error !== null) failKernel(step.error);
}

/** The RTA_METRICS of a dumped route, as a flush sends it back (rtnetlink_put_metrics order). */
function dumpedAttrs(m: Parameters<typeof dumpedMetrics>[0]): readonly MetricAttr[] | null {
  const out: MetricAttr[] = [];
  for (const [type, v] of dumpedMetrics(m)) out.push(type === RTAX_CC_ALGO ? { type: RTAX_CC_ALGO, name: String(v) } : { type, val: Number(v) });
  return out.length === 0 ? null : out;
}

/** The selectors of show/flush (iproute_list_flush_or_save()). */
function parseSelectors(ctx: CommandContext, opts: GlobalOptions, a: Args): RouteFilter {
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
        else if (v === 'cache') f.cloned = true;
        else invarg('table id value is invalid\n', v);
      } else f.tb = t;
    } else if (matches(w, 'cached') || matches(w, 'cloned')) f.cloned = true;
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
      const t = rtnlRtntypeA2n(v);
      if (t === undefined) invarg('node type value is invalid\n', v);
      f.typemask = routeTypemask(t);
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
    } else if (matches(w, 'from')) {
      // filter.rsrc / filter.msrc. An IPv4 route has no source prefix (rtm_src_len 0, no
      // RTA_SRC), which filter_nlmsg() compares as 0.0.0.0/0: `root P` and `exact P` keep every
      // route when P is a /0 and none otherwise; `match P` keeps every route; `any`
      // and `all` without a family compare nothing.
      let v = a.next();
      let kind: 'root' | 'match' | 'exact' = 'exact';
      if (matches(v, 'root')) {
        kind = 'root';
        v = a.next();
      } else if (matches(v, 'match')) {
        kind = 'match';
        v = a.next();
      } else if (matches(v, 'exact')) v = a.next();
      const p = sel(v);
      if (kind !== 'match' && p.len !== 0) f.noSource = true;
    } else if (w === 'iif' || w === 'mark' || matches(w, 'vrf')) notModelled(`ip route show ${w}`);
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      f.metric = m;
      hide.metric = true;
    } else if (w === 'via') {
      let v = a.next();
      if (v === 'inet') v = a.next();
      else if (v === 'inet6') notModelled('ip route show via inet6 (an RTA_VIA selector)');
      const p = sel(v);
      f.via = { addr: p.addr, len: p.len };
      if (p.len === 32) hide.via = true;
    } else if (w === 'src') {
      const v = a.next();
      const p = sel(v);
      if (!((v === 'any' || v === 'all') && st.family === 'unspec')) f.src = { addr: p.addr, len: p.len };
      if (p.len === 32) hide.src = true;
    } else {
      let word = w;
      if (matches(word, 'to')) word = a.next();
      // get_prefix_1(): `any` and `all` are the dump family's zero prefix *without*
      // PREFIXLEN_SPECIFIED, so with no family (no -4) filter_nlmsg() compares nothing:
      // `ip route show all` lists every route, `ip -4 route show all` the /0 ones.
      const unfiltered = (x: string): boolean => (x === 'any' || x === 'all') && st.family === 'unspec';
      if (matches(word, 'root')) {
        const v = a.next();
        const p = sel(v);
        if (!unfiltered(v)) f.rdst = { addr: p.addr, len: p.len };
      } else if (matches(word, 'match')) {
        const v = a.next();
        const p = sel(v);
        if (!unfiltered(v)) f.mdst = { addr: p.addr, len: p.len };
      } else {
        if (matches(word, 'exact')) word = a.next();
        const p = sel(word);
        if (!unfiltered(word)) {
          f.mdst = { addr: p.addr, len: p.len };
          f.rdst = { addr: p.addr, len: p.len };
        }
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
  return f;
}

/**
 * The routes a dump with these selectors returns (inet_dump_fib(), fib_table_dump()).
 * With RTM_F_CLONED the kernel dumps only route exceptions (fnhe: learnt PMTU and
 * redirects), which only received packets make; the model sends and receives none.
 */
function dumpRoutes(ctx: CommandContext, f: RouteFilter, what: 'Dump' | 'Flush'): FibRoute[] {
  let tables: FibTable[];
  if (f.tb !== 0) {
    const t = ctx.snapshot.tables.get(f.tb);
    // Before its first route main does not exist (a delete from it is "FIB table does not
    // exist"). iproute2's dump of it for `show` succeeds, empty (save_route_errhndlr()
    // suppresses that ENOENT for main); the dump of a flush has no such handler.
    if (t === undefined && (f.tb !== RT_TABLE_MAIN || what === 'Flush')) throw new CommandExit(`Error: ipv4: FIB table does not exist.\n${what} terminated\n`, 2);
    tables = t === undefined ? [] : [t];
  } else tables = tablesInDumpOrder(ctx.snapshot.tables);
  if (f.cloned === true) {
    // A dump of a real namespace (--initial) does not carry its exceptions (learnt PMTU,
    // redirects): they are unknown, not absent.
    if (ctx.snapshot.lineage.imported) notModelled('ip route show cached of an imported namespace (its route exceptions are not in the dump)');
    return [];
  }
  const routes: FibRoute[] = [];
  for (const t of tables) for (const r of tableRoutes(t)) if (routePasses(ctx, f, r)) routes.push(r);
  return routes;
}
