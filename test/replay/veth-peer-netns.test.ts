// A veth end crossing namespaces while the other end's state does not change: no record of
// the staying end says where its peer now is, yet `ip link` prints it (`vh1@if6 …
// link-netnsid 0` while the peer is elsewhere, `vh1@vc1` with M-DOWN once it is back).
// 57-veth-peer-netns: the peer leaves while down (RTM_DELLINK with IFLA_NEW_NETNSID and
// IFLA_NEW_IFINDEX, a new ifindex there), comes back (a new ifindex here), comes up, leaves
// while up, comes up there. 55-lxc-netns-devices: a veth end with routes moved out and
// handed back. The replay used to keep the staying end's last record: `vh1@if4` with no
// netnsid after the move (exit 0), and `@if4` again once the peer was back, in both forms
// (a text line naming the peer, `vh1@vc1`, kept the index of the peer that had left).
// Here `ip -j link` of the replay equals each snapshot's links, whole, from trace.rtmon and
// from monitor.txt (the text replay names the new devices' txqlen and alias as unknown; the
// values print as the kernel's here).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayFixture, type Form } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';

for (const name of ['57-veth-peer-netns', '55-lxc-netns-devices']) {
  for (const form of ['rtmon', 'monitor'] as const satisfies readonly Form[]) {
    test(`${name} (${form}): ip -j link of the replay equals every snapshot's`, () => {
      const fr = replayFixture(name, form);
      const start = { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
      const problems: string[] = [];
      for (const s of fr.snapshots) {
        const got = ipJsonDump(stateAt(start, fr.result.steps, { kind: 'time', time: s.time })).link.map((l) => canonicalJson(l));
        const want = ((s.raw['link'] ?? []) as unknown[]).map((l) => canonicalJson(l));
        for (const w of want) if (!got.includes(w)) problems.push(`${s.label}: missing ${w}`);
        for (const g of got) if (!want.includes(g)) problems.push(`${s.label}: extra ${g}`);
      }
      assert.deepEqual(problems, []);
    });
  }
}
