// Kernel transcripts captured for behaviour outside the shared corpus (test/fixtures/kernel).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transcript } from '../../core/script/run-script.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/kernel');

for (const f of readdirSync(dir).filter((x) => x.endsWith('.ip'))) {
  test(`fixture ${f} matches its kernel transcript`, () => {
    const script = readFileSync(join(dir, f), 'utf8');
    assert.equal(transcript(script), readFileSync(join(dir, f.replace(/\.ip$/, '.expected')), 'utf8'));
  });
}
