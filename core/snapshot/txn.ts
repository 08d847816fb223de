// A working copy used while one event is reduced: copy-on-write over an immutable
// snapshot, collecting effects. Only the reducer uses it; what leaves the reducer is
// always an immutable FibSnapshot that shares every untouched object with its parent.

import type { SaddrMark } from './saddr-mark.js';
import { Snapshot, type FibSnapshot, type Ipv4NetSysctl } from './snapshot.js';
import { isInfoChange, type Change } from './effects.js';
import type { NetDevice } from './net-device.js';
import type { DevConf } from './devconf.js';
import { emptyTable, tableAliases, tableSetAliases, type FibTable } from './fib-table.js';
import type { PMapEdit } from './persistent-map.js';
import type { RulesList } from './rules-list.js';
import type { NexthopObject } from './nexthop-object.js';
import type { FibAlias, FibInfo } from './fib-info.js';
import type { Ip4 } from '../net/ip4.js';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import { TableList } from './table-list.js';
import type { FibLineage } from './fib-lineage.js';

const NO_EFFECTS: readonly Change[] = Object.freeze([]);

export class Txn {
  private devicesCopy: Map<number, NetDevice> | null = null;
  private tablesCopy: TableList | null = null;
  private nexthopsCopy: Map<number, NexthopObject> | null = null;
  // Read from the base by reset(), which the constructor calls.
  rules!: RulesList;
  confAll!: DevConf;
  confDefault!: DevConf;
  customRules!: boolean;
  customLocalRoutes!: boolean;
  nextIfindex!: number;
  nexthopLastId!: number;
  addrGenid!: number;
  ipv4Sysctl!: Ipv4NetSysctl;
  saddrMarks!: ReadonlyMap<string, SaddrMark>;
  localnetChangedAt!: ReadonlyMap<number, number>;
  tclassidFreeing!: boolean;
  /**
   * What the event did so far (emit() adds): the first change alone, then a list once there
   * is a second (most events make one change: a route event's one route effect, with no
   * one-element array each; the reducer's step takes them as they are, reduce.ts).
   */
  firstChange: Change | null = null;
  /** Every change, once there are two or someone read `effects`; else null. */
  effectList: Change[] | null = null;
  /**
   * Set once a per-fib_info change is recorded: it keeps the tables before and after it to
   * list its routes on demand, so the rest of the event must not update their nodes in place
   * (setAliases() then copies, as without an edit).
   */
  private keepTables = false;
  /** A table this working copy's edit made was changed in place (setAliases()): the event changed the state. */
  changedInPlace = false;

  /**
   * @param edit set when the caller keeps no earlier snapshot (a replay without history):
   *   tables are then updated in place where this edit owns their nodes (PMapEdit).
   */
  constructor(
    public base: FibSnapshot,
    public edit: PMapEdit | null = null,
  ) {
    this.reset(base, edit);
  }

  /**
   * Starts over on another snapshot, as a new Txn would (reduceFib() keeps one spare: a
   * replay reduces a million events).
   */
  reset(base: FibSnapshot, edit: PMapEdit | null): void {
    this.base = base;
    this.edit = edit;
    this.devicesCopy = null;
    this.tablesCopy = null;
    this.nexthopsCopy = null;
    this.firstChange = null;
    this.effectList = null;
    this.keepTables = false;
    this.changedInPlace = false;
    this.rules = base.rules;
    this.confAll = base.confAll;
    this.confDefault = base.confDefault;
    this.customRules = base.customRules;
    this.customLocalRoutes = base.customLocalRoutes;
    this.nextIfindex = base.nextIfindex;
    this.nexthopLastId = base.nexthopLastId;
    this.addrGenid = base.addrGenid;
    this.ipv4Sysctl = base.ipv4Sysctl;
    this.saddrMarks = base.saddrMarks;
    this.localnetChangedAt = base.localnetChangedAt;
    this.tclassidFreeing = base.tclassidFreeing;
  }

