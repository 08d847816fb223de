// kfib capture's output folder (issue 15 item 2): a new folder it creates, or an empty one
// owned by this user and writable by no one else; -f removes only the files an earlier
// capture listed in its manifest, and nothing when the folder holds anything else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const root = process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
const has = (t: string): boolean => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0;
const skip = !root ? 'needs root on Linux' : !has('rtmon') || !has('unshare') ? 'needs rtmon and unshare' : false;
const base = mkdtempSync(join(tmpdir(), 'kfib-capdir-'));
chmodSync(base, 0o755);

function capture(out: string, extra: string[] = []): { code: number | null; err: string } {
  const script = join(base, 'script.sh');
  writeFileSync(script, 'ip link add name v0 type veth peer name v1\n');
  const r = spawnSync(process.execPath, [KFIB, 'capture', '--settle', '0', ...extra, '-o', out, '--', script], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr };
}

test('a folder owned by another user, or writable by others, is refused and left alone', { skip }, () => {
  const other = join(base, 'other');
  mkdirSync(other);
  chownSync(other, 1234, 1234);
  const r = capture(other);
  assert.equal(r.code, 2);
  assert.match(r.err, /owned by uid 1234/);
  assert.deepEqual(readdirSync(other), []);
  const open = join(base, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  const o = capture(open);
  assert.equal(o.code, 2);
  assert.match(o.err, /writable by others/);
});

test('-f replaces an earlier capture (only the files of its manifest), and refuses a folder with anything else', { skip }, () => {
  const out = join(base, 'cap');
  const first = capture(out);
  assert.equal(first.code, 0, first.err);
  const manifest = readFileSync(join(out, '.kfib-capture-manifest'), 'utf8').split('\n').filter((l) => l !== '');
  assert.ok(manifest.includes('meta.json') && manifest.includes('after.json'), manifest.join());
  const again = capture(out);
  assert.equal(again.code, 2);
  assert.match(again.err, /not empty/);
  writeFileSync(join(out, 'mine.txt'), 'keep');
  const planted = capture(out, ['-f']);
  assert.equal(planted.code, 2);
  assert.match(planted.err, /did not write \(mine\.txt\)/);
  assert.equal(readFileSync(join(out, 'mine.txt'), 'utf8'), 'keep');
  assert.ok(existsSync(join(out, 'meta.json')), 'nothing removed');
  const noManifest = join(base, 'plain');
  mkdirSync(noManifest);
  writeFileSync(join(noManifest, 'meta.json'), '{}');
  const nm = capture(noManifest, ['-f']);
  assert.equal(nm.code, 2);
  assert.match(nm.err, /not an earlier capture/);
  assert.ok(existsSync(join(noManifest, 'meta.json')));
  const clean = join(base, 'cap2');
  assert.equal(capture(clean).code, 0);
  const replaced = capture(clean, ['-f']);
  assert.equal(replaced.code, 0, replaced.err);
});
