// fib_result_prefsrc() / fib_info_update_nhc_saddr(): the source address of a FIB result.

import type { Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibResult } from '../trie/fib-table-lookup.js';
import { inetSelectAddr } from '../snapshot/select-addr.js';

/** The route's prefsrc if set (even if no longer local), else inet_select_addr(nh dev, gw, route scope). */
export function fibResultPrefsrc(s: FibSnapshot, res: FibResult): Ip4 {
  if (res.alias.info.prefsrc !== 0) return res.alias.info.prefsrc;
  return inetSelectAddr(s, res.nh.dev, res.nh.gw ?? 0, res.alias.info.scope);
}
