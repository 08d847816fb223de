// `ip monitor` [ROUTE] records: the reverse of print_route(), print_rta_multipath() and
// print_rta_metrics() (ip/iproute.c).

import { AF_INET } from '../uapi/socket.js';
import { RTN_UNICAST, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import type { RouteNexthop, RouteRecord } from './netlink-records.js';
import { DSFIELD_NAMES, type Iproute2Names, PROTOCOL_NAMES, REALM_NAMES, RTAX_NAMES, RTN_TYPE_NAMES, RT_FLAG_WORDS, SCOPE_NAMES, TABLE_NAMES } from '../uapi/rt-names.js';
import { type Ctx, IPV4, type Mutable, Skip, TextFault, Tokens, clip, hasIpv6, ipv4, named, num, prefix, withTime, words } from './_ip-monitor-text.js';

// ---- [ROUTE] ----

const RTT_UNITS: Readonly<Record<string, number>> = { rtt: 8, rttvar: 4, rto_min: 1 };

/** One RTAX value as print_rta_metrics() prints it. */
function metricValue(t: Tokens, name: string, word: string): number | undefined {
  if (name === 'congctl') return undefined;
  if (name === 'features') {
    if (word === 'ecn') return 1;
    return num(t, name, word);
  }
  const scale = RTT_UNITS[name];
  if (scale !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(word);
    if (m === null) throw t.fault(`a time (Nms or Ns) after "${name}"`, `bad ${name} "${word}"`);
    const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
    return Math.round(ms * scale);
  }
  return num(t, name, word);
}

function parseRouteKeys(t: Tokens, rec: Mutable<RouteRecord>, names: Iproute2Names): void {
  let flags = 0;
  const metrics: Record<string, number> = {};
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { flags |= rf; continue; }
    switch (k) {
      case 'from': {
        const p = prefix(t, k, t.value(k));
        if (p.addr !== undefined) rec.src = p.addr;
        rec.srcLen = p.len;
        continue;
      }
      case 'nhid': rec.nhId = num(t, k, t.value(k)); continue;
      case 'tos': case 'dsfield': rec.tos = named(t, k, t.value(k), DSFIELD_NAMES, names.dsfields, 255, 'rt_dsfield'); continue;
      case 'via': {
        const v = t.value(k);
        if (v === 'inet' || v === 'inet6') {
          const a = t.value(k);
          rec.via = { family: v === 'inet' ? 2 : 10, address: a };
        } else {
          rec.gateway = ipv4(t, k, v);
        }
        continue;
      }
      case 'dev': rec.dev = t.value(k); continue;
      case 'table': rec.table = named(t, k, t.value(k), TABLE_NAMES, names.tables, 0xffffffff, 'rt_tables'); continue;
      case 'proto': rec.protocol = named(t, k, t.value(k), PROTOCOL_NAMES, names.protocols, 255, 'rt_protos'); continue;
      case 'scope': rec.scope = named(t, k, t.value(k), SCOPE_NAMES, names.scopes, 255, 'rt_scopes'); continue;
      case 'src': rec.prefsrc = ipv4(t, k, t.value(k)); continue;
      case 'metric':
        if (rec.priority === undefined) rec.priority = num(t, k, t.value(k));
        else t.value(k);
        continue;
      case 'realm': case 'realms': rec.flow = realms(t, k, t.value(k), names); continue;
      case 'mark': case 'uid': case 'iif': t.value(k); continue;
      case 'as': if (t.peek() === 'to') t.next(); t.value(k); continue;
      default: break;
    }
    const rtax = RTAX_NAMES.indexOf(k);
    if (rtax >= 2) {
      let w = t.value(k);
      if (w === 'lock') {
        metrics['lock'] = (metrics['lock'] ?? 0) | (1 << rtax);
        w = t.value(k);
      }
      if (k === 'congctl') {
        // RTAX_CC_ALGO: the algorithm's name.
        rec.congctl = w;
        continue;
      }
      const v = metricValue(t, k, w);
      if (v !== undefined) metrics[k] = v;
      continue;
    }
    throw t.fault('a route attribute (via, dev, table, proto, scope, src, metric, flags ...)', `unexpected word "${k}"`);
  }
  rec.flags = flags;
  if (Object.keys(metrics).length > 0) rec.metrics = metrics;
}

export function realms(t: Tokens, key: string, word: string, names: Iproute2Names): number {
  const [a, b] = word.split('/');
  const one = (w: string): number => named(t, key, w, REALM_NAMES, names.realms, 0xffff, 'rt_realms');
  return b === undefined ? one(a ?? '') : (one(a ?? '') << 16) | one(b);
}

function parseLeg(text: string, line: number, names: Iproute2Names): RouteNexthop {
  const m = /^\s*nexthop(?:\s+(.*))?$/.exec(text);
  if (m === null) {
    throw new TextFault(line, '<TAB>nexthop via GW dev NAME weight W', `Cannot parse route: bad nexthop line "${clip(text)}"`);
  }
  const t = new Tokens(words(m[1] ?? ''), line, 'route nexthop');
  const leg: Mutable<RouteNexthop> = { flags: 0, hops: 0 };
  while (!t.done) {
    const k = t.next() ?? '';
    const rf = Object.hasOwn(RT_FLAG_WORDS, k) ? RT_FLAG_WORDS[k] : undefined;
    if (rf !== undefined) { leg.flags |= rf; continue; }
    switch (k) {
      case 'via': {
        const v = t.value(k);
        if (v === 'inet' || v === 'inet6') leg.via = { family: v === 'inet' ? 2 : 10, address: t.value(k) };
        else leg.gateway = ipv4(t, k, v);
        break;
      }
      case 'dev': leg.dev = t.value(k); break;
      case 'weight': {
        const w = num(t, k, t.value(k), 256);
        if (w < 1) throw t.fault('a weight 1..256', `weight must be >= 1: got ${w}`);
        leg.hops = w - 1;
        break;
      }
      case 'realm': case 'realms': leg.flow = realms(t, k, t.value(k), names); break;
      default:
        throw t.fault('via, dev, weight or nexthop flags', `unexpected word "${k}"`);
    }
  }
  return leg;
}

