// `ip link show` and the link part of `ip address show` (ip/ipaddress.c print_linkinfo,
// print_link_flags): flags as dev_get_flags() reports them, operstate as linkwatch sets it.

import { qdiscOf, type NetDevice } from '../snapshot/net-device.js';
import { notModelled } from './command-context.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { BUILTIN_NAMES, groupName, linkTypeName, type PrintNames } from '../uapi/rt-names.js';
import { FLAG_WORDS, IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_NOARP, IFF_RUNNING, IFF_UP, txqlenText } from '../print/link-json.js';

const IFF_MULTICAST = 0x1000;

/** IF_OPER_* as iproute2 prints it. */
export function operstate(s: FibSnapshot, d: NetDevice): string {
  if (!d.up) return 'DOWN';
  switch (d.kind) {
    case 'loopback':
      return 'UNKNOWN';
    case 'veth':
    case 'macvlan':
      // A stacked device without carrier: its lower layer is down (veth: the peer).
      return d.carrier ? 'UP' : 'LOWERLAYERDOWN';
    case 'bridge':
      if (d.carrier) return d.sawForwardingPort === true ? 'UP' : 'UNKNOWN';
      return 'DOWN';
    case 'dummy':
      // IF_OPER_UNKNOWN until linkwatch ran once (dummy never reports carrier itself)
      if (d.operKnown !== true) return 'UNKNOWN';
      return d.carrier ? 'UP' : 'DOWN';
    case 'other':
      // default_operstate(): without carrier, LOWERLAYERDOWN when the device has an
      // IFLA_LINK other than itself (an imported dump's `link`), else DOWN; IF_OPER_UNKNOWN
      // while linkwatch never ran for it (dumped UNKNOWN: ../replay/link-display.ts).
      if (d.carrier && d.operKnown === false) return 'UNKNOWN';
      return d.carrier ? 'UP' : d.lower !== undefined ? 'LOWERLAYERDOWN' : 'DOWN';
  }
  void s;
}

/** IFF_RUNNING: netif_oper_up() (UP or UNKNOWN) on a running device. */
function running(s: FibSnapshot, d: NetDevice): boolean {
  const st = operstate(s, d);
  return d.up && (st === 'UP' || st === 'UNKNOWN');
}

/**
 * dev_get_flags(): the kind's flags (loopback_setup(): IFF_LOOPBACK; dummy_setup():
 * IFF_BROADCAST | IFF_NOARP, IFF_MULTICAST cleared; ether_setup(): IFF_BROADCAST |
 * IFF_MULTICAST) with what `ip link set … arp|multicast|allmulticast|promisc` changed,
 * IFF_UP, IFF_RUNNING while netif_oper_up() (UP or UNKNOWN), IFF_LOWER_UP while the carrier is on.
 */
export function devFlags(s: FibSnapshot, d: NetDevice): number {
  let f = d.kind === 'loopback' ? IFF_LOOPBACK : d.kind === 'dummy' ? IFF_BROADCAST | IFF_NOARP : IFF_BROADCAST | IFF_MULTICAST;
  if (d.userFlags !== undefined) f = (f & ~d.userFlags.mask) | (d.userFlags.value & d.userFlags.mask);
  if (d.up) {
    f |= IFF_UP;
    if (running(s, d)) f |= IFF_RUNNING;
    if (d.carrier) f |= IFF_LOWER_UP;
  }
  return f;
}

/** The <FLAGS> word list (print_link_flags()): NO-CARRIER, the flag words in order, M-DOWN. */
export function linkFlags(s: FibSnapshot, d: NetDevice): string {
  const flags = devFlags(s, d);
  const f: string[] = [];
  if (d.up && !running(s, d)) f.push('NO-CARRIER');
  for (const [w, bit] of FLAG_WORDS) if ((flags & bit) !== 0) f.push(w);
  // IFF_MASTER-less "M-DOWN": print_link_flags() when the IFLA_LINK device is down.
  const link = linkOf(d);
  if (link !== null) {
    const p = s.devices.get(link);
    if (p !== undefined && !p.up) f.push('M-DOWN');
  }
  return `<${f.join(',')}>`;
}

/**
 * IFLA_LINK: a veth's peer, a macvlan's lower device, and for an imported device the `link`
 * its dump named (print_linkinfo() prints NAME@LINK and M-DOWN from it whatever the kind);
 * null for none.
 */
export function linkOf(d: NetDevice): number | null {
  if (d.kind === 'veth') return d.peer;
  if (d.kind === 'macvlan' || d.kind === 'other') return d.lower ?? null;
  return null;
}

