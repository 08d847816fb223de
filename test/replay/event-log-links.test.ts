// A kfib event log replayed (`kfib replay LOG --show link|addr`) prints its devices as the
// model that wrote the log prints them with `ip link show` / `ip -4 address show`: the
// devices a log's events make have no record of a trace to print from, so the replay uses
// the model's own link attributes (core/iproute2/link-info.ts). Before, they were printed
// from a few derived fields: a veth without `@peer` and M-DOWN, no altname, the default
// txqlen, silently.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from '../../core/script/run-script.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');

const SCRIPT = `ip link add v0 type veth peer name v1
ip link property add dev v0 altname uplink0
ip link set dev v0 txqueuelen 500 alias wan mtu 1400
ip link set v0 up
ip link add br0 type bridge
ip link set dev v1 master br0
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.1.1/24 brd + dev br0
`;

test('an event log replays to the links and addresses the model printed when it wrote it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-loglinks-'));
  const script = join(dir, 'script.ip');
  const log = join(dir, 'events.jsonl');
  writeFileSync(script, SCRIPT);
  const w = spawnSync(process.execPath, [KFIB, 'run', script, '--log', log], { encoding: 'utf8' });
  assert.equal(w.status, 0, w.stderr);
  const r = spawnSync(process.execPath, [KFIB, 'replay', log, '--show', 'link', '--show', 'addr'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = [...runScript(`${SCRIPT}ip link show\nip -4 address show\n`)];
  const link = lines[lines.length - 2]!.stdout;
  const addr = lines[lines.length - 1]!.stdout;
  const shown = r.stdout.split('\n').filter((l) => !l.startsWith('# ')).join('\n');
  assert.equal(shown, link + addr);
});
