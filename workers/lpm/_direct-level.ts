// The direct level of a flat copy (wasm-lookup.ts): a uint16 entry per /24, the code of its
// answer, so that a lookup in a large table is one load where the pairs take two dependent
// ones (the word pair, then the leaf).
//
// Why: on the real table table-drawn lookups are bound by memory latency, not instructions
// (the loop runs ~2.5x faster with its data in cache). The C DIR-24-8 baseline answers with
// one load into its 64 MiB tbl24; this level is the same single load into 32 MiB (codes fit
// 16 bits: 1,038 on the real table). A /24 that holds longer prefixes (451 of them on the
// real table), or whose code is 16 bits or more, is DIRECT_MISS, and its lookup walks the
// pairs as before. Only some copies have it: see DIRECT_MIN_LEAVES and DIRECT_MAX_NODES in
// wasm-lookup.ts (small tables, and tables whose longer prefixes spread over most /16s, keep
// the pairs).

import { DIRECT_AT, DIRECT_MISS } from './_flat-layout.js';
import { popcount } from './poptrie-lookup.js';

/** The entry of a leaf: the code, or DIRECT_MISS for a node (< 0) or a code of 16 bits or more. */
const entryOf = (leaf: number): number => (leaf < 0 || leaf >= DIRECT_MISS ? DIRECT_MISS : leaf);

/**
 * Writes /16 x's 256 entries of the direct level of the copy at byte offset `pairs`, whose
 * direct entry (poptrie-build.ts) is `e`: a value's 256 copies, or each /24's leaf as the
 * lookup's first step finds it in the word pairs the flatten loop has just written (walkFlat
 * in wasm-lookup.ts). `mem` and `u16` view the whole heap.
 */
export function writeDirect16(mem: Int32Array, u16: Uint16Array, pairs: number, x: number, e: number): void {
  const at = (pairs + DIRECT_AT + x * 512) >>> 1;
  if (e >= 0) {
    u16.fill(entryOf(e), at, at + 256);
    return;
  }
  for (let b = 0; b < 256; b++) {
    const na = ~((x << 16) | (b << 8));
    const pair = (pairs + ((na >>> 10) & -8)) >>> 2;
    const bitmap = mem[pair]!;
    const base = mem[pair + 1]!;
    u16[at + b] = entryOf(mem[(base + 4 * popcount(bitmap << ((na >>> 8) & 31))) >>> 2]!);
  }
}

/**
 * Writes the direct level of a copy for a version (dirs and root as int32 indexes into `mem`)
 * for the /16s whose direct entry differs from the version the copy held (all of them for an
 * empty copy), by the flatten loop's own test (an unchanged entry is an unchanged subtree).
 */
export function updateDirect(mem: Int32Array, u16: Uint16Array, pairs: number, dirs: number, root: number, oldDirs: number, oldRoot: number, all: boolean): void {
  for (let h = 0; h < 256; h++) {
    const nb = mem[dirs + root + h]!;
    const ob = mem[oldDirs + oldRoot + h]!;
    if (!all && nb === ob) continue;
    for (let l = 0; l < 256; l++) {
      const e = mem[dirs + nb + l]!;
      if (!all && e === mem[oldDirs + ob + l]) continue;
      writeDirect16(mem, u16, pairs, (h << 8) | l, e);
    }
  }
}
