// Devconf values an imported state does not give (DevConf.unknown, maybeSet): how they are
// inherited and learnt, and the named gaps of the answers that depend on them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript, transcriptEntry, type ScriptLine } from '../../core/script/run-script.js';
import { deviceByName, initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { inDevMaxconf, inDevOrconf, initialDevconf, devconfWrite, unknownDevconf } from '../../core/snapshot/devconf.js';
import { explore } from '../../core/route/devconf-assume.js';

const KERNEL = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/kernel');

function run(script: string, start: FibSnapshot = initialSnapshot()): { s: FibSnapshot; lines: ScriptLine[] } {
  let s = start;
  const lines: ScriptLine[] = [];
  for (const l of runScript(script, start)) {
    s = l.snapshot;
    lines.push(l);
  }
  return { s, lines };
}

/** A state as an import leaves it: every devconf value of all, default and the devices unknown. */
function unknownAfter(setup: string): FibSnapshot {
  return reduceFib(run(setup).s, { type: 'devconf-unknown' }).snapshot;
}

const dev = (s: FibSnapshot, n: string) => {
  const d = deviceByName(s, n);
  assert.ok(d !== undefined, n);
  return d.conf;
};

test('IN_DEV_ORCONF and IN_DEV_MAXCONF: a known side decides when it can, else unknown', () => {
  const known0 = initialDevconf();
  const unk = unknownDevconf(known0);
  const on = devconfWrite(known0, 'accept_local', 1, false);
  assert.equal(inDevOrconf(unk, on, 'accept_local'), true);
  assert.equal(inDevOrconf(on, unk, 'accept_local'), true);
  assert.equal(inDevOrconf(unk, known0, 'accept_local'), null);
  assert.equal(inDevOrconf(known0, known0, 'accept_local'), false);
  const loose = devconfWrite(known0, 'rp_filter', 2, false);
  const strict = devconfWrite(known0, 'rp_filter', 1, false);
  assert.equal(inDevMaxconf(unk, loose, 'rp_filter'), 2, 'loose is the largest rp_filter');
  assert.equal(inDevMaxconf(unk, strict, 'rp_filter'), null);
  assert.equal(inDevMaxconf(strict, known0, 'rp_filter'), 1);
  // A write makes it known and marks it set (ipv4_devconf_set) unless asked not to.
  const w = devconfWrite(unk, 'accept_local', 0, true);
  assert.equal(w.unknown.has('accept_local'), false);
  assert.equal(w.set.has('accept_local'), true);
  assert.equal(w.maybeSet.has('accept_local'), false);
});

test('a device made after an import copies default, unknowns and unknown set bits included (inetdev_init)', () => {
  const s0 = unknownAfter('');
  const { s } = run('ip link add name n0 type veth peer name n1', s0);
  assert.equal(dev(s, 'n0').unknown.size, 31);
  assert.equal(dev(s, 'n0').maybeSet.size, 31);
  // A value written to default first is known on the new device.
  const { s: s2 } = run('sysctl -qw net.ipv4.conf.default.accept_local=1\nip link add name n0 type veth peer name n1', s0);
  assert.equal(dev(s2, 'n0').unknown.has('accept_local'), false);
  assert.equal(dev(s2, 'n0').values.accept_local, 1);
});

test('a write to default after an import: known where the device set bit is known, unknown where it may be set', () => {
  const s0 = unknownAfter('ip link add name a type veth peer name ap\nip link add name b type veth peer name bp\nip addr add 192.0.2.1/24 dev b');
  // b had an address: ipv4_devconf_setall() marked every key, so default never reaches it.
  assert.equal(dev(s0, 'b').maybeSet.size, 0);
  const { s } = run('sysctl -qw net.ipv4.conf.default.accept_local=1\nip link add name c type veth peer name cp\nsysctl -qw net.ipv4.conf.default.src_valid_mark=1', s0);
  assert.equal(dev(s, 'a').unknown.has('accept_local'), true, 'a: its set bit may be up (devinet_copy_dflt_conf skips it then)');
  assert.equal(dev(s, 'b').unknown.has('accept_local'), true, 'b: set, default does not reach it, its own value stays unknown');
  // c was made after default's accept_local write, so copied it with default's set bit: known.
  assert.equal(dev(s, 'c').values.accept_local, 1);
  assert.equal(dev(s, 'c').unknown.has('accept_local'), false);
  // src_valid_mark: c's copy of default's unknown set bit leaves it unknown too.
  assert.equal(dev(s, 'c').unknown.has('src_valid_mark'), true);
  // A device written directly is known, and then default no longer reaches it.
  const { s: s3 } = run('sysctl -qw net.ipv4.conf.a.send_redirects=0\nsysctl -qw net.ipv4.conf.default.send_redirects=1', s0);
  assert.equal(dev(s3, 'a').values.send_redirects, 0);
  assert.equal(dev(s3, 'a').unknown.has('send_redirects'), false);
});

test('conf/all.forwarding written from an unknown old value: what inet_forward_change() would copy is known only where it equals', () => {
  const s0 = unknownAfter('ip link add name a type veth peer name ap');
  const { s } = run('sysctl -qw net.ipv4.conf.ap.forwarding=1\nsysctl -qw net.ipv4.conf.all.forwarding=1', s0);
  assert.equal(s.confAll.values.forwarding, 1);
  assert.equal(s.confAll.unknown.has('forwarding'), false);
  // The write changed all's value or not: devices copy it only if it changed.
  assert.equal(dev(s, 'a').unknown.has('forwarding'), true);
  assert.equal(dev(s, 'ap').unknown.has('forwarding'), false, 'already 1: 1 either way');
  assert.equal(s.confDefault.unknown.has('forwarding'), true);
  // From a known value, the kernel's inet_forward_change(): every device and default follow.
  const { s: s2 } = run('sysctl -qw net.ipv4.conf.all.forwarding=0', s);
  assert.equal(dev(s2, 'a').values.forwarding, 0);
  assert.equal(dev(s2, 'a').unknown.has('forwarding'), false);
  assert.equal(s2.confDefault.unknown.has('forwarding'), false);
});

test('explore(): the answer when every combination of the unknowns agrees, else the values it depends on', () => {
  const x = explore((a) => (a.ask('p', ['P'], [0, 1]) !== 0 ? 'same' : 'same'), (p, q) => p === q);
  assert.deepEqual(x, { value: 'same' });
  const y = explore((a) => (a.ask('p', ['P'], [0, 1]) !== 0 || a.ask('q', ['Q'], [0, 1]) !== 0 ? 'on' : 'off'), (p, q) => p === q);
  assert.ok('gap' in y);
  assert.match(y.gap, /: P, Q$/);
  // Q is read only where P is 0, and decides nothing there: only P is named.
  const z = explore((a) => (a.ask('p', ['P'], [0, 1]) !== 0 ? 'on' : a.ask('q', ['Q'], [0, 1]) !== 0 ? 'off' : 'off'), (p, q) => p === q);
  assert.ok('gap' in z);
  assert.match(z.gap, /: P$/);
});

const SITES = readFileSync(resolve(KERNEL, 'devconf-unknown-sites.ip'), 'utf8');
const MARK = '# --- devconf unknown from here\n';

test('devconf-unknown-sites: from an unknown devconf, each value written first, the transcript is the kernel\'s', () => {
  const [setup, rest] = SITES.split(MARK) as [string, string];
  const a = run(setup);
  const s0 = reduceFib(a.s, { type: 'devconf-unknown' }).snapshot;
  const b = run(rest, s0);
  assert.deepEqual(b.lines.filter((l) => l.problem !== undefined).map((l) => `${l.command}: ${l.problem}`), []);
  const got = [...a.lines, ...b.lines].map(transcriptEntry).join('');
  assert.equal(got, readFileSync(resolve(KERNEL, 'devconf-unknown-sites.expected'), 'utf8'));
});

test('devconf-unknown-sites without the writes: every answer that depends on an unknown value is a named gap, and only those', () => {
  const [setup, rest] = SITES.split(MARK) as [string, string];
  const s0 = reduceFib(run(setup).s, { type: 'devconf-unknown' }).snapshot;
  const b = run(rest.split('\n').filter((l) => !l.startsWith('sysctl -w')).join('\n'), s0);
  const gaps = b.lines.filter((l) => l.problem !== undefined).map((l) => l.command);
  assert.deepEqual(gaps, [
    // rp_filter, send_redirects (back out of a0) and accept_local decide.
    'ip route get 10.9.0.5 from 10.1.0.7 iif a0',
    'ip route get 10.9.0.5 from 10.1.0.7 iif a0',
    'ip route get 10.9.0.5 from 10.3.0.7 iif a0',
    // accept_local: a source that is one of our addresses.
    'ip route get 10.1.0.1 from 10.1.0.2 iif a0',
    'ip route get 10.1.0.1 from 10.1.0.2 iif a0',
    // rp_filter: the source's route is through b0.
    'ip route get 10.1.0.1 from 10.2.0.7 iif a0',
    // (10.1.0.7 on a0's own subnet passes every rp_filter and accept_local: answered.)
    // route_localnet on input and output.
    'ip route get 127.0.0.5 from 10.1.0.7 iif a0',
    'ip route get 127.0.0.5 from 10.1.0.7 iif a0',
    'ip route get 10.9.0.5 from 127.0.0.1',
    'ip route get 10.8.0.5 from 127.0.0.1',
    // sysctl reads.
    'sysctl -n net.ipv4.conf.all.send_redirects',
    'sysctl net.ipv4.conf.a0.accept_local net.ipv4.conf.all.forwarding',
    // promote_secondaries: 10.1.0.2 promoted or deleted with 10.1.0.1.
    'ip addr del 10.1.0.1/24 dev a0',
  ]);
  // The answered one is the kernel's answer.
  const mark = b.lines.find((l) => l.command === 'ip route get 10.1.0.1 from 10.1.0.7 iif a0 mark 5');
  assert.equal(mark?.stdout, 'local 10.1.0.1 from 10.1.0.7 dev lo mark 5 \n    cache <local> iif a0 \n');
  // Each gap names what it depends on.
  const names = b.lines.filter((l) => l.problem !== undefined).map((l) => l.problem ?? '');
  assert.match(names[3] ?? '', /net\.ipv4\.conf\.a0\.accept_local \(not in the imported state\), net\.ipv4\.conf\.all\.accept_local/);
  assert.match(names[5] ?? '', /rp_filter/);
  assert.doesNotMatch(names[5] ?? '', /accept_local|send_redirects/);
  assert.match(names[12] ?? '', /promote_secondaries/);
});

test('ip -4 netconf shows what an import gave and names a key it did not', () => {
  const s0 = unknownAfter('ip link add name a type veth peer name ap');
  const r = run('ip -4 netconf show dev a', s0);
  assert.match(r.lines[0]?.problem ?? '', /net\.ipv4\.conf\.a\.forwarding/);
  let s = s0;
  for (const key of ['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_arp', 'ignore_routes_with_linkdown'] as const) {
    s = reduceFib(s, { type: 'sysctl', target: { kind: 'dev', ifindex: deviceByName(s, 'a')?.ifindex ?? 0 }, key, value: 0, observed: true }).snapshot;
  }
  const r2 = run('ip -4 netconf show dev a', s);
  assert.equal(r2.lines[0]?.problem, undefined);
  assert.equal(r2.lines[0]?.stdout, 'inet a forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off \n');
});
