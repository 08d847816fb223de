// An `ip monitor` log started in the middle of a host's life and replayed without its
// initial state (no --initial, no before.json beside it): the replay starts from an empty
// namespace, so whatever the host held before the log began (76-batch-churn's before.json:
// two NICs, their addresses and routes, a default route) is not in the state it prints.
// Made from 76-batch-churn's monitor.txt, its `from 10.0.N.0/24 lookup 301` rule lines
// only: every one replays (an address: IPv4; no device), and before, the replay said `#
// replay: exact` and exited 0 while its state had no route at all (the host's `default via
// 203.0.113.1 dev wan` missing: `--get 8.8.8.8` answered "Network is unreachable"). Now the
// unknown initial state is a named gap (exit 3); the rules replayed are the ones the log shows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', '76-batch-churn');
const RULES = readFileSync(join(DIR, 'monitor.txt'), 'utf8')
  .split('\n')
  .filter((l) => /\[RULE\]\d+:\tfrom 10\.0\.\d+\.0\/24 lookup 301 $|\[RULE\]\d+:\tfrom 10\.0\.\d+\.0\/24 lookup 301$/.test(l));

test('a mid-life ip monitor log without its initial state: a named gap, never exact', () => {
  assert.equal(RULES.length, 40);
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-midlife-'));
  try {
    const f = join(tmp, 'midlife.txt');
    writeFileSync(f, `${RULES.join('\n')}\n`);
    const r = spawnSync(process.execPath, [KFIB, 'replay', f, '--show', 'rule'], { encoding: 'utf8' });
    assert.equal(r.status, 3, r.stderr);
    const want = [
      '# replay: no initial state (no --initial, no before.json): started from an empty namespace; what existed before the trace is unknown',
      '0:\tfrom all lookup local',
      ...Array.from({ length: 40 }, (_, i) => `${2000 + i}:\tfrom 10.0.${i}.0/24 lookup 301`),
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
      '# replay: 1 gap (IPv4 FIB content the model did not represent):',
      '#   1 × initial state unknown (no --initial, no before.json): the addresses, routes, rules, nexthops and settings the host had before the trace are not in the model (first before the trace)',
      '# replay: no initial state; the model refused 0 events',
      '',
    ];
    assert.deepEqual(r.stdout.split('\n'), want);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
