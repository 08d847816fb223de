// A thin lookup worker, run by piscina (lookup-pool.ts): answers one chunk of addresses
// against one compiled table version.
//
// Why: this is the per-CPU reader of the shared FIB, as fib_table_lookup() is in the kernel:
// it never builds or changes a table, only attaches views to the shared buffers (once per
// version) and runs the batch loop. No parsing beyond the message check, no printing, no
// RxJS.

import { threadId, workerData } from 'node:worker_threads';
import type { SharedHeap } from './lpm/_shared-heap.js';
import {
  attachLpm,
  lookupInHeapWasm,
  lookupViews,
  lookupViewsWasm,
  runnerFor,
  type LpmShared,
  type LpmViews,
} from './lpm/lpm-table.js';
import type { WasmRunner } from './lpm/wasm-lookup.js';
import { parseLookupTask, type LookupReply, type LookupTask } from './protocol.js';

// Test-only (LookupPoolOptions.startupFaults): the first N workers to start exit before
// they are online, as a thread killed at startup (an OOM, a bad module) would.
const startup = (workerData as { startupFaults?: Int32Array } | null | undefined)?.startupFaults;
if (startup instanceof Int32Array && Atomics.add(startup, 0, 1) < Atomics.load(startup, 1)) process.exit(4);

/** Views per table version; a few recent versions cover lookups that overlap a publish. */
const views = new Map<number, LpmViews>();
const CACHE_VERSIONS = 4;
/**
 * One heap object per heap id: each message brings a new Memory wrapper for the same memory,
 * and the WebAssembly instance and scratch space are kept per heap.
 */
const heaps = new Map<number, SharedHeap>();
const runners = new WeakMap<SharedHeap, WasmRunner>();

function viewsFor(version: number, table: LpmShared): LpmViews {
  const hit = views.get(version);
  if (hit) return hit;
  let heap = heaps.get(table.heapId);
  if (!heap) {
    heap = { id: table.heapId, memory: table.memory };
    heaps.set(table.heapId, heap);
  }
  const v = attachLpm(table, heap);
  views.set(version, v);
  if (views.size > CACHE_VERSIONS) {
    const oldest = views.keys().next().value;
    if (oldest !== undefined) views.delete(oldest);
    // Forget heaps no cached version uses (their memory is freed when nothing holds it).
    const live = new Set([...views.values()].map((x) => x.heap.id));
    for (const id of heaps.keys()) if (!live.has(id)) heaps.delete(id);
  }
  return v;
}

function answer(
  task: LookupTask,
  v: LpmViews,
  addrs: Uint32Array,
  out: Uint32Array,
  from: number,
  to: number,
): void {
  if (task.kernel === 'js') lookupViews(v, addrs, out, from, to);
  else if (task.inHeap === true) lookupInHeapWasm(runnerFor(v.heap, runners), v, task.addrsOffset, task.outOffset, from, to, task.flat);
  else lookupViewsWasm(runnerFor(v.heap, runners), v, addrs, out, from, to, task.flat);
}

/**
 * Answers `addrs[from..to)` into `out[from..to)` and says how many it wrote.
 *
 * 1. Check the message; fetch (or attach and cache) the views of its table version.
 * 2. Run the batch loop (WebAssembly unless the task says js) over the range.
 * 3. Test-only: with `fault`, answer half the range, then exit the thread or throw, so the
 *    pool must answer the chunk again.
 */
export default function lookupChunk(message: unknown): LookupReply {
  const task = parseLookupTask(message);
  const v = viewsFor(task.version, task.table);
  const addrs = new Uint32Array(task.addrs, task.addrsOffset, task.addrsLength);
  const out = new Uint32Array(task.out, task.outOffset, task.addrsLength);
  if (task.fault) {
    const half = task.from + ((task.to - task.from) >> 1);
    answer(task, v, addrs, out, task.from, half);
    if (task.fault === 'exit') process.exit(3);
    throw new Error(`Injected lookup fault in chunk ${task.from}..${task.to}`);
  }
  answer(task, v, addrs, out, task.from, task.to);
  return { version: task.version, count: task.to - task.from, threadId };
}
