// `ip route get`: inet_rtm_getroute() with the output path ip_route_output_key_hash_rcu()
// / __mkroute_output() / fib_select_path(), and the input path ip_route_input_slow()
// (route.c). The answer is what rt_fill_info() reports, before printing.
//
// The request and answer types and fib_select_path() are in route-get-answer.ts; the input
// path (ip_route_input_slow()) in route-input.ts.

import { isLbcast, isLocalMulticast, isLoopback, isMulticast, isZeronet, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { aliasNexthops, fibTableLookup, type FibResult, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { tableAliases } from '../snapshot/fib-table.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import { fibSelectDefault, NO_NEIGHBOURS } from './fib-select-default.js';
import { fibLookup } from './fib-lookup.js';
import { inetSelectAddrKnown, localnetGap, type SelectedAddr } from '../snapshot/select-addr.js';
import { inDevOrconf } from '../snapshot/devconf.js';
import { makeFlow, LEGACY_TOS_MASK, LOOPBACK_IFINDEX, type Flow } from '../net/flow.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, type RouteType } from '../uapi/rtnetlink.js';
import { fibResultPrefsrc } from './prefsrc.js';
import { fibMatchOf, NO_FLAGS, outputAnswer, selectPath, type CacheFlags, type HashNote, type RouteGetOutcome, type RouteGetRequest } from './route-get-answer.js';
import { routeInput, sameOutcome } from './route-input.js';
import { explore, type DevconfAssume } from './devconf-assume.js';

export type { CacheFlags, RouteGetAnswer, RouteGetFibMatch, RouteGetOutcome, RouteGetRequest } from './route-get-answer.js';

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

/**
 * fib_select_path(): a single-path unicast default route, in a table with more than one
 * (tb_num_default), goes through fib_select_default(); neighbours are not modelled, so it
 * keeps the lookup's route, as the kernel does while no gateway has a neighbour entry.
 */
function selectDefault(s: FibSnapshot, res: FibResult, tos: number): FibResult {
  if (res.plen !== 0 || res.type !== 'unicast') return res;
  const nhs = aliasNexthops(s, res.alias);
  if (nhs === 'blackhole' || nhs.length > 1) return res;
  const t = s.tables.get(res.table);
  const leaf = t === undefined ? [] : tableAliases(t, 0, 0);
  if (leaf.length <= 1) return res;
  const first = (fa: FibAlias): ResolvedNh | undefined => {
    const xs = aliasNexthops(s, fa);
    return xs === 'blackhole' ? undefined : xs[0];
  };
  const choice = fibSelectDefault(leaf, leaf.indexOf(res.alias), tos & LEGACY_TOS_MASK, first, NO_NEIGHBOURS, -1);
  const alias = leaf[choice.index];
  if (alias === undefined || alias === res.alias) return res;
  const nh = first(alias);
  return nh === undefined ? res : { ...res, alias, nh, nhIndex: 0 };
}

/** Why an answer depends on what the model does not know (the first reason found), or null. */
interface GapNote {
  why: string | null;
}

/** The output path (a locally generated packet); an answer that depended on an unknown value carries the gap. */
function routeOutput(s: FibSnapshot, req: RouteGetRequest, note?: HashNote): RouteGetOutcome {
  // Under every value of an unknown ignore_routes_with_linkdown the lookup met (explore()):
  // a gap only when the answers differ.
  const r = explore((a) => routeOutputNoted(s, req, a, note), sameOutcome);
  return 'gap' in r ? { ok: false, errno: 'EINVAL', gap: r.gap } : r.value;
}

function routeOutputNoted(s: FibSnapshot, req: RouteGetRequest, a: DevconfAssume, note?: HashNote): RouteGetOutcome {
  const g: GapNote = { why: null };
  const out = routeOutputSlow(s, req, g, a, note);
  if (g.why === null) return out;
  if (!out.ok) return { ...out, gap: out.gap ?? g.why };
  return out.answer.gap !== undefined ? out : { ok: true, answer: { ...out.answer, gap: g.why } };
}

/** An address inet_select_addr() chose, noting in g when it depends on an unknown route_localnet. */
function picked(g: GapNote, a: SelectedAddr): Ip4 {
  if (a.gap !== undefined && g.why === null) g.why = a.gap;
  return a.addr;
}

function routeOutputSlow(s: FibSnapshot, req: RouteGetRequest, g: GapNote, a: DevconfAssume, note?: HashNote): RouteGetOutcome {
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
      if (saddr === 0) saddr = picked(g, inetSelectAddrKnown(s, req.oif, 0, RT_SCOPE_LINK));
      return outputAnswer(s, req, flow, null, 'unicast', req.oif, saddr, NO_FLAGS);
    }
    if (saddr === 0 && isMulticast(req.dst)) saddr = picked(g, inetSelectAddrKnown(s, req.oif, 0, flow.scope));
    else if (saddr === 0 && req.dst === 0) saddr = picked(g, inetSelectAddrKnown(s, req.oif, 0, RT_SCOPE_HOST));
  }
  if (req.dst === 0) {
    const src = saddr !== 0 ? saddr : 0x7f000001;
    const a = outputAnswer(s, req, flow, null, 'local', LOOPBACK_IFINDEX, src, { ...NO_FLAGS, local: true });
    return a;
  }
  const out = fibLookup(s, flow, { linkdownUnknown: (dev) => a.ignoreLinkdown(s, dev) });
  if (!out.ok) {
    if (req.oif !== 0) {
      // "Apparently, routing tables are wrong. Assume, that the destination is on link."
      if (saddr === 0) saddr = picked(g, inetSelectAddrKnown(s, req.oif, 0, RT_SCOPE_LINK));
      return finish(s, req, flow, null, 'unicast', req.oif, saddr, NO_FLAGS);
    }
    return { ok: false, errno: out.errno };
  }
  const res = out.res;
  // inet_rtm_getroute(): fibmatch still makes the route first (__mkroute_output()'s refusals
  // stand), then prints the FIB entry with the route's own type (fri.type = rt->rt_type:
  // `broadcast default …` for 255.255.255.255 through a default route).
  if (req.fibmatch) return fibMatchOf(res, routeOutputSlow(s, { ...req, fibmatch: false }, g, a, note));
  if (res.type === 'local') {
    if (saddr === 0) saddr = res.alias.info.prefsrc !== 0 ? res.alias.info.prefsrc : req.dst;
    return finish(s, req, flow, res, 'local', LOOPBACK_IFINDEX, saddr, { ...NO_FLAGS, local: true });
  }
  const sel = req.oif !== 0 ? res : selectDefault(s, selectPath(s, res, req.src, note, a), flow.tos);
  let gap: string | undefined;
  if (saddr === 0) {
    const src = fibResultPrefsrc(s, sel);
    saddr = src.addr;
    gap = src.gap;
  }
  const answer = finish(s, req, flow, sel, sel.type, sel.nh.dev, saddr, NO_FLAGS);
  if (gap === undefined || !answer.ok || answer.answer.kind !== 'route' || answer.answer.gap !== undefined) return answer;
  return { ok: true, answer: { ...answer.answer, gap } };
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
  if (isLoopback(saddr) && out.kind !== 'loopback') {
    const localnet = inDevOrconf(s.confAll, out.conf, 'route_localnet');
    if (localnet === null) return { ok: false, errno: 'EINVAL', gap: localnetGap(s, devOut) };
    if (!localnet) return { ok: false, errno: 'EINVAL' };
  }
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") a 0.x destination is no
  // martian here either (0.0.0.0 itself went the local way above).
  return outputAnswer(s, req, flow, res, type, devOut, saddr, flags);
}

