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
// The memo: per snapshot, lazily, how many (route, leg) pairs cache each kind of route in
// each shared nexthop, keyed as the kernel shares them. A snapshot of the same lineage
// with the same devices, rules, nexthop objects and nexthop flags as the last one computed
// is derived from it by the tables' diff (a route event costs what it changed); otherwise
// the tables the rules read are walked once. A lookup then costs one key and a set look-up,
// and nothing at all when no nexthop caches two kinds (the usual case: no route of /4 or
// longer in 224.0.0.0/4 shares a nexthop with another, and no nexthop object is used by
// routes of two types).

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibAlias, FibInfo } from '../snapshot/fib-info.js';
import { tableForEachLeaf } from '../snapshot/fib-table.js';
import { pmapForEachRange } from '../snapshot/pmap-walk.js';
import { pmapDiff } from '../snapshot/pmap-diff.js';
import { isMulticast, type Ip4 } from '../net/ip4.js';
import { fibPropsError, type RouteType } from '../uapi/rtnetlink.js';
import { LOOPBACK_IFINDEX } from '../net/flow.js';

/** The gap of an answer that may be the cached route another kind of destination made. */
export const RT_CACHE_KIND_GAP =
  'ip route get through a nexthop that destinations of another kind (multicast, unicast, broadcast, local) also reach: the per-CPU cached output route it returns may be theirs (__mkroute_output, nhc_pcpu_rth_output)';

/** The kinds of cached output route (an index): what rt_type and the RTCF_* flags become. */
const KIND: Readonly<Record<RouteType, number>> = {
  unicast: 0,
  local: 1,
  broadcast: 2,
  anycast: 3,
  multicast: 4,
  blackhole: -1,
  unreachable: -1,
  prohibit: -1,
  throw: -1,
  nat: -1,
  xresolve: -1,
};
const KINDS = 5;

/** What a snapshot's lookups cache in its nexthops (see the header). */
export interface RtCacheShare {
  /** The shared nexthops (see nexthopKey()) where lookups of two kinds or more cache. */
  readonly mixed: ReadonlySet<string>;
}

/** The memo of one snapshot: the nexthops named, and rtCacheMixed()'s answers so far (per fib_info object, type, leg). */
interface ShareMemo extends RtCacheShare {
  readonly answered: Map<FibInfo, Map<RouteType, boolean[]>>;
}

/**
 * What a memo is derived from: the writers per nexthop and kind of one snapshot. Only the
 * last of each lineage is kept (a snapshot's memo keeps just the set named, which derived
 * memos share while it does not change).
 */
interface ShareBase extends RtCacheShare {
  readonly snapshot: FibSnapshot;
  readonly tables: readonly number[];
  /** Per nexthop key, the (route, leg) pairs caching each kind (index: kind); null for the fast path. Updated in place by the next derivation. */
  readonly counts: Map<string, Int32Array> | null;
}

const NONE: ReadonlySet<string> = new Set();
const memo = new WeakMap<FibSnapshot, ShareMemo>();
/** The last complete base of each lineage, to derive the next snapshot's memo from. */
const lastOf = new WeakMap<object, ShareBase>();
/** Route changes beyond which a walk is cheaper than the diff. */
const MAX_DIFF = 50_000;

/** The snapshot's shared cached-route memo (computed once per snapshot). */
export function rtCacheShare(s: FibSnapshot): RtCacheShare {
  return shareMemo(s);
}

function shareMemo(s: FibSnapshot): ShareMemo {
  let m = memo.get(s);
  if (m === undefined) {
    const b = computeShare(s);
    if (b.counts !== null) lastOf.set(s.lineage, b);
    m = { mixed: b.mixed, answered: new Map() };
    memo.set(s, m);
  }
  return m;
}

/** Whether two snapshots' memos name the same nexthops (so every answer's gap is the same). */
export function sameRtCacheShare(a: FibSnapshot, b: FibSnapshot): boolean {
  const x = rtCacheShare(a).mixed;
  const y = rtCacheShare(b).mixed;
  if (x === y) return true;
  if (x.size !== y.size) return false;
  for (const k of x) if (!y.has(k)) return false;
  return true;
}

/**
 * Whether the per-CPU cached route of leg `leg` of a `type` route through `info` may be
 * another kind's: its nexthop (fib_find_info()'s equality, or the nexthop object) is one
 * where lookups of two kinds cache, in `s` (or any snapshot sameRtCacheShare() with it).
 */
export function rtCacheMixed(s: FibSnapshot, info: FibInfo, type: RouteType, leg: number): boolean {
  const st = shareMemo(s);
  if (st.mixed.size === 0) return false;
  // Remembered per object: a key is a string of every field fib_find_info() compares.
  let byType = st.answered.get(info);
  if (byType === undefined) {
    byType = new Map();
    st.answered.set(info, byType);
  }
  let legs = byType.get(type);
  if (legs === undefined) {
    legs = [];
    byType.set(type, legs);
  }
  let r = legs[leg];
  if (r === undefined) {
    r = st.mixed.has(nexthopKey(s, info, type, leg));
    legs[leg] = r;
  }
  return r;
}

