// What each table prefix answers for the destination-only flow (compile.ts describes the
// whole compile): fib_table_lookup() at one prefix, with the flow fixed, picks the first
// usable alias (fib_props, the nexthop checks, ignore_routes_with_linkdown) or stops at an
// error type; interned here by alias so that a compile works each distinct alias list out once.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { aliasNexthops, type ResolvedNh } from '../../core/trie/fib-table-lookup.js';
import { LOOPBACK_IFINDEX } from '../../core/net/flow.js';
import { tableAliases, type FibTable } from '../../core/snapshot/fib-table.js';
import { aliasHash, sameAlias } from '../../core/snapshot/alias-sig.js';
import { fibPropsError, RT_SCOPE_LINK, type RouteType } from '../../core/uapi/rtnetlink.js';
import type { Errno } from '../../core/uapi/errno.js';
import { ignoreLinkdown, ignoreLinkdownKnown } from '../../core/snapshot/snapshot.js';
import { inDevOrconf } from '../../core/snapshot/devconf.js';
import { localnetGap } from '../../core/snapshot/select-addr.js';
import { nhSaddr, type NhSaddr } from '../../core/route/nh-saddr.js';
import { nhGw4 } from '../../core/route/prefsrc.js';
import { outputTclassid, type OutputTclassid } from '../../core/route/rt-class-tag.js';
import { localCaches, rtCacheMixed } from '../../core/route/rt-cache-output.js';
import type { FibMetrics } from '../../core/snapshot/fib-metrics.js';
import type { FibAlias } from '../../core/snapshot/fib-info.js';
import { maskOf, type Ip4 } from '../../core/net/ip4.js';

/**
 * What one table prefix answers for the destination-only flow: the first usable alias
 * (a route through its first usable nexthop), or the error of an error-type alias.
 */
export type CompiledAnswer =
  | {
      readonly kind: 'route';
      readonly type: RouteType;
      /** The output device: lo for local routes, else the nexthop's device. */
      readonly dev: number;
      /** __mkroute_output(): an output device that does not exist is EINVAL. */
      readonly devExists: boolean;
      /** The output device is a loopback (RTCF_LOCAL). */
      readonly loopbackDev: boolean;
      /** The output device is up (a multicast route is RTCF_LOCAL for 224.0.0.1 only then). */
      readonly devUp: boolean;
      /** A loopback source is EINVAL on this device (route_localnet 0, not a loopback). */
      readonly localnetStrict: boolean;
      /**
       * route_localnet of the output device is not known (an imported state): a loopback
       * source is then a named gap, as route-output.ts finish() names it.
       */
      readonly localnetUnknown?: string;
      /** The nexthop's gateway when its scope is link (rt_fill_info() prints it), else null. */
      readonly gateway: Ip4 | null;
      /** The nexthop's IPv6 gateway (RTA_VIA) when its scope is link; absent otherwise. */
      readonly gateway6?: string;
      /** Source address (fib_result_prefsrc); for local routes without prefsrc, see srcIsDst. */
      readonly src: Ip4;
      /** Local route without prefsrc: the source is the destination itself. */
      readonly srcIsDst: boolean;
      /** Group of the device of the route's first nexthop (fib4_rule_suppress), null for none. */
      readonly group: number | null;
      /** The fib_info's metrics (RTA_METRICS of an answer with a fib_info), or null. */
      readonly metrics: FibMetrics | null;
      /** The nexthop's realms (nh_tclassid). */
      readonly nhFlow: number;
      /** The realms of the answer when __mkroute_output() caches it (or why they cannot be told). */
      readonly cachedFlow: OutputTclassid;
      /**
       * The nexthop's per-CPU cached output route may be another kind of destination's
       * (core/route/rt-cache-output.ts): for every destination that caches ('any'), or
       * only for a multicast one (a local route off lo caches only those). Absent: never.
       */
      readonly cacheMixed?: 'any' | 'multicast';
      /** Set when the source depends on what the model cannot know (nh-saddr.ts). */
      readonly gap?: string;
    }
  | { readonly kind: 'error'; readonly errno: Errno };

