// Which output routes may come from another destination's lookup: the per-CPU output route
// cached in a nexthop (__mkroute_output() in net/ipv4/route.c: nhc_pcpu_rth_output).
//
// Why: __mkroute_output() looks in the nexthop's per-CPU slot before it makes a route, and
// when the route there is still valid (rt_cache_valid(): the genid unchanged, i.e. no
// rt_cache_flush() since, which every FIB change does) returns it as it is, whatever the
// destination that made it. The route carries its type and RTCF_* flags: a multicast
// destination (224.0.0.0/4) through a route of /4 or longer is RTN_MULTICAST, RTCF_MULTICAST
// (a shorter route loses its fib_info there and caches nothing); a unicast one takes the
// route's type (unicast, broadcast, anycast, a `multicast` route's RTN_MULTICAST), a local
// route caches only when its nexthop is on lo (ip_route_output_key_hash_rcu() sets orig_oif
// to the nexthop's device, and __mkroute_output() does not cache a local route whose
// orig_oif is not the output device, lo). So when lookups of two such kinds reach one
// nexthop, the answer depends on which ran last on the CPU `ip` runs on (and IGMP, daemons
// and sockets look up routes too): seen on this kernel with `224.0.0.0/4 dev e0` and
// `10.11.0.0/16 dev e0` in main (one fib_info), `taskset -c 0 ip route get 224.1.1.1` then
// `taskset -c 0 ip route get 10.11.0.1` printed `multicast 10.11.0.1 dev e0 … cache <mc>`
// (and its fibmatch `multicast 10.11.0.0/16 dev e0 scope link`: inet_rtm_getroute() prints
// rt->rt_type), while on the other CPU, after 10.11.0.1, `ip route get 224.1.1.1` printed
// `224.1.1.1 dev e0 … cache`.
//
// Which nexthops are shared: a fib_info's nexthops (one per leg: fib_nh), shared by the
// routes fib_find_info() finds equal (protocol, scope, prefsrc, priority, type, table,
// metrics, flags, nexthops: sameFibInfo() and the alias's type here; the model's own
// interning of FibInfo objects is an optimisation and not relied on), and a nexthop
// object's (a group's member is the single nexthop object itself, shared by every group,
// table and route that uses it: `10.12.0.0/16 nhid 10` through member 1 of group 10 handed
// its unicast route to `224.0.0.0/4 nhid 1 table 50`). A route's kind does not change the
// nexthop: `multicast 10.14.0.0/16 nhid 2` and `broadcast 10.15.0.0/16 nhid 2` shared
// their cached routes with `10.13.0.0/16 nhid 2`.
//
// The memo: computed once per snapshot, lazily (a walk of the tables the rules look up),
// it keeps per fib_info object, type and leg whether lookups of more than one kind cache
// there; a lookup then reads it in O(1). An empty memo (the usual case: no route of /4 or
// longer in 224.0.0.0/4 shares a nexthop with another, and no nexthop object is used by
// routes of two types) answers every lookup at once.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibAlias, FibInfo } from '../snapshot/fib-info.js';
import { tableForEachLeaf } from '../snapshot/fib-table.js';
import { pmapForEachRange } from '../snapshot/pmap-walk.js';
import { isMulticast, type Ip4 } from '../net/ip4.js';
import { fibPropsError, type RouteType } from '../uapi/rtnetlink.js';
import { LOOPBACK_IFINDEX } from '../net/flow.js';

/** The gap of an answer that may be the cached route another kind of destination made. */
export const RT_CACHE_KIND_GAP =
  'ip route get through a nexthop that destinations of another kind (multicast, unicast, broadcast, local) also reach: the per-CPU cached output route it returns may be theirs (__mkroute_output, nhc_pcpu_rth_output)';

/** The kinds of cached output route (bits): what rt_type and the RTCF_* flags become. */
const KIND: Readonly<Record<RouteType, number>> = {
  unicast: 1,
  local: 2,
  broadcast: 4,
  anycast: 8,
  multicast: 16,
  blackhole: 0,
  unreachable: 0,
  prohibit: 0,
  throw: 0,
  nat: 0,
  xresolve: 0,
};

/** Per fib_info object: per type, per leg, whether more than one kind caches in that nexthop. */
type Mixed = ReadonlyMap<FibInfo, ReadonlyMap<RouteType, readonly boolean[]>>;

