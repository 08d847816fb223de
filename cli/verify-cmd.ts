// `kfib verify`: the property-based checks of props/ — the invariants (no kernel needed)
// and, with --kernel, the differential against the live kernel.

import { existsSync, readFileSync } from 'node:fs';
import { verify, PROPERTY_IDS, type VerifyReport } from '../props/verify.js';
import { REGRESSIONS_DIR } from '../props/differential/regressions.js';
import { judge } from '../props/differential/judge.js';
import { multipathGuardLines } from '../props/differential/multipath-guard.js';
import { transcript } from '../core/script/run-script.js';
import { scriptCommands } from '../core/script/run-script.js';
import { kernelAvailable, kernelTranscript } from '../props/differential/kernel-runner.js';
import { kernelScript } from '../props/differential/kernel-guard.js';
import { unifiedDiff } from './unified-diff.js';
import { defineCommand, intOption, parseCommand, suggest, usageError } from './command.js';
import { EXIT } from './exit-status.js';
import { colourOn, paint, progressLine } from './io.js';

export const VERIFY = defineCommand({
  name: 'kfib verify',
  usage: 'kfib verify [OPTIONS]',
  about: `Runs the property-based checks of props/: every invariant of the model (longest-prefix
match against a scan, determinism, fold, immutability, refusals, effects, no dead routes,
ignore_routes_with_linkdown, alias order, rule priorities, print/parse), each on N
generated scripts, and with --kernel the differential property: N generated scripts run
through the model and through this machine's kernel (a fresh unshare -n namespace each),
transcripts compared byte for byte. A failure is shrunk to a minimal script and printed
with its seed; a differential counterexample is also written to props/regressions/ (in a
git checkout of kfib; an installed package writes none unless --regressions DIR).
Progress with an ETA on stderr when it is a terminal.`,
  options: {
    kernel: { type: 'boolean', help: 'include the differential against the live kernel (root on Linux)' },
    runs: { type: 'string', arg: 'N', help: 'runs per property (default 1000)' },
    seed: { type: 'string', arg: 'S', help: 'fast-check seed (default: random, printed)' },
    path: {
      type: 'string',
      arg: 'P',
      help: `replay: a fast-check path from an earlier failure (with its --seed
and --property), or a script file: run it through the model and the
kernel (or compare with P's .expected beside it without --kernel)`,
    },
    property: { type: 'string', arg: 'ID', help: `only this property: ${PROPERTY_IDS.join(', ')}` },
    'max-commands': { type: 'string', arg: 'K', help: 'longest generated script (default 25)' },
    concurrency: { type: 'string', arg: 'C', help: 'kernel namespaces side by side (default 6)' },
    regressions: { type: 'string', arg: 'DIR', help: 'where to write counterexamples (default props/regressions/ of a checkout)' },
    'no-write': { type: 'boolean', help: 'write no counterexample' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: `0 when every property held, 1 on any failure, 2 on bad usage or when
--kernel cannot run here. With --path FILE --kernel: 3 when the two agree but lines outside
the model were withheld from both (named on stderr); 2 when the kernel guard withheld a line
(it would reach outside the runner's namespace).`,
});

/** props/regressions/ when kfib runs from a git checkout (it is not in the package). */
function defaultRegressions(): string | null {
  return existsSync(REGRESSIONS_DIR) ? REGRESSIONS_DIR : null;
}

/** `kfib verify …`; resolves with the exit status. */
export async function verifyMain(argv: readonly string[]): Promise<number> {
  const p = parseCommand(VERIFY, argv);
  if (p.kind === 'exit') return p.code;
  const v = p.values;
  const N = VERIFY.name;
  const runs = intOption(N, 'runs', v.runs, 1000, 1);
  const seed = intOption(N, 'seed', v.seed, (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0, -0x80000000);
  const maxCommands = intOption(N, 'max-commands', v['max-commands'], 25, 8);
  const concurrency = intOption(N, 'concurrency', v.concurrency, 6, 1);
  if (runs === null || seed === null || maxCommands === null || concurrency === null) return EXIT.usage;
  if (v.property !== undefined && !PROPERTY_IDS.includes(v.property)) {
    const s = suggest(v.property, PROPERTY_IDS);
    return usageError(N, `unknown property ${JSON.stringify(v.property)}${s === null ? '' : `; did you mean ${s}?`} (one of ${PROPERTY_IDS.join(', ')})`);
  }
  if (v.kernel) {
    const ok = kernelAvailable();
    if (!ok.ok) {
      process.stderr.write(`kfib verify --kernel: cannot run the kernel here: ${ok.why}\n`);
      return EXIT.usage;
    }
  }
  if (v.path !== undefined && existsSync(v.path)) return replayFile(v.path, v.kernel, v.json);
  if (v.path !== undefined && (v.property === undefined || v.seed === undefined)) {
    return usageError(N, `--path ${v.path}: no such script file, and a fast-check path needs the --seed and --property it failed with`);
  }
  const json = v.json;
  const bar = progressLine('verify', 1);
  const log = json
    ? (): void => undefined
    : (l: string): void => {
        bar.end();
        process.stdout.write(`${l}\n`);
      };
  if (!json) process.stdout.write(`kfib verify: seed ${seed}, ${runs} runs per property${v.kernel ? ', with the kernel' : ''}\n`);
  const report = await verify({
    runs,
    seed,
    ...(v.path === undefined ? {} : { path: v.path }),
    ...(v.property === undefined ? {} : { property: v.property }),
    kernel: v.kernel,
    maxCommands,
    concurrency,
    regressionsDir: v['no-write'] ? null : (v.regressions ?? defaultRegressions()),
    log,
    progress: (property, fraction) => bar.update(fraction, property),
  });
  bar.end();
  if (json) process.stdout.write(`${JSON.stringify(reportJson(report))}\n`);
  else process.stdout.write(reportText(report, v.kernel, colourOn(process.stdout)));
  return report.failed ? EXIT.differs : EXIT.ok;
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
            withheld: d.withheld,
            seconds: d.seconds,
            scriptsPerSecond: d.scriptsPerSecond,
            coverage: d.coverage.toJSON(),
            failure: d.failure,
          },
  };
}

function reportText(r: VerifyReport, kernel: boolean, colour: boolean): string {
  const c = paint(colour);
  let out = '\n';
  for (const i of r.invariants) {
    out += `${i.result.failed ? c.red('FAIL') : c.green('ok  ')}  ${i.id.padEnd(16)} ${String(i.result.numRuns).padStart(6)} runs  ${i.seconds.toFixed(1).padStart(5)} s  ${i.name}\n`;
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
    out += `${d.failure === null ? c.green('ok  ') : c.red('FAIL')}  ${'differential'.padEnd(16)} ${String(d.runs).padStart(6)} runs  ${d.seconds.toFixed(1).padStart(5)} s  model transcript = kernel transcript, byte for byte\n`;
    out += `      ${d.same} identical, ${tol.reduce((n, [, c]) => n + c, 0)} tolerated (known divergences${tol.length === 0 ? '' : `: ${tol.map(([k, c]) => `${k} ${c}`).join(', ')}`}), ${d.pinned} route gets pinned with fibmatch, ${d.scriptsPerSecond.toFixed(2)} scripts/s\n`;
    const gaps = Object.entries(d.withheld);
    // Generated lines the model names as a gap run on neither side (as in kfib run --kernel).
    if (gaps.length > 0) out += `      ${gaps.reduce((n, [, k]) => n + k, 0)} generated lines withheld from both sides as named gaps: ${gaps.map(([why, k]) => `${k} × ${why}`).join('; ')}\n`;
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
        out += `${unifiedDiff('model', 'kernel', f.diff.model, f.diff.kernel, { colour }).replace(/^/gm, '    ')}`;
      }
    }
  }
  out += `\n${r.failed ? c.red('FAILED') : c.green('all properties hold')} (seed ${r.seed})\n`;
  return out;
}

