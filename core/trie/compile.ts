// Compiling a snapshot for destination-only lookups: what `ip route get DST` (no
// from/iif/oif/mark/tos/uid/ipproto/sport/dport, no fibmatch) answers, taken apart into
// what each table prefix answers (fib_table_lookup()), the policy that combines the tables
// (fib_lookup(): the fast path, or fib_rules_lookup() over the rules), and what the output
// path makes of the result (ip_route_output_key_hash_rcu(), __mkroute_output(),
// rt_fill_info()). core/lpm/fib-lpm.ts flattens the three into one longest-prefix match.
//
// Why this is exact for such flows: fib_table_lookup() with a fixed flow (tos 0, oif 0,
// scope universe) answers from the longest prefix that has a usable alias, and whether an
// alias is usable, and what it answers, depends only on the snapshot. So each prefix
// either has a fixed answer (a route, or an error type) or is transparent (the lookup
// falls through to shorter prefixes). The rule walk is evaluated against the same fixed
// flow (iif lo, oif 0, mark 0, uid 0, udp, ports 0, saddr 0, tos 0): every selector but
// `to` either always or never matches, so a rule matches inside its `to` prefix, outside
// it (`not`), everywhere or nowhere. What still depends on the destination itself is
// applied last by decodeOutcome(): 0.0.0.0, 255.255.255.255, multicast, the source of
// local routes, and a loopback source where route_localnet forbids it.
//
//   | reference (core/route/)          | here                                  |
//   |----------------------------------|---------------------------------------|
//   | fibTableLookup, one alias        | AnswerTable.aliasAnswer               |
//   | fibTableLookup, one prefix       | AnswerTable.leafAnswer / viewAnswer   |
//   | fibLookup (fast path, rules)     | compileProgram + walkProgram          |
//   | routeOutput + finish + outputAnswer | outcomeOf + decodeOutcome          |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { aliasNexthops, type ResolvedNh } from './fib-table-lookup.js';
import { ruleMatches, gotoTarget } from '../rules/fib-rules-lookup.js';
import { makeFlow, LOOPBACK_IFINDEX } from '../net/flow.js';
import type { RouteGetAnswer, RouteGetOutcome } from '../route/route-output.js';
import { tableAliases, tableForEachLeaf, type FibTable } from '../snapshot/fib-table.js';
import { pmapForEachRange } from '../snapshot/persistent-map.js';
import { aliasHash, sameAlias } from '../snapshot/alias-sig.js';
import { fibPropsError, RT_SCOPE_LINK, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTN, type RouteType } from '../uapi/rtnetlink.js';
import { type Errno } from '../uapi/errno.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import { inetSelectAddr } from '../snapshot/select-addr.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import { isLbcast, isLoopback, isMulticast, maskOf, type Ip4 } from '../net/ip4.js';

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
      /** The nexthop's gateway when its scope is link (rt_fill_info() prints it), else null. */
      readonly gateway: Ip4 | null;
      /** Source address (fib_result_prefsrc); for local routes without prefsrc, see srcIsDst. */
      readonly src: Ip4;
      /** Local route without prefsrc: the source is the destination itself. */
      readonly srcIsDst: boolean;
      /** Group of the device of the route's first nexthop (fib4_rule_suppress), null for none. */
      readonly group: number | null;
    }
  | { readonly kind: 'error'; readonly errno: Errno };

/** What `ip route get DST` answers, but for what the destination itself decides (decodeOutcome). */
export type CompiledOutcome =
  | {
      readonly kind: 'route';
      readonly type: RouteType;
      /** RTA_TABLE: the table the lookup was made in (res->table). */
      readonly table: number;
      readonly dev: number;
      readonly gateway: Ip4 | null;
      readonly src: Ip4;
      readonly srcIsDst: boolean;
      readonly loopbackDev: boolean;
      readonly devUp: boolean;
      readonly localnetStrict: boolean;
    }
  | { readonly kind: 'error'; readonly errno: Errno };

