// What iproute2 6.1 prints about a link and its addresses in JSON (ip/ipaddress.c
// print_linkinfo(), print_link_flags(), print_addrinfo(); ip/ipnetconf.c print_netconf()),
// from the attributes of an RTM_NEWLINK (LinkInfo). Both the replay (a trace's link
// attributes, ../replay/link-table.ts) and `kfib run` (the model's, ../iproute2/link-info.ts)
// print through these.

import type { DevConf } from '../snapshot/devconf.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import { formatIp4 } from '../net/ip4.js';
import { BUILTIN_NAMES, groupName, linkTypeName, scopeName, type PrintNames } from '../uapi/rt-names.js';
import type { JsonValue } from './json-out.js';
import { addIfaFlagsJson, addLifetimesJson } from './addr-info.js';

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_LOWER_UP = 0x10000;

/** Display attributes of one device. */
export interface LinkInfo {
  readonly ifindex: number;
  readonly name: string;
  /** IFF_* as the kernel reported them (IFF_RUNNING included). */
  readonly flags: number;
  readonly mtu: number;
  readonly qdisc: string;
  /** IF_OPER_* word: UNKNOWN, DOWN, LOWERLAYERDOWN, UP ... */
  readonly operstate: string;
  readonly group: number;
  /** ARPHRD: 1 ether, 772 loopback. */
  readonly ifiType: number;
  /** IFLA_ADDRESS / IFLA_BROADCAST; absent for a device without a link-layer address (tun: addr_len 0). */
  readonly address?: string;
  readonly broadcast?: string;
  /** IFLA_LINK (veth peer) ifindex; 0 for none; undefined when unknown. */
  readonly link?: number;
  /** The peer's name when the link is known only by name (text traces, before.json). */
  readonly linkName?: string;
  /**
   * IFLA_LINK_NETNSID: the peer lives in another namespace (a container's end of a veth
   * pair), whose nsid this is; `link` is then an ifindex of that namespace, not of this one.
   */
  readonly linkNetnsid?: number;
  readonly master?: number;
  readonly masterName?: string;
  /** IFLA_INFO_KIND: veth, bridge ... */
  readonly kind?: string;
  readonly txqlen: number;
  /** IFLA_IFALIAS, when the device has one (printed by `ip link` only). */
  readonly ifalias?: string;
  /** The alternative names (`altname`), when the device has any, in the kernel's order. */
  readonly altnames?: readonly string[];
  /** The link_type word of an imported device whose ARPHRD number the model does not know. */
  readonly linkTypeWord?: string;
  /**
   * A binary trace deleted the root qdisc of an up device whose default the model cannot
   * tell (net.core.default_qdisc or mq; dev_activate() attaches it without a notification):
   * `qdisc` is then not the kernel's (replay/link-table.ts linkAfterQdisc()).
   */
  readonly qdiscUnknown?: boolean;
  /** A replay of an ip monitor log cannot know txqlen and the alias now (replay/link-table.ts). */
  readonly unseen?: boolean;
}

export type LinkTable = ReadonlyMap<number, LinkInfo>;

/** The link attributes a printer reads, and the names it prints with. */
export interface LinkView {
  readonly links: LinkTable;
  readonly names?: PrintNames;
}

/** iproute2's flag words, in print_link_flags() order, with their IFF_* bits. */
export const FLAG_WORDS: readonly (readonly [string, number])[] = [
  ['LOOPBACK', 0x8],
  ['BROADCAST', 0x2],
  ['POINTOPOINT', 0x10],
  ['MULTICAST', 0x1000],
  ['NOARP', 0x80],
  ['ALLMULTI', 0x200],
  ['PROMISC', 0x100],
  ['MASTER', 0x400],
  ['SLAVE', 0x800],
  ['DEBUG', 0x4],
  ['DYNAMIC', 0x8000],
  ['AUTOMEDIA', 0x4000],
  ['PORTSEL', 0x2000],
  ['NOTRAILERS', 0x20],
  ['UP', 0x1],
  ['LOWER_UP', 0x10000],
  ['DORMANT', 0x20000],
  ['ECHO', 0x40000],
];

/** The flag words print_link_flags() prints, M-DOWN included when the peer is down. */
export function flagWords(info: LinkInfo, table: LinkTable): string[] {
  const out: string[] = [];
  if ((info.flags & IFF_UP) !== 0 && (info.flags & IFF_RUNNING) === 0) out.push('NO-CARRIER');
  for (const [w, bit] of FLAG_WORDS) if ((info.flags & bit) !== 0) out.push(w);
  // print_linkinfo(): M-DOWN from the peer's flags, looked up here only when the peer is
  // in this namespace (no IFLA_LINK_NETNSID).
  const peer = info.link !== undefined && info.link !== 0 && info.linkNetnsid === undefined ? table.get(info.link) : undefined;
  if (peer !== undefined && (peer.flags & IFF_UP) === 0) out.push('M-DOWN');
  return out;
}

/** The peer's name as iproute2 prints it after `@` (`NONE` for IFLA_LINK 0), or null for no `@`. */
export function peerName(info: LinkInfo, table: LinkTable): string | null {
  if (info.link === 0) return info.kind === 'veth' || info.linkName === 'NONE' ? 'NONE' : null;
  // print_linkinfo(): a peer in another namespace is `@if<its ifindex there>`.
  if (info.link !== undefined && info.linkNetnsid !== undefined) return `if${info.link}`;
  if (info.link !== undefined) return table.get(info.link)?.name ?? `if${info.link}`;
  return info.linkName ?? null;
}

