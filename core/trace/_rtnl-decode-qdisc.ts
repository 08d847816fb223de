// RTM_NEWQDISC/DELQDISC decoded: struct tcmsg (tcm_family, pads, tcm_ifindex, tcm_handle,
// tcm_parent, tcm_info: 20 bytes) and TCA_KIND, as tc_fill_qdisc() (net/sched/sch_api.c)
// writes them and tc/tc_qdisc.c print_qdisc() reads them. Only the kind matters to the
// model: a root qdisc's is the `qdisc` word of `ip link` (../replay/link-table.ts).

import { RTM_NEWQDISC, TCA_KIND } from '../uapi/rtnetlink.js';
import type { QdiscRecord } from './netlink-records.js';
import { type DecodeOutcome, type FrameMeta, type Mutable, Reader, getString, walkAttrs, withTime } from './_rtnl-attrs.js';
import { H, opOf } from './_rtnl-msg.js';

export function decodeQdisc(r: Reader, meta: FrameMeta): DecodeOutcome {
  const rec: Mutable<QdiscRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'qdisc',
    op: opOf(meta.nlmsgType, RTM_NEWQDISC),
    ifindex: r.i32(H + 4),
    handle: r.u32(H + 8),
    parent: r.u32(H + 12),
  };
  for (const a of walkAttrs(r, H + 20, r.length, 'TCA')) {
    if (a.type === TCA_KIND) rec.qdiscKind = getString(r, a);
  }
  return { ok: true, record: withTime(rec, meta) };
}
