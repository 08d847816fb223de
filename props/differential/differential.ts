// The differential property: for a generated script, the model's transcript equals the
// live kernel's (a fresh `unshare -n` namespace per script), byte for byte. Kernel runs
// are prefetched in parallel for the scripts fast-check will generate (fc.sample with the
// same seed yields the same values), so the property mostly just awaits them; shrinking
// then runs one kernel script per candidate, ahead of the queue.

import fc from 'fast-check';
import { ipScript } from '../arbitraries/script.js';
import { scriptText, type IpCommand } from '../arbitraries/ip-command.js';
import { transcript } from '../../core/script/run-script.js';
import { multipathGuard, multipathGuardLines } from './multipath-guard.js';
import { judge, type Verdict } from './judge.js';
import { KernelPool } from './kernel-pool.js';
import { kernelScript } from './kernel-guard.js';
import { Coverage } from './coverage.js';
import { regressionName, writeRegression } from './regressions.js';
import type { EntryDiff } from './transcript-diff.js';

export interface DifferentialOptions {
  readonly runs: number;
  readonly seed: number;
  /** fast-check replay path of an earlier failure (with its seed). */
  readonly path?: string;
  readonly maxCommands?: number;
  /** Kernel namespaces run side by side (default 6). */
  readonly concurrency?: number;
  /** Where to write a found counterexample (NAME.ip + NAME.expected); null: nowhere. */
  readonly regressionsDir?: string | null;
  readonly log?: (line: string) => void;
  /** Called after each generated script compared (not during shrinking). */
  readonly onRun?: (runs: number) => void;
}

export interface DifferentialFailure {
  readonly seed: number;
  readonly path: string;
  readonly script: string;
  readonly model: string;
  readonly kernel: string;
  readonly diff: EntryDiff | null;
  readonly error: string | null;
  readonly regression: string | null;
  readonly shrinks: number;
}

export interface DifferentialReport {
  readonly runs: number;
  readonly same: number;
  readonly tolerated: Readonly<Record<string, number>>;
  /** `ip route get` lines given `fibmatch` by the multipath guard. */
  readonly pinned: number;
  /**
   * Generated lines the model names as not modelled (a gap, e.g. realms on the input path),
   * withheld from both sides as `kfib run --kernel` withholds them, by reason.
   */
  readonly withheld: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly scriptsPerSecond: number;
  readonly coverage: Coverage;
  readonly failure: DifferentialFailure | null;
}

/** The arbitrary the differential draws from: generated scripts with the multipath guard applied. */
export function differentialScripts(maxCommands?: number): fc.Arbitrary<IpCommand[]> {
  return ipScript(maxCommands === undefined ? {} : { maxCommands }).map(multipathGuard);
}

/**
 * The script both sides run: the generated one without the lines the model names as a gap
 * (kernel-guard.ts kernelScript(); the kernel runner refuses such a script), and its lines.
 */
export function comparedScript(cmds: readonly IpCommand[]): { text: string; lines: string[]; withheld: string[] } {
  const k = kernelScript(scriptText(cmds));
  return { text: k.script, lines: k.script.split('\n').filter((l) => l !== ''), withheld: k.withheld.map((w) => w.why) };
}

/** A kernel run that failed (the runner could not start, a refused line): a value, never an unhandled rejection. */
class KernelRunError {
  constructor(readonly message: string) {}
}

/** fast-check shrink candidates tried against the kernel before the line-removal pass takes over. */
const SHRINK_BUDGET = 80;