/** What a rule does once it matches (fib4_rule_action), with goto resolved to an index. */
export type CompiledAction =
  | {
      readonly kind: 'lookup';
      readonly table: number;
      /** The table exists (else the lookup is EAGAIN: the next rule). */
      readonly exists: boolean;
      readonly suppressPrefixlen: number;
      readonly suppressIfgroup: number;
    }
  | { readonly kind: 'goto'; readonly target: number }
  | { readonly kind: 'nop' }
  | { readonly kind: 'error'; readonly errno: Errno };

/**
 * A rule that can match the destination-only flow: inside `dst/dstLen`, or outside it when
 * `invert` (dstLen 0 and no invert: everywhere).
 */
export interface CompiledRule {
  readonly dst: Ip4;
  readonly dstLen: number;
  readonly invert: boolean;
  readonly action: CompiledAction;
}

/** How fib_lookup() combines the tables for the destination-only flow. */
export type LookupProgram =
  | { readonly kind: 'fast'; readonly main: boolean; readonly default: boolean }
  | { readonly kind: 'rules'; readonly rules: readonly CompiledRule[] };

/** The table lookups a program makes: the table id it reports and the tables it reads, in order. */
export interface LookupView {
  readonly table: number;
  /** Tables walked at each prefix, highest tb_id first (local before main while merged). */
  readonly sources: readonly number[];
}

/** A cover: the answer of the longest answering prefix of a view, and that prefix's length. */
export interface Cover {
  readonly answer: number;
  readonly plen: number;
}

/** The result of a program: a table answer (and the table the lookup was made in), or an errno. */
export type WalkResult = { readonly answer: number; readonly table: number } | { readonly errno: Errno };

/**
 * Interns the answers of one snapshot's aliases. Valid as long as devices, devconf and
 * nexthop objects are those of `s` (routes may change: an answer depends on an alias, not
 * on its table).
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
  if (nh === undefined) return null;
  // fib4_rule_suppress() reads the first fib_nh of the route (none for nexthop objects).
  const first = info.nhs[0];
  const groupDev = first === undefined ? undefined : s.devices.get(first.dev);
  const local = alias.type === 'local';
  // ip_route_output_key_hash_rcu(): a local result goes out through lo.
  const dev = local ? LOOPBACK_IFINDEX : nh.dev;
  const out = s.devices.get(dev);
  return {
    kind: 'route',
    type: alias.type,
    dev,
    devExists: out !== undefined,
    loopbackDev: out?.kind === 'loopback',
    devUp: out?.up === true,
    localnetStrict: out !== undefined && out.conf.values.route_localnet === 0 && out.kind !== 'loopback',
    gateway: nh.gw !== null && nh.scope === RT_SCOPE_LINK ? nh.gw : null,
    // fib_result_prefsrc(): prefsrc, else inet_select_addr(nh dev, gw, route scope);
    // local routes use prefsrc or the destination (ip_route_output_key_hash_rcu()).
    src: info.prefsrc !== 0 || local ? info.prefsrc : inetSelectAddr(s, nh.dev, nh.gw ?? 0, info.scope),
    srcIsDst: local && info.prefsrc === 0,
    group: groupDev === undefined ? null : groupDev.group,
  };
}

/**
 * The program of a snapshot: the fast path while no rule was ever added (main with local
 * merged, then default), else its rules as they act on the destination-only flow.
 *
 * 1. Evaluate every selector but `to` against the flow (ruleMatches with an empty `to`).
 * 2. Never matching: dropped (or, with `not`, matching everywhere). Matching: inside `to`,
 *    or outside it with `not` (an empty `to` with `not`: never, dropped).
 * 3. Resolve goto to the index of the first kept rule at or after its target (a dropped
 *    rule never matches, so jumping to it is the same as jumping past it); unresolved: nop.
 */
