// A primary address deleted while promote_secondaries is unknown (test/fixtures/traces/
// devconf-unknown: the host had all.promote_secondaries=1, which neither before.json nor the
// trace carries): the records that follow show whether its secondary was promoted. When the
// trace ends before them, the model used to delete the secondary with exit 0; now that is a
// named gap (exit 3). The whole trace, which shows the promotion, stays free of it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const DIR = resolve(here, '../../../test/fixtures/traces/devconf-unknown');

function replay(monitor: string): { out: string; code: number | null } {
  const r = spawnSync(process.execPath, [KFIB, 'replay', monitor, '--initial', join(DIR, 'before.json'), '--names', join(DIR, 'names')], { encoding: 'utf8' });
  return { out: r.stdout, code: r.status };
}

test('the trace cut right after the primary DELADDR: the unseen promotion is a named gap', () => {
  const lines = readFileSync(join(DIR, 'monitor.txt'), 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('[ADDR]Deleted 3: eth0    inet 10.1.0.1/24'));
  assert.ok(at > 0);
  const f = join(mkdtempSync(join(tmpdir(), 'kfib-promo-')), 'monitor.txt');
  writeFileSync(f, `${lines.slice(0, at + 2).join('\n')}\n`);
  const r = replay(f);
  assert.equal(r.code, 3);
  assert.match(r.out, /not modelled: deleting a primary address with secondaries: promoted or deleted by net\.ipv4\.conf\.eth0\.promote_secondaries, net\.ipv4\.conf\.all\.promote_secondaries, which the imported state does not give; the records that follow show neither/);
});

test('the whole trace shows the promotion: no such gap', () => {
  const r = replay(join(DIR, 'monitor.txt'));
  assert.doesNotMatch(r.out, /the records that follow show neither/);
});
