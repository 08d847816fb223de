// A snapshot as plain JSON text (Maps and Sets spelled out), for comparing snapshots by
// value: determinism, fold equality, immutability of earlier snapshots.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { tableRoutes } from '../../core/snapshot/fib-table.js';
import type { FibRoute } from '../../core/snapshot/fib-info.js';

export interface SerialiseOptions {
  /** Leave out what a refused request may still change (empty tables, devconf set marks, the ifindex counter). */
  readonly ignoreRefusalSideEffects?: boolean;
  /** Leave out the event counter. */
  readonly ignoreGeneration?: boolean;
}

/** One route as a canonical key (everything the kernel keeps about it). */
export function routeKey(r: FibRoute): string {
  return JSON.stringify([r.table, r.dst, r.plen, r.alias.type, r.alias.tos, r.alias.info]);
}

/** The whole snapshot as text; equal text means equal state. */
export function serialise(s: FibSnapshot, o: SerialiseOptions = {}): string {
  const lax = o.ignoreRefusalSideEffects === true;
  const devices = [...s.devices.values()].map((d) => ({
    ...d,
    conf: { values: d.conf.values, set: lax ? [] : [...d.conf.set].sort() },
  }));
  const tables = [...s.tables.values()]
    .map((t) => ({ id: t.id, routes: [...tableRoutes(t)].map(routeKey) }))
    .filter((t) => !lax || t.routes.length > 0);
  return JSON.stringify({
    generation: lax || o.ignoreGeneration === true ? 0 : s.generation,
    nextIfindex: lax ? 0 : s.nextIfindex,
    devices,
    confAll: { values: s.confAll.values, set: [...s.confAll.set].sort() },
    confDefault: { values: s.confDefault.values, set: [...s.confDefault.set].sort() },
    tables,
    rules: s.rules,
    customRules: s.customRules,
    customLocalRoutes: s.customLocalRoutes,
    nexthops: [...s.nexthops.values()],
  });
}

/** Every route of every table, in table creation order then dump order. */
export function allRoutes(s: FibSnapshot): FibRoute[] {
  const out: FibRoute[] = [];
  for (const t of s.tables.values()) out.push(...tableRoutes(t));
  return out;
}
