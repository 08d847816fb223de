// Nexthop objects (net/ipv4/nexthop.c): `ip nexthop add id N …`. Unlike nexthops inside
// routes they are removed when their device goes down or loses carrier
// (nexthop_flush_dev on NETDEV_DOWN / NETDEV_CHANGE without carrier), and routes using
// them go with them. A blackhole sits on the loopback and survives it going down; an fdb
// nexthop (for VXLAN's FDB) has a gateway and no device, and no route may use it.

import type { Ip4 } from '../net/ip4.js';

/** One group member: nexthop id and weight (1..256). */
export interface ResMember {
  readonly id: number;
  readonly weight: number;
}

/** struct nh_res_table of a resilient group, reduced to what a dump shows (nexthop/resilient.ts keeps it). */
export interface ResTable {
  readonly numBuckets: number;
  /** In clock_t (centiseconds, USER_HZ 100), as NHA_RES_GROUP_IDLE_TIMER carries it. */
  readonly idleTimer: number;
  readonly unbalancedTimer: number;
  /** The member id in each bucket. */
  readonly buckets: readonly number[];
}

export type NexthopObject =
  | {
      readonly kind: 'single';
      readonly id: number;
      /** 0 for an fdb nexthop. */
      readonly dev: number;
      readonly gw: Ip4 | null;
      /**
       * nh_family AF_INET6 (a struct fib6_nh, made by nh_create_ipv6() -> fib6_nh_init()):
       * IPv4 routes may use it since Linux 5.2; absent for AF_INET.
       */
      readonly v6?: boolean;
      /** The IPv6 gateway (canonical text) of a v6 nexthop; gw is then null. Absent for none. */
      readonly gw6?: string;
      readonly onlink: boolean;
      /** nh scope: LINK with a gateway, HOST without (printed `scope link`/`scope host`). */
      readonly scope: number;
      readonly protocol: number;
      /** NHA_FDB. */
      readonly fdb: boolean;
    }
  | {
      readonly kind: 'blackhole';
      readonly id: number;
      readonly protocol: number;
      /**
       * nh_family AF_INET6 (`ip -6 nexthop add id N blackhole`: nexthop_create() makes a
       * fib6_nh on the loopback, reject_nh set). To IPv4 routes it is the same blackhole;
       * only a dump filtered by family (nh_dump_filtered()) tells. Absent for AF_INET.
       */
      readonly v6?: boolean;
    }
  | {
      readonly kind: 'group';
      readonly id: number;
      readonly members: readonly ResMember[];
      readonly protocol: number;
      readonly fdb: boolean;
      /** The bucket table of a resilient group (NEXTHOP_GRP_TYPE_RES); null for hash-threshold (mpath). */
      readonly res: ResTable | null;
    };

/** nexthop_is_blackhole(): a blackhole, or a group of one member that is one. */
export function nexthopIsBlackhole(nexthops: ReadonlyMap<number, NexthopObject>, o: NexthopObject): boolean {
  if (o.kind === 'blackhole') return true;
  if (o.kind !== 'group' || o.members.length !== 1) return false;
  const only = o.members[0];
  return only !== undefined && nexthops.get(only.id)?.kind === 'blackhole';
}
