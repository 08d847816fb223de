// fib_table_insert() and fib_table_delete() (fib_trie.c): where a new alias goes among
// the aliases of its prefix, what NLM_F_EXCL / REPLACE / APPEND / CREATE do, and which
// alias a delete request removes.

import type { Txn } from '../snapshot/txn.js';
import type { FibAlias, FibInfo, FibRoute } from '../snapshot/fib-info.js';
import { sameFibInfo } from '../snapshot/fib-info.js';
import { fibMetricsMatch } from '../semantics/fib-metrics.js';
import type { RouteConfig, RouteDelConfig, RouteOp } from '../events/route.js';
import { fibCreateInfo, InfoRefused } from '../semantics/fib-create-info.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_NOWHERE } from '../uapi/rtnetlink.js';
import type { EffectCause } from '../snapshot/effects.js';
import { maskOf } from '../net/ip4.js';

const NO_ALIASES: readonly FibAlias[] = Object.freeze([]);

/** fib_valid_key_len(); since 6.x also checked by rtm_to_fib_config() before the table is looked up or made. */
export function validKey(dst: number, plen: number): KernelError | null {
  if (plen > 32) return kerr('EINVAL', 'Invalid prefix length');
  if (plen < 32 && ((dst & ~maskOf(plen)) >>> 0) !== 0) return kerr('EINVAL', 'Invalid prefix for given prefix length');
  return null;
}

/**
 * fib_find_alias(): index of the first alias with tos lower than `tos`, or equal tos and
 * metric >= `prio` (the insertion point for a new alias); list length when none.
 */
function findAlias(list: readonly FibAlias[], tos: number, prio: number): number {
  for (let i = 0; i < list.length; i++) {
    const fa = list[i] as FibAlias;
    if (fa.tos > tos) continue;
    if (fa.info.priority >= prio || fa.tos < tos) return i;
  }
  return list.length;
}

/** The route an alias is at the request's prefix. */
function routeAt(cfg: RouteConfig, alias: FibAlias): FibRoute {
  return { table: cfg.table, dst: cfg.dst, plen: cfg.plen, alias };
}

export interface InsertOptions {
  readonly cause: EffectCause;
  readonly notify: boolean;
}

/**
 * fib_table_insert():
 * 1. validate the key, build the fib_info (fib_create_info);
 * 2. find the group of aliases with the same (tos, metric);
 * 3. EXCL and a group: EEXIST. REPLACE: replace the group's first alias (a no-op if it is
 *    identical, EEXIST if an identical alias is elsewhere in the group). Otherwise an
 *    identical alias is EEXIST; APPEND goes after the group, else before it;
 * 4. without CREATE, ENOENT.
 * @returns null on success, else the error (the table exists either way).
 */
export function fibTableInsert(txn: Txn, cfg: RouteConfig, op: RouteOp, opts: InsertOptions): KernelError | null {
  const bad = validKey(cfg.dst, cfg.plen);
  if (bad !== null) return bad;
  const created = fibCreateInfo(txn.current, cfg);
  if (created instanceof InfoRefused) return created.err;
  // fib_find_info(): routes with equal attributes share one info (and here one alias).
  const shared = txn.base.lineage.infos.sharedRoute(cfg.type, cfg.tos, created);
  const newAlias: FibAlias = shared.alias;
  const info: FibInfo = newAlias.info;
  const list = txn.aliases(cfg.table, cfg.dst, cfg.plen);
  let pos = findAlias(list, cfg.tos, info.priority);
  const head = list[pos];
  if (head !== undefined && head.tos === cfg.tos && head.info.priority === info.priority) {
    if (op === 'add') return kerr('EEXIST');
    let matchIdx = -1;
    let end = pos;
    for (let i = pos; i < list.length; i++) {
      const fa = list[i] as FibAlias;
      if (fa.tos !== cfg.tos || fa.info.priority !== info.priority) break;
      end = i + 1;
      if (matchIdx < 0 && fa.type === cfg.type && sameFibInfo(fa.info, info)) {
        matchIdx = i;
        break;
      }
    }
    if (op === 'replace' || op === 'change') {
      if (matchIdx >= 0) return matchIdx === pos ? null : kerr('EEXIST');
      const next = list.slice();
      next[pos] = newAlias;
      txn.setAliases(cfg.table, cfg.dst, cfg.plen, next);
      txn.emit({ kind: 'route-replace', route: routeAt(cfg, newAlias), old: routeAt(cfg, head), cause: opts.cause, notified: opts.notify });
      return null;
    }
    if (matchIdx >= 0) return kerr('EEXIST');
    if (op === 'append') {
      // hlist_for_each_entry_from stopped at the first alias past the group.
      let i = pos;
      while (i < list.length) {
        const fa = list[i] as FibAlias;
        if (fa.tos !== cfg.tos || fa.info.priority !== info.priority) break;
        i++;
      }
      pos = Math.max(i, end);
    }
  }
  if (op === 'change') return kerr('ENOENT');
  let next: readonly FibAlias[];
  if (list.length === 0) next = shared.leaf;
  else {
    const copy = list.slice();
    copy.splice(pos, 0, newAlias);
    next = copy;
  }
  txn.setAliases(cfg.table, cfg.dst, cfg.plen, next);
  txn.emit({ kind: 'route-add', route: routeAt(cfg, newAlias), cause: opts.cause, notified: opts.notify });
  return null;
}