export function compileProgram(s: FibSnapshot): LookupProgram {
  if (!s.customRules) {
    return { kind: 'fast', main: s.tables.has(RT_TABLE_MAIN), default: s.tables.has(RT_TABLE_DEFAULT) };
  }
  const probe = makeFlow({ daddr: 0, proto: 17 });
  const kept: { index: number; dst: Ip4; dstLen: number; invert: boolean }[] = [];
  s.rules.forEach((r, index) => {
    const others = ruleMatches(s, { ...r, dst: 0, dstLen: 0, not: false }, probe);
    if (!others) {
      if (r.not) kept.push({ index, dst: 0, dstLen: 0, invert: false });
      return;
    }
    if (r.not && r.dstLen === 0) return;
    kept.push({ index, dst: r.dst, dstLen: r.dstLen, invert: r.not });
  });
  const firstKeptFrom = (index: number): number => {
    const k = kept.findIndex((x) => x.index >= index);
    return k < 0 ? kept.length : k;
  };
  const rules = kept.map((k, at): CompiledRule => {
    const r = s.rules[k.index]!;
    const sel = { dst: k.dst, dstLen: k.dstLen, invert: k.invert };
    switch (r.action) {
      case 'lookup':
        return {
          ...sel,
          action: {
            kind: 'lookup',
            table: r.table,
            exists: s.tables.has(r.table),
            suppressPrefixlen: r.suppressPrefixlen,
            suppressIfgroup: r.suppressIfgroup,
          },
        };
      case 'goto': {
        const t = gotoTarget(s.rules, r);
        if (t === null) return { ...sel, action: { kind: 'nop' } };
        const target = firstKeptFrom(t);
        // The kernel refuses backward gotos ("Backward goto not supported"), so this holds.
        if (target <= at) throw new Error(`Cannot compile rules: goto at priority ${r.priority} does not go forward`);
        return { ...sel, action: { kind: 'goto', target } };
      }
      case 'nop':
        return { ...sel, action: { kind: 'nop' } };
      case 'blackhole':
        return { ...sel, action: { kind: 'error', errno: 'EINVAL' } };
      case 'unreachable':
        return { ...sel, action: { kind: 'error', errno: 'ENETUNREACH' } };
      case 'prohibit':
        return { ...sel, action: { kind: 'error', errno: 'EACCES' } };
    }
  });
  return { kind: 'rules', rules };
}

/** The table lookups of a program (each table once), with the tables each one reads. */
export function programViews(s: FibSnapshot, p: LookupProgram): LookupView[] {
  if (p.kind === 'fast') {
    const views: LookupView[] = [];
    // Until the first rule, local and main share one trie (fib_new_table's alias).
    if (p.main) views.push({ table: RT_TABLE_MAIN, sources: [RT_TABLE_LOCAL, RT_TABLE_MAIN].filter((t) => s.tables.has(t)) });
    if (p.default) views.push({ table: RT_TABLE_DEFAULT, sources: [RT_TABLE_DEFAULT] });
    return views;
  }
  const seen = new Set<number>();
  const views: LookupView[] = [];
  for (const r of p.rules) {
    if (r.action.kind !== 'lookup' || !r.action.exists || seen.has(r.action.table)) continue;
    seen.add(r.action.table);
    views.push({ table: r.action.table, sources: [r.action.table] });
  }
  return views;
}

/** Whether a region (a prefix with nothing longer in it) is matched by a rule's `to`. */
export function ruleCovers(r: CompiledRule, dst: Ip4, plen: number): boolean {
  const inside = r.dstLen <= plen && (((dst ^ r.dst) >>> 0) & maskOf(r.dstLen)) === 0;
  return inside !== r.invert;
}

/**
 * fib_lookup() for the destination-only flow, given what each table's lookup answers.
 *
 * @example
 *   walkProgram(p, at.answers, (table) => covers.get(table) ?? null, (r) => ruleCovers(r, dst, 32));
 *
 * Fast path: main; when it has nothing (EAGAIN: no match, or throw) and the default table
 * exists, default; an error route in main is the answer; EAGAIN becomes ENETUNREACH.
 * Rules, in order (fib_rules_lookup): a rule that does not match, nop, an unresolved goto,
 * a lookup that gives EAGAIN (missing table, no match, throw) or a suppressed route
 * (fib4_rule_suppress: prefix length <= suppress_prefixlength, or first nexthop's device in
 * suppress_ifgroup) goes on to the next rule; goto goes on at its target; an error action
 * or lookup error ends the walk; no rule left: ENETUNREACH.
 */
