// The reference lookup: fib_table_lookup (fib_trie.c), fib_lookup / __fib_lookup
// (ip_fib.h, fib_rules.c) with fib4_rule_match / fib4_rule_action / fib4_rule_suppress.
// This is the definition of a correct answer; compiled engines must agree with it.

import { maskOf, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { deviceByName, ignoreLinkdown } from '../snapshot/snapshot.js';
import type { FibAlias } from '../semantics/fib-info.js';
import { tableAliases, type FibTable } from '../trie/fib-table.js';
import {
  fibPropsError,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_TABLE_DEFAULT,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  type Errno,
  type RouteType,
} from '../semantics/rtnetlink.js';
import { LEGACY_TOS_MASK, type Flow } from './flow.js';
import type { FibRule } from '../rules/fib-rule.js';
import { nexthopIsBlackhole } from '../nexthop/nexthop-object.js';

/** A nexthop as a lookup sees it: a route's own fib_nh, or a nexthop object's. */
export interface ResolvedNh {
  readonly dev: number;
  readonly gw: Ip4 | null;
  readonly scope: number;
  readonly dead: boolean;
  readonly linkdown: boolean;
  readonly weight: number;
  /** fib_nh_upper_bound == -1 at the last fib_rebalance() (absent: as the flags say now). */
  readonly lbExcluded?: boolean;
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
}

export type LookupOutcome = { readonly ok: true; readonly res: FibResult } | { readonly ok: false; readonly errno: Errno };

export interface LookupFlags {
  /** FIB_LOOKUP_IGNORE_LINKSTATE: linkdown nexthops count as good even where ignore_routes_with_linkdown applies. */
  readonly ignoreLinkstate?: boolean;
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
    return [{ dev: obj.dev, gw: obj.gw, scope: obj.scope, dead: false, linkdown: false, weight: 1 }];
  }
  const out: ResolvedNh[] = [];
  for (const m of obj.members) {
    const o = s.nexthops.get(m.id);
    if (o !== undefined && o.kind === 'single') {
      out.push({ dev: o.dev, gw: o.gw, scope: o.scope, dead: false, linkdown: false, weight: m.weight });
    }
  }
  return out;
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
  if (nh.linkdown && !flags.ignoreLinkstate && ignoreLinkdown(s, nh.dev)) return false;
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

/** Whether a rule's iif/oif names a device that exists now (not FIB_RULE_*_DETACHED). */
export function ruleDevIndex(s: FibSnapshot, name: string | null): number {
  if (name === null) return 0;
  const d = deviceByName(s, name);
  return d === undefined ? -1 : d.ifindex;
}

/** fib_rule_match() with fib4_rule_match(). */
export function ruleMatches(s: FibSnapshot, r: FibRule, flow: Flow): boolean {
  const m = ((): boolean => {
    // l3mdev_fib_rule_match(): only a flow through a VRF device (none exists here) matches.
    if (r.l3mdev) return false;
    const iif = ruleDevIndex(s, r.iifName);
    if (iif !== 0 && iif !== flow.iif) return false;
    const oif = ruleDevIndex(s, r.oifName);
    if (oif !== 0 && oif !== flow.oif) return false;
    if (((r.fwmark ^ flow.mark) & r.fwmask) !== 0) return false;
    if (r.uidStart !== null && r.uidEnd !== null && (flow.uid < r.uidStart || flow.uid > r.uidEnd)) return false;
    if ((((flow.saddr ^ r.src) >>> 0) & maskOf(r.srcLen)) !== 0) return false;
    if ((((flow.daddr ^ r.dst) >>> 0) & maskOf(r.dstLen)) !== 0) return false;
    if (r.tos !== 0 && r.tos !== (flow.tos & LEGACY_TOS_MASK)) return false;
    if (r.ipproto !== 0 && r.ipproto !== flow.proto) return false;
    if (r.sport !== null && (flow.sport < r.sport[0] || flow.sport > r.sport[1])) return false;
    if (r.dport !== null && (flow.dport < r.dport[0] || flow.dport > r.dport[1])) return false;
    return true;
  })();
  return r.not ? !m : m;
}

/** The rule a goto jumps to: the first rule with the target priority (rule->ctarget), or null (unresolved). */
export function gotoTarget(rules: readonly FibRule[], r: FibRule): number | null {
  const i = rules.findIndex((x) => x.priority === r.gotoTarget);
  return i < 0 ? null : i;
}

/** fib4_rule_suppress(). */
function suppressed(s: FibSnapshot, r: FibRule, res: FibResult): boolean {
  if (res.plen <= r.suppressPrefixlen) return true;
  if (r.suppressIfgroup !== -1) {
    const first = res.alias.info.nhs[0];
    const dev = first === undefined ? undefined : s.devices.get(first.dev);
    if (dev !== undefined && dev.group === r.suppressIfgroup) return true;
  }
  return false;
}

/**
 * fib_lookup(): the fast path (main, then default) while no rule was ever added,
 * else fib_rules_lookup() over the rule list.
 */
export function fibLookup(s: FibSnapshot, flow: Flow, flags: LookupFlags = {}): LookupOutcome {
  if (!s.customRules) {
    // Only "nothing here" (EAGAIN: no match, or throw) in main goes on to default; an
    // error route in main (blackhole, unreachable, prohibit) is the answer.
    let out: LookupOutcome = { ok: false, errno: 'EAGAIN' };
    if (s.tables.has(RT_TABLE_MAIN)) out = fibTableLookup(s, RT_TABLE_MAIN, flow, flags);
    if (!out.ok && out.errno === 'EAGAIN' && s.tables.has(RT_TABLE_DEFAULT)) out = fibTableLookup(s, RT_TABLE_DEFAULT, flow, flags);
    if (!out.ok && out.errno === 'EAGAIN') return { ok: false, errno: 'ENETUNREACH' };
    return out;
  }
  const rules = s.rules;
  for (let i = 0; i < rules.length; i++) {
    let r = rules[i] as FibRule;
    let idx = i;
    // `goto jumped`: a goto re-enters the loop at its target, which must match too.
    for (;;) {
      if (!ruleMatches(s, r, flow)) break;
      if (r.action === 'goto') {
        const t = gotoTarget(rules, r);
        if (t === null) break;
        idx = t;
        r = rules[t] as FibRule;
        i = idx;
        continue;
      }
      if (r.action === 'nop') break;
      let out: LookupOutcome;
      switch (r.action) {
        case 'unreachable':
          return { ok: false, errno: 'ENETUNREACH' };
        case 'prohibit':
          return { ok: false, errno: 'EACCES' };
        case 'blackhole':
          return { ok: false, errno: 'EINVAL' };
        case 'lookup':
          out = s.tables.has(r.table) ? fibTableLookup(s, r.table, flow, flags) : { ok: false, errno: 'EAGAIN' };
          break;
      }
      if (out.ok && suppressed(s, r, out.res)) break;
      if (!out.ok && out.errno === 'EAGAIN') break;
      return out;
    }
  }
  return { ok: false, errno: 'ENETUNREACH' };
}

/**
 * inet_addr_type_dev_table / inet_addr_type_table (__inet_dev_addr_type): the type of an
 * address in a table (local by default), optionally only if the answering route uses dev.
 */
export function inetAddrType(s: FibSnapshot, addr: Ip4, tableId: number, dev?: number): RouteType | 'broadcast-default' {
  if (addr >>> 24 === 0 || addr === 0xffffffff) return 'broadcast';
  if (addr >>> 28 === 0xe) return 'multicast';
  if (!s.tables.has(tableId)) return 'broadcast-default';
  const out = fibTableLookup(s, tableId, { ...FLOW_ZERO, daddr: addr }, {});
  if (!out.ok) return 'unicast';
  if (dev === undefined) return out.res.type;
  const nhs = aliasNexthops(s, out.res.alias);
  const first = nhs === 'blackhole' ? undefined : nhs[0];
  return first !== undefined && first.dev === dev ? out.res.type : 'unicast';
}

const FLOW_ZERO: Flow = {
  daddr: 0,
  saddr: 0,
  tos: 0,
  oif: 0,
  iif: 1,
  mark: 0,
  uid: 0,
  proto: 0,
  sport: 0,
  dport: 0,
  scope: 0,
};

/** Whether addr is one of our addresses (__ip_dev_find / inet_lookup_ifaddr_rcu: on every device, whatever its state). */
export function isLocalAddress(s: FibSnapshot, addr: Ip4): boolean {
  for (const d of s.devices.values()) for (const a of d.addrs) if (a.local === addr) return true;
  return false;
}

export { RT_SCOPE_HOST, RT_SCOPE_LINK };
