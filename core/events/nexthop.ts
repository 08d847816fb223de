// Nexthop-object events: RTM_NEWNEXTHOP / RTM_DELNEXTHOP (`ip nexthop`).

import type { Ip4 } from '../net/ip4.js';

export type NexthopAddEvent = {
  readonly type: 'nexthop-add';
  readonly id: number;
  readonly replace: boolean;
  readonly protocol: number;
} & (
  | { readonly kind: 'single'; readonly dev: number; readonly gw: Ip4 | null; readonly onlink: boolean }
  | { readonly kind: 'blackhole' }
  | { readonly kind: 'group'; readonly members: readonly { readonly id: number; readonly weight: number }[] }
);

export interface NexthopDelEvent {
  readonly type: 'nexthop-del';
  readonly id: number;
}

export type NexthopEvent = NexthopAddEvent | NexthopDelEvent;
