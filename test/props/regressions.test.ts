// Every counterexample the differential ever found (props/regressions/NAME.ip) replayed
// through the model: its transcript must equal the kernel's, captured when it was found
// (NAME.expected).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRegressions } from '../../props/differential/regressions.js';
import { transcript } from '../../core/script/run-script.js';

const regressions = readRegressions();

for (const r of regressions) {
  test(`regression ${r.name}: the model still gives the kernel's transcript`, () => {
    assert.equal(transcript(r.script), r.expected);
  });
}

test('the regression corpus is there', () => {
  assert.ok(regressions.length >= 20, `expected the props/regressions corpus, found ${regressions.length} files`);
});
