// What the two lookup benchmarks share (engine.bench.ts over the FibEngine, lpm.bench.ts over
// the bare LPM structures): the options both take, and the shape of a measured rate. One
// declaration, so that `kfib bench` and both result files describe a run alike.

/** The options both lookup benchmarks take; every field has a default in each bench's DEFAULTS. */
export interface LookupBenchCommon {
  /** Where the results (.json, .svg) go (default bench/results). */
  readonly outDir?: string;
  /** Size of the generated table (default 1,000,000). */
  readonly generatedPrefixes?: number;
  /** Table sizes for "lookups/s as the table grows" (default 10k, 100k, 1M). */
  readonly growthSizes?: readonly number[];
  /** Addresses per workload (default 2^22). */
  readonly addresses?: number;
  /** Worker counts (default 1..availableParallelism()). */
  readonly threads?: readonly number[];
  /** Minimum time per throughput measurement, ms (default 1000). */
  readonly minMs?: number;
  /** Seed of everything generated (default 4). */
  readonly seed?: number;
  readonly kernel?: boolean;
  readonly c?: boolean;
  readonly npm?: boolean;
  /** Queries asked of the kernel per workload (default 20,000). */
  readonly kernelQueries?: number;
  /** Queries asked of the npm package per workload (default 20,000). */
  readonly npmQueries?: number;
  /** Progress on stderr (default true). */
  readonly progress?: boolean;
  /** Write the results files (default true). */
  readonly write?: boolean;
  /** Print the figures on stdout (default true). */
  readonly print?: boolean;
}

/** One competitor's rate on one workload. */
export interface RateRow {
  readonly competitor: string;
  /** 'main' for the calling thread, else the pool's worker count. */
  readonly threads: number | 'main';
  /**
   * Million lookups per second in the fastest timed pass (robust to other load on a shared
   * machine; the C baseline reports the same), or null when not timed (see checked/note).
   */
  readonly mlps: number | null;
  /** The median pass, for comparison. */
  readonly mlpsMedian?: number | null;
  /** How its answers were checked against the engine's. */
  readonly checked: string;
  readonly note?: string;
}

/** The rates of every competitor on one set of addresses. */
export interface Workload {
  readonly addresses: 'table-drawn' | 'uniform';
  readonly count: number;
  readonly rows: RateRow[];
}
