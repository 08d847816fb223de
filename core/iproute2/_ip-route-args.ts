// Words every `ip route` verb parses alike (iproute2 6.1 ip/iproute.c): the route type names
// of rtnl_rtntype_a2n() (lib/rt_names.c) and the family a command starts from
// (preferred_family). Internal to ip-route*.ts.

import { type RouteType } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import { AfState } from './addr-family.js';

/** preferred_family: -4 settles on inet, otherwise AF_UNSPEC until an address decides. */
export function startFamily(opts: GlobalOptions): AfState {
  return new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
}

export const ROUTE_TYPES: readonly RouteType[] = [
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
];

/** rtnl_rtntype_a2n. */
export function routeTypeOf(word: string): RouteType | undefined {
  return ROUTE_TYPES.find((t) => t === word);
}
