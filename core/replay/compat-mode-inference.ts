// net.ipv4.nexthop_compat_mode inferred from a trace. The sysctl is announced by nothing, yet
// every IPv4 route notification of a route on a nexthop object shows it: fib_dump_info()
// adds the nexthop's RTA_OIF/RTA_GATEWAY/RTA_MULTIPATH beside RTA_NH_ID only when the mode
// is 1 (`if (!READ_ONCE(...sysctl_nexthop_compat_mode)) goto offload;`). A cause whose
// burst carries such a record (or that is one) runs with the mode it shows, so the routes'
// predicted notifications and the replayed `ip route` print as the kernel did.

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NetlinkRecord } from '../trace/netlink-records.js';
import type { Queued, RecordQueue } from './record-queue.js';

const AF_INET = 2;

/** The mode a route record shows: 1 with the nexthop's attributes, 0 without, null when it is no nhid route. */
export function compatModeShown(r: NetlinkRecord): number | null {
  if (r.kind !== 'route' || r.family !== AF_INET || r.nhId === undefined) return null;
  const expanded = r.gateway !== undefined || r.via !== undefined || r.oif !== undefined || r.dev !== undefined || (r.multipath?.length ?? 0) > 0;
  return expanded ? 1 : 0;
}

/**
 * The nexthop_compat_mode write the first nhid route record of q's burst (q itself first)
 * implies, when it differs from the model's; none otherwise.
 */
export function inferCompatMode(queue: RecordQueue, q: Queued, snap: FibSnapshot, withinWindow: (a: NetlinkRecord, b: NetlinkRecord) => boolean): FibEvent[] {
  // No nhid route can follow while no nexthop object exists and q makes none: skip the scan
  // of the burst (every cause step of a route-only trace would pay it).
  if (snap.nexthops.size === 0 && q.record.kind !== 'nexthop') return [];
  let shown = compatModeShown(q.record);
  if (shown === null) {
    // q may already be off the queue (-1): the records after it start at the head then.
    const at = queue.indexOf(q);
    for (let i = at + 1; i < queue.length; i++) {
      const c = queue.at(i);
      if (!withinWindow(q.record, c.record)) break;
      shown = compatModeShown(c.record);
      if (shown !== null) break;
    }
  }
  if (shown === null || shown === snap.ipv4Sysctl.nexthop_compat_mode) return [];
  return [{ type: 'net-sysctl', key: 'nexthop_compat_mode', value: shown }];
}
