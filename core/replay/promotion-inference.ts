// promote_secondaries inferred from a trace: when a primary address is deleted, the kernel's
// inet_del_ifa() promotes its first secondary (promote_secondaries on) or deletes them all
// (off). A trace that does not carry the sysctl shows which by the records that follow the
// DELADDR; the replay sets the model's devconf to match. Split from replayer.ts.

import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { AddrRecord, NetlinkRecord } from '../trace/netlink-records.js';
import { inPrefix, parseIp4 } from '../net/ip4.js';
import { IFA_F_SECONDARY } from '../uapi/if-addr.js';
import type { Queued, RecordQueue } from './record-queue.js';

/** For an address deletion: the promote_secondaries write a promotion that follows in the trace implies (none when it agrees). */
export function inferPromotion(
  queue: RecordQueue,
  q: Queued,
  snap: FibSnapshot,
  addrIfindex: (r: AddrRecord) => number,
  withinWindow: (a: NetlinkRecord, b: NetlinkRecord) => boolean,
): FibEvent[] {
  const at = queue.indexOf(q);
  const r = q.record;
  if (r.kind !== 'addr' || r.op !== 'del' || (r.flags & IFA_F_SECONDARY) !== 0) return [];
  const ifindex = addrIfindex(r);
  const d = snap.devices.get(ifindex);
  const local = parseIp4(r.local ?? '');
  if (d === undefined || local === undefined) return [];
  const prim = d.addrs.find((a) => a.local === local && a.prefixlen === r.prefixlen && !a.secondary);
  if (prim === undefined) return [];
  const secs = d.addrs.filter((a) => a.secondary && a.prefixlen === prim.prefixlen && inPrefix(a.address, prim.address, prim.prefixlen));
  if (secs.length === 0) return [];
  const on = d.conf.values.promote_secondaries !== 0 || snap.confAll.values.promote_secondaries !== 0;
  for (let i = at + 1; i < queue.length; i++) {
    const c = queue.at(i);
    if (!withinWindow(r, c.record)) break;
    const x = c.record;
    if (x.kind !== 'addr' || addrIfindex(x) !== ifindex) continue;
    const xl = parseIp4(x.local ?? '');
    if (!secs.some((a) => a.local === xl)) continue;
    if (x.op === 'new' && (x.flags & IFA_F_SECONDARY) === 0 && !on) {
      return [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 1 }];
    }
    if (x.op === 'del' && on) {
      return [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 0 }];
    }
  }
  return [];
}
