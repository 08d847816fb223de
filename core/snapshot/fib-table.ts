// One routing table (struct fib_table over fib_trie.c's leaves): a persistent map from
// (dst, plen) to that prefix's aliases, in the kernel's order (tos descending, then
// metric ascending, then insertion as NLM_F_APPEND/prepend placed them). Each prefix is
// tagged with its alias list's signature (alias-sig.ts), so that compiling a table reads
// (prefix, signature) columns without touching the aliases (workers/compile/_leaf-columns.ts).

import { pmapDelete, pmapDeleteIn, pmapEmpty, pmapEntries, pmapForEach, pmapGet, pmapGetIn, pmapSet, pmapSetIn, type PMap, type PMapEdit } from './persistent-map.js';
import type { AliasSigs } from './alias-sig.js';
import type { Ip4 } from '../net/ip4.js';
import type { FibAlias, FibRoute } from './fib-info.js';
import { InfoIndex, InfoVersions } from './fib-info-versions.js';

export interface FibTable {
  readonly id: number;
  /**
   * Aliases by prefixKey() as they were stored, each tagged with sigs.sig() of the
   * stored aliases. Read them through the functions below, which resolve `versions`.
   */
  readonly leaves: PMap<readonly FibAlias[]>;
  /** Number of prefixes per prefix length, so lookups probe only lengths present. */
  readonly lenCounts: readonly number[];
  /** The current flags of stored fib_infos a device event changed (fib-info-versions.ts). */
  readonly versions: InfoVersions;
  /** The stored fib_infos by device and prefsrc (fib_info_devhash; shared, a superset). */
  readonly index: InfoIndex;
  /** The registry the tags come from: the lineage's (fib-lineage.ts), shared by every table of it. */
  readonly sigs: AliasSigs;
}

/**
 * Tables are made by `new`, never as object literals: an in-place replay changes the table
 * object it made (tableSetAliases with an edit), and V8 places the objects of a literal site
 * whose objects tend to live long (a checkpoint index keeps one table per checkpoint) in the
 * old generation, where such a change keeps every young node it points to alive until a full
 * collection (see _pmap-node.ts ChunkNode). Constructor calls are not placed so.
 */
class Table implements FibTable {
  constructor(
    readonly id: number,
    public leaves: PMap<readonly FibAlias[]>,
    public lenCounts: readonly number[],
    readonly versions: InfoVersions,
    readonly index: InfoIndex,
    readonly sigs: AliasSigs,
  ) {}
}

/** The map key: dst then 32-plen, so ascending keys are the dump order. */
export function prefixKey(dst: Ip4, plen: number): number {
  return dst * 256 + (32 - plen);
}

function keyToPrefix(key: number): [Ip4, number] {
  const low = key % 256;
  return [(key - low) / 256, 32 - low];
}

/** A new empty table (fib_trie_table). */
export function emptyTable(id: number, sigs: AliasSigs): FibTable {
  return new Table(id, pmapEmpty(), new Array<number>(33).fill(0), InfoVersions.EMPTY, new InfoIndex(), sigs);
}

/** The table with other versions of its infos (a device event: fib_sync_down_dev(), fib_sync_up()). */
export function tableWithVersions(t: FibTable, versions: InfoVersions): FibTable {
  if (versions === t.versions) return t;
  return new Table(t.id, t.leaves, t.lenCounts, versions, t.index, t.sigs);
}

/** A table of the given leaves, versions and index (a rebuilt table: fib_table_flush()). */
export function tableOf(id: number, leaves: PMap<readonly FibAlias[]>, lenCounts: readonly number[], versions: InfoVersions, index: InfoIndex, sigs: AliasSigs): FibTable {
  return new Table(id, leaves, lenCounts, versions, index, sigs);
}

const NO_ALIASES: readonly FibAlias[] = Object.freeze([]);

/** The aliases of one prefix, in order (empty when none). */
export function tableAliases(t: FibTable, dst: Ip4, plen: number, edit: PMapEdit | null = null): readonly FibAlias[] {
  const xs = edit === null ? pmapGet(t.leaves, prefixKey(dst, plen)) : pmapGetIn(t.leaves, prefixKey(dst, plen), edit);
  if (xs === undefined) return NO_ALIASES;
  return t.versions.size === 0 ? xs : t.versions.list(xs);
}

