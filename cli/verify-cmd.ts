// `kfib verify`: the property-based checks of props/ — the invariants (no kernel needed)
// and, with --kernel, the differential against the live kernel.

import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { verify, PROPERTY_IDS, type VerifyReport } from '../props/verify.js';
import { REGRESSIONS_DIR } from '../props/differential/regressions.js';
import { judge } from '../props/differential/judge.js';
import { multipathGuardLines } from '../props/differential/multipath-guard.js';
import { transcript } from '../core/script/run-script.js';
import { scriptCommands } from '../core/script/run-script.js';
import { kernelAvailable, kernelTranscript } from '../props/differential/kernel-runner.js';
import { unifiedDiff } from './unified-diff.js';

const HELP = `Usage: kfib verify [OPTIONS]

Runs the property-based checks of props/: every invariant of the model (longest-prefix
match against a scan, determinism, fold, immutability, refusals, effects, no dead routes,
ignore_routes_with_linkdown, alias order, rule priorities, print/parse), each on N
generated scripts, and with --kernel the differential property: N generated scripts run
through the model and through this machine's kernel (a fresh unshare -n namespace each),
transcripts compared byte for byte. A failure is shrunk to a minimal script and printed
with its seed; a differential counterexample is also written to props/regressions/.

Options:
  --kernel           include the differential against the live kernel (root on Linux)
  --runs N           runs per property (default 1000)
  --seed S           fast-check seed (default: random, printed)
  --path P           replay: a fast-check path from an earlier failure (with its --seed
                     and --property), or a script file: run it through the model and the
                     kernel (or compare with P's .expected beside it without --kernel)
  --property ID      only this property: ${PROPERTY_IDS.join(', ')}
  --max-commands K   longest generated script (default 25)
  --concurrency C    kernel namespaces side by side (default 6)
  --no-write         do not write counterexamples to props/regressions/
  --json             print the report as JSON
  -h, --help         this text

Exit status: 0 when every property held, 1 on any failure, 2 on bad usage or when
--kernel cannot run here.
`;

