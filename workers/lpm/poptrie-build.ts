// Building a poptrie from prefixes (poptrie.ts describes the layout): the direct entries of
// the prefixes up to /16, then one subtree per /16 that holds longer ones.
//
// Why: a full compile of the FIB (workers/compile/fib-lpm.ts) ends here; the depth-first
// order a FIB walk produces takes a path without sorting, as fib_table_dump() walks the trie
// in key order.

import {
  checkPrefix,
  checkValue,
  sortByLength,
  toColumns,
  type ByLength,
  type Columns,
  type LpmEntry,
} from './_prefix-index.js';
import { newSharedHeap } from './_shared-heap.js';
import { BLOCK, newArena, settle, SLOTS, version, type PoptrieAux, type PoptrieTable } from './_poptrie-arena.js';
import { emitDirs, emitSlot } from './_poptrie-subtree.js';

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
