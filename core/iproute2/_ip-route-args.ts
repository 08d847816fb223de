// Words every `ip route` verb parses alike (iproute2 6.1 ip/iproute.c): the route type names
// of rtnl_rtntype_a2n() (lib/rt_names.c) and the family a command starts from
// (preferred_family). Internal to ip-route*.ts.

import { type RouteType } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import { AfState } from './addr-family.js';
import { matches } from './command-context.js';
import { parseUnsigned } from '../uapi/rt-names.js';

/** preferred_family: -4 settles on inet, otherwise AF_UNSPEC until an address decides. */
export function startFamily(opts: GlobalOptions): AfState {
  return new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
}


/** RTN_* numbers of the route types the model knows (include/uapi/linux/rtnetlink.h). */
const RTN_NUMBERS: readonly (readonly [RouteType, number])[] = [
  ['unicast', 1],
  ['local', 2],
  ['broadcast', 3],
  ['anycast', 4],
  ['multicast', 5],
  ['blackhole', 6],
  ['unreachable', 7],
  ['prohibit', 8],
  ['throw', 9],
  ['nat', 10],
];

/** RTN_XRESOLVE: a name rtnl_rtntype_a2n() knows and the model does not. */
export const RTN_XRESOLVE = 11;

/**
 * rtnl_rtntype_a2n() (ip/rtm_map.c): `local`, `nat`, `brd` and `throw` only whole; the other
 * names by any prefix (matches()), tried in its order, so `u` and `un` are unreachable (before
 * unicast), `b` broadcast, `bl` blackhole; else a number up to 255 (strtoul base 0). The RTN_*
 * number, or undefined when iproute2 refuses the word.
 */
export function rtntypeA2n(word: string): number | undefined {
  if (word === 'local') return 2;
  if (word === 'nat') return 10;
  if (matches(word, 'broadcast') || word === 'brd') return 3;
  if (matches(word, 'anycast')) return 4;
  if (matches(word, 'multicast')) return 5;
  if (matches(word, 'prohibit')) return 8;
  if (matches(word, 'unreachable')) return 7;
  if (matches(word, 'blackhole')) return 6;
  if (matches(word, 'xresolve')) return RTN_XRESOLVE;
  if (matches(word, 'unicast')) return 1;
  if (word === 'throw') return 9;
  return parseUnsigned(word, 255);
}

/** The model's name of an RTN_* number, or undefined (RTN_UNSPEC, RTN_XRESOLVE, 12..255). */
export function routeTypeName(n: number): RouteType | undefined {
  return RTN_NUMBERS.find(([, k]) => k === n)?.[0];
}
