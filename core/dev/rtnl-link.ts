// Link requests: rtnl_newlink(), do_setlink() and rtnl_dellink() (net/core/rtnetlink.c) with
// register_netdevice(), dev_open() / dev_close() (dev_change_flags) and
// unregister_netdevice() (net/core/dev.c). Each device change runs the netdevice notifier
// chain as the kernel orders it: inetdev_event() (devinet/), fib_netdev_event()
// (frontend/netdev-event.ts), nh_netdev_event() (nexthop/), fib_rules_event() (rules/).

import type { Txn } from '../snapshot/txn.js';
import type { LinkAddEvent, LinkCarrierEvent, LinkDelEvent, LinkSetEvent, LinkSpec } from '../events/netdev.js';
import { hasInet6Dev, IPV6_MIN_MTU, qdiscOnOpen, type NetDevice } from '../snapshot/net-device.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { IFF_BROADCAST, IFF_MULTICAST, IFF_NOARP, IFF_POINTOPOINT } from '../uapi/if.js';
import { fibDisableIp, netdevChange, netdevDown, netdevUp, settleCarriers } from '../frontend/netdev-event.js';
import { fibDelIfaddr } from '../frontend/ifaddr-routes.js';
import { nexthopFlushDev } from '../nexthop/nexthop-change.js';
import { fibRulesEvent } from '../rules/fib-rules-event.js';
import { inetdevChangename, inetdevUp } from '../devinet/inetdev-event.js';
import { devGetValidName, sysctlDevNameIsAllowed } from './dev-valid-name.js';
import { vxlanMtuInvalid, vxlanNewlink, vxlansOn, vxlanValidate } from './vxlan.js';
import { brChangelink } from './br-changelink.js';
import { ifbSetup } from './ifb.js';

/** rtnl_create_link(): IFLA_MTU checked by dev_validate_mtu(), its message not passed on. */
/**
 * The bits `ip link set` may change besides IFF_UP: IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI,
 * IFF_PROMISC, IFF_DYNAMIC and IFF_NOTRAILERS (__dev_change_flags()).
 */
const USER_FLAG_BITS = 0x1000 | 0x80 | 0x200 | 0x100 | 0x8000 | 0x20;

/**
 * The driver's validate (veth_validate(), br_validate(), dummy_validate()) on IFLA_ADDRESS:
 * not six bytes is EINVAL, a multicast or all-zero address EADDRNOTAVAIL.
 */
function createAddressBad(spec: LinkSpec): KernelError | null {
  if (spec.address === undefined) return null;
  if (spec.address.split(':').length !== 6) return kerr('EINVAL');
  if ((Number.parseInt(spec.address.slice(0, 2), 16) & 1) !== 0 || spec.address === '00:00:00:00:00:00') return kerr('EADDRNOTAVAIL');
  return null;
}

/** rtnl_configure_link(): the flags of the request that `ip link set` may change (USER_FLAG_BITS). */
function userFlagsOf(spec: LinkSpec): NetDevice['userFlags'] {
  if (spec.flags === undefined || (spec.flags.mask & USER_FLAG_BITS) === 0) return undefined;
  return { mask: spec.flags.mask & USER_FLAG_BITS, value: spec.flags.value & spec.flags.mask & USER_FLAG_BITS };
}

function createMtuBad(spec: LinkSpec): boolean {
  return spec.mtu !== undefined && (spec.kind === 'veth' || spec.kind === 'bridge' || spec.kind === 'macvlan') && (spec.mtu < 68 || spec.mtu > 65535);
}

/**
 * The driver's ops->validate() on a request's own attributes, which rtnl_newlink() runs
 * before it looks the name up (a taken name is EEXIST only after these): veth_validate(),
 * br_validate(), macvlan_validate() and ifb_validate() check IFLA_ADDRESS (six bytes, else
 * EINVAL; a unicast, non-zero address, else EADDRNOTAVAIL), and veth_validate() IFLA_MTU
 * too (is_valid_veth_mtu(): 68..65535, a bare EINVAL). A veth's peer attributes go through
 * the same veth_validate() right after the device's (rtnl_add_peer_net(), Linux >= 6.14).
 */
function opsValidate(spec: LinkSpec): KernelError | null {
  const bad = createAddressBad(spec);
  if (bad !== null) return bad;
  if (spec.kind === 'veth' && createMtuBad(spec)) return kerr('EINVAL');
  return null;
}

