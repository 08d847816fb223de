// Compiling a snapshot for fast destination-only lookups: what `ip route get DST` (no
// from/oif/iif/mark/tos/uid) answers, precomputed per table prefix, so an engine only
// needs a longest-prefix match per table and a short rule walk.
//
// Why this is exact for such flows: fib_table_lookup() with a fixed flow (tos 0, no
// oif, scope universe) answers from the longest prefix that has a usable alias, and
// whether an alias is usable depends only on the snapshot. So each prefix either has a
// fixed answer (a route, or an error type) or is transparent (the lookup falls through
// to shorter prefixes): transparent prefixes are simply left out of the compiled table.
// The rule walk is evaluated against the same default flow (iif lo, oif 0, mark 0, uid
// 0, udp, ports 0, saddr 0): each rule either matches every destination in its `to`
// prefix or none.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { aliasNexthops, ruleMatches, gotoTarget, type ResolvedNh } from '../route/fib-lookup.js';
import { makeFlow, LOOPBACK_IFINDEX } from '../route/flow.js';
import { tableLeaves, type FibTable } from './fib-table.js';
import { fibPropsError, RT_SCOPE_LINK, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type Errno, type RouteType } from '../semantics/rtnetlink.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import { inetSelectAddr } from '../devinet/select-addr.js';
import type { FibAlias } from '../semantics/fib-info.js';
import type { Ip4 } from '../net/ip4.js';

/** A precomputed answer of one table prefix. */
export type CompiledAnswer =
  | {
      readonly kind: 'route';
      readonly type: RouteType;
      readonly table: number;
      readonly plen: number;
      readonly dev: number;
      readonly gateway: Ip4 | null;
      /** Source address; for local routes without prefsrc the destination itself (srcIsDst). */
      readonly src: Ip4;
      readonly srcIsDst: boolean;
      readonly tos: number;
      /** Interface group of the first nexthop's device (suppress_ifgroup). */
      readonly group: number;
    }
  | { readonly kind: 'error'; readonly errno: Errno; readonly plen: number };

/** One table as LPM entries: value = index into `answers` + 1. */
export interface CompiledTable {
  readonly id: number;
  readonly entries: readonly { readonly prefix: Ip4; readonly len: number; readonly value: number }[];
}

export type CompiledRule =
  | { readonly kind: 'never' }
  | {
      readonly kind: 'lookup';
      readonly dst: Ip4;
      readonly dstLen: number;
      /** Index into `tables`, or -1 when the table does not exist. */
      readonly table: number;
      readonly suppressPrefixlen: number;
      readonly suppressIfgroup: number;
    }
  | { readonly kind: 'error'; readonly dst: Ip4; readonly dstLen: number; readonly errno: Errno }
  | { readonly kind: 'goto'; readonly dst: Ip4; readonly dstLen: number; readonly target: number }
  | { readonly kind: 'nop'; readonly dst: Ip4; readonly dstLen: number };

export interface CompiledFib {
  readonly generation: number;
  readonly answers: readonly CompiledAnswer[];
  readonly tables: readonly CompiledTable[];
  /** null: the fast path (main with local merged, then default). */
  readonly rules: readonly CompiledRule[] | null;
  /** Indexes into `tables` of the fast path's two lookups (-1 when absent). */
  readonly fastMain: number;
  readonly fastDefault: number;
}

/** What compile() decides for one prefix: the first alias that answers, or nothing. */
export function prefixAnswer(s: FibSnapshot, tableId: number, aliases: readonly FibAlias[], plen: number): CompiledAnswer | null {
  for (const alias of aliases) {
    if (alias.tos !== 0) continue;
    const err = fibPropsError(alias.type);
    if (err !== null) return { kind: 'error', errno: err, plen };
    if (alias.info.dead) continue;
    const nhs = aliasNexthops(s, alias);
    if (nhs === 'blackhole') return { kind: 'error', errno: 'EINVAL', plen };
    const nh = nhs.find((n: ResolvedNh) => !n.dead && !(n.linkdown && ignoreLinkdown(s, n.dev)));
    if (nh === undefined) continue;
    const dev = s.devices.get(nh.dev);
    if (alias.type === 'local') {
      return {
        kind: 'route',
        type: 'local',
        table: tableId,
        plen,
        dev: LOOPBACK_IFINDEX,
        gateway: null,
        src: alias.info.prefsrc,
        srcIsDst: alias.info.prefsrc === 0,
        tos: 0,
        group: dev?.group ?? 0,
      };
    }
    const src = alias.info.prefsrc !== 0 ? alias.info.prefsrc : inetSelectAddr(s, nh.dev, nh.gw ?? 0, alias.info.scope);
    return {
      kind: 'route',
      type: alias.type,
      table: tableId,
      plen,
      dev: nh.dev,
      gateway: alias.type !== 'broadcast' && nh.gw !== null && nh.scope === RT_SCOPE_LINK ? nh.gw : null,
      src,
      srcIsDst: false,
      tos: 0,
      group: dev?.group ?? 0,
    };
  }
  return null;
}

