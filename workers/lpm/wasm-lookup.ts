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
//   | flatten | oldDirs, oldRoot, dirs, root, nodes, leaves, flat, values, all | -              |
//
// A poptrie is looked up by the loop of one flattened copy (_copy-loop.ts: a module per copy,
// whose place is a constant of its code; poptrieLoop() below). The loop reads a flattened copy of one version's third-byte nodes: for
// each of the 65,536 /16s, the 8 (bitmap, leaf base) word pairs of its node, at a place the
// address alone gives (flatten; 4 MiB, plus 256 KiB of leaves for the /16s answered in the
// direct level, which get a node with empty bitmaps whose base is that leaf). So the walk of
// an address is two dependent loads, as a DIR-24-8 lookup of a long prefix is: the word pair
// and the leaf. The pairs are stored in reverse order so that, with the complemented address
// na = ~a, the pair for byte b = (a >>> 8) & 255 is at flat + ((na >>> 10) & -8), and the
// bits 0..b of its bitmap are those the shift `bitmap << (na >>> 8)` keeps (shift counts are
// taken mod 32, and (na >>> 8) & 31 = 31 - b); the pair's base is the byte address of the
// node's leaves, so the leaf is at base + 4 * popcount: about 15 instructions. 99.9% of the
// table-drawn addresses of the real table end there; a /25../32 leaf (~node) takes one step
// through the shared nodes.
//
// The lookups of a group of addresses are written out one after the other (no loop branch or
// induction between them), so the out-of-order core overlaps the loads of several
// addresses, as it does for the C baseline's loop. Through the direct level a group is 16
// addresses: against 8, 1.04-1.05x on the real table (same memory, alternating passes,
// answers identical); 32 gained nothing more, and loading a group's 16 entries before
// testing any of them ran 0.78x (its 32 live values spill).
//
// The flattened copy of a version is made from the last one the thread made when it can
// (flatten with all = 0): versions of one lineage share every /16 whose entry in the direct
// level is unchanged (subtrees are persistent, poptrie-update.ts), so only the /16s whose
// entry differs are written again.

import { heapAlloc, heapBuffer, type SharedHeap, type WasmMemory } from './_shared-heap.js';
import { copyLoopBytes, type CopyLoop } from './_copy-loop.js';
import { FLAG_AT, FLAT_DIRECT_WORDS, FLAT_WORDS, PAIRS } from './_flat-layout.js';

export { FLAT_DIRECT_WORDS, FLAT_WORDS } from './_flat-layout.js';
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
  i32,
  ifThen,
  load,
  loop,
  ltS,
  name,
  ne,
  or,
  orElse,
  section,
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

// flatten(oldDirs, oldRoot, dirs, root, nodes, leaves, flat, values, all): byte offsets (the
// roots: of the root's first entry); locals h, nb, ob, l, e, p, q.
const F_OLD_DIRS = 0;
const F_OLD_ROOT = 1;
const F_DIRS = 2;
const F_ROOT = 3;
const F_NODES = 4;
const F_LEAVES = 5;
const F_FLAT = 6;
const F_VALUES = 7;
const F_ALL = 8;
const F_H = 9;
const F_NB = 10;
const F_OB = 11;
const F_L = 12;
const F_E = 13;
const F_P = 14;
const F_Q = 15;
const FLATTEN_LOCALS = 7;

/**
 * Writes /16 x = h << 8 | l with direct entry e: its PAIRS pairs, pair j at
 * p + 8 * (7 - j) for p = flat + 4 MiB - 64 - 64 * x (the reverse order of the header).
 * A value e: values[x] = e and pairs (0, &values[x]); a node ~e: its pairs with the base as a
 * byte address in leaves.
 */
function writeSlot(): Code[] {
  const ms = [...Array(PAIRS).keys()];
  return [
    get(F_FLAT), i32((1 << 22) - 64), add, get(F_H), i32(14), shl, sub, get(F_L), i32(6), shl, sub, set(F_P),
    get(F_E), i32(0), geS, ifThen,
    get(F_VALUES), get(F_H), i32(10), shl, add, get(F_L), i32(2), shl, add, tee(F_Q), get(F_E), store(),
    ms.map((m) => [get(F_P), i32(0), store(8 * m), get(F_P), get(F_Q), store(8 * m + 4)]),
    orElse,
    get(F_NODES), get(F_E), i32(-1), xor, i32(6), shl, add, set(F_Q),
    ms.map((j) => [
      get(F_P), get(F_Q), load(8 * j), store(8 * (7 - j)),
      get(F_P), get(F_LEAVES), get(F_Q), load(8 * j + 4), i32(2), shl, add, store(8 * (7 - j) + 4),
    ]),
    end,
  ];
}