/**
 * rtnl_create_link(): the queue counts, validate_linkmsg() on the new, still unregistered device (its
 * IFLA_AF_SPEC: inet6_validate_link_af() finds no inet6_dev yet, EAFNOSUPPORT, so
 * `addrgenmode` can never be given at creation), then dev_validate_mtu() against the
 * driver's bounds with its messages (a bridge's and a macvlan's ether_setup() 68..65535; a
 * veth's MTU was checked by veth_validate() already).
 */
function rtnlCreateLinkBad(spec: LinkSpec): KernelError | null {
  // Before the device is allocated: the queue counts (1..4096).
  if (spec.numTxQueues !== undefined && (spec.numTxQueues < 1 || spec.numTxQueues > 4096)) return kerr('EINVAL', 'Invalid number of transmit queues');
  if (spec.numRxQueues !== undefined && (spec.numRxQueues < 1 || spec.numRxQueues > 4096)) return kerr('EINVAL', 'Invalid number of receive queues');
  if (spec.afSpec === true) return kerr('EAFNOSUPPORT');
  if (spec.mtu === undefined || (spec.kind !== 'bridge' && spec.kind !== 'macvlan')) return null;
  if (spec.mtu < 68) return kerr('EINVAL', 'mtu less than device minimum');
  if (spec.mtu > 65535) return kerr('EINVAL', 'mtu greater than device maximum');
  return null;
}

/**
 * netdev_name_in_use(): whether a device of the namespace has this name or alternative name
 * (a new device, a veth peer or a rename to a name one of them holds is EEXIST, the
 * device's own alternative names included).
 */
export function nameInUse(txn: Txn, name: string): boolean {
  for (const d of txn.devices.values()) if (d.name === name || (d.altnames !== undefined && d.altnames.includes(name))) return true;
  return false;
}

function newDevice(txn: Txn, spec0: LinkSpec): NetDevice | KernelError {
  // register_netdevice(): dev_get_valid_name() before an ifindex is taken.
  const name = devGetValidName(spec0.name, (n) => nameInUse(txn, n));
  if (typeof name !== 'string') return name;
  const spec = name === spec0.name ? spec0 : { ...spec0, name };
  const ifindex = spec.ifindex ?? txn.nextIfindex;
  // dev_index_reserve(): a requested index in use is xa_insert()'s EBUSY (a veth pair asking
  // one index for both ends; rtnl_newlink() found none for the device itself).
  if (txn.devices.has(ifindex)) return kerr(spec.indexGiven === true ? 'EBUSY' : 'EEXIST');
  if (createMtuBad(spec)) return kerr('EINVAL');
  // dev_index_reserve(): a requested index leaves the allocation cursor where it was.
  if (spec.indexGiven !== true) txn.nextIfindex = Math.max(txn.nextIfindex, ifindex + 1);
  // register_netdevice(): the ifindex is taken, then inetdev_init() refuses the name.
  if (!sysctlDevNameIsAllowed(spec.name)) return kerr('EINVAL');
  const userFlags = userFlagsOf(spec);
  return {
    ifindex,
    name: spec.name,
    kind: spec.kind,
    peer: null,
    master: null,
    up: false,
    // alloc_netdev() leaves __LINK_STATE_NOCARRIER clear: carrier on unless the driver
    // turns it off (veth_open/veth_close drive it; dummy never does). br_dev_newlink()
    // applies IFLA_ADDRESS through br_stp_change_bridge_id() before registering, whose
    // br_port_state_selection() finds no forwarding port: a bridge made with an address
    // has no carrier from the start (as one whose address is set later: setMacAddress()).
    carrier: (spec.kind === 'bridge' && spec.address === undefined) || spec.kind === 'other' || spec.kind === 'dummy',
    ...(spec.kind === 'bridge' && spec.address !== undefined ? { stpSelected: true } : {}),
    hadPorts: false,
    group: spec.group ?? 0,
    addrs: [],
    // inetdev_init(): the new device's devconf is a copy of default, set marks included.
    conf: txn.confDefault,
    mac: spec.address ?? spec.mac ?? 'xx:xx:xx:xx:xx:xx',
    ...(spec.address === undefined ? {} : { macSetByUser: true }),
    mtu: spec.mtu ?? 1500,
    // rtnl_create_link(): IFLA_TXQLEN; rtnl_configure_link(): the flags of the request.
    ...(spec.txqlen === undefined ? {} : { txqlen: spec.txqlen }),
    ...(userFlags === undefined ? {} : { userFlags }),
    ...(spec.driver === undefined ? {} : { driver: spec.driver }),
    ...(spec.lower === undefined ? {} : { lower: spec.lower }),
    ...(spec.macvlanPassthru === true ? { macvlanPassthru: true } : {}),
    ...(spec.indexGiven === true ? { indexRequested: true } : {}),
    ...(spec.netnsLink === undefined ? {} : { netnsLink: spec.netnsLink }),
    ...(spec.qdisc === undefined ? {} : { qdisc: spec.qdisc }),
    ...(spec.tun === undefined ? {} : tunDevice(spec.tun)),
    ...(spec.ifb === true ? ifbSetup(spec, userFlags) : {}),
    // A vxlan never reports carrier: IF_OPER_UNKNOWN once up (vxlan.ts).
    ...(spec.vxlan === undefined ? {} : { vxlan: spec.vxlan, operKnown: false }),
  };
}

