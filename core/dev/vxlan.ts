// A vxlan device's life as drivers/net/vxlan/vxlan_core.c leads it, for the IPv4 devices the
// model makes (`ip link add … type vxlan`, ../iproute2/iplink-vxlan.ts):
//
// | step                          | kernel function                   | what the model does                          |
// | ----------------------------- | --------------------------------- | -------------------------------------------- |
// | the netlink data              | vxlan_validate() (before the name is looked up) | a source port range whose MAX is below MIN: "Invalid source port range" |
// | the lower device (`dev`)      | vxlan_config_validate()           | gone: ENODEV "Invalid local interface, device not found" |
// | the VNI                       | vxlan_vni_in_use()                | another vxlan with the same VNI and port: EEXIST "A VXLAN device with the specified VNI already exists" (before register_netdevice(): no ifindex spent) |
// | the MTU                       | vxlan_config_apply()              | the lower's less VXLAN_HEADROOM (50), at least 68; 1500 (ether_setup()) without one |
// | carrier, operstate            | (none: no netif_carrier_*)        | carrier on from registration, operstate UNKNOWN when up |
// | `ip link set mtu`             | dev_validate_mtu(), vxlan_change_mtu() | 68..65535 with the core's messages; above the lower's current MTU less 50: a bare EINVAL |
// | the lower device unregistered | vxlan_handle_lowerdev_unregister() | the vxlans on it are unregistered too       |
//
// A lower device's later MTU change does not reach the vxlan (vxlan_netdevice_event() acts on
// NETDEV_UNREGISTER and UDP tunnel events only); IFLA_LINK is not sent for a vxlan (no
// ndo_get_iflink), so `ip link` prints no @lower.

import type { Txn } from '../snapshot/txn.js';
import type { LinkSpec } from '../events/netdev.js';
import type { NetDevice } from '../snapshot/net-device.js';
import { kerr, type KernelError } from '../uapi/errno.js';

/** VXLAN_HEADROOM: the IPv4 + UDP + vxlan + inner Ethernet headers (20 + 8 + 8 + 14). */
const VXLAN_HEADROOM = 50;
/** ETH_MIN_MTU, ETH_MAX_MTU: vxlan_setup()'s min_mtu and max_mtu. */
const ETH_MIN_MTU = 68;
const ETH_MAX_MTU = 65535;

/**
 * vxlan_validate(): the checks on IFLA_INFO_DATA that rtnl_newlink() runs before it looks
 * the name up; of what the model carries, only the source port range can fail.
 *
 * @example vxlanValidate({ …, vxlan: { vni: 1, port: 8472, link: null, srcPort: { low: 100, high: 50 } } }) // EINVAL
 */
export function vxlanValidate(spec: LinkSpec): KernelError | null {
  const r = spec.vxlan?.srcPort;
  if (r !== undefined && r.high < r.low) return kerr('EINVAL', 'Invalid source port range');
  return null;
}

/**
 * vxlan_config_validate() and vxlan_config_apply() of a new device: the spec as the kernel
 * registers it (its MTU), or the error that stops rtnl_newlink() before the device is
 * registered.
 *
 * @example vxlanNewlink(txn, { name: 'flannel.1', kind: 'other', driver: 'vxlan', up: false, vxlan: { vni: 1, port: 8472, link: 3 } })
 *
 * 1. A lower device that is gone is ENODEV.
 * 2. Another vxlan with the same VNI and destination port is EEXIST (vxlan_vni_in_use():
 *    the model's vxlans all have the same receive flags and family).
 * 3. The MTU is the lower device's less 50, at least 68; 1500 without a lower device.
 */
export function vxlanNewlink(txn: Txn, spec: LinkSpec): LinkSpec | KernelError {
  const conf = spec.vxlan;
  if (conf === undefined) return spec;
  const lower = conf.link === null ? undefined : txn.dev(conf.link);
  if (conf.link !== null && lower === undefined) return kerr('ENODEV', 'Invalid local interface, device not found');
  for (const d of txn.devices.values()) {
    if (d.vxlan !== undefined && d.vxlan.vni === conf.vni && d.vxlan.port === conf.port) {
      return kerr('EEXIST', 'A VXLAN device with the specified VNI already exists');
    }
  }
  const mtu = lower === undefined ? 1500 : Math.max(lower.mtu - VXLAN_HEADROOM, ETH_MIN_MTU);
  return { ...spec, mtu };
}

/**
 * dev_validate_mtu() with vxlan_setup()'s bounds, then vxlan_change_mtu(): no more than the
 * lower device's current MTU less 50 (a bare EINVAL).
 *
 * @example vxlanMtuInvalid(vx, 1500, devices) // EINVAL when vx sits on a 1500-byte device
 */
export function vxlanMtuInvalid(d: NetDevice, mtu: number, devices?: ReadonlyMap<number, NetDevice>): KernelError | null {
  if (mtu < ETH_MIN_MTU) return kerr('EINVAL', 'mtu less than device minimum');
  if (mtu > ETH_MAX_MTU) return kerr('EINVAL', 'mtu greater than device maximum');
  const link = d.vxlan?.link ?? null;
  const lower = link === null ? undefined : devices?.get(link);
  if (lower !== undefined && mtu > lower.mtu - VXLAN_HEADROOM) return kerr('EINVAL');
  return null;
}

/** vxlan_handle_lowerdev_unregister(): the vxlans whose lower device is `ifindex`. */
export function vxlansOn(devices: ReadonlyMap<number, NetDevice>, ifindex: number): NetDevice[] {
  return [...devices.values()].filter((x) => x.vxlan !== undefined && x.vxlan.link === ifindex);
}
