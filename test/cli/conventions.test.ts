// The conventions every kfib command keeps (README "Conventions and exit statuses"), through
// the real `kfib` entry: --version, unknown commands and options, `help bogus`, `-` for
// stdin and stdout, output paths checked before the work, a closed pipe, --json, and no
// colour when the output is not a terminal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const REPO = resolve(here, '../../..');
const SEEDS = join(REPO, 'examples', 'seed-stories.ip');
const TRACE = join(REPO, 'examples', 'policy-flush-trace');
const dir = mkdtempSync(join(tmpdir(), 'kfib-conventions-'));
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

function kfib(args: readonly string[], input?: string): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('kfib --version prints the package version', () => {
  assert.deepEqual(kfib(['--version']), { code: 0, out: `kfib ${VERSION}\n`, err: '' });
});

test('an unknown command, an unknown option and help for an unknown command are exit 2 with a suggestion', () => {
  assert.deepEqual(kfib(['replya']), { code: 2, out: '', err: 'kfib: unknown command "replya"; did you mean "kfib replay"?\n(see "kfib --help")\n' });
  assert.deepEqual(kfib(['help', 'bogus']), { code: 2, out: '', err: 'kfib: unknown command "bogus"\n(see "kfib --help")\n' });
  assert.deepEqual(kfib(['replay', '--chek', 'x']), { code: 2, out: '', err: 'kfib replay: unknown option --chek; did you mean --check?\n(see "kfib replay --help")\n' });
  assert.deepEqual(kfib(['--verison']), { code: 2, out: '', err: 'kfib: unknown option --verison before the command; did you mean --version?\n(see "kfib --help")\n' });
});

test('kfib help COMMAND prints that command\'s help, exit 0', () => {
  const r = kfib(['help', 'replay']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: kfib replay \[OPTIONS\] DIR\|TRACE\|-\n/);
  assert.deepEqual(kfib(['replay', '--help']), r);
});

test('an output path in a missing folder, or a folder, is refused before the work starts', () => {
  assert.deepEqual(kfib(['run', '--log', join(dir, 'no', 'such', 'log.jsonl'), SEEDS]), { code: 2, out: '', err: `kfib run: --log ${join(dir, 'no', 'such', 'log.jsonl')}: the folder ${join(dir, 'no', 'such')} does not exist\n` });
  mkdirSync(join(dir, 'a-folder'));
  assert.deepEqual(kfib(['replay', '--out', join(dir, 'a-folder'), '-'], ''), { code: 2, out: '', err: `kfib replay: --out ${join(dir, 'a-folder')}: is a folder (expected a file name)\n` });
});

test('a write that fails while working names the path, exit 74 (not an internal error)', { skip: process.platform === 'linux' ? false : '/dev/full is Linux' }, () => {
  // --out refuses what is not a regular file (it writes through a temporary file renamed
  // into place); --html writes the path itself.
  assert.equal(kfib(['replay', '--initial', join(TRACE, 'before.json'), '--out', '/dev/full', join(TRACE, 'trace.rtmon')]).code, 2);
  const r = kfib(['replay', '--initial', join(TRACE, 'before.json'), '--html', '/dev/full', join(TRACE, 'trace.rtmon')]);
  assert.equal(r.code, 74);
  assert.match(r.err, /^kfib replay: --html: cannot write \/dev\/full: ENOSPC/);
  const o = spawnSync(process.execPath, [KFIB, 'run', SEEDS], { stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'], encoding: 'utf8' });
  assert.deepEqual({ code: o.status, err: o.stderr }, { code: 74, err: 'kfib: <stdout>: no space left on the device (ENOSPC)\n' });
  assert.equal(kfib(['run', '--log', '/dev/full', SEEDS]).code, 2);
});

test('- is standard input for a script and standard output for the event log', () => {
  const r = kfib(['run', '--log', '-', '-'], 'ip link add name v0 type veth peer name v1\nip link set dev v0 up\n');
  assert.equal(r.code, 0);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; event: { type: string } });
  assert.deepEqual(lines.map((l) => [l.seq, l.event.type]), [[1, 'link-add'], [2, 'link-set']]);
  assert.equal(r.err, '');
});