/**
 * What tun_set_iff() makes of a new persistent device (drivers/net/tun.c): tun_net_init()
 * gives a tun IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST, no link-layer address
 * (ARPHRD_NONE: `link/none`) and tx_queue_len 500, a tap ether_setup() (a random address);
 * `ip tuntap add` closes the file after TUNSETPERSIST, so no queue is attached and
 * tun_detach() has turned the carrier off; the root qdisc is noop until the first open.
 */
function tunDevice(t: 'tun' | 'tap'): Partial<NetDevice> {
  const flags = t === 'tun' ? IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST : IFF_BROADCAST | IFF_MULTICAST;
  const base = { tun: t, carrier: false, qdisc: 'noop' };
  if (t === 'tap') return base;
  return { ...base, userFlags: { mask: IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST | IFF_BROADCAST, value: flags }, txqlen: 500, linkTypeWord: 'none', noLinkAddress: true };
}

/** rtnl_newlink(): register (a veth's peer first), then bring up what was asked up. */
export function rtnlNewlink(txn: Txn, e: LinkAddEvent): KernelError | null {
  return fibRulesEvent(txn, () => {
    // rtnl_newlink(): the driver's ops->validate() on IFLA_INFO_DATA comes first
    // (vxlan_validate(): the source port range); then a device of that name already there
    // is EEXIST (NLM_F_EXCL) before anything is created: __dev_get_by_name() finds it by its
    // name or an alternative name (no ifindex is taken: seen on Linux 6.18).
    const badData = vxlanValidate(e.link);
    if (badData !== null) return badData;
    const badLink = opsValidate(e.link);
    if (badLink !== null) return badLink;
    if (e.peer !== undefined) {
      const badPeer = opsValidate(e.peer);
      if (badPeer !== null) return badPeer;
    }
    // rtnl_newlink(): with an ifi_index the device is looked up by it (the name is then
    // checked only when it registers).
    if (e.link.indexGiven === true ? e.link.ifindex !== undefined && txn.devices.has(e.link.ifindex) : nameInUse(txn, e.link.name)) return kerr('EEXIST');
    // rtnl_newlink_create(): the device itself is made (rtnl_create_link()) before the
    // driver's newlink makes and registers a veth's peer (rtnl_create_link() for it too).
    const badCreate = rtnlCreateLinkBad(e.link);
    if (badCreate !== null) return badCreate;
    let link = e.link;
    if (link.kind === 'macvlan') {
      const m = macvlanNewlink(txn, link);
      if ('errno' in m) return m;
      link = m;
    }
    if (link.vxlan !== undefined) {
      const v = vxlanNewlink(txn, link);
      if ('errno' in v) return v;
      link = v;
    }
    let peer: NetDevice | undefined;
    if (e.peer !== undefined) {
      const badPeer = rtnlCreateLinkBad(e.peer);
      if (badPeer !== null) return badPeer;
      const p = newDevice(txn, e.peer);
      if ('errno' in p) return p;
      // veth_newlink(): the peer is registered (its ifindex is spent for good) and
      // configured before the device: `peer … up` fails in veth_open() (no peer yet,
      // ENOTCONN), a device name equal to the peer's fails to register (EEXIST); either
      // way the peer is unregistered again.
      if (e.peer.up) return kerr('ENOTCONN');
      if (e.peer.name === e.link.name && !e.link.name.includes('%')) return kerr('EEXIST');
      peer = p;
      txn.setDevice(p);
    }
    const d = newDevice(txn, link);
    if ('errno' in d) {
      // veth_newlink(): the device failed to register (an invalid or taken name): the peer
      // is unregistered again; its ifindex stays spent.
      if (peer !== undefined) txn.deleteDevice(peer.ifindex);
      return d;
    }
    // br_dev_newlink(): register_netdevice(), then br_changelink() on the options; a refusal
    // deletes the bridge again (br_dev_delete()), its ifindex spent.
    if (link.kind === 'bridge' && link.bridge !== undefined) {
      const bad = brChangelink(link.bridge);
      if (bad !== null) return bad;
    }
    // rtnl_configure_link() opens a device made `up`: a macvlan whose address is busy fails
    // macvlan_open() (EADDRINUSE), and rtnl_newlink_create() unregisters it (its ifindex spent).
    if (e.link.up && macvlanAddrBusy(txn, d, d.mac)) return kerr('EADDRINUSE');
    if (peer !== undefined) {
      txn.setDevice({ ...peer, peer: d.ifindex, carrier: false });
      txn.setDevice({ ...d, peer: peer.ifindex, carrier: false });
    } else txn.setDevice(d);
    txn.emit({ kind: 'link', ifindex: d.ifindex, change: 'add', cause: 'inetdev_event', notified: true });
    if (e.link.master !== undefined) setMaster(txn, d.ifindex, e.link.master);
    if (e.link.up) devChangeFlags(txn, d.ifindex, true);
    settleCarriers(txn);
    return null;
  });
}

