// A compact longest-prefix-match table: Poptrie-style leaf compression over DIR-8-8-8-8.
//
// Why: DIR-24-8 (dir24-8.ts) spends 64 MiB whatever the table holds, about 75 bytes per prefix
// on a full Internet table; the kernel's own fib_trie spends about 150. The issue targets at
// most 16. This layout keeps a direct-indexed top (Poptrie's "direct pointing", 16 bits) and
// stores each 256-way node below it as Poptrie does (Asai & Ohara, SIGCOMM 2015): a bitmap
// marks where a run of equal answers starts, and a popcount turns the address byte into an
// index into a dense array of run values.
//
// Measured here (AMD EPYC, 2 cores; bench/lpm.bench.ts) on the full table of 901,899
// prefixes: 7.1 bytes per prefix (6.1 MiB; DIR-24-8: 75.8), compile ~30-50 ms, one route
// event ~20 us median, and with the WebAssembly loop ~150 M lookups/s on one thread for
// table-drawn addresses, about DIR-24-8's rate, since it fits in the last-level cache. On a
// generated table whose prefixes are spread evenly over all /16s it needs 13.7 bytes per
// prefix and runs at about half DIR-24-8's rate.
//
//   | array  | entry                                       | read with                        |
//   |--------|---------------------------------------------|----------------------------------|
//   | dirs   | root: 256 block offsets; block: 256 entries | dirs[dirs[root + a>>>24] + b2]   |
//   |        | entry: a value (>= 0) or ~node (< 0)        |                                  |
//   | nodes  | 16 words: 8 x (run bitmap, leaf base)       | byte b: word b>>5, bit b&31      |
//   | leaves | a value (>= 0) or ~node (< 0, /25../32)     | base + popcount(bits <= b)       |
//
// A node is 64 bytes (one cache line). The leaf base stored per 32-bit word already counts the
// runs of the words before it, minus one, so a byte whose run began in an earlier word (no bit
// set at or below it in its own word) lands on that earlier run's leaf.
//
// Versions are persistent: dirs, nodes and leaves are append-only arenas. A change
// (applyPoptrieChanges) copies the 1 KiB root and each 1 KiB block it touches, rebuilds only
// the /16 subtrees it touches at the arenas' ends, and returns a version that differs from
// the last by its root offset. Earlier versions stay valid while workers read them; when
// garbage outgrows the live part, everything is rebuilt into fresh arenas (earlier versions
// keep the old ones). This mirrors fib_trie.c replacing a tnode under RCU and freeing the old
// one later (tnode_free()), except that nothing is freed in place.

import {
  checkPrefix,
  checkValue,
  indexColumns,
  sortByLength,
  toColumns,
  type ByLength,
  type Columns,
  type LpmChange,
  type LpmEntry,
  type PrefixIndex,
} from './_prefix-index.js';
import {
  heapAlloc,
  heapBuffer,
  newSharedHeap,
  regionOf,
  type HeapRegion,
  type SharedHeap,
  type WasmMemory,
} from './_shared-heap.js';
import type { LpmMemory } from './dir24-8.js';

const SLOTS = 1 << 16;
const NODE_WORDS = 16;
const BLOCK = 256;

/** The shared part of a poptrie version: what a worker attaches to. */
export interface PoptrieShared {
  readonly kind: 'poptrie';
  /** The heap (shared WebAssembly.Memory) holding the arrays, and its identity. */
  readonly heapId: number;
  readonly memory: WasmMemory;
  /** Index of this version's root in `dirs`. */
  readonly root: number;
  readonly dirs: HeapRegion;
  readonly nodes: HeapRegion;
  readonly leaves: HeapRegion;
}

/** One immutable version of a compiled poptrie. */
export interface PoptrieTable {
  readonly kind: 'poptrie';
  readonly heap: SharedHeap;
  readonly root: number;
  readonly dirs: Int32Array<SharedArrayBuffer>;
  readonly nodes: Int32Array<SharedArrayBuffer>;
  readonly leaves: Int32Array<SharedArrayBuffer>;
  /** Bookkeeping shared by the versions of one lineage; only the newest may be changed. */
  readonly aux: PoptrieAux;
}

/**
 * The append-only arrays of a lineage. While compiling they are plain arrays (heap null);
 * settle() moves them into a shared heap, after which growing allocates a new region there.
 */
interface Arena {
  heap: SharedHeap | null;
  dirs: Int32Array;
  nodes: Int32Array;
  leaves: Int32Array;
  dirsUsed: number;
  nodesUsed: number;
  leavesUsed: number;
  /** Bytes no longer reachable from the newest version. */
  garbageBytes: number;
}

/** The prefixes longer than /16 inside one /16, sorted by length. */
interface SlotList {
  prefixes: number[];
  lens: number[];
  values: number[];
}

