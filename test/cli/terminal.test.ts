// What reaches a terminal: control characters from input are printed as \xNN; kfib's own
// colour on stdout and its progress bar on stderr are real control sequences. The last test
// runs `kfib verify` under script(1), a real pseudo-terminal, and reads what it wrote.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeControl, escapeControlKeepColour } from '../../cli/terminal.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');

test('escapeControl writes every control but newline and tab as \\xNN', () => {
  assert.equal(escapeControl('a\tb\nc\x1b]0;t\x07\x7f\x9b\r'), 'a\tb\nc\\x1b]0;t\\x07\\x7f\\x9b\\x0d');
});

test('escapeControlKeepColour keeps colour sequences and escapes every other sequence', () => {
  assert.equal(escapeControlKeepColour('\x1b[32mok\x1b[0m \x1b[2J\x1b]0;t\x07\x1b[1;31mx'), '\x1b[32mok\x1b[0m \\x1b[2J\\x1b]0;t\\x07\x1b[1;31mx');
});

const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
test(
  'on a terminal, kfib verify paints its report in colour and draws its progress bar with real control sequences',
  script.status === 0 ? {} : { skip: 'script(1) from util-linux is not installed' },
  () => {
    const log = join(mkdtempSync(join(tmpdir(), 'kfib-tty-')), 'tty.log');
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(KFIB)} verify --runs 2 --property lpm --seed 7`;
    const r = spawnSync('script', ['-q', '-e', '-c', cmd, log], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = readFileSync(log, 'utf8');
    assert.match(out, /\r\x1b\[2Kverify \[ {24}\] 0% lpm/);
    assert.match(out, /\x1b\[32mall properties hold\x1b\[0m \(seed 7\)/);
    assert.doesNotMatch(out, /\\x1b|\\x0d/);
  },
);