/** An address eth_hw_addr_random() drew (the model does not know it; it never collides). */
const RANDOM_MAC = 'xx:xx:xx:xx:xx:xx';

/**
 * macvlan_addr_busy() for macvlan `v` taking `addr`: the lower device's own address, or the
 * address of another macvlan of the port that is up (macvlan_hash_lookup(): macvlan_open()
 * adds a macvlan to the port's hash, macvlan_stop() takes it out). Random addresses are
 * unknown to the model and taken as never equal (a bridge lower's address, when not set by
 * the user, is one of its ports': ip-link.ts names the case where that matters).
 */
export function macvlanAddrBusy(txn: Txn, v: NetDevice, addr: string): boolean {
  // A passthru port has one macvlan and does not compare the lower device's address.
  if (v.kind !== 'macvlan' || v.lower === undefined || addr === RANDOM_MAC || v.macvlanPassthru === true) return false;
  const lower = txn.dev(v.lower);
  if (lower !== undefined && lower.mac === addr) return true;
  for (const x of macvlansOn(txn, v.lower)) if (x.ifindex !== v.ifindex && x.up && x.mac === addr) return true;
  return false;
}

function setMaster(txn: Txn, ifindex: number, master: number | null): void {
  const d = txn.dev(ifindex);
  if (d === undefined) return;
  if (master !== null) {
    const b = txn.dev(master);
    if (b === undefined) return;
    txn.setDevice({ ...b, hadPorts: true });
  }
  txn.setDevice({ ...d, master });
  txn.emit({ kind: 'link', ifindex, change: 'master', cause: 'inetdev_event', notified: true });
  // br_add_if() / br_del_if(): br_mtu_auto_adjust() of the bridge joined or left
  if (master !== null) brMtuAutoAdjust(txn, master);
  if (d.master !== null && d.master !== master) brMtuAutoAdjust(txn, d.master);
}

/**
 * dev_validate_mtu(): the driver's min_mtu/max_mtu (veth_setup, br_dev_setup, ether_setup for
 * a macvlan: ETH_MIN_MTU..ETH_MAX_MTU; tun_net_init() for a tun/tap); then a macvlan's ndo_change_mtu refuses more than
 * its lower device's MTU (macvlan_change_mtu(), a bare EINVAL).
 */
export function mtuInvalid(d: NetDevice, mtu: number, devices?: ReadonlyMap<number, NetDevice>): KernelError | null {
  if (d.tun !== undefined) {
    // tun_net_init(): MIN_MTU..MAX_MTU, a tap's less its Ethernet header (65521), as ip -d link shows.
    if (mtu < 68) return kerr('EINVAL', 'mtu less than device minimum');
    if (mtu > (d.tun === 'tun' ? 65535 : 65521)) return kerr('EINVAL', 'mtu greater than device maximum');
    return null;
  }
  if (d.vxlan !== undefined) return vxlanMtuInvalid(d, mtu, devices);
  if (d.kind !== 'veth' && d.kind !== 'bridge' && d.kind !== 'macvlan') return null;
  if (mtu < 68) return kerr('EINVAL', 'mtu less than device minimum');
  if (mtu > 65535) return kerr('EINVAL', 'mtu greater than device maximum');
  if (d.kind === 'macvlan') {
    const lower = d.lower === undefined ? undefined : devices?.get(d.lower);
    if (lower !== undefined && mtu > lower.mtu) return kerr('EINVAL');
  }
  return null;
}

/**
 * macvlan_common_newlink(): IFLA_LINK must name an Ethernet device (ARPHRD_ETHER: not lo);
 * a macvlan's own lower device stands for it; the MTU is the lower device's unless given,
 * and may not exceed it. Returns the spec as the kernel builds the device, or the error.
 */
