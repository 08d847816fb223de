// The persistent map's in-place updates (a transient), owned by a PMapEdit: for a replay
// that keeps no history, as the kernel's fib_table_insert() changes its trie in place.

import { CHUNK, FANOUT, chunk, inner as innerNode, childIndex, lowerBound, mk, rootOf, type Chunk, type Inner, type PMap, type Tree } from './_pmap-node.js';
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
  /** The arrays this edit owns (separators it copied, fib-table.ts's counts); its nodes say so themselves (Chunk.owner). */
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

  // The last two arrays found owned: an in-place run asks about the same table counts event
  // after event, and a WeakSet lookup each time was a few percent of a replay. An array
  // stays owned for the edit's life, so a remembered answer never goes stale.
  private seen0: object | null = null;
  private seen1: object | null = null;

  /** Whether this edit may change array `x` in place (a node: its owner field). */
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

  /**
   * The snapshot (snapshot.ts, FibSnapshot) the working copy of this edit made last
   * (txn.ts, Txn.commit()): an event that changes only its tables in place moves it on a
   * generation rather than making another. Owned like `table`: a new edit (a checkpoint,
   * FibRunner.freeze()) leaves it intact.
   */
  snapshot: object | null = null;

  /**
   * The map object (PMap) an update with this edit returned last: the next update of that
   * map changes it in place rather than making another (madeBy()). Only the newest map of
   * an edit is valid, as for its nodes.
   */
  map: object | null = null;

  /**
   * Counts the changes made with this edit: a caller that gets the same map object back
   * (changed in place) tells a change from no change by this count moving.
   */
  updates = 0;

  /**
   * Marks a node just made (by a copying update or the caller) as this edit's: its owner
   * field (Chunk.owner), not the WeakSet, which holds the arrays this edit owns.
   */
  ownNode<T extends Tree<unknown>>(n: T): T {
    (n as { owner: object | null }).owner = this;
    this.copies++;
    // A node made or copied: the tree's shape may have changed (see chunkIn()).
    this.shape++;
    return n;
  }

  /** Marks an array (just made by the caller) as this edit's. */
  own<T extends object>(x: T): T {
    this.owned.add(x);
    this.copies++;
    return x;
  }

  // The finger (chunkIn()): the chunk the last descent found, the keys [fingerLo, fingerHi)
  // that lead there from root `fingerRoot`, and the shape count it was found at. A table
  // loaded in order asks for the chunk it asked for last, event after event, and a descent
  // of four levels was a few percent of a replay.
  /** @internal Moves whenever a node is made or copied, or separators change (splits): the finger is then stale. */
  shape = 0;
  /** @internal */ fingerRoot: object | null = null;
  /** @internal */ fingerShape = -1;
  /** @internal */ fingerLo = 0;
  /** @internal */ fingerHi = 0;
  /** @internal */ fingerChunk: unknown = null;
}

/**
 * The chunk of `m` that holds (or would hold) key: the finger's when key lies in its range
 * under the same root and nothing changed the tree's shape since (in place, only chunks'
 * entries change between shape changes, and those do not move a range); else found by
 * descending, the range of keys routed there noted as the new finger.
 */
function chunkIn<V>(m: PMap<V>, key: number, edit: PMapEdit): Chunk<V> {
  const root = rootOf(m);
  if (root === edit.fingerRoot && edit.fingerShape === edit.shape && key >= edit.fingerLo && key < edit.fingerHi) return edit.fingerChunk as Chunk<V>;
  let node = root;
  let lo = -Infinity;
  let hi = Infinity;
  for (let d = m.height; d > 0; d--) {
    const inner = node as Inner<V>;
    const seps = inner.seps;
    const c = childIndex(seps, key);
    // Child c holds [seps[c], seps[c + 1]) (seps[0] unused: the parent's bound).
    if (c > 0 && seps[c]! > lo) lo = seps[c]!;
    if (c + 1 < seps.length && seps[c + 1]! < hi) hi = seps[c + 1]!;
    node = inner.kids[c]!;
  }
  edit.fingerRoot = root;
  edit.fingerShape = edit.shape;
  edit.fingerLo = lo;
  edit.fingerHi = hi;
  edit.fingerChunk = node;
  return node as Chunk<V>;
}

/**
 * The path to the chunk holding key, every node owned by `edit` (copied whole where it was
 * not): the root (maybe a copy) and the chunk, ready to be changed in place.
 */
