// Where nexthop state that changes with a device lives: on the fib_info, shared by every
// route that uses it, as in the kernel (struct fib_info's fib_nh flags, fib_flags), with an
// index from device to the fib_infos that use it (fib_info_devhash).
//
// Why: a carrier change on the uplink of a full-table router touches one fib_info in the
// kernel (fib_sync_down_dev() walks fib_info_devhash, not the trie) and 900,000 routes in a
// model that keeps the flags inside each route's immutable info. Here a table's leaves keep
// the info each route was stored with, and the table carries two things beside them:
//
// - InfoVersions: for each stored info whose flags changed since it was stored, its current
//   version (a fib_info's dead/linkdown flags as of this snapshot). Immutable: a device event
//   makes a new map with the changed infos only, so every snapshot keeps its own flags and
//   costs a map the size of the fib_infos on the device, not a copy of its routes. Readers
//   never see a stored info: fib-table.ts hands out routes resolved through it.
// - InfoIndex: the fib_infos stored in the table by nexthop device and by prefsrc
//   (fib_info_devhash, and what fib_sync_down_addr() looks for). It is shared by a table
//   and every table made from it by adding routes, and only grows: an info stays indexed
//   after its last route goes (the kernel unhashes it in fib_release_info()). That makes it
//   a superset, which is harmless (a version for an info no route uses is never read) and
//   lets snapshots that branch from one table share it. A flush that rebuilds a table
//   starts a fresh, exact index.

import { fibInfo, type FibAlias, type FibInfo, type FibNh } from './fib-info.js';
import { RT_TABLE_MAIN } from '../uapi/rtnetlink.js';

const NONE: readonly FibInfo[] = Object.freeze([]);

/** The fib_infos a table's routes were stored with, by nexthop device and prefsrc (a superset: see above). */
export class InfoIndex {
  private readonly known = new Set<FibInfo>();
  private readonly dev = new Map<number, FibInfo[]>();
  private readonly src = new Map<number, FibInfo[]>();
  /** Whether some info was stored already dead (fib_flush must then look at stored flags too). */
  storedDead = false;
  private last: FibInfo | null = null;

  /** Indexes the infos of a list being stored (fib_info_hash_insert() for new ones). */
  addList(aliases: readonly FibAlias[]): void {
    for (let i = 0; i < aliases.length; i++) {
      const info = (aliases[i] as FibAlias).info;
      if (info === this.last) continue;
      this.last = info;
      this.add(info);
    }
  }

  /** Indexes one info. */
  add(info: FibInfo): void {
    if (this.known.has(info)) return;
    this.known.add(info);
    if (info.dead) this.storedDead = true;
    const nhs = info.nhs;
    for (let i = 0; i < nhs.length; i++) {
      const d = (nhs[i] as FibNh).dev;
      // A multipath info with two legs on one device is listed once.
      let xs = this.dev.get(d);
      if (xs === undefined) this.dev.set(d, (xs = []));
      if (xs[xs.length - 1] !== info) xs.push(info);
    }
    if (info.prefsrc !== 0 && info.tbId === RT_TABLE_MAIN) {
      let xs = this.src.get(info.prefsrc);
      if (xs === undefined) this.src.set(info.prefsrc, (xs = []));
      xs.push(info);
    }
  }

  /** The stored infos with a nexthop on dev (fib_info_devhash). */
  onDev(dev: number): readonly FibInfo[] {
    return this.dev.get(dev) ?? NONE;
  }

  /** The stored infos created for table main with this prefsrc (fib_sync_down_addr()'s match). */
  withPrefsrc(prefsrc: number): readonly FibInfo[] {
    return this.src.get(prefsrc) ?? NONE;
  }

  /** How many infos are indexed. */
  get size(): number {
    return this.known.size;
  }

  /** Every indexed info (the table's stored infos, and some no route uses any more). */
  infos(): IterableIterator<FibInfo> {
    return this.known.values();
  }
}

/** Memo sizes: resolved lists and aliases are cached per version map, up to this many each. */
const MEMO_MAX = 1 << 16;

/**
 * The current version of each stored info whose flags changed since it was stored. Empty
 * in a table no device event touched; immutable (with() makes a new one).
 */