/** The master's name, if any. */
export function masterName(info: LinkInfo, table: LinkTable): string | null {
  if (info.master !== undefined && info.master !== 0) return table.get(info.master)?.name ?? `if${info.master}`;
  return info.masterName ?? null;
}

/**
 * The link part of one `ip -j link|address show` element (print_linkinfo()): the link-layer
 * keys (link_type, address, broadcast) only when no family or the link family was asked
 * for (`-4` leaves them out).
 */
export function linkCommon(v: LinkView, info: LinkInfo, withMode: boolean, linkLayer = true): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { ifindex: info.ifindex };
  const peer = peerName(info, v.links);
  // print_linkinfo(): with IFLA_LINK_NETNSID the JSON carries the peer's ifindex ("link_index").
  if (peer !== null && info.linkNetnsid !== undefined && info.link !== undefined && info.link !== 0) o['link_index'] = info.link;
  else if (peer !== null) o['link'] = peer === 'NONE' ? null : peer;
  o['ifname'] = info.name;
  o['flags'] = flagWords(info, v.links);
  o['mtu'] = info.mtu;
  o['qdisc'] = info.qdisc;
  const master = masterName(info, v.links);
  if (master !== null) o['master'] = master;
  o['operstate'] = info.operstate;
  if (withMode) o['linkmode'] = 'DEFAULT';
  o['group'] = groupName(info.group, v.names);
  // print_txqlen(): a queue length of 0 is not printed, in JSON either.
  if (info.txqlen !== 0) o['txqlen'] = info.txqlen;
  if (linkLayer) {
    o['link_type'] = info.linkTypeWord ?? linkTypeName(info.ifiType, v.names);
    if (info.address !== undefined) o['address'] = info.address;
    if (info.broadcast !== undefined) {
      if ((info.flags & IFF_POINTOPOINT) !== 0) o['link_pointtopoint'] = true;
      o['broadcast'] = info.broadcast;
    }
  }
  // print_linkinfo(): the peer's nsid after the link-layer part (or in its place with -4).
  if (info.linkNetnsid !== undefined) o['link_netnsid'] = info.linkNetnsid;
  // print_linkinfo(): the alias for `ip link` (do_link) only.
  if (withMode && info.ifalias !== undefined) o['ifalias'] = info.ifalias;
  // print_linkinfo(): IFLA_PROP_LIST's names, for `ip link` and `ip address` alike.
  if (info.altnames !== undefined && info.altnames.length > 0) o['altnames'] = [...info.altnames];
  return o;
}

/** One `addr_info` element of `ip -j address show` (print_addrinfo(), IPv4). */
export function addrInfoJson(a: InIfaddr, names: PrintNames = BUILTIN_NAMES): JsonValue {
  const x: Record<string, JsonValue> = { family: 'inet', local: formatIp4(a.local) };
  if (a.address !== a.local) x['address'] = formatIp4(a.address);
  x['prefixlen'] = a.prefixlen;
  if (a.metric !== 0) x['metric'] = a.metric;
  if (a.broadcast !== 0) x['broadcast'] = formatIp4(a.broadcast);
  x['scope'] = scopeName(a.scope, names);
  addIfaFlagsJson(a, x);
  x['label'] = a.label;
  addLifetimesJson(a, x);
  return x;
}

function onoff(v: number): boolean {
  return v !== 0;
}

function rpFilter(v: number): JsonValue {
  return v === 0 ? 'off' : v === 1 ? 'strict' : v === 2 ? 'loose' : v >>> 0;
}

/** One inet entry of `ip -j netconf show` (print_netconf()). */
export function netconfEntry(name: string, c: DevConf): JsonValue {
  return {
    family: 'inet',
    interface: name,
    forwarding: onoff(c.values.forwarding),
    rp_filter: rpFilter(c.values.rp_filter),
    mc_forwarding: onoff(c.values.mc_forwarding),
    proxy_neigh: onoff(c.values.proxy_arp),
    ignore_routes_with_linkdown: onoff(c.values.ignore_routes_with_linkdown),
  };
}

/** One inet6 entry of `ip -j netconf show` (print_netconf()): the IPv6 devconf's values, off in the model (ip-netconf-nexthop.ts). */
export function netconf6Entry(name: string): JsonValue {
  return { family: 'inet6', interface: name, forwarding: false, proxy_neigh: false, ignore_routes_with_linkdown: false };
}

/** `ip -j -4 netconf show`: devices in ifindex order, then all and default. */
export function netconfJson(s: FibSnapshot): JsonValue[] {
  const out: JsonValue[] = [];
  for (const d of s.devices.values()) out.push(netconfEntry(d.name, d.conf));
  out.push(netconfEntry('all', s.confAll), netconfEntry('default', s.confDefault));
  return out;
}

/**
 * print_txqlen() (ip/ipaddress.c) in text: IFLA_TXQLEN as `qlen N` (N as an int: 0xffffffff
 * is -1, the reducer keeps what `ip link set … txqueuelen` gave), nothing when it is 0. It
 * follows `group G `, whose space stays (checked against Linux 6.18 with iproute2 6.1).
 */
export function txqlenText(txqlen: number): string {
  return txqlen === 0 ? '' : `qlen ${txqlen}`;
}
