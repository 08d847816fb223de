// A deliberately naive fib_table_lookup(): scan every route of the table, keep those whose
// prefix contains the destination, order them longest prefix first (a stable sort, so
// local before main when the two are merged, and alias order within a prefix), and take
// the first usable one. No trie, no per-length probing: the definition, slowly.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { ignoreLinkdown } from '../../core/snapshot/snapshot.js';
import { tableRoutes } from '../../core/snapshot/fib-table.js';
import { maskOf } from '../../core/net/ip4.js';
import type { Flow } from '../../core/net/flow.js';
import type { FibRoute } from '../../core/snapshot/fib-info.js';
import { aliasNexthops } from '../../core/trie/fib-table-lookup.js';

export type NaiveOutcome = { readonly ok: true; readonly route: FibRoute; readonly nhIndex: number } | { readonly ok: false; readonly errno: string };

const ERRORS: Readonly<Record<string, string>> = { blackhole: 'EINVAL', unreachable: 'EHOSTUNREACH', prohibit: 'EACCES', throw: 'EAGAIN', nat: 'EINVAL', xresolve: 'EINVAL' };

/** The routes a lookup in `table` sees: main and local together until the first rule. */
function visibleRoutes(s: FibSnapshot, table: number): FibRoute[] | null {
  if (!s.tables.has(table)) return null;
  const ids = !s.customRules && (table === 254 || table === 255) ? [255, 254] : [table];
  const out: FibRoute[] = [];
  for (const id of ids) {
    const t = s.tables.get(id);
    if (t !== undefined) out.push(...tableRoutes(t));
  }
  return out;
}

/** Longest prefix first over a scan of every route. */
export function naiveTableLookup(s: FibSnapshot, table: number, flow: Flow): NaiveOutcome {
  const routes = visibleRoutes(s, table);
  if (routes === null) return { ok: false, errno: 'EAGAIN' };
  const matching = routes.filter((r) => ((flow.daddr ^ r.dst) & maskOf(r.plen)) === 0);
  matching.sort((a, b) => b.plen - a.plen);
  for (const r of matching) {
    const a = r.alias;
    if (a.tos !== 0 && a.tos !== (flow.tos & 0x1c)) continue;
    if (a.info.scope < flow.scope) continue;
    const err = ERRORS[a.type];
    if (err !== undefined) return { ok: false, errno: err };
    if (a.info.dead) continue;
    const nhs = aliasNexthops(s, a);
    if (nhs === 'blackhole') return { ok: false, errno: 'EINVAL' };
    const i = nhs.findIndex((nh) => !nh.dead && !(nh.linkdown && ignoreLinkdown(s, nh.dev)) && (flow.oif === 0 || flow.oif === nh.dev));
    if (i >= 0) return { ok: true, route: r, nhIndex: i };
  }
  return { ok: false, errno: 'EAGAIN' };
}
