// The analogy of dummy-analogy.test.ts: how each line of test/fixtures/dummy-analogy/dummy.ip
// is run in the kernel here (veth.map). Also used to re-capture veth.ip / veth.expected:
//   node --input-type=module -e 'import("./dist/test/golden/_dummy-analogy.js").then((m) => m.recapture())'

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ANALOGY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/dummy-analogy');

interface Rule {
  readonly re: RegExp;
  readonly lines: readonly string[];
}

function rules(): Rule[] {
  return readFileSync(join(ANALOGY_DIR, 'veth.map'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [lhs, rhs] = l.split(' => ') as [string, string];
      return { re: new RegExp(lhs), lines: rhs.split(' ;; ').map((x) => x.replace(/\\(\d)/g, '$$$1')) };
    });
}

/** The kernel script of the analogy, and for each of its lines the dummy line it stands for (or null: an extra line). */
export function vethScript(dummy: string): { script: string; origin: (number | null)[] } {
  const out: string[] = [];
  const origin: (number | null)[] = [];
  const rs = rules();
  dummy.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const r = rs.find((x) => x.re.test(line));
    const lines = r === undefined ? [line] : r.lines.map((t) => line.replace(r.re, t));
    lines.forEach((l, k) => {
      out.push(l);
      origin.push(k === 0 ? i : null);
    });
  });
  return { script: `${out.join('\n')}\n`, origin };
}

/** Writes veth.ip and the kernel's veth.expected (root, Linux: the project's kernel runner). */
export async function recapture(): Promise<void> {
  const { kernelTranscript } = await import('../../props/differential/kernel-runner.js');
  const { script } = vethScript(readFileSync(join(ANALOGY_DIR, 'dummy.ip'), 'utf8'));
  writeFileSync(join(ANALOGY_DIR, 'veth.ip'), script);
  writeFileSync(join(ANALOGY_DIR, 'veth.expected'), kernelTranscript(script));
}
