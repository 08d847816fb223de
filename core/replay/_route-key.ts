// Route identity strings shared by the replay modules: what fib_table_delete() uses to
// tell routes apart (table, prefix, tos, priority, type, nexthops), as one string.

import type { FibRoute } from '../snapshot/fib-info.js';

/** One nexthop's identity: device and gateway. */
export interface NhIdentity {
  readonly dev: number;
  readonly gw: number | null;
  /** An IPv6 gateway (RTA_VIA), canonical text. */
  readonly gw6?: string;
}

/** The identity string of a route from its parts. */
export function routeKeyOf(
  table: number,
  dst: number,
  plen: number,
  tos: number,
  priority: number,
  type: string,
  nhid: number,
  nhs: readonly NhIdentity[],
): string {
  let legs: string;
  if (nhid !== 0) legs = `nhid ${nhid}`;
  else if (nhs.length === 1) legs = `${nhs[0]!.dev}:${nhs[0]!.gw ?? nhs[0]!.gw6 ?? '-'}`;
  else legs = nhs.map((n) => `${n.dev}:${n.gw ?? n.gw6 ?? '-'}`).join(',');
  return `${table}|${dst}/${plen}|${tos}|${priority}|${type}|${legs}`;
}

/** The identity string of a route of the model. */
export function routeKey(r: FibRoute): string {
  const info = r.alias.info;
  return routeKeyOf(r.table, r.dst, r.plen, r.alias.tos, info.priority, r.alias.type, info.nhid, info.nhs);
}
