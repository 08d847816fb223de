// IPv4 per-device configuration (struct ipv4_devconf, devinet.c): values plus the
// per-key "set" bit (cnf->state) that decides whether a write to conf/default reaches
// a device (devinet_copy_dflt_conf). A state imported from a host (an `ip -j` dump, a
// trace) does not show every key: those values, and the set bits of imported devices, are
// kept as unknown, and an answer that depends on one is named as a gap (devconf-probe.ts).

import { DEVCONF_DEFAULTS, type DevconfKey } from '../uapi/ip-devconf.js';

/** Values and "set" marks of one devconf block. */
export interface DevConf {
  readonly values: Readonly<Record<DevconfKey, number>>;
  readonly set: ReadonlySet<DevconfKey>;
  /** Keys whose value the model does not know (an import did not show them); `values` holds the kernel default there. */
  readonly unknown: ReadonlySet<DevconfKey>;
  /** Keys not in `set` whose set bit is not known either (an imported device or default): a default write may or may not reach them. */
  readonly maybeSet: ReadonlySet<DevconfKey>;
}

const NONE: ReadonlySet<DevconfKey> = new Set<DevconfKey>();

/** Every key the model has, in IPV4_DEVCONF_* order. */
export const DEVCONF_KEYS: readonly DevconfKey[] = Object.keys(DEVCONF_DEFAULTS) as DevconfKey[];
const ALL_KEYS: ReadonlySet<DevconfKey> = new Set(DEVCONF_KEYS);

/**
 * IN_DEV_ORCONF(): a device's value or conf/all's is non-zero (accept_local, send_redirects,
 * shared_media, src_valid_mark, route_localnet, ... in include/linux/inetdevice.h).
 * null when it depends on a value the model does not know: a known non-zero on either side
 * decides it, an unknown on the other does not matter then.
 */
export function inDevOrconf(all: DevConf, dev: DevConf, key: DevconfKey): boolean | null {
  const d = dev.unknown.has(key) ? null : dev.values[key] !== 0;
  const a = all.unknown.has(key) ? null : all.values[key] !== 0;
  if (d === true || a === true) return true;
  return d === null || a === null ? null : false;
}

/** The largest value rp_filter can hold (devinet.c's proc handler takes 0..2). */
export const RP_FILTER_MAX = 2;

/**
 * IN_DEV_MAXCONF(): the larger of a device's value and conf/all's (rp_filter). null when it
 * depends on an unknown value: a known side at RP_FILTER_MAX decides it.
 */
export function inDevMaxconf(all: DevConf, dev: DevConf, key: DevconfKey): number | null {
  const d = dev.unknown.has(key) ? null : dev.values[key];
  const a = all.unknown.has(key) ? null : all.values[key];
  if ((d ?? 0) >= RP_FILTER_MAX || (a ?? 0) >= RP_FILTER_MAX) return Math.max(d ?? 0, a ?? 0);
  return d === null || a === null ? null : Math.max(d, a);
}

/** IN_DEV_CONF_GET(): one block's value, null when unknown. */
export function devConfGet(c: DevConf, key: DevconfKey): number | null {
  return c.unknown.has(key) ? null : c.values[key];
}

/** The kernel's built-in devconf, nothing marked set, everything known. */
export function initialDevconf(): DevConf {
  return { values: { ...DEVCONF_DEFAULTS }, set: NONE, unknown: NONE, maybeSet: NONE };
}

/** A devconf of which nothing is known but the keys in `known` (an imported conf/all or conf/default). */
export function unknownDevconf(c: DevConf): DevConf {
  return { values: c.values, set: c.set, unknown: ALL_KEYS, maybeSet: new Set(DEVCONF_KEYS.filter((k) => !c.set.has(k))) };
}

function without(s: ReadonlySet<DevconfKey>, key: DevconfKey): ReadonlySet<DevconfKey> {
  if (!s.has(key)) return s;
  if (s.size === 1) return NONE;
  const n = new Set(s);
  n.delete(key);
  return n;
}

/** A devconf with one value changed (now known) and, when mark, its set bit raised (ipv4_devconf_set). */
export function devconfWrite(c: DevConf, key: DevconfKey, value: number, mark: boolean): DevConf {
  if (c.values[key] === value && !c.unknown.has(key) && (!mark || c.set.has(key))) return c;
  const set = mark && !c.set.has(key) ? new Set([...c.set, key]) : c.set;
  return { values: c.values[key] === value ? c.values : { ...c.values, [key]: value }, set, unknown: without(c.unknown, key), maybeSet: mark ? without(c.maybeSet, key) : c.maybeSet };
}

/** A devconf whose value for key is no longer known (a default write that may or may not have reached it). */
export function devconfForget(c: DevConf, key: DevconfKey): DevConf {
  if (c.unknown.has(key)) return c;
  return { ...c, unknown: new Set([...c.unknown, key]) };
}

/** All keys marked set (ipv4_devconf_setall), as an address add does. */
export function devconfSetAll(c: DevConf): DevConf {
  if (c.set.size === ALL_KEYS.size) return c;
  return { values: c.values, set: ALL_KEYS, unknown: c.unknown, maybeSet: NONE };
}

/** The net.ipv4.conf name of a block ("all", "default" or a device's name) and key. */
export function devconfName(block: string, key: DevconfKey): string {
  return `net.ipv4.conf.${block}.${key}`;
}

/** The keys an inet netconf entry shows (inet_netconf_fill_devconf() with NETCONFA_ALL): forwarding, rp_filter, mc_forwarding, proxy_neigh, ignore_routes_with_linkdown. */
export const NETCONF_SHOWN: readonly DevconfKey[] = ['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_arp', 'ignore_routes_with_linkdown'];

/** The net.ipv4.conf names of the values an `ip -4 netconf` listing of these blocks would show that are unknown. */
export function netconfUnknownNames(blocks: Iterable<readonly [string, DevConf]>): string[] {
  const out: string[] = [];
  for (const [name, c] of blocks) for (const k of NETCONF_SHOWN) if (c.unknown.has(k)) out.push(devconfName(name, k));
  return out;
}

/** The blocks of a namespace in `ip -4 netconf show`'s order: devices, then all and default. */
export function netconfBlocks(s: { readonly devices: ReadonlyMap<number, { readonly name: string; readonly conf: DevConf }>; readonly confAll: DevConf; readonly confDefault: DevConf }): (readonly [string, DevConf])[] {
  return [...[...s.devices.values()].map((d) => [d.name, d.conf] as const), ['all', s.confAll], ['default', s.confDefault]];
}
