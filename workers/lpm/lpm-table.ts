// One face for the compiled LPM tables (dir24-8.ts, poptrie.ts): what a worker attaches to,
// and the batch loops it runs.
//
// Why: the lookup engine shares one compiled table with every worker thread, the way the
// kernel shares one fib_trie among CPUs under RCU (fib_table_lookup() runs lock-free on
// each). A worker receives only a shared memory and offsets (an LpmShared), builds typed
// views over them without copying (attachLpm), and answers address ranges with the
// WebAssembly loop (lookupViewsWasm) or the JavaScript one (lookupViews); both give the
// same answers, the first about 2-3x faster.

import {
  dir24Memory,
  dir24Shared,
  lookupDir24,
  lookupDir24Arrays,
  type Dir24Shared,
  type Dir24Table,
  type LpmMemory,
} from './dir24-8.js';
import {
  lookupPoptrie,
  lookupPoptrieArrays,
  poptrieMemory,
  poptrieShared,
  type PoptrieShared,
  type PoptrieTable,
} from './poptrie.js';
import { heapBuffer, viewOf, type SharedHeap } from './_shared-heap.js';
import { updateDirect } from './_direct-level.js';
import { FLAT_SLOTS, newFlatSlot, poptrieLoop, wantsDirect, wasmRunner, WASM_SCRATCH, type FlatSlot, type WasmRunner } from './wasm-lookup.js';

/** A compiled table on the main thread. */
export type LpmTable = Dir24Table | PoptrieTable;

/** What a worker needs of a compiled table: buffers shared without copying, and offsets. */
export type LpmShared = Dir24Shared | PoptrieShared;

/** Typed views over an LpmShared, built once per version in a worker. */
export type LpmViews =
  | {
      readonly kind: 'dir24-8';
      readonly heap: SharedHeap;
      readonly tbl24: Int32Array;
      readonly tbl8: Int32Array;
    }
  | {
      readonly kind: 'poptrie';
      readonly heap: SharedHeap;
      readonly root: number;
      readonly dirs: Int32Array;
      readonly nodes: Int32Array;
      readonly leaves: Int32Array;
    };

/** Which loop answers: WebAssembly (default, faster) or JavaScript. */
export type LpmKernel = 'wasm' | 'js';

function assertNever(x: never): never {
  throw new Error(`Unexpected LPM table kind: ${JSON.stringify(x)}`);
}

/** The shared buffers of a table, to post to workers. */
export function lpmShared(t: LpmTable): LpmShared {
  switch (t.kind) {
    case 'dir24-8':
      return dir24Shared(t);
    case 'poptrie':
      return poptrieShared(t);
    default:
      return assertNever(t);
  }
}

/** Views over shared buffers (no copy). */
export function attachLpm(s: LpmShared, heap: SharedHeap): LpmViews {
  const m = s.memory;
  switch (s.kind) {
    case 'dir24-8':
      return { kind: 'dir24-8', heap, tbl24: viewOf(m, s.tbl24), tbl8: viewOf(m, s.tbl8) };
    case 'poptrie':
      return {
        kind: 'poptrie',
        heap,
        root: s.root,
        dirs: viewOf(m, s.dirs),
        nodes: viewOf(m, s.nodes),
        leaves: viewOf(m, s.leaves),
      };
    default:
      return assertNever(s);
  }
}

/** The views of a main-thread table (no copy). */
export function lpmViews(t: LpmTable): LpmViews {
  switch (t.kind) {
    case 'dir24-8':
      return { kind: 'dir24-8', heap: t.heap, tbl24: t.tbl24, tbl8: t.tbl8 };
    case 'poptrie':
      return {
        kind: 'poptrie',
        heap: t.heap,
        root: t.root,
        dirs: t.dirs,
        nodes: t.nodes,
        leaves: t.leaves,
      };
    default:
      return assertNever(t);
  }
}

/** Answers `addrs[from..to)` into `out[from..to)`. */
export function lookupViews(
  v: LpmViews,
  addrs: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
): void {
  switch (v.kind) {
    case 'dir24-8':
      lookupDir24Arrays(v.tbl24, v.tbl8, addrs, out, from, to);
      return;
    case 'poptrie':
      lookupPoptrieArrays(v.root, v.dirs, v.nodes, v.leaves, addrs, out, from, to);
      return;
    default:
      assertNever(v);
  }
}

/**
 * Answers `addrs[from..to)` into `out[from..to)` with the WebAssembly loop: copies up to
 * WASM_SCRATCH addresses at a time into the runner's scratch space in the table's heap,
 * runs the loop there, and copies the answers out. A poptrie's loop reads the flattened copy
 * at byte offset `flat` (the one the pool shares, flat-copies.ts) or else the thread's own.
 */
export function lookupViewsWasm(
  r: WasmRunner,
  v: LpmViews,
  addrs: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
  flat?: number,
): void {
  const { scratchIn, scratchOut, wasm } = r;
  const inAt = scratchIn.byteOffset;
  const outAt = scratchOut.byteOffset;
  if (v.kind === 'poptrie' && !wasmReaches(v.nodes)) {
    lookupViews(v, addrs, out, from, to);
    return;
  }
  for (let s = from; s < to; s += WASM_SCRATCH) {
    const n = Math.min(WASM_SCRATCH, to - s);
    scratchIn.set(addrs.subarray(s, s + n));
    if (v.kind === 'dir24-8') {
      wasm.dir24(v.tbl24.byteOffset, v.tbl8.byteOffset, inAt, outAt, n);
    } else {
      poptrieLoop(r, flat ?? flatNodes(r, v))(v.nodes.byteOffset, v.leaves.byteOffset, inAt, outAt, n);
    }
    out.set(scratchOut.subarray(0, n), s);
  }
}

