// RTM_NEWLINK/DELLINK, RTM_NEWADDR/DELADDR and RTM_NEWNETCONF/DELNETCONF decoded: the
// attributes iproute2 6.1 reads in print_linkinfo()/print_addrinfo() (ip/ipaddress.c) and
// print_netconf() (ip/ipnetconf.c), each by its uapi constant. Split from _rtnl-decode.ts.

import { AF_INET, AF_UNSPEC } from '../uapi/socket.js';
import { RTM_NEWADDR, RTM_NEWLINK, RTM_NEWNETCONF } from '../uapi/rtnetlink.js';
import type { AddrRecord, LinkRecord, NetconfRecord } from './netlink-records.js';
import {
  IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_QDISC, IFLA_MASTER, IFLA_TXQLEN, IFLA_IFALIAS,
  IFLA_OPERSTATE, IFLA_LINKINFO, IFLA_AF_SPEC, IFLA_GROUP, IFLA_CARRIER, IFLA_LINK_NETNSID,
  IFLA_PROTO_DOWN, IFLA_EVENT, IFLA_NEW_NETNSID, IFLA_NEW_IFINDEX, IFLA_INFO_KIND, IFLA_INFO_SLAVE_KIND, IFLA_INET_CONF, IFLA_PROP_LIST, IFLA_ALT_IFNAME,
} from '../uapi/if-link.js';
import {
  IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_RT_PRIORITY,
} from '../uapi/if-addr.js';
import {
  NETCONFA_IFINDEX, NETCONFA_FORWARDING, NETCONFA_RP_FILTER, NETCONFA_MC_FORWARDING,
  NETCONFA_PROXY_NEIGH, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_INPUT,
  NETCONFA_BC_FORWARDING,
} from '../uapi/netconf.js';
import { type DecodeOutcome, type FrameMeta, type Mutable, Reader, getI32, getIpv4, getMac, getString, getU32, getU8, need, walkAttrs, withTime } from './_rtnl-attrs.js';
import { H, opOf, skipFamily } from './_rtnl-msg.js';

export function decodeLink(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_UNSPEC) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<LinkRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'link',
    op: opOf(meta.nlmsgType, RTM_NEWLINK),
    family,
    ifindex: r.i32(H + 4),
    ifiType: r.u16(H + 2),
    flags: r.u32(H + 8),
    change: r.u32(H + 12),
  };
  const S = 'IFLA';
  // rtnl_fill_prop_list(): every alternative name, none when the nest is absent.
  const altnames: string[] = [];
  for (const a of walkAttrs(r, H + 16, r.length, S)) {
    switch (a.type) {
      case IFLA_PROP_LIST:
        for (const p of walkAttrs(r, a.start, a.start + a.len, 'IFLA_PROP')) if (p.type === IFLA_ALT_IFNAME) altnames.push(getString(r, p));
        break;
      case IFLA_ADDRESS: rec.address = getMac(r, a); break;
      case IFLA_BROADCAST: rec.broadcast = getMac(r, a); break;
      case IFLA_IFNAME: rec.name = getString(r, a); break;
      case IFLA_MTU: rec.mtu = getU32(r, a, S); break;
      case IFLA_LINK: rec.link = getI32(r, a, S); break;
      case IFLA_QDISC: rec.qdisc = getString(r, a); break;
      case IFLA_MASTER: rec.master = getI32(r, a, S); break;
      case IFLA_TXQLEN: rec.txqlen = getU32(r, a, S); break;
      case IFLA_IFALIAS: rec.ifalias = getString(r, a); break;
      case IFLA_OPERSTATE: rec.operstate = getU8(r, a, S); break;
      case IFLA_LINKINFO:
        for (const i of walkAttrs(r, a.start, a.start + a.len, 'IFLA_INFO')) {
          if (i.type === IFLA_INFO_KIND) rec.linkKind = getString(r, i);
          else if (i.type === IFLA_INFO_SLAVE_KIND) rec.slaveKind = getString(r, i);
        }
        break;
      case IFLA_AF_SPEC:
        for (const f of walkAttrs(r, a.start, a.start + a.len, 'IFLA_AF')) {
          if (f.type !== AF_INET) continue;
          for (const c of walkAttrs(r, f.start, f.start + f.len, 'IFLA_INET')) {
            if (c.type !== IFLA_INET_CONF) continue;
            const conf: number[] = [];
            for (let k = 0; k + 4 <= c.len; k += 4) conf.push(r.u32(c.start + k));
            rec.inetConf = conf;
          }
        }
        break;
      case IFLA_GROUP: rec.group = getU32(r, a, S); break;
      case IFLA_CARRIER: rec.carrier = getU8(r, a, S) !== 0; break;
      case IFLA_LINK_NETNSID: rec.linkNetnsid = getI32(r, a, S); break;
      case IFLA_PROTO_DOWN: rec.protoDown = getU8(r, a, S) !== 0; break;
      case IFLA_EVENT: rec.event = getU32(r, a, S); break;
      case IFLA_NEW_NETNSID: rec.newNetnsid = getI32(r, a, S); break;
      case IFLA_NEW_IFINDEX: rec.newIfindex = getI32(r, a, S); break;
      default: break; // unknown or unneeded: skipped by length
    }
  }
  if (rec.op === 'new') rec.altnames = altnames;
  return { ok: true, record: withTime(rec, meta) };
}

