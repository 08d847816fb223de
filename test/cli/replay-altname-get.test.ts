// kfib replay --get with a device named by an alternative name (test/fixtures/traces/
// 51-systemd-altnames: lan0 has the altname enp0s31f6): iproute2 resolves `oif`/`iif NAME`
// with if_nametoindex(), which finds alternative names, so `ip route get … oif enp0s31f6`
// answers as `oif lan0` does. The replay used to print `Cannot find device "enp0s31f6"`
// and call itself exact (exit 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const kfib = join(root, 'dist', 'cli', 'kfib.js');
const dir = join(root, 'test', 'fixtures', 'traces', '51-systemd-altnames');

function replay(dev: string, form: 'rtmon' | 'monitor'): { status: number | null; stdout: string; stderr: string } {
  const input = form === 'rtmon' ? [dir] : [join(dir, 'monitor.txt'), '--initial', join(dir, 'before.json'), '--names', join(dir, 'names')];
  const r = spawnSync(process.execPath, [kfib, 'replay', ...input, '--show', 'rule', '--get', `8.8.8.8 oif ${dev}`, '--get', `10.41.0.1 from 10.40.0.9 iif ${dev}`], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const form of ['rtmon', 'monitor'] as const) {
  test(`--get names a device by its alternative name as iproute2 resolves it (${form})`, () => {
    const alt = replay('enp0s31f6', form);
    const main = replay('lan0', form);
    assert.equal(alt.status, main.status);
    assert.equal(alt.stdout, main.stdout);
    assert.equal(alt.stderr, main.stderr);
  });
}
