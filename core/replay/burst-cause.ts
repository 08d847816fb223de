// The cause of a consequence that came first. The kernel sometimes notifies consequences
// before their cause within one burst (the local routes of secondaries before the DELADDR of
// their primary: inet_del_ifa() -> fib_del_ifaddr() runs before rtmsg_ifa(); the DELADDRs of a
// device's addresses before its DELLINK: inetdev_destroy() before rtmsg_ifinfo()). A
// kernel-originated record no cause predicted is looked up among the next records of its
// burst. Split from replayer.ts.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import { reduceFib } from '../reduce/reduce.js';
import { compareTimestamps, type NetlinkRecord } from '../trace/netlink-records.js';
import { predictedNotifications } from './notification.js';
import { recordEvents, type ResolveDev } from './record-events.js';
import type { Queued, RecordQueue } from './record-queue.js';

/** Whether the kernel sent a record of its own accord (nlmsg_pid 0; in text: a proto kernel route, a deleted address). */
export function kernelOriginated(r: NetlinkRecord, form: 'binary' | 'text'): boolean {
  if (r.kind !== 'route' && r.kind !== 'addr') return false;
  if (form === 'binary') return r.nlmsgPid === 0;
  return r.kind === 'addr' ? r.op === 'del' : r.protocol === 2;
}

/** Whether b follows a within one burst (windowUsec; records with no time always are). */
export function withinWindow(a: NetlinkRecord, b: NetlinkRecord, windowUsec: number): boolean {
  if (a.time === undefined || b.time === undefined) return true;
  const d = (b.time.sec - a.time.sec) * 1e6 + (b.time.usec - a.time.usec);
  return d <= windowUsec && compareTimestamps(b.time, a.time) >= 0;
}

/** A later record of q's burst whose events predict `ids`, if any. */
export function findCause(queue: RecordQueue, q: Queued, ids: ReadonlySet<string>, snap: FibSnapshot, resolve: ResolveDev, windowUsec: number): Queued | undefined {
  for (let i = 1; i < queue.length && i <= 16; i++) {
    const c = queue.at(i);
    if (c.applied || c.seq === 0) continue;
    if (!withinWindow(q.record, c.record, windowUsec)) break;
    if (c.record.kind === 'netconf') continue;
    const events = recordEvents(c.record, snap, resolve);
    if (typeof events === 'string' || events.length === 0) continue;
    let s = snap;
    const effects: Effect[] = [];
    for (const e of events) {
      const st = reduceFib(s, e);
      s = st.snapshot;
      for (const x of st.effects) effects.push(x);
    }
    if (predictedNotifications(snap, s, effects).some((n) => ids.has(n.id))) return c;
  }
  return undefined;
}
