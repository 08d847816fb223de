// The progress bar on a terminal: its carriage return and erase-line must reach the terminal
// as control sequences (not as the text "\x0d\x1b[2K" the terminal guard makes of controls
// from input), input in the label or note stays escaped, and the fraction is a number
// whatever the caller passes (`kfib verify --property differential` used to draw "NaN%").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../../cli/io.js';
import { verify } from '../../props/verify.js';
import { kernelAvailable } from '../../props/differential/kernel-runner.js';

function sink(isTTY: boolean): { isTTY: boolean; written: string[]; write(s: string): void } {
  const written: string[] = [];
  return { isTTY, written, write: (s: string) => void written.push(s) };
}

test('a progress line draws the bar with a raw carriage return and erase-line, and erases it at the end', () => {
  const s = sink(true);
  const bar = progressLine('verify', 10, true, s);
  bar.update(5, 'differential');
  bar.end();
  assert.deepEqual(s.written, ['\r\x1b[2Kverify [############            ] 50% differential', '\r\x1b[2K']);
});

test('a progress line escapes control characters in its label and note', () => {
  const s = sink(true);
  progressLine('re\x1b]0;x\x07play', 4, true, s).update(1, 'dev\x1b[31m');
  assert.deepEqual(s.written, ['\r\x1b[2Kre\\x1b]0;x\\x07play [######                  ] 25% dev\\x1b[31m']);
});

test('a progress line draws 0% for a fraction that is not a number, and nothing off a terminal', () => {
  const tty = sink(true);
  progressLine('verify', 1, true, tty).update(Number.NaN);
  assert.deepEqual(tty.written, ['\r\x1b[2Kverify [                        ] 0%']);
  const file = sink(false);
  const bar = progressLine('verify', 1, true, file);
  bar.update(0.5);
  bar.end();
  assert.deepEqual(file.written, []);
});

test('verify reports finite fractions from 0 to 1 for the invariants alone', async () => {
  const seen: number[] = [];
  await verify({ kernel: false, runs: 3, seed: 1, property: 'lpm', progress: (_p, f) => void seen.push(f) });
  assert.deepEqual(seen, [0, 1]);
});

const k = kernelAvailable();
test(
  'verify reports finite fractions from 0 to 1 for the differential alone',
  k.ok ? {} : { skip: `no kernel to compare with: ${k.why}` },
  async () => {
    const seen: number[] = [];
    const r = await verify({ kernel: true, runs: 2, seed: 1, property: 'differential', concurrency: 2, regressionsDir: null, progress: (_p, f) => void seen.push(f) });
    assert.equal(r.failed, false);
    assert.deepEqual(seen, [0, 0.5, 1, 1]);
  },
);
