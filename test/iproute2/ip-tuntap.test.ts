// ip tuntap (core/iproute2/ip-tuntap.ts) beyond the kernel fixture test/fixtures/kernel/tuntap.ip:
// what is named instead of guessed, and the event a device is made with (an event log of a
// script with `ip tuntap` replays to the same devices).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { parseFibEvent } from '../../core/events/parse-event.js';

const problems = (script: string): (string | undefined)[] => [...runScript(script)].map((l) => l.problem);

test('ip tuntap show, multi_queue, user by name and an up device\'s qdisc are named, never guessed', () => {
  assert.deepEqual(problems('ip tuntap show\nip tuntap add t0 mode tun multi_queue\nip tuntap add t1 mode tap user nobody\n'), [
    'not modelled: ip tuntap show (it reads /sys/class/net/*/tun_flags)',
    'not modelled: ip tuntap multi_queue (256 queues: the qdisc its first open attaches is mq)',
    'not modelled: ip tuntap user by name (getpwnam()/getgrnam() of this host)',
  ]);
  const up = [...runScript('ip tuntap add t0 mode tun\nip link set t0 up\nip link show t0\nip -br link show t0\n')];
  assert.equal(up[2]!.problem, "not modelled: the qdisc of t0 (a tun device brought up from noop gets the host's net.core.default_qdisc)");
  assert.equal(up[3]!.stdout, 't0               DOWN           <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> \n');
});

test('the link-add event of ip tuntap add carries the mode and survives the event log (JSON Lines)', () => {
  const lines = [...runScript('ip tuntap add t0 mode tun\nip tuntap add mode tap\n')];
  const events = lines.flatMap((l) => l.steps.map((s) => s.event));
  assert.deepEqual(events.map((e) => (e.type === 'link-add' ? [e.link.name, e.link.tun, e.link.driver] : e.type)), [['t0', 'tun', 'tun'], ['tap%d', 'tap', 'tun']]);
  for (const e of events) assert.deepEqual(parseFibEvent(JSON.parse(JSON.stringify(e)) as unknown), e);
  const devs = [...lines[1]!.snapshot.devices.values()].filter((d) => d.tun !== undefined).map((d) => [d.name, d.tun, d.carrier, d.qdisc]);
  assert.deepEqual(devs, [['t0', 'tun', false, 'noop'], ['tap0', 'tap', false, 'noop']]);
});
