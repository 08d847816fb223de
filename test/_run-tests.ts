// `npm test`: says what it will run and how long that usually takes, then runs every
// *.test.js under dist/test with the spec reporter and kfib's summary (test/_reporter.ts).
// The tiers that need this machine (the live-kernel differential: root on Linux with
// unshare -n; the report in Chromium) run where they can and are counted as skipped, with
// the reason, where they cannot.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelAvailable } from '../props/differential/kernel-runner.js';
import { browserMissing } from './report/_browser.js';

const here = dirname(fileURLToPath(import.meta.url));

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const files = testFiles(here);
const kernel = kernelAvailable();
const browser = browserMissing();
const cores = availableParallelism();
const tiers = [
  'unit tests, the 52 golden scenarios of ../shared/scenarios, the trace fixtures, the invariant properties, the CLI',
  'the package: npm pack, installed into an empty project, every README example run from there',
  kernel.ok ? 'the live kernel: every golden transcript and 150 generated scripts, model against unshare -n namespaces' : `not the live kernel (${kernel.why}): skipped`,
  browser === null ? 'the HTML report in headless Chromium' : `not the report in Chromium (${browser}): skipped`,
];
process.stdout.write(
  `kfib npm test: ${files.length} test files\n${tiers.map((t) => `  - ${t}\n`).join('')}` +
    `It needs about 8 minutes of CPU time on a 2-core machine (this one has ${cores}): about that long when the machine is idle, longer under load; the summary at the end counts what was skipped and why.\n\n`,
);
if (!existsSync(join(here, '_reporter.js'))) throw new Error('dist/test/_reporter.js is missing: run npm run build');
const r = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${Math.max(2, cores)}`, `--test-reporter=${join(here, '_reporter.js')}`, '--test-reporter-destination=stdout', ...files.map((f) => relative(process.cwd(), f))],
  { stdio: 'inherit' },
);
process.exitCode = r.status ?? 1;
