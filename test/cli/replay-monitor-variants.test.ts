// The `ip monitor` variants people run, captured beside monitor.txt in the same namespace
// (test/fixtures/traces/68-monitor-variants, 62-monitor-all-busy): each replays to the very
// state monitor.txt replays to (the `--show route` output whole, but for the out-of-scope
// counts, which differ with what each variant prints), and says `exact` (78: the gap its
// monitor.txt names too, SUMMARY):
// - `ip -d -ts monitor all` (details: `\tnh_info id 3 …` before a route's legs,
//   `promiscuity 0 …` after the link-layer address and the link kind on a line of its own);
// - `ip -o -t monitor` (oneline: a record's continuation lines joined to it with `\`);
// - `ip -N -ts monitor all` (numeric: route types, protocols, scopes and tables as numbers;
//   `2 10.1.0.3 dev a0 table 255 …` is a local route);
// - `ip -4 -ts monitor all`;
// - `ip -t monitor` without `all` (no labels; 62's monitor-plain.txt, with neighbours and bridge
//   fdb entries whose unlabelled lines must not be read as routes).
// - `ip -ts monitor all-nsid` (78's monitor-nsid.txt: `[nsid current]` before this
//   namespace's records, `[nsid 0]` before a container's own: its addresses, a `blackhole`
//   and an `unreachable` route with no device, a rule; those are out of scope, never applied);
// - `ip -c -ts monitor all` (78's monitor-color.txt: colour escapes written to the file);
// - `ip -j -ts monitor all` (78's monitor-json.txt: iproute2 6.1 prints the same text);
// - `ip -s -ts monitor all`, `ip -s -s -d -ts monitor all`, `ip -t monitor all-nsid` and
//   `ip -4 -ts monitor all-nsid label` (81).
// Before, the first three stopped at their first detail line, joined line or numeric type
// (exit 2); the all-nsid log put the container's routes and rule into the host's tables, and
// the colour log was refused as not text (exit 2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACES = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces');
const EXACT = '# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)';

function routes(fixture: string, file: string, show = 'route'): { code: number | null; lines: string[]; err: string } {
  const dir = join(TRACES, fixture);
  const r = spawnSync(process.execPath, [KFIB, 'replay', join(dir, file), '--initial', join(dir, 'before.json'), '--names', join(dir, 'names'), '--show', show], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.split('\n').filter((l) => !l.startsWith('# out of scope')), err: r.stderr };
}

const CASES: readonly (readonly [string, string])[] = [
  ['68-monitor-variants', 'monitor-d.txt'],
  ['68-monitor-variants', 'monitor-oneline.txt'],
  ['68-monitor-variants', 'monitor-numeric.txt'],
  ['68-monitor-variants', 'monitor-4.txt'],
  ['62-monitor-all-busy', 'monitor-plain.txt'],
  ['78-netns-monitor-variants', 'monitor-nsid.txt'],
  ['78-netns-monitor-variants', 'monitor-color.txt'],
  ['78-netns-monitor-variants', 'monitor-json.txt'],
  ['81-monitor-stats-variants', 'monitor-s.txt'],
  ['81-monitor-stats-variants', 'monitor-ssd.txt'],
  ['81-monitor-stats-variants', 'monitor-t-nsid.txt'],
  ['81-monitor-stats-variants', 'monitor-4-nsid.txt'],
];

/**
 * What every text form of a fixture must say: exact, but for 78, whose script's `ip route
 * replace 10.83.0.0/16` prints the line of an append or a prepend (no nlmsg_flags in any
 * text form): named, exit 3 (test/fixtures/traces/route-append-text).
 */
const SUMMARY: Readonly<Record<string, readonly string[]>> = {
  '78-netns-monitor-variants': [
    '# replay: 1 gap (IPv4 FIB content the model did not represent):',
    '#   1 × ambiguous operation (ip monitor text: a route line over a route of the same table, prefix, tos and metric is a replace, an append or a prepend; applied as a replace) (first @15)',
  ],
};

function assertSummary(fixture: string, got: { code: number | null; lines: string[]; err: string }): void {
  const want = SUMMARY[fixture] ?? [EXACT];
  assert.deepEqual(got.lines.filter((l) => l.startsWith('# replay') || l.startsWith('#   ')), want);
  assert.equal(got.code, want[0] === EXACT ? 0 : 3, got.err);
}

for (const [fixture, file] of CASES) {
  test(`${fixture}/${file}: the same state as monitor.txt, and the same summary`, () => {
    const want = routes(fixture, 'monitor.txt');
    const got = routes(fixture, file);
    assertSummary(fixture, got);
    assert.deepEqual(got.lines, want.lines);
  });
}

// The rules too: the container's `900: from 10.71.0.0/24 lookup 90` (`[nsid 0]`) is not the host's.
for (const file of ['monitor-nsid.txt', 'monitor-color.txt']) {
  test(`78-netns-monitor-variants/${file}: the same rules as monitor.txt, and the same summary`, () => {
    const want = routes('78-netns-monitor-variants', 'monitor.txt', 'rule');
    const got = routes('78-netns-monitor-variants', file, 'rule');
    assertSummary('78-netns-monitor-variants', got);
    assert.deepEqual(got.lines, want.lines);
  });
}

// 78's monitor-nsid.txt, its `[nsid 0]` records only (the container's addresses, a `blackhole`
// and an `unreachable` route with no device, a rule): all out of scope, the state stays
// before.json's and the replay is exact. Before, they were applied to the host's tables.
test('78-netns-monitor-variants/monitor-nsid.txt, its [nsid 0] records alone: nothing applied', () => {
  const dir = join(TRACES, '78-netns-monitor-variants');
  const lines = readFileSync(join(dir, 'monitor-nsid.txt'), 'utf8').split('\n');
  const kept: string[] = [];
  let keep = false;
  for (const l of lines) {
    if (!l.startsWith(' ') && !l.startsWith('\t')) keep = /^\[[^\]]*\] \[nsid \d+\]/.test(l);
    if (keep) kept.push(l);
  }
  assert.ok(kept.length > 20);
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-nsid-'));
  try {
    const show = (text: string): { status: number | null; stdout: string } => {
      const f = join(tmp, 'log.txt');
      writeFileSync(f, text);
      const r = spawnSync(process.execPath, [KFIB, 'replay', f, '--initial', join(dir, 'before.json'), '--names', join(dir, 'names'), '--show', 'route', '--show', 'rule'], { encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout };
    };
    const got = show(`${kept.join('\n')}\n`);
    const none = show('');
    assert.equal(got.status, 0, got.stdout);
    const body = (s: string): string[] => s.split('\n').filter((l) => !l.startsWith('#'));
    assert.deepEqual(body(got.stdout), body(none.stdout));
    assert.ok(got.stdout.includes(`${EXACT}\n`));
    assert.match(got.stdout, /# out of scope \(not the IPv4 FIB\): another network namespace \(\[nsid N\]\) \d+/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
