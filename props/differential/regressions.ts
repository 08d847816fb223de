// Counterexamples kept forever: props/regressions/NAME.ip with the kernel's transcript in
// NAME.expected, captured when the divergence was found. The test suite replays them
// through the model.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** props/regressions in the source tree (this file runs from dist/props/differential). */
export const REGRESSIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../props/regressions');

export interface Regression {
  readonly name: string;
  readonly script: string;
  readonly expected: string;
}

/** Every NAME.ip with its NAME.expected, by name. */
export function readRegressions(dir: string = REGRESSIONS_DIR): Regression[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ip'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      return { name, script: readFileSync(join(dir, f), 'utf8'), expected: readFileSync(join(dir, `${name}.expected`), 'utf8') };
    });
}

/** A file name for a counterexample: the first diverging command's words, then a hash of the script. */
export function regressionName(firstCommand: string, script: string): string {
  const words = firstCommand.split(' ').filter((w) => /^[a-z]+$/.test(w) && w !== 'ip' && w !== 'dev');
  const slug = words.slice(0, 3).join('-') || 'script';
  const h = createHash('sha1').update(script).digest('hex').slice(0, 8);
  return `${slug}-${h}`;
}

/** Writes NAME.ip (with a comment header) and NAME.expected; returns the .ip path. */
export function writeRegression(dir: string, name: string, header: readonly string[], script: string, expected: string): string {
  mkdirSync(dir, { recursive: true });
  const ip = join(dir, `${name}.ip`);
  writeFileSync(ip, `${header.map((l) => `# ${l}\n`).join('')}${script}`);
  writeFileSync(join(dir, `${name}.expected`), expected);
  return ip;
}
