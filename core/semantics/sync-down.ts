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
import type { InfoHash } from '../snapshot/fib-info-hash.js';
import { fibInfo, fibRebalance, type FibAlias, type FibInfo, type FibNh } from '../snapshot/fib-info.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import { tableOf, tableWithVersions, type FibTable } from '../snapshot/fib-table.js';
import { pmapForEach, pmapFromSorted } from '../snapshot/persistent-map.js';
import { RT_SCOPE_NOWHERE } from '../uapi/rtnetlink.js';
import type { Ip4 } from '../net/ip4.js';
import type { EffectCause, InfoChange } from '../snapshot/effects.js';

export type SyncEvent = 'NETDEV_DOWN' | 'NETDEV_UNREGISTER' | 'NETDEV_CHANGE';

/** What a sync does to one fib_info: its next version (the same object: unchanged), and whether its routes count. */
interface Synced {
  readonly info: FibInfo;
  readonly counts: boolean;
}

/** Who a change made with an in-place edit belongs to (info-changes.ts checks it is still fresh). */
function editOf(txn: Txn): InfoChange['edit'] {
  const e = txn.edit;
  return e === null ? null : { steps: e.steps, owner: e };
}

/**
 * Gives new versions to the fib_infos `candidates(table)` lists, in every table, as fn says
 * (fib_info_devhash: the kernel walks the infos on the device, not the routes), and records
 * one silent change per info whose flags changed.
 * @returns how many of the infos counted (routes may use them: fib_flush is then due).
 *
 * A table's candidates are a superset of the infos its routes use (fib-info-versions.ts):
 * a version for an info no route uses is never read.
 */
function syncInfos(txn: Txn, cause: EffectCause, candidates: (t: FibTable) => readonly FibInfo[], fn: (info: FibInfo) => Synced): number {
  const memo = new Map<FibInfo, Synced>();
  let counted = 0;
  for (const t of [...txn.tables.values()]) {
    const cands = candidates(t);
    if (cands.length === 0) continue;
    const versions = t.versions;
    let changes: Map<FibInfo, FibInfo> | null = null;
    let olds: FibInfo[] | null = null;
    for (let i = 0; i < cands.length; i++) {
      const stored = cands[i] as FibInfo;
      const cur = versions.current(stored);
      let r = memo.get(cur);
      if (r === undefined) {
        r = fn(cur);
        memo.set(cur, r);
      }
      if (r.counts) counted++;
      if (r.info === cur) continue;
      changes ??= new Map();
      olds ??= [];
      changes.set(stored, r.info);
      olds.push(cur);
    }
    if (changes === null || olds === null) continue;
    const after = tableWithVersions(t, versions.with(changes));
    txn.setTable(after);
    const edit = editOf(txn);
    let k = 0;
    for (const [stored, info] of changes) {
      txn.emit({ kind: 'info-flags', table: t.id, before: t, after, stored, old: olds[k++] as FibInfo, info, cause, notified: false, edit });
    }
  }
  return counted;
}

/** A new version of an info with other nexthops and flags (interned: back to the same object when the flags come back). */
function version(infos: InfoHash, info: FibInfo, nhs: readonly FibNh[], dead: boolean, linkdown: boolean, pfsrcRemoved = info.pfsrcRemoved): FibInfo {
  return infos.find(fibInfo({ ...info, nhs, dead, linkdown, pfsrcRemoved }));
}

const same = (info: FibInfo, counts = false): Synced => ({ info, counts });

/**
 * fib_sync_down_dev(): mark nexthops on dev (see the table above).
 * @returns the number of fib_infos that became dead or wholly linkdown (fib_flush is due when > 0).
 */
export function fibSyncDownDev(txn: Txn, dev: number, event: SyncEvent, force: boolean): number {
  const scope = force ? -1 : RT_SCOPE_NOWHERE;
  return syncInfos(
    txn,
    'fib_sync_down_dev',
    (t) => t.index.onDev(dev),
    (info) => {
      if (info.nhs.length === 0 || !info.nhs.some((nh) => nh.dev === dev)) return same(info);
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
      // fib_rebalance(fi) for every fib_info with a nexthop on dev.
      const balanced = fibRebalance(changed ? nhs : info.nhs, (d) => ignoreLinkdown(txn.current, d));
      if (balanced !== info.nhs) changed = true;
      if (!changed && routeDead === info.dead && routeLinkdown === (info.linkdown === true)) return same(info, wholly);
      return { info: version(txn.lineage.infos, info, balanced, routeDead, routeLinkdown), counts: wholly };
    },
  );
}

/**
 * fib_sync_up(dev, flags): on an admin-up dev, clear `flags` (dead, and linkdown when
 * the device has carrier) from its nexthops.
 */
export function fibSyncUp(txn: Txn, dev: number, clearDead: boolean): void {
  const d = txn.dev(dev);
  if (d === undefined || !d.up) return;
  const clearLinkdown = !clearDead || d.carrier;
  syncInfos(
    txn,
    'fib_sync_up',
    (t) => t.index.onDev(dev),
    (info) => {
      if (!info.nhs.some((nh) => nh.dev === dev)) return same(info);
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
      // fib_rebalance(fi) for every fib_info with a nexthop on dev.
      const balanced = fibRebalance(changed ? nhs : info.nhs, (d) => ignoreLinkdown(txn.current, d));
      if (balanced !== info.nhs) changed = true;
      if (!changed && routeDead === info.dead && routeLinkdown === (info.linkdown === true)) return same(info);
      return same(version(txn.lineage.infos, info, balanced, routeDead, routeLinkdown));
    },
  );
}

