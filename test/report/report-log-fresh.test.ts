// A kfib event log replayed without --initial starts from the model's own fresh namespace
// (every devconf value known: cli/replay-streams.ts replayLog(), initialState()'s `fresh`).
// Its report must rebuild the same start: the page's state after each event equals the
// replay's own (`kfib replay LOG --at @N --show route --show netconf`), and the page does not
// say that the state before the log is unknown. (Before: the page rebuilt an unknown empty
// namespace, so its netconf and every answer that reads a devconf value differed.)

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kfibReplay, reportModelOf } from './_report-cli.js';
import { runCommand } from '../../core/iproute2/ip-command.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const SCRIPT = join(resolve(here, '../../..'), 'examples', 'policy-routing.ip');
const dir = mkdtempSync(join(tmpdir(), 'kfib-log-fresh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the report of a kfib event log starts from the fresh namespace the replay starts from', () => {
  const log = join(dir, 'events.jsonl');
  const run = spawnSync(process.execPath, [KFIB, 'run', SCRIPT, '--log', log], { encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 3, run.stderr);
  const html = join(dir, 'report.html');
  const r = kfibReplay([log, '--html', html]);
  assert.equal(r.status, 0, r.stderr);
  const model = reportModelOf(readFileSync(html, 'utf8'));
  assert.deepEqual(model.problems.filter((p) => /before the trace are unknown/.test(p.message)), []);
  assert.ok(model.count > 3, `${model.count} states`);
  for (let i = 0; i < model.count; i++) {
    const s = model.state(i).snapshot;
    const page = ['ip route show table all', 'ip -4 netconf show'].map((c) => runCommand(s, c.split(' ')).output.stdout).join('');
    const cli = kfibReplay([log, '--at', `@${i}`, '--show', 'route', '--show', 'netconf']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(page, cli.stdout.replace(/^# .*\n/gm, ''), `state ${i}`);
  }
});