/**
 * The table with a prefix's alias list replaced (empty list removes the prefix). With an
 * edit (a replay keeping no history: persistent-map.ts, PMapEdit), the nodes and counts
 * that edit owns are changed in place, and so is the table object itself when that edit
 * made it (the same object is returned, changed: Txn.setAliases() notes it); only the
 * newest table of that edit is valid.
 */
export function tableSetAliases(t: FibTable, dst: Ip4, plen: number, aliases: readonly FibAlias[], edit: PMapEdit | null = null): FibTable {
  const key = prefixKey(dst, plen);
  if (aliases.length !== 0) {
    if (t.versions.size !== 0) aliases = t.versions.pin(aliases);
    t.index.addList(aliases);
  }
  // One traversal: the map is returned unchanged when nothing changes, and its size tells
  // whether the prefix was new or went. With an edit, the map may come back the same object
  // changed in place (PMapEdit.map): the edit's count of changes tells.
  let leaves: PMap<readonly FibAlias[]>;
  const size0 = t.leaves.size;
  if (edit === null) {
    leaves = aliases.length === 0 ? pmapDelete(t.leaves, key) : pmapSet(t.leaves, key, aliases, t.sigs.sig(aliases));
    if (leaves === t.leaves) return t;
  } else {
    const updates0 = edit.updates;
    leaves = aliases.length === 0 ? pmapDeleteIn(t.leaves, key, edit) : pmapSetIn(t.leaves, key, aliases, t.sigs.sig(aliases), edit);
    if (edit.updates === updates0) return t;
  }
  let counts = t.lenCounts;
  if (leaves.size !== size0) {
    let own: number[];
    if (edit !== null && edit.owns(t.lenCounts)) own = t.lenCounts as number[];
    else {
      own = t.lenCounts.slice();
      if (edit !== null) edit.own(own);
    }
    own[plen] = (own[plen] ?? 0) + (leaves.size - size0);
    counts = own;
  }
  if (edit === null) return new Table(t.id, leaves, counts, t.versions, t.index, t.sigs);
  // In place: the table this edit made at its last update is changed, not copied (only
  // the newest table of an edit is valid, as for its nodes); else a new one, the edit's.
  if (edit.table === t) {
    const m = t as { -readonly [K in keyof FibTable]: FibTable[K] };
    m.leaves = leaves;
    m.lenCounts = counts;
    return t;
  }
  const nt: FibTable = new Table(t.id, leaves, counts, t.versions, t.index, t.sigs);
  edit.table = nt;
  return nt;
}

/** Every route of the table in dump order (fib_table_dump). */
export function* tableRoutes(t: FibTable): Generator<FibRoute> {
  const v = t.versions;
  for (const [key, stored] of pmapEntries(t.leaves)) {
    const [dst, plen] = keyToPrefix(key);
    for (const alias of v.list(stored)) yield { table: t.id, dst, plen, alias };
  }
}

/** Every prefix with its aliases, in dump order. */
export function* tableLeaves(t: FibTable): Generator<{ dst: Ip4; plen: number; aliases: readonly FibAlias[] }> {
  const v = t.versions;
  for (const [key, stored] of pmapEntries(t.leaves)) {
    const [dst, plen] = keyToPrefix(key);
    yield { dst, plen, aliases: v.list(stored) };
  }
}

/** Number of routes (aliases) in the table. */
export function tableRouteCount(t: FibTable): number {
  let n = 0;
  pmapForEach(t.leaves, (_key, aliases) => {
    n += aliases.length;
  });
  return n;
}

/**
 * Calls fn for every prefix with its aliases, in dump order: tableLeaves() without a
 * generator and an object per prefix (a link event walks every table: fib_sync_down_dev()).
 */
export function tableForEachLeaf(t: FibTable, fn: (dst: Ip4, plen: number, aliases: readonly FibAlias[]) => void): void {
  const v = t.versions;
  if (v.size === 0) {
    pmapForEach(t.leaves, (key, aliases) => {
      const low = key % 256;
      fn((key - low) / 256, 32 - low, aliases);
    });
    return;
  }
  pmapForEach(t.leaves, (key, stored) => {
    const low = key % 256;
    fn((key - low) / 256, 32 - low, v.list(stored));
  });
}
