// The persistent map's nodes (see persistent-map.ts): the chunk and inner node shapes, the
// descent from the root to the chunk that holds a key, and the copying array helpers every
// update shares. Internal to the map's modules (`_` prefix): nothing outside snapshot/pmap-*
// sees a node. The kernel's counterpart is fib_trie.c's tnode/key_vector, walked by
// fib_find_node(); here a B+-tree, because every earlier version must stay intact.

/** Entries per chunk, at most. */
export const CHUNK = 32;
/** Children per inner node, at most. */
export const FANOUT = 32;

export interface Chunk<V> {
  readonly keys: readonly number[];
  readonly tags: readonly number[];
  readonly vals: readonly V[];
  /**
   * The edit (pmap-edit.ts, PMapEdit) that may change this node in place, or null: set when
   * an edit makes or copies the node, never by the copying updates. A field rather than a
   * WeakSet of the edit's nodes: an in-place update asks about the nodes of its path, and a
   * WeakSet lookup (or add) each was a few percent of a replay.
   */
  readonly owner: object | null;
}
export interface Inner<V> {
  readonly seps: readonly number[];
  readonly kids: readonly Tree<V>[];
  /** As Chunk.owner. */
  readonly owner: object | null;
}
export type Tree<V> = Chunk<V> | Inner<V>;

// Nodes are made by `new`, never as object literals. Why: V8 tracks an allocation site per
// literal and, when most objects from a site outlive a scavenge, allocates that site's
// objects straight in the old generation from then on (allocation-site pretenuring). The
// same node-copying code makes long-lived nodes while a checkpoint index is built and
// short-lived ones when an instant is replayed from a checkpoint later; with literals the
// second kind inherited the first kind's old-generation placement, and every young array
// such a node held survived the scavenges until a full collection (scavenges of 10-15 ms,
// and full collections, in the middle of instants). Constructor calls carry no such site.
class ChunkNode<V> implements Chunk<V> {
  owner: object | null = null;
  constructor(
    public keys: readonly number[],
    public tags: readonly number[],
    public vals: readonly V[],
  ) {}
}
class InnerNode<V> implements Inner<V> {
  owner: object | null = null;
  constructor(
    public seps: readonly number[],
    public kids: readonly Tree<V>[],
  ) {}
}

/** A chunk node (see ChunkNode for why not a literal). */
export function chunk<V>(keys: readonly number[], tags: readonly number[], vals: readonly V[]): Chunk<V> {
  return new ChunkNode(keys, tags, vals);
}

/** An inner node (see ChunkNode for why not a literal). */
export function inner<V>(seps: readonly number[], kids: readonly Tree<V>[]): Inner<V> {
  return new InnerNode(seps, kids);
}

/** The map: a root, its height (inner levels above the chunks) and a size, all immutable. */
export interface PMap<V> {
  readonly root: Tree<V>;
  readonly height: number;
  readonly size: number;
}

/**
 * An empty array whose elements are already of the kind `sample` has (V8's elements kinds only
 * ever widen: small integers, then doubles, then objects). Why: the in-place inserts
 * (pmap-edit.ts insertKey/insertRef) are compiled for arrays of doubles and of objects; the
 * first key put into a copy of an empty chunk made of `[]` literals (small integers) met them
 * with another array shape and threw their compiled code away, a few ms each time (seen as
 * the slowest instants of time travel, long after the indexing pass).
 */
function emptyOfKind<T>(sample: T): T[] {
  const xs = [sample];
  xs.length = 0;
  return xs;
}

export const EMPTY_CHUNK: Chunk<never> = chunk<never>(emptyOfKind(0.5), [], emptyOfKind<never>({} as never));

export function rootOf<V>(m: PMap<V>): Tree<V> {
  return m.root;
}

class PMapHead<V> implements PMap<V> {
  constructor(
    readonly root: Tree<V>,
    readonly height: number,
    readonly size: number,
  ) {}
}

export function mk<V>(root: Tree<V>, height: number, size: number): PMap<V> {
  return new PMapHead(root, height, size);
}

/** The empty map. */
export function pmapEmpty<V>(): PMap<V> {
  return mk<V>(EMPTY_CHUNK, 0, 0);
}

/** First index i with keys[i] >= key (keys.length when none). */
export function lowerBound(keys: readonly number[], key: number): number {
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
export function childIndex(seps: readonly number[], key: number): number {
  let lo = 1;
  let hi = seps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seps[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function chunkAt<V>(m: PMap<V>, key: number): Chunk<V> {
  let node = rootOf(m);
  for (let d = m.height; d > 0; d--) {
    const inner = node as Inner<V>;
    node = inner.kids[childIndex(inner.seps, key)]!;
  }
  return node as Chunk<V>;
}

// ES2023's copying array methods (Node >= 20; the project's lib is ES2022): V8 copies a
// packed array into an exactly sized one, several times faster than slice() + splice().
export interface CopyingArray<T> {
  toSpliced(start: number, deleteCount: number, ...items: T[]): T[];
  with(index: number, value: T): T[];
}
export function copying<T>(xs: readonly T[]): CopyingArray<T> {
  return xs as unknown as CopyingArray<T>;
}

export function insertAt<T>(xs: readonly T[], i: number, x: T): T[] {
  return copying(xs).toSpliced(i, 0, x);
}

export function replaceAt<T>(xs: readonly T[], i: number, x: T): T[] {
  return copying(xs).with(i, x);
}

export function removeAt<T>(xs: readonly T[], i: number): T[] {
  return copying(xs).toSpliced(i, 1);
}

export function entriesOf<V>(t: Tree<V>, depth: number): number {
  return depth === 0 ? (t as Chunk<V>).keys.length : (t as Inner<V>).kids.length;
}

/** Two neighbouring nodes of one depth as one (their entries or children fit in one). */
export function join<V>(a: Tree<V>, b: Tree<V>, depth: number, sepB: number): Tree<V> {
  if (depth === 0) {
    const x = a as Chunk<V>;
    const y = b as Chunk<V>;
    return chunk(x.keys.concat(y.keys), x.tags.concat(y.tags), x.vals.concat(y.vals));
  }
  const x = a as Inner<V>;
  const y = b as Inner<V>;
  const seps = x.seps.concat(y.seps);
  seps[x.seps.length] = sepB;
  return inner(seps, x.kids.concat(y.kids));
}
