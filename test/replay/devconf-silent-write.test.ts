// test/fixtures/traces/devconf-silent-write (captured with _scenarios/capture-names.sh,
// Linux 6.18): a hardened host (conf/all send_redirects 0 at boot) whose wan0 had
// send_redirects 1 and accept_local 1 when the capture started (the rtmon link dump says
// so); during the capture both are written to 0 on wan0, which no netlink message
// announces (devinet_conf_proc() notifies only the netconf keys), and nothing else happens
// on wan0. At the end the kernel prints no <redirect> back out of wan0 and refuses a
// packet from one of our own addresses (EINVAL). The replay of the rtmon form used to keep
// the dump's values and answer `cache <redirect>` and a route, exit 0 ("exact"); both
// answers depend on values no record gives after the start, so they are named, in both
// forms, and the answers that depend on nothing unknown stay exact.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayFixture } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { runCommand } from '../../core/iproute2/ip-command.js';

const NAME = 'devconf-silent-write';

for (const form of ['rtmon', 'monitor'] as const) {
  test(`devconf-silent-write (${form}): answers resting on a value written without a record are named, at the start and at the end`, () => {
    const fr = replayFixture(NAME, form);
    const start = { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
    const got: string[] = [];
    for (const s of fr.snapshots) {
      const v = stateAt(start, fr.result.steps, { kind: 'time', time: s.time });
      for (const q of s.parsed.route_get ?? []) {
        const out = runCommand(v.snapshot, ['ip', '-j', ...q.query.split(/\s+/).slice(1)], v.names);
        got.push(`${s.label}: ${q.query}: exit ${out.output.exit}: ${out.output.notModelled ?? out.output.stdout.trim()}`);
      }
    }
    const gap = (k: string): string => `an answer that depends on values the model does not know: net.ipv4.conf.all.${k} (not in the imported state), net.ipv4.conf.wan0.${k} (not in the imported state)`;
    const lines = (label: string): string[] => [
      `${label}: ip route get 198.51.100.9 from 198.51.100.7 iif wan0: exit 2: ${gap('send_redirects')}`,
      `${label}: ip route get 192.168.10.5 from 192.168.10.1 iif wan0: exit 2: ${gap('accept_local')}`,
    ];
    assert.deepEqual(got, [...lines('checkpoints/01-start.json'), ...lines('after.json')]);
  });
}
