// ip link add|set … type bridge OPTIONS (core/iproute2/iplink-bridge.ts) beyond the kernel
// fixture test/fixtures/kernel/bridge-options.ip: what is named instead of guessed, and the
// data the events carry (an event log of the script replays the same refusals).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { parseFibEvent } from '../../core/events/parse-event.js';

const problems = (script: string): (string | undefined)[] => [...runScript(script)].map((l) => l.problem);

test('STP on, the vlan options and the rarer bridge options are named, never guessed', () => {
  assert.deepEqual(problems('ip link add br0 type bridge stp_state 1\nip link add br1 type bridge vlan_filtering 1\nip link add br2 type bridge\nip link set br2 type bridge vlan_default_pvid 0\nip link set br2 type bridge mcast_querier 1\nip link set br2 type veth peer name x\n'), [
    'not modelled: ip link type bridge stp_state (kernel STP: ports wait forward_delay in listening and learning before the bridge has carrier)',
    "not modelled: ip link type bridge vlan_filtering (the kernel's answer depends on CONFIG_BRIDGE_VLAN_FILTERING)",
    undefined,
    "not modelled: ip link type bridge vlan_default_pvid (the kernel's answer depends on CONFIG_BRIDGE_VLAN_FILTERING)",
    'not modelled: ip link type bridge mcast_querier',
    "not modelled: ip link set … type veth (type options other than a bridge's)",
  ]);
});

test('the checked bridge data rides on link-add and link-set events and survives the event log (JSON Lines)', () => {
  const lines = [...runScript('ip link add br0 type bridge hello_time 200 max_age 700 group_fwd_mask 8 forward_delay 0\nip link set br0 type bridge max_age 5000\nip link set br0 type bridge\n')];
  const events = lines.flatMap((l) => l.steps.map((s) => s.event));
  assert.deepEqual(events.map((e) => (e.type === 'link-add' ? e.link.bridge : e.type === 'link-set' ? e.bridge : e.type)), [
    { helloTime: 200, maxAge: 700, groupFwdMask: 8 },
    { maxAge: 5000 },
    // no options: no IFLA_INFO_DATA for the kernel to check
    undefined,
  ]);
  assert.equal(lines[1]!.stderr, 'RTNETLINK answers: Numerical result out of range\n');
  for (const e of events) assert.deepEqual(parseFibEvent(JSON.parse(JSON.stringify(e)) as unknown), e);
});
