// The rules benchmark of issue 13: N policy rules (`ip rule add from A/32 lookup T pref P`,
// addresses, tables and priorities drawn from a seeded generator) added to the model and to
// the kernel, in the same run, with the time at every tenth of the list in both, so that the
// rates compare at the same list length.
//
// Why: fib_nl_newrule() refuses a rule equal to one in the list (rule_exists()) and inserts
// before the first rule of a higher priority; both walk the list in the kernel, so its rate
// falls as the list grows. The model asks an index for rule_exists()
// (core/rules/rule-index.ts) and keeps the list as a persistent B+-tree
// (core/snapshot/rules-list.ts): an add copies one path, not the list. The target: the model
// at least at the kernel's own rate for the same rules.
//
// The model runs each line through runCommand() (the `ip` front end and the reducer, a new
// immutable snapshot per rule); the kernel runs `ip -batch` of the same lines in a private
// namespace (`unshare -n`), one batch per tenth, each timed (date +%s%N around it). The model
// runs twice in one process: cold (first run, its code compiled as it goes) and warm.
// --kernel-rules N gives the kernel fewer rules than the model when it would take too long.
//
// Run: npm run bench:rules  (node dist/bench/rules.bench.js [--rules N] [--kernel-rules N]
//      [--steps K] [--no-kernel] [--out DIR])
// 100,000 rules took 3 minutes on the 2-core machine of bench/results when quiet (session
// 17), 26 under a load average of 14 to 23, all but seconds of it the kernel (whose rate falls from ~3,900 rules/s on the
// first 10,000 to ~30 past 60,000; 50,000 alone took 32 s at a load of 3). Writes DIR/rules.json (default bench/results/); progress lines on stderr.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../core/iproute2/ip-command.js';
import { initialSnapshot } from '../core/snapshot/snapshot.js';
import { formatIp, prng } from './_tables.js';
import { kernelUnavailable } from './_kernel.js';
import { machineInfo, ratio } from './_harness.js';
import { defineCommand, intOption, parseCommand } from '../cli/command.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const RULES_BENCH = defineCommand({
  name: 'node dist/bench/rules.bench.js',
  usage: 'node dist/bench/rules.bench.js [OPTIONS]   (npm run bench:rules)',
  about: `Policy rules added one by one: the model on --rules N and on the kernel's count, the
kernel (ip -batch in a private namespace, root) on --kernel-rules N, the same rules.
Both are timed at every K-th of the list, so rates compare at the same length. Progress on
stderr; writes DIR/rules.json.`,
  options: {
    rules: { type: 'string', arg: 'N', help: 'rules added in the model (default 100000)' },
    'kernel-rules': { type: 'string', arg: 'N', help: 'rules added in the kernel (default N)' },
    steps: { type: 'string', arg: 'K', help: 'times taken at every K-th of the list (default 10)' },
    out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results)' },
    'no-kernel': { type: 'boolean', help: 'the model only' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: '0; 1 when the run failed; 2 on bad arguments.',
});

/** The rule lines (without `ip`), seeded. */
function ruleLines(n: number): string[] {
  const rnd = prng(13);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`rule add from ${formatIp(rnd())}/32 lookup ${100 + (i % 200)} pref ${1000 + (i % 30000)}`);
  return out;
}

function progress(msg: string): void {
  process.stderr.write(`rules: ${msg} (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})\n`);
}

/** Rules added by each step: k steps of n (the last one takes the rest). */
function stepEnds(n: number, k: number): number[] {
  const ends: number[] = [];
  for (let j = 1; j <= k; j++) ends.push(Math.round((n * j) / k));
  return [...new Set(ends)].filter((e) => e > 0);
}

/** The model's elapsed time (s) at each step end, each line through runCommand() from the last snapshot. */
function modelRun(lines: readonly string[], ends: readonly number[]): { at: number[]; listLength: number } {
  let s = initialSnapshot();
  const at: number[] = [];
  const n = ends[ends.length - 1] ?? 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = runCommand(s, ['ip', ...lines[i]!.split(' ')]);
    if (r.output.exit !== 0) throw new Error(`Model refused \`ip ${lines[i]!}\`: ${r.output.stderr.trim()}`);
    s = r.snapshot;
    if (i + 1 === ends[at.length]) at.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { at, listLength: s.rules.length };
}

