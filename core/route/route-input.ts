// `ip route get ... iif DEV`: the input path of route.c, ip_route_input_slow() (martian
// checks, fib_lookup(), fib_validate_source(), local and broadcast delivery through lo,
// forwarding), as inet_rtm_getroute() runs it for a packet from src arriving on iif.
// Split from route-output.ts.

import { rtCacheInputGap } from './rt-cache-input.js';
import { inPrefix, isLbcast, isLoopback, isMulticast, type Ip4 } from '../net/ip4.js';
import { DevconfAssume, explore } from './devconf-assume.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NetDevice } from '../snapshot/net-device.js';
import { aliasNexthops, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { fibLookup, isLocalAddress } from './fib-lookup.js';
import { makeFlow, LOOPBACK_IFINDEX } from '../net/flow.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, type RouteType } from '../uapi/rtnetlink.js';
import { tableRoutes } from '../snapshot/fib-table.js';
import { rulesHaveRealms } from './rt-class-tag.js';
import { fibMatchOf, NO_FLAGS, selectPath, type CacheFlags, type HashNote, type RouteGetAnswer, type RouteGetOutcome, type RouteGetRequest } from './route-get-answer.js';

/**
 * By snapshot, with the generation it was found at: a replay without history moves its
 * newest snapshot on in place (txn.ts, Txn.commit()), so the object alone does not name a state.
 */
const tclassidCache = new WeakMap<FibSnapshot, { readonly generation: number; readonly users: boolean }>();

/**
 * fib_num_tclassid_users() > 0: some route or rule (fib4_rule_configure()) has realms. fib_validate_source() then always
 * takes its full path, and its itag (the reverse route's realms) becomes the input
 * route's tclassid, which the model does not compute.
 */
function hasTclassidUsers(s: FibSnapshot): boolean {
  const known = tclassidCache.get(s);
  if (known !== undefined && known.generation === s.generation) return known.users;
  let v = rulesHaveRealms(s);
  outer: for (const t of v ? [] : s.tables.values()) {
    for (const r of tableRoutes(t)) {
      if (r.alias.info.nhs.some((nh) => (nh.tclassid ?? 0) !== 0)) {
        v = true;
        break outer;
      }
    }
  }
  tclassidCache.set(s, { generation: s.generation, users: v });
  return v;
}

/** What names the RCU-deferred count (Snapshot.tclassidFreeing). */
const TCLASSID_FREEING = 'fib_num_tclassid_users after the last route with realms went (counted out only when its fib_info is freed, after an RCU grace period)';

/**
 * fib_num_tclassid_users() > 0 as the kernel may see it: some route or rule has realms now,
 * or the last route with realms went and its RCU-deferred free (fib_nh_release() in
 * free_fib_info_rcu()) may not have run yet: then either, by the clock (captured: right
 * after `ip route del` of it, `ip route get` gave EINVAL in some runs and passed in others).
 * A rule's realms are counted out at once (fib4_rule_delete()).
 */
function tclassidUsers(s: FibSnapshot, a: DevconfAssume): boolean {
  if (hasTclassidUsers(s)) return true;
  if (!s.tclassidFreeing) return false;
  return a.ask('tclassid', [TCLASSID_FREEING], [0, 1]) !== 0;
}

/**
 * The uid an input route is looked up with: ip_route_input_slow() and fib_validate_source()
 * set flowi4_uid to sock_net_uid(net, NULL), the namespace's root, whatever RTA_UID the
 * question carried (that one only goes into the answer, inet_rtm_getroute()).
 */
const INPUT_UID = 0;

/** Whether two outcomes of one request are the same answer. */
export function sameOutcome(x: RouteGetOutcome, y: RouteGetOutcome): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * inet_rtm_getroute() on the input path: `fibmatch` prints the FIB entry only when the
 * input route succeeded and came from the FIB (`if (fibmatch && res.fi)`).
 */
export function routeInput(s: FibSnapshot, req: RouteGetRequest, note?: HashNote): RouteGetOutcome {
  const r = explore((a) => routeInputSlow(s, req, a, note), sameOutcome);
  if ('gap' in r) return { ok: false, errno: 'EINVAL', gap: r.gap };
  const out = r.value;
  if (!out.ok || !req.fibmatch || out.answer.kind !== 'route' || out.answer.table === 0) return out;
  const fib = fibLookup(s, makeFlow({ daddr: req.dst, saddr: req.src, tos: req.tos, iif: req.iif, mark: req.mark, uid: INPUT_UID, proto: req.ipproto, sport: req.sport, dport: req.dport }));
  return fib.ok ? fibMatchOf(fib.res, out) : out;
}

/**
 * fib_rules_require_fldissect: some rule selects on ipproto or ports and not on iif lo
 * (fib_rule_requires_fldissect()); only then does the reverse lookup carry the protocol and
 * the swapped ports (fib4_rules_early_flow_dissect()).
 */
function rulesRequireFldissect(s: FibSnapshot): boolean {
  if (!s.customRules) return false;
  for (const r of s.rules) if (r.iifName !== 'lo' && (r.ipproto !== 0 || r.sport !== null || r.dport !== null)) return true;
  return false;
}

/** The packet fib_validate_source() checks: its source, destination, tos, mark and ports as inet_rtm_getroute() built it. */
interface SourceCheck {
  readonly src: Ip4;
  readonly dst: Ip4;
  readonly tos: number;
  readonly mark: number;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
}

/**
 * fib_validate_source(): may a packet from `src` arrive on inDev, to be sent out of `oif`
 * (0: delivered locally)? null when it is a martian (the caller's EINVAL), else whether the
 * source is directly reachable on inDev (RTCF_DIRECTSRC: the reverse route's nexthop has
 * host scope), which __mkroute_input() needs for a redirect.
 * 1. rp_filter is IN_DEV_RPFILTER: the larger of the device's and `all`'s values.
 * 2. Fast path, with rp_filter 0 and unless the packet goes back out of inDev with
 *    send_redirects on (either value): accept_local accepts; without custom rules or user
 *    local routes a source that is one of our addresses is a martian
 *    (inet_lookup_ifaddr_rcu), anything else passes (not direct).
 * 3. __fib_validate_source(): the reverse lookup (src and dst swapped, iif the out device or
 *    lo, the mark with src_valid_mark, protocol and swapped ports only when rules need
 *    them). No route: martian with rp_filter, else passes. A route that is not unicast (or
 *    local with accept_local) is a martian. A route through inDev (any leg), or local when
 *    inDev is lo, passes (direct if its nexthop has host scope). Then an inDev without
 *    addresses goes as "no route"; strict rp_filter (1) is a martian; loose (2) passes,
 *    direct if a lookup restricted to inDev (link state ignored) finds a unicast route
 *    with a host-scope nexthop.
 */
function fibValidateSource(s: FibSnapshot, a: DevconfAssume, pkt: SourceCheck, oif: number, inDev: NetDevice): { readonly direct: boolean } | null {
  const rpf = a.maxconf(s, inDev, 'rp_filter');
  const PASS = { direct: false };
  // fib_num_tclassid_users() > 0 (a route or rule has realms) always takes the full check.
  if (rpf === 0 && !tclassidUsers(s, a) && (inDev.ifindex !== oif || !a.orconf(s, inDev, 'send_redirects'))) {
    if (a.orconf(s, inDev, 'accept_local')) return PASS;
    if (!s.customRules && !s.customLocalRoutes) return isLocalAddress(s, pkt.src) ? null : PASS;
  }
  const dissect = rulesRequireFldissect(s);
  const flow = makeFlow({
    daddr: pkt.src,
    saddr: pkt.dst,
    tos: pkt.tos,
    iif: oif !== 0 ? oif : LOOPBACK_IFINDEX,
    mark: a.orconf(s, inDev, 'src_valid_mark') ? pkt.mark : 0,
    ...(dissect ? { proto: pkt.proto, sport: pkt.dport, dport: pkt.sport } : {}),
  });
  const lastResort = rpf !== 0 ? null : PASS;
  const rev = fibLookup(s, flow, { linkdownUnknown: (dev) => a.ignoreLinkdown(s, dev) });
  if (!rev.ok) return lastResort;
  const res = rev.res;
  if (res.type !== 'unicast' && (res.type !== 'local' || !a.orconf(s, inDev, 'accept_local'))) return null;
  const nhs = aliasNexthops(s, res.alias);
  const devMatch = (nhs !== 'blackhole' && nhs.some((nh) => nh.dev === inDev.ifindex)) || (res.type === 'local' && inDev.ifindex === LOOPBACK_IFINDEX);
  if (devMatch) return { direct: res.nh.scope >= RT_SCOPE_HOST };
  if (inDev.addrs.length === 0) return lastResort;
  if (rpf === 1) return null;
  const loose = fibLookup(s, { ...flow, oif: inDev.ifindex }, { ignoreLinkstate: true });
  return { direct: loose.ok && loose.res.type === 'unicast' && loose.res.nh.scope >= RT_SCOPE_HOST };
}

/** What the model does not compute while some route or rule has realms: the route's tclassid from fib_validate_source()'s itag. */
const ITAG_GAP = 'realms on the input path (the itag of fib_validate_source)';

/**
 * An input packet delivered through lo without a FIB result (ip_route_input_mc, brd_input).
 * Its tclassid is the itag of the source's validation (`realms` in the answer), so with
 * realms in use and a source to validate the answer is a gap.
 */
function localDelivery(s: FibSnapshot, req: RouteGetRequest, type: RouteType, cache: CacheFlags): RouteGetOutcome {
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
      ...(req.src !== 0 && hasTclassidUsers(s) ? { gap: ITAG_GAP } : {}),
    },
  };
}

