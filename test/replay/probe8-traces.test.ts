// test/fixtures/traces/promote-flush-nexthop-group (kfib capture, Linux 6.18): a Docker-like
// host set up before the capture (eth0 with a noprefixroute DHCP-style address and its own
// prefix and default routes, docker0 with a port, an fwmark rule, eth0.promote_secondaries=1:
// a write neither before.json nor the trace carries). Recorded: a second container port,
// two secondaries added and the primary deleted (promoted), a default route replaced, a
// group of two nexthop objects under a route, a wg-quick-style rule, a port down and
// deleted, a group member deleted, carrier flaps, `ip address flush dev eth0` (the promoted
// primary, then the secondary promoted in its turn), docker0 down.
// Two notifications the model of before this change got wrong under --check:
// - remove_nh_grp_entry() announces the smaller group ("id 20 group 11") after a user's
//   `ip nexthop del`; the model did not predict it, took the record for an `ip nexthop
//   replace` and predicted a route re-announcement the kernel never sends;
// - the flush's second deletion (of the address promoted by the first) was taken as evidence
//   that promote_secondaries was 0, and the model predicted "Deleted … secondary".
//
// test/fixtures/traces/nexthop-compat-mode-off (kfib capture): net.ipv4.nexthop_compat_mode
// written to 0 and back to 1 during the capture (no notification says so) around routes on
// a single nexthop and a group, nexthop replaces and carrier changes. With the mode off,
// fib_dump_info() sends a route on a nexthop object with RTA_NH_ID only, and insert_nexthop()
// announces no route after a replace; the model of before this change printed and predicted
// the nexthops (`ip -j route` at the checkpoints, --check: 2 different, 2 missing).
//
// Each replayed from trace.rtmon and from monitor.txt: --check finds nothing, and the IPv4
// routes, rules and nexthop objects at each checkpoint and at the end are the kernel's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayFixture, type Form } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';

const FIXTURES = { 'promote-flush-nexthop-group': 4, 'nexthop-compat-mode-off': 4 } as const;

const canon = (xs: readonly unknown[]): string[] => xs.map((v) => canonicalJson(v));

for (const [NAME, count] of Object.entries(FIXTURES)) for (const form of ['rtmon', 'monitor'] as const satisfies readonly Form[]) {
  test(`${NAME} (${form}): --check finds every notification predicted and nothing else`, () => {
    const fr = replayFixture(NAME, form);
    const findings = fr.result.steps.flatMap((st) => st.findings).concat(fr.result.missing);
    assert.deepEqual(findings, []);
  });

  test(`${NAME} (${form}): routes, rules and nexthops equal every checkpoint and after.json`, () => {
    const fr = replayFixture(NAME, form);
    assert.equal(fr.snapshots.length, count);
    for (const snap of fr.snapshots) {
      const st = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names }, fr.result.steps, { kind: 'time', time: snap.time });
      const got = ipJsonDump(st);
      const want = snap.raw as Record<string, unknown[]>;
      const v4routes = (want['route'] ?? []).filter((r) => !String((r as Record<string, unknown>)['dst']).includes(':'));
      assert.deepEqual(canon(got.route), canon(v4routes), `${snap.label}: ip -j route show table all (IPv4)`);
      assert.deepEqual(canon(got.rule), canon(want['rule'] ?? []), `${snap.label}: ip -j rule`);
      assert.deepEqual(canon(got.nexthop), canon(want['nexthop'] ?? []), `${snap.label}: ip -j nexthop`);
    }
  });
}
