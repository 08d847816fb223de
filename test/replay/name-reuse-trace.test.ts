// test/fixtures/traces/name-reuse-after-rename (not numbered: its text form has named gaps by
// design): two NICs swap names through a temporary one, then the device now called eth1 is
// deleted and a new NIC is made under the name eth1. `ip monitor` keeps the first name it saw
// for an ifindex (ll_remember_index(), formats README 5), so monitor.txt prints both the
// renamed device (ifindex 5, eth0 by now) and the new one (ifindex 10) as `dev eth1`: which
// one a route line means, the text cannot say. The text replay used to take the first (5):
// the new NIC's routes went to the other device (its kernel routes only as disagreements, a
// route written by that name silently). Such a line is now named (not replayed) for each
// record that names an ambiguous device; the rtmon replay, keyed by ifindex, is exact.
// 69-name-swaps (numbered) is the same life without the reuse; its text replay once resolved
// `dev eth0` in the deleted device's own kernel routes to the device the model now calls eth0
// (a device the monitor prints as eth1): refused (ESRCH).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces', 'name-reuse-after-rename');

function summary(file: string): { code: number | null; lines: string[] } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', join(DIR, file), '--initial', join(DIR, 'before.json'), '--names', join(DIR, 'names')], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.split('\n').filter((l) => l.startsWith('# replay') || l.startsWith('#   ')) };
}

test('name-reuse-after-rename (rtmon): exact, by ifindex', () => {
  const r = summary('trace.rtmon');
  assert.deepEqual(r.lines, ['# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)']);
  assert.equal(r.code, 0);
});

test('name-reuse-after-rename (monitor): every record naming the ambiguous eth1 is named, not replayed on a guess', () => {
  const r = summary('monitor.txt');
  assert.deepEqual(r.lines, [
    '# replay: 11 gaps (IPv4 FIB content the model did not represent):',
    '#   10 × not replayed: device "…" is ambiguous: ip monitor\'s name cache gives that name to ifindexes 5 and 10 (a name it kept after a rename, and a device made with it since) (first @46)',
    '#   1 × trace disagrees: a notification the model predicted never came: a change the trace does not carry (a carrier, admin or address change left out of a filtered monitor?); --check lists each (first @53)',
  ]);
  assert.equal(r.code, 3);
});
