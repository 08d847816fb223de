// The oracle itself: `kfib run --kernel`'s runner must reproduce every golden transcript
// on this machine's kernel, so that a difference it reports is the model's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { kernelAvailable, kernelTranscripts, RUNNER } from '../../props/differential/kernel-runner.js';
import { SCENARIOS } from '../golden/_paths.js';
import { transcript } from '../../core/script/run-script.js';

const avail = kernelAvailable();
const names = readdirSync(SCENARIOS).filter((f) => f.endsWith('.ip'));

test('the kernel runner reproduces every golden transcript and the model agrees with it', { skip: avail.ok ? false : `kernel not available: ${avail.ok ? '' : avail.why}` }, async () => {
  let agree = 0;
  const scripts = names.map((f) => readFileSync(join(SCENARIOS, f), 'utf8'));
  const kernels = await kernelTranscripts(scripts, 6);
  for (const [i, f] of names.entries()) {
    const script = scripts[i] as string;
    const kernel = kernels[i] as string;
    assert.equal(kernel, readFileSync(join(SCENARIOS, f.replace(/\.ip$/, '.expected')), 'utf8'), `kernel transcript of ${f}`);
    assert.equal(transcript(script), kernel, `model vs kernel on ${f}`);
    agree++;
  }
  console.log(`kfib run --kernel: ${agree} of ${names.length} scenarios, model and kernel agree`);
});

test('the runner refuses to run outside its own pid namespace (run by hand, it would touch the host)', { skip: avail.ok ? false : `kernel not available: ${avail.ok ? '' : avail.why}` }, () => {
  // In private network and mount namespaces but not a pid namespace: were the guard gone,
  // what the runner did would stay inside them.
  const r = spawnSync('unshare', ['-n', '-m', '--', 'bash', '-c', RUNNER, 'kfib-kernel-runner'], { input: 'ip link add kfibleak0 type veth peer name kfibleak1\n', encoding: 'utf8' });
  assert.equal(r.status, 125);
  assert.match(r.stderr, /^kfib runner: not in its own namespaces \(pid \d+\): refusing to run\n$/);
  assert.equal(r.stdout, '');
});
