// The persistent map's in-place updates (a transient), owned by a PMapEdit: for a replay
// that keeps no history, as the kernel's fib_table_insert() changes its trie in place.

import { CHUNK, FANOUT, chunk, inner as innerNode, chunkAt, childIndex, lowerBound, mk, rootOf, type Chunk, type Inner, type PMap, type Tree } from './_pmap-node.js';
import { pmapDelete, pmapSet } from './pmap-update.js';

// In-place updates for a replay that keeps no history (a "transient", as Clojure calls it).
//
// Why: replaying a million route events without time travel, the copies an update makes
// (the path from the root, three arrays of its chunk) were a third of the work, and kept
// the garbage collector busy. An edit owns the nodes it copied; a later update with the
// same edit changes those in place instead of copying them again. Nodes it does not own
// (those of any version made before the edit, or by a plain pmapSet) are copied whole on
// first touch, so earlier versions stay intact. The price: versions made with one edit
// share the nodes it owns, so only the newest of them is valid, and pmapDiff() must never
// be asked about two of them. Splits, joins and emptied chunks take the copying path.

/** The owner of nodes updated in place (see pmapSetIn). */
export class PMapEdit {
  private readonly owned = new WeakSet<object>();
  /** Counts the updates made with this edit by whole steps (reduceFib() bumps it per event): what a step read before is stale once it moved. */
  steps = 0;
  // The chunk the last pmapGetIn() found: an insert asks for the key it just read (the
  // kernel's fib_table_insert() looks the leaf up, then changes it), and pmapSetIn() then
  // need not walk down again. Valid only for that same map object and key, and forgotten
  // by the next in-place update. Kept by the edit, so it lives only as long as the edit's
  // owner (a FibRunner) and no other map can see it.
  /** @internal */ lastMap: object | null = null;
  /** @internal */ lastKey = 0;
  /** @internal */ lastChunk: unknown = null;

  // The last two objects found owned: an in-place run asks about the same chunk and table
  // counts event after event (a table loaded in order fills one chunk 32 times), and a
  // WeakSet lookup each time was a few percent of a replay. An object stays owned for the
  // edit's life, so a remembered answer never goes stale.
  private seen0: object | null = null;
  private seen1: object | null = null;

  /** Whether this edit may change `x` in place. */
  owns(x: object): boolean {
    if (x === this.seen0 || x === this.seen1) return true;
    if (!this.owned.has(x)) return false;
    this.seen1 = this.seen0;
    this.seen0 = x;
    return true;
  }

  /** Nodes this edit made its own (copied or new): how much an in-place run has changed, for a checkpoint index (core/replay/checkpoint-index.ts). */
  copies = 0;

  /**
   * The table object (fib-table.ts, FibTable) an update with this edit made last: the next
   * update of that table changes it in place rather than making another (and another table
   * set above it). Not counted in `copies`: a table object is one per update, not a node.
   */
  table: object | null = null;

  /** Marks `x` (just made by the caller) as this edit's. */
  own<T extends object>(x: T): T {
    this.owned.add(x);
    this.copies++;
    return x;
  }
}

/**
 * The path to the chunk holding key, every node owned by `edit` (copied whole where it was
 * not): the root (maybe a copy) and the chunk, ready to be changed in place.
 */
function ownPath<V>(m: PMap<V>, key: number, edit: PMapEdit): { root: Tree<V>; chunk: Chunk<V> } {
  let node = rootOf(m);
  if (!edit.owns(node)) node = m.height === 0 ? edit.own(copyChunk(node as Chunk<V>)) : ownedCopy(node as Inner<V>, edit);
  const root = node;
  for (let d = m.height; d > 0; d--) {
    const inner = node as Inner<V>;
    const c = childIndex(inner.seps, key);
    let kid = inner.kids[c]!;
    if (!edit.owns(kid)) {
      kid = d === 1 ? edit.own(copyChunk(kid as Chunk<V>)) : ownedCopy(kid as Inner<V>, edit);
      (inner.kids as Tree<V>[])[c] = kid;
    }
    node = kid;
  }
  return { root, chunk: node as Chunk<V> };
}

function copyChunk<V>(c: Chunk<V>): Chunk<V> {
  return chunk(c.keys.slice(), c.tags.slice(), c.vals.slice());
}