/** The kernel's elapsed time (s) at each step end: `ip -batch` of each step's lines in one private namespace. */
function kernelRun(lines: readonly string[], ends: readonly number[]): { at: number[]; listLength: number } {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-rules-'));
  try {
    const times = join(dir, 'times');
    const script = [`date +%s%N > ${times}`];
    let from = 0;
    ends.forEach((e, j) => {
      const batch = join(dir, `rules-${j}.batch`);
      writeFileSync(batch, lines.slice(from, e).join('\n') + '\n');
      from = e;
      script.push(`ip -batch ${batch} || exit 1`, `date +%s%N >> ${times}`);
    });
    script.push(`ip rule | wc -l > ${join(dir, 'count')}`);
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script.join('\n')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Kernel run failed: ${r.stderr.trim()}`);
    const st = readFileSync(times, 'utf8').trim().split('\n').map((x) => BigInt(x));
    return { at: st.slice(1).map((t) => Number(t - st[0]!) / 1e9), listLength: Number(readFileSync(join(dir, 'count'), 'utf8').trim()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per step: rules in the list at its end, each side's rate over the step and over all rules so far. */
interface StepRow {
  readonly upTo: number;
  readonly modelSeconds: number;
  readonly modelStepRate: number;
  /** The second run of the model (its code compiled by then, as the kernel's is). */
  readonly warmStepRate: number;
  readonly kernelSeconds: number | null;
  readonly kernelStepRate: number | null;
  /** Model over kernel on this step's rules (the list as long in both). */
  readonly stepSpeedup: number | null;
}

function rows(ends: readonly number[], model: readonly number[], warm: readonly number[], kernel: readonly number[] | null): StepRow[] {
  return ends.map((e, j) => {
    const added = e - (j === 0 ? 0 : ends[j - 1]!);
    const ms = model[j]! - (j === 0 ? 0 : model[j - 1]!);
    const ws = warm[j]! - (j === 0 ? 0 : warm[j - 1]!);
    const kAt = kernel?.[j];
    const ks = kAt === undefined ? null : kAt - (j === 0 ? 0 : kernel![j - 1]!);
    const mr = added / ms;
    const kr = ks === null ? null : added / ks;
    return { upTo: e, modelSeconds: model[j]!, modelStepRate: mr, warmStepRate: added / ws, kernelSeconds: kAt ?? null, kernelStepRate: kr, stepSpeedup: ratio(mr, kr) };
  });
}

function main(): void {
  const p = parseCommand(RULES_BENCH, process.argv.slice(2));
  if (p.kind === 'exit') {
    process.exitCode = p.code;
    return;
  }
  const n = intOption(RULES_BENCH.name, 'rules', p.values.rules, 100_000);
  const kn = n === null ? null : intOption(RULES_BENCH.name, 'kernel-rules', p.values['kernel-rules'], n);
  const k = intOption(RULES_BENCH.name, 'steps', p.values.steps, 10);
  if (n === null || kn === null || k === null) {
    process.exitCode = 2;
    return;
  }
  const outDir = p.values.out !== undefined ? resolve(p.values.out) : join(ROOT, 'bench', 'results');
  const lines = ruleLines(n);
  const ends = stepEnds(n, k);
  const startLoad = loadavg();

  progress(`model: ${n} rules`);
  const model = modelRun(lines, ends);
  const mSec = model.at[model.at.length - 1]!;
  console.log(`model: ${n} rules in ${mSec.toFixed(2)} s (${(n / mSec).toFixed(0)} rules/s), ${model.listLength} in the list`);
  progress(`model again (warm): ${n} rules`);
  const warm = modelRun(lines, ends);
  const wSec = warm.at[warm.at.length - 1]!;
  console.log(`model, warm: ${n} rules in ${wSec.toFixed(2)} s (${(n / wSec).toFixed(0)} rules/s)`);

  const why = p.values['no-kernel'] ? 'kernel side disabled (--no-kernel)' : kernelUnavailable();
  const kEnds = ends.filter((e) => e <= kn);
  let kernel: { at: number[]; listLength: number } | null = null;
  if (why !== null) console.log(why);
  else {
    progress(`kernel: ${kEnds[kEnds.length - 1] ?? 0} rules with ip -batch`);
    kernel = kernelRun(lines, kEnds);
    const kSec = kernel.at[kernel.at.length - 1]!;
    console.log(`kernel: ${kEnds[kEnds.length - 1]} rules in ${kSec.toFixed(2)} s (${(kEnds[kEnds.length - 1]! / kSec).toFixed(0)} rules/s), ${kernel.listLength} in the list`);
  }
  const endLoad = loadavg();
  const steps = rows(ends, model.at, warm.at, kernel?.at ?? null);
  for (const r of steps) {
    const kr = r.kernelStepRate === null ? '-' : r.kernelStepRate.toFixed(0);
    console.log(`  up to ${r.upTo}: model ${r.modelStepRate.toFixed(0)} rules/s (warm ${r.warmStepRate.toFixed(0)}), kernel ${kr} rules/s${r.stepSpeedup === null ? '' : ` (${r.stepSpeedup.toFixed(1)}x)`}`);
  }
  const kLast = kEnds[kEnds.length - 1] ?? 0;
  const kSec = kernel?.at[kernel.at.length - 1] ?? null;
  const mSameN = model.at[kEnds.length - 1] ?? null;
  const wSameN = warm.at[kEnds.length - 1] ?? null;
  const result = {
    bench: 'rules',
    machine: machineInfo(),
    loadAverage: { start: startLoad, end: endLoad },
    date: new Date().toISOString(),
    /** The model's first run, from a cold start (its code not compiled yet). */
    model: { rules: n, seconds: mSec, rulesPerSec: n / mSec, listLength: model.listLength },
    /** The same rules again in the same process, from a new initial snapshot. */
    modelWarm: { rules: n, seconds: wSec, rulesPerSec: n / wSec, listLength: warm.listLength },
    kernel: kernel === null || kSec === null ? null : { rules: kLast, seconds: kSec, rulesPerSec: kLast / kSec, listLength: kernel.listLength },
    /** Model over kernel, both on the kernel's count of rules (the same rules, the same list lengths). */
    speedup: kSec === null || mSameN === null ? null : ratio(kLast / mSameN, kLast / kSec),
    speedupWarm: kSec === null || wSameN === null ? null : ratio(kLast / wSameN, kLast / kSec),
    steps,
  };
  if (result.speedup !== null) console.log(`model/kernel rate on the same ${kLast} rules: ${result.speedup.toFixed(1)}x (warm ${result.speedupWarm!.toFixed(1)}x)`);
  console.log(`load average: start ${startLoad.map((x) => x.toFixed(2)).join(' ')}, end ${endLoad.map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'rules.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${join(outDir, 'rules.json')}`);
}

main();
