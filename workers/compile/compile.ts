// Compiling a snapshot for destination-only lookups: what `ip route get DST` (no
// from/iif/oif/mark/tos/uid/ipproto/sport/dport, no fibmatch) answers, taken apart into
// what each table prefix answers (fib_table_lookup()), the policy that combines the tables
// (fib_lookup(): the fast path, or fib_rules_lookup() over the rules), and what the output
// path makes of the result (ip_route_output_key_hash_rcu(), __mkroute_output(),
// rt_fill_info()). workers/compile/fib-lpm.ts flattens the three into one longest-prefix match.
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
//
// The parts: answer-table.ts (one prefix), lookup-program.ts (the tables combined),
// decode-outcome.ts (the output path); this file re-exports them and compiles a whole
// snapshot into a readable form.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { tableForEachLeaf, type FibTable } from '../../core/snapshot/fib-table.js';
import { pmapForEachRange } from '../../core/snapshot/persistent-map.js';
import type { FibAlias } from '../../core/snapshot/fib-info.js';
import type { Ip4 } from '../../core/net/ip4.js';
import { AnswerTable, type CompiledAnswer } from './answer-table.js';
import { compileProgram, programViews, type LookupProgram } from './lookup-program.js';

export type { CompiledAnswer } from './answer-table.js';
export { AnswerTable } from './answer-table.js';
export type { Cover } from './answer-table.js';
export type { CompiledAction, CompiledRule, LookupProgram, LookupView, WalkResult } from './lookup-program.js';
export { compileProgram, programViews, ruleCovers, walkProgram } from './lookup-program.js';
export type { CompiledOutcome } from './decode-outcome.js';
export { decodeOutcome, outcomeOf } from './decode-outcome.js';
export { aliasHash, sameAlias } from '../../core/snapshot/alias-sig.js';

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
 * workers/compile/fib-lpm.ts flattens the result into one LPM table; this form is for reading.
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
