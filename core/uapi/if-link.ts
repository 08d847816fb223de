// Link attributes (include/uapi/linux/if_link.h IFLA_*, IFLA_INFO_*, IFLA_INET_*): the ones
// an RTM_NEWLINK / RTM_DELLINK reader looks at.

/** enum IFLA_* (struct ifinfomsg's attributes). */
export const IFLA_ADDRESS = 1;
export const IFLA_BROADCAST = 2;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_QDISC = 6;
export const IFLA_MASTER = 10;
export const IFLA_TXQLEN = 13;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKINFO = 18;
export const IFLA_IFALIAS = 20;
/** IFLA_PROP_LIST (nested) of IFLA_ALT_IFNAME strings: the device's alternative names (`ip link property add … altname`). */
export const IFLA_PROP_LIST = 52;
export const IFLA_ALT_IFNAME = 53;
export const IFLA_AF_SPEC = 26;
export const IFLA_GROUP = 27;
export const IFLA_CARRIER = 33;
export const IFLA_LINK_NETNSID = 37;
export const IFLA_PROTO_DOWN = 39;
export const IFLA_EVENT = 44;
/** RTM_DELLINK of a device moving to another namespace (rtnl_fill_ifinfo(), new_nsid): its id there as this namespace knows it, and its ifindex there. */
export const IFLA_NEW_NETNSID = 45;
export const IFLA_NEW_IFINDEX = 49;

/** IFLA_LINKINFO nested attributes. */
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_INFO_SLAVE_KIND = 4;

/** IFLA_AF_SPEC / AF_INET nested attributes. */
export const IFLA_INET_CONF = 1;
