// The FIB snapshot: everything the kernel's IPv4 routing state consists of, immutable and
// structurally shared between snapshots (a device, table or rule the event did not touch
// is the same object in the next snapshot).

import type { NetDevice } from './net-device.js';
import { initialDevconf, type DevConf } from './devconf.js';
import type { FibTable } from './fib-table.js';
import { emptyTable } from './fib-table.js';
import type { FibRule } from '../events/rule.js';
import { defaultRules } from './fib-rule.js';
import type { NexthopObject } from './nexthop-object.js';
import { RT_TABLE_MAIN } from '../uapi/rtnetlink.js';

export interface FibSnapshot {
  /** Number of events applied since the initial snapshot (accepted or not). */
  readonly generation: number;
  /** Devices by ifindex, in ifindex (registration) order. */
  readonly devices: ReadonlyMap<number, NetDevice>;
  readonly nextIfindex: number;
  readonly confAll: DevConf;
  readonly confDefault: DevConf;
  /** Tables by id, in creation order (the dump of `table all` depends on it). */
  readonly tables: ReadonlyMap<number, FibTable>;
  readonly rules: readonly FibRule[];
  /** fib_has_custom_rules: set by the first rule added, never cleared; until then local is merged into main for lookups. */
  readonly customRules: boolean;
  /** fib_has_custom_local_routes: a user added a `local` route (never cleared); source validation then takes the full path. */
  readonly customLocalRoutes: boolean;
  readonly nexthops: ReadonlyMap<number, NexthopObject>;
}

/** A fresh network namespace as the scenario runner leaves it: lo (down, no address), table main, three rules. */
export function initialSnapshot(): FibSnapshot {
  const lo: NetDevice = {
    ifindex: 1,
    name: 'lo',
    kind: 'loopback',
    peer: null,
    master: null,
    up: false,
    carrier: true,
    hadPorts: false,
    group: 0,
    addrs: [],
    conf: initialDevconf(),
    mac: '00:00:00:00:00:00',
    mtu: 65536,
  };
  return {
    generation: 0,
    devices: new Map([[1, lo]]),
    nextIfindex: 2,
    confAll: initialDevconf(),
    confDefault: initialDevconf(),
    // No table exists yet: main is created by the first route put into main or local
    // (fib_new_table), although iproute2 dumps of main succeed before that.
    tables: new Map(),
    rules: defaultRules(),
    customRules: false,
    customLocalRoutes: false,
    nexthops: new Map(),
  };
}

/** The device with this name, if any. */
export function deviceByName(s: FibSnapshot, name: string): NetDevice | undefined {
  for (const d of s.devices.values()) if (d.name === name) return d;
  return undefined;
}

/** The effective ignore_routes_with_linkdown of a device (IN_DEV_IGNORE_ROUTES_WITH_LINKDOWN: all OR dev). */
export function ignoreLinkdown(s: FibSnapshot, ifindex: number): boolean {
  const d = s.devices.get(ifindex);
  if (d === undefined) return false;
  return s.confAll.values.ignore_routes_with_linkdown !== 0 || d.conf.values.ignore_routes_with_linkdown !== 0;
}