function compileView(s: FibSnapshot, id: number, view: readonly FibTable[], answers: CompiledAnswer[]): CompiledTable {
  // Merge the tables of the view prefix by prefix, highest table id first (local before main).
  const byKey = new Map<string, { prefix: Ip4; len: number; aliases: FibAlias[] }>();
  for (const t of view) {
    for (const leaf of tableLeaves(t)) {
      const k = `${leaf.dst}/${leaf.plen}`;
      const e = byKey.get(k);
      if (e === undefined) byKey.set(k, { prefix: leaf.dst, len: leaf.plen, aliases: [...leaf.aliases] });
      else e.aliases.push(...leaf.aliases);
    }
  }
  const entries: { prefix: Ip4; len: number; value: number }[] = [];
  for (const e of byKey.values()) {
    const a = prefixAnswer(s, id, e.aliases, e.len);
    if (a === null) continue;
    answers.push(a);
    entries.push({ prefix: e.prefix, len: e.len, value: answers.length });
  }
  return { id, entries };
}

/** The tables a lookup in `id` sees (local merged into main before the first rule). */
function viewOf(s: FibSnapshot, id: number): FibTable[] | undefined {
  const t = s.tables.get(id);
  if (t === undefined) return undefined;
  if (!s.customRules && (id === RT_TABLE_MAIN || id === RT_TABLE_LOCAL)) {
    return [s.tables.get(RT_TABLE_LOCAL), s.tables.get(RT_TABLE_MAIN)].filter((x): x is FibTable => x !== undefined);
  }
  return [t];
}

/** Compiles a snapshot for destination-only lookups. */
export function compileSnapshot(s: FibSnapshot): CompiledFib {
  const answers: CompiledAnswer[] = [];
  const tables: CompiledTable[] = [];
  const index = new Map<number, number>();
  const tableIndex = (id: number): number => {
    const known = index.get(id);
    if (known !== undefined) return known;
    const view = viewOf(s, id);
    if (view === undefined) return -1;
    tables.push(compileView(s, id, view, answers));
    index.set(id, tables.length - 1);
    return tables.length - 1;
  };
  if (!s.customRules) {
    const fastMain = tableIndex(RT_TABLE_MAIN);
    const fastDefault = tableIndex(RT_TABLE_DEFAULT);
    return { generation: s.generation, answers, tables, rules: null, fastMain, fastDefault };
  }
  const probe = makeFlow({ daddr: 0, proto: 17 });
  const rules: CompiledRule[] = s.rules.map((r): CompiledRule => {
    // Evaluate every selector but `to` against the default flow.
    if (!ruleMatches(s, { ...r, dst: 0, dstLen: 0, not: false }, probe)) return r.not ? { kind: 'lookup', dst: 0, dstLen: 0, table: -1, suppressPrefixlen: -1, suppressIfgroup: -1 } : { kind: 'never' };
    if (r.not) {
      // `not` with only a `to` selector left: matches outside the prefix; rare, kept exact by the reference path.
      return { kind: 'never' };
    }
    switch (r.action) {
      case 'lookup':
        return { kind: 'lookup', dst: r.dst, dstLen: r.dstLen, table: tableIndex(r.table), suppressPrefixlen: r.suppressPrefixlen, suppressIfgroup: r.suppressIfgroup };
      case 'goto': {
        const t = gotoTarget(s.rules, r);
        return t === null ? { kind: 'nop', dst: r.dst, dstLen: r.dstLen } : { kind: 'goto', dst: r.dst, dstLen: r.dstLen, target: t };
      }
      case 'nop':
        return { kind: 'nop', dst: r.dst, dstLen: r.dstLen };
      case 'blackhole':
        return { kind: 'error', dst: r.dst, dstLen: r.dstLen, errno: 'EINVAL' };
      case 'unreachable':
        return { kind: 'error', dst: r.dst, dstLen: r.dstLen, errno: 'ENETUNREACH' };
      case 'prohibit':
        return { kind: 'error', dst: r.dst, dstLen: r.dstLen, errno: 'EACCES' };
    }
  });
  return { generation: s.generation, answers, tables, rules, fastMain: -1, fastDefault: -1 };
}
