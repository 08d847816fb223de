// Golden conformance: every ../shared/scenarios/NAME.ip run through the model must give
// the kernel's NAME.expected transcript byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transcript } from '../../core/script/run-script.js';
import { SCENARIOS } from './_paths.js';

const names = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.ip'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => (a.startsWith('seed') === b.startsWith('seed') ? a.localeCompare(b) : a.startsWith('seed') ? -1 : 1));

let matched = 0;
for (const name of names) {
  test(`scenario ${name} matches the kernel byte for byte`, () => {
    const script = readFileSync(join(SCENARIOS, `${name}.ip`), 'utf8');
    const expected = readFileSync(join(SCENARIOS, `${name}.expected`), 'utf8');
    assert.equal(transcript(script), expected);
    matched++;
  });
}

test('golden summary', () => {
  console.log(`${matched} of ${names.length} scenarios match`);
  assert.ok(names.length >= 52, `expected the whole corpus, found ${names.length} scenarios`);
  assert.equal(matched, names.length);
});
