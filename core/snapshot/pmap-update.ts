// The persistent map's reads and copying updates (see persistent-map.ts for the shape):
// pmapGet/pmapSet/pmapDelete copy only the path from the root to the changed chunk, so
// every earlier version stays intact. fib_trie.c's fib_insert_alias()/fib_remove_alias()
// change the trie in place under RCU; the model keeps each snapshot instead.

import { CHUNK, EMPTY_CHUNK, FANOUT, chunk, inner as innerNode, chunkAt, copying, entriesOf, insertAt, join, lowerBound, childIndex, mk, pmapEmpty, removeAt, replaceAt, rootOf, type Chunk, type Inner, type PMap, type Tree } from './_pmap-node.js';

/** The value stored under key, or undefined. */
export function pmapGet<V>(m: PMap<V>, key: number): V | undefined {
  const c = chunkAt(m, key);
  const i = lowerBound(c.keys, key);
  return c.keys[i] === key ? c.vals[i] : undefined;
}


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

/** setChunk: `last` is the map's last chunk, or one whose next sibling has room. */
function setChunk<V>(c: Chunk<V>, key: number, value: V, tag: number, last: boolean): Chunk<V> {
  const keys = c.keys;
  const n = keys.length;
  const i = lowerBound(keys, key);
  if (i < n && keys[i] === key) {
    if (c.vals[i] === value && c.tags[i] === tag) return c;
    return chunk(keys, c.tags[i] === tag ? c.tags : replaceAt(c.tags, i, tag), replaceAt(c.vals, i, value));
  }
  added = true;
  if (n < CHUNK) return chunk(insertAt(keys, i, key), insertAt(c.tags, i, tag), insertAt(c.vals, i, value));
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
  const right: Chunk<V> = chunk(ks.slice(at), ts.slice(at), vs.slice(at));
  splitRight = right;
  splitKey = ks[at]!;
  ks.length = at;
  ts.length = at;
  vs.length = at;
  return chunk(ks, ts, vs);
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
  if (splitRight === null) return innerNode(inner.seps, replaceAt(inner.kids, c, sub));
  const right = splitRight as Tree<V>;
  splitRight = null;
  const next = inner.kids[c + 1];
  if (next !== undefined && entriesOf(right, depth - 1) + entriesOf(next, depth - 1) <= (depth === 1 ? CHUNK : FANOUT)) {
    // The right half fits with its next sibling: join them rather than add a child.
    const joined = join(right, next, depth - 1, inner.seps[c + 1]!);
    return innerNode(replaceAt(inner.seps, c + 1, splitKey), copying(inner.kids).toSpliced(c, 2, sub, joined));
  }
  const kids = copying(inner.kids).toSpliced(c, 1, sub, right);
  const seps = insertAt(inner.seps, c + 1, splitKey);
  if (kids.length <= FANOUT) return innerNode(seps, kids);
  const at = last ? kids.length - 1 : c + 1 >= kids.length - 3 ? c + 1 : kids.length >>> 1;
  splitRight = innerNode(seps.slice(at), kids.slice(at));
  splitKey = seps[at]!;
  seps.length = at;
  kids.length = at;
  return innerNode(seps, kids);
}

/** A map with key set to value (and tag, default 0); the same map when nothing changes. */
export function pmapSet<V>(m: PMap<V>, key: number, value: V, tag = 0): PMap<V> {
  added = false;
  splitRight = null;
  const old = rootOf(m);
  let root = setIn(old, m.height, key, value, tag, true);
  if (root === old) return m;
  let height = m.height;
  if (splitRight !== null) {
    root = innerNode([0, splitKey], [root, splitRight as Tree<V>]);
    splitRight = null;
    height++;
  }
  return mk(root, height, m.size + (added ? 1 : 0));
}

/** deleteIn: undefined when key is absent (no change), else the new node (possibly empty). */
function deleteIn<V>(node: Tree<V>, depth: number, key: number): Tree<V> | undefined {
  if (depth === 0) {
    const c = node as Chunk<V>;
    const i = lowerBound(c.keys, key);
    if (c.keys[i] !== key) return undefined;
    return chunk(removeAt(c.keys, i), removeAt(c.tags, i), removeAt(c.vals, i));
  }
  const inner = node as Inner<V>;
  const c = childIndex(inner.seps, key);
  const sub = deleteIn(inner.kids[c]!, depth - 1, key);
  if (sub === undefined) return undefined;
  const kids = inner.kids;
  const n = entriesOf(sub, depth - 1);
  const cap = depth === 1 ? CHUNK : FANOUT;
  if (n === 0) return innerNode(removeAt(inner.seps, c), removeAt(kids, c));
  if (n < cap >>> 2 && kids.length > 1) {
    // Underfull: join with a neighbour when both fit in one node (else leave it, smaller).
    const lo = c + 1 < kids.length ? c : c - 1;
    const left = lo === c ? sub : kids[lo]!;
    const right = lo === c ? kids[lo + 1]! : sub;
    if (entriesOf(left, depth - 1) + entriesOf(right, depth - 1) <= cap) {
      return innerNode(removeAt(inner.seps, lo + 1), copying(kids).toSpliced(lo, 2, join(left, right, depth - 1, inner.seps[lo + 1]!)));
    }
  }
  return innerNode(inner.seps, replaceAt(kids, c, sub));
}

/** A map without key; the same map when key is absent. */
export function pmapDelete<V>(m: PMap<V>, key: number): PMap<V> {
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
    level.push(chunk(keys.slice(i, j), tags.slice(i, j), vals.slice(i, j)));
    mins.push(keys[i]!);
  }
  let height = 0;
  while (level.length > 1) {
    const next: Tree<V>[] = [];
    const nextMins: number[] = [];
    for (let i = 0; i < level.length; i += FANOUT) {
      const j = Math.min(level.length, i + FANOUT);
      next.push(innerNode(mins.slice(i, j), level.slice(i, j)));
      nextMins.push(mins[i]!);
    }
    level = next;
    mins = nextMins;
    height++;
  }
  return mk(level[0]!, height, n);
}
