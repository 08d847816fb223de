// The arenas of a poptrie lineage (poptrie.ts describes the layout): its types, the
// append-only arrays a compile fills and a change grows, and the step that moves them into a
// shared heap for the workers.
//
// Why: versions are persistent, as fib_trie's tnodes are under RCU: a change appends and
// never overwrites what an earlier version reads, so the arrays only grow; the build
// (poptrie-build.ts), the changes (poptrie-update.ts) and the subtree writer
// (_poptrie-subtree.ts) share them.

import type { Columns, PrefixIndex } from './_prefix-index.js';
import { heapAlloc, type HeapRegion, type SharedHeap, type WasmMemory } from './_shared-heap.js';


export const SLOTS = 1 << 16;
export const NODE_WORDS = 16;
export const BLOCK = 256;

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
export interface Arena {
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
export interface SlotList {
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
export function newArena(dirCap: number, nodeCap: number, leafCap: number): Arena {
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
export function grown(a: Arena, x: Int32Array, used: number, need: number): Int32Array {
  if (need <= x.length) return x;
  const length = Math.ceil(need * 1.5);
  const bigger = a.heap ? heapAlloc(a.heap, length) : new Int32Array(length);
  bigger.set(x.subarray(0, used));
  if (a.heap) a.garbageBytes += x.byteLength;
  return bigger;
}

/** Appends `n` dirs entries (a root or a block), growing the arena; returns their index. */
export function allocDirs(a: Arena, n: number): number {
  a.dirs = grown(a, a.dirs, a.dirsUsed, a.dirsUsed + n);
  const at = a.dirsUsed;
  a.dirsUsed += n;
  return at;
}

/** Room left for changes after a compile: 1/16 of nodes and leaves, 64 root+block copies. */
const SLACK = 1 / 16;
const DIRS_SLACK = 64 * 2 * BLOCK;

/** Moves a compiled arena into `heap`, sized to fit plus slack for later changes. */
export function settle(a: Arena, heap: SharedHeap): void {
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


function sharedView(x: Int32Array): Int32Array<SharedArrayBuffer> {
  const b = x.buffer;
  if (!(b instanceof SharedArrayBuffer)) throw new Error('poptrie arena is not in a shared heap');
  return new Int32Array(b, x.byteOffset, x.length);
}

export function version(aux: PoptrieAux, root: number): PoptrieTable {
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
