// The lookup loops of dir24-8.ts and poptrie.ts in WebAssembly, assembled here byte by byte.
//
// Why: the same loop runs 2-3x faster as WebAssembly than as JavaScript on this machine
// (native popcount, no bounds-check or number-representation guards), and the issue's
// target is a ratio to C. No toolchain is needed: the module is ~600 bytes, emitted from the
// opcode table below. It imports one shared memory (env.mem, see _shared-heap.ts) and
// exports:
//
//   | export  | params (all i32; offsets are byte offsets in the memory)    | per address   |
//   |---------|-------------------------------------------------------------|---------------|
//   | dir24   | tbl24, tbl8, addrs, out, n                                  | as lookupDir24 |
//   | poptrie | direct (flat 65,536 entries), nodes, leaves, addrs, out, n | as lookupPoptrie |
//
// poptrie interleaves GROUP lookups stage by stage (load all direct entries, then all first
// nodes, then all leaves), so the loads of different addresses overlap: the walk is a chain
// of dependent loads, and one address alone leaves the memory system idle (group
// prefetching, Chen et al., "Improving hash join performance through prefetching", 2004).

import { heapAlloc, type SharedHeap, type WasmMemory } from './_shared-heap.js';

/** Addresses looked up together by the poptrie loop (4 measured best: 8 spills registers). */
const GROUP = 4;

const I32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

type Code = number | Code[];

const flat = (c: Code[]): number[] => c.flat(Infinity as 1) as number[];
const vec = (items: Code[][]): number[] => [...uleb(items.length), ...items.flatMap(flat)];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

// The opcodes used (WebAssembly core spec, section 5.4).
const get = (i: number): Code => [0x20, ...uleb(i)];
const set = (i: number): Code => [0x21, ...uleb(i)];
const tee = (i: number): Code => [0x22, ...uleb(i)];
const i32 = (v: number): Code => [0x41, ...sleb(v)];
const load = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
const store = (offset = 0): Code => [0x36, 2, ...uleb(offset)];
const add = 0x6a;
const sub = 0x6b;
const and = 0x71;
const or = 0x72;
const xor = 0x73;
const shl = 0x74;
const shrU = 0x76;
const popcnt = 0x69;
const geU = 0x4f;
const gtU = 0x4b;
const ltS = 0x48;
const block: Code = [0x02, 0x40];
const loop: Code = [0x03, 0x40];
const ifThen: Code = [0x04, 0x40];
const end = 0x0b;
const br = (depth: number): Code => [0x0c, depth];
const brIf = (depth: number): Code => [0x0d, depth];

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

// poptrie(direct, nodes, leaves, addrs, out, n): `direct` is a flat copy of one version's
// 65,536 direct entries (see flatDirect in lpm-table.ts), which saves the root load.
const DIRECT = 0;
const NODES = 1;
const LEAVES = 2;
const ADDRS = 3;
const OUT = 4;
const N = 5;
// Locals: byte index i, end, groupEnd, then per grouped lookup k: a, e, b, w.
const I = 6;
const END = 7;
const GEND = 8;
const A = (k: number): number => 9 + 4 * k;
const E = (k: number): number => 10 + 4 * k;
const B = (k: number): number => 11 + 4 * k;
const W = (k: number): number => 12 + 4 * k;
const POPTRIE_LOCALS = 3 + 4 * GROUP;

/** e = leaves[nodes[w+1] + popcount(nodes[w] & bits 0..b&31)] for node ~e, byte of a at shift. */
function nodeStep(k: number, shift: number): Code[] {
  return [
    get(A(k)), shift ? [i32(shift), shrU] : [], i32(255), and, set(B(k)),
    get(E(k)), i32(-1), xor, i32(4), shl,
    get(B(k)), i32(5), shrU, i32(1), shl, or, i32(2), shl, get(NODES), add, set(W(k)),
    get(W(k)), load(4),
    // bits 0..b&31 as (2 << b) - 1: wasm shifts count mod 32, and 2 << 31 = 0 gives -1.
    get(W(k)), load(), i32(2), get(B(k)), shl, i32(1), sub, and, popcnt, add,
    i32(2), shl, get(LEAVES), add, load(), set(E(k)),
  ];
}

/** e = direct[a >>> 16] for lookup k (a already loaded). */
function directStep(k: number): Code[] {
  return [get(A(k)), i32(16), shrU, i32(2), shl, get(DIRECT), add, load(), set(E(k))];
}

const ifNode = (k: number, then: Code[]): Code[] => [get(E(k)), i32(0), ltS, ifThen, then, end];

function poptrieBody(): Code[] {
  const ks = [...Array(GROUP).keys()];
  return [
    get(N), i32(2), shl, set(END),
    // groupEnd = end - 4*GROUP, compared unsigned after a guard for short batches.
    get(END), i32(4 * GROUP), sub, set(GEND),
    get(END), i32(4 * GROUP), geU, ifThen,
    block, loop,
    get(I), get(GEND), gtU, brIf(1),
    ks.map((k) => [get(ADDRS), get(I), add, load(4 * k), set(A(k))]),
    ks.map((k) => directStep(k)),
    ks.map((k) => ifNode(k, nodeStep(k, 8))),
    ks.map((k) => ifNode(k, nodeStep(k, 0))),
    ks.map((k) => [get(OUT), get(I), add, get(E(k)), store(4 * k)]),
    get(I), i32(4 * GROUP), add, set(I),
    br(0),
    end, end,
    end,
    // The remaining addresses, one at a time.
    block, loop,
    get(I), get(END), geU, brIf(1),
    get(ADDRS), get(I), add, load(), set(A(0)),
    directStep(0),
    ifNode(0, [nodeStep(0, 8), ifNode(0, nodeStep(0, 0))]),
    get(OUT), get(I), add, get(E(0)), store(),
    get(I), i32(4), add, set(I),
    br(0),
    end, end,
    end,
  ];
}

function funcBody(locals: number, body: Code[]): number[] {
  const f = [...vec([[...uleb(locals), I32]]), ...flat(body)];
  return [...uleb(f.length), ...f];
}

/** The module's bytes. */
export function lookupWasmBytes(): Uint8Array {
  const params = (n: number): Code[][] => Array.from({ length: n }, () => [I32]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(params(5)), 0], [0x60, ...vec(params(6)), 0]])),
    // import env.mem: a shared memory (limits flag 3), 0..65536 pages.
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(0), ...uleb(65536)]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('dir24'), 0x00, 0], [...name('poptrie'), 0x00, 1]])),
    ...section(10, [
      ...uleb(2),
      ...funcBody(4, dir24Body()),
      ...funcBody(POPTRIE_LOCALS, poptrieBody()),
    ]),
  ];
  return Uint8Array.from(bytes);
}

/** The exported loops of one instance. */
export interface WasmLookup {
  dir24(tbl24: number, tbl8: number, addrs: number, out: number, n: number): void;
  poptrie(direct: number, nodes: number, leaves: number, addrs: number, out: number, n: number): void;
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
  if (!isFn(dir24) || !isFn(poptrie)) throw new Error('LPM wasm module lacks its exports');
  return {
    dir24: (a, b, c, d, n) => void dir24(a, b, c, d, n),
    poptrie: (a, b, c, d, e, n) => void poptrie(a, b, c, d, e, n),
  };
}

/** Addresses copied into the heap per call of a loop (scratch: 2 x 256 KiB). */
export const WASM_SCRATCH = 1 << 16;

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