/**
 * For each of the 256 blocks of the root, and each of their 256 entries: unless `all`, skip a
 * block whose index is the old root's, and an entry equal to the old block's; write the rest.
 */
function flattenBody(): Code[] {
  return [
    block, loop,
    get(F_H), i32(256), geU, brIf(1),
    get(F_ROOT), get(F_H), i32(2), shl, add, load(), set(F_NB),
    get(F_OLD_ROOT), get(F_H), i32(2), shl, add, load(), set(F_OB),
    get(F_ALL), get(F_NB), get(F_OB), ne, or, ifThen,
    i32(0), set(F_L),
    block, loop,
    get(F_L), i32(256), geU, brIf(1),
    get(F_DIRS), get(F_NB), get(F_L), add, i32(2), shl, add, load(), set(F_E),
    get(F_ALL), get(F_E), get(F_OLD_DIRS), get(F_OB), get(F_L), add, i32(2), shl, add, load(), ne, or, ifThen,
    writeSlot(),
    end,
    get(F_L), i32(1), add, set(F_L),
    br(0),
    end, end,
    end,
    get(F_H), i32(1), add, set(F_H),
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
    ...section(1, vec([[0x60, ...vec(params(5)), 0], [0x60, ...vec(params(9)), 0]])),
    // import env.mem: a shared memory (limits flag 3), 0..65536 pages.
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(0), ...uleb(65536)]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('dir24'), 0x00, 0], [...name('flatten'), 0x00, 1]])),
    ...section(10, [
      ...uleb(2),
      ...funcBody(4, dir24Body()),
      ...funcBody(FLATTEN_LOCALS, flattenBody()),
    ]),
  ];
  return Uint8Array.from(bytes);
}

