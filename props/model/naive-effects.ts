// Effects replayed on a plain multiset of routes: what the reducer says it did to the
// routes must be exactly the difference between the routes before and after.

import type { Effect } from '../../core/snapshot/effects.js';
import type { FibRoute } from '../../core/snapshot/fib-info.js';
import { routeKey } from './serialise.js';

/** Applies the route effects to a multiset of route keys; returns the problems met. */
export function applyRouteEffects(before: readonly FibRoute[], effects: readonly Effect[]): { routes: Map<string, number>; problems: string[] } {
  const routes = new Map<string, number>();
  const problems: string[] = [];
  const add = (r: FibRoute): void => {
    const k = routeKey(r);
    routes.set(k, (routes.get(k) ?? 0) + 1);
  };
  const del = (r: FibRoute, why: string): void => {
    const k = routeKey(r);
    const n = routes.get(k) ?? 0;
    if (n === 0) problems.push(`${why} of a route that was not there: ${k}`);
    else if (n === 1) routes.delete(k);
    else routes.set(k, n - 1);
  };
  for (const r of before) add(r);
  for (const e of effects) {
    if (e.kind === 'route-add') add(e.route);
    else if (e.kind === 'route-del') del(e.route, `route-del (${e.cause})`);
    else if (e.kind === 'route-replace' || e.kind === 'route-flags') {
      del(e.old, `${e.kind} (${e.cause})`);
      add(e.route);
    }
  }
  return { routes, problems };
}

/** The multiset of a route list. */
export function routeMultiset(routes: readonly FibRoute[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of routes) m.set(routeKey(r), (m.get(routeKey(r)) ?? 0) + 1);
  return m;
}

/** Keys whose counts differ between two multisets. */
export function multisetDiff(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) if ((a.get(k) ?? 0) !== (b.get(k) ?? 0)) out.push(`${a.get(k) ?? 0} vs ${b.get(k) ?? 0}: ${k}`);
  return out;
}
