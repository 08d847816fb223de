// Looking up a poptrie (poptrie.ts describes the layout) in JavaScript, and what a worker
// receives to look it up itself.
//
// Why: this is fib_table_lookup()'s longest-prefix match over the compiled table; the
// workers' faster loop is the same walk in WebAssembly (wasm-lookup.ts), and its answers are
// checked against this one.

import { regionOf } from './_shared-heap.js';
import type { PoptrieShared, PoptrieTable } from './_poptrie-arena.js';

/** Number of set bits of a uint32 (also the direct level's writer, _direct-level.ts). */
export function popcount(x: number): number {
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
