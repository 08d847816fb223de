// What a replay knows about each device beyond what the FIB needs: the link attributes
// of the latest RTM_NEWLINK (flags, operstate, qdisc, peer, master, MAC, kind), or of
// the `ip -j link show` element in before.json, kept for `--show link|addr|json` only.
//
// Why a side table: the replay gives every device but lo the model kind 'other', whose
// carrier comes from the trace (IFLA_CARRIER / IFF_LOWER_UP), so the FIB follows the
// kernel's own timing instead of the model's veth/bridge carrier rules; what iproute2
// prints about a link is then taken from what the kernel said about it (print_linkinfo()
// in ip/ipaddress.c).

import type { IpLink } from '../trace/ip-json.js';
import { LINK_TYPE_NAMES } from '../uapi/rt-names.js';
import type { LinkRecord, QdiscRecord } from '../trace/netlink-records.js';
import { TC_H_ROOT } from '../uapi/rtnetlink.js';
import { noQueueDriver } from '../snapshot/net-device.js';
import { FLAG_WORDS, IFF_RUNNING, IFF_UP, type LinkInfo, type LinkTable } from '../print/link-json.js';

// The link attributes and their printers live in ../print/link-json.ts (below the ip
// commands, which print them too); re-exported for the replay's readers.
export { IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_NOARP, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, flagWords, masterName, peerName, type LinkInfo, type LinkTable } from '../print/link-json.js';

const OPER = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** IF_OPER_* number to iproute2's word. */
export function operstateName(n: number | undefined): string {
  return n === undefined ? 'UNKNOWN' : (OPER[n] ?? `${n}`);
}

/** IFF_* bits from `ip -j link` flag words (NO-CARRIER and M-DOWN are derived, not bits). */
export function flagsFromWords(words: readonly string[]): number {
  let f = 0;
  for (const w of words) {
    const hit = FLAG_WORDS.find(([name]) => name === w);
    if (hit !== undefined) f |= hit[1];
  }
  // IFF_RUNNING is never printed: up and not NO-CARRIER.
  if ((f & IFF_UP) !== 0 && !words.includes('NO-CARRIER')) f |= IFF_RUNNING;
  return f;
}

/** A LinkInfo from an `ip -j link show` element. */
export function linkFromJson(l: IpLink): LinkInfo {
  const base: LinkInfo = {
    ifindex: l.ifindex,
    name: l.ifname,
    flags: flagsFromWords(l.flags),
    mtu: l.mtu ?? 1500,
    qdisc: l.qdisc ?? 'noop',
    operstate: l.operstate ?? 'UNKNOWN',
    group: l.group === undefined || l.group === 'default' ? 0 : Number(l.group),
    ifiType: l.link_type === undefined ? 1 : (LINK_TYPE_NAMES[l.link_type] ?? -1),
    txqlen: l.txqlen ?? 1000,
  };
  return {
    ...base,
    // A link type ll_type_n2a() has no word for here: printed as before.json said it.
    ...(l.link_type !== undefined && LINK_TYPE_NAMES[l.link_type] === undefined ? { linkTypeWord: l.link_type } : {}),
    ...(l.address !== undefined ? { address: l.address } : {}),
    ...(l.broadcast !== undefined ? { broadcast: l.broadcast } : {}),
    ...(l.ifalias !== undefined ? { ifalias: l.ifalias } : {}),
    ...(l.altnames !== undefined && l.altnames.length > 0 ? { altnames: l.altnames } : {}),
    ...(l.link === null ? { link: 0 } : {}),
    ...(l.link_index !== undefined ? { link: l.link_index } : {}),
    ...(l.link_netnsid !== undefined ? { linkNetnsid: l.link_netnsid } : {}),
    ...(typeof l.link === 'string' ? { linkName: l.link } : {}),
    ...(l.master !== undefined ? { masterName: l.master } : {}),
  };
}

/**
 * The LinkInfo after an RTM_NEWLINK. A binary record is the whole of rtnl_fill_ifinfo(): its
 * IFLA_TXQLEN, and IFLA_IFALIAS and IFLA_MASTER present only while the device has them. A
 * text record (ip monitor) lacks qlen and alias, and fields it lacks are kept from `prev`:
 * when it shows nothing that differs from `prev` (something it does not print changed, such
 * as txqlen or the alias), or the device is new in the trace, txqlen and alias become unknown
 * (`unseen`), which `--show link|json` names as a gap.
 */