/** Main-thread bookkeeping of a poptrie lineage. */
export interface PoptrieAux {
  /** Every prefix with its value; built on the first change. */
  index: PrefixIndex | null;
  /** The compiled prefixes, kept until the index is built from them (no duplicates when depth-first). */
  sorted: Columns | null;
  arena: Arena;
  /** Per /16: 1 + length of the longest prefix <= /16 covering it, 0 for none. */
  readonly slotLen: Uint8Array;
  /** Per /16: the value of that prefix (0 for none). */
  readonly slotVal: Int32Array;
  /** Per /16: arena nodes and leaves of its subtree (0 nodes: no subtree). */
  readonly slotNodes: Int32Array;
  readonly slotLeaves: Int32Array;
  /**
   * Long prefixes as compiled: columns grouped by /16 (`baseStart[s]..baseStart[s+1]`), in
   * length order, or (baseDfs) the compiled columns themselves in depth-first order, where
   * a slot's range may end with prefixes <= /16 of later slots (skipped).
   */
  readonly baseDfs: boolean;
  readonly baseStart: Int32Array;
  readonly basePrefixes: Int32Array;
  readonly baseLens: Uint8Array;
  readonly baseValues: Int32Array;
  /** Slots changed since compile, replacing their base columns. */
  readonly overlay: Map<number, SlotList>;
  head: PoptrieTable | null;
}

// The plain arrays a compile fills before settle() copies them into a shared heap, kept for
// the next compile: allocating (and later collecting) ~10 MB of them per full-table compile
// was what pushed V8 into a full garbage collection in the middle of a compile.
let scratchNodes: Int32Array = new Int32Array(0);
let scratchLeaves: Int32Array = new Int32Array(0);

function scratch(x: Int32Array, need: number): Int32Array {
  return x.length >= need ? x : new Int32Array(Math.ceil(need * 1.25));
}

/** An arena to compile into (over the scratch arrays; only until settle()). */
function newArena(dirCap: number, nodeCap: number, leafCap: number): Arena {
  scratchNodes = scratch(scratchNodes, nodeCap * NODE_WORDS);
  scratchLeaves = scratch(scratchLeaves, leafCap);
  return {
    heap: null,
    dirs: new Int32Array(dirCap),
    nodes: scratchNodes,
    leaves: scratchLeaves,
    dirsUsed: 0,
    nodesUsed: 0,
    leavesUsed: 0,
    garbageBytes: 0,
  };
}

/** `x` if it holds `need` int32s, else a 1.5x larger copy (in the heap once settled). */
function grown(a: Arena, x: Int32Array, used: number, need: number): Int32Array {
  if (need <= x.length) return x;
  const length = Math.ceil(need * 1.5);
  const bigger = a.heap ? heapAlloc(a.heap, length) : new Int32Array(length);
  bigger.set(x.subarray(0, used));
  if (a.heap) a.garbageBytes += x.byteLength;
  return bigger;
}

/** Appends `n` dirs entries (a root or a block), growing the arena; returns their index. */
function allocDirs(a: Arena, n: number): number {
  a.dirs = grown(a, a.dirs, a.dirsUsed, a.dirsUsed + n);
  const at = a.dirsUsed;
  a.dirsUsed += n;
  return at;
}

/** Room left for changes after a compile: 1/16 of nodes and leaves, 64 root+block copies. */
const SLACK = 1 / 16;
const DIRS_SLACK = 64 * 2 * BLOCK;

/** Moves a compiled arena into `heap`, sized to fit plus slack for later changes. */
function settle(a: Arena, heap: SharedHeap): void {
  const move = (x: Int32Array, used: number, extra: number): Int32Array => {
    const y = heapAlloc(heap, used + extra);
    y.set(x.subarray(0, used));
    return y;
  };
  // Keep what the compile grew as the next compile's scratch.
  if (a.nodes.length > scratchNodes.length) scratchNodes = a.nodes;
  if (a.leaves.length > scratchLeaves.length) scratchLeaves = a.leaves;
  a.dirs = move(a.dirs, a.dirsUsed, DIRS_SLACK);
  a.nodes = move(a.nodes, a.nodesUsed * NODE_WORDS, Math.ceil(a.nodesUsed * SLACK) * NODE_WORDS + NODE_WORDS);
  a.leaves = move(a.leaves, a.leavesUsed, Math.ceil(a.leavesUsed * SLACK) + 256);
  a.heap = heap;
}

/**
 * Appends one node for 256 child answers: a run bitmap and leaf base per 32 children, and one
 * leaf per run (a pointer to a deeper node is always a run of its own).
 */
function emitNode(a: Arena, child: Int32Array): number {
  a.nodes = grown(a, a.nodes, a.nodesUsed * NODE_WORDS, (a.nodesUsed + 1) * NODE_WORDS);
  a.leaves = grown(a, a.leaves, a.leavesUsed, a.leavesUsed + 256);
  const n = a.nodesUsed++;
  const { nodes, leaves } = a;
  const base = n * NODE_WORDS;
  let li = a.leavesUsed - 1;
  let prev = ~0;
  for (let w = 0; w < 8; w++) {
    nodes[base + 2 * w + 1] = li;
    let word = 0;
    for (let b = 0; b < 32; b++) {
      const v = child[(w << 5) | b]!;
      // prev starts as a pointer (< 0), so child 0 always opens a run.
      if (v !== prev || v < 0) {
        leaves[++li] = v;
        word |= 1 << b;
      }
      prev = v;
    }
    nodes[base + 2 * w] = word;
  }
  a.leavesUsed = li + 1;
  return n;
}

