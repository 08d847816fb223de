// How complete a replay is: everything of the IPv4 FIB, in the trace or in the initial
// state, that the model did not represent (a gap), against what is deliberately outside
// it (IPv6 and other families, neighbours, bridge and qdisc messages, device details: out
// of scope). `kfib replay` prints this summary on stdout and sets its exit status from it,
// so that a script can tell a faithful replay from a degraded one.
//
// | source                         | gap                                              | out of scope |
// | ------------------------------ | ------------------------------------------------ | ------------ |
// | reader's skipped messages      | anything not listed as out of scope              | IPv6 / bridge / MPLS / multicast families, neighbours, MDB, qdiscs, route cache |
// | initial snapshot (ip -j)       | its differences from what the model imported; unknown keys of route, rule, nexthop, netconf | IPv6 entries, keys of link and addr, unknown top-level keys |
// | replay steps                   | records not replayed (names a device the model lacks ...), events the model refused, records of ambiguous family or operation (a text route line over an existing route) | |
// | reader errors                  | each bad record (lenient mode)                   | |
//
// Pure: counts only; the CLI prints.

import type { TraceStats } from '../trace/netlink-records.js';
import type { ReplayStep } from './replayer.js';

/** One kind of gap or out-of-scope item, with how often and where first. */
export interface CompletenessItem {
  readonly what: string;
  readonly count: number;
  /** Where it first happened ("@12", "before.json"), when known. */
  readonly first?: string;
}

/** The whole account of a replay. */
export interface Completeness {
  /** IPv4 FIB content the model did not represent. Empty for an exact replay. */
  readonly gaps: readonly CompletenessItem[];
  /** What the model leaves out by design (IPv6, other families, non-FIB messages). */
  readonly outOfScope: readonly CompletenessItem[];
  /** Events the model refused (counted in gaps too, as "refused by the model: ERRNO"). */
  readonly refused: number;
  /** Whether the replay started from an initial snapshot. */
  readonly hasInitial: boolean;
  /**
   * Each difference between the initial snapshot and what the model imported, whole
   * (InitialState.differences): the summary prints every one, so a user sees which route or
   * rule the replay started without, not only how many.
   */
  readonly initialDifferences: readonly string[];
}

/** What a replay's parts report, for completeness(). */
export interface CompletenessInput {
  /** The reader's totals (rtmon, ip monitor); undefined for a kfib event log. */
  readonly stats?: TraceStats;
  /** The initial snapshot's parse: what it left out (parseIpSnapshot().skipped). */
  readonly initialSkipped?: Readonly<Record<string, number>>;
  /** Where the imported initial state differs from the snapshot (InitialState.differences). */
  readonly initialDifferences?: readonly string[];
  readonly hasInitial: boolean;
  /**
   * A capture (rtmon, ip monitor) replayed without its initial state: what the host held
   * before the trace began is unknown, so the state replayed from an empty namespace is a gap,
   * never `exact`. (A `kfib run` script without --initial starts a namespace afresh, and a
   * kfib event log written by --out carries its initial state: neither sets this.)
   */
  readonly initialUnknown?: boolean;
  readonly steps: readonly Pick<ReplayStep, 'seq' | 'notes'>[];
  /** How a step's place is named (default "@SEQ"; `kfib run` says "line N"). */
  readonly place?: (seq: number) => string;
  /** Where the initial state's gaps are said to be (default "before the trace"). */
  readonly initialPlace?: string;
  /** Gaps of what was printed (the state shown), each a `not modelled: …` text. */
  readonly printed?: readonly string[];
}

const OUT_OF_SCOPE_READER: readonly RegExp[] = [
  /inet6/i, /AF_INET6/, /AF_BRIDGE/, /AF_MPLS/, /RTNL_FAMILY_IP6?MR/, /NEIGH/, /MDB/, /QDISC/, /TCLASS/, /TFILTER/, /CHAIN/,
  /NSID/, /ADDRLABEL/, /PREFIX/, /NDUSEROPT/, /NETCONF\/AF_/, /\/cloned$/, /^\[LINK\] without group/, /STATS/, /VLAN/,
  /NEXTHOPBUCKET/, /LINKPROP/, /TUNNEL/, /ACTION/, /MULTICAST/, /ANYCAST/, /\[(NSID|NEIGH|PREFIX|ACADDR|MADDR|MDB|VLAN|STATS|NETCONF\/\w+)\]/,
  // `ip monitor all-nsid`: another namespace's records (`[nsid N]`), not this namespace's FIB.
  /^another network namespace \(\[nsid N\]\)$/,
];

/** Whether a reader's skip reason is outside the IPv4 FIB by design. */
export function readerSkipIsOutOfScope(reason: string): boolean {
  return OUT_OF_SCOPE_READER.some((re) => re.test(reason));
}

