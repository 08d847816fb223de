// The walk of one address through a flat copy's word pairs and the shared nodes, as
// WebAssembly code (see wasm-lookup.ts for the layout), for the loops compiled for one copy
// (_copy-loop.ts), which have its place as a constant.

import { add, and, end, get, i32, ifThen, load, ltS, popcnt, set, shl, shrU, sub, tee, xor, type Code } from './_wasm-encode.js';

/** Where the walk reads: the copy's byte address (a constant, folded into the loads' offsets), and code that pushes the nodes' and leaves' addresses. */
export interface WalkPlaces {
  readonly flat: number;
  readonly nodes: Code;
  readonly leaves: Code;
}

/** The third byte's word pair (bitmap, leaf base address) from the flat copy; local e = the leaf. Local na holds ~address. */
export function firstNode(p: WalkPlaces, na: number, e: number): Code[] {
  // e holds the pair's offset within the copy; the loads add the copy's place.
  return [
    get(na), i32(10), shrU, i32(-8), and, tee(e), load(p.flat + 4),
    get(e), load(p.flat), get(na), i32(8), shrU, shl, popcnt, i32(2), shl, add, load(), set(e),
  ];
}

/** The same for the fourth byte from a leaf ~node (the shared nodes): node byte address nodes + node * 64. */
const secondNode = (p: WalkPlaces, na: number, e: number): Code[] => [
  get(e), i32(-1), xor, i32(6), shl, p.nodes, add, i32(56), add,
  get(na), i32(2), shrU, i32(56), and, sub, tee(e), load(4),
  get(e), load(), get(na), shl, popcnt, add,
  i32(2), shl, p.leaves, add, load(), set(e),
];

/** A leaf that is a node (< 0) walks it. */
export const stepTwo = (p: WalkPlaces, na: number, e: number): Code[] => [get(e), i32(0), ltS, ifThen, secondNode(p, na, e), end];
