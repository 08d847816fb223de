// What `ip route get` asks and what the kernel answers (RTM_GETROUTE in, rt_fill_info() out),
// and the two steps both paths share: fib_select_path() (the leg and the source) and the
// answer built from a FIB result, as __mkroute_output()/rt_set_nexthop() fill the dst.
// Split from route-output.ts.

import { formatIp4, isLbcast, isMulticast, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { aliasNexthops, type FibResult } from '../trie/fib-table-lookup.js';
import { type Flow } from '../net/flow.js';
import { fibSelectMultipath } from './select-multipath.js';
import type { DevconfAssume } from './devconf-assume.js';
import { RT_SCOPE_LINK, type RouteType } from '../uapi/rtnetlink.js';
import { type Errno } from '../uapi/errno.js';
import type { FibMetrics } from '../snapshot/fib-metrics.js';
import { CACHED_REALMS_GAP, outputTclassid } from './rt-class-tag.js';
import { localCaches, rtCacheKindGap } from './rt-cache-output.js';

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
  /** RTA_VIA (AF_INET6): rt_gw6 when rt_gw_family is AF_INET6 (an IPv6 gateway); absent otherwise. */
  readonly gateway6?: string;
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
  /** Set when the answer depends on something the model does not reproduce. */
  readonly gap?: string;
}

/** An errno, or with `gap` an answer the model cannot give (it depends on what it does not know). */
export type RouteGetOutcome =
  | { readonly ok: true; readonly answer: RouteGetAnswer | RouteGetFibMatch }
  | { readonly ok: false; readonly errno: Errno; readonly gap?: string };

export const NO_FLAGS: CacheFlags = { local: false, broadcast: false, multicast: false, redirect: false };

/** Set when the answer depended on the flow hash (fibSelectMultipath said so). */
export interface HashNote {
  why: string | null;
}

/**
 * The legs the hash can land on, as `ip route` prints a leg ("via GW dev DEV", "dev DEV"),
 * so that the gap names every answer the kernel may give.
 */
function describeLegs(s: FibSnapshot, res: FibResult, legs: readonly number[]): string {
  const nhs = aliasNexthops(s, res.alias);
  if (nhs === 'blackhole') return '';
  return legs
    .map((i) => {
      const nh = nhs[i];
      if (nh === undefined) return '';
      const dev = `dev ${s.devices.get(nh.dev)?.name ?? `if${nh.dev}`}`;
      if (nh.gw6 !== undefined) return `via inet6 ${nh.gw6} ${dev}`;
      return nh.gw !== null && nh.gw !== 0 ? `via ${formatIp4(nh.gw)} ${dev}` : dev;
    })
    .join(', ');
}

/**
 * fib_select_path() / ip_mkroute_input(): the multipath leg (fib_select_multipath()). When
 * the per-boot hash decides, the first usable leg stands in and `note` says so.
 */
export function selectPath(s: FibSnapshot, res: FibResult, saddr: Ip4, note: HashNote | undefined, a?: DevconfAssume): FibResult {
  const choice = fibSelectMultipath(s, res, saddr, a);
  if (choice.kind === 'hash') {
    if (note !== undefined) note.why = choice.legs === undefined ? choice.why : `${choice.why}; the hash takes one of: ${describeLegs(s, res, choice.legs)}`;
    return res;
  }
  if (choice.index === res.nhIndex) return res;
  const nhs = aliasNexthops(s, res.alias);
  if (nhs === 'blackhole') return res;
  const nh = nhs[choice.index];
  return nh === undefined ? res : { ...res, nh, nhIndex: choice.index };
}

export function outputAnswer(
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
  let gateway6: string | undefined;
  if (isLbcast(req.dst)) t = 'broadcast';
  else if (isMulticast(req.dst)) t = 'multicast';
  const out = s.devices.get(devOut);
  if (out?.kind === 'loopback') f = { ...f, local: true };
  if (t === 'broadcast') f = { ...f, local: true, broadcast: true };
  // __mkroute_output(): a multicast route is RTCF_LOCAL only if the device joined the group
  // (ip_check_mc_rcu); an up device has joined just 224.0.0.1 (ip_mc_up), lo included.
  else if (t === 'multicast') f = { ...f, multicast: true, local: req.dst === 0xe0000001 && out?.up === true };
  // rt_set_nexthop(): a gateway of a link-scope nexthop, of its family (rt_gw4 or rt_gw6).
  else if (res !== null && res.nh.scope === RT_SCOPE_LINK) {
    gateway = res.nh.gw;
    gateway6 = res.nh.gw6;
  }
  if (t === 'local') f = { ...f, local: true };
  // __mkroute_output(): no fib_info (so no metrics, no tclassid) for the limited broadcast,
  // for a multicast route shorter than /4, or for a local route reached with another oif.
  // A broadcast route of the FIB keeps its fib_info since "net: ipv4: fix incorrect MTU in
  // broadcast routes" (2025, in 6.18: its metrics and realms show, and it is cached).
  let fi = res !== null;
  if (isLbcast(req.dst)) fi = false;
  else if (t === 'multicast' && res !== null && res.plen < 4) fi = false;
  else if (t === 'local' && req.oif !== 0 && req.oif !== devOut) fi = false;
  // rt_set_nexthop(): the nexthop's realms, then the rule's (set_class_tag); a route with a
  // fib_info is cached per CPU unless it is a local multicast one (do_cache = false).
  const cached = fi && !(t === 'multicast' && f.local);
  const owner = { table: res?.table ?? 0, nexthopObject: (res?.alias.info.nhid ?? 0) !== 0 };
  const tc = outputTclassid(s, fi ? (res?.nh.tclassid ?? 0) : 0, res?.tclassid ?? 0, cached, owner);
  // __mkroute_output(): the per-CPU route cached in this nexthop may be another kind of
  // destination's (rt-cache-output.ts); a local route off lo neither reads nor writes it.
  const kindGap = res === null ? undefined : rtCacheKindGap(s, res.alias, res.nhIndex, cached && (t !== 'local' || localCaches(s, res.nh.dev)));
  return {
    ok: true,
    answer: {
      kind: 'route',
      type: t,
      dst: req.dst,
      from: req.src,
      tos: res?.alias.tos ?? 0,
      gateway,
      ...(gateway6 === undefined ? {} : { gateway6 }),
      dev: devOut,
      table: res?.table ?? 0,
      prefsrc: req.src !== 0 ? null : saddr,
      mark: req.mark,
      uid: req.uid ?? 0,
      cache: f,
      iif: 0,
      // Only when present, so that answers without them keep their shape (the engine's too).
      ...(fi && (res?.alias.info.metrics ?? null) !== null ? { metrics: res?.alias.info.metrics ?? null } : {}),
      ...('flow' in tc && tc.flow !== 0 ? { flow: tc.flow } : {}),
      ...('gap' in tc ? { gap: tc.gap } : kindGap !== undefined ? { gap: kindGap } : {}),
    },
  };
}

/** The fibmatch answer for FIB result `res`, from the route answer made for it. */
export function fibMatchOf(res: FibResult, made: RouteGetOutcome): RouteGetOutcome {
  if (!made.ok || made.answer.kind !== 'route') return made;
  const typed = made.answer.type === res.alias.type ? res : { ...res, alias: { ...res.alias, type: made.answer.type } };
  // The entry printed never shows the route's realms: a gap about them does not apply.
  const gap = made.answer.gap === CACHED_REALMS_GAP ? undefined : made.answer.gap;
  return { ok: true, answer: { kind: 'fibmatch', res: typed, ...(gap !== undefined ? { gap } : {}) } };
}