  /** Records an effect, or a per-fib_info change (effects.ts, InfoChange). */
  emit(e: Change): void {
    if (isInfoChange(e)) this.keepTables = true;
    if (!this.tclassidFreeing && releasesRealms(e)) this.tclassidFreeing = true;
    if (this.firstChange === null) this.firstChange = e;
    // `[a, b]` rather than push() into an empty array: V8 grows that to 17 slots.
    else if (this.effectList === null) this.effectList = [this.firstChange, e];
    else this.effectList.push(e);
  }

  /** The effects and changes so far, in order (a shared empty list when none). */
  get effects(): readonly Change[] {
    if (this.effectList !== null) return this.effectList;
    if (this.firstChange === null) return NO_EFFECTS;
    this.effectList = [this.firstChange];
    return this.effectList;
  }

  /** The generation of the base (a working copy reads as its base's generation). */
  get generation(): number {
    return this.base.generation;
  }

  /**
   * The working copy read as a snapshot, without making one (view() does): for a check
   * that reads the current state and keeps nothing (fib_create_info() on every route).
   */
  get current(): FibSnapshot {
    return this;
  }

  /** The base's lineage (fib-lineage.ts): every snapshot this working copy makes shares it. */
  get lineage(): FibLineage {
    return this.base.lineage;
  }

  get devices(): ReadonlyMap<number, NetDevice> {
    return this.devicesCopy ?? this.base.devices;
  }
  get tables(): ReadonlyMap<number, FibTable> {
    return this.tablesCopy ?? this.base.tables;
  }
  get nexthops(): ReadonlyMap<number, NexthopObject> {
    return this.nexthopsCopy ?? this.base.nexthops;
  }

  dev(ifindex: number): NetDevice | undefined {
    return this.devices.get(ifindex);
  }

  setDevice(d: NetDevice): void {
    if (this.devices.get(d.ifindex) === d) return;
    if (this.devicesCopy === null) this.devicesCopy = new Map(this.base.devices);
    const fresh = !this.devicesCopy.has(d.ifindex);
    this.devicesCopy.set(d.ifindex, d);
    // The map stays in ifindex order, the order of the kernel's dumps (for_each_netdev_dump()
    // walks the namespace's xarray of ifindexes): a device made with a requested index below
    // others (`ip link add … index N`) goes in its place.
    if (fresh && [...this.devicesCopy.keys()].some((k) => k > d.ifindex)) {
      this.devicesCopy = new Map([...this.devicesCopy.entries()].sort((x, y) => x[0] - y[0]));
    }
  }

  deleteDevice(ifindex: number): void {
    if (this.devicesCopy === null) this.devicesCopy = new Map(this.base.devices);
    this.devicesCopy.delete(ifindex);
  }

  /** fib_new_table(): the table, created (silently) if missing. */
  ensureTable(id: number): FibTable {
    const t = this.tables.get(id);
    if (t !== undefined) return t;
    // fib_new_table(): local is an alias of main until the first custom rule, so main comes first.
    if (id === RT_TABLE_LOCAL && !this.customRules) this.ensureTable(RT_TABLE_MAIN);
    const nt = emptyTable(id, this.lineage.sigs);
    this.tablesCopy = (this.tablesCopy ?? TableList.from(this.base.tables)).with(id, nt);
    this.emit({ kind: 'table-create', table: id, cause: 'fib_new_table', notified: false });
    return nt;
  }

  aliases(table: number, dst: Ip4, plen: number): readonly FibAlias[] {
    const t = this.tables.get(table);
    return t === undefined ? [] : tableAliases(t, dst, plen, this.edit);
  }

  setAliases(table: number, dst: Ip4, plen: number, aliases: readonly FibAlias[]): void {
    const t = this.ensureTable(table);
    const edit = this.keepTables ? null : this.edit;
    const updates0 = edit === null ? 0 : edit.updates;
    const nt = tableSetAliases(t, dst, plen, aliases, edit);
    if (nt === t) {
      // The edit's own table changed in place (fib-table.ts): the table set stays, the step changed.
      if (edit !== null && edit.updates !== updates0) this.changedInPlace = true;
      return;
    }
    this.tablesCopy = (this.tablesCopy ?? TableList.from(this.base.tables)).with(table, nt);
  }

  setTable(t: FibTable): void {
    if (this.tables.get(t.id) === t) return;
    this.tablesCopy = (this.tablesCopy ?? TableList.from(this.base.tables)).with(t.id, t);
  }

