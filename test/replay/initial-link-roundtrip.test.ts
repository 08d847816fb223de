// `kfib run --initial before.json` then `ip -j link show`: every link element equals the
// dump's, whole, for every before.json of the fixtures (test/fixtures/initial, the local and
// the shared traces). Before, an imported device printed the model's derived qdisc, flags,
// txqlen and operstate (carrier-kinds: ifb0's NOARP, qlen 32 and UNKNOWN; br0 and vx0's
// UNKNOWN) and no `master`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFixtureNames, fixtureDir } from '../trace/_fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const INITIAL = resolve(here, '../../../test/fixtures/initial');

const dumps = [
  ...readdirSync(INITIAL).map((c) => join(INITIAL, c, 'before.json')),
  ...allFixtureNames().map((n) => join(fixtureDir(n), 'before.json')),
].filter((f) => existsSync(f));

test('there are dumps to import', () => {
  assert.ok(dumps.length >= 10, `${dumps.length} dumps`);
});

const script = join(mkdtempSync(join(tmpdir(), 'kfib-link-rt-')), 'script.ip');
writeFileSync(script, 'ip -j link show\n');

for (const f of dumps) {
  test(`ip -j link of the imported state equals the dump: ${f.split('/').slice(-2, -1)[0] ?? f}`, () => {
    const r = spawnSync(process.execPath, [KFIB, 'run', '--initial', f, script], { encoding: 'utf8' });
    const json = r.stdout.split('\n')[1] ?? '';
    const want = (JSON.parse(readFileSync(f, 'utf8')) as { link: unknown[] }).link;
    // Key order too: iproute2 prints them in print_linkinfo() order.
    assert.equal(JSON.stringify(JSON.parse(json)), JSON.stringify(want), r.stderr);
  });
}
