// `ip route get`: inet_rtm_getroute() with the output path ip_route_output_key_hash_rcu()
// / __mkroute_output() / fib_select_path(), and the input path ip_route_input_slow()
// (route.c). The answer is what rt_fill_info() reports, before printing.

import { isLbcast, isLocalMulticast, isLoopback, isMulticast, isZeronet, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NetDevice } from '../snapshot/net-device.js';
import { aliasNexthops, fibTableLookup, type FibResult, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { fibLookup, isLocalAddress } from './fib-lookup.js';
import { inetSelectAddr } from '../snapshot/select-addr.js';
import { makeFlow, LOOPBACK_IFINDEX, type Flow } from '../net/flow.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, type RouteType } from '../uapi/rtnetlink.js';
import { type Errno } from '../uapi/errno.js';
import { fibResultPrefsrc } from './prefsrc.js';
import type { FibMetrics } from '../snapshot/fib-metrics.js';
import { tableRoutes } from '../snapshot/fib-table.js';

/** The question `ip route get` asks (RTM_GETROUTE). */
export interface RouteGetRequest {
  readonly dst: Ip4;
  /** `from`, 0 when not given. */
  readonly src: Ip4;
  /** `iif`: the input path. 0 when not given. */
  readonly iif: number;
  readonly oif: number;
  readonly mark: number;
  readonly tos: number;
  /** undefined: the caller's uid (root, 0). */
  readonly uid?: number;
  readonly ipproto: number;
  readonly sport: number;
  readonly dport: number;
  readonly fibmatch: boolean;
}

/** RTCF_* cache flags printed after `cache`. */
export interface CacheFlags {
  readonly local: boolean;
  readonly broadcast: boolean;
  readonly multicast: boolean;
  readonly redirect: boolean;
}

/** What rt_fill_info() reports for a cloned route. */
export interface RouteGetAnswer {
  readonly kind: 'route';
  readonly type: RouteType;
  readonly dst: Ip4;
  /** `from` echoed (RTA_SRC) when given. */
  readonly from: Ip4;
  readonly tos: number;
  readonly gateway: Ip4 | null;
  readonly dev: number;
  /** RTA_TABLE; 0 when no FIB result. */
  readonly table: number;
  /** RTA_PREFSRC: only when no `from` (output path). */
  readonly prefsrc: Ip4 | null;
  readonly mark: number;
  /** RTA_UID, output path only. */
  readonly uid: number | null;
  readonly cache: CacheFlags;
  /** RTA_IIF for input lookups. */
  readonly iif: number;
  /** RTA_METRICS: the fib_info's metrics when rt_set_nexthop() had a fib_info. */
  readonly metrics?: FibMetrics | null;
  /** RTA_FLOW: dst.tclassid (the nexthop's realms). */
  readonly flow?: number;
  /** Set when the answer depends on something the model does not reproduce. */
  readonly gap?: string;
}

/** fibmatch: the FIB entry itself. */
export interface RouteGetFibMatch {
  readonly kind: 'fibmatch';
  readonly res: FibResult;
}

export type RouteGetOutcome =
  | { readonly ok: true; readonly answer: RouteGetAnswer | RouteGetFibMatch }
  | { readonly ok: false; readonly errno: Errno };

const NO_FLAGS: CacheFlags = { local: false, broadcast: false, multicast: false, redirect: false };

/** fib_select_path(): multipath leg and the default-route choice, without a flow hash. */
function selectPath(s: FibSnapshot, res: FibResult, flow: Flow): FibResult {
  if (flow.oif !== 0) return res;
  const nhs = aliasNexthops(s, res.alias);
  if (nhs === 'blackhole' || nhs.length <= 1) return res;
  // Divergence: the kernel hashes the flow (seeded per boot) over the legs whose upper
  // bound is not -1; the model takes the first usable leg, which is the kernel's answer
  // whenever exactly one leg is usable (the only case the corpus asks about).
  return res;
}

function outputAnswer(
  s: FibSnapshot,
  req: RouteGetRequest,
  flow: Flow,
  res: FibResult | null,
  type: RouteType,
  devOut: number,
  saddr: Ip4,
  flags: CacheFlags,
): RouteGetOutcome {
  let t = type;
  let f = flags;
  let gateway: Ip4 | null = null;
  if (isLbcast(req.dst)) t = 'broadcast';
  else if (isMulticast(req.dst)) t = 'multicast';
  const out = s.devices.get(devOut);
  if (out?.kind === 'loopback') f = { ...f, local: true };
  if (t === 'broadcast') f = { ...f, local: true, broadcast: true };
  // __mkroute_output(): a multicast route is RTCF_LOCAL only if the device joined the group
  // (ip_check_mc_rcu); an up device has joined just 224.0.0.1 (ip_mc_up), lo included.
  else if (t === 'multicast') f = { ...f, multicast: true, local: req.dst === 0xe0000001 && out?.up === true };
  else if (res !== null && res.nh.gw !== null && res.nh.scope === RT_SCOPE_LINK) gateway = res.nh.gw;
  if (t === 'local') f = { ...f, local: true };
  // __mkroute_output(): no fib_info (so no metrics, no tclassid) for a broadcast, for a
  // multicast route shorter than /4, or for a local route reached with another oif.
  let fi = res !== null;
  if (t === 'broadcast') fi = false;
  else if (t === 'multicast' && res !== null && res.plen < 4) fi = false;
  else if (t === 'local' && req.oif !== 0 && req.oif !== devOut) fi = false;
  return {
    ok: true,
    answer: {
      kind: 'route',
      type: t,
      dst: req.dst,
      from: req.src,
      tos: res?.alias.tos ?? 0,
      gateway,
      dev: devOut,
      table: res?.table ?? 0,
      prefsrc: req.src !== 0 ? null : saddr,
      mark: req.mark,
      uid: req.uid ?? 0,
      cache: f,
      iif: 0,
      metrics: fi ? (res?.alias.info.metrics ?? null) : null,
      flow: fi ? (res?.nh.tclassid ?? 0) : 0,
    },
  };
}

const tclassidUsers = new WeakMap<FibSnapshot, boolean>();

/**
 * fib_num_tclassid_users() > 0: some route has realms. fib_validate_source() then always
 * takes its full path, and its itag (the reverse route's realms) becomes the input
 * route's tclassid, which the model does not compute.
 */
function hasTclassidUsers(s: FibSnapshot): boolean {
  let v = tclassidUsers.get(s);
  if (v === undefined) {
    v = false;
    outer: for (const t of s.tables.values()) {
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
 * __ip_dev_find(): the device owning addr, or else (so that loopback subnets work) the
 * device of the `local` route table local has for it.
 */
function ipDevFind(s: FibSnapshot, addr: Ip4): number | undefined {
  for (const d of s.devices.values()) if (d.addrs.some((a) => a.local === addr)) return d.ifindex;
  if (!s.tables.has(RT_TABLE_LOCAL)) return undefined;
  const out = fibTableLookup(s, RT_TABLE_LOCAL, makeFlow({ daddr: addr }));
  return out.ok && out.res.type === 'local' ? out.res.nh.dev : undefined;
}

/** The output path (a locally generated packet). */
function routeOutput(s: FibSnapshot, req: RouteGetRequest): RouteGetOutcome {
  const flow = makeFlow({
    daddr: req.dst,
    saddr: req.src,
    tos: req.tos,
    oif: req.oif,
    iif: LOOPBACK_IFINDEX,
    mark: req.mark,
    uid: req.uid ?? 0,
    proto: req.ipproto,
    sport: req.sport,
    dport: req.dport,
  });
  let saddr = req.src;
  if (req.src !== 0) {
    if (isMulticast(req.src) || isLbcast(req.src) || isZeronet(req.src)) return { ok: false, errno: 'EINVAL' };
    if (req.oif === 0 && (isMulticast(req.dst) || isLbcast(req.dst))) {
      // ip_route_output_key_hash_rcu(): "Special hack: user can direct multicasts and
      // limited broadcast via necessary interface": out through the device owning the
      // source (__ip_dev_find: whatever its state), no FIB lookup.
      const owner = ipDevFind(s, req.src);
      if (owner === undefined) return { ok: false, errno: 'ENETUNREACH' };
      return finish(s, req, { ...flow, oif: owner }, null, 'unicast', owner, saddr, NO_FLAGS);
    }
    if (ipDevFind(s, req.src) === undefined) return { ok: false, errno: 'ENETUNREACH' };
  }
  if (req.oif !== 0) {
    const dev = s.devices.get(req.oif);
    if (dev === undefined) return { ok: false, errno: 'ENODEV' };
    if (!dev.up) return { ok: false, errno: 'ENETUNREACH' };
    if (isLocalMulticast(req.dst) || isLbcast(req.dst)) {
      if (saddr === 0) saddr = inetSelectAddr(s, req.oif, 0, RT_SCOPE_LINK);
      return outputAnswer(s, req, flow, null, 'unicast', req.oif, saddr, NO_FLAGS);
    }
    if (saddr === 0 && isMulticast(req.dst)) saddr = inetSelectAddr(s, req.oif, 0, flow.scope);
    else if (saddr === 0 && req.dst === 0) saddr = inetSelectAddr(s, req.oif, 0, RT_SCOPE_HOST);
  }
  if (req.dst === 0) {
    const src = saddr !== 0 ? saddr : 0x7f000001;
    const a = outputAnswer(s, req, flow, null, 'local', LOOPBACK_IFINDEX, src, { ...NO_FLAGS, local: true });
    return a;
  }
  const out = fibLookup(s, flow);
  if (!out.ok) {
    if (req.oif !== 0) {
      // "Apparently, routing tables are wrong. Assume, that the destination is on link."
      if (saddr === 0) saddr = inetSelectAddr(s, req.oif, 0, RT_SCOPE_LINK);
      return finish(s, req, flow, null, 'unicast', req.oif, saddr, NO_FLAGS);
    }
    return { ok: false, errno: out.errno };
  }
  const res = out.res;
  if (req.fibmatch) return { ok: true, answer: { kind: 'fibmatch', res } };
  if (res.type === 'local') {
    if (saddr === 0) saddr = res.alias.info.prefsrc !== 0 ? res.alias.info.prefsrc : req.dst;
    return finish(s, req, flow, res, 'local', LOOPBACK_IFINDEX, saddr, { ...NO_FLAGS, local: true });
  }
  const sel = selectPath(s, res, flow);
  if (saddr === 0) saddr = fibResultPrefsrc(s, sel);
  return finish(s, req, flow, sel, sel.type, sel.nh.dev, saddr, NO_FLAGS);
}

/** __mkroute_output()'s checks, then the answer. */
function finish(
  s: FibSnapshot,
  req: RouteGetRequest,
  flow: Flow,
  res: FibResult | null,
  type: RouteType,
  devOut: number,
  saddr: Ip4,
  flags: CacheFlags,
): RouteGetOutcome {
  const out = s.devices.get(devOut);
  if (out === undefined) return { ok: false, errno: 'EINVAL' };
  // IN_DEV_ROUTE_LOCALNET() is IN_DEV_ORCONF(): the device's value or `all`.
  if (out.conf.values.route_localnet === 0 && s.confAll.values.route_localnet === 0 && isLoopback(saddr) && out.kind !== 'loopback') {
    return { ok: false, errno: 'EINVAL' };
  }
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") a 0.x destination is no
  // martian here either (0.0.0.0 itself went the local way above).
  return outputAnswer(s, req, flow, res, type, devOut, saddr, flags);
}

/**
 * inet_rtm_getroute() on the input path: `fibmatch` prints the FIB entry only when the
 * input route succeeded and came from the FIB (`if (fibmatch && res.fi)`).
 */
function routeInput(s: FibSnapshot, req: RouteGetRequest): RouteGetOutcome {
  const out = routeInputSlow(s, req);
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
function routeInputSlow(s: FibSnapshot, req: RouteGetRequest): RouteGetOutcome {
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
  const nh: ResolvedNh = res.nh;
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
      dev: nh.dev,
      cache: { ...NO_FLAGS, redirect },
      // __mkroute_input() -> rt_set_nexthop(): the fib_info's metrics and the nexthop's realms.
      metrics: res.alias.info.metrics ?? null,
      flow: nh.tclassid ?? 0,
    },
  };
}

/** inet_rtm_getroute(). */
export function routeGet(s: FibSnapshot, req: RouteGetRequest): RouteGetOutcome {
  return req.iif !== 0 ? routeInput(s, req) : routeOutput(s, req);
}