export function parseRoute(s: string, ctx: Ctx): RouteRecord {
  const ws = words(s);
  // A route with a lightweight tunnel (`encap ip id 10 src 0.0.0.0 dst 192.0.2.2 ttl 0 tos 0`,
  // lwt_print_encap() right after the destination, or on a multipath leg) is not modelled:
  // skipped by name. Its tunnel's addresses are not the route's family: an IPv4 route with
  // `encap ip6 … dst 2001:db8::3` is still IPv4 (its destination says so; an IPv6 route
  // ends with `pref`), not an IPv6 route to skip as out of scope.
  if (ws.includes('encap') || ctx.cont.some((c) => words(c.text).includes('encap'))) {
    const dst = ws[0] !== undefined && Object.hasOwn(RTN_TYPE_NAMES, ws[0]) ? ws[1] : ws[0];
    const v6 = (ws.length >= 2 && ws[ws.length - 2] === 'pref') || (dst ?? '').includes(':');
    throw new Skip(v6 ? '[ROUTE]/inet6' : '[ROUTE] with encap (lightweight tunnel)');
  }
  // Every IPv6 route has an address with ':' or RTA_PREF ("pref medium"); IPv4 routes never
  // do, but for an IPv6 gateway of their own, printed `via inet6 ADDR` (print_rta_via()).
  if (hasIpv6(ws.filter((w, i) => ws[i - 1] !== 'inet6')) || (ws.length >= 2 && ws[ws.length - 2] === 'pref')) throw new Skip('[ROUTE]/inet6');
  const t = new Tokens(ws, ctx.line, 'route');
  const rec: Mutable<RouteRecord> = {
    line: ctx.line, dump: false,
    kind: 'route',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 24 : 25,
    family: AF_INET,
    dstLen: 0,
    srcLen: 0,
    tos: 0,
    table: RT_TABLE_MAIN,
    protocol: RTPROT_BOOT,
    scope: RT_SCOPE_UNIVERSE,
    type: RTN_UNICAST,
    flags: 0,
  };
  let w = t.next();
  if (w === undefined) throw t.fault('[TYPE] DST ...', 'empty route');
  // `ip -N monitor` prints the type as its number (rtnl_rtntype_n2a() under numeric): a
  // leading number is never a destination (an IPv4 one is dotted), so it is the type.
  const numeric = /^\d+$/.test(w) && ws.length > 1 ? Number(w) : undefined;
  const type = Object.hasOwn(RTN_TYPE_NAMES, w) ? RTN_TYPE_NAMES[w] : numeric !== undefined && Object.values(RTN_TYPE_NAMES).includes(numeric) ? numeric : undefined;
  if (numeric !== undefined && type === undefined) throw t.fault('a route type 1..11', `unknown route type ${numeric}`);
  if (type !== undefined) {
    rec.type = type;
    w = t.next();
    if (w === undefined) throw t.fault('DST after the route type', 'no destination');
  }
  if (w !== 'default') {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(w);
    if (m === null) throw t.fault('DST (default, A.B.C.D or A.B.C.D/LEN)', `bad destination "${w}"`);
    const len = m[2] === undefined ? 32 : Number(m[2]);
    if (len > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${len}`);
    if (!(m[1] === '0' && m[2] !== undefined)) {
      if (!IPV4.test(m[1] ?? '')) throw t.fault('DST (default, A.B.C.D or A.B.C.D/LEN)', `bad destination "${w}"`);
      rec.dst = m[1] ?? '';
    }
    rec.dstLen = len;
  }
  parseRouteKeys(t, rec, ctx.names);
  // fib_dump_info() sends RTA_MULTIPATH only for a route of two paths or more (one path is
  // RTA_GATEWAY/RTA_OIF, a nexthop object's group of one included: nexthop_num_path()), so
  // print_rta_multipath() never prints a single `nexthop` line for IPv4: the record was cut
  // (the log copied or the monitor killed between its lines).
  // `ip -d monitor` prints a route's nexthop object (`\tnh_info id 3 group 1,2/2 …`,
  // print_nh_info() under show_details) before its legs: the object's own record says it.
  const cont = ctx.cont.filter((c) => !/^\s*nh_info\s/.test(c.text));
  if (cont.length === 1) {
    throw new TextFault(cont[0]?.line ?? ctx.line, 'two nexthop lines or more (RTA_MULTIPATH)',
      'Cannot parse route: a multipath route with one nexthop line (the kernel sends one path as RTA_GATEWAY/RTA_OIF): the record was cut');
  }
  if (cont.length > 0) {
    const legs = cont.map((c) => parseLeg(c.text, c.line, ctx.names));
    rec.multipath = legs;
  }
  return withTime(rec, ctx);
}
