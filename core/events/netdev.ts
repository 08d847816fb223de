// Netdevice events: what `ip link` does, or what a trace says a link did. The reducer
// turns them into the notifier calls the FIB sees (NETDEV_UP, NETDEV_DOWN,
// NETDEV_CHANGE, NETDEV_UNREGISTER, NETDEV_CHANGENAME) in fib_netdev_event order.

/** Device kinds available in the model (what the scenario namespaces can create). */
/** 'dummy': drivers/net/dummy.c (carrier on from registration, changed only by `ip link set carrier`). */
export type DeviceKind = 'loopback' | 'veth' | 'bridge' | 'dummy' | 'macvlan' | 'other';

/**
 * What the model keeps of a vxlan device's struct vxlan_config (drivers/net/vxlan/): the VNI
 * and UDP destination port that vxlan_vni_in_use() compares, and the lower device
 * (IFLA_VXLAN_LINK, remote_ifindex) whose MTU bounds the vxlan's and whose unregistration
 * takes the vxlan with it. Only IPv4 devices without receive flags (GBP, GPE, remote
 * checksum, external) are made by the model.
 */
export interface VxlanConfig {
  readonly vni: number;
  /** The destination port after vxlan_config_validate(): 8472 (vxlan_port) when 0 or not given. */
  readonly port: number;
  /** remote_ifindex, or null without `dev`. */
  readonly link: number | null;
  /** IFLA_VXLAN_PORT_RANGE (`srcport MIN MAX`), when sent: vxlan_validate() refuses MAX below MIN. */
  readonly srcPort?: { readonly low: number; readonly high: number };
}

/**
 * The IFLA_INFO_DATA of a bridge request (`ip link add|set … type bridge OPTIONS`) that
 * br_changelink() can refuse, as clock_t values and the raw mask: hello_time, max_age
 * (ERANGE outside 1..10 s and 6..40 s) and group_fwd_mask (EINVAL with a restricted bit,
 * BR_GROUPFWD_RESTRICTED). The other options the model accepts change nothing it shows
 * (../dev/br-changelink.ts). Present (possibly empty) when the request carried options.
 */
export interface BridgeData {
  readonly helloTime?: number;
  readonly maxAge?: number;
  readonly groupFwdMask?: number;
}

/** One device being registered. ifindex is taken from the event when given (traces), else allocated. */
export interface LinkSpec {
  readonly ifindex?: number;
  readonly name: string;
  readonly kind: DeviceKind;
  readonly up: boolean;
  readonly master?: number;
  readonly mac?: string;
  readonly mtu?: number;
  /**
   * For a device of kind 'other': its driver's IFLA_INFO_KIND as `ip -d link` prints it
   * (`dummy`, `tun`, `wireguard`, `vlan` …; absent for a physical NIC or when not known),
   * which says whether `ip link set carrier` works (linkChangeCarrier in ip-link-carrier.ts).
   */
  readonly driver?: string;
  /**
   * For a device of kind 'other': the ifindex of the device its carrier follows in the
   * kernel (IFLA_LINK: a veth's peer, a macvlan's or vlan's lower device), when known.
   */
  readonly lower?: number;
  /**
   * For a device of kind 'other' imported from a dump: IFLA_LINK and IFLA_LINK_NETNSID of a
   * device whose peer lives in another network namespace (a container's end of a veth pair):
   * the peer's ifindex there and that namespace's nsid, printed `NAME@ifN … link-netnsid M`.
   */
  readonly netnsLink?: { readonly ifindex: number; readonly nsid: number };
  /**
   * A persistent tun or tap device made by `ip tuntap add` (tun_set_iff() in
   * drivers/net/tun.c, with driver 'tun'): tun_net_init() sets a tun's IFF_POINTOPOINT |
   * IFF_NOARP | IFF_MULTICAST, ARPHRD_NONE and a queue of 500, a tap's ether_setup(); no
   * process has it open, so its carrier is off (tun_detach() of the last queue).
   */
  readonly tun?: 'tun' | 'tap';
  /** A bridge's `ip link add … type bridge OPTIONS` data, checked by br_changelink() after registration. */
  readonly bridge?: BridgeData;
  /**
   * IFLA_AF_SPEC was given (`addrgenmode`): rtnl_create_link()'s validate_linkmsg() refuses
   * it on a device not yet registered (EAFNOSUPPORT: no inet6_dev).
   */
  readonly afSpec?: true;
  /**
   * `ifindex` was requested (`ip link add … index N`: ifi_index): rtnl_newlink() looks the
   * device up by it instead of by name, and dev_index_reserve() takes it without moving the
   * namespace's allocation cursor (EEXIST when in use).
   */
  readonly indexGiven?: true;
  /** IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES (u32): rtnl_create_link() takes 1..4096. */
  readonly numTxQueues?: number;
  readonly numRxQueues?: number;
  /** A macvlan in passthru mode (MACVLAN_MODE_PASSTHRU): the only macvlan of its port. */
  readonly macvlanPassthru?: true;
  /** A vxlan device made by `ip link add … type vxlan` (driver 'vxlan'): its configuration (VxlanConfig). */
  readonly vxlan?: VxlanConfig;
  /**
   * An ifb device made by `ip link add … type ifb` (driver 'ifb'): ifb_setup() in
   * drivers/net/ifb.c (../dev/ifb.ts); absent for one imported from a dump, which says itself.
   */
  readonly ifb?: true;
  /** For a device of kind 'other': its root qdisc's kind as a dump printed it (IFLA_QDISC: `noqueue`, `fq_codel`, `mq` …); null when the dump had none. */
  readonly qdisc?: string | null;
  /** IFLA_ADDRESS given by the user, bytes as `aa:bb:…` (the driver's validate checks length and kind). */
  readonly address?: string;
  /** IFLA_TXQLEN (rtnl_create_link()). */
  readonly txqlen?: number;
  /** IFLA_GROUP (rtnl_create_link(): dev_set_group()); 0, the default group, when absent. */
  readonly group?: number;
  /** ifi_change / ifi_flags for IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC (rtnl_configure_link()). */
  readonly flags?: { readonly mask: number; readonly value: number };
}

