// Link-driven nexthop state: fib_sync_down_dev(), fib_sync_up(), fib_sync_down_addr()
// and fib_flush() (fib_semantics.c, fib_frontend.c). None of these send a netlink
// message, except that since 6.6 fib_flush notifies routes killed by a vanished prefsrc.
//
// fib_sync_down_dev(dev, event, force): for each route with a nexthop on dev —
//
// | event             | nexthop on dev, scope != (force ? -1 : NOWHERE) | all nexthops hit        |
// |-------------------|--------------------------------------------------|-------------------------|
// | NETDEV_DOWN       | dead + linkdown                                  | route dead (flushed)    |
// | NETDEV_UNREGISTER | dead + linkdown; a multipath route dies whole    | route dead (flushed)    |
// | NETDEV_CHANGE     | linkdown                                         | route linkdown          |

import type { Txn } from '../snapshot/txn.js';
import { fibInfo, type FibAlias, type FibInfo, type FibNh } from '../snapshot/fib-info.js';
import { tableForEachLeaf } from '../snapshot/fib-table.js';
import { RT_SCOPE_NOWHERE, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import type { Ip4 } from '../net/ip4.js';
import type { EffectCause } from '../snapshot/effects.js';

export type SyncEvent = 'NETDEV_DOWN' | 'NETDEV_UNREGISTER' | 'NETDEV_CHANGE';

/** What a sync does to one route: its new alias (the same object: unchanged), and whether it counts. */
interface Synced {
  readonly alias: FibAlias;
  readonly counts: boolean;
}

/**
 * Applies fn to every route of every table; records changed ones as silent flag effects.
 * @returns how many routes counted.
 *
 * The kernel walks only the fib_infos on the device (fib_info_devhash); the model walks
 * every leaf, but asks fn once per distinct alias (routes share them: fib-info-hash.ts)
 * and allocates only for the leaves that change.
 */
function mapAllAliases(txn: Txn, cause: EffectCause, fn: (fa: FibAlias) => Synced): number {
  const memo = new Map<FibAlias, Synced>();
  let counted = 0;
  for (const t of [...txn.tables.values()]) {
    const changes: { dst: Ip4; plen: number; aliases: FibAlias[] }[] = [];
    tableForEachLeaf(t, (dst, plen, list) => {
      let next: FibAlias[] | null = null;
      for (let i = 0; i < list.length; i++) {
        const fa = list[i] as FibAlias;
        let r = memo.get(fa);
        if (r === undefined) {
          r = fn(fa);
          memo.set(fa, r);
        }
        if (r.counts) counted++;
        if (r.alias === fa) continue;
        next ??= list.slice();
        next[i] = r.alias;
        txn.emit({
          kind: 'route-flags',
          route: { table: t.id, dst, plen, alias: r.alias },
          old: { table: t.id, dst, plen, alias: fa },
          cause,
          notified: false,
        });
      }
      if (next !== null) changes.push({ dst, plen, aliases: next });
    });
    for (const c of changes) txn.setAliases(t.id, c.dst, c.plen, c.aliases);
  }
  return counted;
}

const same = (fa: FibAlias, counts = false): Synced => ({ alias: fa, counts });

/**
 * fib_sync_down_dev(): mark nexthops on dev (see the table above).
 * @returns the number of routes that became dead or wholly linkdown (fib_flush is due when > 0).
 */
export function fibSyncDownDev(txn: Txn, dev: number, event: SyncEvent, force: boolean): number {
  const scope = force ? -1 : RT_SCOPE_NOWHERE;
  return mapAllAliases(txn, 'fib_sync_down_dev', (fa) => {
    const info = fa.info;
    if (info.nhs.length === 0 || !info.nhs.some((nh) => nh.dev === dev)) return same(fa);
    let dead = 0;
    let changed = false;
    const nhs: FibNh[] = [];
    for (const nh of info.nhs) {
      if (nh.dead) {
        dead++;
        nhs.push(nh);
      } else if (nh.dev === dev && nh.scope !== scope) {
        const nnh: FibNh = event === 'NETDEV_CHANGE' ? { ...nh, linkdown: true } : { ...nh, dead: true, linkdown: true };
        if (nnh.dead !== nh.dead || nnh.linkdown !== nh.linkdown) changed = true;
        nhs.push(nnh);
        dead++;
      } else {
        nhs.push(nh);
      }
    }
    if (event === 'NETDEV_UNREGISTER' && info.nhs.some((nh) => nh.dev === dev)) dead = info.nhs.length;
    let routeDead = info.dead;
    let routeLinkdown = info.linkdown === true;
    const wholly = dead === info.nhs.length;
    if (wholly) {
      if (event !== 'NETDEV_CHANGE') routeDead = true;
      routeLinkdown = true;
    }
    if (!changed && routeDead === info.dead && routeLinkdown === (info.linkdown === true)) return same(fa, wholly);
    const ninfo: FibInfo = fibInfo({ ...info, nhs, dead: routeDead, linkdown: routeLinkdown });
    return { alias: { type: fa.type, tos: fa.tos, info: ninfo }, counts: wholly };
  });
}

/**
 * fib_sync_up(dev, flags): on an admin-up dev, clear `flags` (dead, and linkdown when
 * the device has carrier) from its nexthops.
 */
export function fibSyncUp(txn: Txn, dev: number, clearDead: boolean): void {
  const d = txn.dev(dev);
  if (d === undefined || !d.up) return;
  const clearLinkdown = !clearDead || d.carrier;
  mapAllAliases(txn, 'fib_sync_up', (fa) => {
    const info = fa.info;
    if (!info.nhs.some((nh) => nh.dev === dev)) return same(fa);
    let changed = false;
    let alive = 0;
    const nhs = info.nhs.map((nh) => {
      const flagged = (clearDead && nh.dead) || (clearLinkdown && nh.linkdown);
      if (!flagged) {
        alive++;
        return nh;
      }
      const nd = txn.dev(nh.dev);
      if (nd === undefined || !nd.up || nh.dev !== dev) return nh;
      alive++;
      changed = true;
      return { ...nh, dead: clearDead ? false : nh.dead, linkdown: clearLinkdown ? false : nh.linkdown };
    });
    // `if (alive > 0) fi->fib_flags &= ~nh_flags`
    const routeDead = alive > 0 && clearDead ? false : info.dead;
    const routeLinkdown = alive > 0 && clearLinkdown ? false : info.linkdown === true;
    if (!changed && routeDead === info.dead && routeLinkdown === (info.linkdown === true)) return same(fa);
    return same({ type: fa.type, tos: fa.tos, info: fibInfo({ ...info, nhs, dead: routeDead, linkdown: routeLinkdown }) });
  });
}

/**
 * fib_sync_down_addr(): routes created for table main whose prefsrc is `local` die
 * (other tables keep the stale prefsrc).
 * @returns how many.
 */
export function fibSyncDownAddr(txn: Txn, local: Ip4): number {
  if (local === 0) return 0;
  return mapAllAliases(txn, 'fib_sync_down_addr', (fa) => {
    const info = fa.info;
    if (info.tbId !== RT_TABLE_MAIN || info.prefsrc !== local) return same(fa);
    if (info.dead && info.pfsrcRemoved) return same(fa, true);
    return { alias: { type: fa.type, tos: fa.tos, info: fibInfo({ ...info, dead: true, pfsrcRemoved: true }) }, counts: true };
  });
}

/**
 * fib_flush(): delete every dead route from every table. Silent, except a route killed
 * by fib_sync_down_addr, which 6.6+ announces with RTM_DELROUTE.
 */
export function fibFlush(txn: Txn, cause: EffectCause): void {
  for (const t of [...txn.tables.values()]) {
    const changes: { dst: Ip4; plen: number; aliases: FibAlias[] }[] = [];
    tableForEachLeaf(t, (dst, plen, aliases) => {
      if (!aliases.some((fa) => fa.info.dead)) return;
      const keep: FibAlias[] = [];
      for (const fa of aliases) {
        if (fa.info.dead) {
          txn.emit({
            kind: 'route-del',
            route: { table: t.id, dst, plen, alias: fa },
            cause,
            notified: fa.info.pfsrcRemoved,
          });
        } else keep.push(fa);
      }
      changes.push({ dst, plen, aliases: keep });
    });
    for (const c of changes) txn.setAliases(t.id, c.dst, c.plen, c.aliases);
  }
}
