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
//
// The shape and tbl8 groups are in _dir24-groups.ts, incremental changes in dir24-8-change.ts.

import { sortByLength, toColumns, type LpmEntry } from './_prefix-index.js';
import { heapAlloc, heapBuffer, newSharedHeap, regionOf } from './_shared-heap.js';

export type { LpmChange, LpmEntry } from './_prefix-index.js';
import { GROUP, TBL24_ENTRIES, splitToGroup, type Dir24Shared, type Dir24Table } from './_dir24-groups.js';
import { ensureDir24Index } from './dir24-8-change.js';

export type { Dir24Aux, Dir24Shared, Dir24Table } from './_dir24-groups.js';
export { applyDir24Change, ensureDir24Index } from './dir24-8-change.js';

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
