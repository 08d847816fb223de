// The selectors of `ip rule show|list|lst|flush` (iproute2 6.1 ip/iprule.c:
// iprule_list_flush_or_save() parses them, filter_nlmsg() applies them to each rule of the
// kernel's dump; flush_rule() also filters on the protocol). They select whole rules and
// hide nothing from the printed line. Semantics worth knowing: a prefix selects rules at
// least as specific and inside it; fwmark without a mask compares the mark only; uid and
// port ranges must be equal; `table 0` and `protocol` (outside a flush) select nothing;
// an unknown word is read as the `to` prefix.

import { Args, CommandExit, getPrefix, invarg, matches, notModelled } from './command-context.js';
import type { FibRule } from '../events/rule.js';
import { maskOf, type Ip4 } from '../net/ip4.js';
import { dsfieldNumber, parseUnsigned, protoNumber, tableNumber } from '../uapi/rt-names.js';
import { ipprotoNumber } from './ip-proto.js';
import { checkIfname } from './ip-link.js';

export interface RuleFilter {
  readonly pref: number | null;
  readonly not: boolean;
  readonly tos: number | null;
  readonly fwmark: number;
  readonly fwmask: number;
  readonly iif: string | null;
  readonly oif: string | null;
  readonly l3mdev: boolean;
  readonly uidrange: readonly [number, number] | null;
  readonly table: number;
  readonly src: { readonly addr: Ip4; readonly len: number } | null;
  readonly dst: { readonly addr: Ip4; readonly len: number } | null;
  /** flush_rule(): `(filter.protocol ^ protocol) & filter.protocolmask`. */
  readonly protocol: number;
  readonly protocolMask: number;
  readonly ipproto: number;
  readonly sport: readonly [number, number] | null;
  readonly dport: readonly [number, number] | null;
}


/** sscanf("%hu-%hu"): one or two numbers (each taken modulo 65536, as %hu stores it). */
/** One %hu of sscanf(): strtoul() (a sign allowed, ULONG_MAX on overflow) cut to 16 bits. */
function hu(digits: string): number {
  const neg = digits.startsWith('-');
  let v = BigInt(digits.replace(/^[+-]/, ''));
  if (v > 0xffffffffffffffffn) v = 0xffffffffffffffffn;
  if (neg) v = -v;
  return Number(BigInt.asUintN(16, v));
}

/**
 * sscanf(word, "%hu-%hu"): a port, or a range when `-` and a second number follow; what
 * comes after is not read. Undefined when not even the first number is there.
 */
export function sscanfPortRange(word: string): readonly [number, number] | undefined {
  const m = /^\s*([+-]?[0-9]+)(?:-\s*([+-]?[0-9]+))?/.exec(word);
  if (m === null) return undefined;
  const lo = hu(m[1] as string);
  return [lo, m[2] === undefined ? lo : hu(m[2])];
}

function portRange(word: string, what: string): readonly [number, number] {
  const r = sscanfPortRange(word);
  if (r === undefined) invarg(`invalid ${what} range\n`, word);
  return r;
}

/** get_prefix() with the family the list settled on (AF_INET when none was given). */
function inetPrefix(word: string): { addr: Ip4; len: number } {
  try {
    return getPrefix(word);
  } catch (e) {
    if (e instanceof CommandExit) throw new CommandExit(`Error: inet prefix is expected rather than "${word}".\n`, 1);
    throw e;
  }
}

