// A DIR-24-8 table's shape (see dir24-8.ts): the shared arrays and the main thread's
// bookkeeping, and its tbl8 groups (rte_lpm's tbl8_alloc(): a free group, the heap grown
// when none is left; a /24 entry split into a group that inherits its value).

import { type ByLength, type PrefixIndex } from './_prefix-index.js';
import { heapAlloc, type HeapRegion, type SharedHeap, type WasmMemory } from './_shared-heap.js';


export const TBL24_ENTRIES = 1 << 24;
export const GROUP = 256;

/** The shared part of a DIR-24-8 table: what a worker attaches to. */
export interface Dir24Shared {
  readonly kind: 'dir24-8';
  /** The heap (shared WebAssembly.Memory) holding the arrays, and its identity. */
  readonly heapId: number;
  readonly memory: WasmMemory;
  readonly tbl24: HeapRegion;
  readonly tbl8: HeapRegion;
}

/** A compiled DIR-24-8 table: shared arrays plus the main thread's bookkeeping. */
export interface Dir24Table {
  readonly kind: 'dir24-8';
  /** The shared memory the arrays live in (see _shared-heap.ts). */
  readonly heap: SharedHeap;
  /** 2^24 entries: a value, or ~group when the /24 has longer prefixes. */
  readonly tbl24: Int32Array<SharedArrayBuffer>;
  /** Groups of 256 entries; replaced by a larger region of the heap when it fills up. */
  tbl8: Int32Array<SharedArrayBuffer>;
  /** Bookkeeping for incremental changes; never shared. */
  readonly aux: Dir24Aux;
}

/** Main-thread bookkeeping of a DIR-24-8 table. */
export interface Dir24Aux {
  /** Every prefix with its value; built on the first change (see ensureDir24Index). */
  index: PrefixIndex | null;
  /** The compiled prefixes, kept until the index is built from them. */
  sorted: ByLength | null;
  /** Per tbl24 entry: 1 + length of the prefix (<= 24) that wrote it, 0 for none. */
  readonly len24: Uint8Array;
  /** Per tbl8 entry: 1 + length of the prefix that wrote it, 0 for none. */
  len8: Uint8Array;
  /** Per group: how many prefixes longer than /24 it holds (0 = free). */
  groupPrefixes: Uint16Array;
  /** Groups ever allocated (tbl8 is used up to here). */
  groupsUsed: number;
  /** Freed groups, reused first. */
  readonly freeGroups: number[];
}

/** Returns a free group, growing tbl8 (a new region of the heap) when full. */
export function allocGroup(t: Dir24Table): number {
  const aux = t.aux;
  const reused = aux.freeGroups.pop();
  if (reused !== undefined) return reused;
  const g = aux.groupsUsed++;
  const capacity = t.tbl8.length / GROUP;
  if (g >= capacity) {
    const bigger = Math.max(16, Math.ceil(capacity * 1.5));
    const tbl8 = heapAlloc(t.heap, bigger * GROUP);
    tbl8.set(t.tbl8);
    t.tbl8 = tbl8;
    const len8 = new Uint8Array(bigger * GROUP);
    len8.set(aux.len8);
    aux.len8 = len8;
    const counts = new Uint16Array(bigger);
    counts.set(aux.groupPrefixes);
    aux.groupPrefixes = counts;
  }
  return g;
}

/** Moves /24 entry i into a fresh group whose 256 entries inherit its value and length. */
export function splitToGroup(t: Dir24Table, i: number): number {
  const g = allocGroup(t);
  const base = g * GROUP;
  t.tbl8.fill(t.tbl24[i]!, base, base + GROUP);
  t.aux.len8.fill(t.aux.len24[i]!, base, base + GROUP);
  t.aux.groupPrefixes[g] = 0;
  t.tbl24[i] = ~g;
  return g;
}
