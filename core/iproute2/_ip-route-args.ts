// Words every `ip route` verb parses alike (iproute2 6.1 ip/iproute.c): the route type names
// of rtnl_rtntype_a2n() (ip/rtm_map.c, rtm-map.ts) and the family a command starts from
// (preferred_family). Internal to ip-route*.ts.

import { type RouteType } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import { AfState } from './addr-family.js';
import { notModelled } from './command-context.js';
import { rtnlRtntypeA2n, routeTypeOfWord } from './rtm-map.js';

/** preferred_family: -4 settles on inet, otherwise AF_UNSPEC until an address decides. */
export function startFamily(opts: GlobalOptions): AfState {
  return new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
}

/** rtnl_rtntype_a2n() of a word that does not start with a digit (iproute_modify()). */
export function routeTypeOf(word: string): RouteType | undefined {
  const n = rtnlRtntypeA2n(word);
  if (n === undefined) return undefined;
  const t = routeTypeOfWord(word);
  // `+0` or `+12`…`+255`: strtoul() reads a sign, and the kernel gets an unnamed rtm_type.
  if (t === undefined) notModelled(`ip route with route type ${n}`);
  return t;
}
