// IPv4 per-device configuration (struct ipv4_devconf, devinet.c): values plus the
// per-key "set" bit (cnf->state) that decides whether a write to conf/default reaches
// a device (devinet_copy_dflt_conf).

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

/** Values and "set" marks of one devconf block. */
export interface DevConf {
  readonly values: Readonly<Record<DevconfKey, number>>;
  readonly set: ReadonlySet<DevconfKey>;
}

/** The kernel's built-in devconf, nothing marked set. */
export function initialDevconf(): DevConf {
  return { values: { ...DEVCONF_DEFAULTS }, set: new Set() };
}

/** A devconf with one value changed and, when mark, its set bit raised (ipv4_devconf_set). */
export function devconfWrite(c: DevConf, key: DevconfKey, value: number, mark: boolean): DevConf {
  if (c.values[key] === value && (!mark || c.set.has(key))) return c;
  const set = mark && !c.set.has(key) ? new Set([...c.set, key]) : c.set;
  return { values: { ...c.values, [key]: value }, set };
}

/** All keys marked set (ipv4_devconf_setall), as an address add does. */
export function devconfSetAll(c: DevConf): DevConf {
  const all = Object.keys(DEVCONF_DEFAULTS) as DevconfKey[];
  if (all.every((k) => c.set.has(k))) return c;
  return { values: c.values, set: new Set(all) };
}