function macvlanNewlink(txn: Txn, spec: LinkSpec): LinkSpec | KernelError {
  let lower = spec.lower === undefined ? undefined : txn.dev(spec.lower);
  if (lower === undefined || lower.kind === 'loopback') return kerr('EINVAL');
  if (lower.kind === 'macvlan') lower = lower.lower === undefined ? undefined : txn.dev(lower.lower);
  if (lower === undefined) return kerr('EINVAL');
  if (spec.mtu !== undefined && spec.mtu > lower.mtu) return kerr('EINVAL');
  // macvlan_port_create() when the lower has no macvlan yet: an ARPHRD_ETHER device only (a
  // tun is ARPHRD_NONE: EINVAL), and netdev_rx_handler_register() finds a bridge port's
  // rx_handler taken (EBUSY); a lower with macvlans already has the port.
  if (lower.tun === 'tun') return kerr('EINVAL');
  const port = macvlansOn(txn, lower.ifindex);
  if (lower.master !== null && port.length === 0) return kerr('EBUSY');
  // macvlan_passthru(port): a passthru macvlan is the port's only one (EINVAL for any other),
  // and a new passthru one needs an empty port (port->count).
  if (port.some((x) => x.macvlanPassthru === true)) return kerr('EINVAL');
  if (spec.macvlanPassthru === true && port.length > 0) return kerr('EINVAL');
  return { ...spec, lower: lower.ifindex, mtu: spec.mtu ?? lower.mtu };
}

/**
 * dev_set_mtu(): the new MTU (NETDEV_CHANGEMTU: nothing the FIB shows at 68 and above).
 * A bridge's own change through br_change_mtu() marks it set by the user; a port's change
 * makes an unmarked bridge follow the smallest port (br_device_event -> br_mtu_auto_adjust).
 */
function setMtu(txn: Txn, ifindex: number, mtu: number, byUser: boolean): void {
  const d0 = txn.dev(ifindex);
  if (d0 === undefined) return;
  const d = inet6AfterMtu(d0, mtu);
  txn.setDevice(d.kind === 'bridge' && byUser ? { ...d, mtu, mtuSetByUser: true } : { ...d, mtu });
  if (d.master !== null) brMtuAutoAdjust(txn, d.master);
  macvlanMtuFollow(txn, ifindex, mtu);
}

/**
 * addrconf_notify(NETDEV_CHANGEMTU): below 1280 the inet6_dev goes (lo keeps its own); at
 * 1280 or more a device without one gets ipv6_add_dev(), which fails under the names `all`
 * and `default` (their sysctl directories exist: NetDevice.inet6Dev 'none').
 */
function inet6AfterMtu(d: NetDevice, mtu: number): NetDevice {
  if (d.kind === 'loopback') return d;
  const { inet6Dev: was, ...rest } = d;
  if (mtu < IPV6_MIN_MTU) return was === undefined ? d : rest;
  // 'unknown' under a refused name stays unknown (one made at an up is kept, none stays none).
  if (was === 'unknown') return sysctlDevNameIsAllowed(d.name) ? rest : d;
  const hadOne = hasInet6Dev(d);
  if (hadOne) return d;
  return sysctlDevNameIsAllowed(d.name) ? rest : { ...d, inet6Dev: 'none' };
}

/**
 * addrconf_notify(NETDEV_UP): a device without an inet6_dev at 1280 or more gets one if
 * addrconf_link_ready() (its operstate then, which the model does not follow that closely)
 * and its name allows the sysctls.
 */
function inet6AfterUp(d: NetDevice): NetDevice {
  return d.inet6Dev === 'none' && sysctlDevNameIsAllowed(d.name) ? { ...d, inet6Dev: 'unknown' } : d;
}

/** The macvlans whose lower device is `ifindex`. */
function macvlansOn(txn: Txn, ifindex: number): NetDevice[] {
  return [...txn.devices.values()].filter((x) => x.kind === 'macvlan' && x.lower === ifindex);
}

/** macvlan_device_event(NETDEV_CHANGEMTU): a macvlan above the lower device's new MTU comes down to it (never up). */
function macvlanMtuFollow(txn: Txn, lower: number, mtu: number): void {
  for (const v of macvlansOn(txn, lower)) if (v.mtu > mtu) setMtu(txn, v.ifindex, mtu, false);
}

