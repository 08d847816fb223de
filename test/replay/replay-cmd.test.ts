// `kfib replay` as a user runs it: options, outputs, exit codes, bad input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFixtureNames, fixturePath, fixtureNames } from '../trace/_fixtures.js';

const CMD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'replay-cmd.js');

function kfibReplay(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const src = `import { replayMain } from ${JSON.stringify(CMD)}; process.exitCode = await replayMain(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const F01 = '01-addr-del-policy-route';
const has01 = fixtureNames().includes(F01);
/** The closing summary of an exact replay of F01 from its before.json (IPv6 counted as out of scope). */
const EXACT_01 = '# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)\n# out of scope (not the IPv4 FIB): initial snapshot: addr_info/inet6 3, initial snapshot: route/inet6 7\n';
/** stdout without the "# " summary lines (which differ between a trace and its event log). */
const body = (s: string): string => s.split('\n').filter((l) => !l.startsWith('# ')).join('\n');

test('--explain names the silent flush of table 10 and its mechanism', { skip: !has01 }, () => {
  const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--explain', fixturePath(F01, 'trace.rtmon')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /@3 RTM_DELADDR, pid 7650: address 192\.168\.0\.4\/24 deleted from ens33/);
  assert.match(r.stdout, /fib_disable_ip: .*\n\s+route removed\s+default via 192\.168\.0\.40 dev ens33 table 10/);
  assert.match(r.stdout, /# 1 silent change\n/);
});

test('--at and --get answer ip route get as the kernel did at a checkpoint', { skip: !has01 }, () => {
  const cp = JSON.parse(readFileSync(fixturePath(F01, 'checkpoints/01-policy-route-installed.json'), 'utf8')) as { time: string };
  const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--at', cp.time, '--get', '8.8.8.8 from 10.0.1.3 oif ens33', fixturePath(F01, 'trace.rtmon')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `8.8.8.8 from 10.0.1.3 via 192.168.0.40 dev ens33 table 10 uid 0 \n    cache \n${EXACT_01}`);
});

test('--show json prints after.json\'s IPv4 routes, rules and netconf', { skip: !has01 }, () => {
  const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--show', 'json', fixturePath(F01, 'monitor.txt')]);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as Record<string, unknown[]>;
  const after = JSON.parse(readFileSync(fixturePath(F01, 'after.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
  assert.deepEqual(got['route'], (after['route'] ?? []).filter((x) => !('pref' in x)));
  assert.deepEqual(got['rule'], after['rule']);
  assert.deepEqual(got['netconf'], after['netconf']);
});

test('--check exits 0 on a faithful trace and 1 on a trace missing a notification', { skip: !has01 }, () => {
  const ok = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--check', fixturePath(F01, 'monitor.txt')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /# check: 0 missing, 0 unexpected, 0 different/);
  const dir = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    const lines = readFileSync(fixturePath(F01, 'monitor.txt'), 'utf8').split('\n').filter((l) => !l.includes('Deleted broadcast 192.168.0.255'));
    writeFileSync(join(dir, 'm.txt'), lines.join('\n'));
    const bad = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--check', join(dir, 'm.txt')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /missing .*"Deleted broadcast 192\.168\.0\.255 dev 3 table 255"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--out writes a kfib event log that replays to the same state', { skip: !has01 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    const log = join(dir, 'events.jsonl');
    const a = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--out', log, '--show', 'route', '--show', 'rule', fixturePath(F01, 'trace.rtmon')]);
    assert.equal(a.status, 0, a.stderr);
    const b = kfibReplay(['--show', 'route', '--show', 'rule', log]);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(body(b.stdout), body(a.stdout));
    assert.ok(a.stdout.endsWith(EXACT_01), a.stdout);
    assert.match(b.stdout, /^# replay: no initial state \(no --initial, no before\.json\)/);
    assert.match(readFileSync(log, 'utf8').split('\n')[0] ?? '', /^\{"v":1,"seq":1,"event":\{"type":/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without --initial the replay says it starts from an empty namespace', { skip: !has01 }, () => {
  const r = kfibReplay([fixturePath(F01, 'trace.rtmon')]);
  // What existed before the trace is unknown (a named gap of its own): the events that needed
  // it are refused, named gaps (3).
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /no --initial snapshot: starting from an empty namespace/);
  assert.match(r.stdout, /^# replay: no initial state \(no --initial, no before\.json\): started from an empty namespace/);
  assert.match(r.stdout, /\n# replay: \d+ gaps? \(IPv4 FIB content the model did not represent\):\n#   1 × initial state unknown \(no --initial, no before\.json\): [^\n]*\(first before the trace\)\n(#   \d+ × refused by the model: E[A-Z]+ \(first @\d+\)\n)+/);
  assert.match(r.stdout, /\n# replay: no initial state; the model refused [1-9]\d* events?\n$/);
});

test('a truncated rtmon file: the fault is named by byte offset, the events before it replayed; --lenient goes on', { skip: !has01 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    const bytes = readFileSync(fixturePath(F01, 'trace.rtmon'));
    const cut = join(dir, 'cut.rtmon');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 30));
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), '--show', 'rule', cut]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cut\.rtmon: byte \d+: RTM_DELROUTE at byte \d+: nlmsg_len \d+ runs past the end of the file/);
    assert.match(r.stdout, /32765:\tfrom 10\.0\.1\.3 oif ens33 lookup 10/);
    const bad = Buffer.from(bytes);
    bad.writeUInt32LE(3, 24 * 1 + 0);
    const garbled = join(dir, 'bad.rtmon');
    writeFileSync(garbled, bad);
    const strict = kfibReplay(['--initial', fixturePath(F01, 'before.json'), garbled]);
    assert.equal(strict.status, 2);
    assert.match(strict.stderr, /nlmsg_len 3 is smaller than the 16-byte header/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments are refused with the forms expected', () => {
  const r = kfibReplay(['--at', 'noon', 'x']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--at: expected "sec\.usec", an ISO time/);
  const s = kfibReplay(['--show', 'routes', 'x']);
  assert.equal(s.status, 2);
  const n = kfibReplay(['/nonexistent/trace']);
  assert.equal(n.status, 2);
  assert.match(n.stderr, /cannot read \/nonexistent\/trace: no such file/);
});

const F08 = '08-batch-5000-routes';

test('--until stops at the same state as --at shows (the step past the point is not in it)', { skip: !fixtureNames().includes(F08) }, () => {
  const cp = JSON.parse(readFileSync(fixturePath(F08, 'checkpoints/01-5000-routes.json'), 'utf8')) as { time: string };
  const args = ['--initial', fixturePath(F08, 'before.json'), '--show', 'json', fixturePath(F08, 'trace.rtmon')];
  const at = kfibReplay(['--at', cp.time, ...args]);
  const until = kfibReplay(['--until', cp.time, ...args]);
  const end = kfibReplay(args);
  assert.equal(at.status, 0, at.stderr);
  assert.equal(until.status, 0, until.stderr);
  assert.equal(until.stdout, at.stdout);
  // And the point is one where the state differs from the end (the test can fail).
  assert.notEqual(end.stdout, at.stdout);
});

const F11 = '11-named-tables-wg';
const has11 = existsSync(fixturePath(F11, 'names'));

test('a capture folder with names/ replays to after.json with a clean --check (named tables, protocols)', { skip: !has11 }, () => {
  const dir = dirname(fixturePath(F11, 'after.json'));
  const after = JSON.parse(readFileSync(fixturePath(F11, 'after.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
  const r = kfibReplay(['--show', 'json', dir]);
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as Record<string, unknown[]>;
  // after.json's route list holds IPv6 routes too (they carry "pref"); the model is IPv4.
  assert.deepEqual(got['route'], (after['route'] ?? []).filter((x) => !('pref' in x)));
  assert.deepEqual(got['rule'], after['rule']);
  assert.deepEqual(got['netconf'], after['netconf']);
  assert.deepEqual(got['nexthop'], after['nexthop'] ?? []);
  assert.ok(JSON.stringify(got['rule']).includes('"table":"isp1"'), 'the names of names/rt_tables are printed');
  const check = kfibReplay(['--check', dir]);
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /# check: 0 missing, 0 unexpected, 0 different\n/);
  assert.match(check.stdout, /\n# replay: exact \(every IPv4 FIB record of the trace and the initial state was modelled\)\n# out of scope \(not the IPv4 FIB\): [^\n]*RTM_NEWRULE\/AF_INET6 3/);
  // The same names from --names, and from the "names" member of the --initial snapshot.
  const viaOption = kfibReplay(['--names', fixturePath(F11, 'names'), '--initial', fixturePath(F11, 'before.json'), '--show', 'json', fixturePath(F11, 'monitor.txt')]);
  assert.equal(viaOption.status, 3, viaOption.stderr); // ip monitor text: wg-quick's rules without an address are of ambiguous family (counted)
  assert.deepEqual((JSON.parse(viaOption.stdout) as Record<string, unknown[]>)['rule'], after['rule']);
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    const names: Record<string, string> = {};
    for (const rel of ['rt_tables', 'rt_tables.d/vpn.conf', 'rt_protos', 'rt_protos.d/local.conf']) names[rel] = readFileSync(join(fixturePath(F11, 'names'), rel), 'utf8');
    const snap = { ...(JSON.parse(readFileSync(fixturePath(F11, 'before.json'), 'utf8')) as Record<string, unknown>), names };
    writeFileSync(join(tmp, 'host.json'), JSON.stringify(snap));
    copyFileSync(fixturePath(F11, 'trace.rtmon'), join(tmp, 'trace.rtmon'));
    const viaSnapshot = kfibReplay(['--initial', join(tmp, 'host.json'), '--show', 'json', join(tmp, 'trace.rtmon')]);
    assert.equal(viaSnapshot.status, 0, viaSnapshot.stderr);
    assert.equal(viaSnapshot.stdout, r.stdout);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a before.json naming a table no name file defines is refused, naming the entry, the name and the files (exit 2)', { skip: !has11 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    const before = JSON.parse(readFileSync(fixturePath(F11, 'before.json'), 'utf8')) as { rule: Record<string, unknown>[] };
    before.rule.splice(1, 0, { priority: 100, src: 'all', table: 'isp9' });
    writeFileSync(join(tmp, 'before.json'), JSON.stringify(before));
    const r = kfibReplay(['--names', fixturePath(F11, 'names'), '--initial', join(tmp, 'before.json'), fixturePath(F11, 'trace.rtmon')]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    // FILE:LINE:COLUMN where the element starts, and its JSON path.
    const m = /before\.json:(\d+):(\d+): rule pref 100 \(\$\.rule\[1\], the 2\. IPv4 rule of the dump\): unknown table "isp9": not a number, and not in iproute2's built-in table names \(main, local, default, unspec\) and [^\n]*names\/rt_tables, [^\n]*names\/rt_tables\.d\/vpn\.conf\n/.exec(r.stderr);
    assert.ok(m !== null, r.stderr);
    const row = readFileSync(join(tmp, 'before.json'), 'utf8').split('\n')[Number(m[1]) - 1] as string;
    assert.ok(row.slice(Number(m[2]) - 1).startsWith('{"priority":100,"src":"all","table":"isp9"}'));
    // Without the host's name files (an empty --names folder), isp1 in the ip monitor text is unknown: never table main.
    const bare = kfibReplay(['--names', tmp, '--initial', fixturePath(F11, 'before.json'), fixturePath(F11, 'monitor.txt')]);
    assert.equal(bare.status, 2, bare.stderr);
    assert.match(bare.stderr, /monitor\.txt: line 1: Cannot parse route: unknown table "isp1": not a number/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a bad line in a name file is an error naming the file and the line (exit 2)', { skip: !has11 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-replay-'));
  try {
    writeFileSync(join(tmp, 'rt_tables'), '255\tlocal\n101 isp1\nisp2 102\n');
    const r = kfibReplay(['--names', tmp, '--initial', fixturePath(F11, 'before.json'), fixturePath(F11, 'trace.rtmon')]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^kfib replay: [^\n]*rt_tables: line 3: expected "NUMBER NAME", got "isp2 102"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('bytes that are neither rtmon, text nor an event log are refused with the bytes seen, never read as ip monitor text (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-bin-'));
  try {
    const bytes = Uint8Array.from([0x1d, 0x0a, 0x20, 0x32, 0x00, 0xc5, 0x39, 0xb6, 0x09, 0x86, 0xce, 0x0b, 0x98, 0xce, 0x8f, 0x04, 0xff, 0xfe]);
    writeFileSync(join(dir, 'x.bin'), bytes);
    const r = kfibReplay([join(dir, 'x.bin')]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `kfib replay: ${join(dir, 'x.bin')}: not a trace kfib reads (first bytes: 1d 0a 20 32 00 c5 39 b6 09 86 ce 0b 98 ce 8f 04); expected an rtmon file (rtmon file F), \`ip monitor\` text, or a kfib event log\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty trace says so on stdout', { skip: !has01 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-empty-'));
  try {
    writeFileSync(join(dir, 'empty.rtmon'), '');
    const r = kfibReplay(['--initial', fixturePath(F01, 'before.json'), join(dir, 'empty.rtmon')]);
    assert.ok(r.stdout.startsWith(`# replay: the trace ${join(dir, 'empty.rtmon')} is empty (0 bytes): nothing happened in it; the state shown is the initial state\n`), r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A group that lost a member to `ip nexthop del` (remove_nh_grp_entry()): the routes on it
// change their nexthops without a notification. --explain says which nexthops they had and
// have, as the capture's own notes.md (written from the kernel's notifications before and
// after) lists them: every such route of notes.md, with the same gateways in the same order.
const F34 = '34-frr-nexthop-lifecycle';
test('--explain names the nexthops a shrunk group\'s routes had and have, as the kernel\'s notifications show them', { skip: !allFixtureNames().includes(F34) }, () => {
  const r = kfibReplay(['--explain', join(fixturePath(F34, 'trace.rtmon'), '..')]);
  assert.equal(r.status, 0, r.stderr);
  const gws = (s: string): string => [...s.matchAll(/\((\d+\.\d+\.\d+\.\d+) \d+ \d+\)/g)].map((m) => m[1]).join(',');
  const want = new Set<string>();
  for (const l of readFileSync(fixturePath(F34, 'notes.md'), 'utf8').split('\n')) {
    const m = /^- route flags\/nexthops changed silently: `(\S+) .*`: last notified \[[^\]]*\] expanded nexthops (.*), now \[[^\]]*\] expanded nexthops (.*)$/.exec(l);
    if (m !== null && gws(m[2] as string) !== gws(m[3] as string)) want.add(`${m[1]} ${gws(m[2] as string)} -> ${gws(m[3] as string)}`);
  }
  const got = new Set<string>();
  for (const l of r.stdout.split('\n')) {
    const m = /^\s+route changed\s+(\S+) .*\s{3}nexthops (.*) -> (.*); flags /.exec(l);
    const via = (s: string): string => [...s.matchAll(/via (\S+)/g)].map((x) => x[1]).join(',');
    if (m !== null) got.add(`${m[1]} ${via(m[2] as string)} -> ${via(m[3] as string)}`);
  }
  assert.ok(want.size >= 3, `notes.md lists ${want.size} such routes`);
  assert.deepEqual([...got].sort(), [...want].sort());
});
