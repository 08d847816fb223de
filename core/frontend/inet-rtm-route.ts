// Route requests: inet_rtm_newroute() and inet_rtm_delroute() (fib_frontend.c):
// rtm_to_fib_config() checks the prefix, fib_new_table() / fib_get_table() find the table,
// then fib_table_insert() / fib_table_delete() (trie-change/) do the rest.

import type { Txn } from '../snapshot/txn.js';
import type { RouteDelEvent, RouteNewEvent } from '../events/route.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { fibTableDelete, fibTableInsert, validKey, type InsertOptions } from '../trie-change/fib-insert.js';
import type { RouteConfig } from '../events/route.js';
import { nhSaddrMayMatter, noteNhSaddr } from '../route/nh-saddr.js';

// Made once: a literal per request was an allocation on every route event.
const INSERT_OPTS: InsertOptions = { cause: 'fib_table_insert', notify: true };
const DELETE_OPTS: InsertOptions = { cause: 'fib_table_delete', notify: true };

/** rtm_to_fib_config(): a nexthop id excludes a device, a gateway and RTA_MULTIPATH. */
function nhidExclusive(cfg: Pick<RouteConfig, 'nhid' | 'multipath' | 'nhs'>): KernelError | null {
  if (cfg.nhid === 0) return null;
  if (cfg.multipath || cfg.nhs.some((n) => n.dev !== 0 || n.gw !== null || n.gw6 !== undefined)) return kerr('EINVAL', 'Nexthop specification and nexthop id are mutually exclusive');
  return null;
}

/**
 * inet_rtm_newroute(): rtm_to_fib_config() checks the prefix first; then fib_new_table()
 * comes before the rest of the validation, so a refused route still leaves its table behind.
 */
export function inetRtmNewroute(txn: Txn, e: RouteNewEvent): KernelError | null {
  const bad = validKey(e.cfg.dst, e.cfg.plen) ?? nhidExclusive(e.cfg);
  if (bad !== null) return bad;
  txn.ensureTable(e.cfg.table);
  const err = fibTableInsert(txn, e.cfg, e.op, INSERT_OPTS);
  // A user's local route switches source validation to the full check.
  if (err === null && e.cfg.type === 'local') txn.customLocalRoutes = true;
  if (err === null && nhSaddrMayMatter(txn, e.cfg)) noteNhSaddr(txn, txn.aliases(e.cfg.table, e.cfg.dst, e.cfg.plen));
  return err;
}

/**
 * inet_rtm_delroute(): the prefix, a nexthop id that must exist (EINVAL), then the table
 * (ESRCH when it does not exist), then fib_table_delete().
 */
export function inetRtmDelroute(txn: Txn, e: RouteDelEvent): KernelError | null {
  const bad = validKey(e.cfg.dst, e.cfg.plen) ?? nhidExclusive(e.cfg);
  if (bad !== null) return bad;
  if (e.cfg.nhid !== 0 && !txn.nexthops.has(e.cfg.nhid)) return kerr('EINVAL', 'Nexthop id does not exist');
  if (!txn.tables.has(e.cfg.table)) return kerr('ESRCH', 'FIB table does not exist');
  return fibTableDelete(txn, e.cfg, DELETE_OPTS);
}
