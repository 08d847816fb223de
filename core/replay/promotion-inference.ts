// promote_secondaries inferred from a trace: when a primary address is deleted, the kernel's
// inet_del_ifa() promotes its first secondary (promote_secondaries on) or deletes them all
// (off). A trace that does not carry the sysctl shows which by the records that follow the
// DELADDR; the replay sets the model's devconf to match. Split from replayer.ts.

import type { FibEvent } from '../events/fib-event.js';
import type { SysctlTarget } from '../events/sysctl.js';
import { inDevOrconf } from '../snapshot/devconf.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { AddrRecord, NetlinkRecord } from '../trace/netlink-records.js';
import { inPrefix, parseIp4 } from '../net/ip4.js';
import { IFA_F_SECONDARY } from '../uapi/if-addr.js';
import { promotionGap, promotionUnknown } from '../devinet/inet-insert-ifa.js';
import type { Queued, RecordQueue } from './record-queue.js';

/**
 * For an address deletion: what the records that follow show inet_del_ifa() did.
 * `events`: the promote_secondaries write a promotion implies (none when it agrees with a
 * known value; when the value is unknown and the secondaries were deleted, both device and
 * all are 0, observed). `promote`: for an unknown value, what was seen (the addr-del event
 * carries it: AddrDelEvent.promote), else null.
 */
export interface Promotion {
  readonly events: FibEvent[];
  readonly promote: boolean | null;
}

const NONE: Promotion = { events: [], promote: null };

export function inferPromotion(
  queue: RecordQueue,
  q: Queued,
  snap: FibSnapshot,
  addrIfindex: (r: AddrRecord) => number,
  withinWindow: (a: NetlinkRecord, b: NetlinkRecord) => boolean,
): Promotion {
  const at = queue.indexOf(q);
  const r = q.record;
  if (r.kind !== 'addr' || r.op !== 'del' || (r.flags & IFA_F_SECONDARY) !== 0) return NONE;
  const ifindex = addrIfindex(r);
  const d = snap.devices.get(ifindex);
  const local = parseIp4(r.local ?? '');
  if (d === undefined || local === undefined) return NONE;
  const prim = d.addrs.find((a) => a.local === local && a.prefixlen === r.prefixlen && !a.secondary);
  if (prim === undefined) return NONE;
  const secs = d.addrs.filter((a) => a.secondary && a.prefixlen === prim.prefixlen && inPrefix(a.address, prim.address, prim.prefixlen));
  if (secs.length === 0) return NONE;
  const on = inDevOrconf(snap.confAll, d.conf, 'promote_secondaries');
  // __inet_del_ifa() without promotion announces each secondary's RTM_DELADDR before the
  // primary's own (it unlinks them in its first loop, then the primary): when the first of
  // those pulled the primary's deletion ahead (burst-cause.ts), they are the records before
  // it that are still waiting. A promotion's RTM_NEWADDR comes after the primary's.
  const order: number[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const c = queue.at(i);
    if (c.applied || !withinWindow(c.record, r)) break;
    order.push(i);
  }
  for (let i = at + 1; i < queue.length; i++) order.push(i);
  for (const i of order) {
    const c = queue.at(i);
    if (i > at && !withinWindow(r, c.record)) break;
    if (i < at && c.record.kind === 'addr' && c.record.op !== 'del') continue;
    const x = c.record;
    if (x.kind !== 'addr' || addrIfindex(x) !== ifindex) continue;
    const xl = parseIp4(x.local ?? '');
    if (!secs.some((a) => a.local === xl)) continue;
    const promoted = x.op === 'new' && (x.flags & IFA_F_SECONDARY) === 0;
    if (on === null && (promoted || x.op === 'del')) {
      if (promoted) return { events: [], promote: true };
      const zero = (target: SysctlTarget): FibEvent => ({ type: 'sysctl', target, key: 'promote_secondaries', value: 0, observed: true });
      return { events: [...(d.conf.unknown.has('promote_secondaries') ? [zero({ kind: 'dev', ifindex })] : []), ...(snap.confAll.unknown.has('promote_secondaries') ? [zero({ kind: 'all' })] : [])], promote: false };
    }
    if (promoted && on === false) {
      return { events: [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 1 }], promote: null };
    }
    if (x.op === 'del' && on === true) {
      return { events: [{ type: 'sysctl', target: { kind: 'dev', ifindex }, key: 'promote_secondaries', value: 0 }], promote: null };
    }
    // The first record about a secondary is what inet_del_ifa() did; one that agrees with the
    // known value ends the search (a later deletion of the promoted address, e.g. the next
    // step of `ip address flush`, is a cause of its own, not evidence of no promotion).
    if (promoted || x.op === 'del') return NONE;
  }
  return NONE;
}

/**
 * A primary's deletion whose secondaries the unknown promote_secondaries promotes or deletes,
 * when the records that follow showed neither (inferPromotion() gave null: the trace ended,
 * or the records fell outside the window): the gap, else null. The model then deletes them.
 */
export function unseenPromotion(snap: FibSnapshot, r: NetlinkRecord, addrIfindex: (r: AddrRecord) => number): string | null {
  if (r.kind !== 'addr' || r.op !== 'del' || (r.flags & IFA_F_SECONDARY) !== 0) return null;
  const ifindex = addrIfindex(r);
  const local = parseIp4(r.local ?? '');
  const prim = snap.devices.get(ifindex)?.addrs.find((a) => a.local === local && a.prefixlen === r.prefixlen && !a.secondary);
  if (prim === undefined || !promotionUnknown(snap, ifindex, prim)) return null;
  return `${promotionGap(snap, ifindex)}; the records that follow show neither a promotion nor the secondaries deleted (taken as deleted)`;
}