/** The exported loops of one instance. */
export interface WasmLookup {
  dir24(tbl24: number, tbl8: number, addrs: number, out: number, n: number): void;
  flatten(oldDirs: number, oldRoot: number, dirs: number, root: number, nodes: number, leaves: number, flat: number, values: number, all: number): void;
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
 *   wasm.dir24(tbl24.byteOffset, tbl8.byteOffset, addrsAt, outAt, n);
 */
export function instantiateLookup(memory: WasmMemory): WasmLookup {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  compiled ??= new api.Module(lookupWasmBytes());
  const { exports } = new api.Instance(compiled, { env: { mem: memory } });
  const dir24 = exports['dir24'];
  const flatten = exports['flatten'];
  if (!isFn(dir24) || !isFn(flatten)) throw new Error('LPM wasm module lacks its exports');
  return {
    dir24: (a, b, c, d, n) => void dir24(a, b, c, d, n),
    flatten: (a, b, c, d, e, f, g, h, i) => void flatten(a, b, c, d, e, f, g, h, i),
  };
}

/** Addresses copied into the heap per call of a loop (scratch: 2 x 32 KiB, which stay in the L1/L2 caches between the copies and the loop). */
export const WASM_SCRATCH = 1 << 13;

/** Flat copies a thread keeps per heap when it makes its own (two: a publish mid-batch). */
export const FLAT_SLOTS = 2;

/**
 * When a version's copy gets the direct level (_direct-level.ts): from DIRECT_MIN_LEAVES
 * leaves (a small table's pairs and leaves stay in the caches, and the level's 32 MiB would
 * only add pages to fault in, ~100 ms on this VM) and up to DIRECT_MAX_NODES /16s that hold
 * longer prefixes. The level pays where its blocks in use stay within the TLB's reach: on the
 * real table (25,398 such /16s, their blocks on 5,054 pages) it answered 2.5x faster than the
 * pairs (quiet machine, 9 alternating rounds), on a generated table that spreads 1M prefixes
 * over all 65,536 /16s (8,192 pages) 0.5x, so such a table keeps the pairs.
 */
export const DIRECT_MIN_LEAVES = 1 << 16;
export const DIRECT_MAX_NODES = 40960;

/** Whether version `v` wants a copy with the direct level (its /16s are read from its direct entries). */
export function wantsDirect(v: { readonly root: number; readonly dirs: Int32Array; readonly leaves: Int32Array }, minLeaves = DIRECT_MIN_LEAVES): boolean {
  if (v.leaves.length < minLeaves) return false;
  let nodes = 0;
  for (let h = 0; h < 256; h++) {
    const nb = v.dirs[v.root + h]!;
    for (let l = 0; l < 256; l++) if (v.dirs[nb + l]! < 0) nodes++;
  }
  return nodes <= DIRECT_MAX_NODES;
}

/** A flat copy of one version's third-byte nodes, keyed by the version's root index. */
export interface FlatSlot {
  /** The version's root index (-1: none yet) and the byte offset of the dirs it was read from. */
  root: number;
  dirsAt: number;
  /** Whether it has the direct level (FLAT_DIRECT_WORDS long). */
  readonly direct: boolean;
  /** Byte offsets: the word pairs, and the leaves of the /16s answered in the direct level. */
  readonly pairs: number;
  readonly values: number;
}

/** Room for a flat copy in a heap, with or without the direct level (empty: the first flatten writes it whole). */
export function newFlatSlot(heap: SharedHeap, direct: boolean): FlatSlot {
  const words = heapAlloc(heap, direct ? FLAT_DIRECT_WORDS : FLAT_WORDS);
  words[FLAG_AT / 4] = direct ? 1 : 0;
  const pairs = words.byteOffset;
  return { root: -1, dirsAt: 0, direct, pairs, values: pairs + 8 * PAIRS * 65536 };
}

/** A thread's lookup state for one heap: the instance and its scratch space. */
export interface WasmRunner {
  readonly heap: SharedHeap;
  readonly wasm: WasmLookup;
  readonly scratchIn: Uint32Array;
  readonly scratchOut: Uint32Array;
  /** Flat copies this thread made itself (up to FLAT_SLOTS), most recently used first. */
  readonly flat: FlatSlot[];
  /** The loop of each flat copy this thread has read, by the copy's byte offset (poptrieLoop()). */
  readonly loops: Map<number, CopyLoop>;
}

/** Bytes of the heap each thread that looks up a table allocates for itself (wasmRunner()). */
export const WASM_THREAD_BYTES = 4 * 2 * WASM_SCRATCH;

/**
 * Instantiates the loops for a heap and grows the heap by this thread's scratch space:
 * 2 x WASM_SCRATCH addresses (flat copies are allocated when the thread makes one).
 */
export function wasmRunner(heap: SharedHeap): WasmRunner {
  const wasm = instantiateLookup(heap.memory);
  const scratch = heapAlloc(heap, WASM_THREAD_BYTES / 4);
  const at = scratch.byteOffset;
  return {
    heap,
    wasm,
    scratchIn: new Uint32Array(scratch.buffer, at, WASM_SCRATCH),
    scratchOut: new Uint32Array(scratch.buffer, at + 4 * WASM_SCRATCH, WASM_SCRATCH),
    flat: [],
    loops: new Map(),
  };
}

/**
 * The loop that answers from the flat copy at byte offset `flat`: its own (_copy-loop.ts),
 * compiled the first time this thread reads the copy, with or without the direct level as the
 * copy's header says (it never changes: newFlatSlot()).
 *
 * @example
 *   poptrieLoop(r, flat)(nodes.byteOffset, leaves.byteOffset, addrsAt, outAt, n);
 */
export function poptrieLoop(r: WasmRunner, flat: number): CopyLoop {
  let f = r.loops.get(flat);
  if (f === undefined) {
    const direct = new Int32Array(heapBuffer(r.heap.memory), flat + FLAG_AT, 1)[0] === 1;
    f = instantiateCopyLoop(r.heap.memory, flat, direct);
    r.loops.set(flat, f);
  }
  return f;
}

function instantiateCopyLoop(memory: WasmMemory, flat: number, direct: boolean): CopyLoop {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { exports } = new api.Instance(new api.Module(copyLoopBytes(flat, direct)), { env: { mem: memory } });
  const lookup = exports['lookup'];
  if (!isFn(lookup)) throw new Error('LPM copy-loop module lacks its export');
  return (nodes, leaves, a, o, n) => void lookup(nodes, leaves, a, o, n);
}