/** `kfib verify …`; resolves with the exit status. */
export async function verifyMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        kernel: { type: 'boolean', default: false },
        runs: { type: 'string' },
        seed: { type: 'string' },
        path: { type: 'string' },
        property: { type: 'string' },
        'max-commands': { type: 'string' },
        concurrency: { type: 'string' },
        'no-write': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (e) {
    process.stderr.write(`kfib verify: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const v = parsed.values;
  if (v.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const int = (name: string, text: string | undefined, dflt: number, min: number): number | null => {
    if (text === undefined) return dflt;
    if (!/^-?[0-9]+$/.test(text) || Number(text) < min) {
      process.stderr.write(`kfib verify: --${name} must be an integer >= ${min}: got ${JSON.stringify(text)}\n`);
      return null;
    }
    return Number(text);
  };
  const runs = int('runs', v.runs, 1000, 1);
  const seed = int('seed', v.seed, (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0, -0x80000000);
  const maxCommands = int('max-commands', v['max-commands'], 25, 8);
  const concurrency = int('concurrency', v.concurrency, 6, 1);
  if (runs === null || seed === null || maxCommands === null || concurrency === null) return 2;
  if (v.property !== undefined && !PROPERTY_IDS.includes(v.property)) {
    process.stderr.write(`kfib verify: unknown property ${JSON.stringify(v.property)}; expected one of ${PROPERTY_IDS.join(', ')}\n`);
    return 2;
  }
  if (v.kernel === true) {
    const ok = kernelAvailable();
    if (!ok.ok) {
      process.stderr.write(`kfib verify --kernel: cannot run the kernel here: ${ok.why}\n`);
      return 2;
    }
  }
  if (v.path !== undefined && existsSync(v.path)) return replayFile(v.path, v.kernel === true, v.json === true);
  if (v.path !== undefined && (v.property === undefined || v.seed === undefined)) {
    process.stderr.write('kfib verify: --path with a fast-check path needs the --seed and --property it failed with\n');
    return 2;
  }
  const json = v.json === true;
  const log = json ? (): void => undefined : (l: string): void => void process.stdout.write(`${l}\n`);
  if (!json) process.stdout.write(`kfib verify: seed ${seed}, ${runs} runs per property${v.kernel === true ? ', with the kernel' : ''}\n`);
  const report = await verify({
    runs,
    seed,
    ...(v.path === undefined ? {} : { path: v.path }),
    ...(v.property === undefined ? {} : { property: v.property }),
    kernel: v.kernel === true,
    maxCommands,
    concurrency,
    regressionsDir: v['no-write'] === true ? null : REGRESSIONS_DIR,
    log,
  });
  if (json) process.stdout.write(`${JSON.stringify(reportJson(report))}\n`);
  else process.stdout.write(reportText(report, v.kernel === true));
  return report.failed ? 1 : 0;
}

function reportJson(r: VerifyReport): unknown {
  const d = r.differential;
  return {
    seed: r.seed,
    failed: r.failed,
    invariants: r.invariants.map((i) => ({ id: i.id, name: i.name, seconds: i.seconds, ...i.result })),
    differential:
      d === null
        ? null
        : {
            runs: d.runs,
            same: d.same,
            tolerated: d.tolerated,
            pinned: d.pinned,
            seconds: d.seconds,
            scriptsPerSecond: d.scriptsPerSecond,
            coverage: d.coverage.toJSON(),
            failure: d.failure,
          },
  };
}

function reportText(r: VerifyReport, kernel: boolean): string {
  let out = '\n';
  for (const i of r.invariants) {
    out += `${i.result.failed ? 'FAIL' : 'ok  '}  ${i.id.padEnd(16)} ${String(i.result.numRuns).padStart(6)} runs  ${i.seconds.toFixed(1).padStart(5)} s  ${i.name}\n`;
    if (i.result.failed) {
      out += `      seed ${i.result.seed}, path ${i.result.path ?? ''}: replay with kfib verify --property ${i.id} --seed ${i.result.seed} --path ${i.result.path ?? ''}\n`;
      out += `      ${i.result.error ?? ''}\n`;
      out += `${(i.result.counterexample ?? '').replace(/^/gm, '      | ')}\n`;
    }
  }
  const d = r.differential;
  if (d === null) {
    if (!kernel) out += 'skip  differential      (no --kernel)\n';
  } else {
    const tol = Object.entries(d.tolerated);
    out += `${d.failure === null ? 'ok  ' : 'FAIL'}  ${'differential'.padEnd(16)} ${String(d.runs).padStart(6)} runs  ${d.seconds.toFixed(1).padStart(5)} s  model transcript = kernel transcript, byte for byte\n`;
    out += `      ${d.same} identical, ${tol.reduce((n, [, c]) => n + c, 0)} tolerated (known divergences${tol.length === 0 ? '' : `: ${tol.map(([k, c]) => `${k} ${c}`).join(', ')}`}), ${d.pinned} route gets pinned with fibmatch, ${d.scriptsPerSecond.toFixed(2)} scripts/s\n`;
    out += `\n  generator coverage (${d.coverage.scripts} scripts, ${d.coverage.commands} commands):\n`;
    out += d.coverage.table().replace(/^/gm, '    ');
    const f = d.failure;
    if (f !== null) {
      out += `\n  divergence: seed ${f.seed}, path ${f.path} (${f.shrinks} shrink steps)\n`;
      out += `  replay: kfib verify --kernel --property differential --seed ${f.seed} --path ${f.path}\n`;
      if (f.regression !== null) out += `  written to ${f.regression} (+ .expected, the kernel's transcript)\n`;
      if (f.error !== null) out += `  error: ${f.error}\n`;
      out += '  minimal script:\n';
      out += f.script.replace(/^/gm, '    ');
      if (f.diff !== null) {
        out += `  first difference, at \`${f.diff.command}\`:\n`;
        out += `${unifiedDiff('model', 'kernel', f.diff.model, f.diff.kernel).replace(/^/gm, '    ')}`;
      }
    }
  }
  out += `\n${r.failed ? 'FAILED' : 'all properties hold'} (seed ${r.seed})\n`;
  return out;
}

/** `--path FILE`: one script through the model and the kernel (or its stored .expected). */
function replayFile(file: string, kernel: boolean, json: boolean): number {
  const text = readFileSync(file, 'utf8');
  const lines = multipathGuardLines(scriptCommands(text).map((c) => c.command));
  const script = lines.map((l) => `${l}\n`).join('');
  const model = transcript(script);
  const expectedFile = file.replace(/\.ip$/, '.expected');
  let other: string;
  let otherName: string;
  if (kernel) {
    other = kernelTranscript(script);
    otherName = 'kernel';
  } else if (expectedFile !== file && existsSync(expectedFile)) {
    other = readFileSync(expectedFile, 'utf8');
    otherName = expectedFile;
  } else {
    process.stderr.write(`kfib verify --path ${file}: no --kernel and no ${expectedFile} to compare with\n`);
    return 2;
  }
  const verdict = judge(model, other, lines);
  if (json) process.stdout.write(`${JSON.stringify({ file, verdict: verdict.kind, diff: verdict.kind === 'diverged' ? verdict.diff : null })}\n`);
  else if (verdict.kind === 'diverged') process.stdout.write(unifiedDiff('model', otherName, model, other));
  else process.stdout.write(`kfib verify: ${file}: model and ${otherName} ${verdict.kind === 'same' ? 'agree' : `differ only by known divergences (${verdict.known.map((k) => k.id).join(', ')})`}\n`);
  return verdict.kind === 'diverged' ? 1 : 0;
}
