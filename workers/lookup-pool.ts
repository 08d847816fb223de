// The lookup engine: a piscina pool that answers batches of IPv4 destinations against a
// compiled LPM table (workers/lpm/) shared with every worker thread.
//
// Why: fib_table_lookup() runs on every CPU at once against one trie, readers never
// blocking the writer (RCU). Here the writer is the main thread, which compiles and
// publishes table versions; readers are worker threads, each answering one chunk of a
// batch. Every batch is pinned to the version current when it started, so a publish while
// lookups run never mixes two versions in one answer -- as a reader inside rcu_read_lock()
// keeps seeing the trie it started with. idle(version) is synchronize_rcu(): it resolves
// once no batch uses that version, after which its buffers may be reused (the left-right
// replicas of an in-place DIR-24-8; poptrie versions never need it).
//
// A worker that dies (or throws) mid-chunk costs a retry of that chunk on another worker:
// chunks write disjoint ranges of the shared answer array, so an answer written by the dead
// worker is simply written again with the same value, and the batch counts each chunk once.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import {
  lpmShared,
  type LpmKernel,
  type LpmShared,
  type LpmTable,
} from './lpm/lpm-table.js';
import { parseLookupReply, type LookupFault, type LookupTask } from './protocol.js';
import { heapAlloc } from './lpm/_shared-heap.js';
import { FlatCopies } from './lpm/flat-copies.js';

/** Where a fault may be injected: the chunk, its attempt (0 first) and its batch's version. */
export interface ChunkAttempt {
  readonly chunk: number;
  readonly attempt: number;
  readonly version: number;
}

export interface LookupPoolOptions {
  /** Worker threads (default: os.availableParallelism()). */
  readonly threads?: number;
  /** Smallest chunk worth a thread (default 4096 addresses); small batches use fewer. */
  readonly minChunk?: number;
  /** Attempts per chunk before the batch fails (default 3). */
  readonly maxAttempts?: number;
  /**
   * Longest one chunk attempt may take, queued or running, before it counts as failed
   * (default 30 s): a worker that dies at any point, even before it is online, and is not
   * replaced, fails its batch within maxAttempts × this, never hangs it.
   */
  readonly attemptTimeoutMs?: number;
  /** Which loop the workers run (default 'wasm'; 'js' gives the same answers, slower). */
  readonly kernel?: LpmKernel;
  /** Test-only: a fault for a chunk attempt ('exit' the worker thread, or 'throw'). */
  readonly faults?: (at: ChunkAttempt) => LookupFault | undefined;
  /** Test-only: this many of the first workers to start exit before they are online. */
  readonly startupFaults?: number;
}

/** Counters since the pool started. */
export interface LookupPoolStats {
  readonly threads: number;
  readonly batches: number;
  /** Chunks answered (each counted once, however many attempts it took). */
  readonly chunks: number;
  /** Addresses answered (each counted once). */
  readonly answered: number;
  /** Failed chunk attempts that were answered again. */
  readonly retries: number;
}

interface Published {
  readonly version: number;
  readonly shared: LpmShared;
  /** A poptrie's flattened copy for the WebAssembly loop (flat-copies.ts), as a byte offset. */
  readonly flat?: number;
}

interface Pin {
  refs: number;
  readonly waiters: (() => void)[];
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function abortedByTimeout(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof TimeoutError || e.name === 'AbortError') return true;
  return false;
}

function startupCounter(n: number): Int32Array {
  const c = new Int32Array(new SharedArrayBuffer(8));
  c[1] = n;
  return c;
}

/** The compiled worker file: dist/workers/lookup-worker.js beside this module. */
export const LOOKUP_WORKER_FILE = fileURLToPath(new URL('./lookup-worker.js', import.meta.url));

/**
 * A pool of lookup workers over one published table version at a time.
 *
 * @example
 *   const pool = new LookupPool({ threads: 2 });
 *   pool.publish(buildPoptrie(entries), 1);
 *   const answers = await pool.lookup(addrs); // Uint32Array, answers[i] for addrs[i]
 *   await pool.close();
 */
export class LookupPool {
  readonly threads: number;
  readonly kernel: LpmKernel;
  private piscina: Piscina<LookupTask, unknown>;
  private readonly workerData: { readonly startupFaults: Int32Array } | undefined;
  private readonly minChunk: number;
  private readonly maxAttempts: number;
  private readonly attemptTimeoutMs: number;
  private readonly faults: LookupPoolOptions['faults'];
  private current: Published | null = null;
  private readonly pins = new Map<number, Pin>();
  private closed = false;
  private counters = { batches: 0, chunks: 0, answered: 0, retries: 0 };
  /** The buffers allocBatch() made, by the heap they live in. */
  private readonly batchHeaps = new WeakMap<ArrayBufferLike, number>();
  /** The flattened poptrie copies the workers share. */
  private readonly flatCopies = new FlatCopies();