/** What a snapshot's lookups cache in its nexthops (see the header). */
export interface RtCacheShare {
  /** How many shared nexthops (fib_info legs and nexthop objects) cache routes of two kinds or more. */
  readonly mixed: number;
  readonly byInfo: Mixed;
}

const EMPTY: RtCacheShare = { mixed: 0, byInfo: new Map() };
const memo = new WeakMap<FibSnapshot, RtCacheShare>();

/** The snapshot's shared cached-route memo (computed once per snapshot). */
export function rtCacheShare(s: FibSnapshot): RtCacheShare {
  let m = memo.get(s);
  if (m === undefined) {
    m = computeShare(s);
    memo.set(s, m);
  }
  return m;
}

/**
 * Whether the output route of a lookup through leg `leg` of `alias` (type `type`, the FIB
 * result's) may be the cached one another kind of lookup made. `caches`: __mkroute_output()
 * reads and writes the per-CPU slot for this lookup (a fib_info, and not a local
 * multicast group; a local route only with its nexthop on lo, see localCaches()).
 */
export function rtCacheKindGap(s: FibSnapshot, alias: FibAlias, leg: number, caches: boolean): string | undefined {
  if (!caches) return undefined;
  const m = rtCacheShare(s);
  if (m.mixed === 0) return undefined;
  return m.byInfo.get(alias.info)?.get(alias.type)?.[leg] === true ? RT_CACHE_KIND_GAP : undefined;
}

/**
 * __mkroute_output(): a local route (RTN_LOCAL) is cached only when its nexthop's device
 * is lo (orig_oif, set to the nexthop's device by ip_route_output_key_hash_rcu(), equals
 * the output device): `local 10.17.0.0/16 nhid 2` (dev e1) neither took nor left a cached
 * route here.
 */
export function localCaches(s: FibSnapshot, nhDev: number): boolean {
  return nhDev === LOOPBACK_IFINDEX || s.devices.get(nhDev)?.kind === 'loopback';
}

/** fib_find_info()'s fields of a fib_info, as a key (the table and type included by the caller). */
function infoKey(info: FibInfo): string {
  const nhs = info.nhs.map((n) => `${n.dev},${n.gw ?? ''},${n.gw6 ?? ''},${n.weight},${n.onlink ? 1 : 0},${n.tclassid ?? 0}`).join(';');
  return `${info.tbId}|${info.protocol}|${info.scope}|${info.prefsrc}|${info.priority}|${JSON.stringify(info.metrics ?? null)}|${info.flow ?? 0}|${nhs}`;
}

/** The single nexthop objects behind a nexthop-object route's legs, in aliasNexthops() order. */
function objectLegs(s: FibSnapshot, nhid: number): number[] {
  const o = s.nexthops.get(nhid);
  if (o === undefined || o.kind === 'blackhole') return [];
  if (o.kind === 'single') return [o.id];
  const out: number[] = [];
  for (const m of o.members) if (s.nexthops.get(m.id)?.kind === 'single') out.push(m.id);
  return out;
}

/** The tables some rule looks up (no other table is ever reached by a lookup). */
function lookedUp(s: FibSnapshot): number[] {
  const ids = new Set<number>();
  for (const r of s.rules) if (r.action === 'lookup') ids.add(r.table === 0 ? 254 : r.table);
  return [...ids].filter((id) => s.tables.has(id));
}

/** Whether any table looked up has a route of /4 or longer inside 224.0.0.0/4. */
function anyMulticastRoute(s: FibSnapshot, tables: readonly number[]): boolean {
  let found = false;
  for (const id of tables) {
    const t = s.tables.get(id);
    if (t === undefined) continue;
    // Keys are dst * 256 + (32 - len): 224/4 itself and everything inside it.
    pmapForEachRange(t.leaves, 0xe0000000 * 256, 0xf0000000 * 256, (key) => {
      if (key % 256 <= 28) found = true;
    });
    if (found) return true;
  }
  return false;
}

/**
 * The kind (bit) of route a lookup through leg `nhDev` of `alias` at dst/plen caches, for
 * the destinations that reach it: a multicast one inside 224.0.0.0/4 (/4 or longer), else
 * the route's type; 0 when none caches (255.255.255.255 loses its fib_info, 0.0.0.0 takes
 * no FIB route, a multicast route shorter than /4 loses its fib_info, a local route off lo,
 * 224.0.0.1 on an up device is a joined group: ip_check_mc_rcu(), do_cache false).
 */