/** `ip link add … [type veth peer …]`: registers the device (and a veth's peer, first). */
export interface LinkAddEvent {
  readonly type: 'link-add';
  readonly link: LinkSpec;
  readonly peer?: LinkSpec;
}

/** `ip link set dev X [up|down] [name N] [master B|nomaster] [group G]`. */
export interface LinkSetEvent {
  readonly type: 'link-set';
  readonly ifindex: number;
  readonly up?: boolean;
  readonly name?: string;
  /** A bridge's ifindex, or null for nomaster. */
  readonly master?: number | null;
  readonly group?: number;
  /** IFLA_MTU (applied first, as do_setlink does). */
  readonly mtu?: number;
  /** IFLA_ADDRESS: the link-layer address, six bytes as `aa:bb:cc:dd:ee:ff` (applied before the MTU). */
  readonly address?: string;
  /** IFLA_TXQLEN (the u32 iproute2 sends, as the int it parsed). */
  readonly txqlen?: number;
  /** IFLA_IFALIAS ('' clears it). */
  readonly ifalias?: string;
  /** ifi_change / ifi_flags for IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC (IFF_UP is `up`). */
  readonly flags?: { readonly mask: number; readonly value: number };
  /** `type bridge OPTIONS`: IFLA_INFO_DATA for the device's changelink, applied before everything else (rtnl_changelink()). */
  readonly bridge?: BridgeData;
  /**
   * IFLA_AF_SPEC's IFLA_INET6_ADDR_GEN_MODE (`addrgenmode`: 0 eui64, 1 none, 2
   * stable_secret, 3 random): validated first, set last (do_setlink()).
   */
  readonly addrGenMode?: number;
}

/** A carrier change reported by a trace (IFF_LOWER_UP); scripts derive carrier from veth/bridge rules. */
export interface LinkCarrierEvent {
  readonly type: 'link-carrier';
  readonly ifindex: number;
  readonly carrier: boolean;
}

/** `ip link del dev X`: unregisters X (a veth takes its peer with it). */
export interface LinkDelEvent {
  readonly type: 'link-del';
  readonly ifindex: number;
}

/**
 * `ip link property add|del dev X altname N …`: RTM_NEWLINKPROP / RTM_DELLINKPROP, the
 * alternative names of IFLA_PROP_LIST in order (rtnl_linkprop()).
 */
export interface LinkPropEvent {
  readonly type: 'link-prop';
  readonly ifindex: number;
  readonly op: 'add' | 'del';
  readonly altnames: readonly string[];
}

export type NetdevEvent = LinkAddEvent | LinkSetEvent | LinkCarrierEvent | LinkDelEvent | LinkPropEvent;