/** Runs the differential property against the kernel; resolves with what it saw. */
export async function runDifferential(o: DifferentialOptions): Promise<DifferentialReport> {
  const log = o.log ?? ((): void => undefined);
  const arb = differentialScripts(o.maxCommands);
  const pool = new KernelPool(o.concurrency ?? 6);
  const started = Date.now();
  const coverage = new Coverage();
  const prefetch = new Map<string, Promise<string | null | KernelRunError>>();
  // Prefetched runs are awaited only when fast-check reaches their script: a failure is kept
  // as a value until then (a rejection nobody awaits yet would end the process).
  const settled = (p: Promise<string | null>): Promise<string | null | KernelRunError> => p.catch((e: unknown) => new KernelRunError(e instanceof Error ? e.message : String(e)));
  if (o.path === undefined) {
    for (const cmds of fc.sample(arb, { seed: o.seed, numRuns: o.runs })) {
      coverage.add(cmds);
      const { text } = comparedScript(cmds);
      if (!prefetch.has(text)) prefetch.set(text, settled(pool.run(text)));
    }
  }
  let failing = false;
  let runs = 0;
  let same = 0;
  let pinned = 0;
  let shrinks = 0;
  const tolerated: Record<string, number> = {};
  const withheld: Record<string, number> = {};
  const last = new Map<string, { model: string; kernel: string; verdict: Verdict }>();
  const kernelOf = async (text: string): Promise<string> => {
    const p = failing ? undefined : prefetch.get(text);
    const k = (await p) ?? (await settled(pool.run(text, true)));
    if (k === null) throw new Error('kernel job cancelled');
    if (k instanceof KernelRunError) throw new Error(`the kernel run failed: ${k.message}`);
    return k;
  };
  const property = fc.asyncProperty(arb, async (cmds) => {
    // Each shrink candidate costs a kernel run: past the budget, stop shrinking (the
    // candidate "passes") and leave the rest to the line-removal pass below.
    if (failing && shrinks >= SHRINK_BUDGET) return true;
    const { text, lines, withheld: gaps } = comparedScript(cmds);
    const kernel = await kernelOf(text);
    const model = transcript(text);
    const verdict = judge(model, kernel, lines);
    last.set(text, { model, kernel, verdict });
    if (failing) {
      shrinks++;
      if (shrinks % 10 === 0) log(`  shrinking: ${shrinks} candidates tried, ${cmds.length} commands now`);
    } else {
      runs++;
      if (o.path !== undefined) coverage.add(cmds);
      pinned += cmds.filter((c) => c.options.includes('pinned:fibmatch')).length;
      for (const why of gaps) withheld[why] = (withheld[why] ?? 0) + 1;
      if (verdict.kind === 'same') same++;
      if (verdict.kind === 'tolerated') for (const k of verdict.known) tolerated[k.id] = (tolerated[k.id] ?? 0) + 1;
      o.onRun?.(runs);
      if (runs % 100 === 0) log(`  ${runs}/${o.runs} scripts, ${((runs * 1000) / (Date.now() - started)).toFixed(2)}/s`);
    }
    if (verdict.kind === 'diverged' && !failing) {
      failing = true;
      pool.cancelPending();
      prefetch.clear();
      log(`  divergence at script ${runs} (${verdict.diff.command}); shrinking`);
    }
    return verdict.kind !== 'diverged';
  });
  let failure: DifferentialFailure | null = null;
  try {
    const details = await fc.check(property, {
      seed: o.seed,
      numRuns: o.path === undefined ? o.runs : 1,
      ...(o.path === undefined ? {} : { path: o.path }),
      endOnFailure: false,
    });
    if (details.failed) {
      const cex = details.counterexample?.[0];
      let text = comparedScript(cex ?? []).text;
      // fast-check cannot drop setup commands below the generator's minimum: finish with
      // a greedy pass that removes single lines while the divergence stays.
      if (last.get(text)?.verdict.kind === 'diverged') {
        text = await minimiseLines(text, pool, last, log);
      }
      const seen = last.get(text);
      const kernel = seen?.kernel ?? '';
      const model = seen?.model ?? '';
      const diff = seen?.verdict.kind === 'diverged' ? seen.verdict.diff : null;
      let regression: string | null = null;
      if (o.regressionsDir !== undefined && o.regressionsDir !== null && diff !== null) {
        // Capture the kernel again: a transcript that changes between runs is no regression.
        const again = await pool.run(text, true);
        if (again === kernel) {
          const name = regressionName(diff.command, text);
          try {
            regression = writeRegression(
              o.regressionsDir,
              name,
              [`Found by \`kfib verify --kernel --seed ${details.seed}\` (fast-check path ${details.counterexamplePath ?? ''}).`, `First divergence: ${diff.command}`],
              text,
              kernel,
            );
          } catch (e) {
            // The counterexample is still reported whole below: a folder that cannot be written loses nothing.
            log(`  could not write the counterexample to ${o.regressionsDir}: ${e instanceof Error ? e.message : String(e)}`);
          }
        } else log('  the kernel gave two different transcripts for the minimal script: not written as a regression');
      }
      const err = details.errorInstance;
      failure = {
        seed: details.seed,
        path: details.counterexamplePath ?? '',
        script: text,
        model,
        kernel,
        diff,
        error: seen === undefined && err !== null && err !== undefined ? (err instanceof Error ? err.message : String(err)) : null,
        regression,
        shrinks,
      };
    }
  } finally {
    pool.close();
  }
  const seconds = (Date.now() - started) / 1000;
  return { runs, same, tolerated, pinned, withheld, seconds, scriptsPerSecond: runs / seconds, coverage, failure };
}

/** Removes single lines of a diverging script while it still diverges (1-minimal by lines). */
async function minimiseLines(
  text: string,
  pool: KernelPool,
  seen: Map<string, { model: string; kernel: string; verdict: Verdict }>,
  log: (line: string) => void,
): Promise<string> {
  let cur = text.split('\n').filter((l) => l !== '');
  for (let i = 0; i < cur.length; ) {
    const cand = multipathGuardLines([...cur.slice(0, i), ...cur.slice(i + 1)]);
    const t = cand.map((l) => `${l}\n`).join('');
    // Without that line a later one may become a gap of the model: not a candidate.
    if (kernelScript(t).withheld.length > 0) {
      i++;
      continue;
    }
    const kernel = await pool.run(t, true);
    if (kernel === null) break;
    const model = transcript(t);
    const verdict = judge(model, kernel, cand);
    seen.set(t, { model, kernel, verdict });
    if (verdict.kind === 'diverged') {
      cur = cand;
      log(`  minimising: ${cur.length} lines`);
    } else i++;
  }
  return cur.map((l) => `${l}\n`).join('');
}
