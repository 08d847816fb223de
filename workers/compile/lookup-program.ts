// How fib_lookup() combines the tables for the destination-only flow (compile.ts describes
// the whole compile): the fast path over local, main and default when no rule was added, or
// fib_rules_lookup() over the rules, each of which matches inside its `to` prefix, outside it,
// everywhere or nowhere for this flow.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { ruleMatches, gotoTarget } from '../../core/rules/fib-rules-lookup.js';
import { makeFlow } from '../../core/net/flow.js';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../../core/uapi/rtnetlink.js';
import type { Errno } from '../../core/uapi/errno.js';
import { maskOf, type Ip4 } from '../../core/net/ip4.js';
import type { CompiledAnswer, Cover } from './answer-table.js';

/** What a rule does once it matches (fib4_rule_action), with goto resolved to an index. */
export type CompiledAction =
  | {
      readonly kind: 'lookup';
      readonly table: number;
      /** The table exists (else the lookup is EAGAIN: the next rule). */
      readonly exists: boolean;
      readonly suppressPrefixlen: number;
      readonly suppressIfgroup: number;
      /** The rule's realms (FRA_FLOW): res->tclassid of a result it gives. */
      readonly flow: number;
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

/** The result of a program: a table answer (and the table the lookup was made in), or an errno. */
export type WalkResult =
  | {
      readonly answer: number;
      readonly table: number;
      /** The length of the prefix that answered (__mkroute_output(): a multicast route shorter than /4 loses its fib_info). */
      readonly plen: number;
      /** The realms of the rule that gave the result (0 on the fast path). */
      readonly ruleFlow: number;
    }
  | { readonly errno: Errno };

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
    const r = s.rules.at(k.index)!;
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
            flow: r.flow ?? 0,
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
      case 'unreachable':
        return { ...sel, action: { kind: 'error', errno: 'ENETUNREACH' } };
      case 'prohibit':
        return { ...sel, action: { kind: 'error', errno: 'EACCES' } };
      default:
        // fib4_rule_action(): blackhole and every action without a meaning (`action N`).
        return { ...sel, action: { kind: 'error', errno: 'EINVAL' } };
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
      return a.kind === 'error' ? { errno: a.errno } : { answer: c.answer, table, plen: c.plen, ruleFlow: 0 };
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
        return { answer: c.answer, table: act.table, plen: c.plen, ruleFlow: act.flow };
      }
    }
  }
  return { errno: 'ENETUNREACH' };
}
