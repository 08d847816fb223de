// The lookup loops of dir24-8.ts and poptrie.ts in WebAssembly (bytes from _wasm-encode.ts).
//
// Why: the same loop runs 3-4x faster as WebAssembly than as JavaScript on this machine
// (native popcount, no bounds-check or number-representation guards), and the issue's
// target is a ratio to C. No toolchain is needed: the module is ~1 KB. It imports one shared
// memory (env.mem, see _shared-heap.ts) and exports:
//
//   | export  | params (all i32; offsets are byte offsets in the memory)       | per address    |
//   |---------|----------------------------------------------------------------|----------------|
//   | dir24   | tbl24, tbl8, addrs, out, n                                     | as lookupDir24 |
//   | poptrie | direct (flattened, see below), nodes, leaves, addrs, out, n   | as lookupPoptrie |
//   | flatten | dirs, root (byte offset of the root), nodes, direct            | -              |
//
// The poptrie loop reads a per-thread flattened copy of one version's 65,536 direct entries
// (flatten; 256 KiB, made once per version and thread), encoded so that the common walk is
// short: indexed by the complement of the address's top 16 bits, an entry is ~value (< 0) for
// a /16 answered there, or for a /16 with a node the node's byte address + 56 (>= 0). With
// the complemented address na = ~a, the node's word for byte b = (a >>> 8) & 255 is at
// entry - ((na >>> 10) & 56), and the bits 0..b of its bitmap are those the shift
// `bitmap << (na >>> 8)` keeps (shift counts are taken mod 32, and (na >>> 8) & 31 = 31 - b):
// the lookup is two loads of the node's word pair, a popcount and the leaf load, about 20
// instructions. 99% of the table-drawn addresses of the real table end there; a /25../32
// leaf (~node) takes one more node step with the shared encoding.
//
// It interleaves GROUP lookups stage by stage (load all direct entries, then all first nodes,
// then all leaves), so the loads of different addresses overlap: the walk is a chain of
// dependent loads, and one address alone leaves the memory system idle (group prefetching,
// Chen et al., "Improving hash join performance through prefetching", 2004).

import { heapAlloc, type SharedHeap, type WasmMemory } from './_shared-heap.js';
import {
  add,
  and,
  block,
  br,
  brIf,
  end,
  funcBody,
  geS,
  geU,
  get,
  gtU,
  i32,
  ifThen,
  load,
  loop,
  ltS,
  name,
  or,
  orElse,
  popcnt,
  section,
  select,
  set,
  shl,
  shrU,
  store,
  sub,
  tee,
  uleb,
  vec,
  xor,
  I32,
  type Code,
} from './_wasm-encode.js';

/** Addresses looked up together by the poptrie loop. */
const GROUP = 8;

/** dir24(tbl24 0, tbl8 1, addrs 2, out 3, n 4); locals i 5, end 6, a 7, e 8. */
function dir24Body(): Code[] {
  return [
    get(4), i32(2), shl, set(6),
    block, loop,
    get(5), get(6), geU, brIf(1),
    get(2), get(5), add, load(), tee(7),
    i32(8), shrU, i32(2), shl, get(0), add, load(), tee(8),
    i32(0), ltS, ifThen,
    get(8), i32(-1), xor, i32(8), shl, get(7), i32(255), and, or, i32(2), shl, get(1), add, load(), set(8),
    end,
    get(3), get(5), add, get(8), store(),
    get(5), i32(4), add, set(5),
    br(0),
    end, end,
    end,
  ];
}

// poptrie(direct, nodes, leaves, addrs, out, n): see the header for `direct`.
const DIRECT = 0;
const NODES = 1;
const LEAVES = 2;
const ADDRS = 3;
const OUT = 4;
const N = 5;
// Locals: byte index i, end, groupEnd, then per grouped lookup k: na (~address), e, w.
const I = 6;
const END = 7;
const GEND = 8;
const NA = (k: number): number => 9 + 3 * k;
const E = (k: number): number => 10 + 3 * k;
const W = (k: number): number => 11 + 3 * k;
const POPTRIE_LOCALS = 3 + 3 * GROUP;

