// Nexthop objects (net/ipv4/nexthop.c): `ip nexthop add id N …`. Unlike nexthops inside
// routes they are removed when their device goes down or loses carrier
// (nexthop_flush_dev on NETDEV_DOWN / NETDEV_CHANGE without carrier), and routes using
// them go with them.

import type { Ip4 } from '../net/ip4.js';

export type NexthopObject =
  | {
      readonly kind: 'single';
      readonly id: number;
      readonly dev: number;
      readonly gw: Ip4 | null;
      readonly onlink: boolean;
      /** nh scope: LINK with a gateway, HOST without (printed `scope link`/`scope host`). */
      readonly scope: number;
      readonly protocol: number;
    }
  | { readonly kind: 'blackhole'; readonly id: number; readonly protocol: number }
  | {
      readonly kind: 'group';
      readonly id: number;
      readonly members: readonly { readonly id: number; readonly weight: number }[];
      readonly protocol: number;
    };