/** fib_nh_match() for a delete request: only the given nexthop fields are compared. */
function nhMatches(cfg: RouteDelConfig, fa: FibAlias): boolean {
  // (the priority test is fib_table_delete's; the rest is fib_nh_match)
  const info = fa.info;
  if (cfg.priority !== 0 && cfg.priority !== info.priority) return false;
  if (cfg.nhid !== 0) return info.nhid === cfg.nhid;
  // A route-level RTA_OIF or RTA_GATEWAY beside RTA_MULTIPATH: fib_nh_match() compares them
  // with the first nexthop and returns, the legs unread.
  const top = cfg.multipath ? cfg.mpTop : undefined;
  if (top !== undefined) {
    const nh = info.nhs[0];
    if (nh === undefined) return false;
    if (top.oif !== 0 && top.oif !== nh.dev) return false;
    if (top.gw !== null && top.gw !== nh.gw) return false;
    if (top.gw6 !== undefined && top.gw6 !== nh.gw6) return false;
    return true;
  }
  if (cfg.multipath) {
    if (info.nhs.length !== cfg.nhs.length) return false;
    return cfg.nhs.every((spec, i) => {
      const nh = info.nhs[i];
      if (nh === undefined) return false;
      if (spec.dev !== 0 && spec.dev !== nh.dev) return false;
      if (spec.gw !== null && spec.gw !== nh.gw) return false;
      // An RTA_VIA is compared against a leg with a gateway only (the switch on
      // fib_nh_gw_family has no case for a leg without one).
      if (spec.gw6 !== undefined && (nh.gw !== null || nh.gw6 !== undefined) && spec.gw6 !== nh.gw6) return false;
      // RTA_FLOW inside the rtnexthop: compared when given.
      if (spec.flow !== undefined && spec.flow !== (nh.tclassid ?? 0)) return false;
      return true;
    });
  }
  const spec = cfg.nhs[0];
  if (spec !== undefined && (spec.dev !== 0 || spec.gw !== null || spec.gw6 !== undefined)) {
    const nh = info.nhs[0];
    if (nh === undefined) return false;
    // fc_flow is compared only when a device or gateway is given too.
    if ((spec.flow ?? 0) !== 0 && spec.flow !== (nh.tclassid ?? 0)) return false;
    if (spec.dev !== 0 && spec.dev !== nh.dev) return false;
    if (spec.gw !== null && spec.gw !== nh.gw) return false;
    // fc_gw_family must equal fib_nh_gw_family, then the IPv6 gateways compare.
    if (spec.gw6 !== undefined && spec.gw6 !== nh.gw6) return false;
  }
  return true;
}

/**
 * fib_table_delete(): among the aliases of the prefix with exactly this tos, delete the
 * first whose given attributes all match; ESRCH when none does.
 */
export function fibTableDelete(txn: Txn, cfg: RouteDelConfig, opts: InsertOptions): KernelError | null {
  const bad = validKey(cfg.dst, cfg.plen);
  if (bad !== null) return bad;
  const list = txn.aliases(cfg.table, cfg.dst, cfg.plen);
  const start = findAlias(list, cfg.tos, 0);
  for (let i = start; i < list.length; i++) {
    const fa = list[i] as FibAlias;
    if (fa.tos !== cfg.tos) break;
    if (cfg.type !== null && fa.type !== cfg.type) continue;
    if (cfg.scope !== RT_SCOPE_NOWHERE && fa.info.scope !== cfg.scope) continue;
    if (cfg.prefsrc !== 0 && fa.info.prefsrc !== cfg.prefsrc) continue;
    if (cfg.protocol !== 0 && fa.info.protocol !== cfg.protocol) continue;
    if (!nhMatches(cfg, fa)) continue;
    if (!fibMetricsMatch(cfg.mx ?? null, fa.info.metrics)) continue;
    // The last alias of a prefix: the shared empty list (a delete of a route is mostly that).
    const next = list.length === 1 ? NO_ALIASES : list.slice();
    if (next !== NO_ALIASES) (next as FibAlias[]).splice(i, 1);
    txn.setAliases(cfg.table, cfg.dst, cfg.plen, next);
    txn.emit({
      kind: 'route-del',
      route: { table: cfg.table, dst: cfg.dst, plen: cfg.plen, alias: fa },
      cause: opts.cause,
      notified: opts.notify,
    });
    return null;
  }
  return kerr('ESRCH');
}