  setNexthop(nh: NexthopObject): void {
    if (this.nexthopsCopy === null) this.nexthopsCopy = new Map(this.base.nexthops);
    this.nexthopsCopy.set(nh.id, nh);
  }

  deleteNexthop(id: number): void {
    if (this.nexthopsCopy === null) this.nexthopsCopy = new Map(this.base.nexthops);
    this.nexthopsCopy.delete(id);
  }

  /** The snapshot as it stands now (cheap: shares everything). */
  view(): FibSnapshot {
    return this.snapshotAt(this.base.generation);
  }

  /**
   * The next snapshot: what view() shows, one generation on. In an in-place replay (an
   * edit), when the base is the snapshot this edit made last and the event changed only
   * tables in place (the table set and every other part the same objects), that snapshot is
   * moved on a generation and returned rather than copied: it differs from the next in
   * nothing else, and only the newest snapshot of an edit is valid anyway (fib-runner.ts).
   * A million route events then make no snapshot object each.
   */
  commit(): FibSnapshot {
    const edit = this.edit;
    if (edit === null) return this.snapshotAt(this.base.generation + 1);
    if (edit.snapshot === this.base && this.changedInPlace && !changedBesidesTables(this)) {
      const own = this.base as { -readonly [K in keyof FibSnapshot]: FibSnapshot[K] };
      own.generation++;
      return own;
    }
    const s = this.snapshotAt(this.base.generation + 1);
    edit.snapshot = s;
    return s;
  }

  // Field by field, not by spread: a spread copy of a snapshot took a slow generic path
  // on every event.
  private snapshotAt(generation: number): FibSnapshot {
    return new Snapshot(
      generation,
      this.devices,
      this.nextIfindex,
      this.confAll,
      this.confDefault,
      this.tables,
      this.rules,
      this.customRules,
      this.customLocalRoutes,
      this.nexthops,
      this.nexthopLastId,
      this.addrGenid,
      this.ipv4Sysctl,
      this.saddrMarks,
      this.localnetChangedAt,
      this.tclassidFreeing,
      this.lineage,
    );
  }

}

/** Whether a fib_info with realms (nh_tclassid) on some nexthop. */
function infoHasRealms(info: FibInfo): boolean {
  for (const nh of info.nhs) if ((nh.tclassid ?? 0) !== 0) return true;
  return false;
}

/**
 * Whether a change lets go of a fib_info with realms (a route deleted, replaced, flushed):
 * its fib_num_tclassid_users count goes only when the RCU-deferred free runs
 * (Snapshot.tclassidFreeing). Conservative: a fib_info another route still shares is not
 * freed, which only makes the model name a gap where the answer could have been given.
 */
function releasesRealms(e: Change): boolean {
  switch (e.kind) {
    case 'route-del':
      return infoHasRealms(e.route.alias.info);
    case 'route-replace':
      return infoHasRealms(e.old.alias.info);
    case 'info-flush':
      return infoHasRealms(e.old);
    default:
      return false;
  }
}

/** Whether the working copy differs from its base at all. */
export function txnChanged(txn: Txn): boolean {
  return txn.changedInPlace || changedBesidesTables(txn);
}

/** Whether the working copy differs from its base in anything but tables changed in place. */
function changedBesidesTables(txn: Txn): boolean {
  const b = txn.base;
  return (
    txn.devices !== b.devices ||
    txn.tables !== b.tables ||
    txn.nexthops !== b.nexthops ||
    txn.rules !== b.rules ||
    txn.confAll !== b.confAll ||
    txn.confDefault !== b.confDefault ||
    txn.customRules !== b.customRules ||
    txn.customLocalRoutes !== b.customLocalRoutes ||
    txn.nextIfindex !== b.nextIfindex ||
    txn.nexthopLastId !== b.nexthopLastId ||
    txn.addrGenid !== b.addrGenid ||
    txn.ipv4Sysctl !== b.ipv4Sysctl ||
    txn.saddrMarks !== b.saddrMarks ||
    txn.localnetChangedAt !== b.localnetChangedAt ||
    txn.tclassidFreeing !== b.tclassidFreeing
  );
}
