// A capture of a DHCP-configured host (test/fixtures/traces/15-host-device-kinds: eth0 has
// a lease) replayed with its addresses shown: the address is `dynamic` with the lifetimes of
// its last notification (the lease renewed to 7200/3600 s), and the replay names the seconds
// left as not modelled (exit 3) instead of printing `forever` as an exact replay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACE = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', '15-host-device-kinds');

function replay(args: readonly string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', TRACE, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

test('a replay showing a dynamic address prints its lifetimes and names the seconds left as a gap', () => {
  const r = replay(['--show', 'addr']);
  assert.equal(r.code, 3);
  assert.match(r.out, /\n {4}inet 192\.168\.7\.10\/24 brd 192\.168\.7\.255 scope global dynamic eth0\n {7}valid_lft 7200sec preferred_lft 3600sec\n/);
  assert.match(r.out, /\n# replay: 1 gap .*\n# {3}1 × not modelled: the seconds left of a dynamic address's lifetimes .*\(first in the state shown\)\n/);
});

test('the same replay showing only routes stays exact', () => {
  const r = replay([]);
  assert.equal(r.code, 0);
  assert.match(r.out, /\n# replay: exact /);
});

test('the JSON dump carries the dynamic flag and the lifetimes as ip -j prints them', () => {
  const r = replay(['--show', 'json']);
  assert.equal(r.code, 3);
  assert.match(r.out, /"local":"192\.168\.7\.10","prefixlen":24,"broadcast":"192\.168\.7\.255","scope":"global","dynamic":true,"label":"eth0","valid_life_time":7200,"preferred_life_time":3600/);
});