/** The packet of an `ip route get ... iif` request as fib_validate_source() sees it (daddr 0 for broadcast and multicast input). */
function sourceCheck(req: RouteGetRequest, dst: Ip4): SourceCheck {
  return { src: req.src, dst, tos: req.tos, mark: req.mark, proto: req.ipproto, sport: req.sport, dport: req.dport };
}

/** inet_addr_onlink(): some address of the device has a subnet holding `a`, and `b` too unless b is 0. */
function addrOnlink(dev: NetDevice, a: Ip4, b: Ip4): boolean {
  return dev.addrs.some((ifa) => inPrefix(a, ifa.address, ifa.prefixlen) && (b === 0 || inPrefix(b, ifa.address, ifa.prefixlen)));
}

/** ip_route_input_slow(): a packet from `src` arriving on `iif`. */
function routeInputSlow(s: FibSnapshot, req: RouteGetRequest, a: DevconfAssume, note?: HashNote): RouteGetOutcome {
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
    if (src !== 0 && fibValidateSource(s, a, sourceCheck(req, 0), 0, inDev) === null) return { ok: false, errno: 'EINVAL' };
    return localDelivery(s, req, 'multicast', { ...NO_FLAGS, local: true, multicast: true });
  }
  if (isLbcast(dst) || (src === 0 && dst === 0)) {
    // brd_input: no FIB lookup; a non-zero source must pass fib_validate_source().
    if (src !== 0 && fibValidateSource(s, a, sourceCheck(req, 0), 0, inDev) === null) return { ok: false, errno: 'EINVAL' };
    return localDelivery(s, req, 'broadcast', { ...NO_FLAGS, local: true, broadcast: true });
  }
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") only a zero source or a zero
  // destination is a martian on input; other 0.x addresses go to the FIB like any other.
  if (src === 0 || dst === 0) return { ok: false, errno: 'EINVAL' };
  // ip_route_input_slow(): IN_DEV_NET_ROUTE_LOCALNET(in_dev, net) is the device's value
  // ORed with `all` (IN_DEV_ORCONF), not the device's alone.
  if ((isLoopback(dst) || isLoopback(src)) && !a.orconf(s, inDev, 'route_localnet')) return { ok: false, errno: 'EINVAL' };
  const flow = makeFlow({
    daddr: dst,
    saddr: src,
    tos: req.tos,
    iif: req.iif,
    mark: req.mark,
    uid: INPUT_UID,
    proto: req.ipproto,
    sport: req.sport,
    dport: req.dport,
  });
  const gap = hasTclassidUsers(s) ? { gap: ITAG_GAP } : {};
  const out = fibLookup(s, flow, { linkdownUnknown: (dev) => a.ignoreLinkdown(s, dev) });
  if (!out.ok) return { ok: false, errno: a.conf(inDev, 'forwarding') ? out.errno : 'EHOSTUNREACH' };
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
  // The input route cached in the nexthop may be another kind's (rt-cache-input.ts); a
  // realms gap (ITAG_GAP) stays first.
  const kindGap = (leg: number): { gap?: string } => {
    if ('gap' in gap) return {};
    const g = rtCacheInputGap(s, res.alias, leg);
    return g === undefined ? {} : { gap: g };
  };
  if (res.type === 'broadcast') {
    // ip_route_input_slow(): brd_input validates a non-zero source (daddr 0, no out device).
    if (fibValidateSource(s, a, sourceCheck(req, 0), 0, inDev) === null) return { ok: false, errno: 'EINVAL' };
    return { ok: true, answer: { ...base, cache: { ...NO_FLAGS, local: true, broadcast: true }, ...kindGap(res.nhIndex) } };
  }
  if (res.type === 'local') {
    if (fibValidateSource(s, a, sourceCheck(req, dst), 0, inDev) === null) return { ok: false, errno: 'EINVAL' };
    return { ok: true, answer: { ...base, cache: { ...NO_FLAGS, local: true }, ...kindGap(res.nhIndex) } };
  }
  if (!a.conf(inDev, 'forwarding')) return { ok: false, errno: 'EHOSTUNREACH' };
  if (res.type !== 'unicast') return { ok: false, errno: 'EINVAL' };
  // ip_mkroute_input(): fib_select_multipath() without a flow, so the hash alone decides.
  const sel = selectPath(s, res, 0, note, a);
  const nh: ResolvedNh = sel.nh;
  const valid = fibValidateSource(s, a, sourceCheck(req, dst), nh.dev, inDev);
  if (valid === null) return { ok: false, errno: 'EINVAL' };
  // __mkroute_input(): back out of the device it came in on, from a directly reachable
  // source, with send_redirects (device or all) and shared_media (device or all) or the
  // source and gateway on one of the device's subnets (inet_addr_onlink()).
  const redirect =
    nh.dev === req.iif &&
    valid.direct &&
    a.orconf(s, inDev, 'send_redirects') &&
    (a.orconf(s, inDev, 'shared_media') || addrOnlink(inDev, src, nh.gw ?? 0));
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
      ...kindGap(sel.nhIndex),
    },
  };
}
