// The FIB lookup engine: `ip route get DST` for millions of destinations against a FIB
// snapshot, answered by worker threads from one compiled table in shared memory.
//
// Why: the reference lookup (core/route/route-output.ts: fib_lookup(), fib_table_lookup(),
// ip_route_output_key_hash_rcu()) walks the model's tries per destination, a few
// microseconds each. For the destination-only flow the whole answer is a function of the
// destination, so workers/compile/fib-lpm.ts compiles it into one poptrie of outcome codes; the
// workers (lookup-worker.ts, via lookup-pool.ts) run its WebAssembly loop over their share
// of a batch, and decode() turns a code back into the reference's answer. A new snapshot is
// compiled incrementally when only routes changed and published as a new version while
// lookups run: each batch is answered against the version current when it started (as an
// RCU reader of fib_trie keeps the trie it started with), and a worker that dies mid-batch
// costs a retry of its chunk, never a lost or doubled answer (lookup-pool.ts).
//
// Flows that select on more than the destination (from, iif, oif, mark, tos, uid, another
// ipproto than udp or ports, fibmatch) take the exact path: routeGet() falls back to the
// reference on the main thread.

import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import { routeGet, type RouteGetOutcome, type RouteGetRequest } from '../core/route/route-output.js';
import type { Ip4 } from '../core/net/ip4.js';
import { FibLpmCompiler, type CompileMode } from './compile/fib-lpm.js';
import type { CompiledOutcome } from './compile/compile.js';
import { lookupLpmBatch, lpmMemory, type LpmKernel } from './lpm/lpm-table.js';
import type { LpmMemory } from './lpm/dir24-8.js';
import type { PoptrieTable } from './lpm/poptrie.js';
import { LookupPool, type LookupPoolOptions, type LookupPoolStats } from './lookup-pool.js';

export interface FibEngineOptions extends LookupPoolOptions {
  /** Compile incrementally when only routes changed (default true). */
  readonly incremental?: boolean;
  /**
   * When to build the index the first incremental compile needs (~100 ms on a full table):
   * 'idle' (default) on a timer after a full compile, 'eager' inside publish(), 'lazy' in
   * the first incremental compile.
   */
  readonly prepare?: 'idle' | 'eager' | 'lazy';
  /**
   * A compiler to share with other engines (outcome codes included), e.g. pools of several
   * sizes over one snapshot: publishing what it compiled last costs nothing.
   */
  readonly compiler?: FibLpmCompiler;
}

/** What publish() did. */
export interface PublishInfo {
  /** The engine's version number (increases with every publish that changed something). */
  readonly version: number;
  /** The snapshot's generation. */
  readonly generation: number;
  readonly mode: CompileMode;
  /** Incremental: LPM changes applied; full: prefixes compiled. */
  readonly changes: number;
  /** Why the compile was full. */
  readonly reason?: string;
  /** Wall time of the compile, ms. */
  readonly compileMs: number;
}

/** A batch's answers with the version that answered it. */
export interface LookupBatch {
  readonly codes: Uint32Array;
  readonly version: number;
  readonly snapshot: FibSnapshot;
}

interface Current {
  readonly version: number;
  readonly snapshot: FibSnapshot;
  readonly table: PoptrieTable;
}

/** Whether a request asks only about its destination (the flow the compiled table answers). */
export function isDestinationOnly(req: RouteGetRequest): boolean {
  return (
    req.src === 0 &&
    req.iif === 0 &&
    req.oif === 0 &&
    req.mark === 0 &&
    req.tos === 0 &&
    (req.uid === undefined || req.uid === 0) &&
    req.ipproto === 17 &&
    req.sport === 0 &&
    req.dport === 0 &&
    !req.fibmatch
  );
}

/** The request `ip route get DST` sends (udp, nothing else set). */
export function destinationRequest(dst: Ip4): RouteGetRequest {
  return { dst, src: 0, iif: 0, oif: 0, mark: 0, tos: 0, ipproto: 17, sport: 0, dport: 0, fibmatch: false };
}

/**
 * Answers `ip route get` for batches of destinations with worker threads.
 *
 * @example
 *   const engine = new FibEngine({ threads: 2 });
 *   engine.publish(snapshot);
 *   const codes = await engine.lookup(Uint32Array.of(0x08080808));
 *   engine.decode(codes[0]!, 0x08080808); // deep-equals routeGet(snapshot, destinationRequest(0x08080808))
 *   await engine.close();
 */
