// The FIB snapshot: everything the kernel's IPv4 routing state consists of, immutable and
// structurally shared between snapshots (a device, table or rule the event did not touch
// is the same object in the next snapshot).

import type { SaddrMark } from './saddr-mark.js';
import type { NetDevice } from './net-device.js';
import { initialDevconf, type DevConf } from './devconf.js';
import type { FibTable } from './fib-table.js';
import type { RulesList } from './rules-list.js';
import { defaultRules } from './fib-rule.js';
import type { NexthopObject } from './nexthop-object.js';
import { FibLineage } from './fib-lineage.js';

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
  /** The rule list in the kernel's order (rules-list.ts: persistent, shared between snapshots). */
  readonly rules: RulesList;
  /** fib_has_custom_rules: set by the first rule added, never cleared; until then local is merged into main for lookups. */
  readonly customRules: boolean;
  /** fib_has_custom_local_routes: a user added a `local` route (never cleared); source validation then takes the full path. */
  readonly customLocalRoutes: boolean;
  readonly nexthops: ReadonlyMap<number, NexthopObject>;
  /** net->nexthop.last_id_allocated: where nh_find_unused_id() continues (`ip nexthop add id 0`). */
  readonly nexthopLastId: number;
  /** net->ipv4.dev_addr_genid: moves on every address added or deleted and every device up. */
  readonly addrGenid: number;
  /** The namespace-wide net.ipv4 sysctls of the nexthop and multipath code. */
  readonly ipv4Sysctl: Ipv4NetSysctl;
  /**
   * For each multipath fib_info, and each whose device has a host-scope address (by
   * nhSaddrKey()), the addrGenid and route_localnet when a route made it: its legs'
   * nh_saddr were computed then (fib_create_info), see route/nh-saddr.ts.
   */
  readonly saddrMarks: ReadonlyMap<string, SaddrMark>;
  /** By ifindex (0 for conf/all): the addrGenid when its route_localnet last changed (route/nh-saddr.ts). */
  readonly localnetChangedAt: ReadonlyMap<number, number>;
  /**
   * A fib_info whose nexthop had realms has been released (a route with realms deleted,
   * replaced or flushed) and none is in use now: the kernel frees it after an RCU grace
   * period (free_fib_info() -> call_rcu(free_fib_info_rcu) -> fib_nh_release()), and only
   * then does net->ipv4.fib_num_tclassid_users count it out. Until then
   * fib_validate_source() may still take its full path; the model has no clock, so once
   * set this stays (route/route-input.ts names an answer that depends on it).
   */
  readonly tclassidFreeing: boolean;
  /** What every snapshot made from the same initial snapshot shares (fib-lineage.ts): its fib_info hash and signature registry. */
  readonly lineage: FibLineage;
}

/**
 * Snapshots are made by `new` (snapshotOf()), never as object literals. Why: V8 tracks an
 * allocation site per literal and, when most of a site's objects outlive a scavenge, places
 * its later objects straight in the old generation (allocation-site pretenuring). A replay
 * without history makes a snapshot only when an event changes more than tables in place
 * (Txn.commit()), and a checkpoint index keeps those: with a literal, a snapshot made later
 * for an instant replayed from a checkpoint was then placed in the old generation, and kept
 * every young table and node it pointed to alive until a full collection (see
 * _pmap-node.ts, ChunkNode). Constructor calls carry no such site.
 */
export class Snapshot implements FibSnapshot {
  constructor(
    public generation: number,
    readonly devices: ReadonlyMap<number, NetDevice>,
    readonly nextIfindex: number,
    readonly confAll: DevConf,
    readonly confDefault: DevConf,
    readonly tables: ReadonlyMap<number, FibTable>,
    readonly rules: RulesList,
    readonly customRules: boolean,
    readonly customLocalRoutes: boolean,
    readonly nexthops: ReadonlyMap<number, NexthopObject>,
    readonly nexthopLastId: number,
    readonly addrGenid: number,
    readonly ipv4Sysctl: Ipv4NetSysctl,
    readonly saddrMarks: ReadonlyMap<string, SaddrMark>,
    readonly localnetChangedAt: ReadonlyMap<number, number>,
    readonly tclassidFreeing: boolean,
    readonly lineage: FibLineage,
  ) {}
}

/** A snapshot of these parts (see Snapshot for why not a literal). */
export function snapshotOf(p: FibSnapshot): FibSnapshot {
  return new Snapshot(p.generation, p.devices, p.nextIfindex, p.confAll, p.confDefault, p.tables, p.rules, p.customRules, p.customLocalRoutes, p.nexthops, p.nexthopLastId, p.addrGenid, p.ipv4Sysctl, p.saddrMarks, p.localnetChangedAt, p.tclassidFreeing, p.lineage);
}

