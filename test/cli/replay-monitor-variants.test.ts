// The `ip monitor` variants people run, captured beside monitor.txt in the same namespace
// (test/fixtures/traces/68-monitor-variants, 62-monitor-all-busy): each replays to the very
// state monitor.txt replays to (the `--show route` output whole, but for the out-of-scope
// counts, which differ with what each variant prints), and says `exact`:
// - `ip -d -ts monitor all` (details: `\tnh_info id 3 …` before a route's legs,
//   `promiscuity 0 …` after the link-layer address and the link kind on a line of its own);
// - `ip -o -t monitor` (oneline: a record's continuation lines joined to it with `\`);
// - `ip -N -ts monitor all` (numeric: route types, protocols, scopes and tables as numbers;
//   `2 10.1.0.3 dev a0 table 255 …` is a local route);
// - `ip -4 -ts monitor all`;
// - `ip -t monitor` without `all` (no labels; 62's monitor-plain.txt, with neighbours and bridge
//   fdb entries whose unlabelled lines must not be read as routes).
// Before, the first three stopped at their first detail line, joined line or numeric type
// (exit 2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACES = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces');
const EXACT = '# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)';

function routes(fixture: string, file: string): { code: number | null; lines: string[]; err: string } {
  const dir = join(TRACES, fixture);
  const r = spawnSync(process.execPath, [KFIB, 'replay', join(dir, file), '--initial', join(dir, 'before.json'), '--names', join(dir, 'names'), '--show', 'route'], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.split('\n').filter((l) => !l.startsWith('# out of scope')), err: r.stderr };
}

const CASES: readonly (readonly [string, string])[] = [
  ['68-monitor-variants', 'monitor-d.txt'],
  ['68-monitor-variants', 'monitor-oneline.txt'],
  ['68-monitor-variants', 'monitor-numeric.txt'],
  ['68-monitor-variants', 'monitor-4.txt'],
  ['62-monitor-all-busy', 'monitor-plain.txt'],
];

for (const [fixture, file] of CASES) {
  test(`${fixture}/${file}: the same state as monitor.txt, exact`, () => {
    const want = routes(fixture, 'monitor.txt');
    const got = routes(fixture, file);
    assert.equal(got.code, 0, got.err);
    assert.ok(got.lines.includes(EXACT));
    assert.deepEqual(got.lines, want.lines);
  });
}