/** Whether an initial snapshot's skip reason is outside the IPv4 FIB by design. */
export function snapshotSkipIsOutOfScope(reason: string): boolean {
  if (reason.includes('inet6') || reason.includes('/inet6') || /^addr_info\//.test(reason)) return true;
  const m = /^unknown key (\w+)(\.|$)/.exec(reason);
  if (m === null) return /^(netconf|route|rule|nexthop)\/(?!inet$)/.test(reason);
  // top-level keys (route_get, names, link_kinds...) and device details are not the FIB
  return !(m[2] === '.' && ['route', 'rule', 'nexthop', 'netconf'].includes(m[1] as string));
}

function add(map: Map<string, { count: number; first?: string }>, what: string, n: number, first?: string): void {
  const cur = map.get(what);
  if (cur === undefined) map.set(what, first === undefined ? { count: n } : { count: n, first });
  else cur.count += n;
}

function items(map: Map<string, { count: number; first?: string }>): CompletenessItem[] {
  return [...map].map(([what, v]) => (v.first === undefined ? { what, count: v.count } : { what, count: v.count, first: v.first }));
}

/** The note prefixes of replay steps (replayer.ts) that mean a gap, and how to name it. */
function stepGap(note: string): string | null {
  if (note.startsWith('not replayed: ')) return `not replayed: ${note.slice('not replayed: '.length).replace(/"[^"]*"/g, '"…"')}`;
  const refused = /^the model refused it: (\w+)/.exec(note);
  if (refused !== null) return `refused by the model: ${refused[1] as string}`;
  if (note.startsWith('ambiguous twin')) return 'ambiguous family (ip monitor text: a rule line identical to an IPv4 rule: its IPv6 twin, or an IPv4 duplicate added without NLM_F_EXCL; not applied)';
  if (note.startsWith('ambiguous family')) return 'ambiguous family (ip monitor text: a rule with no address; applied as IPv4)';
  if (note.startsWith('ambiguous operation')) return 'ambiguous operation (ip monitor text: a route line over a route of the same table, prefix, tos and metric is a replace, an append or a prepend; applied as a replace)';
  if (note.startsWith('not modelled: ')) return note;
  if (note.startsWith('trace disagrees: ')) return note;
  return null;
}

/**
 * Counts the gaps and the out-of-scope items of a replay.
 *
 * Example: a text trace with 40 `[ROUTE]` lines of IPv6 routes and one route the model
 * refused gives `outOfScope: [{what: '[ROUTE]/inet6', count: 40}]`,
 * `gaps: [{what: 'refused by the model: EINVAL', count: 1, first: '@7'}]`, `refused: 1`.
 */
export function completeness(input: CompletenessInput): Completeness {
  const gaps = new Map<string, { count: number; first?: string }>();
  const out = new Map<string, { count: number; first?: string }>();
  let refused = 0;
  if (input.stats !== undefined) {
    for (const [reason, n] of Object.entries(input.stats.skipped)) {
      if (readerSkipIsOutOfScope(reason)) add(out, reason, n);
      else add(gaps, `not modelled, skipped: ${reason}`, n);
    }
    if (input.stats.errors > 0) add(gaps, 'bad records skipped (--lenient)', input.stats.errors);
  }
  for (const [reason, n] of Object.entries(input.initialSkipped ?? {})) {
    if (snapshotSkipIsOutOfScope(reason)) add(out, `initial snapshot: ${reason}`, n);
    else add(gaps, `initial snapshot: not kept: ${reason}`, n);
  }
  if (input.initialUnknown === true) add(gaps, 'initial state unknown (no --initial, no before.json): the addresses, routes, rules, nexthops and settings the host had before the trace are not in the model', 1, 'before the trace');
  // "ambiguous …" (initial-state.ts): imported, but the dump did not tell which state it was.
  for (const d of input.initialDifferences ?? []) add(gaps, `initial snapshot ${d.startsWith('ambiguous') ? '' : 'not reproduced: '}${d.replace(/:.*$/, '')}`, 1, input.initialPlace ?? 'before the trace');
  for (const st of input.steps) {
    for (const note of st.notes) {
      const g = stepGap(note);
      if (g === null) continue;
      if (g.startsWith('refused')) refused++;
      add(gaps, g, 1, input.place === undefined ? `@${st.seq}` : input.place(st.seq));
    }
  }
  for (const p of input.printed ?? []) add(gaps, p, 1, 'in the state shown');
  return { gaps: items(gaps), outOfScope: items(out), refused, hasInitial: input.hasInitial, initialDifferences: input.initialDifferences ?? [] };
}

/** The number of gap occurrences. */
export function gapCount(c: Completeness): number {
  return c.gaps.reduce((n, g) => n + g.count, 0);
}

/**
 * The summary lines `kfib replay` (and `kfib run`, `who` = 'run') prints on stdout ("# "
 * comments): first whether the replay is exact, then each gap with its count and first
 * place, then every difference of the initial state whole, then the out-of-scope totals.
 */
export function completenessLines(c: Completeness, who: 'replay' | 'run' = 'replay'): string[] {
  const lines: string[] = [];
  const n = gapCount(c);
  const oos = c.outOfScope.reduce((k, g) => k + g.count, 0);
  const exact = who === 'replay' ? 'every IPv4 FIB record of the trace and the initial state was modelled' : 'every line of the script and every IPv4 FIB entry of the initial state was modelled';
  lines.push(n === 0 ? `# ${who}: exact (${exact})` : `# ${who}: ${n} gap${n === 1 ? '' : 's'} (IPv4 FIB content the model did not represent):`);
  for (const g of c.gaps) lines.push(`#   ${g.count} × ${g.what}${g.first !== undefined ? ` (first ${g.first})` : ''}`);
  for (const d of c.initialDifferences) lines.push(`#     initial snapshot ${d}`);
  if (oos > 0) lines.push(`# out of scope (not the IPv4 FIB): ${c.outOfScope.map((g) => `${g.what} ${g.count}`).join(', ')}`);
  return lines;
}