function ownPath<V>(m: PMap<V>, key: number, edit: PMapEdit): { root: Tree<V>; chunk: Chunk<V> } {
  let node = rootOf(m);
  if (node.owner !== edit) node = m.height === 0 ? copyChunk(node as Chunk<V>, edit) : ownedCopy(node as Inner<V>, edit);
  const root = node;
  for (let d = m.height; d > 0; d--) {
    const inner = node as Inner<V>;
    const c = childIndex(inner.seps, key);
    let kid = inner.kids[c]!;
    if (kid.owner !== edit) {
      kid = d === 1 ? copyChunk(kid as Chunk<V>, edit) : ownedCopy(kid as Inner<V>, edit);
      (inner.kids as Tree<V>[])[c] = kid;
    }
    node = kid;
  }
  return { root, chunk: node as Chunk<V> };
}

/**
 * The result of an update with `edit` of map `m`: `m` itself changed in place when the edit
 * made it (PMapEdit.map: a million route events then make no map object each), else a new
 * map, the edit's from now on. Either way the edit counts the change (PMapEdit.updates).
 */
function madeBy<V>(edit: PMapEdit, m: PMap<V>, root: Tree<V>, height: number, size: number): PMap<V> {
  edit.updates++;
  if (edit.map === m) {
    const own = m as { -readonly [K in keyof PMap<V>]: PMap<V>[K] };
    own.root = root;
    own.height = height;
    own.size = size;
    return m;
  }
  const n = mk(root, height, size);
  edit.map = n;
  return n;
}

/** A map made by a copying update (pmapSet/pmapDelete: a new object no one else holds), made the edit's. */
function adopt<V>(edit: PMapEdit, m: PMap<V>): PMap<V> {
  edit.updates++;
  edit.shape++;
  edit.map = m;
  return m;
}

/** A copy of a chunk, the edit's. */
function copyChunk<V>(c: Chunk<V>, edit: PMapEdit): Chunk<V> {
  return edit.ownNode(chunk(c.keys.slice(), c.tags.slice(), c.vals.slice()));
}

/**
 * A copy of an inner node, the edit's, with its own child list (ownPath() writes copied
 * children there). Its separators stay shared until splitInPlace() changes them (it copies
 * them first): most copies never change them, and a time-travel replay copies an inner node
 * after every checkpoint it touches.
 */
function ownedCopy<V>(n: Inner<V>, edit: PMapEdit): Inner<V> {
  return edit.ownNode(innerNode(n.seps, n.kids.slice()));
}

// Inserts and removals in place: loops (splice() is a slow generic builtin), one function per
// kind of array. Why not one generic function: V8's store inside it then sees arrays of
// doubles (keys, separators: 40-bit keys are not small integers), of small integers (tags)
// and of objects (values, children), and a keyed store that has seen several elements kinds
// moves every array it meets to the most general one: the keys and tags of every chunk
// became arrays of objects, each key a boxed number of 16 bytes of its own (13.8 MB on a
// full table) that a lookup's binary search had to follow, a cache miss each.

/** Inserts key x at i of a key or separator array (doubles), in place. */
function insertKey(xs: number[], i: number, x: number): void {
  for (let j = xs.length; j > i; j--) xs[j] = xs[j - 1]!;
  xs[i] = x;
}

/** Inserts tag x at i of a tag array (small integers), in place. */
function insertTag(xs: number[], i: number, x: number): void {
  for (let j = xs.length; j > i; j--) xs[j] = xs[j - 1]!;
  xs[i] = x;
}

/** Inserts x at i of an array of values or children (objects), in place. */
function insertRef<T>(xs: T[], i: number, x: T): void {
  for (let j = xs.length; j > i; j--) xs[j] = xs[j - 1]!;
  xs[i] = x;
}

function removeKey(xs: number[], i: number): void {
  const n = xs.length - 1;
  for (let j = i; j < n; j++) xs[j] = xs[j + 1]!;
  xs.length = n;
}

function removeTag(xs: number[], i: number): void {
  const n = xs.length - 1;
  for (let j = i; j < n; j++) xs[j] = xs[j + 1]!;
  xs.length = n;
}

function removeRef<T>(xs: T[], i: number): void {
  const n = xs.length - 1;
  for (let j = i; j < n; j++) xs[j] = xs[j + 1]!;
  xs.length = n;
}

