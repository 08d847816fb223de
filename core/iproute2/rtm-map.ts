// rtnl_rtntype_a2n() of iproute2 6.1 (ip/rtm_map.c): the route type word of `ip route`
// (add/del/…, the `type` selector of list/flush) and the action word of `ip rule`.
// `local`, `nat` and `throw` must be whole; the others may be abbreviated, tried in the
// order below (`b` is broadcast, `bl` blackhole, `u` unreachable, `uni` unicast, `x`
// xresolve), `brd` is broadcast, and anything else is read as a number (strtoul, base 0)
// up to 255.

import { RTN, type RouteType } from '../uapi/rtnetlink.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import { matches } from './command-context.js';

/** rtnl_rtntype_a2n(): the RTN_* number of a word, or undefined when it is none. */
export function rtnlRtntypeA2n(word: string): number | undefined {
  if (word === 'local') return RTN.local;
  if (word === 'nat') return RTN.nat;
  if (matches(word, 'broadcast') || word === 'brd') return RTN.broadcast;
  if (matches(word, 'anycast')) return RTN.anycast;
  if (matches(word, 'multicast')) return RTN.multicast;
  if (matches(word, 'prohibit')) return RTN.prohibit;
  if (matches(word, 'unreachable')) return RTN.unreachable;
  if (matches(word, 'blackhole')) return RTN.blackhole;
  if (matches(word, 'xresolve')) return RTN.xresolve;
  if (matches(word, 'unicast')) return RTN.unicast;
  if (word === 'throw') return RTN.throw;
  // strtoul() (a '+' sign too); 0 (RTN_UNSPEC) and 12..255 have no name.
  return parseUnsigned(word, 255);
}

const BY_NUMBER: ReadonlyMap<number, RouteType> = new Map(Object.entries(RTN).map(([k, v]) => [v, k as RouteType]));

/** The route type a word names (rtnl_rtntype_a2n() then the RTN_* number's type), if any. */
export function routeTypeOfWord(word: string): RouteType | undefined {
  const n = rtnlRtntypeA2n(word);
  return n === undefined ? undefined : BY_NUMBER.get(n);
}

/**
 * The `type` selector of `ip route list|flush` (iproute_list_flush_or_save()):
 * `filter.typemask = 1 << type`, an int shift, so on x86 the count is taken modulo 32
 * (`type 33` selects unicast routes, `type 31` none), as JavaScript's `<<` does.
 */
export function routeTypemask(type: number): number {
  return 1 << type;
}

/** filter_nlmsg(): a route of type T is kept when the typemask has bit T. */
export function typemaskHas(mask: number, type: RouteType): boolean {
  return (mask & (1 << RTN[type])) !== 0;
}
