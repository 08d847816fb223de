// `kfib run --kernel` and `kfib verify --kernel --path` on a script with lines outside the
// model: those lines are withheld from the kernel and are gaps, named on stdout ("# run:")
// and in the exit status (3), as without --kernel; before, the run exited 2 (bad input) and
// named them on stderr only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelAvailable } from '../../props/differential/kernel-runner.js';

const avail = kernelAvailable();
const skip = avail.ok ? false : `kernel not available: ${avail.ok ? '' : avail.why}`;
const KFIB = resolve(dirname(fileURLToPath(import.meta.url)), '../../cli/kfib.js');
const dir = mkdtempSync(join(tmpdir(), 'kfib-kernel-gaps-'));

function kfib(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [KFIB, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SCRIPT = 'ip link add v0 type veth peer name v1\nip route add 2001:db8:2::/64 dev v0\nip -6 route show\nip route show\n';

test('run --kernel: lines outside the model are gaps (stdout and exit 3), the rest compared', { skip }, () => {
  const f = join(dir, 'v6.ip');
  writeFileSync(f, SCRIPT);
  const model = kfib(['run', f]);
  const k = kfib(['run', '--kernel', f]);
  assert.equal(model.code, 3, model.err);
  assert.equal(k.code, 3, k.err);
  // The same stdout as without --kernel: the transcript, then the gaps.
  assert.equal(k.out, model.out);
  assert.equal(
    k.out.slice(k.out.indexOf('# run:')),
    '# run: 2 gaps (IPv4 FIB content the model did not represent):\n#   1 × not modelled: IPv6 routes and IPv6 gateways (first line 2)\n#   1 × not modelled: ip -6 / non-IPv4 families (first line 3)\n',
  );
  assert.match(k.err, /v6\.ip:2: not run in the kernel: not modelled: IPv6 routes/);
  assert.match(k.err, /model and kernel agree \(2 commands; 2 withheld from the kernel\)/);
});

test('verify --kernel --path: the same script agrees on what both ran, exit 3', { skip }, () => {
  const f = join(dir, 'v6v.ip');
  writeFileSync(f, SCRIPT);
  const r = kfib(['verify', '--kernel', '--path', f]);
  assert.equal(r.code, 3, r.err);
  assert.equal(r.out, `kfib verify: ${f}: model and kernel agree on the 2 lines both ran; 2 withheld (named on stderr)\n`);
});

test('run --kernel: a line the model runs and the kernel guard withholds is still exit 2', { skip }, () => {
  const f = join(dir, 'guard.ip');
  writeFileSync(f, 'ip link add v0 type veth peer name v1\nip -force route show\nip route show\n');
  const r = kfib(['run', '--kernel', f]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /guard\.ip:2: not run in the kernel: ip option -force/);
});