/** A cover: the answer of the longest answering prefix of a view, and that prefix's length. */
export interface Cover {
  readonly answer: number;
  readonly plen: number;
}

/**
 * Interns the answers of one snapshot's aliases. Valid as long as devices, devconf,
 * nexthop objects, nh_saddr marks and net.ipv4 sysctls are those of `s` (envChange() in
 * _fib-lpm-lineage.ts; routes may change: an answer depends on an alias, not on its table,
 * and on the nexthops where lookups of two kinds cache, which envChange() keeps the same).
 *
 * @example
 *   const at = new AnswerTable(s);
 *   const a = at.leafAnswer(tableAliases(main, 0x0a000000, 8)); // -1: transparent
 */
export class AnswerTable {
  readonly answers: CompiledAnswer[] = [];
  private readonly ids = new Map<string, number>();
  /** Aliases seen, by a hash of what their answer depends on (aliasHash), with their answer. */
  private readonly bySig = new Map<number, { readonly alias: FibAlias; readonly id: number }[]>();

  constructor(readonly s: FibSnapshot) {}

  /** The id of an answer (interned by content). */
  intern(a: CompiledAnswer): number {
    const key = JSON.stringify(a);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.answers.length;
      this.answers.push(a);
      this.ids.set(key, id);
    }
    return id;
  }

  /**
   * What one alias answers for the destination-only flow, or -1 when fib_table_lookup()
   * passes over it. Cached by what the answer depends on (type, prefsrc, scope, nexthops
   * and their flags): the model does not intern equal fib_infos, and a full table has
   * hundreds of thousands of routes through a few nexthops.
   *
   * 1. Another tos than 0: skipped (fib_dscp_masked_match with the flow's tos 0).
   * 2. An error type (unreachable, prohibit, blackhole, throw): that error (fib_props).
   * 3. A dead route: skipped. A blackhole nexthop object: EINVAL.
   * 4. The first nexthop that is not dead, nor linkdown where ignore_routes_with_linkdown
   *    applies (fib_lookup_good_nhc); none: skipped.
   */
  aliasAnswer(alias: FibAlias): number {
    if (alias.tos !== 0) return -1;
    const h = aliasHash(0, alias);
    let bucket = this.bySig.get(h);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) {
        const e = bucket[i]!;
        if (sameAlias(e.alias, alias)) return e.id;
      }
    } else {
      bucket = [];
      this.bySig.set(h, bucket);
    }
    const err = fibPropsError(alias.type);
    let id: number;
    if (err !== null) id = this.intern({ kind: 'error', errno: err });
    else {
      const a = routeAnswer(this.s, alias);
      id = a === null ? -1 : this.intern(a);
    }
    bucket.push({ alias, id });
    return id;
  }

  /** What a prefix answers: its first alias that answers, or -1 (transparent). */
  leafAnswer(aliases: readonly FibAlias[]): number {
    for (let i = 0; i < aliases.length; i++) {
      const id = this.aliasAnswer(aliases[i] as FibAlias);
      if (id >= 0) return id;
    }
    return -1;
  }

  /** What a prefix answers in a view (its tables in order), or -1. */
  viewAnswer(tables: readonly FibTable[], dst: Ip4, plen: number): number {
    for (const t of tables) {
      if ((t.lenCounts[plen] ?? 0) === 0) continue;
      const id = this.leafAnswer(tableAliases(t, dst, plen));
      if (id >= 0) return id;
    }
    return -1;
  }

  /**
   * The cover of prefix dst/plen in a view: the longest prefix no longer than plen that
   * contains it and answers (fib_table_lookup() from that prefix down), or null.
   */
  viewCover(tables: readonly FibTable[], dst: Ip4, plen: number): Cover | null {
    for (let l = plen; l >= 0; l--) {
      const id = this.viewAnswer(tables, (dst & maskOf(l)) >>> 0, l);
      if (id >= 0) return { answer: id, plen: l };
    }
    return null;
  }
}

