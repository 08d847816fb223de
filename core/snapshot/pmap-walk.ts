// The persistent map's in-order walks and bulk exports: the kernel's fib_table_dump() walks
// its trie's leaves by key; these walk the chunks in ascending key order.

import { childIndex, lowerBound, rootOf, type Chunk, type Inner, type PMap, type Tree } from './_pmap-node.js';

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
