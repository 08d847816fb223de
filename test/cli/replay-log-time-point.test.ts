// A kfib event log (JSON Lines) has no time stamps, only sequence numbers: `--at TIME` and
// `--until TIME` cannot say which event they mean. The replay used to warn on stderr and
// print the state at the end of the log under `--at TIME` (with `# replay: exact` and exit 0),
// and to ignore `--until TIME` without a word: an answer for another moment than the one
// asked. Both are now refused as bad arguments (exit 2, nothing on stdout), as `@N` works.
// The log is 54-strongswan-mullvad-vpn's trace converted by `kfib replay --out`; the time asked
// is its checkpoint strongswan-up, where table 220 and rule 220 exist (gone at the end).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', '54-strongswan-mullvad-vpn');

function kfib(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [KFIB, ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function withLog(f: (log: string, time: string) => void): void {
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-log-time-'));
  try {
    const log = join(tmp, 'events.jsonl');
    const w = kfib(['replay', join(DIR, 'trace.rtmon'), '--initial', join(DIR, 'before.json'), '--names', join(DIR, 'names'), '--out', log]);
    assert.equal(w.status, 0, w.stderr);
    const cp = JSON.parse(readFileSync(join(DIR, 'checkpoints', '01-strongswan-up.json'), 'utf8')) as { time: number };
    f(log, String(cp.time));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

for (const opt of ['--at', '--until'] as const) {
  test(`a kfib event log with ${opt} TIME is refused (exit 2, nothing printed), not answered for another moment`, () => {
    withLog((log, time) => {
      const r = kfib(['replay', log, '--names', join(DIR, 'names'), opt, time, '--show', 'rule']);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `kfib replay: ${opt} ${time}: a kfib event log has no time stamps; give the point as @N (after the N-th event)\n`);
      assert.equal(r.status, 2);
    });
  });
}

test('a kfib event log with --at @N answers at that event (rule 220 of strongSwan there, gone at the end)', () => {
  withLog((log) => {
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; event: { type: string; rule?: { priority: number } } });
    const ruleAdd = lines.find((l) => l.event.type === 'rule-add' && l.event.rule?.priority === 220);
    assert.ok(ruleAdd !== undefined);
    const r = kfib(['replay', log, '--names', join(DIR, 'names'), '--at', `@${ruleAdd.seq}`, '--show', 'rule']);
    assert.equal(r.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n'), '0:\tfrom all lookup local\n220:\tfrom all lookup 220\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
    assert.equal(r.status, 0, r.stderr);
  });
});
