// Nexthop objects changing (net/ipv4/nexthop.c): rtm_new_nexthop() = rtm_to_nh_config() +
// nexthop_add() + insert_nexthop() (replace_nexthop() for an existing id), rtm_del_nexthop(),
// remove_nexthop() with remove_nh_grp_entry(), and nexthop_flush_dev(). Every check is
// made in the kernel's order, with its extack message.

import type { Txn } from '../snapshot/txn.js';
import type { NexthopAddEvent } from '../events/nexthop.js';
import { type NexthopObject } from '../snapshot/nexthop-object.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import { fibCheckNh } from '../semantics/fib-create-info.js';
import { tableLeaves, type FibTable } from '../snapshot/fib-table.js';
import type { FibAlias } from '../snapshot/fib-info.js';
import type { Ip4 } from '../net/ip4.js';
import type { EffectCause } from '../snapshot/effects.js';
import { resTableRebalance } from './resilient.js';
import type { ResMember, ResTable } from '../snapshot/nexthop-object.js';
import { fibCheckNexthop } from '../semantics/fib-check-nexthop.js';
import { fib6NhInit, fib6NhInitNoGw } from '../semantics/fib6-nh-init.js';

const AF_UNSPEC = 0;
const AF_INET = 2;
const AF_INET6 = 10;
/** NH_RES_DEFAULT_IDLE_TIMER (120 s) in clock_t. */
const NH_RES_DEFAULT_IDLE_TIMER = 12000;

/** The attributes of the request as rtm_to_nh_config() sees them (derived from the event when a log does not carry them). */
function requestAttrs(e: NexthopAddEvent): Required<NonNullable<NexthopAddEvent['attrs']>> {
  if (e.attrs !== undefined) return { onlinkFlag: false, fdb: false, ...e.attrs };
  return {
    family: e.kind === 'group' ? AF_UNSPEC : e.kind === 'single' && e.gw6 !== undefined ? AF_INET6 : AF_INET,
    oif: e.kind === 'single' && e.dev !== 0,
    gateway: e.kind === 'single' && (e.gw !== null || e.gw6 !== undefined),
    blackhole: e.kind === 'blackhole',
    fdb: e.kind !== 'blackhole' && e.fdb === true,
    onlinkFlag: e.kind === 'single' && e.onlink,
  };
}

/** nexthop_num_path(). */
function numPath(o: NexthopObject): number {
  return o.kind === 'group' ? o.members.length : 1;
}

/** nh_check_attr_group() with valid_group_nh() and nh_check_attr_fdb_group(). */
function nhCheckAttrGroup(txn: Txn, members: readonly ResMember[], fdb: boolean): KernelError | null {
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      if ((members[i] as ResMember).id === (members[j] as ResMember).id) return kerr('EINVAL', 'Nexthop id can not be used twice in a group');
    }
  }
  for (const m of members) {
    const o = txn.nexthops.get(m.id);
    if (o === undefined) return kerr('EINVAL', 'Invalid nexthop id');
    let isFdb: boolean;
    if (o.kind === 'group') {
      if (o.res === null) return kerr('EINVAL', 'Hash-threshold group can not be a nexthop within a group');
      return kerr('EINVAL', 'Resilient group can not be a nexthop within a group');
    } else if (o.kind === 'blackhole') {
      if (members.length > 1) return kerr('EINVAL', 'Blackhole nexthop can not be used in a group with more than 1 path');
      isFdb = false;
    } else isFdb = o.fdb;
    // nh_check_attr_fdb_group(): every member is an IPv4 nexthop here, so families never mix.
    if (fdb && !isFdb) return kerr('EINVAL', 'FDB nexthop group can only have fdb nexthops');
    if (!fdb && isFdb) return kerr('EINVAL', 'Non FDB nexthop group cannot have fdb nexthops');
  }
  return null;
}

/** nh_find_unused_id(): the next id after the last one allocated that is free. */
function nhFindUnusedId(txn: Txn): number {
  const start = txn.nexthopLastId;
  let id = start;
  for (;;) {
    id = (id + 1) >>> 0;
    if (id === start) return 0;
    if (id !== 0 && !txn.nexthops.has(id)) {
      txn.nexthopLastId = id;
      return id;
    }
  }
}

