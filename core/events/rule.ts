// Rule events: RTM_NEWRULE / RTM_DELRULE (fib_nl_newrule, fib_nl_delrule).

import type { Ip4 } from '../net/ip4.js';

/** A rule's selectors and action as a request carries them (struct fib_rule_hdr + FRA_*; struct fib_rule). */
export type RuleAction = 'lookup' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit' | OtherRuleAction;

/**
 * A frh.action without an FR_ACT_* meaning (0, 4, 5, 9..255): fib_nl2rule() takes any u8,
 * `ip rule add … type anycast|multicast|throw|nat|xresolve|N` sends one, and
 * fib4_rule_action() answers EINVAL for it, as for blackhole.
 */
export type OtherRuleAction = `action ${number}`;

const NAMED_ACTIONS: readonly (readonly [number, RuleAction])[] = [
  [1, 'lookup'],
  [2, 'goto'],
  [3, 'nop'],
  [6, 'blackhole'],
  [7, 'unreachable'],
  [8, 'prohibit'],
];

/** frh.action (a u8) to the model's action. */
export function ruleActionOf(n: number): RuleAction {
  return NAMED_ACTIONS.find(([k]) => k === n)?.[1] ?? `action ${n}`;
}

/** The model's action to frh.action. */
export function frAction(a: RuleAction): number {
  const named = NAMED_ACTIONS.find(([, v]) => v === a);
  return named !== undefined ? named[0] : Number(a.slice('action '.length));
}

/** Whether a string is a RuleAction (event logs). */
export function isRuleAction(v: string): v is RuleAction {
  if (NAMED_ACTIONS.some(([, a]) => a === v)) return true;
  const m = /^action (0|[1-9][0-9]{0,2})$/.exec(v);
  return m !== null && Number(m[1]) <= 255 && ruleActionOf(Number(m[1])) === v;
}

export interface FibRule {
  readonly priority: number;
  /** FIB_RULE_INVERT. */
  readonly not: boolean;
  readonly src: Ip4;
  readonly srcLen: number;
  readonly dst: Ip4;
  readonly dstLen: number;
  readonly tos: number;
  readonly fwmark: number;
  readonly fwmask: number;
  readonly iifName: string | null;
  readonly oifName: string | null;
  readonly uidStart: number | null;
  readonly uidEnd: number | null;
  readonly ipproto: number;
  readonly sport: readonly [number, number] | null;
  readonly dport: readonly [number, number] | null;
  readonly action: RuleAction;
  /** lookup: the table id. */
  readonly table: number;
  /** goto: the target priority. */
  readonly gotoTarget: number;
  /** -1 when unset. */
  readonly suppressPrefixlen: number;
  /** -1 when unset. */
  readonly suppressIfgroup: number;
  /** FRA_PROTOCOL (RTPROT_KERNEL for the default rules). */
  readonly protocol: number;
  /** FRA_L3MDEV. */
  readonly l3mdev: boolean;
  /**
   * FRA_FLOW (`realms [FROM/]TO`, rule4->tclassid): absent when the request had none. Only
   * a request that carries it compares it (fib4_rule_compare()); the kernel dumps it only
   * when not 0 (fib4_rule_fill()).
   */
  readonly flow?: number;
}

/** A rule to add; priority null means "let the kernel choose" (fib_default_rule_pref). table 0 with lookup: the kernel picks an empty table. */
export interface RuleAddEvent {
  readonly type: 'rule-add';
  readonly rule: Omit<FibRule, 'priority'> & { readonly priority: number | null };
  /**
   * false: the request had no NLM_F_EXCL, and fib_newrule() then accepts a rule identical
   * to one in the list (a duplicate). Absent or true: NLM_F_EXCL, as iproute2's `ip rule
   * add` asks it, and an identical rule is EEXIST. A notification (RTM_NEWRULE from a
   * capture) is an add the kernel accepted: false.
   */
  readonly exclusive?: boolean;
}

/** Which fields a delete request carries; the first rule matching all of them goes. */
export type RuleMatch = Partial<FibRule>;

export interface RuleDelEvent {
  readonly type: 'rule-del';
  readonly match: RuleMatch;
}

export type RuleEvent = RuleAddEvent | RuleDelEvent;