/** na = ~addrs[i + k]. */
const loadAddr = (k: number): Code[] => [get(ADDRS), get(I), add, load(4 * k), i32(-1), xor, set(NA(k))];

/** e = direct[na >>> 16]. */
const directStep = (k: number): Code[] => [get(NA(k)), i32(16), shrU, i32(2), shl, get(DIRECT), add, load(), set(E(k))];

/** Word pair w of node e (an address + 56) for the third byte; e = leaves[base + popcount(bits 0..b)]. */
const firstNode = (k: number): Code[] => [
  get(E(k)), get(NA(k)), i32(10), shrU, i32(56), and, sub, tee(W(k)), load(4),
  get(W(k)), load(), get(NA(k)), i32(8), shrU, shl, popcnt, add,
  i32(2), shl, get(LEAVES), add, load(), set(E(k)),
];

/** The same for the fourth byte from a leaf ~node (the shared encoding): node byte address nodes + node * 64. */
const secondNode = (k: number): Code[] => [
  get(E(k)), i32(-1), xor, i32(6), shl, get(NODES), add, i32(56), add,
  get(NA(k)), i32(2), shrU, i32(56), and, sub, tee(W(k)), load(4),
  get(W(k)), load(), get(NA(k)), shl, popcnt, add,
  i32(2), shl, get(LEAVES), add, load(), set(E(k)),
];

/** A node entry (>= 0) walks the first node; a value (~value) is complemented back. */
const stepOne = (k: number): Code[] => [get(E(k)), i32(0), geS, ifThen, firstNode(k), orElse, get(E(k)), i32(-1), xor, set(E(k)), end];

/** A leaf that is a node (< 0) walks it. */
const stepTwo = (k: number): Code[] => [get(E(k)), i32(0), ltS, ifThen, secondNode(k), end];

const storeOut = (k: number): Code[] => [get(OUT), get(I), add, get(E(k)), store(4 * k)];

function poptrieBody(): Code[] {
  const ks = [...Array(GROUP).keys()];
  return [
    get(N), i32(2), shl, set(END),
    // groupEnd = end - 4*GROUP, compared unsigned after a guard for short batches.
    get(END), i32(4 * GROUP), sub, set(GEND),
    get(END), i32(4 * GROUP), geU, ifThen,
    block, loop,
    get(I), get(GEND), gtU, brIf(1),
    ks.map(loadAddr),
    ks.map(directStep),
    ks.map(stepOne),
    ks.map(stepTwo),
    ks.map(storeOut),
    get(I), i32(4 * GROUP), add, set(I),
    br(0),
    end, end,
    end,
    // The remaining addresses, one at a time.
    block, loop,
    get(I), get(END), geU, brIf(1),
    loadAddr(0), directStep(0), stepOne(0), stepTwo(0), storeOut(0),
    get(I), i32(4), add, set(I),
    br(0),
    end, end,
    end,
  ];
}

// flatten(dirs, root, nodes, direct); locals i, e.
const F_DIRS = 0;
const F_ROOT = 1;
const F_NODES = 2;
const F_DIRECT = 3;
const F_I = 4;
const F_E = 5;

/**
 * direct[65535 - i] = e >= 0 ? ~e : nodes + (~e << 6) + 56 for e = dirs[dirs[root + (i >>> 8)] + (i & 255)],
 * i = 0..65535: one version's direct entries in the poptrie loop's encoding.
 */
function flattenBody(): Code[] {
  return [
    block, loop,
    get(F_I), i32(65536), geU, brIf(1),
    get(F_DIRS),
    get(F_ROOT), get(F_I), i32(8), shrU, i32(2), shl, add, load(),
    get(F_I), i32(255), and, add, i32(2), shl, add, load(), set(F_E),
    get(F_DIRECT), i32(65535), get(F_I), sub, i32(2), shl, add,
    get(F_E), i32(-1), xor,
    get(F_NODES), get(F_E), i32(-1), xor, i32(6), shl, add, i32(56), add,
    get(F_E), i32(0), geS, select,
    store(),
    get(F_I), i32(1), add, set(F_I),
    br(0),
    end, end,
    end,
  ];
}