/** iprule_list_flush_or_save(): the selectors. */
export function parseRuleFilter(a: Args): RuleFilter {
  const f: { -readonly [K in keyof RuleFilter]: RuleFilter[K] } = {
    pref: null,
    not: false,
    tos: null,
    fwmark: 0,
    fwmask: 0,
    iif: null,
    oif: null,
    l3mdev: false,
    uidrange: null,
    table: 0,
    src: null,
    dst: null,
    protocol: 0,
    protocolMask: 0,
    ipproto: 0,
    sport: null,
    dport: null,
  };
  while (!a.done) {
    const w = a.cur;
    if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('preference value is invalid\n', v);
      f.pref = n;
    } else if (w === 'not') f.not = true;
    else if (w === 'tos' || w === 'dsfield') {
      const v = a.next();
      const t = dsfieldNumber(v);
      if (t === undefined) invarg('TOS value is invalid\n', v);
      f.tos = t;
    } else if (w === 'fwmark') {
      const v = a.next();
      const slash = v.indexOf('/');
      const markText = slash < 0 ? v : v.slice(0, slash);
      const mark = parseUnsigned(markText);
      if (mark === undefined) invarg('fwmark value is invalid\n', markText);
      f.fwmark = mark;
      if (slash >= 0) {
        const maskText = v.slice(slash + 1);
        const mask = parseUnsigned(maskText);
        if (mask === undefined) invarg('fwmask value is invalid\n', maskText);
        f.fwmask = mask;
      }
    } else if (w === 'dev' || w === 'iif') {
      const v = a.next();
      // get_ifname(): check_ifname() allows ':' (the kernel's dev_valid_name() does not; a filter only compares names).
      if (!checkIfname(v)) invarg('"iif"/"dev" not a valid ifname', v);
      f.iif = v;
    } else if (w === 'oif') {
      const v = a.next();
      if (!checkIfname(v)) invarg('"oif" not a valid ifname', v);
      f.oif = v;
    } else if (w === 'l3mdev') f.l3mdev = true;
    else if (w === 'uidrange') {
      const v = a.next();
      const m = /^\s*([0-9]+)-\s*([0-9]+)/.exec(v);
      if (m === null) invarg('invalid UID range\n', v);
      f.uidrange = [Number(m[1]) >>> 0, Number(m[2]) >>> 0];
    } else if (matches(w, 'tun_id')) notModelled('ip rule show tun_id');
    else if (matches(w, 'lookup') || matches(w, 'table')) {
      const v = a.next();
      const t = tableNumber(v);
      if (t === undefined) invarg('table id value is invalid\n', v);
      f.table = t;
    } else if (matches(w, 'from') || matches(w, 'src')) f.src = inetPrefix(a.next());
    else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v);
      if (p === undefined) {
        if (v !== 'all') invarg('invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolMask = 0;
      } else {
        f.protocol = p;
        f.protocolMask = 0xff;
      }
    } else if (w === 'ipproto') {
      const v = a.next();
      const n = ipprotoNumber(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      f.ipproto = n;
    } else if (w === 'sport') f.sport = portRange(a.next(), 'port');
    else if (w === 'dport') f.dport = portRange(a.next(), 'dport');
    else {
      const word = matches(w, 'dst') || matches(w, 'to') ? a.next() : w;
      f.dst = inetPrefix(word);
    }
    a.advance();
  }
  return f;
}

/** inet_addr_match_rta() after the length test of filter_nlmsg(). */
function prefixSelects(sel: { addr: Ip4; len: number }, addr: Ip4, len: number): boolean {
  if (sel.len > len) return false;
  if (sel.len === 0 || len === 0) return true;
  return (((sel.addr ^ addr) >>> 0) & maskOf(sel.len)) === 0;
}

/** filter_nlmsg(): whether the dump shows this rule. */
export function ruleSelected(f: RuleFilter, r: FibRule): boolean {
  if (f.pref !== null && f.pref !== r.priority) return false;
  if (f.not && !r.not) return false;
  if (f.src !== null && !prefixSelects(f.src, r.src, r.srcLen)) return false;
  if (f.dst !== null && !prefixSelects(f.dst, r.dst, r.dstLen)) return false;
  if (f.tos !== null && f.tos !== r.tos) return false;
  if (f.fwmark !== 0 && f.fwmark !== r.fwmark) return false;
  if (f.fwmask !== 0 && f.fwmask !== r.fwmask) return false;
  if (f.iif !== null && f.iif !== r.iifName) return false;
  if (f.oif !== null && f.oif !== r.oifName) return false;
  if (f.l3mdev && !r.l3mdev) return false;
  if (f.uidrange !== null && (r.uidStart !== f.uidrange[0] || r.uidEnd !== f.uidrange[1])) return false;
  if (f.ipproto !== 0 && f.ipproto !== r.ipproto) return false;
  if (f.sport !== null && f.sport[0] !== 0 && (r.sport === null || r.sport[0] !== f.sport[0] || r.sport[1] !== f.sport[1])) return false;
  if (f.dport !== null && f.dport[0] !== 0 && (r.dport === null || r.dport[0] !== f.dport[0] || r.dport[1] !== f.dport[1])) return false;
  if (f.table > 0 && f.table !== r.table) return false;
  return true;
}

/** flush_rule(): the selectors, then the protocol, and only rules with a priority. */
export function ruleFlushed(f: RuleFilter, r: FibRule): boolean {
  return ruleSelected(f, r) && ((f.protocol ^ r.protocol) & f.protocolMask) === 0 && r.priority !== 0;
}