/** net.ipv4.{nexthop_compat_mode, fib_multipath_*} (sysctl_net_ipv4.c), with their defaults. */
export interface Ipv4NetSysctl {
  readonly nexthop_compat_mode: number;
  readonly fib_multipath_use_neigh: number;
  readonly fib_multipath_hash_policy: number;
  readonly fib_multipath_hash_fields: number;
  /**
   * net.ipv6.conf.all.disable_ipv6 (copied to default and every device by
   * addrconf_disable_ipv6()). 1 in the model's fresh namespace, as the kernel runner
   * makes it (IPv6 routes and addresses are outside the model); what fib6_nh_init() checks
   * for the IPv6 gateways of IPv4 routes and v6 nexthop objects (EACCES).
   */
  readonly disable_ipv6: number;
}

export const DEFAULT_IPV4_NET_SYSCTL: Ipv4NetSysctl = {
  nexthop_compat_mode: 1,
  fib_multipath_use_neigh: 0,
  fib_multipath_hash_policy: 0,
  // FIB_MULTIPATH_HASH_FIELD_DEFAULT_MASK: source and destination address, protocol.
  fib_multipath_hash_fields: 7,
  disable_ipv6: 1,
};

/** A fresh network namespace as the scenario runner leaves it: lo (down, no address), table main, three rules. */
/** A fresh namespace; `imported`: the start of a dump's import (FibLineage.imported). */
export function initialSnapshot(imported = false): FibSnapshot {
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
  return snapshotOf({
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
    nexthopLastId: 0,
    addrGenid: 0,
    ipv4Sysctl: DEFAULT_IPV4_NET_SYSCTL,
    saddrMarks: new Map(),
    localnetChangedAt: new Map(),
    tclassidFreeing: false,
    lineage: new FibLineage(imported),
  });
}

/**
 * The device whose name (dev->name) this is, if any: what names a device where the kernel
 * compares dev->name itself (a rule attaching by name in fib_rules_event(), the
 * net/ipv4/conf/NAME sysctl directories). A device's alternative names are not its name:
 * see deviceByIfname().
 */
export function deviceByName(s: FibSnapshot, name: string): NetDevice | undefined {
  for (const d of s.devices.values()) if (d.name === name) return d;
  return undefined;
}

/**
 * __dev_get_by_name() -> netdev_name_node_lookup(): the device this name or one of its
 * alternative names (`altname`, IFLA_ALT_IFNAME) is. What iproute2's ll_name_to_index()
 * answers for a `dev NAME` word (RTM_GETLINK by IFLA_IFNAME or IFLA_ALT_IFNAME, then
 * if_nametoindex(), both through that lookup). Names and alternative names are unique in
 * a namespace (netdev_name_in_use()), so at most one device answers.
 *
 * @example deviceByIfname(s, 'enp0s3') // the device `eth0 … altname enp0s3`
 */
export function deviceByIfname(s: FibSnapshot, name: string): NetDevice | undefined {
  const d = deviceByName(s, name);
  if (d !== undefined) return d;
  for (const x of s.devices.values()) if (x.altnames?.includes(name) === true) return x;
  return undefined;
}

/**
 * IN_DEV_IGNORE_ROUTES_WITH_LINKDOWN() (all OR dev), or null when it depends on a value an
 * imported state does not give (devconf.ts `unknown`: a trace without before.json).
 */
export function ignoreLinkdownKnown(s: FibSnapshot, ifindex: number): boolean | null {
  const d = s.devices.get(ifindex);
  if (d === undefined) return false;
  const all = s.confAll.unknown.has('ignore_routes_with_linkdown') ? null : s.confAll.values.ignore_routes_with_linkdown !== 0;
  const dev = d.conf.unknown.has('ignore_routes_with_linkdown') ? null : d.conf.values.ignore_routes_with_linkdown !== 0;
  if (all === true || dev === true) return true;
  return all === null || dev === null ? null : false;
}

/**
 * The effective ignore_routes_with_linkdown of a device (IN_DEV_IGNORE_ROUTES_WITH_LINKDOWN:
 * all OR dev), an unknown value taken as stored (0): for the reducer's own bookkeeping
 * (fib_rebalance()); answers read ignoreLinkdownKnown() and name what they cannot know.
 */
export function ignoreLinkdown(s: FibSnapshot, ifindex: number): boolean {
  const d = s.devices.get(ifindex);
  if (d === undefined) return false;
  return s.confAll.values.ignore_routes_with_linkdown !== 0 || d.conf.values.ignore_routes_with_linkdown !== 0;
}
