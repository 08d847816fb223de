// The auxiliary prefix index behind the compiled LPM tables (dir24-8.ts, poptrie.ts).
//
// Why: a compiled table stores expanded answers, not prefixes, so deleting a prefix needs the
// next-shorter prefix that covers it -- the job fib_table_delete() gets for free from the
// trie, where the covering leaf is an ancestor. This index answers "which prefixes exist" and
// "which one covers P/len" with at most 33 hash probes, and lives outside the shared arrays:
// workers never see it.
//
// Open addressing with linear probing and backward-shift deletion, all in typed arrays, so a
// full table (~900k prefixes) is indexed in a few tens of milliseconds without allocating an
// object per prefix.

/** Marks an empty slot in `lens`. */
const EMPTY = 0xff;

/** The network mask of a prefix length as an int32 (`len` 0..32). */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : -1 << (32 - len);
}

/** Hashes (prefix, len) to 32 bits (a murmur3 finaliser over a mix of both). */
function hashKey(prefix: number, len: number): number {
  let h = (prefix ^ Math.imul(len + 1, 0x9e3779b9)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** A covering prefix found by {@link PrefixIndex.covering}: its length and value. */
export interface Covering {
  readonly len: number;
  readonly value: number;
}

/** No covering prefix: the answer a lookup gives where nothing matches. */
export const NO_COVER: Covering = { len: -1, value: 0 };

/**
 * A set of IPv4 prefixes with an int32 value each, keyed by (prefix, len).
 *
 * @example
 *   const ix = new PrefixIndex(16);
 *   ix.set(0x0a000000, 8, 7);
 *   ix.covering(0x0a010000, 16); // { len: 8, value: 7 }
 */
export class PrefixIndex {
  private prefixes: Int32Array;
  private lens: Uint8Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.prefixes = new Int32Array(cap);
    this.lens = new Uint8Array(cap).fill(EMPTY);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** How many prefixes are stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the index's arrays. */
  get byteLength(): number {
    return this.prefixes.byteLength + this.lens.byteLength + this.values.byteLength;
  }

  private find(prefix: number, len: number): number {
    const p = prefix | 0;
    let i = hashKey(p, len) & this.mask;
    for (;;) {
      const l = this.lens[i]!;
      if (l === EMPTY) return -1 - i;
      if (l === len && this.prefixes[i] === p) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The value of prefix/len, or -1 when absent. */
  get(prefix: number, len: number): number {
    const i = this.find(prefix, len);
    return i >= 0 ? this.values[i]! : -1;
  }

  /** Whether prefix/len is stored. */
  has(prefix: number, len: number): boolean {
    return this.find(prefix, len) >= 0;
  }

  /** Stores prefix/len -> value; returns the previous value or -1. */
  set(prefix: number, len: number, value: number): number {
    const i = this.find(prefix, len);
    if (i >= 0) {
      const old = this.values[i]!;
      this.values[i] = value;
      return old;
    }
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      return this.set(prefix, len, value);
    }
    const slot = -1 - i;
    this.prefixes[slot] = prefix | 0;
    this.lens[slot] = len;
    this.values[slot] = value;
    this.count++;
    return -1;
  }

  /** Removes prefix/len; returns its value or -1 when absent. */
  delete(prefix: number, len: number): number {
    let i = this.find(prefix, len);
    if (i < 0) return -1;
    const old = this.values[i]!;
    // Backward-shift deletion: pull later members of the probe run into the hole.
    const m = this.mask;
    let j = i;
    for (;;) {
      j = (j + 1) & m;
      const l = this.lens[j]!;
      if (l === EMPTY) break;
      const home = hashKey(this.prefixes[j]!, l) & m;
      // Move j to i when its home is not cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!inRange) {
        this.prefixes[i] = this.prefixes[j]!;
        this.lens[i] = l;
        this.values[i] = this.values[j]!;
        i = j;
      }
    }
    this.lens[i] = EMPTY;
    this.count--;
    return old;
  }

  /**
   * The longest stored prefix strictly shorter than `len` that covers `prefix`
   * (the ancestor fib_table_delete() would fall back to), or {@link NO_COVER}.
   */
  covering(prefix: number, len: number): Covering {
    for (let l = len - 1; l >= 0; l--) {
      const i = this.find(prefix & prefixMask(l), l);
      if (i >= 0) return { len: l, value: this.values[i]! };
    }
    return NO_COVER;
  }

  /** Calls `fn` for every stored prefix, in no particular order. */
  forEach(fn: (prefix: number, len: number, value: number) => void): void {
    const lens = this.lens;
    for (let i = 0; i < lens.length; i++) {
      const l = lens[i]!;
      if (l !== EMPTY) fn(this.prefixes[i]! >>> 0, l, this.values[i]!);
    }
  }

  /** A deep copy. */
  clone(): PrefixIndex {
    const c = new PrefixIndex(0);
    c.prefixes = this.prefixes.slice();
    c.lens = this.lens.slice();
    c.values = this.values.slice();
    c.mask = this.mask;
    c.count = this.count;
    return c;
  }

  private grow(): void {
    const { prefixes, lens, values } = this;
    const cap = (this.mask + 1) * 2;
    this.prefixes = new Int32Array(cap);
    this.lens = new Uint8Array(cap).fill(EMPTY);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < lens.length; i++) {
      const l = lens[i]!;
      if (l !== EMPTY) this.set(prefixes[i]!, l, values[i]!);
    }
  }
}

/** One prefix of a table being compiled: host-order uint32 prefix, host bits zero. */
export interface LpmEntry {
  readonly prefix: number;
  readonly len: number;
  readonly value: number;
}

/** One incremental change to a compiled table. */
export type LpmChange =
  | { readonly type: 'insert'; readonly prefix: number; readonly len: number; readonly value: number }
  | { readonly type: 'remove'; readonly prefix: number; readonly len: number };

/** The largest value a table can store: the sign bit tags inner pointers. */
export const LPM_MAX_VALUE = 0x7fffffff;

/**
 * Checks one prefix; throws a RangeError naming what was expected.
 * Values are 0..2^31-1; 0 is what a lookup returns where nothing matches.
 */
export function checkPrefix(prefix: number, len: number): void {
  if (!Number.isInteger(len) || len < 0 || len > 32) {
    throw new RangeError(`Cannot compile prefix: length must be 0..32: got ${len}`);
  }
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 0xffffffff) {
    throw new RangeError(`Cannot compile prefix: address must be a uint32: got ${prefix}`);
  }
  if ((prefix & ~prefixMask(len)) !== 0) {
    throw new RangeError(
      `Cannot compile prefix: host bits must be zero: got ${formatPrefix(prefix, len)}`,
    );
  }
}

