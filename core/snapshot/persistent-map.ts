// A persistent (immutable, structurally shared) ordered map from 40-bit integer keys to
// values, each entry with a small integer tag: a B+-tree whose leaves are chunks of up to
// 32 entries stored as three parallel arrays (keys, tags, values).
//
// Why not fib_trie's LC-trie? The kernel mutates its trie in place under RCU; the model
// must keep every earlier snapshot intact, so an update copies only the path from the
// root to the changed chunk (four nodes on a full table) and shares everything
// else. Why chunks rather than one object per entry (the 32-way trie this replaced)? A full
// table is 900,000 entries: visiting them as scattered objects cost ~160 ms, while chunks
// keep keys and tags in dense arrays (V8 stores an array of doubles, or of small integers,
// unboxed), so a walk or a bulk export (pmapColumns) reads memory in order, and the map
// takes ~35 bytes an entry instead of ~110 (1M random keys).
//
// Keys are ordered ascending, so an in-order walk yields ascending keys: fib-table.ts
// encodes (dst, 32 - plen) so that the walk is the kernel's dump order (address ascending,
// longer prefix first: fib_table_dump walks leaves by key and each leaf's aliases by
// suffix length). Tags are what fib-table.ts stores per prefix to compile without reading
// the values (a signature of the alias list's content); the map only keeps them.
//
// Shape: every chunk is at the same depth (`height` inner levels above them). An inner
// node holds its children and, per child but the first, the least key that child may hold
// (a separator: child c holds keys in [seps[c], seps[c + 1]); seps[0] is unused). A node's
// kind is known from its depth, so no node carries a type field.

/** Entries per chunk, at most. */
const CHUNK = 32;
/** Children per inner node, at most. */
const FANOUT = 32;

interface Chunk<V> {
  readonly keys: readonly number[];
  readonly tags: readonly number[];
  readonly vals: readonly V[];
}
interface Inner<V> {
  readonly seps: readonly number[];
  readonly kids: readonly Tree<V>[];
}
type Tree<V> = Chunk<V> | Inner<V>;

/** The map: a root, its height (inner levels above the chunks) and a size, all immutable. */
export interface PMap<V> {
  readonly root: Tree<V>;
  readonly height: number;
  readonly size: number;
}

const EMPTY_CHUNK: Chunk<never> = { keys: [], tags: [], vals: [] };

function rootOf<V>(m: PMap<V>): Tree<V> {
  return m.root;
}

function mk<V>(root: Tree<V>, height: number, size: number): PMap<V> {
  return { root, height, size };
}

/** The empty map. */
export function pmapEmpty<V>(): PMap<V> {
  return mk<V>(EMPTY_CHUNK, 0, 0);
}