const level1 = new Int32Array(256);
const level2 = new Int32Array(256);

/**
 * Builds the subtree of one /16 from its long prefixes `[from, to)` (sorted by length) over
 * the default answer `dv`; returns the node index.
 *
 * 1. Fill the 256 children (one per third byte) with dv, then each /17../24 over its run.
 * 2. Group /25../32 by third byte; each group becomes a level-2 node over its child's answer.
 * 3. Compress the children into runs (emitNode).
 */
function buildSlot(
  a: Arena,
  dv: number,
  P: ArrayLike<number>,
  Ls: ArrayLike<number>,
  Vs: ArrayLike<number>,
  from: number,
  to: number,
): number {
  const child = level1;
  child.fill(dv);
  let k = from;
  for (; k < to && Ls[k]! <= 24; k++) {
    // A loop beats TypedArray.prototype.fill's call overhead on the short runs that dominate.
    const s = (P[k]! >>> 8) & 255;
    const e = s + (1 << (24 - Ls[k]!));
    const v = Vs[k]!;
    for (let c = s; c < e; c++) child[c] = v;
  }
  if (k < to) {
    // Few prefixes are longer than /24: order them by third byte, keeping length order
    // (Array.prototype.sort is stable, so a later duplicate still wins).
    const rest: number[] = [];
    for (let j = k; j < to; j++) rest.push(j);
    rest.sort((x, y) => ((P[x]! >>> 8) & 255) - ((P[y]! >>> 8) & 255) || Ls[x]! - Ls[y]!);
    let r = 0;
    while (r < rest.length) {
      const c = (P[rest[r]!]! >>> 8) & 255;
      const sub = level2;
      sub.fill(child[c]!);
      for (; r < rest.length && ((P[rest[r]!]! >>> 8) & 255) === c; r++) {
        const j = rest[r]!;
        const s = P[j]! & 255;
        sub.fill(Vs[j]!, s, s + (1 << (32 - Ls[j]!)));
      }
      child[c] = ~emitNode(a, sub);
    }
  }
  return emitNode(a, child);
}

/**
 * buildSlot() for prefixes in depth-first order (address ascending, shorter first), where
 * painting in input order is already right (a prefix comes after every prefix containing
 * it) and the /25../32 of one third byte are contiguous, after every shorter prefix over
 * them: one pass, no sort. Prefixes <= /16 (of later slots, at the range's end) are skipped.
 * Emits the same nodes in the same order as buildSlot() on the same prefixes.
 */
function buildSlotDfs(a: Arena, dv: number, P: Int32Array, Ls: Uint8Array, Vs: Int32Array, from: number, to: number): number {
  const child = level1;
  const m1 = marks1;
  child.fill(dv);
  m1[0] = 1;
  let k = from;
  while (k < to) {
    const len = Ls[k]!;
    if (len <= 24) {
      if (len > 16) {
        const s = (P[k]! >>> 8) & 255;
        const e = s + (1 << (24 - len));
        const v = Vs[k]!;
        for (let c = s; c < e; c++) child[c] = v;
        m1[s >>> 5]! |= 1 << (s & 31);
        if (e < 256) m1[e >>> 5]! |= 1 << (e & 31);
      }
      k++;
      continue;
    }
    const c = (P[k]! >>> 8) & 255;
    const sub = level2;
    const m2 = marks2;
    sub.fill(child[c]!);
    m2[0] = 1;
    for (; k < to && Ls[k]! > 24 && ((P[k]! >>> 8) & 255) === c; k++) {
      const s = P[k]! & 255;
      const e = s + (1 << (32 - Ls[k]!));
      const v = Vs[k]!;
      for (let b = s; b < e; b++) sub[b] = v;
      m2[s >>> 5]! |= 1 << (s & 31);
      if (e < 256) m2[e >>> 5]! |= 1 << (e & 31);
    }
    child[c] = ~emitMarked(a, sub, m2);
    m1[c >>> 5]! |= 1 << (c & 31);
    if (c < 255) m1[(c + 1) >>> 5]! |= 1 << ((c + 1) & 31);
  }
  return emitMarked(a, child, m1);
}

/** Where a painted range starts or ends, per child (a value may change only there). */
const marks1 = new Int32Array(8);
const marks2 = new Int32Array(8);

/**
 * emitNode() reading only the children marked in `marks` (and clearing the marks): every
 * child where the value may change is marked, so between two marks it does not, and the
 * node is the same as emitNode() makes from all 256.
 */
