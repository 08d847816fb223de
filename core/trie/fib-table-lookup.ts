// fib_table_lookup() (fib_trie.c): one table's longest-prefix match, the aliases of each prefix
// in order, fib_lookup_good_nhc() on their nexthops. The reference answer; compiled engines
// must agree with it. Below fib_rules_lookup() (rules/) and fib_lookup() (route/), and below
// fib_table_insert() (trie-change/), which reaches it through fib_create_info() -> fib_check_nh().

import { maskOf, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown, ignoreLinkdownKnown } from '../snapshot/snapshot.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import { tableAliases, type FibTable } from '../snapshot/fib-table.js';
import { fibPropsError, RT_TABLE_LOCAL, RT_TABLE_MAIN, type RouteType } from '../uapi/rtnetlink.js';
import type { Errno } from '../uapi/errno.js';
import { LEGACY_TOS_MASK, type Flow } from '../net/flow.js';
import { nexthopIsBlackhole, type NexthopObject } from '../snapshot/nexthop-object.js';

/** A nexthop as a lookup sees it: a route's own fib_nh, or a nexthop object's. */
export interface ResolvedNh {
  readonly dev: number;
  readonly gw: Ip4 | null;
  /** An IPv6 gateway (canonical text): a route's `via inet6`, or a v6 nexthop object's. */
  readonly gw6?: string;
  /** nhc_family AF_INET6: the nexthop is a v6 nexthop object's fib6_nh (fib_result_prefsrc() then selects with no gateway). */
  readonly v6nhc?: boolean;
  readonly scope: number;
  readonly dead: boolean;
  readonly linkdown: boolean;
  readonly weight: number;
  /** fib_nh_upper_bound == -1 at the last fib_rebalance() (absent: as the flags say now). */
  readonly lbExcluded?: boolean;
  /** nh_tclassid (realms) of a route's own nexthop; absent for nexthop objects. */
  readonly tclassid?: number;
}

/** struct fib_result. */
export interface FibResult {
  /** The table whose lookup answered (res->table). */
  readonly table: number;
  readonly dst: Ip4;
  readonly plen: number;
  readonly alias: FibAlias;
  readonly type: RouteType;
  readonly nh: ResolvedNh;
  readonly nhIndex: number;
  /** res->tclassid: the realms (FRA_FLOW) of the rule that gave the result (__fib_lookup()); absent for 0. */
  readonly tclassid?: number;
}

export type LookupOutcome = { readonly ok: true; readonly res: FibResult } | { readonly ok: false; readonly errno: Errno };

export interface LookupFlags {
  /** FIB_LOOKUP_IGNORE_LINKSTATE: linkdown nexthops count as good even where ignore_routes_with_linkdown applies. */
  readonly ignoreLinkstate?: boolean;
  /**
   * The value to take for a device whose ignore_routes_with_linkdown is not known (an
   * imported state): the caller's assumption (route/devconf-assume.ts), which records that
   * the answer read it. Without it the stored value (0) is taken.
   */
  readonly linkdownUnknown?: (dev: number) => boolean;
}

/** The nexthops of a route, resolving a nexthop object (group members in order). */
export function aliasNexthops(s: FibSnapshot, alias: FibAlias): readonly ResolvedNh[] | 'blackhole' {
  const info = alias.info;
  if (info.nhid === 0) return info.nhs;
  const obj = s.nexthops.get(info.nhid);
  if (obj === undefined) return [];
  if (nexthopIsBlackhole(s.nexthops, obj)) return 'blackhole';
  if (obj.kind === 'blackhole') return [];
  if (obj.kind === 'single') {
    return [objNh(obj, 1)];
  }
  const out: ResolvedNh[] = [];
  eachGroupSingle(s, obj, (o, weight) => out.push(objNh(o, weight)));
  return out;
}

/** A group's members that are single nexthops, in order, with their weights (the legs of aliasNexthops()). */
function eachGroupSingle(s: FibSnapshot, group: NexthopObject & { readonly kind: 'group' }, f: (o: NexthopObject & { readonly kind: 'single' }, weight: number) => void): void {
  for (const m of group.members) {
    const o = s.nexthops.get(m.id);
    if (o !== undefined && o.kind === 'single') f(o, m.weight);
  }
}

