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
import type { LinkRecord } from '../trace/netlink-records.js';

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
  readonly address: string;
  readonly broadcast: string;
  /** IFLA_LINK (veth peer) ifindex; 0 for none; undefined when unknown. */
  readonly link?: number;
  /** The peer's name when the link is known only by name (text traces, before.json). */
  readonly linkName?: string;
  readonly master?: number;
  readonly masterName?: string;
  /** IFLA_INFO_KIND: veth, bridge ... */
  readonly kind?: string;
  readonly txqlen: number;
}

export type LinkTable = ReadonlyMap<number, LinkInfo>;

const OPER = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** IF_OPER_* number to iproute2's word. */
export function operstateName(n: number | undefined): string {
  return n === undefined ? 'UNKNOWN' : (OPER[n] ?? `${n}`);
}

/** iproute2's flag words, in print_link_flags() order, with their IFF_* bits. */
const FLAG_WORDS: readonly (readonly [string, number])[] = [
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

/** The flag words print_link_flags() prints, M-DOWN included when the peer is down. */
export function flagWords(info: LinkInfo, table: LinkTable): string[] {
  const out: string[] = [];
  if ((info.flags & IFF_UP) !== 0 && (info.flags & IFF_RUNNING) === 0) out.push('NO-CARRIER');
  for (const [w, bit] of FLAG_WORDS) if ((info.flags & bit) !== 0) out.push(w);
  const peer = info.link !== undefined && info.link !== 0 ? table.get(info.link) : undefined;
  if (peer !== undefined && (peer.flags & IFF_UP) === 0) out.push('M-DOWN');
  return out;
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
    ifiType: l.link_type === 'loopback' ? 772 : 1,
    address: l.address ?? '00:00:00:00:00:00',
    broadcast: l.broadcast ?? 'ff:ff:ff:ff:ff:ff',
    txqlen: l.txqlen ?? 1000,
  };
  return {
    ...base,
    ...(l.link === null ? { link: 0 } : {}),
    ...(l.link_index !== undefined ? { link: l.link_index } : {}),
    ...(typeof l.link === 'string' ? { linkName: l.link } : {}),
    ...(l.master !== undefined ? { masterName: l.master } : {}),
  };
}

/** The LinkInfo after an RTM_NEWLINK (fields the record lacks are kept from `prev`). */
export function linkFromRecord(r: LinkRecord, prev: LinkInfo | undefined): LinkInfo {
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
    address: r.address ?? prev?.address ?? '00:00:00:00:00:00',
    broadcast: r.broadcast ?? prev?.broadcast ?? 'ff:ff:ff:ff:ff:ff',
    txqlen: prev?.txqlen ?? 1000,
  };
  const link = r.link ?? prev?.link;
  const linkName = r.linkName ?? (r.link === undefined ? prev?.linkName : undefined);
  const master = r.master ?? prev?.master;
  const kind = r.linkKind ?? prev?.kind;
  return {
    ...next,
    ...(link !== undefined ? { link } : {}),
    ...(linkName !== undefined ? { linkName } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(r.masterName !== undefined ? { masterName: r.masterName } : {}),
    ...(kind !== undefined ? { kind } : {}),
  };
}

/** The peer's name as iproute2 prints it after `@` (`NONE` for IFLA_LINK 0), or null for no `@`. */
export function peerName(info: LinkInfo, table: LinkTable): string | null {
  if (info.link === 0) return info.kind === 'veth' || info.linkName === 'NONE' ? 'NONE' : null;
  if (info.link !== undefined) return table.get(info.link)?.name ?? `if${info.link}`;
  return info.linkName ?? null;
}

/** The master's name, if any. */
export function masterName(info: LinkInfo, table: LinkTable): string | null {
  if (info.master !== undefined && info.master !== 0) return table.get(info.master)?.name ?? `if${info.master}`;
  return info.masterName ?? null;
}
