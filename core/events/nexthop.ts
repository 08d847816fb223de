// Nexthop-object events: RTM_NEWNEXTHOP / RTM_DELNEXTHOP (`ip nexthop`).

import type { Ip4 } from '../net/ip4.js';

/**
 * What rtm_to_nh_config() sees of the request beyond the object itself: the nhmsg family
 * and which attributes were sent, so that combinations the kernel refuses (a blackhole
 * with a device, a group with a family) are refused with its message and in its order.
 * Absent in logs of accepted requests: it is then what the object implies.
 */
export interface NexthopRequestAttrs {
  /** nhm->nh_family: 0 (AF_UNSPEC), 2 (AF_INET), 10 (AF_INET6). */
  readonly family: number;
  readonly oif: boolean;
  readonly gateway: boolean;
  readonly blackhole: boolean;
  /** NHA_FDB (also on a request that is no fdb nexthop, such as `blackhole fdb`). */
  readonly fdb?: boolean;
  /** RTNH_F_ONLINK in nhm->nh_flags. */
  readonly onlinkFlag?: boolean;
}

/** NHA_RES_GROUP: each field only when given (the kernel's defaults apply on insertion, the old values on replace). */
export interface NexthopResArgs {
  readonly buckets?: number;
  /** clock_t (centiseconds), as iproute2 sends `idle_timer S` (S * 100). */
  readonly idleTimer?: number;
  readonly unbalancedTimer?: number;
}

export type NexthopAddEvent = {
  readonly type: 'nexthop-add';
  /** 0: the kernel allocates one (nh_find_unused_id). */
  readonly id: number;
  readonly replace: boolean;
  readonly protocol: number;
  readonly attrs?: NexthopRequestAttrs;
} & (
  | {
      readonly kind: 'single';
      readonly dev: number;
      readonly gw: Ip4 | null;
      /** An IPv6 gateway (NHA_GATEWAY of an AF_INET6 request), canonical text; gw is then null. */
      readonly gw6?: string;
      /** As NexthopSpec.gw6Routed (events/route.ts): the kernel accepted this IPv6 gateway (a record or a dump). */
      readonly gw6Routed?: boolean;
      readonly onlink: boolean;
      readonly fdb?: boolean;
    }
  | { readonly kind: 'blackhole' }
  | {
      readonly kind: 'group';
      readonly members: readonly { readonly id: number; readonly weight: number }[];
      readonly fdb?: boolean;
      /** Present for `type resilient`. */
      readonly res?: NexthopResArgs;
    }
);

export interface NexthopDelEvent {
  readonly type: 'nexthop-del';
  readonly id: number;
}

export type NexthopEvent = NexthopAddEvent | NexthopDelEvent;