/**
 * fib_sync_down_addr(): routes created for table main whose prefsrc is `local` die
 * (other tables keep the stale prefsrc).
 * @returns how many fib_infos.
 */
export function fibSyncDownAddr(txn: Txn, local: Ip4): number {
  if (local === 0) return 0;
  return syncInfos(
    txn,
    'fib_sync_down_addr',
    (t) => t.index.withPrefsrc(local),
    (info) => {
      if (info.dead && info.pfsrcRemoved) return same(info, true);
      return { info: version(txn.lineage.infos, info, info.nhs, true, info.linkdown === true, true), counts: true };
    },
  );
}

/**
 * fib_flush(): delete every dead route from every table. Silent, except a route killed
 * by fib_sync_down_addr, which 6.6+ announces with RTM_DELROUTE.
 *
 * A route is dead when its fib_info is: only tables with a dead info are walked (the
 * kernel's fib_table_flush() walks every table's trie), one change is recorded per dead
 * info, and a table that loses many routes is rebuilt in one pass from what it keeps.
 */
export function fibFlush(txn: Txn, cause: EffectCause): void {
  for (const t of [...txn.tables.values()]) {
    const v = t.versions;
    const dead = new Map<FibInfo, FibInfo>();
    for (const [stored, cur] of v.entries()) if (cur.dead) dead.set(stored, cur);
    if (dead.size === 0 && !t.index.storedDead) continue;
    flushTable(txn, t, dead, cause);
  }
}

/** Rebuild rather than delete one by one when more than this share of a table's prefixes go. */
const REBUILD_SHARE = 1 / 16;

function flushTable(txn: Txn, t: FibTable, dead: Map<FibInfo, FibInfo>, cause: EffectCause): void {
  const v = t.versions;
  const checkStored = t.index.storedDead;
  const isDead = (info: FibInfo): boolean => dead.has(info) || (checkStored && !v.has(info) && info.dead);
  const keys: number[] = [];
  const tags: number[] = [];
  const vals: (readonly FibAlias[])[] = [];
  const changed: { key: number; aliases: readonly FibAlias[] }[] = [];
  const hit = new Map<FibInfo, FibInfo>();
  let lastList: readonly FibAlias[] | null = null;
  let lastKeep: readonly FibAlias[] | null = null;
  const limit = t.leaves.size * REBUILD_SHARE;
  pmapForEach(t.leaves, (key, stored, tag) => {
    let keep: readonly FibAlias[];
    if (stored === lastList) keep = lastKeep!;
    else {
      let any = false;
      for (let i = 0; i < stored.length && !any; i++) any = isDead((stored[i] as FibAlias).info);
      if (!any) keep = stored;
      else {
        const xs: FibAlias[] = [];
        for (let i = 0; i < stored.length; i++) {
          const fa = stored[i] as FibAlias;
          if (isDead(fa.info)) hit.set(fa.info, v.current(fa.info));
          else xs.push(fa);
        }
        keep = xs;
      }
      lastList = stored;
      lastKeep = keep;
    }
    if (keep !== stored) {
      // Past the share that makes a rebuild cheaper, the changes need not be listed.
      if (changed.length <= limit) changed.push({ key, aliases: keep });
    }
    if (keep.length !== 0) {
      keys.push(key);
      tags.push(keep === stored ? tag : -1);
      vals.push(keep);
    }
  });
  if (changed.length === 0) {
    // Versions no route uses (the index is a superset): dead ones need no second walk.
    const live = v.restrictedTo((stored) => !dead.has(stored));
    if (live !== v) txn.setTable(tableWithVersions(t, live));
    return;
  }
  const edit = editOf(txn);
  const emit = (after: FibTable): void => {
    for (const [stored, info] of hit) txn.emit({ kind: 'info-flush', table: t.id, before: t, after, stored, old: info, info, cause, notified: info.pfsrcRemoved, edit });
  };
  // The versions of the dead infos go with their routes (a route added later with an equal
  // info must not read them).
  const versions = v.restrictedTo((stored) => !hit.has(stored));
  if (changed.length <= limit) {
    let nt = tableWithVersions(t, versions);
    txn.setTable(nt);
    // Written as they read (setAliases stores what it is given as current).
    for (const c of changed) {
      const low = c.key % 256;
      txn.setAliases(t.id, (c.key - low) / 256, 32 - low, v.list(c.aliases));
    }
    nt = txn.tables.get(t.id) as FibTable;
    emit(nt);
    return;
  }
  const lenCounts = new Array<number>(33).fill(0);
  for (let i = 0; i < keys.length; i++) {
    lenCounts[32 - ((keys[i] as number) % 256)]!++;
    if (tags[i] === -1) tags[i] = t.sigs.sig(vals[i] as readonly FibAlias[]);
  }
  const nt = tableOf(t.id, pmapFromSorted(keys, tags, vals), lenCounts, versions, t.index, t.sigs);
  txn.setTable(nt);
  emit(nt);
}
