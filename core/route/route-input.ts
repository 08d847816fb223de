// `ip route get ... iif DEV`: the input path of route.c, ip_route_input_slow() (martian
// checks, fib_lookup(), fib_validate_source(), local and broadcast delivery through lo,
// forwarding), as inet_rtm_getroute() runs it for a packet from src arriving on iif.
// Split from route-output.ts.

import { isLbcast, isLoopback, isMulticast, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NetDevice } from '../snapshot/net-device.js';
import { type ResolvedNh } from '../trie/fib-table-lookup.js';
import { fibLookup, isLocalAddress } from './fib-lookup.js';
import { makeFlow, LOOPBACK_IFINDEX } from '../net/flow.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, type RouteType } from '../uapi/rtnetlink.js';
import { tableRoutes } from '../snapshot/fib-table.js';
import { rulesHaveRealms } from './rt-class-tag.js';
import { NO_FLAGS, selectPath, type CacheFlags, type HashNote, type RouteGetAnswer, type RouteGetOutcome, type RouteGetRequest } from './route-get-answer.js';

const tclassidUsers = new WeakMap<FibSnapshot, boolean>();

/**
 * fib_num_tclassid_users() > 0: some route or rule (fib4_rule_configure()) has realms. fib_validate_source() then always
 * takes its full path, and its itag (the reverse route's realms) becomes the input
 * route's tclassid, which the model does not compute.
 */
function hasTclassidUsers(s: FibSnapshot): boolean {
  let v = tclassidUsers.get(s);
  if (v === undefined) {
    v = rulesHaveRealms(s);
    outer: for (const t of v ? [] : s.tables.values()) {
      for (const r of tableRoutes(t)) {
        if (r.alias.info.nhs.some((nh) => (nh.tclassid ?? 0) !== 0)) {
          v = true;
          break outer;
        }
      }
    }
    tclassidUsers.set(s, v);
  }
  return v;
}

/**
 * inet_rtm_getroute() on the input path: `fibmatch` prints the FIB entry only when the
 * input route succeeded and came from the FIB (`if (fibmatch && res.fi)`).
 */
export function routeInput(s: FibSnapshot, req: RouteGetRequest, note?: HashNote): RouteGetOutcome {
  const out = routeInputSlow(s, req, note);
  if (!out.ok || !req.fibmatch || out.answer.kind !== 'route' || out.answer.table === 0) return out;
  const fib = fibLookup(s, makeFlow({ daddr: req.dst, saddr: req.src, tos: req.tos, iif: req.iif, mark: req.mark, uid: req.uid ?? 0, proto: req.ipproto, sport: req.sport, dport: req.dport }));
  return fib.ok ? { ok: true, answer: { kind: 'fibmatch', res: fib.res } } : out;
}

/**
 * fib_validate_source() with rp_filter off: may `src` arrive on inDev?
 * 1. fast path (unless the route goes back out of inDev with redirects on): accept_local
 *    accepts; without custom rules or user local routes, a source that is one of our
 *    addresses is a martian (inet_lookup_ifaddr_rcu), anything else is fine;
 * 2. __fib_validate_source(): look the source up; no route is fine, a route that is not
 *    unicast (or local with accept_local) makes it a martian.
 */
function fibValidateSource(s: FibSnapshot, src: Ip4, dst: Ip4, tos: number, oif: number, inDev: NetDevice): boolean {
  const orconf = (k: 'accept_local' | 'send_redirects'): boolean => inDev.conf.values[k] !== 0 || s.confAll.values[k] !== 0;
  const acceptLocal = orconf('accept_local');
  if (inDev.ifindex !== oif || !orconf('send_redirects')) {
    if (acceptLocal) return true;
    if (!s.customRules && !s.customLocalRoutes) return !isLocalAddress(s, src);
  }
  const rev = fibLookup(s, makeFlow({ daddr: src, saddr: dst, tos, iif: oif !== 0 ? oif : LOOPBACK_IFINDEX }));
  if (!rev.ok) return true;
  return rev.res.type === 'unicast' || (rev.res.type === 'local' && acceptLocal);
}

/** An input packet delivered through lo without a FIB result (ip_route_input_mc, brd_input). */
function localDelivery(req: RouteGetRequest, type: RouteType, cache: CacheFlags): RouteGetOutcome {
  return {
    ok: true,
    answer: {
      kind: 'route',
      type,
      dst: req.dst,
      from: req.src,
      tos: 0,
      gateway: null,
      dev: LOOPBACK_IFINDEX,
      table: 0,
      prefsrc: null,
      mark: req.mark,
      uid: req.uid ?? null,
      cache,
      iif: req.iif,
    },
  };
}

