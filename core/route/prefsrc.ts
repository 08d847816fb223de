// fib_result_prefsrc() / fib_info_update_nhc_saddr(): the source address of a FIB result.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibResult } from '../trie/fib-table-lookup.js';
import { nhSaddr, type NhSaddr } from './nh-saddr.js';

/** The route's prefsrc if set (even if no longer local), else its nexthop's nh_saddr (nh-saddr.ts). */
export function fibResultPrefsrc(s: FibSnapshot, res: FibResult): NhSaddr {
  if (res.alias.info.prefsrc !== 0) return { addr: res.alias.info.prefsrc };
  return nhSaddr(s, res.alias.info, res.nhIndex, res.nh.dev, res.nh.gw ?? 0);
}
