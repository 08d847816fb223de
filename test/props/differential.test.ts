// The differential property against the live kernel: 150 generated scripts, the model's
// transcript against a fresh `unshare -n` namespace's, byte for byte (known divergences of
// props/known-divergences.md tolerated, nothing else). Runs wherever the process is root on
// Linux with unshare (CI is); elsewhere it is skipped and says why.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelAvailable } from '../../props/differential/kernel-runner.js';
import { runDifferential } from '../../props/differential/differential.js';

const RUNS = 150;
const seed = Number(process.env['KFIB_PROPS_SEED'] ?? 20261121);
const k = kernelAvailable();

test(
  `the model's transcript equals the live kernel's, byte for byte, for ${RUNS} generated scripts (differential)`,
  k.ok ? {} : { skip: `no kernel to compare with: ${k.why} (the differential needs root on Linux with unshare -n)` },
  async () => {
    const r = await runDifferential({ runs: RUNS, seed, concurrency: 6, regressionsDir: null });
    const tol = Object.entries(r.tolerated).map(([id, n]) => `${id} ${n}`);
    console.log(
      `differential: seed ${seed}, ${r.runs} scripts, ${r.same} identical, tolerated [${tol.join(', ')}], ${r.pinned} route gets pinned, withheld as named gaps ${JSON.stringify(r.withheld)}, ${r.scriptsPerSecond.toFixed(2)} scripts/s`,
    );
    const f = r.failure;
    if (f !== null) {
      assert.fail(
        `model and kernel differ (seed ${f.seed}, path ${f.path}; replay: kfib verify --kernel --property differential --seed ${f.seed} --path ${f.path})\n` +
          `minimal script:\n${f.script}\n${f.error ?? ''}` +
          (f.diff === null ? '' : `first difference at \`${f.diff.command}\`:\n--- model\n${f.diff.model}--- kernel\n${f.diff.kernel}`),
      );
    }
    assert.equal(r.runs, RUNS);
  },
);