function emitMarked(a: Arena, child: Int32Array, marks: Int32Array): number {
  a.nodes = grown(a, a.nodes, a.nodesUsed * NODE_WORDS, (a.nodesUsed + 1) * NODE_WORDS);
  a.leaves = grown(a, a.leaves, a.leavesUsed, a.leavesUsed + 256);
  const n = a.nodesUsed++;
  const { nodes, leaves } = a;
  const base = n * NODE_WORDS;
  let li = a.leavesUsed - 1;
  let prev = ~0;
  for (let w = 0; w < 8; w++) {
    nodes[base + 2 * w + 1] = li;
    let m = marks[w]!;
    marks[w] = 0;
    let word = 0;
    while (m !== 0) {
      const bit = m & -m;
      m ^= bit;
      const v = child[(w << 5) | (31 - Math.clz32(bit))]!;
      if (v !== prev || v < 0) {
        leaves[++li] = v;
        word |= bit;
      }
      prev = v;
    }
    nodes[base + 2 * w] = word;
  }
  a.leavesUsed = li + 1;
  return n;
}

/** Whether slot s has prefixes longer than /16. */
function slotHasLong(aux: PoptrieAux, s: number): boolean {
  const o = aux.overlay.get(s);
  return o ? o.lens.length > 0 : aux.baseStart[s + 1]! > aux.baseStart[s]!;
}

/** (Re)builds slot s's subtree at the arenas' end; returns its direct entry. */
function emitSlot(aux: PoptrieAux, s: number): number {
  const a = aux.arena;
  const o = aux.overlay.get(s);
  const from = o ? 0 : aux.baseStart[s]!;
  const to = o ? o.lens.length : aux.baseStart[s + 1]!;
  if (from === to) {
    aux.slotNodes[s] = 0;
    aux.slotLeaves[s] = 0;
    return aux.slotVal[s]!;
  }
  const n0 = a.nodesUsed;
  const l0 = a.leavesUsed;
  const n = o
    ? buildSlot(a, aux.slotVal[s]!, o.prefixes, o.lens, o.values, from, to)
    : aux.baseDfs
      ? buildSlotDfs(a, aux.slotVal[s]!, aux.basePrefixes, aux.baseLens, aux.baseValues, from, to)
      : buildSlot(a, aux.slotVal[s]!, aux.basePrefixes, aux.baseLens, aux.baseValues, from, to);
  aux.slotNodes[s] = a.nodesUsed - n0;
  aux.slotLeaves[s] = a.leavesUsed - l0;
  return ~n;
}

/** Writes a fresh root and its 256 blocks for `direct` (65,536 entries); returns the root. */
function emitDirs(a: Arena, direct: Int32Array): number {
  const root = allocDirs(a, BLOCK + SLOTS);
  const { dirs } = a;
  for (let t = 0; t < BLOCK; t++) dirs[root + t] = root + BLOCK + t * BLOCK;
  dirs.set(direct, root + BLOCK);
  return root;
}

/**
 * Compiles prefixes into a poptrie; a later duplicate prefix/len replaces an earlier one.
 *
 * @example
 *   const t = buildPoptrie([{ prefix: 0x0a000000, len: 8, value: 1 }]);
 *   lookupPoptrie(t, 0x0a010203); // 1
 *
 * 1. Check the entries into columns and counting-sort them by length (as buildDir24).
 * 2. Write each prefix <= /16 as a run of the 65,536 direct entries (and of slotLen/slotVal).
 * 3. Counting-sort the longer ones by /16, keeping length order.
 * 4. Build one subtree per /16 that has a prefix (buildSlot); lay out root and blocks.
 * 5. Move the arrays into a new shared heap, sized to fit plus 1/16 for later changes.
 */
export function buildPoptrie(entries: Iterable<LpmEntry>): PoptrieTable {
  const c = toColumns(entries);
  // Entries already in depth-first order (a table file usually is) take the fast path.
  let last = -1;
  for (let k = 0; k < c.lens.length && last >= -1; k += BATCH) last = orderedTo(c, k, Math.min(c.lens.length, k + BATCH), last);
  return last >= -1 ? buildDepthFirst(c) : buildSorted(sortByLength(c));
}

/** The last key (address * 64 + length) of [from, to) if the keys ascend strictly from `last`, else -2. */
function orderedTo(c: Columns, from: number, to: number, last: number): number {
  for (let k = from; k < to; k++) {
    const key = (c.prefixes[k]! >>> 0) * 64 + c.lens[k]!;
    if (key <= last) return -2;
    last = key;
  }
  return last;
}

/**
 * Compiles prefixes given as columns (as buildPoptrie; no object per prefix): `prefixes[k]`
 * (a uint32, host bits zero), `lens[k]` and `values[k]` for k < lens.length.
 *
 * Columns in depth-first order (address ascending, then length ascending, no duplicate), as
 * FIB compiles produce them, take a faster path: no sort, one pass per /16. With `owned`, the
 * caller hands the columns over (it must not change them later) and, when they are
 * depth-first, they are kept as they are instead of copied.
 *
 * @example
 *   const t = buildPoptrieColumns(Uint32Array.of(0x0a000000), Uint8Array.of(8), Int32Array.of(1));
 */
