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
  for (const inv of INVARIANTS) {
    if (o.property !== undefined && o.property !== inv.id) continue;
    const t = Date.now();
    const result = inv.check({ numRuns: o.runs, seed: o.seed, ...(o.path === undefined ? {} : { path: o.path }) });
    invariants.push({ id: inv.id, name: inv.name, seconds: (Date.now() - t) / 1000, result });
    log(`${result.failed ? 'FAIL' : 'ok  '} ${inv.id}: ${result.numRuns} runs`);
  }
  let differential: DifferentialReport | null = null;
  if (o.kernel && (o.property === undefined || o.property === 'differential')) {
    differential = await runDifferential({
      runs: o.runs,
      seed: o.seed,
      ...(o.path === undefined ? {} : { path: o.path }),
      ...(o.maxCommands === undefined ? {} : { maxCommands: o.maxCommands }),
      ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
      regressionsDir: o.regressionsDir ?? null,
      log,
    });
  }
  const failed = invariants.some((i) => i.result.failed) || (differential?.failure ?? null) !== null;
  return { seed: o.seed, invariants, differential, failed };
}
