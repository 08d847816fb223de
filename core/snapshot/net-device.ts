// Network devices and their IPv4 addresses (struct net_device, struct in_device,
// struct in_ifaddr). Only what the FIB reads: admin state (IFF_UP), carrier
// (netif_carrier_ok), the ordered address list, devconf.

import type { Ip4 } from '../net/ip4.js';
import type { DevConf } from './devconf.js';
import type { DeviceKind, VxlanConfig } from '../events/netdev.js';

/** One IPv4 address (struct in_ifaddr). */
export interface InIfaddr {
  /** ifa_local. */
  readonly local: Ip4;
  /** ifa_address: the peer, equal to local unless `peer` was given. */
  readonly address: Ip4;
  readonly prefixlen: number;
  /** ifa_broadcast, 0 when none was given. */
  readonly broadcast: Ip4;
  readonly scope: number;
  readonly label: string;
  /** IFA_RT_PRIORITY: metric of the prefix route. */
  readonly metric: number;
  readonly secondary: boolean;
  readonly noprefixroute: boolean;
  /** Any other IFA_F_* bits given by the user (nodad, home, …), kept for display. */
  readonly extraFlags: number;
  /**
   * A finite valid lifetime (IFA_CACHEINFO; the address is not IFA_F_PERMANENT: iproute2
   * prints `dynamic`): the seconds as the address last got them. The kernel counts them
   * down and deletes the address at 0 (check_lifetime()); the model has no clock.
   */
  readonly lifetimes?: AddrLifetimes;
}

/** Lifetimes in seconds (0xffffffff: forever), as set by set_ifa_lifetime(). */
export interface AddrLifetimes {
  readonly valid: number;
  readonly preferred: number;
}

export interface NetDevice {
  readonly ifindex: number;
  readonly name: string;
  readonly kind: DeviceKind;
  /** veth: the peer's ifindex (null once the peer is gone). */
  readonly peer: number | null;
  /** Bridge port: the bridge's ifindex. */
  readonly master: number | null;
  /** IFF_UP. */
  readonly up: boolean;
  /** netif_carrier_ok(). */
  readonly carrier: boolean;
  /** bridge: has it ever had a port (a portless fresh bridge has carrier when up). */
  readonly hadPorts: boolean;
  /** bridge: br_port_state_selection() ran without a port ever joining (its address was changed: br_stp_change_bridge_id()). */
  readonly stpSelected?: boolean;
  /** Interface group (suppress_ifgroup). */
  readonly group: number;
  /** Address list in the kernel's order (primaries by scope, then secondaries). */
  readonly addrs: readonly InIfaddr[];
  readonly conf: DevConf;
  /** Link-layer address as iproute2 prints it (random for veth/bridge; normalised in transcripts). */
  readonly mac: string;
  readonly mtu: number;
  /** LinkSpec.driver: the IFLA_INFO_KIND of a device of kind 'other', when known. */
  readonly driver?: string;
  /** LinkSpec.lower: the device this imported one's carrier follows in the kernel. */
  readonly lower?: number;
  /** LinkSpec.netnsLink: an imported device's peer in another namespace (its ifindex there, the nsid). */
  readonly netnsLink?: { readonly ifindex: number; readonly nsid: number };
  /** The device has been up at least once, so it has a qdisc (`noqueue` instead of `noop`). */
  readonly everUp?: boolean;
  /**
   * The root qdisc's kind (dev->qdisc, IFLA_QDISC) of a device imported from a dump: a
   * string as dumped (and as dev_activate() left it since), null when the kernel's is not
   * knowable (see qdiscOnOpen()). Undefined for a device the model made: derived from
   * everUp (qdiscOf()).
   */
  readonly qdisc?: string | null;
  /** Imported (kind 'other'): the dump's link_type word when not `ether` (`none` for a tun). */
  readonly linkTypeWord?: string;
  /** A tun or tap device made by `ip tuntap add` (LinkSpec.tun). */
  readonly tun?: 'tun' | 'tap';
  /** LinkSpec.ifb: an ifb device made by `ip link add … type ifb` (../dev/ifb.ts). */
  readonly ifb?: true;
  /** A vxlan device made by `ip link add … type vxlan` (LinkSpec.vxlan). */
  readonly vxlan?: VxlanConfig;
  /** Imported (kind 'other'): the dump had no address (IFLA_ADDRESS absent: dev->addr_len 0, a tun). */
  readonly noLinkAddress?: boolean;
  /** Imported down (kind 'other'): its carrier once up is its driver's, not in the dump; cleared by a carrier change seen. */
  readonly carrierUnknown?: boolean;
  /** bridge: the MTU was set by the user (BROPT_MTU_SET_BY_USER): ports no longer adjust it. */
  readonly mtuSetByUser?: boolean;
  /** linkwatch has set operstate (a carrier change was seen): UP/DOWN, no longer UNKNOWN (display only). */
  readonly operKnown?: boolean;
  /** bridge: a port has been forwarding at some point (display only). */
  readonly sawForwardingPort?: boolean;
  /** dev->tx_queue_len as iproute2 prints it (an int), when set by `ip link set … txqueuelen`; 1000 otherwise. */
  readonly txqlen?: number;
  /** dev->ifalias (`ip link set … alias NAME`), when set. */
  readonly ifalias?: string;
  /** The alternative names an imported device was dumped with (`altname`, IFLA_PROP_LIST), in order. */
  readonly altnames?: readonly string[];
  /**
   * The dev->flags bits among IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI and IFF_PROMISC that a
   * user changed (`ip link set … multicast|arp|allmulticast|promisc on|off`): `mask` says
   * which, `value` what they are; the others keep the kind's default (display only: no FIB
   * code reads them).
   */
  readonly userFlags?: { readonly mask: number; readonly value: number };
  /** The link-layer address was set by the user (a bridge then keeps it when its ports leave: br_stp_recalculate_bridge_id()). */
  readonly macSetByUser?: boolean;
  /** A macvlan in passthru mode: its port (on its lower device) takes no other macvlan. */
  readonly macvlanPassthru?: true;
  /**
   * Made with a requested ifindex (`ip link add … index N`): its place in the namespace's
   * device list (registration order, which group operations walk) may differ from its
   * ifindex order, which the model keeps.
   */
  readonly indexRequested?: true;
  /**
   * The inet6_dev where the MTU does not tell (absent: it has one iff its MTU is at least
   * 1280, or it is lo). 'none': its MTU went to 1280 or more while it was named `all` or
   * `default`, and ipv6_add_dev() failed on the existing sysctl directories. 'unknown': such
   * a device was brought up under another name since, where addrconf_notify(NETDEV_UP) makes
   * one only if addrconf_link_ready() (its operstate at that moment): the commands that
   * read it are named.
   */
  readonly inet6Dev?: 'none' | 'unknown';
}

