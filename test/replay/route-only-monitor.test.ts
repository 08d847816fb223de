// A log that lacks the causes of the kernel's later notifications (a route-only `ip monitor`,
// which leaves carrier, admin and address changes out) must not replay as "exact": each
// notification that disagrees with the model's prediction is named as a gap (exit 3), with
// or without --check. Fixtures: test/fixtures/traces/route-only-monitor (README there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', 'route-only-monitor');

function replay(args: readonly string[], cwd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const name of ['carrier-loss', 'admin-down']) {
  const cwd = join(DIR, name);
  test(`${name}: the whole capture replays exactly`, () => {
    const r = replay(['.'], cwd);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# replay: exact/m);
  });

  test(`${name}: its route-only log names the disagreements as gaps, whole stdout, exit 3`, () => {
    const r = replay(['--initial', 'before.json', 'route-only.txt'], cwd);
    assert.equal(r.out, readFileSync(join(cwd, 'route-only.expected'), 'utf8'));
    assert.equal(r.code, 3, r.err);
  });

  test(`${name}: --check lists each disagreement and exits 1`, () => {
    const r = replay(['--initial', 'before.json', '--check', 'route-only.txt'], cwd);
    assert.equal(r.code, 1, r.err);
    const listed = r.out.split('\n').filter((l) => /^(different|unexpected|missing) /.test(l));
    const gaps = /^# {3}(\d+) × trace disagrees/m.exec(r.out);
    assert.ok(gaps !== null, r.out);
    assert.equal(listed.length, Number(gaps[1]), r.out);
  });
}