  constructor(options: LookupPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.minChunk = Math.max(1, options.minChunk ?? 4096);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.attemptTimeoutMs = Math.max(1, options.attemptTimeoutMs ?? 30_000);
    this.faults = options.faults;
    this.kernel = options.kernel ?? 'wasm';
    this.workerData = options.startupFaults === undefined ? undefined : { startupFaults: startupCounter(options.startupFaults) };
    this.piscina = this.spawnPool();
  }

  private spawnPool(): Piscina<LookupTask, unknown> {
    const p = new Piscina<LookupTask, unknown>({
      filename: LOOKUP_WORKER_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      ...(this.workerData === undefined ? {} : { workerData: this.workerData }),
    });
    // A worker that dies outside a task (before it is online) is piscina's 'error'; it must
    // not crash the process: the attempt timeout settles the batch, and replacePool() the pool.
    p.on('error', () => undefined);
    return p;
  }

  /**
   * After an attempt timed out: piscina does not replace workers that died before they were
   * online, so when it is left with fewer threads than asked, a new pool replaces it (the
   * old one is destroyed; its queued attempts fail and are retried on the new one).
   */
  private replacePool(): void {
    if (this.closed || this.piscina.threads.length >= this.threads) return;
    const old = this.piscina;
    this.piscina = this.spawnPool();
    void old.destroy().catch(() => undefined);
  }

  /** The version lookups use now, or null before the first publish. */
  get version(): number | null {
    return this.current?.version ?? null;
  }

  /**
   * Makes `table` the version new batches use; batches already running keep theirs.
   * Versions must increase (workers cache views by version).
   */
  publish(table: LpmTable, version: number): void {
    if (this.closed) throw new Error('Cannot publish: the lookup pool is closed');
    if (!Number.isInteger(version) || version < 0) {
      throw new RangeError(`Cannot publish: version must be a non-negative integer: got ${version}`);
    }
    if (this.current && version <= this.current.version) {
      throw new RangeError(
        `Cannot publish: version must increase: got ${version} after ${this.current.version}`,
      );
    }
    const flat = table.kind === 'poptrie' && this.kernel === 'wasm' ? this.flatCopies.copyFor(table, version, (v) => this.pins.has(v)) : undefined;
    this.current = { version, shared: lpmShared(table), ...(flat === undefined ? {} : { flat }) };
  }