/** br_mtu_auto_adjust(): unless the user set it, the bridge takes its smallest port's MTU (1500 with none). */
function brMtuAutoAdjust(txn: Txn, bridge: number): void {
  const b = txn.dev(bridge);
  // An imported master (kind 'other'): whether its MTU was set by the user is not in a dump.
  if (b === undefined || b.kind !== 'bridge' || b.mtuSetByUser === true) return;
  let min = 0;
  for (const x of txn.devices.values()) if (x.master === bridge && (min === 0 || x.mtu < min)) min = x.mtu;
  const mtu = min === 0 ? 1500 : min;
  if (mtu !== b.mtu) {
    txn.setDevice({ ...b, mtu });
    macvlanMtuFollow(txn, bridge, mtu);
  }
}

/** dev_open / dev_close: IFF_UP and NETDEV_UP / NETDEV_DOWN. */
function devChangeFlags(txn: Txn, ifindex: number, up: boolean): void {
  const d = txn.dev(ifindex);
  if (d === undefined || d.up === up) return;
  // dev_open() -> dev_activate(): a device whose qdisc is noop gets its default (qdiscOnOpen).
  const qdisc = qdiscOnOpen(d);
  txn.setDevice(up ? { ...inet6AfterUp(d), up, everUp: true, ...(qdisc === undefined ? {} : { qdisc }) } : { ...d, up });
  txn.emit({ kind: 'link', ifindex, change: up ? 'up' : 'down', cause: 'inetdev_event', notified: true });
  if (up) {
    inetdevUp(txn, ifindex);
    netdevUp(txn, ifindex);
  }
  else netdevDown(txn, ifindex);
}

/**
 * dev_set_mac_address() -> eth_mac_addr() (veth, bridge's br_set_mac_address(), dummy,
 * loopback, and tun_net_init()'s tap and vxlan_setup(), both IFF_LIVE_ADDR_CHANGE: up or
 * not): a multicast or all-zero address is EADDRNOTAVAIL (is_valid_ether_addr()). A tun
 * (tun_netdev_ops) has no ndo_set_mac_address: EOPNOTSUPP, checked in a namespace of
 * Linux 6.18. A device of unknown kind is the caller's to refuse.
 */
function setMacAddress(txn: Txn, d: NetDevice, address0: string): KernelError | null {
  // validate_linkmsg(): shorter than dev->addr_len (0 for a tun) is EINVAL; the first six bytes are used.
  const bytes = address0.split(':');
  if (bytes.length < (d.tun === 'tun' ? 0 : 6)) return kerr('EINVAL');
  if (d.tun === 'tun') return kerr('EOPNOTSUPP');
  const address = bytes.slice(0, 6).join(':');
  const first = Number.parseInt(address.slice(0, 2), 16);
  if ((first & 1) !== 0 || address === '00:00:00:00:00:00') return kerr('EADDRNOTAVAIL');
  // br_set_mac_address(): a new address goes through br_stp_change_bridge_id(), whose
  // br_port_state_selection() sets the bridge's carrier from its forwarding ports (off
  // without one), as a port joining or leaving does.
  // macvlan_set_mac_address(): the same address is a no-op; another one busy on the port
  // (macvlan_addr_busy(), up or not) is EADDRINUSE.
  if (d.kind === 'macvlan' && address !== d.mac && macvlanAddrBusy(txn, d, address)) return kerr('EADDRINUSE');
  const selected = d.kind === 'bridge' && address !== d.mac ? { stpSelected: true } : {};
  txn.setDevice({ ...d, mac: address, macSetByUser: true, ...selected });
  return null;
}


/**
 * do_setlink(), in its order: IFLA_ADDRESS, IFLA_MTU, the name, IFLA_GROUP, IFLA_IFALIAS,
 * IFLA_MASTER, the flags (netif_change_flags(): IFF_UP opens or closes; since 6.8 the
 * master comes first so that a port can be enslaved and brought up in one message),
 * IFLA_TXQLEN, IFLA_AF_SPEC. The first error ends it; what came before stays (no rollback).
 */