/**
 * Answers addresses that already live in the table's memory (byte offsets `addrsAt` and
 * `outAt`, entries from..to): the WebAssembly loop reads and writes them in place, without
 * the copies through the scratch space lookupViewsWasm() makes (LookupPool.allocBatch()).
 * `flat` as for lookupViewsWasm().
 */
export function lookupInHeapWasm(r: WasmRunner, v: LpmViews, addrsAt: number, outAt: number, from: number, to: number, flat?: number): void {
  const heap = heapBuffer(v.heap.memory);
  if (v.kind === 'poptrie' && !wasmReaches(v.nodes)) {
    lookupViews(v, new Uint32Array(heap, addrsAt, to), new Uint32Array(heap, outAt, to), from, to);
    return;
  }
  const a = addrsAt + 4 * from;
  const o = outAt + 4 * from;
  if (v.kind === 'dir24-8') r.wasm.dir24(v.tbl24.byteOffset, v.tbl8.byteOffset, a, o, to - from);
  else poptrieLoop(r, flat ?? flatNodes(r, v))(v.nodes.byteOffset, v.leaves.byteOffset, a, o, to - from);
}

/** What a flat copy is made from: one poptrie version's arrays. */
export interface PoptrieArrays {
  readonly root: number;
  readonly dirs: Int32Array;
  readonly nodes: Int32Array;
  readonly leaves: Int32Array;
}

/**
 * Makes `s` the flattened copy of version `v` (see wasm-lookup.ts) with the module's flatten
 * loop: from the version the slot held, rewriting only the /16s whose direct entry differs (a
 * few microseconds after a route event), or in full for an empty slot. The root index
 * identifies the version within its heap (one lineage per heap; roots, nodes and leaves are
 * never reused or overwritten, so an unchanged entry means an unchanged subtree).
 */
export function flattenSlot(r: WasmRunner, s: FlatSlot, v: PoptrieArrays): void {
  const wasm = r.wasm;
  const dirs = v.dirs.byteOffset;
  const all = s.root < 0;
  const oldDirs = all ? dirs : s.dirsAt;
  const oldRoot = all ? v.root : s.root;
  wasm.flatten(oldDirs, oldDirs + 4 * oldRoot, dirs, dirs + 4 * v.root, v.nodes.byteOffset, v.leaves.byteOffset, s.pairs, s.values, all ? 1 : 0);
  if (s.direct) {
    // The heap's buffer now: a view made before the copy was allocated ends short of it.
    const buffer = heapBuffer(r.heap.memory);
    updateDirect(new Int32Array(buffer), new Uint16Array(buffer), s.pairs, dirs >>> 2, v.root, oldDirs >>> 2, oldRoot, all);
  }
  s.root = v.root;
  s.dirsAt = dirs;
}

/**
 * This thread's own flattened copy of a poptrie version, made on first use (from the least
 * recently used of FLAT_SLOTS copies) and returned as its byte offset. The workers use the
 * copies their pool shares instead (flat-copies.ts); this is for the calling thread and for
 * a task that brings none.
 */
export function flatNodes(r: WasmRunner, v: PoptrieArrays): number {
  const slots = r.flat;
  let i = slots.findIndex((s) => s.root === v.root);
  if (i < 0) {
    const direct = wantsDirect(v);
    if (slots.length < FLAT_SLOTS) slots.push(newFlatSlot(r.heap, direct));
    i = slots.length - 1;
    // A table grown past DIRECT_MIN_LEAVES gets a copy with the direct level in place of the least recently used one.
    if (direct && !slots[i]!.direct) slots[i] = newFlatSlot(r.heap, true);
    flattenSlot(r, slots[i]!, v);
  }
  if (i > 0) slots.unshift(...slots.splice(i, 1));
  return slots[0]!.pairs;
}

/**
 * Whether the WebAssembly poptrie loop can read a version: its node byte addresses (+ 56)
 * must be positive int32s, i.e. its nodes end below 2 GiB of the heap (else the JavaScript
 * loop answers).
 */
export function wasmReaches(nodes: Int32Array): boolean {
  return nodes.byteOffset + nodes.byteLength + 64 < 2 ** 31;
}

const mainRunners = new WeakMap<SharedHeap, WasmRunner>();

/** This thread's runner for a heap (instantiated, and its scratch allocated, once). */
export function runnerFor(heap: SharedHeap, cache: WeakMap<SharedHeap, WasmRunner> = mainRunners): WasmRunner {
  let r = cache.get(heap);
  if (!r) {
    r = wasmRunner(heap);
    cache.set(heap, r);
  }
  return r;
}

/** One address on the main thread. */
export function lookupLpm(t: LpmTable, addr: number): number {
  return t.kind === 'dir24-8' ? lookupDir24(t, addr) : lookupPoptrie(t, addr);
}

/** A whole batch on the main thread, with the WebAssembly loop unless told otherwise. */
export function lookupLpmBatch(
  t: LpmTable,
  addrs: Uint32Array,
  out: Uint32Array,
  kernel: LpmKernel = 'wasm',
): void {
  const v = lpmViews(t);
  if (kernel === 'js') lookupViews(v, addrs, out, 0, addrs.length);
  else lookupViewsWasm(runnerFor(t.heap), v, addrs, out, 0, addrs.length);
}

/** A table's memory (see LpmMemory). */
export function lpmMemory(t: LpmTable): LpmMemory {
  return t.kind === 'dir24-8' ? dir24Memory(t) : poptrieMemory(t);
}