export function buildPoptrieColumns(prefixes: ArrayLike<number>, lens: Uint8Array, values: Int32Array, owned = false): PoptrieTable {
  const n = lens.length;
  let dfs = true;
  let last = -1;
  for (let k = 0; k < n; k += BATCH) {
    const r = checkRange(prefixes, lens, values, k, Math.min(n, k + BATCH), last);
    if (r < 0) dfs = false;
    last = r < 0 ? -1 - r : r;
  }
  const view = prefixes instanceof Int32Array || prefixes instanceof Uint32Array;
  let p: Int32Array;
  if (owned && view) p = new Int32Array(prefixes.buffer, prefixes.byteOffset, n);
  else {
    p = new Int32Array(n);
    for (let k = 0; k < n; k++) p[k] = prefixes[k]! | 0;
  }
  if (!dfs) return buildSorted(sortByLength({ prefixes: p, lens, values }));
  return buildDepthFirst(owned ? { prefixes: p, lens, values } : { prefixes: p, lens: lens.slice(), values: values.slice() });
}

/** Entries per call of the loops over all prefixes (a function called often is optimised sooner than one long loop). */
const BATCH = 4096;

/**
 * Checks prefixes [from, to) (the cheap test first; checkPrefix/checkValue build the
 * message) and their order: the last key (prefix * 64 + len) when each key exceeds the one
 * before, starting from `last`; else -1 - that key.
 */
function checkRange(prefixes: ArrayLike<number>, lens: Uint8Array, values: Int32Array, from: number, to: number, last: number): number {
  let ordered = true;
  for (let k = from; k < to; k++) {
    const len = lens[k]!;
    const v = values[k]!;
    const x = prefixes[k]!;
    if (len > 32 || ((x | 0) & ~(len === 0 ? 0 : -1 << (32 - len))) !== 0 || !(x >= 0 && x <= 0xffffffff)) checkPrefix(x, len);
    if (v < 0) checkValue(v);
    const key = x * 64 + len;
    if (key <= last) ordered = false;
    last = key;
  }
  return ordered ? last : -1 - last;
}

interface DfsScan {
  readonly slotLen: Uint8Array;
  readonly slotVal: Int32Array;
  readonly baseStart: Int32Array;
  /** The first slot whose baseStart is not set yet. */
  s0: number;
  nLong: number;
}

/** buildDepthFirst's pass over prefixes [from, to): slots of the short ones, starts of the long ones. */
function scanDepthFirst(o: DfsScan, prefixes: Int32Array, lens: Uint8Array, values: Int32Array, from: number, to: number): void {
  const { slotLen, slotVal, baseStart } = o;
  let s0 = o.s0;
  let nLong = o.nLong;
  for (let k = from; k < to; k++) {
    const len = lens[k]!;
    const x = prefixes[k]!;
    if (len <= 16) {
      const lo = x >>> 16;
      const hi = lo + (1 << (16 - len));
      const v = values[k]!;
      for (let t = lo; t < hi; t++) {
        slotVal[t] = v;
        slotLen[t] = len + 1;
      }
      continue;
    }
    nLong++;
    const s = x >>> 16;
    if (s >= s0) {
      for (let t = s0; t <= s; t++) baseStart[t] = k;
      s0 = s + 1;
    }
  }
  o.s0 = s0;
  o.nLong = nLong;
}

/** Compiles checked, depth-first columns (see buildPoptrieColumns), keeping them as the base. */
function buildDepthFirst(cols: Columns): PoptrieTable {
  const { prefixes, lens, values } = cols;
  const n = lens.length;
  const slotLen = new Uint8Array(SLOTS);
  const slotVal = new Int32Array(SLOTS);
  const baseStart = new Int32Array(SLOTS + 1);
  // Painting in depth-first order is right (a prefix after every prefix containing it), and
  // the long prefixes of one /16 are contiguous: a prefix <= /16 at that /16's address
  // comes before them. baseStart[s] is the first long prefix of s (of the next slot with
  // one, when s has none), so a slot's range may end with short prefixes (skipped).
  const scan: DfsScan = { slotLen, slotVal, baseStart, s0: 0, nLong: 0 };
  for (let k = 0; k < n; k += BATCH) scanDepthFirst(scan, prefixes, lens, values, k, Math.min(n, k + BATCH));
  for (let t = scan.s0; t <= SLOTS; t++) baseStart[t] = n;
  const nLong = scan.nLong;
  const aux: PoptrieAux = {
    index: null,
    sorted: cols,
    arena: newArena(BLOCK + SLOTS, 1024, nLong * 2 + 4096),
    slotLen,
    slotVal,
    slotNodes: new Int32Array(SLOTS),
    slotLeaves: new Int32Array(SLOTS),
    baseDfs: true,
    baseStart,
    basePrefixes: prefixes,
    baseLens: lens,
    baseValues: values,
    overlay: new Map(),
    head: null,
  };
  const direct = new Int32Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) direct[s] = emitSlot(aux, s);
  const root = emitDirs(aux.arena, direct);
  settle(aux.arena, newSharedHeap());
  return version(aux, root);
}

