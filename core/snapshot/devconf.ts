// IPv4 per-device configuration (struct ipv4_devconf, devinet.c): values plus the
// per-key "set" bit (cnf->state) that decides whether a write to conf/default reaches
// a device (devinet_copy_dflt_conf).

import { DEVCONF_DEFAULTS, type DevconfKey } from '../uapi/ip-devconf.js';

/** Values and "set" marks of one devconf block. */
export interface DevConf {
  readonly values: Readonly<Record<DevconfKey, number>>;
  readonly set: ReadonlySet<DevconfKey>;
}

/**
 * IN_DEV_ORCONF(): a device's value or conf/all's is non-zero (accept_local, send_redirects,
 * shared_media, src_valid_mark, route_localnet, ... in include/linux/inetdevice.h).
 */
export function inDevOrconf(all: DevConf, dev: DevConf, key: DevconfKey): boolean {
  return dev.values[key] !== 0 || all.values[key] !== 0;
}

/** IN_DEV_MAXCONF(): the larger of a device's value and conf/all's (rp_filter). */
export function inDevMaxconf(all: DevConf, dev: DevConf, key: DevconfKey): number {
  return Math.max(dev.values[key], all.values[key]);
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
