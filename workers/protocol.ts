// The messages between the lookup pool (lookup-pool.ts) and its workers (lookup-worker.ts).
//
// Why: a worker answers one chunk of a batch against one compiled table version, the way
// each CPU runs fib_table_lookup() against the trie it sees under rcu_read_lock(). The table
// travels as a shared WebAssembly.Memory plus offsets (shared, never copied) tagged with its
// version; the worker keeps views per version and a WebAssembly instance per memory. Addresses and answers also live in SharedArrayBuffers, and a
// chunk is a range of them, so a chunk answered twice (after a worker died) writes the same
// answers to the same places.

import type { HeapRegion, WasmMemory } from './lpm/_shared-heap.js';
import type { LpmKernel, LpmShared } from './lpm/lpm-table.js';
import { FLAT_WORDS } from './lpm/wasm-lookup.js';

/** A test-only fault for one chunk: the worker exits its thread, or throws, mid-chunk. */
export type LookupFault = 'exit' | 'throw';

/** One chunk of a batch: answer `addrs[from..to)` into `out[from..to)` with table `version`. */
export interface LookupTask {
  readonly version: number;
  readonly table: LpmShared;
  /** The batch's addresses: `addrsLength` uint32 from byte `addrsOffset`. */
  readonly addrs: SharedArrayBuffer;
  readonly addrsOffset: number;
  readonly addrsLength: number;
  /** The batch's answers, same shape as the addresses. */
  readonly out: SharedArrayBuffer;
  readonly outOffset: number;
  readonly from: number;
  readonly to: number;
  /** Which loop answers. */
  readonly kernel: LpmKernel;
  /**
   * Set when `addrs` and `out` are the table's own memory (LookupPool.allocBatch()): the
   * offsets are then addresses the WebAssembly loop reads and writes in place.
   */
  readonly inHeap?: true;
  /**
   * A poptrie's flattened copy for the WebAssembly loop (lpm/flat-copies.ts), shared by the
   * pool's workers: its byte offset in the table's memory. Absent: the worker makes its own.
   */
  readonly flat?: number;
  /** Test-only: set by the pool's `faults` hook. */
  readonly fault?: LookupFault;
}

/** A worker's answer to one chunk: which version it used and how many addresses it wrote. */
export interface LookupReply {
  readonly version: number;
  readonly count: number;
  /** The answering worker's threadId, for tests and statistics. */
  readonly threadId: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function isShared(x: unknown): x is SharedArrayBuffer {
  return x instanceof SharedArrayBuffer;
}

function isKernel(x: unknown): x is LpmKernel {
  return x === 'wasm' || x === 'js';
}

function isRegion(x: unknown): x is HeapRegion {
  return isRecord(x) && isIndex(x['offset']) && isIndex(x['length']);
}

/** A shared WebAssembly.Memory, as received (its buffer is a SharedArrayBuffer). */
function isMemory(x: unknown): x is WasmMemory {
  return (
    isRecord(x) &&
    typeof x['grow'] === 'function' &&
    isShared((x as { readonly buffer?: unknown }).buffer)
  );
}

/** Parses a table descriptor; returns null when it is not one. */
export function parseLpmShared(x: unknown): LpmShared | null {
  if (!isRecord(x)) return null;
  const { heapId, memory } = x;
  if (!isIndex(heapId) || !isMemory(memory)) return null;
  if (x['kind'] === 'dir24-8' && isRegion(x['tbl24']) && isRegion(x['tbl8'])) {
    return { kind: 'dir24-8', heapId, memory, tbl24: x['tbl24'], tbl8: x['tbl8'] };
  }
  if (
    x['kind'] === 'poptrie' &&
    isIndex(x['root']) &&
    isRegion(x['dirs']) &&
    isRegion(x['nodes']) &&
    isRegion(x['leaves'])
  ) {
    return {
      kind: 'poptrie',
      heapId,
      memory,
      root: x['root'],
      dirs: x['dirs'],
      nodes: x['nodes'],
      leaves: x['leaves'],
    };
  }
  return null;
}

/** Parses a task (as received by a worker); throws a TypeError naming what was expected. */
export function parseLookupTask(x: unknown): LookupTask {
  const fail = (what: string): never => {
    throw new TypeError(`Cannot parse lookup task: expected ${what}`);
  };
  if (!isRecord(x)) return fail('an object');
  const table = parseLpmShared(x['table']);
  if (!table) return fail('table: a dir24-8 or poptrie descriptor');
  const { version, addrs, addrsOffset, addrsLength, out, outOffset, from, to, kernel, fault, inHeap, flat } = x;
  if (!isIndex(version)) return fail('version: a non-negative integer');
  if (!isShared(addrs) || !isShared(out)) return fail('addrs and out: SharedArrayBuffers');
  if (!isIndex(addrsOffset) || !isIndex(addrsLength) || !isIndex(outOffset)) {
    return fail('addrsOffset, addrsLength, outOffset: non-negative integers');
  }
  if (!isIndex(from) || !isIndex(to) || from > to || to > addrsLength) {
    return fail(`0 <= from <= to <= addrsLength: got ${String(from)}..${String(to)}`);
  }
  if (!isKernel(kernel)) return fail('kernel: "wasm" or "js"');
  if (fault !== undefined && fault !== 'exit' && fault !== 'throw') {
    return fail('fault: "exit", "throw" or absent');
  }
  if (inHeap !== undefined && inHeap !== true) return fail('inHeap: true or absent');
  const end = Math.max(addrsOffset, outOffset) + 4 * addrsLength;
  if (inHeap === true && end > table.memory.buffer.byteLength) return fail(`inHeap: addrs and out inside the table's memory (they end at byte ${end})`);
  if (flat !== undefined && !(table.kind === 'poptrie' && isIndex(flat) && flat + 4 * FLAT_WORDS <= table.memory.buffer.byteLength)) {
    return fail("flat: absent, or the byte offset of a flat copy inside a poptrie's memory");
  }
  const task = {
    version, table, addrs, addrsOffset, addrsLength, out, outOffset, from, to, kernel,
    ...(inHeap === true ? { inHeap: true as const } : {}),
    ...(flat === undefined ? {} : { flat }),
  };
  return fault === undefined ? task : { ...task, fault };
}

/** Parses a reply (as received by the pool); throws a TypeError naming what was expected. */
export function parseLookupReply(x: unknown): LookupReply {
  if (
    !isRecord(x) ||
    !isIndex(x['version']) ||
    !isIndex(x['count']) ||
    !isIndex(x['threadId'])
  ) {
    throw new TypeError('Cannot parse lookup reply: expected { version, count, threadId }');
  }
  return { version: x['version'], count: x['count'], threadId: x['threadId'] };
}
