// The invariant properties of props/invariants/laws.ts, 1,000 generated scripts each. No
// kernel needed. A failure prints its seed, fast-check path and the shrunk script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVARIANTS } from '../../props/invariants/laws.js';

const RUNS = 1000;
const seed = Number(process.env['KFIB_PROPS_SEED'] ?? 20261121);

for (const inv of INVARIANTS) {
  test(`${inv.name} [${RUNS} runs]`, () => {
    const r = inv.check({ numRuns: RUNS, seed });
    if (r.failed) {
      assert.fail(
        `${inv.id} failed after ${r.numRuns} runs (seed ${r.seed}, path ${r.path ?? ''}; replay: kfib verify --property ${inv.id} --seed ${r.seed} --path ${r.path ?? ''})\n${r.error ?? ''}\n${r.counterexample ?? ''}`,
      );
    }
    assert.equal(r.numRuns, RUNS);
  });
}