/** `--path FILE`: one script through the model and the kernel (or its stored .expected). */
function replayFile(file: string, kernel: boolean, json: boolean): number {
  const text = readFileSync(file, 'utf8');
  // Only lines the model runs and kernel-guard.ts allows are compared (and reach the kernel).
  const k = kernel ? kernelScript(text) : { script: text, withheld: [] };
  for (const w of k.withheld) process.stderr.write(`kfib verify: ${file}:${w.line}: not run in the kernel: ${w.why}: ${w.command}\n`);
  const lines = multipathGuardLines(scriptCommands(k.script).map((c) => c.command));
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
    return EXIT.usage;
  }
  const verdict = judge(model, other, lines);
  if (json) process.stdout.write(`${JSON.stringify({ file, verdict: verdict.kind, diff: verdict.kind === 'diverged' ? verdict.diff : null })}\n`);
  else if (verdict.kind === 'diverged') process.stdout.write(unifiedDiff('model', otherName, model, other, { colour: colourOn(process.stdout) }));
  else process.stdout.write(`kfib verify: ${file}: model and ${otherName} ${verdict.kind === 'same' ? 'agree' : `differ only by known divergences (${verdict.known.map((k) => k.id).join(', ')})`}${k.withheld.length === 0 ? '' : ` on the ${scriptCommands(text).length - k.withheld.length} lines both ran; ${k.withheld.length} withheld (named on stderr)`}\n`);
  if (verdict.kind === 'diverged') return EXIT.differs;
  // Withheld lines the model names (not modelled) are gaps, as for kfib run (exit 3); a line
  // the model runs and the kernel guard refuses (kernel-guard.ts) is exit 2, as before.
  if (k.withheld.some((w) => !w.gap)) return EXIT.usage;
  return k.withheld.length > 0 ? EXIT.gaps : EXIT.ok;
}
