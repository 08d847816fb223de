// A persistent (immutable, structurally shared) ordered map from 40-bit integer keys
// to values: a bitmap-indexed trie with 32-way branching, eight levels of five bits.
//
// Why not fib_trie's LC-trie? The kernel mutates its trie in place under RCU; the model
// must keep every earlier snapshot intact, so an update copies only the path from the
// root to the changed leaf (at most eight small nodes) and shares everything else.
// Keys are ordered most-significant chunk first, so an in-order walk yields ascending
// keys: fib-table.ts encodes (dst, 32 - plen) so that the walk is the kernel's dump order
// (address ascending, longer prefix first: fib_table_dump walks leaves by key and each
// leaf's aliases by suffix length).

const LEVELS = 8;
const BITS = 5;

interface Leaf<V> {
  readonly key: number;
  readonly value: V;
}
interface Node<V> {
  readonly bitmap: number;
  readonly slots: readonly Slot<V>[];
}
type Slot<V> = Leaf<V> | Node<V>;

/** The map: a root node and a size, both immutable. */
export interface PMap<V> {
  readonly root: Node<V>;
  readonly size: number;
}

const EMPTY_NODE: Node<never> = { bitmap: 0, slots: [] };

/** The empty map. */
export function pmapEmpty<V>(): PMap<V> {
  return { root: EMPTY_NODE, size: 0 };
}

function isLeaf<V>(s: Slot<V>): s is Leaf<V> {
  return 'key' in s;
}