/** rtm_new_nexthop(): rtm_to_nh_config(), then nexthop_add() and insert_nexthop(). */
export function rtmNewNexthop(txn: Txn, e: NexthopAddEvent): KernelError | null {
  // rtm_to_nh_config()
  const a = requestAttrs(e);
  const fdb = a.fdb || (e.kind !== 'blackhole' && e.fdb === true);
  const isGroup = e.kind === 'group';
  if (!(a.family === AF_INET || a.family === AF_INET6 || (a.family === AF_UNSPEC && isGroup))) return kerr('EINVAL', 'Invalid address family');
  if (fdb) {
    if (a.oif || a.blackhole) return kerr('EINVAL', 'Fdb attribute can not be used with encap, oif or blackhole');
    if (a.onlinkFlag) return kerr('EINVAL', 'Unsupported nexthop flags in ancillary header');
  }
  if (e.kind === 'group') {
    if (a.family !== AF_UNSPEC) return kerr('EINVAL', 'Invalid family for group');
    const err = nhCheckAttrGroup(txn, e.members, fdb);
    if (err !== null) return err;
    if (e.res !== undefined && e.res.buckets === 0) return kerr('EINVAL', 'Number of buckets needs to be non-0');
  } else if (a.blackhole) {
    if (a.gateway || a.oif || fdb) return kerr('EINVAL', 'Blackhole attribute can not be used with gateway, oif, encap or fdb');
  } else {
    if (!fdb && !a.oif) return kerr('EINVAL', 'Device attribute required for non-blackhole and non-fdb nexthops');
    // Linux 6.18 checks the gateway attributes before the device's state
    // (props/regressions/nexthop-add-onlink-without-gateway).
    if (!a.gateway && a.onlinkFlag) return kerr('EINVAL', 'ONLINK flag can not be set for nexthop without a gateway');
    if (!fdb && e.kind === 'single') {
      const dev = txn.dev(e.dev);
      if (dev === undefined) return kerr('EINVAL', 'Invalid device index');
      if (!dev.up) return kerr('ENETDOWN', 'Nexthop device is not up');
      if (!dev.carrier) return kerr('ENETDOWN', 'Carrier for nexthop device is down');
    }
  }
  // nexthop_add()
  if (e.replace && e.id === 0) return kerr('EINVAL', 'Replace requires nexthop id');
  let id = e.id;
  if (id === 0) {
    id = nhFindUnusedId(txn);
    if (id === 0) return kerr('EINVAL', 'No unused id');
  }
  const built = nexthopCreate(txn, e, id, fdb);
  if ('errno' in built) return built;
  // insert_nexthop()
  const old = txn.nexthops.get(id);
  if (old !== undefined) {
    if (!e.replace) return kerr('EEXIST');
    const err = replaceNexthop(txn, old, built, e);
    if (err !== null) return err;
    return null;
  }
  let obj = built;
  if (obj.kind === 'group' && e.kind === 'group' && e.res !== undefined) {
    if (e.res.buckets === undefined) return kerr('EINVAL', 'Number of buckets not specified for nexthop group insertion');
    const res = obj.res as ResTable;
    obj = { ...obj, res: { ...res, buckets: resTableRebalance(null, res.numBuckets, obj.members) } };
  }
  txn.setNexthop(obj);
  txn.emit({ kind: 'nexthop-add', nexthop: obj, cause: 'rtm_new_nexthop', notified: true });
  return null;
}