/**
 * The gap of a lookup through leg `leg` of `alias` (type `type`, the FIB result's) whose
 * output route may be the cached one another kind of lookup made. `caches`:
 * __mkroute_output() reads and writes the per-CPU slot for this lookup (a fib_info, and not
 * a local multicast group; a local route only with its nexthop on lo, see localCaches()).
 */
export function rtCacheKindGap(s: FibSnapshot, alias: FibAlias, leg: number, caches: boolean): string | undefined {
  return caches && rtCacheMixed(s, alias.info, alias.type, leg) ? RT_CACHE_KIND_GAP : undefined;
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

const infoKeys = new WeakMap<FibInfo, string>();

/** fib_find_info()'s fields of a fib_info, as a key (the type and leg added by nexthopKey()). */
function infoKey(info: FibInfo): string {
  let k = infoKeys.get(info);
  if (k === undefined) {
    const nhs = info.nhs.map((n) => `${n.dev},${n.gw ?? ''},${n.gw6 ?? ''},${n.weight},${n.onlink ? 1 : 0},${n.tclassid ?? 0}`).join(';');
    k = `${info.tbId}|${info.protocol}|${info.scope}|${info.prefsrc}|${info.priority}|${JSON.stringify(info.metrics ?? null)}|${info.flow ?? 0}|${nhs}`;
    infoKeys.set(info, k);
  }
  return k;
}

/**
 * The nexthop (struct fib_nh_common) leg `leg` of a `type` route through `info` caches in,
 * as a key: a nexthop object's id (a group's member), or the fib_info the kernel shares
 * (fib_find_info(): its fields, the table and the type) and the leg.
 */
function nexthopKey(s: FibSnapshot, info: FibInfo, type: RouteType, leg: number): string {
  if (info.nhid !== 0) return `nh ${objectLegs(s, info.nhid)[leg] ?? -1}`;
  return `${type}|${leg}|${infoKey(info)}`;
}

/** The single nexthop objects behind a nexthop-object route's legs, in aliasNexthops() order. */
export function objectLegs(s: FibSnapshot, nhid: number): number[] {
  const o = s.nexthops.get(nhid);
  if (o === undefined || o.kind === 'blackhole') return [];
  if (o.kind === 'single') return [o.id];
  const out: number[] = [];
  for (const m of o.members) if (s.nexthops.get(m.id)?.kind === 'single') out.push(m.id);
  return out;
}

/** The tables some rule looks up (no other table is ever reached by a lookup). */
export function lookedUp(s: FibSnapshot): number[] {
  const ids = new Set<number>();
  for (const r of s.rules) if (r.action === 'lookup') ids.add(r.table === 0 ? 254 : r.table);
  return [...ids].filter((id) => s.tables.has(id)).sort((a, b) => a - b);
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
 * The kind (bit index, -1 for none) of route a lookup through a leg on `nhDev` of `alias`
 * at dst/plen caches, for the destinations that reach it: a multicast one inside
 * 224.0.0.0/4 (/4 or longer), else the route's type. None: 255.255.255.255 loses its
 * fib_info, 0.0.0.0 takes no FIB route, a multicast route shorter than /4 loses its
 * fib_info, a local route off lo is not cached, 224.0.0.1 on an up device is a joined
 * group (ip_check_mc_rcu(): do_cache false).
 */
function kindAt(s: FibSnapshot, alias: FibAlias, dst: Ip4, plen: number, nhDev: number): number {
  if (plen >= 4 && isMulticast(dst)) {
    if (plen === 32 && dst === 0xe0000001) {
      const out = s.devices.get(alias.type === 'local' ? LOOPBACK_IFINDEX : nhDev);
      if (out?.up === true) return -1;
    }
    return KIND.multicast;
  }
  if (plen === 32 && (dst === 0xffffffff || dst === 0)) return -1;
  if (alias.type === 'multicast') return plen >= 4 ? KIND.multicast : -1;
  if (alias.type === 'local') return localCaches(s, nhDev) ? KIND.local : -1;
  return KIND[alias.type];
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

/** Adds (`by` 1) or takes away (-1) the writers of one prefix's routes. */
/** The legs' devices and nexthop keys of the routes met in one computation, per fib_info object and type. */
type LegCache = Map<FibInfo, { readonly devs: readonly number[]; readonly keys: Map<RouteType, readonly string[]> }>;

function legsOf(s: FibSnapshot, cache: LegCache, info: FibInfo, type: RouteType): { readonly devs: readonly number[]; readonly keys: readonly string[] } {
  let e = cache.get(info);
  if (e === undefined) {
    e = { devs: legDevs(s, info), keys: new Map() };
    cache.set(info, e);
  }
  let keys = e.keys.get(type);
  if (keys === undefined) {
    keys = e.devs.map((_, leg) => nexthopKey(s, info, type, leg));
    e.keys.set(type, keys);
  }
  return { devs: e.devs, keys };
}

function count(s: FibSnapshot, cache: LegCache, counts: Map<string, Int32Array>, touched: Set<string> | null, dst: Ip4, plen: number, aliases: readonly FibAlias[], by: number): void {
  for (const a of aliases) {
    if (a.info.dead || fibPropsError(a.type) !== null) continue;
    const { devs, keys } = legsOf(s, cache, a.info, a.type);
    for (let leg = 0; leg < devs.length; leg++) {
      const d = devs[leg]!;
      if (d < 0) continue;
      const k = kindAt(s, a, dst, plen, d);
      if (k < 0) continue;
      const key = keys[leg]!;
      let c = counts.get(key);
      if (c === undefined) {
        c = new Int32Array(KINDS);
        counts.set(key, c);
      }
      touched?.add(key);
      c[k]! += by;
    }
  }
}

function isMixed(c: Int32Array | undefined): boolean {
  if (c === undefined) return false;
  let n = 0;
  for (let i = 0; i < c.length; i++) if (c[i]! > 0) n++;
  return n > 1;
}

/** The memo of `s` walked afresh, never derived nor kept (for comparisons). */
export function rtCacheShareWalked(s: FibSnapshot): RtCacheShare {
  return computeShare(s, false);
}

function computeShare(s: FibSnapshot, derive = true): ShareBase {
  const tables = lookedUp(s);
  const last = lastOf.get(s.lineage);
  if (derive && last !== undefined && last.counts !== null) {
    const d = deriveShare(last, s, tables);
    if (d !== null) return d;
  }
  // Without a route inside 224.0.0.0/4 only a nexthop object can join two kinds (a fib_info
  // has one type): none, nothing is shared.
  if (s.nexthops.size === 0 && !anyMulticastRoute(s, tables)) return { snapshot: s, tables, counts: null, mixed: NONE };
  const counts = new Map<string, Int32Array>();
  const cache: LegCache = new Map();
  for (const id of tables) {
    const t = s.tables.get(id);
    if (t !== undefined) tableForEachLeaf(t, (dst, plen, aliases) => count(s, cache, counts, null, dst, plen, aliases, 1));
  }
  const mixed = new Set<string>();
  for (const [k, c] of counts) if (isMixed(c)) mixed.add(k);
  return { snapshot: s, tables, counts, mixed: mixed.size === 0 ? NONE : mixed };
}

/**
 * The base of `s` from the last one of its lineage, by the tables' diff; null when
 * something else the kinds depend on changed (devices, rules, nexthop objects, flags) or
 * the diff is too big. The last base's counts are updated in place (it is superseded:
 * memos keep only their named sets), after the diff is known to apply.
 */
function deriveShare(last: ShareBase, s: FibSnapshot, tables: readonly number[]): ShareBase | null {
  const p = last.snapshot;
  const counts = last.counts;
  if (p.devices !== s.devices || p.rules !== s.rules || p.nexthops !== s.nexthops || counts === null) return null;
  if (tables.length !== last.tables.length || tables.some((id, i) => id !== last.tables[i])) return null;
  const changes: { readonly key: number; readonly before: readonly FibAlias[] | undefined; readonly after: readonly FibAlias[] | undefined }[] = [];
  for (const id of tables) {
    const t0 = p.tables.get(id);
    const t1 = s.tables.get(id);
    if (t0 === t1) continue;
    if (t0 === undefined || t1 === undefined || t0.versions !== t1.versions) return null;
    for (const d of pmapDiff(t0.leaves, t1.leaves)) {
      if (changes.length >= MAX_DIFF) return null;
      changes.push({ key: d.key, before: d.before === undefined ? undefined : t0.versions.list(d.before), after: d.after === undefined ? undefined : t1.versions.list(d.after) });
    }
  }
  const touched = new Set<string>();
  const cache: LegCache = new Map();
  for (const d of changes) {
    const low = d.key % 256;
    const dst = (d.key - low) / 256;
    if (d.before !== undefined) count(s, cache, counts, touched, dst, 32 - low, d.before, -1);
    if (d.after !== undefined) count(s, cache, counts, touched, dst, 32 - low, d.after, 1);
  }
  let mixed = last.mixed;
  for (const k of touched) {
    const c = counts.get(k);
    if (isMixed(c) === mixed.has(k)) continue;
    if (mixed === last.mixed) mixed = new Set(last.mixed);
    const m = mixed as Set<string>;
    if (m.has(k)) m.delete(k);
    else m.add(k);
  }
  return { snapshot: s, tables, counts, mixed: mixed.size === 0 ? NONE : mixed };
}
