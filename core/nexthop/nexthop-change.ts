// Nexthop objects changing: rtm_new_nexthop() / rtm_del_nexthop() and
// nexthop_flush_dev() (nexthop.c). Removing a nexthop removes the routes that use it
// (__remove_nexthop_fib), silently; a group loses the member and goes when empty.

import type { Txn } from '../snapshot/txn.js';
import type { NexthopAddEvent } from '../events/nexthop.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import { fibCheckNh } from '../semantics/fib-create-info.js';
import { tableLeaves } from '../snapshot/fib-table.js';
import type { EffectCause } from '../snapshot/effects.js';

/** rtm_new_nexthop(): validate and create (or replace) a nexthop object. */
export function nexthopAdd(txn: Txn, e: NexthopAddEvent): KernelError | null {
  // rtm_to_nh_config(): attribute checks come before anything else.
  if (e.kind === 'single' && e.onlink && e.gw === null) return kerr('EINVAL', 'ONLINK flag can not be set for nexthop without a gateway');
  let obj: NexthopObject;
  if (e.kind === 'blackhole') {
    const lo = txn.dev(1);
    if (lo === undefined || !lo.up) return kerr('ENETDOWN', 'Device for nexthop is not up');
    obj = { kind: 'blackhole', id: e.id, protocol: e.protocol };
  } else if (e.kind === 'group') {
    for (const m of e.members) {
      const o = txn.nexthops.get(m.id);
      if (o === undefined) return kerr('EINVAL', 'Invalid nexthop id');
      if (o.kind === 'group') return kerr('EINVAL', 'Nested nexthop groups not supported');
    }
    obj = { kind: 'group', id: e.id, members: e.members, protocol: e.protocol };
  } else {
    const dev = txn.dev(e.dev);
    if (dev === undefined) return kerr('EINVAL', 'Device attribute required for non-blackhole and non-fdb nexthops');
    if (!dev.up) return kerr('ENETDOWN', 'Nexthop device is not up');
    if (!dev.carrier) return kerr('ENETDOWN', 'Carrier for nexthop device is down');
    const r = fibCheckNh(txn.view(), { dev: e.dev, gw: e.gw, weight: 1, onlink: e.onlink }, RT_TABLE_MAIN, RT_SCOPE_UNIVERSE);
    if (!r.ok) return r.err;
    obj = {
      kind: 'single',
      id: e.id,
      dev: r.nh.dev,
      gw: e.gw,
      onlink: e.onlink,
      scope: e.gw === null ? RT_SCOPE_HOST : r.nh.scope === RT_SCOPE_HOST ? RT_SCOPE_HOST : RT_SCOPE_LINK,
      protocol: e.protocol,
    };
  }
  // insert_nexthop(): an id already taken is EEXIST only after the new object was built
  // and validated (rtm_to_nh_config, nexthop_create).
  if (txn.nexthops.has(e.id) && !e.replace) return kerr('EEXIST');
  const replaced = txn.nexthops.has(e.id);
  txn.setNexthop(obj);
  txn.emit({ kind: 'nexthop-add', nexthop: obj, cause: 'rtm_new_nexthop', notified: true });
  if (replaced) nexthopReplaceNotify(txn, e.id);
  return null;
}

/**
 * nexthop_replace_notify(): after `ip nexthop replace`, every IPv4 route using the nexthop
 * is announced again (RTM_NEWROUTE with NLM_F_REPLACE, rtmsg_fib() from
 * __fib_info_notify_update()): first the routes using it directly, then, for each group
 * holding it (newest membership first: list_add() onto grp_list), the group's routes. Each
 * time every table is walked in fib_table_hash order (bucket id & 255; the newest table
 * first within a bucket) and each table in key order (test/fixtures/traces/13).
 */
function nexthopReplaceNotify(txn: Txn, id: number): void {
  const ids = [id];
  const groups = [...txn.nexthops.values()].filter((g) => g.kind === 'group' && g.members.some((m) => m.id === id)).map((g) => g.id);
  ids.push(...groups.reverse());
  const order = [...txn.tables.values()].map((t, i) => ({ t, i })).sort((x, y) => (x.t.id & 255) - (y.t.id & 255) || y.i - x.i);
  for (const nh of ids) {
    for (const { t } of order) {
      for (const leaf of tableLeaves(t)) {
        for (const fa of leaf.aliases) {
          if (fa.info.nhid !== nh) continue;
          const route = { table: t.id, dst: leaf.dst, plen: leaf.plen, alias: fa };
          txn.emit({ kind: 'route-replace', route, old: route, cause: 'rtm_new_nexthop', notified: true });
        }
      }
    }
  }
}

/** Remove the routes using nexthop id, from every table, silently. */
function removeNexthopRoutes(txn: Txn, id: number, cause: EffectCause): void {
  for (const t of [...txn.tables.values()]) {
    for (const leaf of [...tableLeaves(t)]) {
      if (!leaf.aliases.some((fa) => fa.info.nhid === id)) continue;
      for (const fa of leaf.aliases) {
        if (fa.info.nhid === id) {
          txn.emit({ kind: 'route-del', route: { table: t.id, dst: leaf.dst, plen: leaf.plen, alias: fa }, cause, notified: false });
        }
      }
      txn.setAliases(t.id, leaf.dst, leaf.plen, leaf.aliases.filter((fa) => fa.info.nhid !== id));
    }
  }
}

/** remove_nexthop(): the object, its routes, and its membership in groups. */
export function removeNexthop(txn: Txn, id: number, cause: EffectCause, notified: boolean): void {
  const obj = txn.nexthops.get(id);
  if (obj === undefined) return;
  txn.deleteNexthop(id);
  txn.emit({ kind: 'nexthop-del', nexthop: obj, cause, notified });
  removeNexthopRoutes(txn, id, cause);
  for (const g of [...txn.nexthops.values()]) {
    if (g.kind !== 'group' || !g.members.some((m) => m.id === id)) continue;
    const members = g.members.filter((m) => m.id !== id);
    // remove_nh_grp_entry(): a group left empty goes through remove_nexthop() with the
    // same nlinfo, so it is announced exactly when its member's removal was (a user's
    // `ip nexthop del`), and silent under nexthop_flush_dev() (shared/traces/10).
    if (members.length === 0) removeNexthop(txn, g.id, cause, notified);
    else txn.setNexthop({ ...g, members });
  }
}

/** rtm_del_nexthop(). */
export function nexthopDel(txn: Txn, id: number): KernelError | null {
  if (!txn.nexthops.has(id)) return kerr('ENOENT');
  removeNexthop(txn, id, 'rtm_del_nexthop', true);
  return null;
}

/** nexthop_flush_dev(): a device went down or lost carrier; its nexthop objects go. */
export function nexthopFlushDev(txn: Txn, ifindex: number): void {
  for (const o of [...txn.nexthops.values()]) {
    const uses = o.kind === 'single' ? o.dev === ifindex : o.kind === 'blackhole' ? ifindex === 1 : false;
    if (uses && txn.nexthops.has(o.id)) removeNexthop(txn, o.id, 'nexthop_flush_dev', false);
  }
}