export class FibEngine {
  readonly threads: number;
  private readonly compiler: FibLpmCompiler;
  private readonly pool: LookupPool;
  private readonly prepare: 'idle' | 'eager' | 'lazy';
  private current: Current | null = null;
  private nextVersion = 1;
  private prepareTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: FibEngineOptions = {}) {
    this.compiler = options.compiler ?? new FibLpmCompiler({ incremental: options.incremental ?? true });
    this.pool = new LookupPool(options);
    this.threads = this.pool.threads;
    this.prepare = options.prepare ?? 'idle';
  }

  /** The version lookups use now, or null before the first publish. */
  get version(): number | null {
    return this.current?.version ?? null;
  }

  /** The snapshot lookups answer for now, or null before the first publish. */
  get snapshot(): FibSnapshot | null {
    return this.current?.snapshot ?? null;
  }

  /**
   * Compiles `s` (incrementally from the last published snapshot when only routes
   * changed) and makes it the version new batches use; running batches keep theirs.
   *
   * 1. Compile (workers/compile/fib-lpm.ts): the same snapshot again changes nothing.
   * 2. Publish the table to the pool under a new version number.
   * 3. After a full compile, prepare the next incremental one (see FibEngineOptions.prepare).
   */
  publish(s: FibSnapshot): PublishInfo {
    const t0 = performance.now();
    const v = this.compiler.compile(s);
    const compileMs = performance.now() - t0;
    const cur = this.current;
    if (cur !== null && v.table === cur.table) {
      this.current = { ...cur, snapshot: s };
      return { version: cur.version, generation: s.generation, mode: 'unchanged', changes: 0, compileMs };
    }
    const version = this.nextVersion++;
    this.pool.publish(v.table, version);
    this.current = { version, snapshot: s, table: v.table };
    if (v.mode === 'full') this.schedulePrepare();
    return {
      version,
      generation: s.generation,
      mode: v.mode,
      changes: v.changes,
      ...(v.reason === undefined ? {} : { reason: v.reason }),
      compileMs,
    };
  }

  /**
   * Answers a batch of destinations: `codes[i]` is the outcome code of `dsts[i]` in the
   * version current when the call started; decode() turns it into routeGet()'s answer.
   */
  async lookup(dsts: Uint32Array, out?: Uint32Array): Promise<Uint32Array> {
    return (await this.lookupBatch(dsts, out)).codes;
  }

  /** lookup(), also saying which version (and snapshot) answered. */
  async lookupBatch(dsts: Uint32Array, out?: Uint32Array): Promise<LookupBatch> {
    const cur = this.current;
    if (cur === null) throw new Error('Cannot look up: no snapshot published (call publish first)');
    // The pool pins its current version synchronously here: the same one as `cur`.
    const codes = await this.pool.lookup(dsts, out);
    return { codes, version: cur.version, snapshot: cur.snapshot };
  }

  /**
   * Room for a batch of n destinations and its answer codes in the compiled table's memory
   * (LookupPool.allocBatch()): lookup(addrs, out) of these is answered in place, without copies.
   */
  allocBatch(n: number): { readonly addrs: Uint32Array<SharedArrayBuffer>; readonly out: Uint32Array<SharedArrayBuffer> } {
    return this.pool.allocBatch(n);
  }

  /** The batch on the calling thread (no workers), with the WebAssembly loop unless told otherwise. */
  lookupHere(dsts: Uint32Array, out: Uint32Array = new Uint32Array(dsts.length), kernel: LpmKernel = 'wasm'): Uint32Array {
    const cur = this.current;
    if (cur === null) throw new Error('Cannot look up: no snapshot published (call publish first)');
    lookupLpmBatch(cur.table, dsts, out, kernel);
    return out;
  }

  /** What `ip route get DST` answers, from the code a lookup of DST gave (any version). */
  decode(code: number, dst: Ip4): RouteGetOutcome {
    return this.compiler.decode(code, dst);
  }

  /** The outcome behind a code (what decode() completes with the destination). */
  outcome(code: number): CompiledOutcome {
    return this.compiler.outcome(code);
  }

  /**
   * One `ip route get` against the current snapshot: the compiled table for a
   * destination-only request, the reference (exact path) for anything else.
   */
  routeGet(req: RouteGetRequest): RouteGetOutcome {
    const cur = this.current;
    if (cur === null) throw new Error('Cannot look up: no snapshot published (call publish first)');
    if (!isDestinationOnly(req)) return routeGet(cur.snapshot, req);
    const codes = this.lookupHere(Uint32Array.of(req.dst), new Uint32Array(1), 'js');
    return this.decode(codes[0]!, req.dst);
  }

  /** The compiled table's memory (see LpmMemory). */
  memory(): LpmMemory {
    const cur = this.current;
    if (cur === null) throw new Error('Cannot report memory: no snapshot published');
    return lpmMemory(cur.table);
  }

  /** Distinct outcomes coded so far. */
  get outcomes(): number {
    return this.compiler.codes.size;
  }

  /** The pool's counters (batches, chunks, answered, retries). */
  stats(): LookupPoolStats {
    return this.pool.stats();
  }

  /** Waits for running batches, then stops the workers. */
  async close(): Promise<void> {
    if (this.prepareTimer !== null) clearTimeout(this.prepareTimer);
    this.prepareTimer = null;
    await this.pool.close();
  }

  private schedulePrepare(): void {
    if (this.prepare === 'lazy') return;
    if (this.prepare === 'eager') {
      this.compiler.prepareIncremental();
      return;
    }
    if (this.prepareTimer !== null) clearTimeout(this.prepareTimer);
    this.prepareTimer = setTimeout(() => {
      this.prepareTimer = null;
      this.compiler.prepareIncremental();
    }, 0);
    this.prepareTimer.unref();
  }
}
