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
import { FLAG_WORDS, IFF_RUNNING, IFF_UP, type LinkInfo } from '../print/link-json.js';

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