/**
 * A copy of an inner node, the edit's, with its own child list (ownPath() writes copied
 * children there). Its separators stay shared until splitInPlace() changes them (it copies
 * them first): most copies never change them, and a time-travel replay copies an inner node
 * after every checkpoint it touches.
 */
function ownedCopy<V>(n: Inner<V>, edit: PMapEdit): Inner<V> {
  return edit.own(innerNode(n.seps, n.kids.slice()));
}

/** Inserts x at i of an array, in place (a loop: splice() is a slow generic builtin). */
function insertInPlace<T>(xs: T[], i: number, x: T): void {
  for (let j = xs.length; j > i; j--) xs[j] = xs[j - 1]!;
  xs[i] = x;
}

function removeInPlace<T>(xs: T[], i: number): void {
  const n = xs.length - 1;
  for (let j = i; j < n; j++) xs[j] = xs[j + 1]!;
  xs.length = n;
}

/** pmapGet() that remembers the chunk it found in `edit`, for a pmapSetIn() of the same key that follows. */
export function pmapGetIn<V>(m: PMap<V>, key: number, edit: PMapEdit): V | undefined {
  const c = chunkAt(m, key);
  edit.lastMap = m;
  edit.lastKey = key;
  edit.lastChunk = c;
  const i = lowerBound(c.keys, key);
  return c.keys[i] === key ? c.vals[i] : undefined;
}

/**
 * pmapSet() that may change in place the nodes `edit` owns (see PMapEdit): the result is a
 * new map object whenever something changed, as with pmapSet().
 */
export function pmapSetIn<V>(m: PMap<V>, key: number, value: V, tag: number, edit: PMapEdit): PMap<V> {
  // A node an edit owns is reachable only from versions that edit made, of which only the
  // newest is valid: its chunk can be changed in place whoever owns the nodes above it.
  let root = rootOf(m);
  let c = m === edit.lastMap && key === edit.lastKey ? (edit.lastChunk as Chunk<V>) : chunkAt(m, key);
  edit.lastMap = null;
  edit.lastChunk = null;
  if (!edit.owns(c)) {
    const c0 = c;
    const i0 = lowerBound(c0.keys, key);
    const found0 = c0.keys[i0] === key;
    if (found0 && c0.vals[i0] === value && c0.tags[i0] === tag) return m;
    // A full chunk splits: the copying path.
    if (!found0 && c0.keys.length >= CHUNK) return splitInPlace(m, key, value, tag, edit) ?? splitIn(m, key, value, tag, edit);
    const path = ownPath(m, key, edit);
    root = path.root;
    c = path.chunk;
  }
  const keys = c.keys as number[];
  const i = lowerBound(keys, key);
  if (keys[i] === key) {
    if (c.vals[i] === value && c.tags[i] === tag) return m;
    (c.vals as V[])[i] = value;
    (c.tags as number[])[i] = tag;
    return mk(root, m.height, m.size);
  }
  if (keys.length >= CHUNK) return splitInPlace(m, key, value, tag, edit) ?? splitIn(m, key, value, tag, edit);
  insertInPlace(keys, i, key);
  insertInPlace(c.tags as number[], i, tag);
  insertInPlace(c.vals as V[], i, value);
  return mk(root, m.height, m.size + 1);
}

/**
 * An insert of a new key into a full chunk, split in place: when the edit owns the chunk
 * and its parent, and the parent has room for one more child; else null. A key among the
 * chunk's last 8 (or past its end) moves with the entries after it to the front of the
 * next sibling when that has room, or else starts the right half there, the left keeping
 * the rest (so a table loaded in order fills its chunks, as with pmapSet()); elsewhere
 * the chunk splits in the middle. Separators: the right half's
 * least key (child c holds [seps[c], seps[c + 1])).
 */
