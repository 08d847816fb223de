// RTA_METRICS kept beside the FIB during a replay: the kernel keeps a route's metrics in its
// fib_info (fib_create_info() -> ip_fib_metrics_init()) and drops them with the route; the
// model's snapshot does not carry the trace's metrics, so the replay keeps them by route key.
// Split from replayer.ts.

import type { Effect } from '../snapshot/effects.js';
import type { NetlinkRecord, RouteMetrics } from '../trace/netlink-records.js';
import { routeKey } from './_route-key.js';

/**
 * The metrics table after effects: dropped with their route, set from the record that added
 * it. Copy on write: the same map when nothing changed, so earlier steps keep theirs.
 */
export function trackMetrics(metrics: Map<string, RouteMetrics>, effects: readonly Effect[], record: NetlinkRecord | null): Map<string, RouteMetrics> {
  let out = metrics;
  // Copy on write: earlier steps keep the table they were given.
  let copied = false;
  const write = (): Map<string, RouteMetrics> => {
    if (!copied) {
      out = new Map(metrics);
      copied = true;
    }
    return out;
  };
  if (metrics.size > 0) {
    for (const e of effects) {
      const gone = e.kind === 'route-del' ? e.route : e.kind === 'route-replace' ? e.old : undefined;
      if (gone !== undefined && metrics.has(routeKey(gone))) write().delete(routeKey(gone));
    }
  }
  if (record?.kind !== 'route' || record.metrics === undefined || record.op !== 'new') return out;
  for (const e of effects) {
    if (e.kind === 'route-add' || e.kind === 'route-replace') write().set(routeKey(e.route), record.metrics);
  }
  return out;
}
