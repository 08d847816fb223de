// The IPv4 per-device configuration keys: IPV4_DEVCONF_* of include/uapi/linux/ip.h, by the
// names /proc/sys/net/ipv4/conf/*/ shows, with the built-in defaults of devinet.c's
// ipv4_devconf. The vocabulary sysctl events and the devconf state share.

/** The devconf keys the model knows, with the kernel's built-in defaults (ipv4_devconf). */
export const DEVCONF_DEFAULTS = {
  forwarding: 0,
  mc_forwarding: 0,
  proxy_arp: 0,
  accept_redirects: 1,
  secure_redirects: 1,
  send_redirects: 1,
  shared_media: 1,
  rp_filter: 0,
  accept_source_route: 0,
  bootp_relay: 0,
  log_martians: 0,
  tag: 0,
  arp_filter: 0,
  medium_id: 0,
  disable_xfrm: 0,
  disable_policy: 0,
  force_igmp_version: 0,
  arp_announce: 0,
  arp_ignore: 0,
  promote_secondaries: 0,
  arp_accept: 0,
  arp_notify: 0,
  accept_local: 0,
  src_valid_mark: 0,
  proxy_arp_pvlan: 0,
  route_localnet: 0,
  ignore_routes_with_linkdown: 0,
  drop_unicast_in_l2_multicast: 0,
  drop_gratuitous_arp: 0,
  bc_forwarding: 0,
  arp_evict_nocarrier: 1,
} as const;

export type DevconfKey = keyof typeof DEVCONF_DEFAULTS;

/** Read-only keys (mc_forwarding is 0444 in the kernel's table). */
export const DEVCONF_READONLY: ReadonlySet<DevconfKey> = new Set<DevconfKey>(['mc_forwarding']);

export function isDevconfKey(k: string): k is DevconfKey {
  return Object.prototype.hasOwnProperty.call(DEVCONF_DEFAULTS, k);
}
