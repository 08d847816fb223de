// The kfib command as a user meets it: exit codes and messages for bad input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  assert.match(r.err, /garbage\.ip:1: only ip and sysctl commands, and echo\/printf\/tee\/cat of a \/proc\/sys\/net file, are allowed: echo hi/);
  assert.match(r.out, /\$ ip rule show pref 0\n0:\tfrom all lookup local\n/);
});

test('a /proc/sys/net line runs as the shell would run it; one in another form is a named gap, exit 3', () => {
  const r = kfib(['run', '-'], 'echo 1 > /proc/sys/net/ipv4/ip_forward\ncat /proc/sys/net/ipv4/conf/all/forwarding\necho $V > /proc/sys/net/ipv4/ip_forward\n');
  assert.equal(r.code, 3);
  assert.match(r.out, /^\$ echo 1 > \/proc\/sys\/net\/ipv4\/ip_forward\n\$ cat \/proc\/sys\/net\/ipv4\/conf\/all\/forwarding\n1\n\$ echo \$V/);
  assert.match(r.err, /<stdin>:3: not modelled: shell line with the shell character "\$": echo \$V/);
});

test('a valid command outside the model says "not modelled", is named on stdout as a gap, and exits 3 (as kfib replay)', () => {
  const r = kfib(['run', '-'], 'ip -6 route show\nip rule\n');
  assert.equal(r.code, 3);
  assert.match(r.err, /<stdin>:1: not modelled: ip -6/);
  assert.equal(
    r.out,
    '$ ip -6 route show\n[exit 2]\n$ ip rule\n0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n' +
      '# run: 1 gap (IPv4 FIB content the model did not represent):\n#   1 × not modelled: ip -6 / non-IPv4 families (first line 1)\n',
  );
  const j = kfib(['run', '--json', '-'], 'ip -6 route show\n');
  assert.equal(j.code, 3);
  const last = JSON.parse(j.out.trim().split('\n').at(-1) as string) as { completeness: { exact: boolean; gaps: { what: string; count: number; first: string }[] } };
  assert.deepEqual(last.completeness.gaps, [{ what: 'not modelled: ip -6 / non-IPv4 families', count: 1, first: 'line 1' }]);
  assert.equal(last.completeness.exact, false);
  // A line that is not a command at all stays bad input: exit 2 wins over the gap.
  assert.equal(kfib(['run', '-'], 'echo hi\nip -6 route show\n').code, 2);
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

// A real host's name files (issue 12): the capture 11-named-tables-wg has names/ (rt_tables with isp1, rt_tables.d/vpn.conf).
const F11 = resolve(here, '../../../test/fixtures/traces/11-named-tables-wg');

test('run --initial --names: the host\'s table names parse and print; without them isp1 is iproute2\'s error, not table main', () => {
  const script = file('named.ip', 'ip route add 10.9.0.0/16 via 192.168.1.1 table isp1\nip rule add from 10.1.0.0/16 lookup vpn\nip rule show\n');
  const r = kfib(['run', '--initial', join(F11, 'before.json'), '--names', join(F11, 'names'), script]);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    '$ ip route add 10.9.0.0/16 via 192.168.1.1 table isp1\n$ ip rule add from 10.1.0.0/16 lookup vpn\n$ ip rule show\n0:\tfrom all lookup local\n32765:\tfrom 10.1.0.0/16 lookup vpn\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n',
  );
  const bare = kfib(['run', '--initial', join(F11, 'before.json'), script]);
  assert.match(bare.out, /^\$ ip route add 10\.9\.0\.0\/16 via 192\.168\.1\.1 table isp1\nError: argument "isp1" is wrong: "table" value is invalid\n\n\[exit 255\]\n/);
});

test('run: a snapshot naming a table its names do not define is refused, naming the entry and the name (exit 2)', () => {
  const before = JSON.parse(readFileSync(join(F11, 'before.json'), 'utf8')) as { rule: Record<string, unknown>[] };
  before.rule.splice(1, 0, { priority: 100, src: 'all', table: 'isp1' });
  const snap = file('named-host.json', JSON.stringify(before));
  const r = kfib(['run', '--initial', snap, file('empty.ip', 'ip rule show\n')]);
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  // FILE:LINE:COLUMN of the element, then its JSON path.
  const m = /named-host\.json:(\d+):(\d+): rule pref 100 \(\$\.rule\[1\], the 2\. IPv4 rule of the dump\): unknown table "isp1": not a number, and not in iproute2's built-in table names/.exec(r.err);
  assert.ok(m !== null, r.err);
  const row = readFileSync(snap, 'utf8').split('\n')[Number(m[1]) - 1] as string;
  assert.ok(row.slice(Number(m[2]) - 1).startsWith('{"priority":100,"src":"all","table":"isp1"}'), row.slice(Number(m[2]) - 1, Number(m[2]) + 40));
  // With the names as the snapshot's "names" member (kfib snapshot writes it), it loads.
  const withNames = file('named-host2.json', JSON.stringify({ ...before, names: { rt_tables: readFileSync(join(F11, 'names', 'rt_tables'), 'utf8') } }));
  const ok = kfib(['run', '--initial', withNames, file('rules.ip', 'ip rule show\n')]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /\n100:\tfrom all lookup isp1\n/);
});

test('run --initial: what the snapshot holds that the model cannot import is named on stdout, whole, and exits 3', () => {
  const before = JSON.parse(readFileSync(join(F11, 'before.json'), 'utf8')) as { route: Record<string, unknown>[] };
  // An attribute of a route the importer does not know: not kept, so not silently dropped.
  before.route[0] = { ...before.route[0], frobnicate: 1 };
  const r = kfib(['run', '--initial', file('unknown-key.json', JSON.stringify(before)), '--names', join(F11, 'names'), file('rule.ip', 'ip rule show pref 0\n')]);
  assert.equal(r.code, 3, r.err);
  assert.equal(
    r.out.split('\n').filter((l) => l.startsWith('# run:') || l.startsWith('#   ')).join('\n'),
    '# run: 1 gap (IPv4 FIB content the model did not represent):\n#   1 × initial snapshot: not kept: unknown key route.frobnicate',
  );
});

test('ip route show cached: empty in a fresh namespace (no packet makes an exception), named as a gap on an imported one (a dump carries none)', () => {
  const script = file('cached.ip', 'ip route show cached\n');
  assert.equal(kfib(['run', script]).code, 0);
  assert.equal(kfib(['run', script]).out, '$ ip route show cached\n');
  const r = kfib(['run', '--initial', join(F11, 'before.json'), script]);
  assert.equal(r.code, 3);
  assert.match(r.out, /not modelled: ip route show cached of an imported namespace \(its route exceptions are not in the dump\)/);
});