/** nexthop_create() / nexthop_create_group(): the new object, its nexthop checked (nh_create_ipv4). */
function nexthopCreate(txn: Txn, e: NexthopAddEvent, id: number, fdb: boolean): NexthopObject | KernelError {
  if (e.kind === 'group') {
    const res: ResTable | null =
      e.res === undefined
        ? null
        : {
            numBuckets: e.res.buckets ?? 0,
            idleTimer: e.res.idleTimer ?? NH_RES_DEFAULT_IDLE_TIMER,
            unbalancedTimer: e.res.unbalancedTimer ?? 0,
            buckets: [],
          };
    return { kind: 'group', id, members: e.members, protocol: e.protocol, fdb, res };
  }
  if (e.kind === 'blackhole') {
    // nexthop_create(): a blackhole's device is the loopback, checked like a device nexthop.
    const lo = txn.dev(1);
    if (lo === undefined || !lo.up) return kerr('ENETDOWN', 'Device for nexthop is not up');
    // nh_create_ipv6() for an AF_INET6 request: the same blackhole to IPv4 routes, of family AF_INET6 in a dump.
    return { kind: 'blackhole', id, protocol: e.protocol, ...(requestAttrs(e).family === AF_INET6 ? { v6: true } : {}) };
  }
  const v6 = requestAttrs(e).family === AF_INET6;
  const gw6 = v6 ? { v6: true, ...(e.gw6 === undefined || e.gw6 === '::' ? {} : { gw6: e.gw6 }) } : {};
  if (fdb) {
    // nh_create_ipv4() / fib6_nh_init(): an fdb nexthop is not checked against the FIB (no device).
    return { kind: 'single', id, dev: 0, gw: v6 ? null : e.gw, ...gw6, onlink: e.onlink, scope: RT_SCOPE_LINK, protocol: e.protocol, fdb: true };
  }
  if (v6) {
    // nh_create_ipv6(): fib6_nh_init(), with RTF_GATEWAY for a gateway other than ::.
    // The nexthop is a fib6_nh: scope link, gateway or not (nh_fill_node()).
    const gw = e.gw6 === undefined || e.gw6 === '::' ? undefined : e.gw6;
    const r = gw === undefined ? fib6NhInitNoGw(txn.view(), e.dev) : fib6NhInit(txn.view(), { dev: e.dev, gw6: gw, onlink: e.onlink, ...(e.gw6Routed === true ? { routed: true } : {}) });
    if (!r.ok) return r.err;
    return { kind: 'single', id, dev: r.dev.ifindex, gw: null, ...gw6, onlink: e.onlink, scope: RT_SCOPE_LINK, protocol: e.protocol, fdb: false };
  }
  const r = fibCheckNh(txn.view(), { dev: e.dev, gw: e.gw, weight: 1, onlink: e.onlink }, RT_TABLE_MAIN, RT_SCOPE_UNIVERSE);
  if (!r.ok) return r.err;
  return {
    kind: 'single',
    id,
    dev: r.nh.dev,
    gw: e.gw,
    onlink: e.onlink,
    scope: e.gw === null ? RT_SCOPE_HOST : r.nh.scope === RT_SCOPE_HOST ? RT_SCOPE_HOST : RT_SCOPE_LINK,
    protocol: e.protocol,
    fdb: false,
  };
}

/** The scopes of the routes (fib_info) using nexthop id: fib_check_nh_list() checks each. */
/**
 * Calls fn for every route whose fib_info uses nexthop `id`, table by table in the order
 * given, each table in dump order. The kernel keeps the list (nh->fi_list, each fib_info
 * using the nexthop); the model walks the tables for it.
 */
function forEachRouteUsing(tables: Iterable<FibTable>, id: number, fn: (t: FibTable, dst: Ip4, plen: number, fa: FibAlias) => void): void {
  for (const t of tables) {
    for (const leaf of tableLeaves(t)) for (const fa of leaf.aliases) if (fa.info.nhid === id) fn(t, leaf.dst, leaf.plen, fa);
  }
}

function routeScopesUsing(txn: Txn, id: number): number[] {
  const scopes = new Set<number>();
  forEachRouteUsing(txn.tables.values(), id, (_t, _dst, _plen, fa) => scopes.add(fa.info.scope));
  return [...scopes];
}

function fibCheckNhList(txn: Txn, oldId: number, neu: NexthopObject): KernelError | null {
  for (const scope of routeScopesUsing(txn, oldId)) {
    const err = fibCheckNexthop(txn.nexthops, neu, scope);
    if (err !== null) return err;
  }
  return null;
}

