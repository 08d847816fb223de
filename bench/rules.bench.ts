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
// The model runs each line through runCommand() (the `ip` front end and the reducer); the
// kernel runs `ip -batch` of the same lines in a private namespace (`unshare -n`), timed
// from start to end. The kernel's list walk makes it slow for large N (minutes for 100,000
// on a loaded 2-core machine), so the kernel side can be given its own, smaller N
// (--kernel-rules); rates (rules/s) are compared.
//
// Run: node dist/bench/rules.bench.js [--rules N] [--kernel-rules N] [--no-kernel] [--out DIR]

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../core/iproute2/ip-command.js';
import { initialSnapshot } from '../core/snapshot/snapshot.js';
import { formatIp, prng } from './_tables.js';
import { kernelUnavailable } from './_kernel.js';
import { machineInfo, ratio } from './_harness.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');

function intOpt(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer, got ${argv[i + 1] ?? 'nothing'}`);
  return v;
}

/** The rule lines (without `ip`), seeded. */
function ruleLines(n: number): string[] {
  const rnd = prng(13);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`rule add from ${formatIp(rnd())}/32 lookup ${100 + (i % 200)} pref ${1000 + (i % 30000)}`);
  return out;
}

function main(): void {
  const argv = process.argv.slice(2);
  const n = intOpt(argv, '--rules', 100_000);
  const kn = intOpt(argv, '--kernel-rules', n);
  const outAt = argv.indexOf('--out');
  const outDir = outAt >= 0 ? resolve(argv[outAt + 1] ?? '.') : join(ROOT, 'bench', 'results');
  const lines = ruleLines(Math.max(n, kn));

  let s = initialSnapshot();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = runCommand(s, ['ip', ...lines[i]!.split(' ')]);
    if (r.output.exit !== 0) throw new Error(`Model refused \`ip ${lines[i]!}\`: ${r.output.stderr.trim()}`);
    s = r.snapshot;
  }
  const modelSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`model: ${n} rules in ${modelSeconds.toFixed(2)} s (${(n / modelSeconds).toFixed(0)} rules/s), ${s.rules.length} in the list`);

  const why = argv.includes('--no-kernel') ? 'kernel side disabled (--no-kernel)' : kernelUnavailable();
  let kernelSeconds: number | null = null;
  let kernelCount = 0;
  if (why !== null) console.log(why);
  else {
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
  const modelRate = n / modelSeconds;
  const kernelRate = kernelSeconds === null ? null : kn / kernelSeconds;
  const result = {
    bench: 'rules',
    machine: machineInfo(),
    date: new Date().toISOString(),
    model: { rules: n, seconds: modelSeconds, rulesPerSec: modelRate, listLength: s.rules.length },
    kernel: kernelSeconds === null ? null : { rules: kn, seconds: kernelSeconds, rulesPerSec: kernelRate, listLength: kernelCount },
    speedup: ratio(modelRate, kernelRate),
  };
  if (result.speedup !== null) console.log(`model/kernel rate: ${result.speedup.toFixed(1)}x`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'rules.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${join(outDir, 'rules.json')}`);
}

main();