/** The subnet's primary address (inet_ifa_byprefix): the primary with this prefix and mask. */
export function ifaByPrefix(dev: NetDevice, prefix: Ip4, prefixlen: number): InIfaddr | undefined {
  return dev.addrs.find(
    (a) => !a.secondary && a.prefixlen === prefixlen && (((a.address ^ prefix) >>> 0) & maskBits(prefixlen)) === 0,
  );
}

function maskBits(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/**
 * Drivers that set IFF_NO_QUEUE, checked in a namespace of Linux 6.18 (`ip link` after the
 * first `up`: qdisc noqueue): loopback_setup(), veth_setup(), br_dev_setup(),
 * macvlan_common_setup(), vxlan_setup(); and dummy_setup() (the model's dummy kind). tun,
 * tap and ifb get net.core.default_qdisc instead (pfifo_fast there).
 */
const NO_QUEUE_DRIVERS: ReadonlySet<string> = new Set(['veth', 'bridge', 'macvlan', 'vxlan', 'dummy']);

/**
 * The qdisc kind iproute2 prints for the device (rtnl_fill_ifinfo(): dev->qdisc->ops->id),
 * or null when it is not knowable. A device the model made has IFF_NO_QUEUE (every model
 * kind does): `noop` until its first open, `noqueue` from then on (dev_deactivate() keeps
 * dev->qdisc).
 */
export function qdiscOf(d: NetDevice): string | null {
  if (d.qdisc !== undefined) return d.qdisc;
  return d.everUp === true ? 'noqueue' : 'noop';
}

/**
 * dev_activate() on open (net/sched/sch_generic.c): only a device whose qdisc is noop gets
 * one, attach_default_qdiscs(): noqueue for an IFF_NO_QUEUE driver, otherwise
 * net.core.default_qdisc (mq first on a multiqueue device): for an imported device whose
 * driver does not say IFF_NO_QUEUE, what the host's sysctl and queue count make, which a
 * dump does not tell (null). Every other qdisc stays as it was.
 */
export function qdiscOnOpen(d: NetDevice): string | null | undefined {
  if (d.qdisc === undefined || d.qdisc !== 'noop') return d.qdisc;
  if (d.kind === 'loopback' || noQueueDriver(d.kind) || (d.kind === 'other' && d.driver !== undefined && noQueueDriver(d.driver))) return 'noqueue';
  return null;
}

/** Whether a driver (IFLA_INFO_KIND, or a model kind) sets IFF_NO_QUEUE: its default qdisc is noqueue. */
export function noQueueDriver(kind: string): boolean {
  return NO_QUEUE_DRIVERS.has(kind);
}

/** IPV6_MIN_MTU (include/linux/ipv6.h). */
export const IPV6_MIN_MTU = 1280;

/**
 * __in6_dev_get(dev) != NULL: whether addrconf keeps an inet6_dev on the device. addrconf_notify()
 * makes one at NETDEV_REGISTER and NETDEV_CHANGEMTU for an MTU of at least IPV6_MIN_MTU, and
 * an MTU below it destroys it through addrconf_ifdown(dev, unregister = dev != loopback_dev):
 * lo keeps its inet6_dev whatever its MTU (ipv6_add_dev() makes one for lo below 1280 too).
 */
export function hasInet6Dev(dev: NetDevice): boolean {
  return dev.kind === 'loopback' || (dev.mtu >= IPV6_MIN_MTU && dev.inet6Dev !== 'none');
}