/**
 * RTNH_F_ONLINK of each of aliasNexthops()'s nexthops, in the same order: a route's own
 * nexthop's, or the nexthop object's (a group's members', each its own: nh_fill_node()/
 * fib_add_nexthop() dump a member's nhc_flags with its leg).
 */
export function aliasNexthopsOnlink(s: FibSnapshot, alias: FibAlias): readonly boolean[] {
  const info = alias.info;
  if (info.nhid === 0) return info.nhs.map((nh) => nh.onlink === true);
  const obj = s.nexthops.get(info.nhid);
  if (obj === undefined || obj.kind === 'blackhole') return [];
  if (obj.kind === 'single') return [obj.onlink];
  const out: boolean[] = [];
  eachGroupSingle(s, obj, (o) => out.push(o.onlink));
  return out;
}

function objNh(o: NexthopObject & { readonly kind: 'single' }, weight: number): ResolvedNh {
  if (o.v6 !== true) return { dev: o.dev, gw: o.gw, scope: o.scope, dead: false, linkdown: false, weight };
  return { dev: o.dev, gw: null, ...(o.gw6 === undefined ? {} : { gw6: o.gw6 }), v6nhc: true, scope: o.scope, dead: false, linkdown: false, weight };
}

/**
 * The tables a lookup in `tableId` walks, highest tb_id first at each prefix. Until the
 * first rule is added, local and main share one trie (fib_new_table's alias; undone by
 * fib_unmerge), so a lookup in either sees both.
 */
function lookupView(s: FibSnapshot, tableId: number): FibTable[] | undefined {
  const t = s.tables.get(tableId);
  if (t === undefined) return undefined;
  if (!s.customRules && (tableId === RT_TABLE_MAIN || tableId === RT_TABLE_LOCAL)) {
    const local = s.tables.get(RT_TABLE_LOCAL);
    const main = s.tables.get(RT_TABLE_MAIN);
    return [local, main].filter((x): x is FibTable => x !== undefined);
  }
  return [t];
}

/** fib_lookup_good_nhc(). */
function goodNh(s: FibSnapshot, nh: ResolvedNh, flow: Flow, flags: LookupFlags): boolean {
  if (nh.dead) return false;
  if (nh.linkdown && !flags.ignoreLinkstate) {
    const known = ignoreLinkdownKnown(s, nh.dev);
    if (known ?? (flags.linkdownUnknown !== undefined ? flags.linkdownUnknown(nh.dev) : ignoreLinkdown(s, nh.dev))) return false;
  }
  if (flow.oif !== 0 && flow.oif !== nh.dev) return false;
  return true;
}

/**
 * fib_table_lookup(): longest prefix first; at each prefix the aliases in order; an
 * error-type alias ends the lookup with its error (throw: EAGAIN, "try the next rule");
 * a route whose nexthops are all unusable is passed over.
 *
 * @returns the result, or EAGAIN when nothing matched, or the alias's error.
 */
export function fibTableLookup(s: FibSnapshot, tableId: number, flow: Flow, flags: LookupFlags = {}): LookupOutcome {
  const view = lookupView(s, tableId);
  if (view === undefined) return { ok: false, errno: 'EAGAIN' };
  const ftos = flow.tos & LEGACY_TOS_MASK;
  for (let plen = 32; plen >= 0; plen--) {
    let present = false;
    for (let i = 0; i < view.length; i++) if (((view[i] as FibTable).lenCounts[plen] ?? 0) > 0) present = true;
    if (!present) continue;
    const dst = (flow.daddr & maskOf(plen)) >>> 0;
    for (const t of view) {
      for (const alias of tableAliases(t, dst, plen)) {
        if (alias.tos !== 0 && alias.tos !== ftos) continue;
        if (alias.info.scope < flow.scope) continue;
        const err = fibPropsError(alias.type);
        if (err !== null) return { ok: false, errno: err };
        if (alias.info.dead) continue;
        const nhs = aliasNexthops(s, alias);
        if (nhs === 'blackhole') return { ok: false, errno: 'EINVAL' };
        for (let i = 0; i < nhs.length; i++) {
          const nh = nhs[i] as ResolvedNh;
          if (!goodNh(s, nh, flow, flags)) continue;
          return { ok: true, res: { table: tableId, dst, plen, alias, type: alias.type, nh, nhIndex: i } };
        }
      }
    }
  }
  return { ok: false, errno: 'EAGAIN' };
}

