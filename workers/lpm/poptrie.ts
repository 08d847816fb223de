// A compact longest-prefix-match table: Poptrie-style leaf compression over DIR-8-8-8-8.
//
// Why: DIR-24-8 (dir24-8.ts) spends 64 MiB whatever the table holds, about 75 bytes per prefix
// on a full Internet table; the kernel's own fib_trie spends about 150. The issue targets at
// most 16. This layout keeps a direct-indexed top (Poptrie's "direct pointing", 16 bits) and
// stores each 256-way node below it as Poptrie does (Asai & Ohara, SIGCOMM 2015): a bitmap
// marks where a run of equal answers starts, and a popcount turns the address byte into an
// index into a dense array of run values.
//
// Measured here (AMD EPYC, 2 cores; bench/lpm.bench.ts) on the full table of 901,899
// prefixes: 7.1 bytes per prefix (6.1 MiB; DIR-24-8: 75.8), compile ~30-50 ms, one route
// event ~20 us median. The WebAssembly loop (wasm-lookup.ts) reads a per-thread flattened
// copy of the third-byte nodes (4 MiB, not counted above), so a lookup is two dependent loads,
// as DIR-24-8's is for a long prefix, and the whole fits in the last-level cache. On a
// generated table whose prefixes are spread evenly over all /16s it needs 13.7 bytes per
// prefix (rates: bench/results/engine.json and lpm.json).
//
//   | array  | entry                                       | read with                        |
//   |--------|---------------------------------------------|----------------------------------|
//   | dirs   | root: 256 block offsets; block: 256 entries | dirs[dirs[root + a>>>24] + b2]   |
//   |        | entry: a value (>= 0) or ~node (< 0)        |                                  |
//   | nodes  | 16 words: 8 x (run bitmap, leaf base)       | byte b: word b>>5, bit b&31      |
//   | leaves | a value (>= 0) or ~node (< 0, /25../32)     | base + popcount(bits <= b)       |
//
// A node is 64 bytes (one cache line). The leaf base stored per 32-bit word already counts the
// runs of the words before it, minus one, so a byte whose run began in an earlier word (no bit
// set at or below it in its own word) lands on that earlier run's leaf.
//
// Versions are persistent: dirs, nodes and leaves are append-only arenas. A change
// (applyPoptrieChanges) copies the 1 KiB root and each 1 KiB block it touches, rebuilds only
// the /16 subtrees it touches at the arenas' ends, and returns a version that differs from
// the last by its root offset. Earlier versions stay valid while workers read them; when
// garbage outgrows the live part, everything is rebuilt into fresh arenas (earlier versions
// keep the old ones). This mirrors fib_trie.c replacing a tnode under RCU and freeing the old
// one later (tnode_free()), except that nothing is freed in place.
//
// The modules: _poptrie-arena.ts (types, arenas, shared heap), _poptrie-subtree.ts (one /16),
// poptrie-build.ts, poptrie-update.ts, poptrie-lookup.ts; this file is their public face.

export type { PoptrieShared, PoptrieTable } from './_poptrie-arena.js';
export { buildPoptrie, buildPoptrieColumns } from './poptrie-build.js';
export { applyPoptrieChanges, ensurePoptrieIndex, poptrieIndexed, poptrieMemory } from './poptrie-update.js';
export { lookupPoptrie, lookupPoptrieArrays, lookupPoptrieBatch, poptrieShared } from './poptrie-lookup.js';