/**
 * The qdisc word of print_linkinfo() (IFLA_QDISC), or the command is not modelled: an
 * imported device whose default qdisc came from its host's net.core.default_qdisc or queue
 * count (qdiscOnOpen() in ../snapshot/net-device.ts).
 */
export function knownQdisc(d: NetDevice): string {
  const q = qdiscOf(d);
  if (q === null) notModelled(qdiscUnknownWhy(d));
  return q;
}

/** Why a device's qdisc is not known (qdiscOf() is null): what `not modelled` names. */
export function qdiscUnknownWhy(d: NetDevice): string {
  // A tun/tap of `ip tuntap add` (one queue) gets net.core.default_qdisc, a host-wide sysctl.
  if (d.tun !== undefined) return `the qdisc of ${d.name} (a ${d.tun} device brought up from noop gets the host's net.core.default_qdisc)`;
  // ifb_setup() leaves IFF_NO_QUEUE clear: the same default qdisc.
  if (d.ifb === true) return `the qdisc of ${d.name} (an ifb device brought up from noop gets the host's net.core.default_qdisc)`;
  return `the qdisc of ${d.name} (an imported device brought up from noop gets its host's net.core.default_qdisc, or mq with several tx queues; neither is in the dump)`;
}

/**
 * The link-layer words of an imported device the model cannot print (a link type other than
 * ether with an address: its broadcast or peer form is not kept), or the command is not modelled.
 */
export function knownLinkLayer(d: NetDevice): void {
  if (d.linkTypeWord !== undefined && d.noLinkAddress !== true) notModelled(`the link layer of ${d.name} (link/${d.linkTypeWord} with an address, imported from a snapshot)`);
}

/** What a link listing prints of `d` that the model may not know: named (not modelled) before printing. */
export function checkLinkPrintable(d: NetDevice): void {
  knownQdisc(d);
  knownLinkLayer(d);
}

/** The first line of a link record, without its newline; `mode` only in `ip link`. */
export function linkHeader(s: FibSnapshot, d: NetDevice, withMode: boolean, names: PrintNames = BUILTIN_NAMES): string {
  const link = linkOf(d);
  const peer = link !== null ? s.devices.get(link) : undefined;
  // print_linkinfo(): a peer in another namespace is `@if<its ifindex there>`.
  const name = d.netnsLink !== undefined ? `${d.name}@if${d.netnsLink.ifindex}` : peer !== undefined ? `${d.name}@${peer.name}` : d.name;
  const master = d.master !== null ? s.devices.get(d.master) : undefined;
  return (
    `${d.ifindex}: ${name}: ${linkFlags(s, d)} mtu ${d.mtu} qdisc ${knownQdisc(d)} ` +
    `${master !== undefined ? `master ${master.name} ` : ''}state ${operstate(s, d)} ${withMode ? 'mode DEFAULT ' : ''}` +
    `group ${groupName(d.group, names)} ${txqlenText(d.txqlen ?? 1000)}`
  );
}

/** IFLA_ADDRESS. A bridge whose last port left has an all-zero address (br_stp_recalculate_bridge_id). */
export function linkAddress(s: FibSnapshot, d: NetDevice): string {
  // An address the user set prints as the scenario runner normalises every address that is
  // not all-zero or all-ones (transcripts stay comparable); the device keeps the real one.
  if (d.macSetByUser === true) return 'xx:xx:xx:xx:xx:xx';
  if (d.kind === 'loopback') return '00:00:00:00:00:00';
  if (d.kind === 'bridge' && d.hadPorts && ![...s.devices.values()].some((x) => x.master === d.ifindex)) return '00:00:00:00:00:00';
  return d.mac;
}

/** The link-layer line, without its newline (ll_type_n2a() names the type, `[N]` under -N). */
export function linkLayer(s: FibSnapshot, d: NetDevice, names: PrintNames = BUILTIN_NAMES): string {
  // print_linkinfo(): "    link/%s " and the address only when IFLA_ADDRESS is there (a tun: none).
  if (d.noLinkAddress === true) return `    link/${d.linkTypeWord ?? linkTypeName(1, names)} `;
  knownLinkLayer(d);
  if (d.kind === 'loopback') return `    link/${linkTypeName(772, names)} ${linkAddress(s, d)} brd 00:00:00:00:00:00`;
  return `    link/${linkTypeName(1, names)} ${linkAddress(s, d)} brd ff:ff:ff:ff:ff:ff${linkNetnsidText(d)}`;
}

/** print_linkinfo()'s ` link-netnsid N` of a device whose peer is in another namespace (after the link-layer line's address, or at the end of the first line under -4). */
export function linkNetnsidText(d: NetDevice): string {
  return d.netnsLink === undefined ? '' : ` link-netnsid ${d.netnsLink.nsid}`;
}