function kindAt(s: FibSnapshot, alias: FibAlias, dst: Ip4, plen: number, nhDev: number): number {
  if (plen >= 4 && isMulticast(dst)) {
    if (plen === 32 && dst === 0xe0000001) {
      const out = s.devices.get(alias.type === 'local' ? LOOPBACK_IFINDEX : nhDev);
      if (out?.up === true) return 0;
    }
    return KIND.multicast;
  }
  if (plen === 32 && (dst === 0xffffffff || dst === 0)) return 0;
  if (alias.type === 'multicast') return plen >= 4 ? KIND.multicast : 0;
  if (alias.type === 'local') return localCaches(s, nhDev) ? KIND.local : 0;
  return KIND[alias.type];
}

function computeShare(s: FibSnapshot): RtCacheShare {
  const tables = lookedUp(s);
  // Without a route inside 224.0.0.0/4 only a nexthop object can join two kinds (a fib_info
  // has one type): none, nothing is shared.
  if (s.nexthops.size === 0 && !anyMulticastRoute(s, tables)) return EMPTY;
  // 1. Per fib_info object and type, the kinds cached in each leg.
  const kinds = new Map<FibInfo, Map<RouteType, number[]>>();
  for (const id of tables) {
    const t = s.tables.get(id);
    if (t === undefined) continue;
    tableForEachLeaf(t, (dst, plen, aliases) => {
      for (const a of aliases) {
        if (a.info.dead || fibPropsError(a.type) !== null) continue;
        let byType = kinds.get(a.info);
        if (byType === undefined) {
          byType = new Map();
          kinds.set(a.info, byType);
        }
        let legs = byType.get(a.type);
        if (legs === undefined) {
          legs = [];
          byType.set(a.type, legs);
        }
        const devs = legDevs(s, a.info);
        for (let i = 0; i < devs.length; i++) {
          const d = devs[i]!;
          if (d < 0) continue;
          legs[i] = (legs[i] ?? 0) | kindAt(s, a, dst, plen, d);
        }
      }
    });
  }
  // 2. The kinds per nexthop the kernel shares: a fib_info leg by fib_find_info()'s
  // equality (and type), a nexthop object by id.
  const keyOf = (info: FibInfo, type: RouteType, leg: number, objs: readonly number[]): string =>
    info.nhid !== 0 ? `nh ${objs[leg] ?? -1}` : `${type}|${leg}|${infoKey(info)}`;
  const byKey = new Map<string, number>();
  const objsOf = new Map<FibInfo, number[]>();
  for (const [info, byType] of kinds) {
    const objs = info.nhid !== 0 ? objectLegs(s, info.nhid) : [];
    objsOf.set(info, objs);
    for (const [type, legs] of byType) {
      legs.forEach((k, leg) => {
        const key = keyOf(info, type, leg, objs);
        byKey.set(key, (byKey.get(key) ?? 0) | k);
      });
    }
  }
  let mixed = 0;
  for (const k of byKey.values()) if ((k & (k - 1)) !== 0) mixed++;
  if (mixed === 0) return EMPTY;
  // 3. Back to fib_info objects, for an O(1) look-up per answer.
  const byInfo = new Map<FibInfo, Map<RouteType, boolean[]>>();
  for (const [info, byType] of kinds) {
    const objs = objsOf.get(info) ?? [];
    const out = new Map<RouteType, boolean[]>();
    for (const [type, legs] of byType) {
      out.set(
        type,
        Array.from({ length: legs.length }, (_, leg) => {
          const k = byKey.get(keyOf(info, type, leg, objs)) ?? 0;
          return (k & (k - 1)) !== 0;
        }),
      );
    }
    byInfo.set(info, out);
  }
  return { mixed, byInfo };
}

/**
 * The device of each leg a lookup can take (aliasNexthops() order), -1 for a dead one
 * (fib_select_multipath() and fib_table_lookup() pass over it).
 */
function legDevs(s: FibSnapshot, info: FibInfo): number[] {
  if (info.nhid === 0) return info.nhs.map((n) => (n.dead ? -1 : n.dev));
  const out: number[] = [];
  for (const id of objectLegs(s, info.nhid)) {
    const o = s.nexthops.get(id);
    out.push(o !== undefined && o.kind === 'single' ? o.dev : -1);
  }
  return out;
}