/** pmapGet() that remembers the chunk it found in `edit`, for a pmapSetIn() of the same key that follows. */
export function pmapGetIn<V>(m: PMap<V>, key: number, edit: PMapEdit): V | undefined {
  const c = chunkIn(m, key, edit);
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
  let c = m === edit.lastMap && key === edit.lastKey ? (edit.lastChunk as Chunk<V>) : chunkIn(m, key, edit);
  edit.lastMap = null;
  edit.lastChunk = null;
  if (c.owner !== edit) {
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
    return madeBy(edit, m, root, m.height, m.size);
  }
  if (keys.length >= CHUNK) return splitInPlace(m, key, value, tag, edit) ?? splitIn(m, key, value, tag, edit);
  insertKey(keys, i, key);
  insertTag(c.tags as number[], i, tag);
  insertRef(c.vals as V[], i, value);
  return madeBy(edit, m, root, m.height, m.size + 1);
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
  // Separators move below (a spill changes them without making a node): the finger is stale.
  edit.shape++;
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
    const nx = next.owner === edit ? next : copyChunk(next, edit);
    (p.kids as Tree<V>[])[ci + 1] = nx;
    const nk = nx.keys as number[];
    const nt = nx.tags as number[];
    const nv = nx.vals as V[];
    for (let j = n - 1; j >= i; j--) {
      insertKey(nk, 0, keys[j]!);
      insertTag(nt, 0, c.tags[j]!);
      insertRef(nv, 0, c.vals[j]!);
    }
    insertKey(nk, 0, key);
    insertTag(nt, 0, tag);
    insertRef(nv, 0, value);
    keys.length = i;
    (c.tags as number[]).length = i;
    (c.vals as V[]).length = i;
    (p.seps as number[])[ci + 1] = key;
    return madeBy(edit, m, root, m.height, m.size + 1);
  }
  // A full parent splits too: the copying path (ownPath's copies, if any, changed nothing of m).
  if (p.kids.length >= FANOUT) return null;
  const at = i >= n - 8 ? i : n >>> 1;
  const right: Chunk<V> = edit.ownNode(chunk(keys.slice(at), c.tags.slice(at), c.vals.slice(at)));
  keys.length = at;
  (c.tags as number[]).length = at;
  (c.vals as V[]).length = at;
  if (i >= at) {
    // The left half stays as it is (keys coming in order fill chunks one after another):
    // its arrays copied to their size, V8 having grown them with room to spare (40 slots for
    // 32 entries), so that a full table keeps 8 bytes an entry less in each.
    const left = c as { -readonly [K in keyof Chunk<V>]: Chunk<V>[K] };
    left.keys = keys.slice();
    left.tags = c.tags.slice();
    left.vals = c.vals.slice();
  }
  const side = i < at ? c : right;
  const j = i < at ? i : i - at;
  insertKey(side.keys as number[], j, key);
  insertTag(side.tags as number[], j, tag);
  insertRef(side.vals as V[], j, value);
  insertRef(p.kids as Tree<V>[], ci + 1, right);
  insertKey(p.seps as number[], ci + 1, right.keys[0]!);
  return madeBy(edit, m, root, m.height, m.size + 1);
}

/**
 * An insert that splits a chunk, made by pmapSet(), whose new nodes on the path to key then
 * become the edit's: they are new objects, their chunk arrays and child lists are their own
 * (the in-place updates change nothing else), so the next inserts there need no copy.
 */
function splitIn<V>(m: PMap<V>, key: number, value: V, tag: number, edit: PMapEdit): PMap<V> {
  const r = adopt(edit, pmapSet(m, key, value, tag));
  let node = rootOf(r);
  edit.ownNode(node);
  for (let d = r.height; d > 0; d--) {
    const inner = node as Inner<V>;
    node = inner.kids[childIndex(inner.seps, key)]!;
    edit.ownNode(node);
  }
  return r;
}

/** pmapDelete() that may change in place the nodes `edit` owns (see PMapEdit). */
export function pmapDeleteIn<V>(m: PMap<V>, key: number, edit: PMapEdit): PMap<V> {
  edit.lastMap = null;
  edit.lastChunk = null;
  let root = rootOf(m);
  let c = chunkIn(m, key, edit);
  const i = lowerBound(c.keys, key);
  if (c.keys[i] !== key) return m;
  // A chunk that would be underfull or empty is joined or dropped: the copying path.
  if (m.height > 0 && c.keys.length - 1 < CHUNK >>> 2) return adopt(edit, pmapDelete(m, key));
  if (c.owner !== edit) {
    const path = ownPath(m, key, edit);
    root = path.root;
    c = path.chunk;
  }
  removeKey(c.keys as number[], i);
  removeTag(c.tags as number[], i);
  removeRef(c.vals as V[], i);
  return madeBy(edit, m, root, m.height, m.size - 1);
}