export function decodeAddr(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<AddrRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'addr',
    op: opOf(meta.nlmsgType, RTM_NEWADDR),
    family,
    prefixlen: r.u8(H + 1),
    flags: r.u8(H + 2),
    scope: r.u8(H + 3),
    ifindex: r.u32(H + 4),
  };
  const S = 'IFA';
  for (const a of walkAttrs(r, H + 8, r.length, S)) {
    switch (a.type) {
      case IFA_ADDRESS: rec.address = getIpv4(r, a, S); break;
      case IFA_LOCAL: rec.local = getIpv4(r, a, S); break;
      case IFA_LABEL: rec.label = getString(r, a); break;
      case IFA_BROADCAST: rec.broadcast = getIpv4(r, a, S); break;
      case IFA_CACHEINFO:
        need(a, S, 16, false);
        rec.preferredLft = r.u32(a.start);
        rec.validLft = r.u32(a.start + 4);
        break;
      case IFA_FLAGS: rec.flags = getU32(r, a, S); break;
      case IFA_RT_PRIORITY: rec.rtPriority = getU32(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}

export function decodeNetconf(r: Reader, meta: FrameMeta): DecodeOutcome {
  const family = r.u8(H);
  if (family !== AF_INET) return skipFamily(meta.nlmsgType, family);
  const rec: Mutable<NetconfRecord> = {
    offset: meta.offset, nlmsgType: meta.nlmsgType, nlmsgFlags: meta.nlmsgFlags,
    nlmsgSeq: meta.nlmsgSeq, nlmsgPid: meta.nlmsgPid, dump: meta.dump,
    kind: 'netconf',
    op: opOf(meta.nlmsgType, RTM_NEWNETCONF),
    family,
  };
  const S = 'NETCONFA';
  // netconfmsg is one byte; attributes start at NLMSG_ALIGN(1) = 4 into the payload.
  for (const a of walkAttrs(r, H + 4, r.length, S)) {
    switch (a.type) {
      case NETCONFA_IFINDEX: rec.ifindex = getI32(r, a, S); break;
      case NETCONFA_FORWARDING: rec.forwarding = getI32(r, a, S); break;
      case NETCONFA_RP_FILTER: rec.rpFilter = getI32(r, a, S); break;
      case NETCONFA_MC_FORWARDING: rec.mcForwarding = getI32(r, a, S); break;
      case NETCONFA_PROXY_NEIGH: rec.proxyNeigh = getI32(r, a, S); break;
      case NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: rec.ignoreRoutesWithLinkdown = getI32(r, a, S); break;
      case NETCONFA_INPUT: rec.input = getI32(r, a, S); break;
      case NETCONFA_BC_FORWARDING: rec.bcForwarding = getI32(r, a, S); break;
      default: break;
    }
  }
  return { ok: true, record: withTime(rec, meta) };
}
