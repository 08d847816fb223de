// The rules benchmark of issue 13: N policy rules (`ip rule add from A/32 lookup T pref P`,
// addresses, tables and priorities drawn from a seeded generator) added to the model and to
// the kernel, in the same run.
//
// Why: fib_nl_newrule() refuses a rule equal to one in the list (rule_exists()) and inserts
// before the first rule of a higher priority; both walk the list in the kernel. The model
// compared each new rule with every rule (quadratic, 80% of the time in that compare): it
// now asks an index (core/rules/rule-index.ts) and bisects for the place. The target: the
// model at least at the kernel's own rate for the same rules.
//
// The model runs each line through runCommand() (the `ip` front end and the reducer, a new
// immutable snapshot per rule); the kernel runs `ip -batch` of the same lines in a private
// namespace (`unshare -n`), timed from start to end. The kernel's list walk makes it
// quadratic (84,928 rules took 4,785 s on this machine), so it is given its own, smaller N
// (--kernel-rules, default 10,000): the model is timed on that same N too (the same rules,
// a like-for-like ratio) and on --rules (default 100,000), whose rate is compared with the
// kernel's rate on the smaller list (which favours the kernel: its rate only falls as the
// list grows).
//
// Run: npm run bench:rules  (node dist/bench/rules.bench.js [--rules N] [--kernel-rules N]
//      [--no-kernel] [--out DIR])
// Took 14 minutes on the 2-core machine of bench/results under a load average of 18, almost
// all of it the model's 100,000 rules (the kernel's 10,000 took 4 s). Writes DIR/rules.json (default bench/results/); progress lines on stderr.

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
The kernel's list walk is quadratic, so its count stays small by default. Progress on
stderr; writes DIR/rules.json.`,
  options: {
    rules: { type: 'string', arg: 'N', help: 'rules added in the model (default 100000)' },
    'kernel-rules': { type: 'string', arg: 'N', help: 'rules added in the kernel and the model (default min(N, 10000))' },
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

/** The model's time (s) for the first n lines, each through runCommand() from the last snapshot. */
function modelRun(lines: readonly string[], n: number): { seconds: number; listLength: number } {
  let s = initialSnapshot();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = runCommand(s, ['ip', ...lines[i]!.split(' ')]);
    if (r.output.exit !== 0) throw new Error(`Model refused \`ip ${lines[i]!}\`: ${r.output.stderr.trim()}`);
    s = r.snapshot;
    if ((i + 1) % 20000 === 0) progress(`model: ${i + 1}/${n} rules`);
  }
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, listLength: s.rules.length };
}

function main(): void {
  const p = parseCommand(RULES_BENCH, process.argv.slice(2));
  if (p.kind === 'exit') {
    process.exitCode = p.code;
    return;
  }
  const n = intOption(RULES_BENCH.name, 'rules', p.values.rules, 100_000);
  const kn = n === null ? null : intOption(RULES_BENCH.name, 'kernel-rules', p.values['kernel-rules'], Math.min(n, 10_000));
  if (n === null || kn === null) {
    process.exitCode = 2;
    return;
  }
  const outDir = p.values.out !== undefined ? resolve(p.values.out) : join(ROOT, 'bench', 'results');
  const lines = ruleLines(Math.max(n, kn));
  const startLoad = loadavg();

  progress(`model: ${kn} rules`);
  const small = modelRun(lines, kn);
  console.log(`model: ${kn} rules in ${small.seconds.toFixed(2)} s (${(kn / small.seconds).toFixed(0)} rules/s), ${small.listLength} in the list`);
  progress(`model: ${n} rules`);
  const big = n === kn ? small : modelRun(lines, n);
  if (n !== kn) console.log(`model: ${n} rules in ${big.seconds.toFixed(2)} s (${(n / big.seconds).toFixed(0)} rules/s), ${big.listLength} in the list`);

  const why = p.values['no-kernel'] ? 'kernel side disabled (--no-kernel)' : kernelUnavailable();
  let kernelSeconds: number | null = null;
  let kernelCount = 0;
  if (why !== null) console.log(why);
  else {
    progress(`kernel: ${kn} rules with ip -batch`);
    const dir = mkdtempSync(join(tmpdir(), 'kfib-rules-'));
    const batch = join(dir, 'rules.batch');
    const times = join(dir, 'times');
    writeFileSync(batch, lines.slice(0, kn).join('\n') + '\n');
    const script = [`date +%s%N > ${times}`, `ip -batch ${batch}`, `date +%s%N >> ${times}`, `ip rule | wc -l > ${join(dir, 'count')}`].join('\n');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`Kernel run failed: ${r.stderr.trim()}`);
    const st = readFileSync(times, 'utf8').trim().split('\n').map((x) => BigInt(x));
    kernelSeconds = Number(st[1]! - st[0]!) / 1e9;
    kernelCount = Number(readFileSync(join(dir, 'count'), 'utf8').trim());
    rmSync(dir, { recursive: true, force: true });
    console.log(`kernel: ${kn} rules in ${kernelSeconds.toFixed(2)} s (${(kn / kernelSeconds).toFixed(0)} rules/s), ${kernelCount} in the list`);
  }
  const endLoad = loadavg();
  const kernelRate = kernelSeconds === null ? null : kn / kernelSeconds;
  const result = {
    bench: 'rules',
    machine: machineInfo(),
    loadAverage: { start: startLoad, end: endLoad },
    date: new Date().toISOString(),
    model: { rules: n, seconds: big.seconds, rulesPerSec: n / big.seconds, listLength: big.listLength },
    modelSameN: { rules: kn, seconds: small.seconds, rulesPerSec: kn / small.seconds, listLength: small.listLength },
    kernel: kernelSeconds === null ? null : { rules: kn, seconds: kernelSeconds, rulesPerSec: kernelRate, listLength: kernelCount },
    /** Model rate on its N over the kernel's rate on the kernel's N. */
    speedup: ratio(n / big.seconds, kernelRate),
    /** Model over kernel on the same kn rules. */
    speedupSameN: ratio(kn / small.seconds, kernelRate),
  };
  if (result.speedup !== null) console.log(`model/kernel rate: ${result.speedup.toFixed(1)}x (model on ${n}, kernel on ${kn}); ${result.speedupSameN!.toFixed(1)}x on the same ${kn} rules`);
  console.log(`load average: start ${startLoad.map((x) => x.toFixed(2)).join(' ')}, end ${endLoad.map((x) => x.toFixed(2)).join(' ')}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'rules.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${join(outDir, 'rules.json')}`);
}

main();
