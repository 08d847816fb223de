// `ip route append`, `prepend` and `replace` over an existing route print the same line in
// `ip monitor`'s text (no nlmsg_flags): the text replay must name each such line as a gap
// (exit 3), not take it silently for a replace. The rtmon form has the flags and must end
// in the kernel's own routes. Fixture: test/fixtures/traces/route-append-text (README there).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', 'route-append-text');

function replay(args: readonly string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', ...args], { encoding: 'utf8', cwd: DIR });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

test('the text log names the append, the prepend and the replace as ambiguous: whole stdout, exit 3', () => {
  const r = replay(['--initial', 'before.json', 'monitor.txt']);
  assert.equal(r.out, fixture('monitor.expected'));
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^# {3}3 × ambiguous operation /m);
});

test('the rtmon capture replays exactly, ending in the routes the kernel printed', () => {
  const r = replay(['.']);
  assert.equal(r.out, fixture('rtmon.expected'));
  assert.equal(r.code, 0, r.err);
  const routes = r.out.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  assert.equal(routes, fixture('kernel-routes.txt'));
});
