// The lookup loop of one flat copy (wasm-lookup.ts), compiled for that copy: the copy's place
// is a constant of the code, not a parameter.
//
// Why: WebAssembly computes a memory index in 32 bits, so a loop shared by every copy (the
// module's `poptrie` export until session 15) adds the copy's place to each index before the
// load (an `add` per address), while a constant folds into the load's offset, as a C array's
// address does into its instruction. And the shared loop's group kept the rare case inline
// after each test (the walk of a DIRECT_MISS, the fourth byte's node), so the common answer
// jumped over it: a taken branch per address. Here a group is straight-line code whose tests
// fall through; the first rare address leaves the group for a slow block after it, which
// answers the whole group again with the full walk.
// - With the direct level (_direct-level.ts), an address is load, shift, mask, load, test,
//   store: 6 instructions where the shared loop ran 9 and a taken branch (TurboFan's code).
//   A miss is about 1 address in 800 on the real table. Same memory and addresses,
//   alternating passes: 1.07-1.18x the shared loop (load 3-5), answers identical.
// - Through the word pairs: the pair's two loads take the constant as their offset, and a
//   leaf that is a node (a /25../32 under the /24) leaves the group.
//
// A module per copy: copies are allocated once and never move or change kind (their heap
// only grows), so a thread compiles the loop of a copy the first time it reads it and keeps
// it with the heap's runner (wasm-lookup.ts, poptrieLoop()).

import { DIRECT_AT, DIRECT_MISS } from './_flat-layout.js';
import { add, and, block, br, brIf, end, eq, funcBody, geU, get, gtU, i32, ifThen, load, load16u, loop, ltS, name, section, set, shl, shrU, store, sub, tee, uleb, vec, xor, I32, type Code } from './_wasm-encode.js';
import { firstNode, stepTwo, type WalkPlaces } from './_wasm-walk.js';

/** loop(nodes, leaves, addrs, out, n): byte offsets, n addresses. */
export type CopyLoop = (nodes: number, leaves: number, addrs: number, out: number, n: number) => void;

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

/** Addresses per group: through the direct level, and through the pairs (as the generic loop's). */
const DIRECT_GROUP = 16;
const PAIRS_GROUP = 8;

/** One address of a group: the common case leaves to the slow block (br_if 0) when it cannot answer; `any` answers every address. */
interface Lookup {
  readonly hit: (k: number) => Code[];
  readonly any: (k: number) => Code[];
}

function directLookup(p: WalkPlaces): Lookup {
  /** e = the /24's entry of address a (its index is the address's top 24 bits, times 2 bytes). */
  const entry = (k: number): Code[] => [get(ADDRS), get(I), add, load(4 * k), tee(A), i32(7), shrU, i32(-2), and, load16u(p.flat + DIRECT_AT), tee(E)];
  return {
    hit: (k) => [entry(k), i32(DIRECT_MISS), eq, brIf(0), storeOut(k)],
    any: (k) => [entry(k), i32(DIRECT_MISS), eq, ifThen, get(A), i32(-1), xor, set(A), firstNode(p, A, E), stepTwo(p, A, E), end, storeOut(k)],
  };
}

function pairsLookup(p: WalkPlaces): Lookup {
  const leaf = (k: number): Code[] => [get(ADDRS), get(I), add, load(4 * k), i32(-1), xor, set(A), firstNode(p, A, E)];
  return {
    hit: (k) => [leaf(k), get(E), i32(0), ltS, brIf(0), storeOut(k)],
    any: (k) => [leaf(k), stepTwo(p, A, E), storeOut(k)],
  };
}

const storeOut = (k: number): Code[] => [get(OUT), get(I), add, get(E), store(4 * k)];

/** The module of the loop for the copy whose word pairs are at byte offset `flat`, with or without the direct level. */
export function copyLoopBytes(flat: number, direct: boolean): Uint8Array {
  const places: WalkPlaces = { flat, nodes: get(NODES), leaves: get(LEAVES) };
  const { hit, any } = direct ? directLookup(places) : pairsLookup(places);
  const group = direct ? DIRECT_GROUP : PAIRS_GROUP;
  const ks = [...Array(group).keys()];
  const body: Code[] = [
    get(N), i32(2), shl, set(END),
    get(END), i32(4 * group), sub, set(GEND),
    get(END), i32(4 * group), geU, ifThen,
    block, loop,
    get(I), get(GEND), gtU, brIf(1),
    block,
    ks.map(hit),
    get(I), i32(4 * group), add, set(I),
    br(1),
    end,
    // An address the common case cannot answer: the whole group again, with the full walk.
    ks.map(any),
    get(I), i32(4 * group), add, set(I),
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
    ...section(7, vec([[...name('lookup'), 0x00, 0]])),
    ...section(10, [...uleb(1), ...funcBody(LOCALS, [body, end])]),
  ];
  return Uint8Array.from(bytes);
}
