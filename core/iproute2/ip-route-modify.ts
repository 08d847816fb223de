// `ip route add|change|replace|prepend|append|delete` (iproute2 6.1 ip/iproute.c:
// iproute_modify(), parse_nexthops(), parse_one_nh()): the words to the RTM_NEWROUTE /
// RTM_DELROUTE request the kernel's inet_rtm_newroute()/inet_rtm_delroute() receive.
// Split from ip-route.ts.

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
import { dsfieldNumber, parseUnsigned, protoNumber, scopeNumber, tableNumber } from '../uapi/rt-names.js';
import { type Ip4 } from '../net/ip4.js';
import type { GlobalOptions } from './global-options.js';
import { AfState, getAddrAf, getPrefixAf, type AfAddr } from './addr-family.js';
import { devGetByName } from '../snapshot/snapshot.js';
import { getRtRealmsOrRaw, MetricsBuilder, parseFastopenNoCookie, parseMetricWord } from './route-metrics.js';
import { routeTypeOf, startFamily, vrfArg } from './_ip-route-args.js';
import { ip6GatewayOnImported } from './ip6-gateway-unknown.js';

interface ParsedNh {
  dev: string | null;
  gw: Ip4 | null;
  /** RTA_VIA (AF_INET6) inside the rtnexthop. */
  gw6?: string;
  weight: number;
  onlink: boolean;
  /** RTA_FLOW inside the rtnexthop, when `realms` was given for the leg. */
  flow?: number;
}

/** A gateway of 0.0.0.0 is no gateway: rtm_to_fib_config() sets fc_gw_family only for a non-zero RTA_GATEWAY. */
function gwOrNull(gw: Ip4 | null): Ip4 | null {
  return gw === 0 ? null : gw;
}

/** What a `via` gave: RTA_GATEWAY of the route's family, or RTA_VIA of another. */
type Via = { readonly kind: 'gateway'; readonly addr: AfAddr } | { readonly kind: 'via6'; readonly addr6: string } | { readonly kind: 'via4' };

/**
 * The words after `via` (iproute_modify() and parse_one_nh() alike): read_family() takes an
 * optional family word, get_addr() parses the address in it (or in the route's family),
 * the route takes the address's family if it has none yet, and the gateway goes out as
 * RTA_GATEWAY when the families agree, as RTA_VIA (rtvia_family + address) otherwise.
 * `a` is left on the address word.
 */
function parseVia(a: Args, st: AfState): Via {
  let v = a.next();
  let fam: 'inet' | 'inet6' | null = null;
  if (v === 'inet' || v === 'inet6') fam = v;
  else if (v === 'link' || v === 'ipx' || v === 'mpls' || v === 'bridge') notModelled(`ip route via ${v}`);
  if (fam !== null) v = a.next();
  const x = getAddrAf(v, fam === null ? st : new AfState(fam));
  if (x.family !== 'unspec') st.settle(x.family);
  if (x.family === 'unspec' || x.family === st.family) return { kind: 'gateway', addr: x };
  return x.family === 'inet6' ? { kind: 'via6', addr6: x.addr6 } : { kind: 'via4' };
}

/** iproute_modify(). */
export function routeModify(ctx: CommandContext, opts: GlobalOptions, a: Args, op: RouteOp | 'delete'): void {
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
  let gw6: string | undefined;
  let viaGiven = false;
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
      if (viaGiven) invarg('use nexthop syntax to specify multiple via\n', w);
      viaGiven = true;
      // `via inet6 ADDR` in an IPv4 route is an RTA_VIA: an IPv6 gateway (RFC 5549).
      const via = parseVia(a, st);
      if (via.kind === 'gateway') gw = in4(via.addr);
      else if (via.kind === 'via6') gw6 = via.addr6;
      else v6 = true;
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
    // iproute_modify(): `vrf` and `pref` are matches() (any prefix: `v`, `pre`), the others strcmp().
    else if (matches(w, 'vrf')) vrfArg(ctx, 'ip route', a.next());
    else if (matches(w, 'pref')) {
      // RTA_PREF, an IPv6 router preference: `low|medium|high` or get_u8(), as
      // iproute_modify() reads it; rtm_to_fib_config() has no case for it, so an IPv4 route
      // is made, matched and deleted as without it.
      const v = a.next();
      if (v !== 'low' && v !== 'medium' && v !== 'high' && parseUnsigned(v, 255) === undefined) invarg('"pref" value is invalid\n', v);
    } else if (['encap', 'expires', 'as', 'from', 'ttl-propagate'].includes(w)) {
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
        ...(l.gw6 === undefined ? {} : { gw6: l.gw6 }),
        weight: l.weight,
        onlink: l.onlink,
        ...(l.flow === undefined ? {} : { flow: l.flow }),
      }))
    : [{ dev: devIdx, gw: gwOrNull(gw), ...(gw6 === undefined ? {} : { gw6 }), weight: 1, onlink, flow }];
  if (op !== 'delete') for (const nh of nhs) ip6GatewayOnImported(ctx, nh.gw6);
  const metrics = mx.result();
  if (!tableOk && (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast')) table = RT_TABLE_LOCAL;
  if (!scopeOk) {
    if (type === 'local' || type === 'nat') scope = RT_SCOPE_HOST;
    else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') scope = RT_SCOPE_LINK;
    else if (type === 'unicast' || type === null) {
      if (del) scope = RT_SCOPE_NOWHERE;
      else if (!viaGiven && !multipath && nhid === 0) scope = RT_SCOPE_LINK;
    }
  }
  if (table === 0) table = RT_TABLE_MAIN;
  // ECN bits are refused by rtm_to_fib_config(), for a delete as for an add, before any
  // other check and before the table is made.
  if ((tos & 3) !== 0) failKernel({ errno: 'EINVAL', extack: 'Invalid dsfield (tos): ECN bits must be 0' });
  // RTA_OIF and RTA_GATEWAY/RTA_VIA sent beside RTA_MULTIPATH (`via A dev D nexthop …`).
  const top = multipath && (devIdx !== 0 || gwOrNull(gw) !== null || gw6 !== undefined) ? { mpTop: { oif: devIdx, gw: gwOrNull(gw), ...(gw6 === undefined ? {} : { gw6 }) } } : {};
  if (del) {
    const step = ctx.apply({
      type: 'route-del',
      cfg: { table, dst: dst.addr, plen: dst.len, tos, type, scope, protocol, priority, prefsrc, nhs, multipath, nhid, mx: metrics, ...top },
    });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  const step = ctx.apply({
    type: 'route-new',
    op: op as RouteOp,
    cfg: { table, dst: dst.addr, plen: dst.len, tos, type: type ?? 'unicast', scope, protocol, priority, prefsrc, nhs, multipath, nhid, mx: metrics, ...(multipath && flow !== 0 ? { flow } : {}), ...top },
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
        const via = parseVia(a, st);
        if (via.kind === 'gateway') leg.gw = in4(via.addr);
        else if (via.kind === 'via6') leg.gw6 = via.addr6;
        else in4({ family: 'inet6', addr6: '::' });
      } else if (w === 'dev') {
        leg.dev = a.next();
        // parse_one_nh(): nodev() returns -1, and parse_nexthops() exits with -1.
        if (devGetByName(ctx.snapshot, leg.dev) === undefined) {
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