/** inet_rtm_getroute(). */
export function routeGet(s: FibSnapshot, req: RouteGetRequest): RouteGetOutcome {
  return fibMatchWithoutFi(req, req.iif !== 0 ? routeInput(s, req) : routeOutput(s, req));
}

/**
 * inet_rtm_getroute(): `fibmatch` of a route made without a fib_info (res.fi NULL: the output
 * path's "routing tables are wrong" on-link guess with an oif, a multicast or limited
 * broadcast sent out of an oif or by its source, destination 0.0.0.0; the input path's
 * limited broadcast and multicast) is fib_props[res.type].error, which is 0 for every type
 * that gets this far, so EHOSTUNREACH. Every route answer that reaches here under fibmatch
 * is one of those (a FIB result is already a `fibmatch` answer).
 */
function fibMatchWithoutFi(req: RouteGetRequest, out: RouteGetOutcome): RouteGetOutcome {
  if (!req.fibmatch || !out.ok || out.answer.kind !== 'route') return out;
  return out.answer.gap !== undefined ? { ok: false, errno: 'EHOSTUNREACH', gap: out.answer.gap } : { ok: false, errno: 'EHOSTUNREACH' };
}

/**
 * Why routeGet()'s answer depends on the kernel's per-boot multipath hash seed (the
 * answer then shows the first usable leg, which may not be the kernel's), or null when it
 * does not. `fibmatch` prints the entry, whatever the leg.
 */
export function routeGetHashDependence(s: FibSnapshot, req: RouteGetRequest): string | null {
  if (req.fibmatch) return null;
  const note: HashNote = { why: null };
  const out = req.iif !== 0 ? routeInput(s, req, note) : routeOutput(s, req, note);
  return out.ok ? note.why : null;
}