export function walkProgram(
  p: LookupProgram,
  answers: readonly CompiledAnswer[],
  cover: (table: number) => Cover | null,
  matches: (r: CompiledRule) => boolean,
): WalkResult {
  if (p.kind === 'fast') {
    let out: WalkResult = { errno: 'EAGAIN' };
    const lookup = (table: number): WalkResult => {
      const c = cover(table);
      if (c === null) return { errno: 'EAGAIN' };
      const a = answers[c.answer]!;
      return a.kind === 'error' ? { errno: a.errno } : { answer: c.answer, table };
    };
    if (p.main) out = lookup(RT_TABLE_MAIN);
    if ('errno' in out && out.errno === 'EAGAIN' && p.default) out = lookup(RT_TABLE_DEFAULT);
    return 'errno' in out && out.errno === 'EAGAIN' ? { errno: 'ENETUNREACH' } : out;
  }
  const rules = p.rules;
  let i = 0;
  while (i < rules.length) {
    const r = rules[i]!;
    if (!matches(r)) {
      i++;
      continue;
    }
    const act = r.action;
    switch (act.kind) {
      case 'goto':
        i = act.target;
        continue;
      case 'nop':
        i++;
        continue;
      case 'error':
        return { errno: act.errno };
      case 'lookup': {
        const c = act.exists ? cover(act.table) : null;
        if (c === null) {
          i++;
          continue;
        }
        const a = answers[c.answer]!;
        if (a.kind === 'error') {
          if (a.errno === 'EAGAIN') {
            i++;
            continue;
          }
          return { errno: a.errno };
        }
        if (c.plen <= act.suppressPrefixlen || (act.suppressIfgroup !== -1 && a.group === act.suppressIfgroup)) {
          i++;
          continue;
        }
        return { answer: c.answer, table: act.table };
      }
    }
  }
  return { errno: 'ENETUNREACH' };
}

/** The outcome of a walk result: a route as __mkroute_output() takes it, or the errno. */
export function outcomeOf(answers: readonly CompiledAnswer[], w: WalkResult): CompiledOutcome {
  if ('errno' in w) return { kind: 'error', errno: w.errno };
  const a = answers[w.answer]!;
  if (a.kind === 'error') return { kind: 'error', errno: a.errno };
  if (!a.devExists) return { kind: 'error', errno: 'EINVAL' };
  return {
    kind: 'route',
    type: a.type,
    table: w.table,
    dev: a.dev,
    gateway: a.gateway,
    src: a.src,
    srcIsDst: a.srcIsDst,
    loopbackDev: a.loopbackDev,
    devUp: a.devUp,
    localnetStrict: a.localnetStrict,
  };
}

const NO_FLAGS = { local: false, broadcast: false, multicast: false, redirect: false } as const;

/** `ip route get 0.0.0.0`: a local route through lo from 127.0.0.1, no FIB lookup. */
const ZERO_DST: RouteGetOutcome = {
  ok: true,
  answer: {
    kind: 'route',
    type: 'local',
    dst: 0,
    from: 0,
    tos: 0,
    gateway: null,
    dev: LOOPBACK_IFINDEX,
    table: 0,
    prefsrc: 0x7f000001,
    mark: 0,
    uid: 0,
    cache: { ...NO_FLAGS, local: true },
    iif: 0,
  },
};

/**
 * What `ip route get DST` answers, from the outcome compiled for DST's region: the part of
 * ip_route_output_key_hash_rcu(), __mkroute_output() and rt_fill_info() that depends on the
 * destination itself.
 *
 * @example
 *   decodeOutcome({ kind: 'error', errno: 'ENETUNREACH' }, 0x08080808); // { ok: false, errno: 'ENETUNREACH' }
 *
 * 1. 0.0.0.0: local through lo from 127.0.0.1, whatever the FIB says.
 * 2. An error stays an error; a loopback source where route_localnet forbids it is EINVAL.
 * 3. 255.255.255.255 is broadcast (RTCF_BROADCAST|RTCF_LOCAL), 224/4 multicast
 *    (RTCF_LOCAL only for 224.0.0.1 on an up device), otherwise the route's type and
 *    gateway; lo or a local route adds RTCF_LOCAL.
 */
