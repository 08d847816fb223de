// fib_result_prefsrc() / fib_info_update_nhc_saddr(): the source address of a FIB result.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibResult } from '../trie/fib-table-lookup.js';
import { nhSaddr, type NhSaddr } from './nh-saddr.js';
import { ip6Head4 } from '../net/ip6.js';
import type { Ip4 } from '../net/ip4.js';

/**
 * What fib_info_update_nhc_saddr() passes inet_select_addr() as the gateway: a v6 nexthop
 * object's fib6_nh (nhc_family AF_INET6) gives 0; an IPv4 fib_nh gives fib_nh_gw4, which
 * for an IPv6 gateway reads the first 32 bits of the union nhc_gw (its ipv6 member).
 */
export function nhGw4(nh: { readonly gw: Ip4 | null; readonly gw6?: string; readonly v6nhc?: boolean }): Ip4 {
  if (nh.gw !== null) return nh.gw;
  if (nh.v6nhc === true || nh.gw6 === undefined) return 0;
  return ip6Head4(nh.gw6);
}

/** The route's prefsrc if set (even if no longer local), else its nexthop's nh_saddr (nh-saddr.ts). */
export function fibResultPrefsrc(s: FibSnapshot, res: FibResult): NhSaddr {
  if (res.alias.info.prefsrc !== 0) return { addr: res.alias.info.prefsrc };
  return nhSaddr(s, res.alias.info, res.nhIndex, res.nh.dev, nhGw4(res.nh));
}