function splitInPlace<V>(m: PMap<V>, key: number, value: V, tag: number, edit: PMapEdit): PMap<V> | null {
  if (m.height === 0) return null;
  // The whole path the edit's (copied where it was not), then the chunk's parent.
  const root = ownPath(m, key, edit).root;
  let node = root;
  for (let d = m.height; d > 1; d--) {
    const inner = node as Inner<V>;
    node = inner.kids[childIndex(inner.seps, key)]!;
  }
  const p = node as Inner<V>;
  const ci = childIndex(p.seps, key);
  const c = p.kids[ci] as Chunk<V>;
  const keys = c.keys as number[];
  const n = keys.length;
  const i = lowerBound(keys, key);
  if (keys[i] === key) return null;
  // Separators may be shared with a node the edit does not own (pmapSet keeps them).
  if (!edit.owns(p.seps)) (p as { seps: readonly number[] }).seps = edit.own(p.seps.slice());
  const next = p.kids[ci + 1] as Chunk<V> | undefined;
  const moved = n - i;
  if (next !== undefined && moved <= 8 && next.keys.length + moved + 1 <= CHUNK) {
    // Among the chunk's last 8 (or past its end), and its next sibling has room: the key
    // and the entries after it go to the front of the sibling, whose separator comes down
    // to the key (a table loaded in order keeps filling its chunks).
    const nx = edit.owns(next) ? next : edit.own(copyChunk(next));
    (p.kids as Tree<V>[])[ci + 1] = nx;
    const nk = nx.keys as number[];
    const nt = nx.tags as number[];
    const nv = nx.vals as V[];
    for (let j = n - 1; j >= i; j--) {
      insertInPlace(nk, 0, keys[j]!);
      insertInPlace(nt, 0, c.tags[j]!);
      insertInPlace(nv, 0, c.vals[j]!);
    }
    insertInPlace(nk, 0, key);
    insertInPlace(nt, 0, tag);
    insertInPlace(nv, 0, value);
    keys.length = i;
    (c.tags as number[]).length = i;
    (c.vals as V[]).length = i;
    (p.seps as number[])[ci + 1] = key;
    return mk(root, m.height, m.size + 1);
  }
  // A full parent splits too: the copying path (ownPath's copies, if any, changed nothing of m).
  if (p.kids.length >= FANOUT) return null;
  const at = i >= n - 8 ? i : n >>> 1;
  const right: Chunk<V> = edit.own(chunk(keys.slice(at), c.tags.slice(at), c.vals.slice(at)));
  keys.length = at;
  (c.tags as number[]).length = at;
  (c.vals as V[]).length = at;
  const side = i < at ? c : right;
  const j = i < at ? i : i - at;
  insertInPlace(side.keys as number[], j, key);
  insertInPlace(side.tags as number[], j, tag);
  insertInPlace(side.vals as V[], j, value);
  insertInPlace(p.kids as Tree<V>[], ci + 1, right);
  insertInPlace(p.seps as number[], ci + 1, right.keys[0]!);
  return mk(root, m.height, m.size + 1);
}

/**
 * An insert that splits a chunk, made by pmapSet(), whose new nodes on the path to key then
 * become the edit's: they are new objects, their chunk arrays and child lists are their own
 * (the in-place updates change nothing else), so the next inserts there need no copy.
 */
function splitIn<V>(m: PMap<V>, key: number, value: V, tag: number, edit: PMapEdit): PMap<V> {
  const r = pmapSet(m, key, value, tag);
  let node = rootOf(r);
  edit.own(node);
  for (let d = r.height; d > 0; d--) {
    const inner = node as Inner<V>;
    node = inner.kids[childIndex(inner.seps, key)]!;
    edit.own(node);
  }
  return r;
}

/** pmapDelete() that may change in place the nodes `edit` owns (see PMapEdit). */
export function pmapDeleteIn<V>(m: PMap<V>, key: number, edit: PMapEdit): PMap<V> {
  edit.lastMap = null;
  edit.lastChunk = null;
  let root = rootOf(m);
  let c = chunkAt(m, key);
  const i = lowerBound(c.keys, key);
  if (c.keys[i] !== key) return m;
  // A chunk that would be underfull or empty is joined or dropped: the copying path.
  if (m.height > 0 && c.keys.length - 1 < CHUNK >>> 2) return pmapDelete(m, key);
  if (!edit.owns(c)) {
    const path = ownPath(m, key, edit);
    root = path.root;
    c = path.chunk;
  }
  removeInPlace(c.keys as number[], i);
  removeInPlace(c.tags as number[], i);
  removeInPlace(c.vals as V[], i);
  return mk(root, m.height, m.size - 1);
}
