// Shared memory for compiled LPM tables: regions carved out of one shared WebAssembly.Memory.
//
// Why: worker threads must read a compiled table without copying it (as every CPU reads the
// one fib_trie), and the fastest lookup loop is WebAssembly (wasm-lookup.ts), which can only
// read its own linear memory. So tables are laid out inside a shared memory: JavaScript sees
// them as Int32Array views over `memory.buffer` (a SharedArrayBuffer), WebAssembly as byte
// offsets. Workers receive the Memory object itself (postMessage shares it) plus offsets.
//
// Allocation is `memory.grow`, which is atomic across threads and returns the old size, so
// the main thread's tables and each worker's scratch space never overlap. Nothing is freed:
// a table that outgrows its garbage is recompiled into a fresh heap (poptrie.ts compact()).

/** The part of WebAssembly.Memory this project uses (lib "dom" is not loaded). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

interface WasmMemoryCtor {
  new (descriptor: { initial: number; maximum: number; shared: boolean }): WasmMemory;
}

const PAGE = 65536;
/** 4 GiB, the most a wasm32 memory can address (reserved, not committed). */
const MAX_PAGES = 65536;

let nextHeapId = 1;

/** A shared memory and its identity (workers cache per heap id, not per message object). */
export interface SharedHeap {
  readonly id: number;
  readonly memory: WasmMemory;
}

/** The WebAssembly.Memory constructor, typed locally. */
export function wasmMemoryCtor(): WasmMemoryCtor {
  const g = globalThis as unknown as { WebAssembly?: { Memory?: WasmMemoryCtor } };
  const ctor = g.WebAssembly?.Memory;
  if (!ctor) throw new Error('Cannot allocate LPM table: WebAssembly is not available');
  return ctor;
}

/** A new, empty shared heap. */
export function newSharedHeap(): SharedHeap {
  const Memory = wasmMemoryCtor();
  return { id: nextHeapId++, memory: new Memory({ initial: 0, maximum: MAX_PAGES, shared: true }) };
}

/** The heap's buffer as a SharedArrayBuffer (it is one: the memory is shared). */
export function heapBuffer(memory: WasmMemory): SharedArrayBuffer {
  const b = memory.buffer;
  if (!(b instanceof SharedArrayBuffer)) throw new Error('LPM heap memory is not shared');
  return b;
}

/**
 * Allocates `length` zeroed int32s in the heap (page-granular: tables allocate few, large
 * regions) and returns a view over them.
 */
export function heapAlloc(heap: SharedHeap, length: number): Int32Array<SharedArrayBuffer> {
  const bytes = Math.max(4, length * 4);
  const pages = Math.ceil(bytes / PAGE);
  const at = heap.memory.grow(pages);
  return new Int32Array(heapBuffer(heap.memory), at * PAGE, length);
}

/** Bytes the heap has grown to. */
export function heapBytes(heap: SharedHeap): number {
  return heapBuffer(heap.memory).byteLength;
}

/** A region of a heap as a worker receives it: a byte offset and an int32 count. */
export interface HeapRegion {
  readonly offset: number;
  readonly length: number;
}

/** The region a view covers. */
export function regionOf(view: Int32Array<SharedArrayBuffer>): HeapRegion {
  return { offset: view.byteOffset, length: view.length };
}

/** A view over a region of a (received) memory. */
export function viewOf(memory: WasmMemory, r: HeapRegion): Int32Array<SharedArrayBuffer> {
  return new Int32Array(heapBuffer(memory), r.offset, r.length);
}
