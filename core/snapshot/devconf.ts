// IPv4 per-device configuration (struct ipv4_devconf, devinet.c): values plus the
// per-key "set" bit (cnf->state) that decides whether a write to conf/default reaches
// a device (devinet_copy_dflt_conf).

import { DEVCONF_DEFAULTS, type DevconfKey } from '../uapi/ip-devconf.js';

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
