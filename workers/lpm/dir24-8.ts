// DIR-24-8: a longest-prefix-match table in typed arrays over SharedArrayBuffers.
//
// Why: fib_table_lookup() walks a level-compressed trie (fib_trie.c) and answers one
// destination in a few hundred nanoseconds; lookup-heavy workloads (millions of flows) want
// one or two memory reads per address instead. This is the classic DIR-24-8-BASIC layout of
// Gupta, Lin and McKeown (1998), also DPDK's rte_lpm:
//
//   | array | entries        | entry >= 0        | entry < 0                        |
//   |-------|----------------|-------------------|----------------------------------|
//   | tbl24 | 2^24 (64 MiB)  | the value for /24 | ~g: group g of tbl8 holds the /24 |
//   | tbl8  | 256 per group  | the value         | (never)                          |
//
// Values are the caller's result ids, 0..2^31-1; 0 is also "no prefix matches", so give
// real results ids from 1. Memory is ~64 MiB whatever the table size (about 75 bytes per
// prefix on a full Internet table); poptrie.ts is the compact alternative.
//
// Incremental changes (applyDir24Change) cost what the prefix covers: a /24 rewrites one
// entry, a /8 65,536. They follow the rte_lpm add/delete rule: every entry remembers the
// length of the prefix that wrote it (aux arrays, outside the shared memory), a new prefix
// overwrites only entries written by shorter-or-equal ones, and a deleted prefix hands its
// entries to its next-shorter covering prefix (the ancestor fib_table_delete() exposes).
//
// The arrays live in a shared WebAssembly.Memory (_shared-heap.ts) so that workers and the
// WebAssembly loop (wasm-lookup.ts) read them without a copy.
//
// Divergence: changes mutate the shared arrays in place, so a table must not change while a
// lookup that uses it runs; the pool (workers/lookup-pool.ts) offers idle(version) for a
// left-right pair of replicas (cloneDir24), as userspace RCU would.

