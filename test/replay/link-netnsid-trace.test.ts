// test/fixtures/traces/41-docker-netns: containers' ends of veth pairs moved into their own
// network namespaces (`ip link set c1-eth0 netns PID`), the host ends on docker0. The kernel
// reports a host end with IFLA_LINK (the peer's ifindex in the other namespace) and
// IFLA_LINK_NETNSID, and iproute2 prints it `veth1a2b@if7` with ` link-netnsid 1` after the
// link-layer address (`ip -4 address`: at the end of the first line), in JSON "link_index"
// and "link_netnsid" (print_linkinfo()). The replay of before this change printed the peer
// as `"link": "if7"`, without the nsid, and said the replay was exact.
// Each form, at each checkpoint and after.json: `ip -j link show` whole and `ip -j address
// show` (IPv4 addresses) whole, and the text of `ip link show` for the host ends.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayFixture, type Form } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { ipJsonDump, showText } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';

const NAME = '41-docker-netns';

type Obj = Record<string, unknown>;
const canon = (xs: readonly unknown[]): string[] => xs.map((v) => canonicalJson(v));
const v4addrs = (xs: readonly unknown[]): Obj[] =>
  xs.map((x) => ({ ...(x as Obj), addr_info: ((x as Obj)['addr_info'] as Obj[]).filter((a) => a['family'] === 'inet') }));

for (const form of ['rtmon', 'monitor'] as const satisfies readonly Form[]) {
  test(`${NAME} (${form}): ip -j link and ip -j address equal every snapshot, a peer in another namespace by link_index and link_netnsid`, () => {
    const fr = replayFixture(NAME, form);
    assert.equal(fr.snapshots.length, 5);
    let seen = 0;
    for (const snap of fr.snapshots) {
      const v = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names }, fr.result.steps, { kind: 'time', time: snap.time });
      const got = ipJsonDump(v);
      const want = snap.raw as Record<string, unknown[]>;
      assert.deepEqual(canon(got.link), canon(want['link'] ?? []), `${snap.label}: ip -j link show`);
      assert.deepEqual(canon(v4addrs(got.addr)), canon(v4addrs(want['addr'] ?? [])), `${snap.label}: ip -j address show (IPv4)`);
      const text = showText(v, 'link');
      for (const l of (want['link'] ?? []) as Obj[]) {
        if (l['link_netnsid'] === undefined) continue;
        seen++;
        const head = `${String(l['ifindex'])}: ${String(l['ifname'])}@if${String(l['link_index'])}: `;
        const line = text.split('\n').findIndex((x) => x.startsWith(head));
        assert.ok(line >= 0, `${snap.label}: ${head}`);
        assert.equal(text.split('\n')[line + 1], `    link/ether ${String(l['address'])} brd ${String(l['broadcast'])} link-netnsid ${String(l['link_netnsid'])}`);
      }
    }
    assert.ok(seen >= 6);
  });
}