export class InfoVersions {
  private readonly aliasMemo = new Map<FibAlias, FibAlias>();
  private readonly listMemo = new Map<readonly FibAlias[], readonly FibAlias[]>();
  private lastList: readonly FibAlias[] | null = null;
  private lastOut: readonly FibAlias[] | null = null;

  private constructor(private readonly map: ReadonlyMap<FibInfo, FibInfo>) {}

  static readonly EMPTY = new InfoVersions(new Map());

  /** How many stored infos have a version other than themselves. */
  get size(): number {
    return this.map.size;
  }

  /** The current version of a stored info. */
  current(info: FibInfo): FibInfo {
    return this.map.get(info) ?? info;
  }

  /** Whether a stored info has another version here. */
  has(info: FibInfo): boolean {
    return this.map.has(info);
  }

  /** Every (stored, current) pair. */
  entries(): IterableIterator<[FibInfo, FibInfo]> {
    return this.map.entries();
  }

  /** These versions with some stored infos given new ones (a version equal to its stored info drops out). */
  with(changes: ReadonlyMap<FibInfo, FibInfo>): InfoVersions {
    if (changes.size === 0) return this;
    const m = new Map(this.map);
    for (const [stored, cur] of changes) {
      if (cur === stored) m.delete(stored);
      else m.set(stored, cur);
    }
    return m.size === 0 ? InfoVersions.EMPTY : new InfoVersions(m);
  }

  /** Only the versions of the infos `keep` says are still stored (a rebuilt table's). */
  restrictedTo(keep: (stored: FibInfo) => boolean): InfoVersions {
    if (this.map.size === 0) return this;
    const m = new Map<FibInfo, FibInfo>();
    for (const [k, v] of this.map) if (keep(k)) m.set(k, v);
    return m.size === 0 ? InfoVersions.EMPTY : m.size === this.map.size ? this : new InfoVersions(m);
  }

  /** A stored route as it reads now: the same object when its info has no other version. */
  alias(fa: FibAlias): FibAlias {
    const cur = this.map.get(fa.info);
    if (cur === undefined) return fa;
    let r = this.aliasMemo.get(fa);
    if (r === undefined || r.info !== cur) {
      if (this.aliasMemo.size >= MEMO_MAX) this.aliasMemo.clear();
      r = { type: fa.type, tos: fa.tos, info: cur };
      this.aliasMemo.set(fa, r);
    }
    return r;
  }

  /**
   * A list about to be stored, safe to store: a route given an info that has another
   * version here would read that version, so it is stored with a copy of its info instead
   * (equal in every field, a fib_info of its own). The same array when none needs it.
   */
  pin(aliases: readonly FibAlias[]): readonly FibAlias[] {
    if (this.map.size === 0) return aliases;
    let out: FibAlias[] | null = null;
    for (let i = 0; i < aliases.length; i++) {
      const fa = aliases[i] as FibAlias;
      if (!this.map.has(fa.info)) continue;
      out ??= aliases.slice();
      let copy = this.pins.get(fa.info);
      if (copy === undefined) {
        copy = fibInfo(fa.info);
        this.pins.set(fa.info, copy);
      }
      out[i] = { type: fa.type, tos: fa.tos, info: copy };
    }
    return out ?? aliases;
  }

  private readonly pins = new Map<FibInfo, FibInfo>();

  /** A stored leaf as it reads now: the same array when no route in it has another version. */
  list(aliases: readonly FibAlias[]): readonly FibAlias[] {
    if (this.map.size === 0) return aliases;
    // Leaves holding one route through a shared info are one shared array (sharedRoute()).
    if (aliases === this.lastList) return this.lastOut!;
    let out = this.listMemo.get(aliases);
    if (out === undefined) {
      let changed = false;
      for (let i = 0; i < aliases.length && !changed; i++) changed = this.map.has((aliases[i] as FibAlias).info);
      if (!changed) out = aliases;
      else {
        const xs = new Array<FibAlias>(aliases.length);
        for (let i = 0; i < aliases.length; i++) xs[i] = this.alias(aliases[i] as FibAlias);
        out = xs;
      }
      if (this.listMemo.size >= MEMO_MAX) this.listMemo.clear();
      this.listMemo.set(aliases, out);
    }
    this.lastList = aliases;
    this.lastOut = out;
    return out;
  }
}
