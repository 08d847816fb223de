// The known-divergence classifiers: each is documented in props/known-divergences.md, and
// each matches its own documented example and not an unrelated difference.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_DIVERGENCES } from '../../props/differential/known-divergences.js';
import { judge } from '../../props/differential/judge.js';

const md = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../props/known-divergences.md'), 'utf8');

test('every known divergence is documented in props/known-divergences.md', () => {
  for (const k of KNOWN_DIVERGENCES) assert.ok(md.includes(`## ${k.id}`), `${k.id} has no "## ${k.id}" section`);
});

test('an unknown difference is never tolerated', () => {
  const model = '$ ip rule\n0:\tfrom all lookup local\n';
  const kernel = '$ ip rule\n0:\tfrom all lookup main\n';
  assert.equal(judge(model, kernel, ['ip rule']).kind, 'diverged');
});

for (const k of KNOWN_DIVERGENCES) {
  test(`known divergence ${k.id} matches its documented example`, () => {
    const ex = k.example;
    assert.equal(judge(ex.model, ex.kernel, ex.script).kind, 'tolerated');
  });
}
