// kfib replay --explain prints the routes and rules of its silent changes with the capture's
// names, as `ip route` and `ip rule` print them on that host and as --show prints them: the
// trace test/fixtures/traces/named-tables-explain (NetworkManager-style multi-homing with
// tables isp1 = 101 and isp2 = 102 from its names/rt_tables) loses carrier and then the
// address of eth0, so routes of table isp1 go linkdown and are flushed without a word.
// (Before: --explain printed `table 101` while --show printed `table isp1`.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACE = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', 'named-tables-explain');

function replay(args: readonly string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The capture's non-builtin table names: number -> name, from names/rt_tables and rt_tables.d. */
function tableNames(): Map<string, string> {
  const m = new Map<string, string>();
  const text = [readFileSync(join(TRACE, 'names', 'rt_tables'), 'utf8'), readFileSync(join(TRACE, 'names', 'rt_tables.d', 'vpn.conf'), 'utf8')].join('\n');
  for (const line of text.split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length === 2 && Number(f[0]) > 0 && Number(f[0]) < 253) m.set(f[0]!, f[1]!);
  }
  return m;
}

test('--explain names tables as the capture names them: the numeric replay with its table numbers replaced by those names, whole', () => {
  const named = replay([TRACE, '--explain']);
  // The same trace read with iproute2's built-in names only: tables print as numbers.
  const dir = mkdtempSync(join(tmpdir(), 'kfib-names-'));
  try {
    mkdirSync(join(dir, 'rt_tables.d'));
    writeFileSync(join(dir, 'rt_tables'), '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n');
    const numeric = replay([join(TRACE, 'trace.rtmon'), '--initial', join(TRACE, 'before-numeric.json'), '--names', dir, '--explain']);
    assert.equal(named.code, 0, named.err);
    assert.equal(numeric.code, 0, numeric.err);
    const names = tableNames();
    const renamed = numeric.out.replace(/\btable (\d+)\b/g, (all, n: string) => (names.has(n) ? `table ${names.get(n)!}` : all));
    assert.equal(named.out, renamed);
    assert.match(named.out, /route removed {4}default via 10\.0\.1\.1 dev eth0 table isp1 linkdown\n/);
    assert.doesNotMatch(named.out, /table 10[12]\b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--explain --json carries the same names', () => {
  const r = replay([TRACE, '--explain', '--json']);
  assert.equal(r.code, 0, r.err);
  const changes = r.out.split('\n').filter((l) => l.startsWith('{"seq"')).map((l) => (JSON.parse(l) as { change: string }).change);
  assert.ok(changes.some((c) => c.includes('table isp1')), changes.join('\n'));
  assert.ok(!changes.some((c) => /table 10[12]\b/.test(c)), changes.join('\n'));
});
