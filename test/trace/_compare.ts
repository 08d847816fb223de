// Projects rtmon and `ip monitor` records onto what both forms carry, so that a test can check
// that the text of a live `ip -ts monitor all` and the binary of rtmon describe the same
// notifications. Binary ifindexes are turned into names through the trace's own link records
// (latest IFLA_IFNAME wins), which is what the live monitor printed (formats README section 5).

import { FR_ACT_TO_TBL } from '../../core/uapi/fib-rules.js';
import { IFA_F_PERMANENT } from '../../core/uapi/if-addr.js';
import { RTPROT_KERNEL } from '../../core/uapi/rtnetlink.js';
import { isNetlinkRecord } from '../../core/trace/netlink-records.js';
import type {
  NetlinkRecord, RouteNexthop, TraceRecord,
} from '../../core/trace/netlink-records.js';

export type Projection = Readonly<Record<string, unknown>>;

function clean(o: Record<string, unknown>): Projection {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** Resolves ifindexes to names as the trace goes (binary) or keeps names (text). */
export class NameMap {
  private readonly names = new Map<number, string>();
  /** Names of devices not announced yet (a new device's RTM_NEWNETCONF precedes its RTM_NEWLINK). */
  lookahead: (ifindex: number) => string | undefined = () => undefined;
  observe(r: TraceRecord): void {
    if (r.kind === 'link' && r.name !== undefined) {
      if (r.op === 'new') this.names.set(r.ifindex, r.name);
    }
  }
  forget(r: TraceRecord): void {
    if (r.kind === 'link' && r.op === 'del') this.names.delete(r.ifindex);
  }
  name(ifindex: number | undefined): string | undefined {
    if (ifindex === undefined) return undefined;
    return this.names.get(ifindex) ?? this.lookahead(ifindex) ?? `if${ifindex}`;
  }
}

function legs(nhs: readonly RouteNexthop[] | undefined, names: NameMap): Projection[] | undefined {
  return nhs?.map((n) => clean({
    flags: n.flags, weight: n.hops + 1, gateway: n.gateway, dev: n.dev ?? names.name(n.ifindex),
  }));
}

/** What both forms say about one notification. */
export function project(r: NetlinkRecord, names: NameMap): Projection {
  switch (r.kind) {
    case 'link':
      return clean({
        kind: r.kind, op: r.op, ifindex: r.ifindex, name: r.name, flags: r.flags, mtu: r.mtu,
        operstate: r.operstate, group: r.group, qdisc: r.qdisc, address: r.address,
        broadcast: r.broadcast, ifiType: r.ifiType,
        linkNone: r.link === 0 ? true : undefined,
        master: r.masterName ?? names.name(r.master),
      });
    case 'addr':
      return clean({
        kind: r.kind, op: r.op, ifindex: r.ifindex, prefixlen: r.prefixlen,
        // ifa_flags beyond what print_ifa_flags() shows for IPv4 are not compared.
        flags: r.flags & (0x1 | 0x20 | 0x40 | 0x200 | IFA_F_PERMANENT),
        scope: r.scope, local: r.local, address: r.address, broadcast: r.broadcast,
        label: r.label, rtPriority: r.rtPriority, validLft: r.validLft,
        preferredLft: r.preferredLft,
      });
    case 'route':
      return clean({
        kind: r.kind, op: r.op, type: r.type, dst: r.dst, dstLen: r.dstLen, src: r.src,
        srcLen: r.srcLen, tos: r.tos, table: r.table, protocol: r.protocol, scope: r.scope,
        flags: r.flags, gateway: r.gateway, dev: r.dev ?? names.name(r.oif),
        priority: r.priority, prefsrc: r.prefsrc, nhId: r.nhId, metrics: r.metrics,
        multipath: legs(r.multipath, names),
      });
    case 'rule':
      return clean({
        kind: r.kind, op: r.op, priority: r.priority, src: r.src, srcLen: r.srcLen, dst: r.dst,
        dstLen: r.dstLen, tos: r.tos, table: r.table,
        // The text shows no action word for lookup rules; goto/nop/blackhole... are shown.
        action: r.action === FR_ACT_TO_TBL ? undefined : r.action,
        flags: r.flags & 0x1e, iifName: r.iifName, oifName: r.oifName, goto: r.goto,
        fwmark: r.fwmark, fwmask: r.fwmark === undefined ? undefined : r.fwmask,
        suppressPrefixlen: r.suppressPrefixlen, uidRange: r.uidRange, ipProto: r.ipProto,
        sportRange: r.sportRange, dportRange: r.dportRange, tunId: r.tunId,
        // print_rule() prints proto only when it is neither 0 nor kernel.
        protocol: r.protocol === 0 || r.protocol === RTPROT_KERNEL ? undefined : r.protocol,
      });
    case 'netconf':
      return clean({
        kind: r.kind, op: r.op,
        dev: r.devName ?? (r.ifindex !== undefined && r.ifindex > 0 ? names.name(r.ifindex) : undefined),
        ifindex: r.ifindex !== undefined && r.ifindex < 0 ? r.ifindex : undefined,
        forwarding: r.forwarding, rpFilter: r.rpFilter, mcForwarding: r.mcForwarding,
        proxyNeigh: r.proxyNeigh, ignoreRoutesWithLinkdown: r.ignoreRoutesWithLinkdown,
      });
    case 'nexthop':
      return clean({
        kind: r.kind, op: r.op, id: r.id, family: r.family, scope: r.scope,
        protocol: r.protocol, flags: r.flags, gateway: r.gateway, dev: r.dev ?? names.name(r.oif),
        blackhole: r.blackhole, group: r.group, fdb: r.fdb,
      });
    case 'qdisc':
      // Binary only (ip monitor prints no qdiscs): left out by projectAll().
      return clean({ kind: r.kind, op: r.op, ifindex: r.ifindex, parent: r.parent, qdiscKind: r.qdiscKind });
  }
}

/**
 * The notifications of a stream (the rtmon link dump excluded), projected, names resolved as
 * the stream goes: a record's names are those known before it (a link record names itself).
 */
export function projectAll(records: readonly TraceRecord[]): Projection[] {
  const names = new NameMap();
  const out: Projection[] = [];
  let i = 0;
  // The live monitor asked the host for a name it did not know yet; the trace can only look ahead.
  names.lookahead = (ifindex) => {
    for (let j = i + 1; j < records.length; j++) {
      const x = records[j];
      if (x?.kind === 'link' && x.ifindex === ifindex && x.name !== undefined) return x.name;
    }
    return undefined;
  };
  for (; i < records.length; i++) {
    const r = records[i];
    if (r === undefined) continue;
    names.observe(r);
    // ip monitor prints no qdisc messages: the binary form's are not compared.
    if (isNetlinkRecord(r) && r.kind !== 'qdisc' && !r.dump) out.push(project(r, names));
    names.forget(r);
  }
  return out;
}