export function doSetlink(txn: Txn, e: LinkSetEvent): KernelError | null {
  return fibRulesEvent(txn, () => {
    const d0 = txn.dev(e.ifindex);
    if (d0 === undefined) return kerr('ENODEV');
    // rtnl_changelink(): IFLA_INFO_DATA goes to the device's own changelink first: another
    // kind's device is EOPNOTSUPP, a bridge's br_changelink() may refuse; nothing else applies then.
    if (e.bridge !== undefined) {
      if (d0.kind !== 'bridge') return kerr('EOPNOTSUPP');
      const bad = brChangelink(e.bridge);
      if (bad !== null) return bad;
    }
    // validate_linkmsg() at the top of do_setlink(): IFLA_AF_SPEC (`addrgenmode`) through
    // inet6_validate_link_af(): no inet6_dev (an MTU below 1280) is EAFNOSUPPORT, and
    // stable_secret without a secret (check_stable_privacy(): the net.ipv6 stable_secret
    // sysctls, never set here) EINVAL; nothing is applied then.
    if (e.addrGenMode !== undefined) {
      if (!hasInet6Dev(d0)) return kerr('EAFNOSUPPORT');
      if (e.addrGenMode === IN6_ADDR_GEN_MODE_STABLE_PRIVACY) return kerr('EINVAL');
    }
    if (e.address !== undefined) {
      const bad = setMacAddress(txn, d0, e.address);
      if (bad !== null) return bad;
    }
    const d = txn.dev(e.ifindex) ?? d0;
    if (e.mtu !== undefined && e.mtu !== d.mtu) {
      const bad = mtuInvalid(d, e.mtu, txn.devices);
      if (bad !== null) return bad;
      setMtu(txn, d.ifindex, e.mtu, true);
    }
    if (e.name !== undefined && e.name !== d.name) {
      // dev_change_name(): Linux 6.18 renames a running device too (no EBUSY); the new name
      // goes through dev_get_valid_name() (invalid: EINVAL, taken: EEXIST, `%d`: a number).
      // The device as the MTU of this same request left it: its inet6_dev (the `all` and
      // `default` check) and the MTU itself.
      const cur = txn.dev(e.ifindex) ?? d;
      const name = devGetValidName(e.name, (n) => nameInUse(txn, n));
      if (typeof name !== 'string') return name;
      if (!sysctlDevNameIsAllowed(name) && hasInet6Dev(cur)) return kerr('EINVAL');
      txn.setDevice({ ...cur, name, addrs: inetdevChangename(cur.addrs, name) });
      txn.emit({ kind: 'link', ifindex: cur.ifindex, change: 'rename', cause: 'inetdev_event', notified: true });
    }
    if (e.group !== undefined) {
      const cur = txn.dev(e.ifindex);
      if (cur !== undefined) txn.setDevice({ ...cur, group: e.group });
    }
    if (e.ifalias !== undefined) {
      // dev_set_alias(): an empty alias clears it.
      const cur = txn.dev(e.ifindex);
      if (cur !== undefined) {
        const { ifalias: _old, ...rest } = cur;
        txn.setDevice(e.ifalias === '' ? rest : { ...rest, ifalias: e.ifalias });
      }
    }
    if (e.master !== undefined) {
      if (e.master !== null) {
        const b = txn.dev(e.master);
        // do_set_master(): a master without ndo_add_slave is EOPNOTSUPP; br_add_if()
        // refuses loopback (EINVAL) and bridges (ELOOP, with a message).
        // An imported master (kind 'other', a dump's `master`) is taken as the dump says;
        // a script's `master` of one is named by ip-link.ts before it gets here.
        if (b === undefined || (b.kind !== 'bridge' && b.kind !== 'other')) return kerr('EOPNOTSUPP');
        const cur = txn.dev(e.ifindex);
        // br_add_if(): loopback, or a device that is not ARPHRD_ETHER (a tun: ARPHRD_NONE), is EINVAL.
        if (cur?.kind === 'loopback' || cur?.tun === 'tun') return kerr('EINVAL');
        if (cur?.kind === 'bridge') return kerr('ELOOP', 'Can not enslave a bridge to a bridge');
        // netdev_rx_handler_register(): a macvlan's lower device has the macvlan rx handler.
        if (cur !== undefined && cur.master !== e.master && macvlansOn(txn, cur.ifindex).length > 0) return kerr('EBUSY');
        // netdev_master_upper_dev_link(): a macvlan of the bridge itself has the bridge as its
        // lower device already (__netdev_has_upper_dev(): a loop, EBUSY).
        if (cur?.kind === 'macvlan' && cur.lower === e.master) return kerr('EBUSY');
      }
      setMaster(txn, e.ifindex, e.master);
    }
    if (e.flags !== undefined && (e.flags.mask & USER_FLAG_BITS) !== 0) {
      const cur = txn.dev(e.ifindex);
      if (cur !== undefined) {
        const m = e.flags.mask & USER_FLAG_BITS;
        const was = cur.userFlags ?? { mask: 0, value: 0 };
        txn.setDevice({ ...cur, userFlags: { mask: was.mask | m, value: (was.value & ~m) | (e.flags.value & m) } });
      }
    }
    if (e.up !== undefined) {
      // macvlan_open(): EADDRINUSE when its address is busy on the port; what came before stays.
      const cur = txn.dev(e.ifindex);
      if (e.up && cur !== undefined && !cur.up && macvlanAddrBusy(txn, cur, cur.mac)) {
        settleCarriers(txn);
        return kerr('EADDRINUSE');
      }
      devChangeFlags(txn, e.ifindex, e.up);
    }
    if (e.txqlen !== undefined) {
      const cur = txn.dev(e.ifindex);
      if (cur !== undefined) txn.setDevice({ ...cur, txqlen: e.txqlen });
    }
    settleCarriers(txn);
    // IFLA_AF_SPEC comes after all of the above: inet6_set_link_af() finds no inet6_dev when
    // this very request took the MTU below 1280 (addrconf_notify() destroyed it), and the
    // request fails with the rest applied. ip-link.ts sends that step as an event of its own
    // (the event log keeps the events that succeeded), whose validation above answers. The
    // mode itself changes nothing the model shows (IPv6 link-local addresses are not modelled).
    return null;
  });
}

