// The lookup loop of one flat copy that has the direct level (_direct-level.ts), compiled for
// that copy: the level's place is a constant of the code, not a parameter.
//
// Why: WebAssembly computes a memory index in 32 bits, so the generic loop (wasm-lookup.ts)
// adds the copy's place to each /24's index before the load (an `add` per address), while a
// constant folds into the load's offset, as a C array's address does into its instruction.
// And the generic group keeps the walk of a DIRECT_MISS inline after each test, so the
// common answer jumps over it (a taken branch per address). Here each address of a group of
// 16 is load, shift, mask, load, test, store, with the test falling through; the first miss
// leaves the group for a slow block after it, which answers the whole group again with the
// walk (a miss is about 1 address in 800 on the real table). On the real table, with the
// same memory and addresses in alternating passes, 1.11-1.21x the generic loop
// (bench/results/engine.json has the run's figures).
//
// A module per copy: copies are allocated once and never move or change kind (their heap
// only grows), so a thread compiles the loop of a copy the first time it reads it and keeps
// it with the heap's runner (wasm-lookup.ts, directLoopFor()).

import { DIRECT_AT, DIRECT_MISS } from './_flat-layout.js';
import { add, and, block, br, brIf, end, eq, funcBody, geU, get, gtU, i32, ifThen, load, load16u, loop, name, section, set, shl, shrU, store, sub, tee, uleb, vec, xor, I32, type Code } from './_wasm-encode.js';
import { firstNode, stepTwo, type WalkPlaces } from './_wasm-walk.js';

/** direct(nodes, leaves, addrs, out, n): byte offsets, n addresses. */
export type DirectLoop = (nodes: number, leaves: number, addrs: number, out: number, n: number) => void;

// Parameters, then locals: byte index i, end, groupEnd, the address a (or ~a), the answer e.
const NODES = 0;
const LEAVES = 1;
const ADDRS = 2;
const OUT = 3;
const N = 4;
const I = 5;
const END = 6;
const GEND = 7;
const A = 8;
const E = 9;
const LOCALS = 5;

/** Addresses per group. */
const GROUP = 16;

/** The module of the loop for the copy whose word pairs are at byte offset `flat`. */
export function directLoopBytes(flat: number): Uint8Array {
  const places: WalkPlaces = { flat: i32(flat), nodes: get(NODES), leaves: get(LEAVES) };
  const level = flat + DIRECT_AT;
  /** e = the /24's entry of address a (its index is the address's top 24 bits, times 2 bytes). */
  const entry = (k: number): Code[] => [get(ADDRS), get(I), add, load(4 * k), tee(A), i32(7), shrU, i32(-2), and, load16u(level), tee(E)];
  const storeOut = (k: number): Code[] => [get(OUT), get(I), add, get(E), store(4 * k)];
  /** The common case: a miss leaves the group (br_if to the end of the enclosing block). */
  const hit = (k: number): Code[] => [entry(k), i32(DIRECT_MISS), eq, brIf(0), storeOut(k)];
  /** Any address: a miss walks the pairs (and perhaps the fourth byte's node). */
  const any = (k: number): Code[] => [entry(k), i32(DIRECT_MISS), eq, ifThen, get(A), i32(-1), xor, set(A), firstNode(places, A, E), stepTwo(places, A, E), end, storeOut(k)];
  const ks = [...Array(GROUP).keys()];
  const body: Code[] = [
    get(N), i32(2), shl, set(END),
    get(END), i32(4 * GROUP), sub, set(GEND),
    get(END), i32(4 * GROUP), geU, ifThen,
    block, loop,
    get(I), get(GEND), gtU, brIf(1),
    block,
    ks.map(hit),
    get(I), i32(4 * GROUP), add, set(I),
    br(1),
    end,
    // A miss in the group: the whole group again, with the walk.
    ks.map(any),
    get(I), i32(4 * GROUP), add, set(I),
    br(0),
    end, end,
    end,
    // The remaining addresses, one at a time.
    block, loop,
    get(I), get(END), geU, brIf(1),
    any(0),
    get(I), i32(4), add, set(I),
    br(0),
    end, end,
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: 5 }, () => [I32])), 0]])),
    // import env.mem: a shared memory (limits flag 3), 0..65536 pages.
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(0), ...uleb(65536)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('direct'), 0x00, 0]])),
    ...section(10, [...uleb(1), ...funcBody(LOCALS, [body, end])]),
  ];
  return Uint8Array.from(bytes);
}
