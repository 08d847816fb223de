// `kfib capture` against the live kernel (root on Linux with unshare, rtmon and ip; skipped
// otherwise): a scenario captured in a fresh namespace replays to its own after.json.
// Configures and queries only; no packet is sent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

function run(mod: string, fn: string, args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const src = `import { ${fn} } from ${JSON.stringify(join(HERE, '..', '..', 'cli', mod))}; process.exitCode = await ${fn}(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function why(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const t of ['rtmon', 'ip', 'unshare']) if (spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0) return `no ${t}`;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return 'unshare -n refused';
  return null;
}

const skip = why();

test('a captured scenario has the layout of shared/traces and replays to its own snapshots', { skip: skip ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-capture-'));
  try {
    const script = join(dir, 'scenario.sh');
    writeFileSync(
      script,
      [
        'ip link add eth9 type veth peer name eth9p',
        'ip link set eth9p up; ip link set eth9 up',
        'ip addr add 198.51.100.1/24 dev eth9',
        'ip route add 203.0.113.0/24 via 198.51.100.254',
        'capture_start',
        'ip route add 192.0.2.0/24 via 198.51.100.254 table 7',
        'ip rule add from 198.51.100.1 lookup 7 pref 100',
        'checkpoint installed',
        'ip addr del 198.51.100.1/24 dev eth9',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'cap');
    const c = run('capture-cmd.js', 'captureMain', ['-o', out, '--no-ipv6', '--settle', '0.3', '--get', '203.0.113.7', '--', script]);
    assert.equal(c.status, 0, c.stderr);
    for (const f of ['trace.rtmon', 'monitor.txt', 'before.json', 'after.json', 'meta.json', 'script.sh', 'capture.log', 'checkpoints/01-installed.json']) {
      assert.ok(existsSync(join(out, f)), `${f} missing`);
    }
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as Record<string, string>;
    assert.match(meta['after_at'] ?? '', /^\d+\.\d{6}$/);
    for (const trace of ['trace.rtmon', 'monitor.txt']) {
      const r = run('replay-cmd.js', 'replayMain', ['--initial', join(out, 'before.json'), '--check', '--explain', '--show', 'json', join(out, trace)]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /route removed\s+203\.0\.113\.0\/24 via 198\.51\.100\.254 dev eth9/);
      assert.match(r.stdout, /route removed\s+192\.0\.2\.0\/24 via 198\.51\.100\.254 dev eth9 table 7/);
      const got = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, unknown[]>;
      const after = JSON.parse(readFileSync(join(out, 'after.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
      assert.deepEqual(got['route'], (after['route'] ?? []).filter((x) => !('pref' in x)));
      assert.deepEqual(got['rule'], after['rule']);
      assert.deepEqual(got['netconf'], after['netconf']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('capture refuses a folder that is not an earlier capture, and a missing -o', () => {
  const r = run('capture-cmd.js', 'captureMain', ['--', '/dev/null']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /-o DIR is required/);
});