function chunk(key: number, level: number): number {
  // key < 2^40; level 0 takes bits 39..35. Split once into the high 32 bits and the low
  // 8 (ToInt32 keeps the low 32 bits of a 40-bit integer exactly), then shift: no float
  // division on the hot path.
  const hi = Math.floor(key / 256) >>> 0;
  const lo = key & 0xff;
  if (level < 6) return (hi >>> (27 - BITS * level)) & 31;
  if (level === 6) return ((hi & 3) << 3) | (lo >>> 5);
  return lo & 31;
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function slotIndex(bitmap: number, bit: number): number {
  return popcount(bitmap & ((1 << bit) - 1));
}

/** The value stored under key, or undefined. */
export function pmapGet<V>(m: PMap<V>, key: number): V | undefined {
  let node: Node<V> = m.root;
  const hi = Math.floor(key / 256) >>> 0;
  const lo = key & 0xff;
  for (let level = 0; level < LEVELS; level++) {
    const bit = level < 6 ? (hi >>> (27 - BITS * level)) & 31 : level === 6 ? ((hi & 3) << 3) | (lo >>> 5) : lo & 31;
    if ((node.bitmap & (1 << bit)) === 0) return undefined;
    const s = node.slots[slotIndex(node.bitmap, bit)];
    if (s === undefined) return undefined;
    if (isLeaf(s)) return s.key === key ? s.value : undefined;
    node = s;
  }
  return undefined;
}

function pair<V>(a: Leaf<V>, b: Leaf<V>, level: number): Node<V> {
  const ca = chunk(a.key, level);
  const cb = chunk(b.key, level);
  if (ca === cb) {
    return { bitmap: (1 << ca) >>> 0, slots: [pair(a, b, level + 1)] };
  }
  return ca < cb
    ? { bitmap: ((1 << ca) | (1 << cb)) >>> 0, slots: [a, b] }
    : { bitmap: ((1 << ca) | (1 << cb)) >>> 0, slots: [b, a] };
}

function setIn<V>(node: Node<V>, key: number, value: V, level: number, added: { n: number }): Node<V> {
  const bit = chunk(key, level);
  const mask = (1 << bit) >>> 0;
  const idx = slotIndex(node.bitmap, bit);
  if ((node.bitmap & mask) === 0) {
    added.n = 1;
    const slots = node.slots.slice();
    slots.splice(idx, 0, { key, value });
    return { bitmap: (node.bitmap | mask) >>> 0, slots };
  }
  const s = node.slots[idx] as Slot<V>;
  let next: Slot<V>;
  if (isLeaf(s)) {
    if (s.key === key) {
      if (s.value === value) return node;
      next = { key, value };
    } else {
      added.n = 1;
      next = pair(s, { key, value }, level + 1);
    }
  } else {
    const sub = setIn(s, key, value, level + 1, added);
    if (sub === s) return node;
    next = sub;
  }
  const slots = node.slots.slice();
  slots[idx] = next;
  return { bitmap: node.bitmap, slots };
}

/** A map with key set to value; the same map when nothing changes. */
export function pmapSet<V>(m: PMap<V>, key: number, value: V): PMap<V> {
  const added = { n: 0 };
  const root = setIn(m.root, key, value, 0, added);
  return root === m.root ? m : { root, size: m.size + added.n };
}

function deleteIn<V>(node: Node<V>, key: number, level: number): Slot<V> | null | undefined {
  // undefined: key absent (no change); null: node became empty; else the new slot.
  const bit = chunk(key, level);
  const mask = (1 << bit) >>> 0;
  if ((node.bitmap & mask) === 0) return undefined;
  const idx = slotIndex(node.bitmap, bit);
  const s = node.slots[idx] as Slot<V>;
  let replacement: Slot<V> | null;
  if (isLeaf(s)) {
    if (s.key !== key) return undefined;
    replacement = null;
  } else {
    const r = deleteIn(s, key, level + 1);
    if (r === undefined) return undefined;
    replacement = r;
  }
  const slots = node.slots.slice();
  let bitmap = node.bitmap;
  if (replacement === null) {
    slots.splice(idx, 1);
    bitmap = (bitmap & ~mask) >>> 0;
  } else {
    slots[idx] = replacement;
  }
  if (slots.length === 0) return null;
  // Collapse a node holding a single leaf into that leaf, so that shapes stay canonical.
  if (slots.length === 1 && level > 0) {
    const only = slots[0] as Slot<V>;
    if (isLeaf(only)) return only;
  }
  return { bitmap, slots };
}

/** A map without key; the same map when key is absent. */
export function pmapDelete<V>(m: PMap<V>, key: number): PMap<V> {
  const r = deleteIn(m.root, key, 0);
  if (r === undefined) return m;
  if (r === null) return { root: EMPTY_NODE, size: 0 };
  const root: Node<V> = isLeaf(r) ? { bitmap: (1 << chunk(r.key, 0)) >>> 0, slots: [r] } : r;
  return { root, size: m.size - 1 };
}

/** Every entry in ascending key order. */
export function* pmapEntries<V>(m: PMap<V>): Generator<[number, V]> {
  const stack: { node: Node<V>; i: number }[] = [{ node: m.root, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { node: Node<V>; i: number };
    if (top.i >= top.node.slots.length) {
      stack.pop();
      continue;
    }
    const s = top.node.slots[top.i++] as Slot<V>;
    if (isLeaf(s)) yield [s.key, s.value];
    else stack.push({ node: s, i: 0 });
  }
}

/**
 * The keys whose values differ between two versions of a map (added, removed or
 * changed), in ascending order. Subtrees the versions share are skipped, so the cost is
 * proportional to what changed, not to the size of the map.
 */
export function* pmapDiff<V>(a: PMap<V>, b: PMap<V>): Generator<{ key: number; before: V | undefined; after: V | undefined }> {
  yield* diffSlots<V>(a.root, b.root);
}

function* collect<V>(s: Slot<V>, side: 'before' | 'after'): Generator<{ key: number; before: V | undefined; after: V | undefined }> {
  if (isLeaf(s)) {
    yield side === 'before' ? { key: s.key, before: s.value, after: undefined } : { key: s.key, before: undefined, after: s.value };
    return;
  }
  for (const c of s.slots) yield* collect(c, side);
}

function* diffSlots<V>(x: Slot<V> | undefined, y: Slot<V> | undefined): Generator<{ key: number; before: V | undefined; after: V | undefined }> {
  if (x === y) return;
  if (x === undefined) {
    if (y !== undefined) yield* collect(y, 'after');
    return;
  }
  if (y === undefined) {
    yield* collect(x, 'before');
    return;
  }
  if (isLeaf(x) || isLeaf(y)) {
    // Different shapes: compare as sorted entry lists (small: at least one side is a leaf).
    const xs = [...collect(x, 'before')];
    const ys = [...collect(y, 'after')];
    const ym = new Map(ys.map((e) => [e.key, e.after]));
    const xm = new Map(xs.map((e) => [e.key, e.before]));
    const keys = [...new Set([...xm.keys(), ...ym.keys()])].sort((p, q) => p - q);
    for (const k of keys) {
      const before = xm.get(k);
      const after = ym.get(k);
      if (before !== after) yield { key: k, before, after };
    }
    return;
  }
  for (let bit = 0; bit < 32; bit++) {
    const m = (1 << bit) >>> 0;
    const xs = (x.bitmap & m) !== 0 ? x.slots[slotIndex(x.bitmap, bit)] : undefined;
    const ys = (y.bitmap & m) !== 0 ? y.slots[slotIndex(y.bitmap, bit)] : undefined;
    yield* diffSlots(xs, ys);
  }
}