test('replay --out - writes the event log to stdout in place of the state', () => {
  const r = kfib(['replay', '--initial', join(TRACE, 'before.json'), '--out', '-', join(TRACE, 'trace.rtmon')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.ok(lines.length > 5 && lines.every((l) => (JSON.parse(l) as { seq: number }).seq > 0), r.out);
  assert.match(r.err, /events written to <stdout>\n$/);
});

test('a closed pipe ends kfib quietly: run | head -1 prints one line, nothing on stderr, exit 0', () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${KFIB}" run "${SEEDS}" | head -1`], { encoding: 'utf8' });
  assert.equal(r.stdout, '$ ip link add name vethtest1 up type veth peer name vethtest1peer\n');
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
});

// The reader gone before kfib writes (`| true`): every write meets a closed pipe. The exit
// status is still the command's verdict: 3 for a replay with named gaps (whose "# " lines
// nobody read), not an exit 0 that says "exact" under pipefail.
test('a closed pipe keeps the verdict: a replay with gaps into | true exits 3, nothing on stderr', () => {
  const dir = resolve(here, '../../../test/fixtures/traces/route-append-text');
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${KFIB}" replay --initial "${dir}/before.json" "${dir}/monitor.txt" 2>&1 | true`], { encoding: 'utf8' });
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
  assert.equal(r.status, 3);
});

test('run --json prints one JSON object per command, with its changes under --explain', () => {
  const r = kfib(['run', '--json', '--explain', '-'], 'ip link add name v0 up type veth peer name v1\nip addr add 10.9.0.1/24 dev v0\nip route get 10.9.0.7\n');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => [l['line'], l['command'], l['exit']]), [
    [1, 'ip link add name v0 up type veth peer name v1', 0],
    [2, 'ip addr add 10.9.0.1/24 dev v0', 0],
    [3, 'ip route get 10.9.0.7', 0],
  ]);
  assert.equal(lines[2]?.['stdout'], '10.9.0.7 dev v0 src 10.9.0.1 uid 0 \n    cache \n');
  assert.ok(Array.isArray(lines[1]?.['changes']) && (lines[1]?.['changes'] as string[]).some((c) => c.includes('address added')));
});

test('replay --explain --json and --check --json print JSON Lines and a summary object', () => {
  const args = ['replay', '--initial', join(TRACE, 'before.json'), join(TRACE, 'trace.rtmon')];
  const e = kfib([...args, '--explain', '--json']);
  assert.equal(e.code, 0, e.err);
  const el = e.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // The last object is the replay's completeness (core/replay/completeness.ts): exact here.
  assert.deepEqual(el.at(-1), { completeness: { exact: true, initial: true, refused: 0, gaps: [], outOfScope: [] } });
  assert.deepEqual(el.at(-2), { silentChanges: 3 });
  assert.deepEqual(
    el.slice(0, -2).map((x) => x['change']),
    [
      'route removed    198.51.100.0/24 dev wan1 proto kernel scope link src 198.51.100.10',
      'route removed    broadcast 198.51.100.255 dev wan1 table local proto kernel scope link src 198.51.100.10',
      'route removed    default via 198.51.100.1 dev wan1 table 100',
    ],
  );
  const c = kfib([...args, '--check', '--json']);
  assert.equal(c.code, 0, c.err);
  assert.equal(c.out, '{"check":{"missing":0,"unexpected":0,"different":0}}\n{"completeness":{"exact":true,"initial":true,"refused":0,"gaps":[],"outOfScope":[]}}\n');
});

test('no colour when stdout is not a terminal; a bad --json use is a usage error', () => {
  const r = kfib(['run', '--explain', SEEDS]);
  assert.equal(r.code, 0);
  assert.ok(!r.out.includes('\x1b['), 'no escape sequences in piped output');
  assert.equal(kfib(['replay', '--json', '-'], '').code, 2);
});

test('a missing device gets a hint once per device, on stderr; the transcript stays the kernel\'s', () => {
  writeFileSync(join(dir, 'first.ip'), 'ip addr add 10.0.0.1/24 dev ens33\nip link set dev ens33 up\n');
  const r = kfib(['run', join(dir, 'first.ip')]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '$ ip addr add 10.0.0.1/24 dev ens33\nCannot find device "ens33"\n[exit 1]\n$ ip link set dev ens33 up\nCannot find device "ens33"\n[exit 1]\n');
  assert.equal(r.err.split('\n').filter((l) => l.includes('hint:')).length, 1);
  assert.match(r.err, /hint: device "ens33" does not exist .*declare it first: ip link add name ens33 type veth peer name ens33-p, or start from your host's state with --initial/);
});