export function linkFromRecord(r: LinkRecord, prev: LinkInfo | undefined): LinkInfo {
  const binary = r.txqlen !== undefined;
  const name = r.name ?? prev?.name ?? `if${r.ifindex}`;
  const next: LinkInfo = {
    ifindex: r.ifindex,
    name,
    flags: r.flags,
    mtu: r.mtu ?? prev?.mtu ?? 1500,
    qdisc: r.qdisc ?? prev?.qdisc ?? 'noop',
    operstate: r.operstate !== undefined ? operstateName(r.operstate) : (prev?.operstate ?? 'UNKNOWN'),
    group: r.group ?? prev?.group ?? 0,
    ifiType: r.ifiType ?? prev?.ifiType ?? 1,
    txqlen: r.txqlen ?? prev?.txqlen ?? 1000,
  };
  // A device without a link-layer address (tun) has neither attribute, nor the text line.
  const address = binary ? r.address : (r.address ?? prev?.address);
  const broadcast = binary ? r.broadcast : (r.broadcast ?? prev?.broadcast);
  const link = r.link ?? prev?.link;
  const linkName = r.linkName ?? (r.link === undefined ? prev?.linkName : undefined);
  const master = binary ? r.master : (r.master ?? prev?.master);
  const kind = r.linkKind ?? prev?.kind;
  const ifalias = binary ? r.ifalias : prev?.ifalias;
  // Every RTM_NEWLINK, binary or text, carries all of the device's alternative names.
  const altnames = r.altnames ?? prev?.altnames;
  // IFLA_LINK_NETNSID: a binary record has it whenever the peer is elsewhere; a text record
  // prints it on its link-layer line (`link-netnsid N`), so one with that line says it.
  const linkNetnsid = binary || r.ifiType !== undefined ? r.linkNetnsid : prev?.linkNetnsid;
  const out: LinkInfo = {
    ...next,
    ...(link !== undefined ? { link } : {}),
    ...(linkNetnsid !== undefined ? { linkNetnsid } : {}),
    ...(linkName !== undefined ? { linkName } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(r.masterName !== undefined ? { masterName: r.masterName } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(r.ifiType === undefined && prev?.linkTypeWord !== undefined ? { linkTypeWord: prev.linkTypeWord } : {}),
    ...(address !== undefined ? { address } : {}),
    ...(broadcast !== undefined ? { broadcast } : {}),
    ...(ifalias !== undefined ? { ifalias } : {}),
    ...(altnames !== undefined && altnames.length > 0 ? { altnames } : {}),
    // A record without IFLA_QDISC (ip monitor text) leaves an unknown qdisc unknown.
    ...(r.qdisc === undefined && prev?.qdiscUnknown === true ? { qdiscUnknown: true } : {}),
  };
  if (binary || r.op !== 'new') return out;
  const unseen = prev === undefined || prev.unseen === true || sameVisible(prev, out);
  return unseen ? { ...out, unseen: true } : out;
}

/**
 * veth_newlink() registers the peer first: the peer's RTM_NEWLINK says IFLA_LINK 0 (the device
 * it pairs with has no ifindex yet) and no later notification corrects it, while `ip link`
 * afterwards shows the pair (`late0-p@late0`, M-DOWN from the other end). So a veth whose
 * record names as its link a veth that says 0 is that veth's peer: the peer's entry with the
 * link filled in, or null when there is nothing to fill.
 */
export function vethPeerBackfill(r: LinkRecord, links: LinkTable): LinkInfo | null {
  if (r.op !== 'new' || r.linkNetnsid !== undefined) return null;
  if (r.linkKind === 'veth' && r.link !== undefined && r.link !== 0) {
    const peer = links.get(r.link);
    if (peer === undefined || peer.kind !== 'veth' || peer.link !== 0) return null;
    return { ...peer, link: r.ifindex };
  }
  // An ip monitor log has no kinds: the pair's signature instead, both new in the log (their
  // txqlen unknown, so printing them is a named gap anyway), the peer one ifindex below.
  if (r.txqlen === undefined && r.linkName !== undefined) {
    const peer = links.get(r.ifindex - 1);
    if (peer === undefined || peer.name !== r.linkName || peer.link !== 0 || peer.unseen !== true) return null;
    return { ...peer, link: r.ifindex };
  }
  return null;
}

/**
 * The other end of a veth pair whose end crossed namespaces, which no record of its own says
 * (it gets an RTM_NEWLINK only when its carrier changes, and a peer that was down takes none
 * with it). veth_get_iflink() is the peer's ifindex in the peer's namespace, and
 * rtnl_fill_link_netnsid() adds IFLA_LINK_NETNSID while the peer is elsewhere. Two devices
 * that name each other in this namespace are a veth pair (no other kind links back).
 * - An RTM_DELLINK with IFLA_NEW_NETNSID/IFLA_NEW_IFINDEX (dev_change_net_namespace()): the
 *   end left; the other end's link is now that ifindex in that namespace (the same id: both
 *   are peernet2id() of this namespace).
 * - An RTM_NEWLINK of a veth (binary: IFLA_INFO_KIND) whose link is a device here that links
 *   into another namespace: its peer came back. A text record has no kind: a device new in
 *   the log naming such a device is taken as its peer (a new device's link attributes are a
 *   named gap in a text replay anyway: `unseen`).
 * The other end's entry after the record, or null when none changes. `links` is the table
 * before a deletion, after an addition.
 */
export function vethPeerAcrossNetns(r: LinkRecord, links: LinkTable, isNew: boolean): LinkInfo | null {
  if (r.op === 'del') {
    const self = links.get(r.ifindex);
    if (r.newNetnsid === undefined || r.newIfindex === undefined || self === undefined) return null;
    if (self.link === undefined || self.link === 0 || self.linkNetnsid !== undefined) return null;
    const peer = links.get(self.link);
    if (peer === undefined || peer.link !== r.ifindex || peer.linkNetnsid !== undefined) return null;
    const { linkName: _, ...rest } = peer;
    return { ...rest, link: r.newIfindex, linkNetnsid: r.newNetnsid };
  }
  const self = links.get(r.ifindex);
  if (self === undefined || self.link === undefined || self.link === 0 || self.linkNetnsid !== undefined) return null;
  const binary = r.txqlen !== undefined;
  if (binary ? r.linkKind !== 'veth' : !isNew) return null;
  const peer = links.get(self.link);
  if (peer === undefined || peer.linkNetnsid === undefined) return null;
  const { linkNetnsid: _, linkName: __, ...rest } = peer;
  return { ...rest, link: r.ifindex };
}

/**
 * A link an ip monitor line named only by its peer's name (`late0@late0-p`): with the peer's
 * ifindex too, found by name (names are unique at any moment), so that M-DOWN (the peer is
 * down) is derived as for the others. Unchanged when the index is known or the name is not.
 */
export function withPeerIndex(l: LinkInfo, links: LinkTable): LinkInfo {
  if (l.link !== undefined || l.linkName === undefined || l.linkName === 'NONE') return l;
  for (const o of links.values()) if (o.name === l.linkName && o.ifindex !== l.ifindex) return { ...l, link: o.ifindex };
  return l;
}

/** Whether two states of a link print alike in an ip monitor [LINK] line (print_linkinfo()). */
function sameVisible(a: LinkInfo, b: LinkInfo): boolean {
  return a.name === b.name && a.flags === b.flags && a.mtu === b.mtu && a.qdisc === b.qdisc && a.operstate === b.operstate && a.group === b.group &&
    a.address === b.address && a.broadcast === b.broadcast && a.masterName === b.masterName && a.master === b.master && a.link === b.link && a.linkName === b.linkName &&
    (a.altnames ?? []).join(' ') === (b.altnames ?? []).join(' ');
}

/**
 * The link after an RTM_NEWQDISC/DELQDISC. Only a root qdisc (tcm_parent TC_H_ROOT) is
 * dev->qdisc, the `qdisc` of `ip link`; a new one is its TCA_KIND. A deleted root
 * (qdisc_graft() with no new qdisc) leaves noop on a down device; on an up one
 * dev_activate() attaches the default without a notification: noqueue for an IFF_NO_QUEUE
 * driver (lo, veth, bridge, macvlan, vxlan: ../snapshot/net-device.ts), else
 * net.core.default_qdisc, or mq on a multiqueue device, which the trace does not tell
 * (`qdiscUnknown`, named where links are printed). Captured: adding a root qdisc notifies
 * DELQDISC of the old one, then NEWQDISC; deleting it, one DELQDISC
 * (test/fixtures/traces/17-root-qdisc).
 */
export function linkAfterQdisc(info: LinkInfo, r: QdiscRecord): LinkInfo {
  if (r.parent !== TC_H_ROOT) return info;
  const { qdiscUnknown: _was, ...known } = info;
  if (r.op === 'new') return r.qdiscKind === undefined ? { ...info, qdiscUnknown: true } : { ...known, qdisc: r.qdiscKind };
  if ((info.flags & IFF_UP) === 0) return { ...known, qdisc: 'noop' };
  if (info.ifiType === 772 || (info.kind !== undefined && noQueueDriver(info.kind))) return { ...known, qdisc: 'noqueue' };
  return { ...info, qdiscUnknown: true };
}