/** What a usable alias of a route type answers (steps 3-4 of aliasAnswer), or null. */
function routeAnswer(s: FibSnapshot, alias: FibAlias): CompiledAnswer | null {
  const info = alias.info;
  if (info.dead) return null;
  const nhs = aliasNexthops(s, alias);
  if (nhs === 'blackhole') return { kind: 'error', errno: 'EINVAL' };
  const nh = nhs.find((n: ResolvedNh) => !n.dead && !(n.linkdown && ignoreLinkdown(s, n.dev)));
  // fib_lookup_good_nhc() read an ignore_routes_with_linkdown the imported state does not
  // give (taken as stored, 0): the answer is named, as routeGet() names it.
  const linkdownRead = nhs.find((n: ResolvedNh) => !n.dead && n.linkdown && ignoreLinkdownKnown(s, n.dev) === null && (nh === undefined || nhs.indexOf(n) <= nhs.indexOf(nh)));
  const linkdownGap = linkdownRead === undefined ? undefined : `an answer that depends on values the model does not know: net.ipv4.conf.all/${s.devices.get(linkdownRead.dev)?.name ?? linkdownRead.dev}.ignore_routes_with_linkdown (not in the imported state)`;
  if (nh === undefined) return null;
  // fib_result_prefsrc(): prefsrc, else the nexthop's nh_saddr (nh-saddr.ts); local routes
  // use prefsrc or the destination (ip_route_output_key_hash_rcu()).
  // fib4_rule_suppress() reads the first fib_nh of the route (none for nexthop objects).
  const first = info.nhs[0];
  const groupDev = first === undefined ? undefined : s.devices.get(first.dev);
  const local = alias.type === 'local';
  // ip_route_output_key_hash_rcu(): a local result goes out through lo.
  const dev = local ? LOOPBACK_IFINDEX : nh.dev;
  const out = s.devices.get(dev);
  const localnet = out === undefined || out.kind === 'loopback' ? true : inDevOrconf(s.confAll, out.conf, 'route_localnet');
  const saddr: NhSaddr = info.prefsrc !== 0 || local ? { addr: info.prefsrc } : nhSaddr(s, info, nhs.indexOf(nh), nh.dev, nhGw4(nh));
  // __mkroute_output(): whether this leg's per-CPU cached route may be another kind's.
  const mixed = rtCacheMixed(s, info, alias.type, nhs.indexOf(nh));
  return {
    kind: 'route',
    type: alias.type,
    dev,
    devExists: out !== undefined,
    loopbackDev: out?.kind === 'loopback',
    devUp: out?.up === true,
    // IN_DEV_ROUTE_LOCALNET() is IN_DEV_ORCONF(): the device's value or conf/all's (null: not known).
    localnetStrict: localnet === false,
    ...(localnet === null ? { localnetUnknown: localnetGap(s, dev) } : {}),
    gateway: nh.gw !== null && nh.scope === RT_SCOPE_LINK ? nh.gw : null,
    ...(nh.gw6 !== undefined && nh.scope === RT_SCOPE_LINK ? { gateway6: nh.gw6 } : {}),
    src: saddr.addr,
    srcIsDst: local && info.prefsrc === 0,
    group: groupDev === undefined ? null : groupDev.group,
    metrics: info.metrics ?? null,
    nhFlow: nh.tclassid ?? 0,
    // rt_set_nexthop() for a route __mkroute_output() caches (rt-class-tag.ts).
    cachedFlow: outputTclassid(s, nh.tclassid ?? 0, 0, true, { table: info.tbId, nexthopObject: info.nhid !== 0 }),
    ...(mixed ? { cacheMixed: !local || localCaches(s, nh.dev) ? ('any' as const) : ('multicast' as const) } : {}),
    ...(saddr.gap !== undefined ? { gap: saddr.gap } : linkdownGap !== undefined ? { gap: linkdownGap } : {}),
  };
}
