// What `kfib verify` runs: every invariant property, and with the kernel the differential
// property, collected into one report. The CLI (cli/verify-cmd.ts) only parses argv and
// prints; the tests (test/props/) call the same functions.

import { INVARIANTS, type InvariantResult } from './invariants/laws.js';
import { runDifferential, type DifferentialReport } from './differential/differential.js';

export interface VerifyOptions {
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  /** Only this property (an invariant id, or `differential`). */
  readonly property?: string;
  readonly kernel: boolean;
  readonly maxCommands?: number;
  readonly concurrency?: number;
  readonly regressionsDir?: string | null;
  readonly log?: (line: string) => void;
  /** Called as the work advances: the property running and the fraction of the whole done. */
  readonly progress?: (property: string, fraction: number) => void;
}

export interface VerifyReport {
  readonly seed: number;
  readonly invariants: readonly { readonly id: string; readonly name: string; readonly seconds: number; readonly result: InvariantResult }[];
  readonly differential: DifferentialReport | null;
  readonly failed: boolean;
}

export const PROPERTY_IDS: readonly string[] = [...INVARIANTS.map((i) => i.id), 'differential'];

export async function verify(o: VerifyOptions): Promise<VerifyReport> {
  const log = o.log ?? ((): void => undefined);
  const invariants: VerifyReport['invariants'][number][] = [];
  const progress = o.progress ?? ((): void => undefined);
  const withKernel = o.kernel && (o.property === undefined || o.property === 'differential');
  const selected = INVARIANTS.filter((inv) => o.property === undefined || o.property === inv.id);
  // The differential costs about as much as all the invariants together (a kernel run per
  // script); alone (--property differential) it is the whole bar, not 0 of 0.
  const total = selected.length + (withKernel ? Math.max(1, selected.length) : 0);
  for (const inv of selected) {
    progress(inv.id, invariants.length / total);
    const t = Date.now();
    const result = inv.check({ numRuns: o.runs, seed: o.seed, ...(o.path === undefined ? {} : { path: o.path }) });
    invariants.push({ id: inv.id, name: inv.name, seconds: (Date.now() - t) / 1000, result });
    log(`${result.failed ? 'FAIL' : 'ok  '} ${inv.id}: ${result.numRuns} runs`);
  }
  let differential: DifferentialReport | null = null;
  if (withKernel) {
    const base = invariants.length / total;
    progress('differential', base);
    differential = await runDifferential({
      onRun: (runs) => progress('differential', base + (1 - base) * Math.min(1, runs / o.runs)),
      runs: o.runs,
      seed: o.seed,
      ...(o.path === undefined ? {} : { path: o.path }),
      ...(o.maxCommands === undefined ? {} : { maxCommands: o.maxCommands }),
      ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
      regressionsDir: o.regressionsDir ?? null,
      log,
    });
  }
  progress('', 1);
  const failed = invariants.some((i) => i.result.failed) || (differential?.failure ?? null) !== null;
  return { seed: o.seed, invariants, differential, failed };
}
