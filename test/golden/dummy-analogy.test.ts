// Dummy devices (drivers/net/dummy.c) cannot be created in the namespaces of this machine
// (no dummy driver), so their FIB behaviour is compared with the kernel through an analogy
// the issue names: a dummy is a veth whose peer is up (carrier on from the start), and
// `ip link set DUMMY carrier off|on` is that peer going down|up (NETDEV_CHANGE through
// linkwatch either way). test/fixtures/dummy-analogy/veth.map says how each line of
// dummy.ip is run in the kernel; veth.expected is the kernel's transcript of the result.
// Every block of the model's transcript of dummy.ip must equal the kernel's block of the
// line it maps to, and the extra lines of the analogy must print nothing. What differs
// by design (the link lines: NOARP, no MULTICAST, state UNKNOWN) is not in the script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transcript } from '../../core/script/run-script.js';
import { ANALOGY_DIR as dir, vethScript } from './_dummy-analogy.js';

/** A transcript as blocks: each `$ CMD` line with what follows it. */
function blocks(t: string): { cmd: string; out: string }[] {
  const res: { cmd: string; out: string }[] = [];
  for (const line of t.split(/(?<=\n)/)) {
    if (line.startsWith('$ ')) res.push({ cmd: line.slice(2).replace(/\n$/, ''), out: '' });
    else {
      const last = res[res.length - 1];
      assert.ok(last !== undefined, `output before any command: ${line}`);
      last.out += line;
    }
  }
  return res;
}

test('a dummy device routes as a veth whose peer is up, carrier off/on as that peer down/up (kernel transcript of the analogy)', () => {
  const dummy = readFileSync(join(dir, 'dummy.ip'), 'utf8');
  const { script, origin } = vethScript(dummy);
  assert.equal(script, readFileSync(join(dir, 'veth.ip'), 'utf8'), 'veth.ip is what veth.map makes of dummy.ip (re-capture veth.expected if it changed)');
  const kernel = blocks(readFileSync(join(dir, 'veth.expected'), 'utf8'));
  const model = blocks(transcript(dummy));
  assert.equal(kernel.length, origin.length);
  const dummyLines = dummy.split('\n');
  let m = 0;
  kernel.forEach((k, j) => {
    const o = origin[j];
    if (o === null || o === undefined) {
      assert.equal(k.out, '', `the analogy's extra line "${k.cmd}" printed something in the kernel`);
      return;
    }
    const mine = model[m++];
    assert.ok(mine !== undefined);
    assert.equal(mine.cmd, dummyLines[o]);
    assert.equal(mine.out, k.out, `line ${o + 1}: ${mine.cmd} (kernel ran: ${k.cmd})`);
  });
  assert.equal(m, model.length);
});

// The link line of a dummy is the one thing the analogy cannot show (a veth prints
// MULTICAST and its own operstate). From drivers/net/dummy.c dummy_setup(): IFF_NOARP set,
// IFF_MULTICAST cleared, IFF_NO_QUEUE (qdisc noqueue once up); the driver never reports
// carrier, so operstate stays IF_OPER_UNKNOWN until linkwatch's rfc2863_policy() runs on a
// first carrier change, and is UP or DOWN from then on.
test('a dummy link prints BROADCAST,NOARP and state UNKNOWN until its carrier first changes', () => {
  const t = transcript(['ip link add dummy0 type dummy', 'ip link show dummy0', 'ip link set dummy0 up', 'ip -o link show dummy0', 'ip link set dummy0 carrier off', 'ip -o link show dummy0', 'ip link set dummy0 carrier on', 'ip -o link show dummy0', ''].join('\n'));
  const links = t.split('\n').filter((l) => /^\d+: dummy0/.test(l)).map((l) => l.replace(/\\.*$/, ''));
  assert.deepEqual(links, [
    '2: dummy0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
    '2: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
    '2: dummy0: <NO-CARRIER,BROADCAST,NOARP,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000',
    '2: dummy0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
  ]);
});
