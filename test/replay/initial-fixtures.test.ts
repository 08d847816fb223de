// Initial states the kernel made and no request can re-create (test/fixtures/initial/):
// each case's before.json is the kernel's `ip -j` dump after its setup.sh, and `expected`
// the transcript the same kernel gave for script.ip run next, in the same namespace
// (capture.sh). `kfib run --initial before.json script.ip` must print that transcript byte
// for byte; where the dump cannot tell the kernel's state, the case's `gaps` file holds the
// "# run:" lines that must follow it (and the exit status is then 3, else 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const ROOT = resolve(here, '../../../test/fixtures/initial');

const cases = readdirSync(ROOT).filter((c) => statSync(join(ROOT, c)).isDirectory());

test('there are initial-state fixtures to replay', () => {
  assert.ok(cases.length >= 3, `${cases.length} cases in ${ROOT}`);
});

for (const c of cases) {
  test(`kfib run --initial reproduces the kernel from its dump: ${c}`, () => {
    const dir = join(ROOT, c);
    const r = spawnSync(process.execPath, [KFIB, 'run', '--initial', join(dir, 'before.json'), join(dir, 'script.ip')], { encoding: 'utf8' });
    const gapsFile = join(dir, 'gaps');
    const gaps = existsSync(gapsFile) ? readFileSync(gapsFile, 'utf8') : '';
    assert.equal(r.stdout, readFileSync(join(dir, 'expected'), 'utf8') + gaps, r.stderr);
    assert.equal(r.status, gaps === '' ? 0 : 3, r.stderr);
  });
}