export function decodeOutcome(o: CompiledOutcome, dst: Ip4): RouteGetOutcome {
  if (dst === 0) return ZERO_DST;
  if (o.kind === 'error') return { ok: false, errno: o.errno };
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") a 0.x destination is no martian.
  const saddr = o.srcIsDst ? dst : o.src;
  if (o.localnetStrict && isLoopback(saddr)) return { ok: false, errno: 'EINVAL' };
  let type = o.type;
  if (isLbcast(dst)) type = 'broadcast';
  else if (isMulticast(dst)) type = 'multicast';
  let cache: RouteGetAnswer['cache'] = o.loopbackDev ? { ...NO_FLAGS, local: true } : NO_FLAGS;
  let gateway: Ip4 | null = null;
  if (type === 'broadcast') cache = { ...cache, local: true, broadcast: true };
  else if (type === 'multicast') cache = { ...cache, multicast: true, local: dst === 0xe0000001 && o.devUp };
  else gateway = o.gateway;
  if (type === 'local') cache = { ...cache, local: true };
  return {
    ok: true,
    answer: {
      kind: 'route',
      type,
      dst,
      from: 0,
      tos: 0,
      gateway,
      dev: o.dev,
      table: o.table,
      prefsrc: saddr,
      mark: 0,
      uid: 0,
      cache,
      iif: 0,
    },
  };
}

export { aliasHash, sameAlias } from '../snapshot/alias-sig.js';

/** Calls fn for every prefix of a table strictly inside dst/plen (longer, and contained). */
export function forEachLeafInside(
  t: FibTable,
  dst: Ip4,
  plen: number,
  fn: (dst: Ip4, plen: number, aliases: readonly FibAlias[]) => void,
): void {
  if (plen >= 32) return;
  const size = 2 ** (32 - plen);
  // Keys are dst * 256 + (32 - len): the prefixes inside have dst in [dst, dst + size) and
  // len > plen, i.e. a low byte < 32 - plen (checked below, the range bounds only dst).
  const v = t.versions;
  pmapForEachRange(t.leaves, dst * 256, (dst + size) * 256, (key, aliases) => {
    const low = key & 255;
    if (low < 32 - plen) fn((key - low) / 256, 32 - low, v.list(aliases));
  });
}

/** One lookup of a compiled snapshot: its answering prefixes (value = answer index + 1). */
export interface CompiledTable {
  readonly id: number;
  readonly sources: readonly number[];
  readonly entries: readonly { readonly prefix: Ip4; readonly len: number; readonly value: number }[];
}

/** A snapshot compiled for destination-only lookups (see the header). */
export interface CompiledFib {
  readonly generation: number;
  readonly answers: readonly CompiledAnswer[];
  readonly tables: readonly CompiledTable[];
  readonly program: LookupProgram;
}

/**
 * Compiles a snapshot for destination-only lookups: per table lookup, the answer of each
 * answering prefix (transparent prefixes left out), and the program that combines them.
 * core/lpm/fib-lpm.ts flattens the result into one LPM table; this form is for reading.
 *
 * @example
 *   const c = compileSnapshot(s);
 *   c.tables.find((t) => t.id === 254)?.entries.length; // answering prefixes of main
 */
export function compileSnapshot(s: FibSnapshot): CompiledFib {
  const at = new AnswerTable(s);
  const program = compileProgram(s);
  const tables = programViews(s, program).map((v): CompiledTable => {
    const byKey = new Map<number, { prefix: Ip4; len: number; value: number }>();
    for (const id of v.sources) {
      const t = s.tables.get(id);
      if (t === undefined) continue;
      tableForEachLeaf(t, (dst, plen, aliases) => {
        const key = dst * 64 + plen;
        if (byKey.has(key)) return;
        const a = at.leafAnswer(aliases);
        if (a >= 0) byKey.set(key, { prefix: dst, len: plen, value: a + 1 });
      });
    }
    return { id: v.table, sources: v.sources, entries: [...byKey.values()] };
  });
  return { generation: s.generation, answers: at.answers, tables, program };
}