/** ip_route_input_slow(): a packet from `src` arriving on `iif`. */
function routeInputSlow(s: FibSnapshot, req: RouteGetRequest, note?: HashNote): RouteGetOutcome {
  const inDev = s.devices.get(req.iif);
  if (inDev === undefined) return { ok: false, errno: 'ENODEV' };
  const { dst, src } = req;
  if (isMulticast(src) || isLbcast(src)) return { ok: false, errno: 'EINVAL' };
  if (isMulticast(dst)) {
    // ip_route_input_rcu(): a multicast destination is EINVAL unless the device joined the
    // group (ip_check_mc_rcu: an up device has joined 224.0.0.1) or forwards multicast;
    // ip_route_input_mc() then delivers it locally through lo.
    if (dst !== 0xe0000001 || !inDev.up) return { ok: false, errno: 'EINVAL' };
    if (isMulticast(src) || isLbcast(src) || isLoopback(src)) return { ok: false, errno: 'EINVAL' };
    if (src !== 0 && !fibValidateSource(s, src, 0, req.tos, 0, inDev)) return { ok: false, errno: 'EINVAL' };
    return localDelivery(req, 'multicast', { ...NO_FLAGS, local: true, multicast: true });
  }
  if (isLbcast(dst) || (src === 0 && dst === 0)) {
    // brd_input: no FIB lookup; a non-zero source must pass fib_validate_source() (its
    // fast path: not one of our addresses).
    if (src !== 0 && !fibValidateSource(s, src, 0, req.tos, 0, inDev)) return { ok: false, errno: 'EINVAL' };
    return localDelivery(req, 'broadcast', { ...NO_FLAGS, local: true, broadcast: true });
  }
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") only a zero source or a zero
  // destination is a martian on input; other 0.x addresses go to the FIB like any other.
  if (src === 0 || dst === 0) return { ok: false, errno: 'EINVAL' };
  // ip_route_input_slow(): IN_DEV_NET_ROUTE_LOCALNET(in_dev, net) is the device's value
  // ORed with `all` (IN_DEV_ORCONF), not the device's alone.
  const localnet = inDev.conf.values.route_localnet !== 0 || s.confAll.values.route_localnet !== 0;
  if (!localnet && (isLoopback(dst) || isLoopback(src))) return { ok: false, errno: 'EINVAL' };
  const flow = makeFlow({
    daddr: dst,
    saddr: src,
    tos: req.tos,
    iif: req.iif,
    mark: req.mark,
    uid: req.uid ?? 0,
    proto: req.ipproto,
    sport: req.sport,
    dport: req.dport,
  });
  const forwarding = inDev.conf.values.forwarding !== 0;
  const gap = hasTclassidUsers(s) ? { gap: 'realms on the input path (the itag of fib_validate_source)' } : {};
  const out = fibLookup(s, flow);
  if (!out.ok) return { ok: false, errno: forwarding ? out.errno : 'EHOSTUNREACH' };
  const res = out.res;
  const base: RouteGetAnswer = {
    kind: 'route',
    type: res.type,
    dst,
    from: src,
    tos: res.alias.tos,
    gateway: null,
    dev: LOOPBACK_IFINDEX,
    table: res.table,
    prefsrc: null,
    mark: req.mark,
    uid: req.uid ?? null,
    cache: NO_FLAGS,
    iif: req.iif,
    ...gap,
  };
  if (res.type === 'broadcast') return { ok: true, answer: { ...base, cache: { ...NO_FLAGS, local: true, broadcast: true } } };
  if (res.type === 'local') {
    if (!fibValidateSource(s, src, dst, req.tos, 0, inDev)) return { ok: false, errno: 'EINVAL' };
    return { ok: true, answer: { ...base, cache: { ...NO_FLAGS, local: true } } };
  }
  if (!forwarding) return { ok: false, errno: 'EHOSTUNREACH' };
  if (res.type !== 'unicast') return { ok: false, errno: 'EINVAL' };
  // ip_mkroute_input(): fib_select_multipath() without a flow, so the hash alone decides.
  const nh: ResolvedNh = selectPath(s, res, 0, note).nh;
  if (!fibValidateSource(s, src, dst, req.tos, nh.dev, inDev)) return { ok: false, errno: 'EINVAL' };
  let redirect = false;
  if (nh.dev === req.iif && inDev.conf.values.send_redirects !== 0 && s.confAll.values.send_redirects !== 0) {
    // __fib_validate_source(): the reverse route uses the same device with a host-scope nexthop.
    const rev = fibLookup(s, makeFlow({ daddr: src, saddr: dst, tos: req.tos, iif: req.iif, mark: 0 }));
    if (rev.ok && rev.res.type === 'unicast' && rev.res.nh.dev === req.iif && rev.res.nh.scope >= RT_SCOPE_HOST) redirect = true;
  }
  return {
    ok: true,
    answer: {
      ...base,
      gateway: nh.gw !== null && nh.scope === RT_SCOPE_LINK ? nh.gw : null,
      ...(nh.gw6 !== undefined && nh.scope === RT_SCOPE_LINK ? { gateway6: nh.gw6 } : {}),
      dev: nh.dev,
      cache: { ...NO_FLAGS, redirect },
      // __mkroute_input() -> rt_set_nexthop(): the fib_info's metrics and the nexthop's realms.
      ...((res.alias.info.metrics ?? null) !== null ? { metrics: res.alias.info.metrics ?? null } : {}),
      ...((nh.tclassid ?? 0) !== 0 ? { flow: nh.tclassid ?? 0 } : {}),
    },
  };
}
