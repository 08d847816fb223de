// Words every `ip route` verb parses alike (iproute2 6.1 ip/iproute.c): the route type names
// of rtnl_rtntype_a2n() (ip/rtm_map.c, rtm-map.ts) and the family a command starts from
// (preferred_family). Internal to ip-route*.ts.

import { type RouteType } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import { AfState } from './addr-family.js';
import { invarg, notModelled, type CommandContext } from './command-context.js';
import { deviceByIfname } from '../snapshot/snapshot.js';
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

/**
 * `vrf NAME` (iproute_modify(), iproute_get()): name_is_vrf() asks for the link and its
 * IFLA_INFO_KIND; anything but an existing VRF device is invarg("Invalid VRF"), exit 255.
 * A VRF (or an imported device whose kind is unknown) would route through its l3mdev table,
 * which is not modelled.
 */
export function vrfArg(ctx: CommandContext, cmd: string, name: string): never {
  const d = deviceByIfname(ctx.snapshot, name);
  if (d !== undefined && d.kind === 'other' && (d.driver === undefined || d.driver === 'vrf')) notModelled(`${cmd} vrf`);
  invarg('Invalid VRF\n', name);
}
