// The keys that differ between two versions of a persistent map, skipping the subtrees they
// share: what a snapshot diff (and an incremental compile) asks of two tables. The kernel
// has no counterpart: it keeps one version and notifies each change as it makes it.

import { rootOf, type Chunk, type Inner, type PMap, type Tree } from './_pmap-node.js';

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