  /**
   * Room for a batch of n addresses and its answers inside the current table's memory: a
   * lookup() of these arrays is answered in place by the workers' WebAssembly loop, without
   * the copies in and out of their scratch space (about a tenth of a batch's time). Allocate
   * once and reuse (the memory is never freed); after a publish into another memory the
   * arrays still work, through the copies.
   */
  allocBatch(n: number): { readonly addrs: Uint32Array<SharedArrayBuffer>; readonly out: Uint32Array<SharedArrayBuffer> } {
    const cur = this.current;
    if (!cur) throw new Error('Cannot allocate a batch: no table published (call publish first)');
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Cannot allocate a batch: n must be a non-negative integer: got ${n}`);
    const room = heapAlloc({ id: cur.shared.heapId, memory: cur.shared.memory }, 2 * n);
    const addrs = new Uint32Array(room.buffer, room.byteOffset, n);
    const out = new Uint32Array(room.buffer, room.byteOffset + 4 * n, n);
    this.batchHeaps.set(room.buffer, cur.shared.heapId);
    return { addrs, out };
  }

  /**
   * Answers a batch: `result[i]` is the value of the longest prefix matching `addrs[i]` in the
   * version current when the call started (0: no match).
   *
   * 1. Pin the current version. Share the addresses (copied once into a SharedArrayBuffer
   *    unless they already live in one) and the answer array (`out` if it is shared).
   * 2. Split the batch into one chunk per thread (fewer for small batches) and run them.
   * 3. A chunk whose worker exits or throws, or that is not answered within
   *    attemptTimeoutMs (its worker died before it was online), is run again, up to
   *    maxAttempts; then the batch fails with an error.
   * 4. Unpin; wake idle() callers of a version no batch uses any more.
   */
  async lookup(addrs: Uint32Array, out?: Uint32Array): Promise<Uint32Array> {
    if (this.closed) throw new Error('Cannot look up: the lookup pool is closed');
    const cur = this.current;
    if (!cur) throw new Error('Cannot look up: no table published (call publish first)');
    const n = addrs.length;
    const target = out && out.length >= n ? out : new Uint32Array(n);
    const pin = this.pin(cur.version);
    try {
      this.counters.batches++;
      if (n === 0) return target;
      let input: SharedArrayBuffer;
      let inputOffset: number;
      if (addrs.buffer instanceof SharedArrayBuffer) {
        input = addrs.buffer;
        inputOffset = addrs.byteOffset;
      } else {
        input = new SharedArrayBuffer(n * 4);
        new Uint32Array(input).set(addrs);
        inputOffset = 0;
      }
      const shared = target.buffer instanceof SharedArrayBuffer;
      const output = shared ? target.buffer : new SharedArrayBuffer(n * 4);
      const outputOffset = shared ? target.byteOffset : 0;
      const chunks = Math.max(1, Math.min(this.threads, Math.ceil(n / this.minChunk)));
      // Both arrays inside the table's memory (allocBatch()): the workers answer in place.
      const heapId = cur.shared.heapId;
      const inHeap = this.batchHeaps.get(input) === heapId && this.batchHeaps.get(output) === heapId;
      const jobs: Promise<void>[] = [];
      for (let c = 0; c < chunks; c++) {
        const task: LookupTask = {
          version: cur.version,
          table: cur.shared,
          addrs: input,
          addrsOffset: inputOffset,
          addrsLength: n,
          out: output,
          outOffset: outputOffset,
          from: Math.floor((n * c) / chunks),
          to: Math.floor((n * (c + 1)) / chunks),
          kernel: this.kernel,
          ...(inHeap ? { inHeap: true as const } : {}),
          ...(cur.flat === undefined ? {} : { flat: cur.flat }),
        };
        jobs.push(this.runChunk(c, task));
      }
      await Promise.all(jobs);
      if (!shared) target.set(new Uint32Array(output, 0, n));
      return target;
    } finally {
      this.unpin(cur.version, pin);
    }
  }

  /**
   * Resolves once no batch uses `version` (at once if none does): after that, the buffers
   * of a version that is no longer current may be changed or reused.
   */
  idle(version: number): Promise<void> {
    const pin = this.pins.get(version);
    if (!pin) return Promise.resolve();
    return new Promise((resolve) => pin.waiters.push(resolve));
  }

  /** Counters since the pool started. */
  stats(): LookupPoolStats {
    return { threads: this.threads, ...this.counters };
  }

  /** Waits for running batches, then stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // piscina's close() waits for workers that may have died before they were online.
    const p = this.piscina;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((res) => (timer = setTimeout(res, 5000)));
    const closed = await Promise.race([p.close().then(() => true), late.then(() => false)]);
    clearTimeout(timer);
    if (!closed) await p.destroy();
  }

  private pin(version: number): Pin {
    let pin = this.pins.get(version);
    if (!pin) {
      pin = { refs: 0, waiters: [] };
      this.pins.set(version, pin);
    }
    pin.refs++;
    return pin;
  }

  private unpin(version: number, pin: Pin): void {
    pin.refs--;
    if (pin.refs > 0) return;
    this.pins.delete(version);
    for (const wake of pin.waiters.splice(0)) wake();
  }

  private async runChunk(chunk: number, task: LookupTask): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const fault = this.faults?.({ chunk, attempt, version: task.version });
      try {
        // A ref'd timer (AbortSignal.timeout's is not): a batch waiting on dead workers
        // keeps the process alive until it settles, it does not exit with it unsettled.
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(new TimeoutError(`no answer in ${this.attemptTimeoutMs} ms`)), this.attemptTimeoutMs);
        let raw: unknown;
        try {
          raw = await this.piscina.run(fault ? { ...task, fault } : task, { signal: abort.signal });
        } finally {
          clearTimeout(timer);
        }
        const reply = parseLookupReply(raw);
        if (reply.version !== task.version || reply.count !== task.to - task.from) {
          throw new Error(
            `Lookup chunk ${task.from}..${task.to} answered ${reply.count} with version ` +
              `${reply.version}, expected ${task.to - task.from} with ${task.version}`,
          );
        }
        this.counters.chunks++;
        this.counters.answered += reply.count;
        return;
      } catch (err) {
        if (attempt + 1 >= this.maxAttempts) {
          throw new Error(
            `Cannot look up: chunk ${task.from}..${task.to} failed ${attempt + 1} times`,
            { cause: err },
          );
        }
        this.counters.retries++;
        if (abortedByTimeout(err)) this.replacePool();
      }
    }
  }
}