/** The module's bytes. */
export function lookupWasmBytes(): Uint8Array {
  const params = (n: number): Code[][] => Array.from({ length: n }, () => [I32]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(params(5)), 0], [0x60, ...vec(params(6)), 0], [0x60, ...vec(params(4)), 0]])),
    // import env.mem: a shared memory (limits flag 3), 0..65536 pages.
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(0), ...uleb(65536)]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([[...name('dir24'), 0x00, 0], [...name('poptrie'), 0x00, 1], [...name('flatten'), 0x00, 2]])),
    ...section(10, [
      ...uleb(3),
      ...funcBody(4, dir24Body()),
      ...funcBody(POPTRIE_LOCALS, poptrieBody()),
      ...funcBody(2, flattenBody()),
    ]),
  ];
  return Uint8Array.from(bytes);
}

/** The exported loops of one instance. */
export interface WasmLookup {
  dir24(tbl24: number, tbl8: number, addrs: number, out: number, n: number): void;
  poptrie(direct: number, nodes: number, leaves: number, addrs: number, out: number, n: number): void;
  flatten(dirs: number, root: number, nodes: number, direct: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

let compiled: object | null = null;

type Fn = (...args: number[]) => unknown;

function isFn(x: unknown): x is Fn {
  return typeof x === 'function';
}

/**
 * Instantiates the loops over a shared memory (the module is compiled once per thread).
 *
 * @example
 *   const wasm = instantiateLookup(heap.memory);
 *   wasm.poptrie(t.root, t.dirs.byteOffset, ...);
 */
export function instantiateLookup(memory: WasmMemory): WasmLookup {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  compiled ??= new api.Module(lookupWasmBytes());
  const { exports } = new api.Instance(compiled, { env: { mem: memory } });
  const dir24 = exports['dir24'];
  const poptrie = exports['poptrie'];
  const flatten = exports['flatten'];
  if (!isFn(dir24) || !isFn(poptrie) || !isFn(flatten)) throw new Error('LPM wasm module lacks its exports');
  return {
    dir24: (a, b, c, d, n) => void dir24(a, b, c, d, n),
    poptrie: (a, b, c, d, e, n) => void poptrie(a, b, c, d, e, n),
    flatten: (a, b, c, d) => void flatten(a, b, c, d),
  };
}

/** Addresses copied into the heap per call of a loop (scratch: 2 x 32 KiB, which stay in the L1/L2 caches between the copies and the loop). */
export const WASM_SCRATCH = 1 << 13;

/** Flat copies of poptrie direct arrays a thread keeps per heap (two: a publish mid-batch). */
const FLAT_SLOTS = 2;

/** A flat copy of one version's direct entries, keyed by the version's root index. */
export interface FlatSlot {
  root: number;
  readonly view: Int32Array;
}

/** A thread's lookup state for one heap: the instance and its scratch space. */
export interface WasmRunner {
  readonly wasm: WasmLookup;
  readonly scratchIn: Uint32Array;
  readonly scratchOut: Uint32Array;
  /** Most recently used first. */
  readonly flat: FlatSlot[];
}

/**
 * Instantiates the loops for a heap and grows the heap by this thread's scratch space:
 * 2 x WASM_SCRATCH addresses and FLAT_SLOTS flat direct arrays (256 KiB each).
 */
export function wasmRunner(heap: SharedHeap): WasmRunner {
  const wasm = instantiateLookup(heap.memory);
  const scratch = heapAlloc(heap, 2 * WASM_SCRATCH + FLAT_SLOTS * 65536);
  const at = scratch.byteOffset;
  return {
    wasm,
    scratchIn: new Uint32Array(scratch.buffer, at, WASM_SCRATCH),
    scratchOut: new Uint32Array(scratch.buffer, at + 4 * WASM_SCRATCH, WASM_SCRATCH),
    flat: Array.from({ length: FLAT_SLOTS }, (_, i) => ({
      root: -1,
      view: new Int32Array(scratch.buffer, at + 8 * WASM_SCRATCH + i * 65536 * 4, 65536),
    })),
  };
}