/** IN6_ADDR_GEN_MODE_STABLE_PRIVACY (include/uapi/linux/if_link.h). */
const IN6_ADDR_GEN_MODE_STABLE_PRIVACY = 2;

/** unregister_netdevice(): close, delete addresses (inetdev_destroy), force the flush, detach rules. */
export function unregisterNetdevice(txn: Txn, e: LinkDelEvent): KernelError | null {
  return fibRulesEvent(txn, () => {
    const d = txn.dev(e.ifindex);
    if (d === undefined) return kerr('ENODEV');
    // rtnl_dellink(): a device without rtnl_link_ops (loopback) cannot be deleted.
    if (d.kind === 'loopback') return kerr('EOPNOTSUPP');
    const victims = [d.ifindex];
    if (d.peer !== null && txn.dev(d.peer) !== undefined) victims.push(d.peer);
    // macvlan_device_event(NETDEV_UNREGISTER): the macvlans on a device that goes go too;
    // vxlan_handle_lowerdev_unregister(): so do the vxlans on it (and what is on those).
    for (let k = 0; k < victims.length; k++) {
      const i = victims[k] as number;
      for (const v of [...macvlansOn(txn, i), ...vxlansOn(txn.devices, i)]) if (!victims.includes(v.ifindex)) victims.push(v.ifindex);
    }
    const masters = victims.map((i) => txn.dev(i)?.master ?? null).filter((m): m is number => m !== null);
    for (const i of victims) devChangeFlags(txn, i, false);
    for (const i of victims) {
      const dev = txn.dev(i);
      if (dev === undefined) continue;
      // inetdev_destroy(): in_dev->dead, so no promotion and no scan for shared routes.
      for (const ifa of dev.addrs) {
        const cur = txn.dev(i);
        if (cur === undefined) break;
        txn.setDevice({ ...cur, addrs: cur.addrs.filter((a) => a !== ifa) });
        txn.emit({ kind: 'addr-del', ifindex: i, addr: ifa, cause: 'inetdev_event', notified: true });
        txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
        fibDelIfaddr(txn, i, ifa, null, true);
      }
      fibDisableIp(txn, i, 'NETDEV_UNREGISTER', true);
      nexthopFlushDev(txn, i, true);
    }
    for (const i of victims) {
      txn.deleteDevice(i);
      txn.emit({ kind: 'link', ifindex: i, change: 'del', cause: 'inetdev_event', notified: true });
    }
    // A port leaving its bridge; a bridge losing ports keeps hadPorts.
    for (const x of [...txn.devices.values()]) {
      if (x.master !== null && victims.includes(x.master)) txn.setDevice({ ...x, master: null });
      if (x.peer !== null && victims.includes(x.peer)) txn.setDevice({ ...x, peer: null });
    }
    // br_del_if() of a deleted port: its bridge's br_mtu_auto_adjust()
    for (const m of masters) if (txn.dev(m) !== undefined) brMtuAutoAdjust(txn, m);
    settleCarriers(txn);
    return null;
  });
}

/** A carrier change seen by linkwatch (linkwatch_do_dev): NETDEV_CHANGE. */
export function linkwatchCarrier(txn: Txn, e: LinkCarrierEvent): KernelError | null {
  const d = txn.dev(e.ifindex);
  if (d === undefined) return kerr('ENODEV');
  if (d.carrier === e.carrier) {
    if (d.carrierUnknown === true) txn.setDevice({ ...d, carrierUnknown: false });
    return null;
  }
  // linkwatch_do_dev() -> rfc2863_policy(): from the first carrier change on, operstate is
  // UP or DOWN rather than the UNKNOWN of a driver that never reports one.
  txn.setDevice({ ...d, carrier: e.carrier, operKnown: true, carrierUnknown: false });
  netdevChange(txn, e.ifindex);
  return null;
}
