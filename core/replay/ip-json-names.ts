// The names an `ip -j` snapshot uses (tables, protocols, scopes, dsfield) that no table of
// names defines: iproute2's rtnl_*_a2n() (lib/rt_names.c) would refuse them, so the replay
// does too, naming each. Split from initial-state.ts.

import { dsfieldNumber, protoNumber, realmNumber, scopeNumber, tableNumber, type PrintNames } from '../uapi/rt-names.js';
import type { IpSnapshot } from '../trace/ip-json.js';
import type { IpFlow, SnapshotSources } from '../trace/ip-json-types.js';

/** What a name word needs: a name some table defines, or a number (rtnl_*_a2n). */
function unknownName(word: string | undefined, kind: 'table' | 'protocol' | 'scope' | 'dsfield' | 'realm', names: PrintNames): string | null {
  if (word === undefined) return null;
  if (kind === 'realm') return realmNumber(word) !== undefined ? null : `unknown realm "${word}": not a number, "cosmos" or "unknown" (a host's rt_realms names are not read)`;
  const known =
    kind === 'table' ? tableNumber(word, names) : kind === 'protocol' ? protoNumber(word, names) : kind === 'scope' ? scopeNumber(word, names) : dsfieldNumber(word, names);
  if (known !== undefined) return null;
  const where = names.where[kind === 'table' ? 'tables' : kind === 'protocol' ? 'protocols' : kind === 'scope' ? 'scopes' : 'dsfields'];
  return `unknown ${kind} "${word}": not a number, and not in ${where}`;
}

/** One entry naming something no name table defines. */
export interface UnknownNameEntry {
  /** The input element, `$.route[7]`, when the parse's sources are known. */
  readonly path?: string;
  /** "route 10.9.0.0/16 ($.route[7], the 3. IPv4 route of the dump): unknown table …". */
  readonly message: string;
}

/**
 * The entries of a snapshot that name a table, protocol, scope or dsfield no name table
 * defines, one message each (as InitialState.errors): for a caller that refuses such a
 * snapshot before replaying anything (`kfib replay`, `kfib run --initial`).
 */
export function unknownNameErrors(snap: IpSnapshot, names: PrintNames): readonly string[] {
  return withKnownNames(snap, names).errors;
}

/**
 * unknownNameErrors(), each with the input element it is about (`sources` from
 * parseIpSnapshot()), so that a caller holding the text can name its line and column.
 */
export function unknownNameEntries(snap: IpSnapshot, names: PrintNames, sources?: SnapshotSources): readonly UnknownNameEntry[] {
  return withKnownNames(snap, names, sources).entries;
}

/**
 * The snapshot without the entries that name something no name table defines, and one
 * error per such entry (its JSON path, the word, where names were looked for). Never a
 * default: `table isp1` without an rt_tables naming isp1 is an error, not table main.
 */
export function withKnownNames(snap: IpSnapshot, names: PrintNames, sources?: SnapshotSources): { snap: IpSnapshot; errors: string[]; entries: UnknownNameEntry[] } {
  const errors: string[] = [];
  const entries: UnknownNameEntry[] = [];
  const check = <T>(list: readonly T[], what: 'route' | 'rule' | 'nexthop', label: (x: T) => string, words: (x: T) => [string | undefined, 'table' | 'protocol' | 'scope' | 'dsfield' | 'realm'][]): T[] =>
    list.filter((x, i) => {
      const bad = words(x).map(([w, k]) => unknownName(w, k, names)).filter((m): m is string => m !== null);
      const at = sources?.[what][i];
      const path = at === undefined ? undefined : `$.${what}[${at}]`;
      for (const m of bad) {
        const message = `${what} ${label(x)} (${path === undefined ? '' : `${path}, `}the ${i + 1}. IPv4 ${what} of the dump): ${m}`;
        errors.push(message);
        entries.push(path === undefined ? { message } : { path, message });
      }
      return bad.length === 0;
    });
  const realms = (f: IpFlow | undefined): [string | undefined, 'realm'][] => (f === undefined ? [] : [[f.from, 'realm'], [f.to, 'realm']]);
  const route = check(snap.route, 'route', (r) => r.dst, (r) => [
    [r.table, 'table'],
    [r.protocol, 'protocol'],
    [r.scope, 'scope'],
    [r.tos, 'dsfield'],
    ...realms(r.flow),
    ...(r.nexthops ?? []).flatMap((n) => realms(n.flow)),
  ]);
  const rule = check(snap.rule, 'rule', (r) => `pref ${r.priority}`, (r) => [[r.table, 'table'], [r.protocol, 'protocol'], [r.tos, 'dsfield'], [r.flow_from, 'realm'], [r.flow_to, 'realm']]);
  const nexthop = check(snap.nexthop, 'nexthop', (n) => `id ${n.id}`, (n) => [[n.protocol, 'protocol'], [n.scope, 'scope']]);
  return { snap: { ...snap, route, rule, nexthop }, errors, entries };
}
