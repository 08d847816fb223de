// The public surface of the compiled longest-prefix-match tables, listed by hand.
//
// Why: the lookup engine (workers/lookup-pool.ts) and the compiler from a FIB snapshot
// (workers/compile/, a layer above this one) use these; the modules behind them mirror
// fib_table_lookup()'s longest-prefix match in shared memory (see dir24-8.ts and poptrie.ts
// for the layouts and the kernel functions).

export type { LpmChange, LpmEntry } from './_prefix-index.js';
export { LPM_MAX_VALUE } from './_prefix-index.js';
export {
  applyDir24Change,
  buildDir24,
  cloneDir24,
  dir24Memory,
  ensureDir24Index,
  lookupBatch,
  lookupDir24,
  type Dir24Table,
  type LpmMemory,
} from './dir24-8.js';
export {
  applyPoptrieChanges,
  buildPoptrie,
  buildPoptrieColumns,
  ensurePoptrieIndex,
  lookupPoptrie,
  lookupPoptrieBatch,
  poptrieIndexed,
  poptrieMemory,
  type PoptrieTable,
} from './poptrie.js';
export {
  lookupLpm,
  lookupLpmBatch,
  lpmMemory,
  lpmShared,
  type LpmKernel,
  type LpmShared,
  type LpmTable,
} from './lpm-table.js';