function buildSorted(sorted: ByLength): PoptrieTable {
  const { prefixes, lens, values, start } = sorted;
  const direct = new Int32Array(SLOTS);
  const slotLen = new Uint8Array(SLOTS);
  const slotVal = new Int32Array(SLOTS);
  for (let k = 0; k < start[17]!; k++) {
    const from = prefixes[k]! >>> 16;
    const to = from + (1 << (16 - lens[k]!));
    slotVal.fill(values[k]!, from, to);
    slotLen.fill(lens[k]! + 1, from, to);
  }
  const longFrom = start[17]!;
  const longTo = start[33]!;
  const nLong = longTo - longFrom;
  const baseStart = new Int32Array(SLOTS + 1);
  for (let k = longFrom; k < longTo; k++) baseStart[(prefixes[k]! >>> 16) + 1]!++;
  for (let s = 0; s < SLOTS; s++) baseStart[s + 1]! += baseStart[s]!;
  const fill = baseStart.slice(0, SLOTS);
  const basePrefixes = new Int32Array(nLong);
  const baseLens = new Uint8Array(nLong);
  const baseValues = new Int32Array(nLong);
  for (let k = longFrom; k < longTo; k++) {
    const j = fill[prefixes[k]! >>> 16]!++;
    basePrefixes[j] = prefixes[k]!;
    baseLens[j] = lens[k]!;
    baseValues[j] = values[k]!;
  }
  const aux: PoptrieAux = {
    index: null,
    sorted,
    arena: newArena(BLOCK + SLOTS, 1024, nLong * 2 + 4096),
    slotLen,
    slotVal,
    slotNodes: new Int32Array(SLOTS),
    slotLeaves: new Int32Array(SLOTS),
    baseDfs: false,
    baseStart,
    basePrefixes,
    baseLens,
    baseValues,
    overlay: new Map(),
    head: null,
  };
  for (let s = 0; s < SLOTS; s++) direct[s] = emitSlot(aux, s);
  const root = emitDirs(aux.arena, direct);
  settle(aux.arena, newSharedHeap());
  return version(aux, root);
}

function sharedView(x: Int32Array): Int32Array<SharedArrayBuffer> {
  const b = x.buffer;
  if (!(b instanceof SharedArrayBuffer)) throw new Error('poptrie arena is not in a shared heap');
  return new Int32Array(b, x.byteOffset, x.length);
}

