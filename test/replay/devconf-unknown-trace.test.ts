// test/fixtures/traces/devconf-unknown (kfib capture, Linux 6.18): a hardened host, set up
// before the capture started (so neither before.json nor the trace carries the writes):
// conf.all.send_redirects=0 and eth0's, all.promote_secondaries=1, eth1.arp_ignore=2,
// forwarding on. Recorded: eth0 and eth1 change MTU (an RTM_NEWLINK each, with
// IFLA_INET_CONF), two `ip route get … iif`, then the primary of eth0 is deleted (its
// secondary promoted). The kernel printed no <redirect> back out of eth0; the model of
// before this change printed `cache <redirect>` with exit 0 (it took all.send_redirects
// as the default 1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayFixture } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { deviceByName } from '../../core/snapshot/snapshot.js';
import { DEVCONF_DEFAULTS } from '../../core/uapi/ip-devconf.js';
import { UNANNOUNCED_LOOKUP_KEYS } from '../../core/replay/record-link-events.js';

const NAME = 'devconf-unknown';

/** The replayed state at the time of the fixture's after.json. */
function end(fr: ReturnType<typeof replayFixture>) {
  const last = fr.snapshots[fr.snapshots.length - 1];
  assert.ok(last !== undefined);
  return stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names }, fr.result.steps, { kind: 'time', time: last.time }).snapshot;
}

const NETCONF_KEYS = ['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_arp', 'ignore_routes_with_linkdown'];
const OTHERS = Object.keys(DEVCONF_DEFAULTS).filter((k) => !NETCONF_KEYS.includes(k)).sort();
/** The keys a lookup reads that no notification announces: never learnt from IFLA_INET_CONF (a later write is silent). */
const UNANNOUNCED = [...UNANNOUNCED_LOOKUP_KEYS].sort();

test('devconf-unknown: before.json gives only netconf keys; the rtmon link dump gives every key of each device but the unannounced lookup keys', () => {
  const text = replayFixture(NAME, 'monitor');
  assert.deepEqual(text.init.differences, []);
  const s = text.init.snapshot;
  assert.deepEqual([...s.confAll.unknown].sort(), OTHERS);
  assert.deepEqual([...s.confDefault.unknown].sort(), OTHERS);
  assert.deepEqual([...(deviceByName(s, 'eth0')?.conf.unknown ?? [])].sort(), OTHERS);
  assert.equal(s.confAll.values.forwarding, 1);
  const bin = replayFixture(NAME, 'rtmon').init.snapshot;
  assert.deepEqual([...(deviceByName(bin, 'eth0')?.conf.unknown ?? [])].sort(), UNANNOUNCED);
  assert.deepEqual([...bin.confAll.unknown].sort(), OTHERS);
});

test('devconf-unknown (rtmon): IFLA_INET_CONF teaches every key of the devices it describes but the unannounced lookup keys; all stays unknown', () => {
  const fr = replayFixture(NAME, 'rtmon');
  const s = end(fr);
  const eth0 = deviceByName(s, 'eth0');
  const eth1 = deviceByName(s, 'eth1');
  assert.ok(eth0 !== undefined && eth1 !== undefined);
  assert.deepEqual([...eth0.conf.unknown].sort(), UNANNOUNCED);
  assert.deepEqual([...eth1.conf.unknown].sort(), UNANNOUNCED);
  // Keys of the uapi enum beyond the eleven read before: arp_ignore (19); send_redirects
  // (eth0's 0, eth1's 1 in the trace) is not taken: a write after the record would be silent.
  assert.equal(eth1.conf.values.arp_ignore, 2);
  assert.equal(eth0.conf.unknown.has('send_redirects'), true);
  assert.equal(s.confAll.unknown.has('send_redirects'), true);
});

test('devconf-unknown (rtmon): a route get whose answer rests on all.send_redirects is a named gap; the other is the kernel\'s', () => {
  const fr = replayFixture(NAME, 'rtmon');
  const cp = fr.snapshots[0];
  assert.ok(cp !== undefined && cp.label.endsWith('01-mtu.json'));
  const v = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names }, fr.result.steps, { kind: 'time', time: cp.time });
  const [q0, q1] = cp.parsed.route_get ?? [];
  assert.ok(q0 !== undefined && q1 !== undefined);
  const back = runCommand(v.snapshot, ['ip', '-j', ...q0.query.split(/\s+/).slice(1)], v.names);
  assert.equal(back.output.notModelled, 'an answer that depends on values the model does not know: net.ipv4.conf.all.send_redirects (not in the imported state), net.ipv4.conf.eth0.send_redirects (not in the imported state)');
  const other = runCommand(v.snapshot, ['ip', '-j', ...q1.query.split(/\s+/).slice(1)], v.names);
  assert.equal(other.output.notModelled, undefined);
  assert.deepEqual(JSON.parse(other.output.stdout), q1.result);
});

test('devconf-unknown: the promotion the trace shows is followed although promote_secondaries is unknown', () => {
  for (const form of ['rtmon', 'monitor'] as const) {
    const fr = replayFixture(NAME, form);
    const eth0 = deviceByName(end(fr), 'eth0');
    assert.deepEqual(
      eth0?.addrs.map((a) => [a.local, a.secondary]),
      [[0x0a010002, false]],
      form,
    );
    assert.ok(fr.result.steps.some((st) => st.notes.some((n) => n === 'promote_secondaries not known: the records that follow show the secondaries promoted')), form);
  }
});