import {
  checkPrefix,
  checkValue,
  indexColumns,
  sortByLength,
  toColumns,
  type ByLength,
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

export type { LpmChange, LpmEntry } from './_prefix-index.js';

const TBL24_ENTRIES = 1 << 24;
const GROUP = 256;

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
function allocGroup(t: Dir24Table): number {
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
function splitToGroup(t: Dir24Table, i: number): number {
  const g = allocGroup(t);
  const base = g * GROUP;
  t.tbl8.fill(t.tbl24[i]!, base, base + GROUP);
  t.aux.len8.fill(t.aux.len24[i]!, base, base + GROUP);
  t.aux.groupPrefixes[g] = 0;
  t.tbl24[i] = ~g;
  return g;
}

/**
 * Compiles prefixes into a DIR-24-8 table; a later duplicate prefix/len replaces an earlier one.
 *
 * @example
 *   const t = buildDir24([{ prefix: 0x0a000000, len: 8, value: 1 }]);
 *   lookupDir24(t, 0x0a010203); // 1
 *
 * 1. Check the entries (len 0..32, host bits zero, value 0..2^31-1) into columns.
 * 2. Counting-sort them by length, so a longer prefix is written after the ones it refines
 *    (and a duplicate after the one it replaces). The prefix index that changes need is built
 *    from these columns on the first change, keeping compile time to the arrays themselves.
 * 3. Write each prefix of length <= 24 as a run of tbl24 entries (TypedArray.fill).
 * 4. For each prefix longer than /24, split its /24 into a tbl8 group, then fill its run there.
 */
export function buildDir24(entries: Iterable<LpmEntry>): Dir24Table {
  const sorted = sortByLength(toColumns(entries));
  const longCount = sorted.start[33]! - sorted.start[25]!;
  const capacity = Math.max(16, longCount + (longCount >> 2));
  const heap = newSharedHeap();
  const t: Dir24Table = {
    kind: 'dir24-8',
    heap,
    tbl24: heapAlloc(heap, TBL24_ENTRIES),
    tbl8: heapAlloc(heap, capacity * GROUP),
    aux: {
      index: null,
      sorted,
      len24: new Uint8Array(TBL24_ENTRIES),
      len8: new Uint8Array(capacity * GROUP),
      groupPrefixes: new Uint16Array(capacity),
      groupsUsed: 0,
      freeGroups: [],
    },
  };
  const { prefixes, lens, values, start } = sorted;
  const { tbl24, aux } = t;
  const len24 = aux.len24;
  for (let k = 0; k < start[25]!; k++) {
    const len = lens[k]!;
    const from = (prefixes[k]! >>> 8) >>> 0;
    const to = from + (1 << (24 - len));
    const v = values[k]!;
    if (to - from > 64) {
      tbl24.fill(v, from, to);
      len24.fill(len + 1, from, to);
    } else {
      // A loop beats TypedArray.prototype.fill's call overhead on the short runs that dominate.
      for (let i = from; i < to; i++) {
        tbl24[i] = v;
        len24[i] = len + 1;
      }
    }
  }
  for (let k = start[25]!; k < start[33]!; k++) {
    const len = lens[k]!;
    const p = prefixes[k]!;
    const i = p >>> 8;
    const e = tbl24[i]!;
    const g = e < 0 ? ~e : splitToGroup(t, i);
    aux.groupPrefixes[g]!++;
    const from = g * GROUP + (p & 255);
    const to = from + (1 << (32 - len));
    t.tbl8.fill(values[k]!, from, to);
    aux.len8.fill(len + 1, from, to);
  }
  return t;
}

/**
 * The value of the longest prefix matching `addr` (a uint32), or 0 when none matches.
 *
 * @example
 *   lookupDir24(t, 0xc0a80001); // 192.168.0.1
 */
export function lookupDir24(t: Dir24Table, addr: number): number {
  const e = t.tbl24[addr >>> 8]!;
  return e >= 0 ? e : t.tbl8[(~e << 8) | (addr & 255)]!;
}

/**
 * Looks up `addrs[i]` into `out[i]` for every i (out must be at least as long).
 *
 * @example
 *   lookupBatch(t, new Uint32Array([0x0a000001]), out);
 */
export function lookupBatch(t: Dir24Table, addrs: Uint32Array, out: Uint32Array): void {
  lookupDir24Arrays(t.tbl24, t.tbl8, addrs, out, 0, addrs.length);
}

/**
 * The batch loop over bare arrays, shared with the workers (which hold views, not tables):
 * answers `addrs[from..to)` into `out[from..to)`.
 */
export function lookupDir24Arrays(
  tbl24: Int32Array,
  tbl8: Int32Array,
  addrs: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const a = addrs[i]!;
    const e = tbl24[a >>> 8]!;
    out[i] = e >= 0 ? e : tbl8[(~e << 8) | (a & 255)]!;
  }
}

/**
 * Applies one insert (or replace) or remove in place, at a cost proportional to the addresses
 * the prefix covers; removing an absent prefix is a no-op. Returns whether anything changed.
 *
 * @example
 *   applyDir24Change(t, { type: 'insert', prefix: 0x0a010000, len: 16, value: 2 });
 *
 * 1. Update the index; for a remove, find the next-shorter covering prefix (or none).
 * 2. Insert: overwrite every entry in the prefix's run written by a prefix of length <= len.
 *    Remove: give every entry written by this prefix to the covering prefix.
 * 3. A /25../32 works inside its /24's group, splitting the /24 first; the group is freed
 *    when its last long prefix goes.
 */
export function applyDir24Change(t: Dir24Table, change: LpmChange): boolean {
  checkPrefix(change.prefix, change.len);
  const { prefix, len } = change;
  const aux = t.aux;
  const index = ensureDir24Index(t);
  let value: number;
  let setLen: number;
  let onlyLen: number;
  let added = false;
  if (change.type === 'insert') {
    checkValue(change.value);
    const old = index.set(prefix, len, change.value);
    if (old === change.value) return false;
    added = old < 0;
    value = change.value;
    setLen = len + 1;
    onlyLen = -1;
  } else {
    if (index.delete(prefix, len) < 0) return false;
    const c = index.covering(prefix, len);
    value = c.value;
    setLen = c.len + 1;
    onlyLen = len + 1;
  }
  const L = len + 1;
  const { tbl24 } = t;
  if (len <= 24) {
    const from = prefix >>> 8;
    const to = from + (1 << (24 - len));
    const { len24, len8 } = aux;
    const tbl8 = t.tbl8;
    for (let i = from; i < to; i++) {
      const l = len24[i]!;
      const hit = onlyLen < 0 ? l <= L : l === L;
      const e = tbl24[i]!;
      if (e >= 0) {
        if (hit) {
          tbl24[i] = value;
          len24[i] = setLen;
        }
      } else {
        if (hit) len24[i] = setLen;
        const base = ~e * GROUP;
        for (let j = base; j < base + GROUP; j++) {
          const lj = len8[j]!;
          if (onlyLen < 0 ? lj <= L : lj === L) {
            tbl8[j] = value;
            len8[j] = setLen;
          }
        }
      }
    }
    return true;
  }
  const i = prefix >>> 8;
  const e = tbl24[i]!;
  // A removed prefix was indexed, hence written, so its /24 already has a group.
  const g = e < 0 ? ~e : splitToGroup(t, i);
  const from = g * GROUP + (prefix & 255);
  const to = from + (1 << (32 - len));
  const { tbl8 } = t;
  const len8 = aux.len8;
  for (let j = from; j < to; j++) {
    const lj = len8[j]!;
    if (onlyLen < 0 ? lj <= L : lj === L) {
      tbl8[j] = value;
      len8[j] = setLen;
    }
  }
  if (change.type === 'insert') {
    if (added) aux.groupPrefixes[g]!++;
    return true;
  }
  const left = aux.groupPrefixes[g]! - 1;
  aux.groupPrefixes[g] = left;
  if (left === 0) {
    // Every entry now holds the /24's covering value: fold the group back into tbl24.
    tbl24[i] = t.tbl8[g * GROUP]!;
    aux.freeGroups.push(g);
  }
  return true;
}

/**
 * Builds the prefix index of a freshly compiled table (done by the first change; call it
 * ahead to take that cost off the first change), and recounts each group's long prefixes
 * now that duplicates are merged.
 */
export function ensureDir24Index(t: Dir24Table): PrefixIndex {
  const aux = t.aux;
  if (aux.index) return aux.index;
  const sorted = aux.sorted;
  if (!sorted) throw new Error('Cannot index DIR-24-8 table: it has neither index nor prefixes');
  const index = indexColumns(sorted);
  aux.groupPrefixes.fill(0);
  index.forEach((p, len) => {
    if (len > 24) aux.groupPrefixes[~t.tbl24[p >>> 8]!]!++;
  });
  aux.index = index;
  aux.sorted = null;
  return index;
}

/**
 * A deep copy with its own shared arrays: the spare replica of a left-right pair.
 *
 * @example
 *   const spare = cloneDir24(t); // apply changes to spare, publish it, then replay on t
 */
export function cloneDir24(t: Dir24Table): Dir24Table {
  const used = t.aux.groupsUsed;
  const capacity = t.tbl8.length / GROUP;
  const heap = newSharedHeap();
  const tbl24 = heapAlloc(heap, TBL24_ENTRIES);
  tbl24.set(t.tbl24);
  const tbl8 = heapAlloc(heap, capacity * GROUP);
  tbl8.set(t.tbl8.subarray(0, used * GROUP));
  return {
    kind: 'dir24-8',
    heap,
    tbl24,
    tbl8,
    aux: {
      index: ensureDir24Index(t).clone(),
      sorted: null,
      len24: t.aux.len24.slice(),
      len8: t.aux.len8.slice(),
      groupPrefixes: t.aux.groupPrefixes.slice(),
      groupsUsed: used,
      freeGroups: [...t.aux.freeGroups],
    },
  };
}

/** What a worker attaches to (no copy: postMessage shares a shared WebAssembly.Memory). */
export function dir24Shared(t: Dir24Table): Dir24Shared {
  return {
    kind: 'dir24-8',
    heapId: t.heap.id,
    memory: t.heap.memory,
    tbl24: regionOf(t.tbl24),
    tbl8: regionOf(t.tbl8),
  };
}

/** Memory of a table in bytes: what workers share, and the main thread's bookkeeping. */
export interface LpmMemory {
  /** Bytes of the shared arrays that lookups read (allocated, including spare capacity). */
  readonly sharedBytes: number;
  /**
   * Bytes the table's heap has grown to: sharedBytes plus regions left behind by growth and
   * the workers' scratch space.
   */
  readonly heapBytes: number;
  /** Bytes of the main thread's bookkeeping for incremental changes. */
  readonly auxBytes: number;
  readonly prefixes: number;
  /** sharedBytes / prefixes. */
  readonly bytesPerPrefix: number;
}

/** Reports a table's memory. */
export function dir24Memory(t: Dir24Table): LpmMemory {
  const sharedBytes = t.tbl24.byteLength + t.tbl8.byteLength;
  // Counting distinct prefixes needs the index (which the first change builds anyway).
  const prefixes = ensureDir24Index(t).size;
  const a = t.aux;
  const auxBytes =
    (a.index?.byteLength ?? 0) +
    (a.sorted ? a.sorted.lens.length * 9 : 0) +
    a.len24.byteLength +
    a.len8.byteLength +
    a.groupPrefixes.byteLength;
  return {
    sharedBytes,
    heapBytes: heapBuffer(t.heap.memory).byteLength,
    auxBytes,
    prefixes,
    bytesPerPrefix: prefixes ? sharedBytes / prefixes : 0,
  };
}

