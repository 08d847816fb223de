// An ifb device's setup as drivers/net/ifb.c makes it (`ip link add NAME type ifb`):
//
// | what                 | kernel function              | what the model does                                   |
// | -------------------- | ---------------------------- | ----------------------------------------------------- |
// | flags                | ifb_setup() after ether_setup() | IFF_BROADCAST | IFF_NOARP, IFF_MULTICAST cleared    |
// | queue length         | ifb_setup(): TX_Q_LIMIT      | txqlen 32 (IFLA_TXQLEN of the request wins)          |
// | qdisc                | no IFF_NO_QUEUE              | noop until the first open, then net.core.default_qdisc (a host-wide sysctl: named) |
// | carrier, operstate   | (no netif_carrier_*)         | carrier on from registration, operstate UNKNOWN when up |
// | MTU bounds           | ifb_setup(): min_mtu = max_mtu = 0 | none; below 68 IPv4 leaves the device (inetdev_destroy): named by the caller |
// | carrier on/off       | no ndo_change_carrier        | EOPNOTSUPP (../iproute2/ip-link-carrier.ts)           |

import type { LinkSpec } from '../events/netdev.js';
import type { NetDevice } from '../snapshot/net-device.js';
import { IFF_MULTICAST, IFF_NOARP } from '../uapi/if.js';

/** TX_Q_LIMIT of drivers/net/ifb.c. */
const TX_Q_LIMIT = 32;

/**
 * What ifb_setup() gives a new ifb device, with the request's own flags and queue length
 * (rtnl_create_link() applies them after the setup) on top.
 */
export function ifbSetup(spec: LinkSpec, userFlags: NetDevice['userFlags']): Partial<NetDevice> {
  const mask = IFF_MULTICAST | IFF_NOARP;
  const own = userFlags ?? { mask: 0, value: 0 };
  return {
    ifb: true,
    qdisc: 'noop',
    operKnown: false,
    txqlen: spec.txqlen ?? TX_Q_LIMIT,
    userFlags: { mask: mask | own.mask, value: (IFF_NOARP & ~own.mask) | (own.value & own.mask) },
  };
}