function version(aux: PoptrieAux, root: number): PoptrieTable {
  const a = aux.arena;
  if (!a.heap) throw new Error('poptrie arena is not settled in a heap');
  const t: PoptrieTable = {
    kind: 'poptrie',
    heap: a.heap,
    root,
    dirs: sharedView(a.dirs),
    nodes: sharedView(a.nodes),
    leaves: sharedView(a.leaves),
    aux,
  };
  aux.head = t;
  return t;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The value of the longest prefix matching `addr` (a uint32), or 0 when none matches.
 *
 * @example
 *   lookupPoptrie(t, 0xc0a80001); // 192.168.0.1
 */
export function lookupPoptrie(t: PoptrieTable, addr: number): number {
  const { dirs, nodes, leaves } = t;
  let e = dirs[dirs[t.root + (addr >>> 24)]! + ((addr >>> 16) & 255)]!;
  for (let shift = 8; e < 0; shift -= 8) {
    const b = (addr >>> shift) & 255;
    const w = (~e << 4) | ((b >>> 5) << 1);
    e = leaves[nodes[w + 1]! + popcount(nodes[w]! & (-1 >>> (31 - (b & 31))))]!;
  }
  return e;
}

/** Looks up `addrs[i]` into `out[i]` for every i (out must be at least as long). */
export function lookupPoptrieBatch(t: PoptrieTable, addrs: Uint32Array, out: Uint32Array): void {
  lookupPoptrieArrays(t.root, t.dirs, t.nodes, t.leaves, addrs, out, 0, addrs.length);
}

/**
 * The batch loop over bare arrays, shared with the workers: answers `addrs[from..to)` into
 * `out[from..to)`.
 *
 * 1. e = the direct entry of addr's /16 (root, then block); a value ends the walk.
 * 2. Otherwise e is ~node: with byte b of the address (third, then fourth), word w = b >>> 5,
 *    e = leaves[base_w + popcount(bitmap_w & bits 0..b&31)]; repeat while e is a node.
 */
export function lookupPoptrieArrays(
  root: number,
  dirs: Int32Array,
  nodes: Int32Array,
  leaves: Int32Array,
  addrs: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const a = addrs[i]!;
    let e = dirs[dirs[root + (a >>> 24)]! + ((a >>> 16) & 255)]!;
    if (e < 0) {
      let b = (a >>> 8) & 255;
      let w = (~e << 4) | ((b >>> 5) << 1);
      let x = nodes[w]! & (-1 >>> (31 - (b & 31)));
      x -= (x >>> 1) & 0x55555555;
      x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
      x = (x + (x >>> 4)) & 0x0f0f0f0f;
      e = leaves[nodes[w + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
      if (e < 0) {
        b = a & 255;
        w = (~e << 4) | ((b >>> 5) << 1);
        x = nodes[w]! & (-1 >>> (31 - (b & 31)));
        x -= (x >>> 1) & 0x55555555;
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        e = leaves[nodes[w + 1]! + (Math.imul(x, 0x01010101) >>> 24)]!;
      }
    }
    out[i] = e;
  }
}

/** A slot's long list as editable arrays, merging compile-time duplicates (the later wins). */
function overlayOf(aux: PoptrieAux, s: number): SlotList {
  const o = aux.overlay.get(s);
  if (o) return o;
  const from = aux.baseStart[s]!;
  const to = aux.baseStart[s + 1]!;
  // In length order (a depth-first base is sorted here: a slot holds few prefixes), stable.
  const order: number[] = [];
  for (let k = from; k < to; k++) if (aux.baseLens[k]! > 16) order.push(k);
  if (aux.baseDfs) order.sort((x, y) => aux.baseLens[x]! - aux.baseLens[y]! || x - y);
  const list: SlotList = { prefixes: [], lens: [], values: [] };
  const seen = new Map<number, number>();
  for (const k of order) {
    const p = aux.basePrefixes[k]!;
    const l = aux.baseLens[k]!;
    const key = (p >>> 0) * 64 + l;
    const at = seen.get(key);
    if (at !== undefined) {
      list.values[at] = aux.baseValues[k]!;
      continue;
    }
    seen.set(key, list.lens.length);
    list.prefixes.push(p);
    list.lens.push(l);
    list.values.push(aux.baseValues[k]!);
  }
  aux.overlay.set(s, list);
  return list;
}

/** Removes (value null) or sets prefix/len in slot s's long list, keeping length order. */
function editSlot(aux: PoptrieAux, s: number, prefix: number, len: number, value: number | null): void {
  const o = overlayOf(aux, s);
  const p = prefix | 0;
  let at = -1;
  for (let j = 0; j < o.lens.length; j++) {
    if (o.lens[j] === len && o.prefixes[j] === p) {
      at = j;
      break;
    }
  }
  if (value === null) {
    if (at >= 0) {
      o.prefixes.splice(at, 1);
      o.lens.splice(at, 1);
      o.values.splice(at, 1);
    }
    return;
  }
  if (at >= 0) {
    o.values[at] = value;
    return;
  }
  let j = o.lens.length;
  while (j > 0 && o.lens[j - 1]! > len) j--;
  o.prefixes.splice(j, 0, p);
  o.lens.splice(j, 0, len);
  o.values.splice(j, 0, value);
}

/**
 * Builds the prefix index of a freshly compiled lineage (done by the first change; call it
 * ahead to take that cost off the first change).
 */
export function ensurePoptrieIndex(t: PoptrieTable): PrefixIndex {
  const aux = t.aux;
  if (aux.index) return aux.index;
  if (!aux.sorted) throw new Error('Cannot index poptrie: it has neither index nor prefixes');
  aux.index = indexColumns(aux.sorted);
  aux.sorted = null;
  return aux.index;
}

/** Whether a lineage's prefix index is built (applyPoptrieChanges then costs only what it touches). */
export function poptrieIndexed(t: PoptrieTable): boolean {
  return t.aux.index !== null;
}

/**
 * Applies changes and returns the next version; `t` stays valid and unchanged, so workers may
 * keep reading it. Only the newest version of a lineage can be changed.
 *
 * @example
 *   const t2 = applyPoptrieChanges(t1, [{ type: 'remove', prefix: 0x0a000000, len: 8 }]);
 *
 * 1. Copy the root. For each change, update the index; skip no-ops (a remove of an absent
 *    prefix, an insert of the value already there).
 * 2. A prefix <= /16 rewrites the /16 slots it wins (insert: slots held by a shorter-or-equal
 *    prefix; remove: slots it held, handed to its covering prefix); a slot with a subtree is
 *    marked for rebuild, others get the value directly.
 * 3. A longer prefix edits its slot's list and marks the slot.
 * 4. Rebuild each marked slot at the arenas' end; count the old subtree as garbage. Each
 *    block written is first copied (once per call).
 * 5. When garbage exceeds the live arenas, recompile everything into fresh arenas.
 */
export function applyPoptrieChanges(t: PoptrieTable, changes: Iterable<LpmChange>): PoptrieTable {
  const aux = t.aux;
  if (aux.head !== t) {
    throw new Error('Cannot apply changes: this poptrie version is not the newest of its lineage');
  }
  const index = ensurePoptrieIndex(t);
  const a = aux.arena;
  const root = allocDirs(a, BLOCK);
  a.dirs.copyWithin(root, t.root, t.root + BLOCK);
  a.garbageBytes += BLOCK * 4;
  const copied = new Uint8Array(BLOCK);
  const writeDirect = (s: number, v: number): void => {
    const top = s >>> 8;
    if (!copied[top]) {
      const block = allocDirs(a, BLOCK);
      const old = a.dirs[root + top]!;
      a.dirs.copyWithin(block, old, old + BLOCK);
      a.dirs[root + top] = block;
      a.garbageBytes += BLOCK * 4;
      copied[top] = 1;
    }
    a.dirs[a.dirs[root + top]! + (s & 255)] = v;
  };
  const dirty = new Set<number>();
  const { slotLen, slotVal } = aux;
  for (const ch of changes) {
    const { prefix, len } = ch;
    checkPrefix(prefix, len);
    let value: number;
    let setLen: number;
    const L = len + 1;
    const insert = ch.type === 'insert';
    if (ch.type === 'insert') {
      checkValue(ch.value);
      if (index.set(prefix, len, ch.value) === ch.value) continue;
      value = ch.value;
      setLen = L;
    } else {
      if (index.delete(prefix, len) < 0) continue;
      const c = index.covering(prefix, len);
      value = c.value;
      setLen = c.len + 1;
    }
    if (len <= 16) {
      const from = prefix >>> 16;
      const to = from + (1 << (16 - len));
      for (let s = from; s < to; s++) {
        const l = slotLen[s]!;
        if (insert ? l <= L : l === L) {
          slotLen[s] = setLen;
          slotVal[s] = value;
          if (slotHasLong(aux, s)) dirty.add(s);
          else writeDirect(s, value);
        }
      }
    } else {
      const s = prefix >>> 16;
      editSlot(aux, s, prefix, len, insert ? value : null);
      dirty.add(s);
    }
  }
  for (const s of dirty) {
    a.garbageBytes += aux.slotNodes[s]! * NODE_WORDS * 4 + aux.slotLeaves[s]! * 4;
    writeDirect(s, emitSlot(aux, s));
  }
  const used = (a.dirsUsed + a.nodesUsed * NODE_WORDS + a.leavesUsed) * 4;
  if (a.garbageBytes * 2 > used && a.garbageBytes > 1 << 20) return compact(aux, root);
  return version(aux, root);
}

/** Rebuilds every subtree, root and block into a fresh heap (earlier versions keep the old). */
function compact(aux: PoptrieAux, root: number): PoptrieTable {
  const old = aux.arena;
  const direct = new Int32Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) {
    direct[s] = old.dirs[old.dirs[root + (s >>> 8)]! + (s & 255)]!;
  }
  aux.arena = newArena(BLOCK + SLOTS, old.nodesUsed, old.leavesUsed);
  for (let s = 0; s < SLOTS; s++) if (direct[s]! < 0) direct[s] = emitSlot(aux, s);
  const fresh = emitDirs(aux.arena, direct);
  settle(aux.arena, newSharedHeap());
  return version(aux, fresh);
}

/** What a worker attaches to (no copy: postMessage shares a shared WebAssembly.Memory). */
export function poptrieShared(t: PoptrieTable): PoptrieShared {
  return {
    kind: 'poptrie',
    heapId: t.heap.id,
    memory: t.heap.memory,
    root: t.root,
    dirs: regionOf(t.dirs),
    nodes: regionOf(t.nodes),
    leaves: regionOf(t.leaves),
  };
}

/**
 * Reports a version's memory: sharedBytes counts the regions it reads as allocated (right
 * after buildPoptrie, ~6% slack for changes); heapBytes adds regions left behind by growth
 * and the workers' scratch space.
 */
export function poptrieMemory(t: PoptrieTable): LpmMemory {
  const sharedBytes = t.dirs.byteLength + t.nodes.byteLength + t.leaves.byteLength;
  // Counting distinct prefixes needs the index (which the first change builds anyway).
  const prefixes = ensurePoptrieIndex(t).size;
  const a = t.aux;
  const auxBytes =
    (a.index?.byteLength ?? 0) +
    // A depth-first compile keeps its columns once, as the base.
    (a.sorted && a.sorted.lens !== a.baseLens ? a.sorted.lens.length * 9 : 0) +
    a.slotLen.byteLength +
    a.slotVal.byteLength +
    a.slotNodes.byteLength +
    a.slotLeaves.byteLength +
    a.baseStart.byteLength +
    a.basePrefixes.byteLength +
    a.baseLens.byteLength +
    a.baseValues.byteLength;
  return {
    sharedBytes,
    heapBytes: heapBuffer(t.heap.memory).byteLength,
    auxBytes,
    prefixes,
    bytesPerPrefix: prefixes ? sharedBytes / prefixes : 0,
  };
}