/** First index i with keys[i] >= key (keys.length when none). */
function lowerBound(keys: readonly number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The child of an inner node whose range holds key. */
function childIndex(seps: readonly number[], key: number): number {
  let lo = 1;
  let hi = seps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seps[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function chunkAt<V>(m: PMap<V>, key: number): Chunk<V> {
  let node = rootOf(m);
  for (let d = m.height; d > 0; d--) {
    const inner = node as Inner<V>;
    node = inner.kids[childIndex(inner.seps, key)]!;
  }
  return node as Chunk<V>;
}

/** The value stored under key, or undefined. */
export function pmapGet<V>(m: PMap<V>, key: number): V | undefined {
  const c = chunkAt(m, key);
  lastGet = m;
  lastGetKey = key;
  lastGetChunk = c;
  const i = lowerBound(c.keys, key);
  return c.keys[i] === key ? c.vals[i] : undefined;
}

// The chunk the last pmapGet() found: an insert asks for the key it just read (the kernel's
// fib_table_insert() looks the leaf up, then changes it), and pmapSetIn() then need not
// walk down again. Valid only for that same map object and key, and forgotten by any update.
let lastGet: object | null = null;
let lastGetKey = 0;
let lastGetChunk: unknown = null;

/** The tag stored with key, or undefined when key is absent. */
export function pmapGetTag<V>(m: PMap<V>, key: number): number | undefined {
  const c = chunkAt(m, key);
  const i = lowerBound(c.keys, key);
  return c.keys[i] === key ? c.tags[i] : undefined;
}

// The results of setIn/deleteIn beyond the returned node, in module variables so that an
// update allocates nothing but the nodes it copies (single-threaded, never reentrant).
/** setIn: the right half when the node split, else null; its least key. */
let splitRight: unknown = null;
let splitKey = 0;
/** setIn: whether the key was new. */
let added = false;

// ES2023's copying array methods (Node >= 20; the project's lib is ES2022): V8 copies a
// packed array into an exactly sized one, several times faster than slice() + splice().
interface CopyingArray<T> {
  toSpliced(start: number, deleteCount: number, ...items: T[]): T[];
  with(index: number, value: T): T[];
}
function copying<T>(xs: readonly T[]): CopyingArray<T> {
  return xs as unknown as CopyingArray<T>;
}

function insertAt<T>(xs: readonly T[], i: number, x: T): T[] {
  return copying(xs).toSpliced(i, 0, x);
}

function replaceAt<T>(xs: readonly T[], i: number, x: T): T[] {
  return copying(xs).with(i, x);
}

/** setChunk: `last` is the map's last chunk, or one whose next sibling has room. */
function setChunk<V>(c: Chunk<V>, key: number, value: V, tag: number, last: boolean): Chunk<V> {
  const keys = c.keys;
  const n = keys.length;
  const i = lowerBound(keys, key);
  if (i < n && keys[i] === key) {
    if (c.vals[i] === value && c.tags[i] === tag) return c;
    return { keys, tags: c.tags[i] === tag ? c.tags : replaceAt(c.tags, i, tag), vals: replaceAt(c.vals, i, value) };
  }
  added = true;
  if (n < CHUNK) return { keys: insertAt(keys, i, key), tags: insertAt(c.tags, i, tag), vals: insertAt(c.vals, i, value) };
  // Full: split where the chunks stay full when keys come mostly in order, as when a table
  // is loaded in address order (longer prefixes at one address go a few keys before the
  // last). A key that goes among the last 8: the chunk keeps all but its last entry when it
  // is the map's last chunk or its next sibling has room (setIn then joins the two: the
  // entry spills over, as in a B*-tree), else it splits where the key goes. Anywhere else
  // (random keys), split in the middle: spilling there too would copy the sibling as well
  // on most inserts into a full chunk.
  const at = i >= n - 8 ? (last ? n : i) : n >>> 1;
  const ks = insertAt(keys, i, key);
  const ts = insertAt(c.tags, i, tag);
  const vs = insertAt(c.vals, i, value);
  const right: Chunk<V> = { keys: ks.slice(at), tags: ts.slice(at), vals: vs.slice(at) };
  splitRight = right;
  splitKey = ks[at]!;
  ks.length = at;
  ts.length = at;
  vs.length = at;
  return { keys: ks, tags: ts, vals: vs };
}

function setIn<V>(node: Tree<V>, depth: number, key: number, value: V, tag: number, last: boolean): Tree<V> {
  if (depth === 0) return setChunk(node as Chunk<V>, key, value, tag, last);
  const inner = node as Inner<V>;
  const c = childIndex(inner.seps, key);
  const kid = inner.kids[c]!;
  const lastKid = c === inner.kids.length - 1;
  // A full chunk whose next sibling has room spills its last entry there (see setChunk).
  const spill = depth === 1 ? (last && lastKid) || (!lastKid && (inner.kids[c + 1] as Chunk<V>).keys.length < CHUNK) : last && lastKid;
  const sub = setIn(kid, depth - 1, key, value, tag, spill);
  if (sub === kid) return node;
  if (splitRight === null) return { seps: inner.seps, kids: replaceAt(inner.kids, c, sub) };
  const right = splitRight as Tree<V>;
  splitRight = null;
  const next = inner.kids[c + 1];
  if (next !== undefined && entriesOf(right, depth - 1) + entriesOf(next, depth - 1) <= (depth === 1 ? CHUNK : FANOUT)) {
    // The right half fits with its next sibling: join them rather than add a child.
    const joined = join(right, next, depth - 1, inner.seps[c + 1]!);
    return { seps: replaceAt(inner.seps, c + 1, splitKey), kids: copying(inner.kids).toSpliced(c, 2, sub, joined) };
  }
  const kids = copying(inner.kids).toSpliced(c, 1, sub, right);
  const seps = insertAt(inner.seps, c + 1, splitKey);
  if (kids.length <= FANOUT) return { seps, kids };
  const at = last ? kids.length - 1 : c + 1 >= kids.length - 3 ? c + 1 : kids.length >>> 1;
  splitRight = { seps: seps.slice(at), kids: kids.slice(at) };
  splitKey = seps[at]!;
  seps.length = at;
  kids.length = at;
  return { seps, kids };
}

/** A map with key set to value (and tag, default 0); the same map when nothing changes. */
export function pmapSet<V>(m: PMap<V>, key: number, value: V, tag = 0): PMap<V> {
  lastGet = null;
  added = false;
  splitRight = null;
  const old = rootOf(m);
  let root = setIn(old, m.height, key, value, tag, true);
  if (root === old) return m;
  let height = m.height;
  if (splitRight !== null) {
    root = { seps: [0, splitKey], kids: [root, splitRight as Tree<V>] };
    splitRight = null;
    height++;
  }
  return mk(root, height, m.size + (added ? 1 : 0));
}

function removeAt<T>(xs: readonly T[], i: number): T[] {
  return copying(xs).toSpliced(i, 1);
}

function entriesOf<V>(t: Tree<V>, depth: number): number {
  return depth === 0 ? (t as Chunk<V>).keys.length : (t as Inner<V>).kids.length;
}

/** Two neighbouring nodes of one depth as one (their entries or children fit in one). */
function join<V>(a: Tree<V>, b: Tree<V>, depth: number, sepB: number): Tree<V> {
  if (depth === 0) {
    const x = a as Chunk<V>;
    const y = b as Chunk<V>;
    return { keys: x.keys.concat(y.keys), tags: x.tags.concat(y.tags), vals: x.vals.concat(y.vals) };
  }
  const x = a as Inner<V>;
  const y = b as Inner<V>;
  const seps = x.seps.concat(y.seps);
  seps[x.seps.length] = sepB;
  return { seps, kids: x.kids.concat(y.kids) };
}

/** deleteIn: undefined when key is absent (no change), else the new node (possibly empty). */
function deleteIn<V>(node: Tree<V>, depth: number, key: number): Tree<V> | undefined {
  if (depth === 0) {
    const c = node as Chunk<V>;
    const i = lowerBound(c.keys, key);
    if (c.keys[i] !== key) return undefined;
    return { keys: removeAt(c.keys, i), tags: removeAt(c.tags, i), vals: removeAt(c.vals, i) };
  }
  const inner = node as Inner<V>;
  const c = childIndex(inner.seps, key);
  const sub = deleteIn(inner.kids[c]!, depth - 1, key);
  if (sub === undefined) return undefined;
  const kids = inner.kids;
  const n = entriesOf(sub, depth - 1);
  const cap = depth === 1 ? CHUNK : FANOUT;
  if (n === 0) return { seps: removeAt(inner.seps, c), kids: removeAt(kids, c) };
  if (n < cap >>> 2 && kids.length > 1) {
    // Underfull: join with a neighbour when both fit in one node (else leave it, smaller).
    const lo = c + 1 < kids.length ? c : c - 1;
    const left = lo === c ? sub : kids[lo]!;
    const right = lo === c ? kids[lo + 1]! : sub;
    if (entriesOf(left, depth - 1) + entriesOf(right, depth - 1) <= cap) {
      return { seps: removeAt(inner.seps, lo + 1), kids: copying(kids).toSpliced(lo, 2, join(left, right, depth - 1, inner.seps[lo + 1]!)) };
    }
  }
  return { seps: inner.seps, kids: replaceAt(kids, c, sub) };
}

/** A map without key; the same map when key is absent. */
export function pmapDelete<V>(m: PMap<V>, key: number): PMap<V> {
  lastGet = null;
  let root = deleteIn(rootOf(m), m.height, key);
  if (root === undefined) return m;
  let height = m.height;
  // Collapse roots with one child (or none).
  while (height > 0) {
    const inner = root as Inner<V>;
    if (inner.kids.length > 1) break;
    root = inner.kids.length === 1 ? inner.kids[0]! : EMPTY_CHUNK;
    height--;
  }
  return mk(root, height, m.size - 1);
}

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

  /** Whether this edit may change `x` in place. */
  owns(x: object): boolean {
    return this.owned.has(x);
  }

  /** Marks `x` (just made by the caller) as this edit's. */
  own<T extends object>(x: T): T {
    this.owned.add(x);
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
  return { keys: c.keys.slice(), tags: c.tags.slice(), vals: c.vals.slice() };
}

/** A copy of an inner node, it and its separators the edit's (splitInPlace may add to them). */
function ownedCopy<V>(n: Inner<V>, edit: PMapEdit): Inner<V> {
  return edit.own({ seps: edit.own(n.seps.slice()), kids: n.kids.slice() });
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

/**
 * pmapSet() that may change in place the nodes `edit` owns (see PMapEdit): the result is a
 * new map object whenever something changed, as with pmapSet().
 */
export function pmapSetIn<V>(m: PMap<V>, key: number, value: V, tag: number, edit: PMapEdit): PMap<V> {
  // A node an edit owns is reachable only from versions that edit made, of which only the
  // newest is valid: its chunk can be changed in place whoever owns the nodes above it.
  let root = rootOf(m);
  let c = m === lastGet && key === lastGetKey ? (lastGetChunk as Chunk<V>) : chunkAt(m, key);
  lastGet = null;
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
  const right: Chunk<V> = edit.own({ keys: keys.slice(at), tags: c.tags.slice(at), vals: c.vals.slice(at) });
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
  lastGet = null;
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

function eachIn<V>(t: Tree<V>, depth: number, fn: (key: number, value: V, tag: number) => void): void {
  if (depth === 0) {
    const c = t as Chunk<V>;
    const { keys, tags, vals } = c;
    for (let i = 0; i < keys.length; i++) fn(keys[i]!, vals[i]!, tags[i]!);
    return;
  }
  const kids = (t as Inner<V>).kids;
  for (let i = 0; i < kids.length; i++) eachIn(kids[i]!, depth - 1, fn);
}

/** Calls fn for every entry in ascending key order (no generator: ~10 ns an entry). */
export function pmapForEach<V>(m: PMap<V>, fn: (key: number, value: V, tag: number) => void): void {
  eachIn(rootOf(m), m.height, fn);
}

function rangeIn<V>(t: Tree<V>, depth: number, lo: number, hi: number, fn: (key: number, value: V, tag: number) => void): void {
  if (depth === 0) {
    const { keys, tags, vals } = t as Chunk<V>;
    for (let i = lowerBound(keys, lo); i < keys.length && keys[i]! < hi; i++) fn(keys[i]!, vals[i]!, tags[i]!);
    return;
  }
  const { seps, kids } = t as Inner<V>;
  for (let c = childIndex(seps, lo); c < kids.length && (c === 0 || seps[c]! < hi); c++) rangeIn(kids[c]!, depth - 1, lo, hi, fn);
}

/** Calls fn for every entry with lo <= key < hi, in ascending key order. */
export function pmapForEachRange<V>(m: PMap<V>, lo: number, hi: number, fn: (key: number, value: V, tag: number) => void): void {
  if (lo < hi) rangeIn(rootOf(m), m.height, lo, hi, fn);
}

function columnsIn<V>(t: Tree<V>, depth: number, keys: Float64Array, tags: Int32Array, at: number): number {
  if (depth === 0) {
    // An element loop: TypedArray.set() from a small JS array costs more per call.
    const ks = (t as Chunk<V>).keys;
    const ts = (t as Chunk<V>).tags;
    for (let i = 0; i < ks.length; i++) {
      keys[at + i] = ks[i]!;
      tags[at + i] = ts[i]!;
    }
    return at + ks.length;
  }
  const kids = (t as Inner<V>).kids;
  for (let i = 0; i < kids.length; i++) at = columnsIn(kids[i]!, depth - 1, keys, tags, at);
  return at;
}

/**
 * Every key and tag, ascending by key, as two columns of m.size entries (copied chunk by
 * chunk): what a compile reads of a table without touching the values.
 */
export function pmapColumns<V>(m: PMap<V>): { readonly keys: Float64Array; readonly tags: Int32Array } {
  const keys = new Float64Array(m.size);
  const tags = new Int32Array(m.size);
  columnsIn(rootOf(m), m.height, keys, tags, 0);
  return { keys, tags };
}

function chunksIn<V>(t: Tree<V>, depth: number, fn: (keys: readonly number[], tags: readonly number[]) => void): void {
  if (depth === 0) {
    const c = t as Chunk<V>;
    if (c.keys.length > 0) fn(c.keys, c.tags);
    return;
  }
  const kids = (t as Inner<V>).kids;
  for (let i = 0; i < kids.length; i++) chunksIn(kids[i]!, depth - 1, fn);
}

/**
 * Calls fn with the keys and tags of each chunk in ascending key order (the map's own
 * arrays, read-only and only during the call): a bulk read with no copy, for callers that
 * convert keys as they go (pmapColumns copies them).
 */
export function pmapForEachChunk<V>(m: PMap<V>, fn: (keys: readonly number[], tags: readonly number[]) => void): void {
  chunksIn(rootOf(m), m.height, fn);
}

/** Every entry in ascending key order. */
export function* pmapEntries<V>(m: PMap<V>): Generator<[number, V]> {
  const chunks: Chunk<V>[] = [];
  eachChunk(rootOf(m), m.height, chunks);
  for (const c of chunks) for (let i = 0; i < c.keys.length; i++) yield [c.keys[i]!, c.vals[i]!];
}

function eachChunk<V>(t: Tree<V>, depth: number, out: Chunk<V>[]): void {
  if (depth === 0) out.push(t as Chunk<V>);
  else for (const k of (t as Inner<V>).kids) eachChunk(k, depth - 1, out);
}

/**
 * A position in a map: the path from the root to an entry, index per depth. Moving past a
 * whole subtree (skip) is what lets a diff pass over what two versions share.
 */
class Cursor<V> {
  /** nodes[0] is the root; nodes[h] the chunk. */
  readonly nodes: Tree<V>[];
  readonly idx: number[];
  done: boolean;

  constructor(
    root: Tree<V>,
    readonly h: number,
  ) {
    this.nodes = new Array<Tree<V>>(h + 1);
    this.idx = new Array<number>(h + 1).fill(0);
    this.nodes[0] = root;
    this.done = false;
    this.descend(0);
  }

  /** Fills the nodes below depth d with the leftmost path from child idx[d] of nodes[d]. */
  private descend(d: number): void {
    for (let e = d; e < this.h; e++) {
      this.nodes[e + 1] = (this.nodes[e] as Inner<V>).kids[this.idx[e]!]!;
      this.idx[e + 1] = 0;
    }
    if ((this.nodes[this.h] as Chunk<V>).keys.length === 0) this.up(this.h);
  }

  /** Moves to the first entry after the subtree nodes[d]. */
  up(d: number): void {
    for (let e = d - 1; e >= 0; e--) {
      const kids = (this.nodes[e] as Inner<V>).kids;
      if (this.idx[e]! + 1 < kids.length) {
        this.idx[e]!++;
        this.descend(e);
        return;
      }
    }
    this.done = true;
  }

  get chunk(): Chunk<V> {
    return this.nodes[this.h] as Chunk<V>;
  }

  get key(): number {
    return this.chunk.keys[this.idx[this.h]!]!;
  }

  get value(): V {
    return this.chunk.vals[this.idx[this.h]!]!;
  }

  next(): void {
    const h = this.h;
    if (this.idx[h]! + 1 < this.chunk.keys.length) this.idx[h]!++;
    else this.up(h);
  }

  /** The depth of the highest subtree that starts at the current entry (which starts a chunk). */
  topStart(): number {
    let d = this.h;
    while (d > 0 && this.idx[d - 1]! === 0) d--;
    return d;
  }
}

/**
 * The keys whose values differ between two versions of a map (added, removed or
 * changed), in ascending order. Subtrees the versions share are skipped, so the cost is
 * proportional to what changed (times a chunk), not to the size of the map.
 */
export function* pmapDiff<V>(a: PMap<V>, b: PMap<V>): Generator<{ key: number; before: V | undefined; after: V | undefined }> {
  if (rootOf(a) === rootOf(b)) return;
  const x = new Cursor<V>(rootOf(a), a.height);
  const y = new Cursor<V>(rootOf(b), b.height);
  while (!x.done && !y.done) {
    const kx = x.key;
    const ky = y.key;
    if (kx < ky) {
      yield { key: kx, before: x.value, after: undefined };
      x.next();
    } else if (ky < kx) {
      yield { key: ky, before: undefined, after: y.value };
      y.next();
    } else {
      // Same key: when a subtree starts here on both sides and is the same node, skip it.
      if (shared(x, y)) continue;
      const vx = x.value;
      const vy = y.value;
      if (vx !== vy) yield { key: kx, before: vx, after: vy };
      x.next();
      y.next();
    }
  }
  for (; !x.done; x.next()) yield { key: x.key, before: x.value, after: undefined };
  for (; !y.done; y.next()) yield { key: y.key, before: undefined, after: y.value };
}

/** Skips the largest subtree both cursors start with, if any; whether one was skipped. */
function shared<V>(x: Cursor<V>, y: Cursor<V>): boolean {
  if (x.idx[x.h] !== 0 || y.idx[y.h] !== 0) return false;
  const tx = x.topStart();
  const ty = y.topStart();
  for (let d = tx; d <= x.h; d++) {
    const node = x.nodes[d];
    for (let e = ty; e <= y.h; e++) {
      if (y.nodes[e] === node) {
        x.up(d);
        y.up(e);
        return true;
      }
    }
  }
  return false;
}

/**
 * A map of entries given in ascending key order, built bottom up (full chunks and nodes):
 * for a table rebuilt in bulk (fib_table_flush() of most of its routes), in time linear in
 * what is kept rather than a path copy per deleted key.
 */
export function pmapFromSorted<V>(keys: readonly number[], tags: readonly number[], vals: readonly V[]): PMap<V> {
  const n = keys.length;
  if (n === 0) return pmapEmpty<V>();
  let level: Tree<V>[] = [];
  let mins: number[] = [];
  for (let i = 0; i < n; i += CHUNK) {
    const j = Math.min(n, i + CHUNK);
    level.push({ keys: keys.slice(i, j), tags: tags.slice(i, j), vals: vals.slice(i, j) });
    mins.push(keys[i]!);
  }
  let height = 0;
  while (level.length > 1) {
    const next: Tree<V>[] = [];
    const nextMins: number[] = [];
    for (let i = 0; i < level.length; i += FANOUT) {
      const j = Math.min(level.length, i + FANOUT);
      next.push({ seps: mins.slice(i, j), kids: level.slice(i, j) });
      nextMins.push(mins[i]!);
    }
    level = next;
    mins = nextMins;
    height++;
  }
  return mk(level[0]!, height, n);
}
