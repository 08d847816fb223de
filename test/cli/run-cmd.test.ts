// The kfib command as a user meets it: exit codes and messages for bad input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const dir = mkdtempSync(join(tmpdir(), 'kfib-cli-'));

function kfib(args: string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('a script prints the kernel transcript and exits 0', () => {
  const r = kfib(['run', file('ok.ip', 'ip link add name v0 up type veth peer name v1\nip rule\n')]);
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    '$ ip link add name v0 up type veth peer name v1\n$ ip rule\n0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n',
  );
  assert.equal(r.err, '');
});

test('iproute2 errors stay in the transcript with their exit status', () => {
  const r = kfib(['run', '-'], 'ip route add 10.0.0.0/33 dev lo\nip addr add 192.0.2.1/24 dev nosuch\nip bogus\n');
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    '$ ip route add 10.0.0.0/33 dev lo\nError: any valid prefix is expected rather than "10.0.0.0/33".\n[exit 1]\n' +
      '$ ip addr add 192.0.2.1/24 dev nosuch\nCannot find device "nosuch"\n[exit 1]\n' +
      '$ ip bogus\nObject "bogus" is unknown, try "ip help".\n[exit 1]\n',
  );
});

test('a line that is not ip or sysctl is named on stderr, the rest still runs, exit 2', () => {
  const r = kfib(['run', file('garbage.ip', 'echo hi\nip rule show pref 0\n')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /garbage\.ip:1: only ip and sysctl commands are allowed: echo hi/);
  assert.match(r.out, /\$ ip rule show pref 0\n0:\tfrom all lookup local\n/);
});

test('a valid command outside the model says "not modelled" and exits 2', () => {
  const r = kfib(['run', '-'], 'ip -6 route show\nip rule\n');
  assert.equal(r.code, 2);
  assert.match(r.err, /<stdin>:1: not modelled: ip -6/);
  assert.match(r.out, /32767:\tfrom all lookup default/);
});

test('an empty script, a binary file and a missing file get clear messages', () => {
  const empty = kfib(['run', file('empty.ip', '')]);
  assert.equal(empty.code, 0);
  assert.match(empty.err, /no commands/);
  const bin = kfib(['run', file('bin.ip', Buffer.from([0x69, 0x70, 0x00, 0x01]))]);
  assert.equal(bin.code, 2);
  assert.match(bin.err, /binary file \(a NUL byte at offset 2\)/);
  const missing = kfib(['run', join(dir, 'nope.ip')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*nope\.ip: no such file/);
  assert.doesNotMatch(missing.err + bin.err, /at .*\.js:\d+/, 'no stack trace');
});

test('--help explains the command', () => {
  const r = kfib(['run', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /--explain/);
  assert.match(r.out, /--kernel/);
});

test('--explain marks the silent flush of table 10', () => {
  const r = kfib([
    'run',
    '--explain',
    file(
      'seed2.ip',
      'ip link add name ens33 up type veth peer name ens33peer\nip link set dev ens33peer up\nip addr add 192.168.0.4/24 dev ens33\nip route add default via 192.168.0.40 table 10\nip addr del 192.168.0.4/24 dev ens33\n',
    ),
  ]);
  assert.equal(r.code, 0);
  assert.match(r.out, /# silent {3}route deleted {3}default via 192\.168\.0\.40 dev ens33 table 10 .*\(fib_disable_ip\)/);
  assert.match(r.out, /# notified route deleted {3}local 192\.168\.0\.4 dev ens33 table local/);
});