/** Checks one value (see {@link checkPrefix}). */
export function checkValue(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > LPM_MAX_VALUE) {
    throw new RangeError(`Cannot compile prefix: value must be 0..2^31-1: got ${value}`);
  }
}

/** "a.b.c.d/len", for messages. */
export function formatPrefix(prefix: number, len: number): string {
  const p = prefix >>> 0;
  return `${p >>> 24}.${(p >>> 16) & 255}.${(p >>> 8) & 255}.${p & 255}/${len}`;
}

/** Prefixes as columns (the compile input once checked). */
export interface Columns {
  readonly prefixes: Int32Array;
  readonly lens: Uint8Array;
  readonly values: Int32Array;
}

/** The prefixes sorted by length: `start[l]..start[l+1]` holds length l (34 entries). */
export interface ByLength extends Columns {
  readonly start: Int32Array;
}

/**
 * Checks entries and copies them into columns, keeping their order (so that a later duplicate
 * still comes later).
 */
export function toColumns(entries: Iterable<LpmEntry>): Columns {
  let cap = Array.isArray(entries) ? Math.max(16, entries.length) : 1024;
  let prefixes = new Int32Array(cap);
  let lens = new Uint8Array(cap);
  let values = new Int32Array(cap);
  let n = 0;
  for (const e of entries) {
    const { prefix, len, value } = e;
    checkPrefix(prefix, len);
    checkValue(value);
    if (n === cap) {
      cap *= 2;
      const p2 = new Int32Array(cap);
      p2.set(prefixes);
      prefixes = p2;
      const l2 = new Uint8Array(cap);
      l2.set(lens);
      lens = l2;
      const v2 = new Int32Array(cap);
      v2.set(values);
      values = v2;
    }
    prefixes[n] = prefix | 0;
    lens[n] = len;
    values[n] = value;
    n++;
  }
  return { prefixes: prefixes.subarray(0, n), lens: lens.subarray(0, n), values: values.subarray(0, n) };
}

/** Sorts columns by length with a stable counting sort, in O(n). */
export function sortByLength(c: Columns): ByLength {
  const counts = new Int32Array(34);
  const n = c.lens.length;
  for (let k = 0; k < n; k++) counts[c.lens[k]! + 1]!++;
  for (let l = 1; l < 34; l++) counts[l]! += counts[l - 1]!;
  const start = counts.slice();
  const fill = counts;
  const prefixes = new Int32Array(n);
  const lens = new Uint8Array(n);
  const values = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const l = c.lens[k]!;
    const j = fill[l]!++;
    prefixes[j] = c.prefixes[k]!;
    lens[j] = l;
    values[j] = c.values[k]!;
  }
  return { prefixes, lens, values, start };
}

/** Indexes columns; a later duplicate replaces an earlier one. */
export function indexColumns(c: Columns): PrefixIndex {
  const n = c.lens.length;
  const ix = new PrefixIndex(n);
  for (let k = 0; k < n; k++) ix.set(c.prefixes[k]!, c.lens[k]!, c.values[k]!);
  return ix;
}