/** replace_nexthop() with replace_nexthop_grp() / replace_nexthop_single(). */
function replaceNexthop(txn: Txn, old: NexthopObject, neu: NexthopObject, e: NexthopAddEvent): KernelError | null {
  let err = fibCheckNhList(txn, old.id, neu);
  if (err !== null) return err;
  const groups = [...txn.nexthops.values()].filter((g): g is Extract<NexthopObject, { kind: 'group' }> => g.kind === 'group' && g.members.some((m) => m.id === old.id));
  for (const g of groups) {
    if (neu.kind === 'blackhole' && numPath(g) > 1) return kerr('EINVAL', 'Blackhole nexthop can not be a member of a group with more than one path');
    err = fibCheckNhList(txn, g.id, neu);
    if (err !== null) return err;
  }
  let obj: NexthopObject;
  if (old.kind === 'group') {
    if (neu.kind !== 'group') return kerr('EINVAL', 'Can not replace a nexthop group with a nexthop.');
    if ((neu.res === null) !== (old.res === null)) return kerr('EINVAL', 'Can not replace a nexthop group with one of a different type.');
    let res: ResTable | null = null;
    if (old.res !== null && e.kind === 'group') {
      const given = e.res ?? {};
      if (given.buckets !== undefined && given.buckets !== old.res.numBuckets) {
        return kerr('EINVAL', 'Can not change number of buckets of a resilient nexthop group.');
      }
      res = {
        numBuckets: old.res.numBuckets,
        idleTimer: given.idleTimer ?? old.res.idleTimer,
        unbalancedTimer: given.unbalancedTimer ?? old.res.unbalancedTimer,
        buckets: resTableRebalance(old.res.buckets, old.res.numBuckets, neu.members),
      };
    }
    obj = { ...neu, res };
  } else {
    if (neu.kind === 'group') return kerr('EINVAL', 'Can not replace a nexthop with a nexthop group.');
    obj = neu;
  }
  txn.setNexthop(obj);
  txn.emit({ kind: 'nexthop-add', nexthop: obj, cause: 'rtm_new_nexthop', notified: true });
  nexthopReplaceNotify(txn, obj.id);
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
  // insert_nexthop(): `if (replace_notify && READ_ONCE(net->ipv4.sysctl_nexthop_compat_mode))`:
  // with the mode off no route is announced again (the routes' dumps carry only RTA_NH_ID).
  if (txn.ipv4Sysctl.nexthop_compat_mode === 0) return;
  const ids = [id];
  const groups = [...txn.nexthops.values()].filter((g) => g.kind === 'group' && g.members.some((m) => m.id === id)).map((g) => g.id);
  ids.push(...groups.reverse());
  const order = [...txn.tables.values()].map((t, i) => ({ t, i })).sort((x, y) => (x.t.id & 255) - (y.t.id & 255) || y.i - x.i).map((x) => x.t);
  for (const nh of ids) {
    forEachRouteUsing(order, nh, (t, dst, plen, fa) => {
      const route = { table: t.id, dst, plen, alias: fa };
      txn.emit({ kind: 'route-replace', route, old: route, cause: 'rtm_new_nexthop', notified: true });
    });
  }
}

/** __remove_nexthop_fib(): the routes using nexthop id go, from every table, silently. */
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

/** remove_nexthop(): the object, its routes, and its membership in groups (remove_nh_grp_entry). */
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
    else {
      // replace_nexthop_grp_res(): the member's buckets are emptied and refilled.
      const res = g.res === null ? null : { ...g.res, buckets: resTableRebalance(g.res.buckets, g.res.numBuckets, members) };
      const smaller = { ...g, members, res };
      txn.setNexthop(smaller);
      // remove_nh_grp_entry(): `if (nlinfo) nexthop_notify(RTM_NEWNEXTHOP, nhp, nlinfo)`: the
      // smaller group is announced after a user's delete ("id 20 group 11"), silent under
      // nexthop_flush_dev(); the routes using it are not announced (no fib_info notify).
      txn.emit({ kind: 'nexthop-add', nexthop: smaller, cause, notified });
    }
  }
}

/** rtm_del_nexthop() (nh_valid_get_del_req first). */
export function rtmDelNexthop(txn: Txn, id: number): KernelError | null {
  if (id === 0) return kerr('EINVAL', 'Invalid nexthop id');
  if (!txn.nexthops.has(id)) return kerr('ENOENT');
  removeNexthop(txn, id, 'rtm_del_nexthop', true);
  return null;
}

/**
 * nexthop_flush_dev(): the nexthop objects on a device that went down, lost carrier or is
 * unregistered go. A blackhole sits on the loopback and survives everything but its
 * unregistering (`reject_nh` and NETDEV_DOWN/NETDEV_CHANGE); an fdb nexthop has no device.
 */
export function nexthopFlushDev(txn: Txn, ifindex: number, unregister: boolean): void {
  for (const o of [...txn.nexthops.values()]) {
    const uses = o.kind === 'single' ? !o.fdb && o.dev === ifindex : o.kind === 'blackhole' ? ifindex === 1 && unregister : false;
    if (uses && txn.nexthops.has(o.id)) removeNexthop(txn, o.id, 'nexthop_flush_dev', false);
  }
}
