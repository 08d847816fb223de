// `ip -j link show` of a replay compared whole with every snapshot the kernel printed, for
// every trace fixture: the binary trace exactly; the ip monitor log exactly except the
// devices the replay itself marks as unknown (link-table.ts `unseen`: txqlen and alias,
// which ip monitor never prints), and those are named. test/fixtures/traces/16-link-attributes
// changes txqlen, alias, master and qdisc, makes a veth pair and a tun during the capture.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allFixtureNames } from '../trace/_fixtures.js';
import { replayFixture, type Form } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import type { JsonValue } from '../../core/print/json-out.js';

type Obj = Readonly<Record<string, JsonValue>>;

/**
 * The qdiscs tc changed without an RTM_NEWLINK, per fixture snapshot: the replay does not
 * read RTM_NEWQDISC/DELQDISC, and `kfib replay` names that as a gap when it prints links
 * (cli/replay-output.ts); 16-link-attributes removes eth0's root pfifo at the end, which
 * makes it noqueue again.
 */
const QDISC_CHANGED: Readonly<Record<string, readonly string[]>> = { '16-link-attributes/after.json': ['eth0 qdisc'] };

/** Per snapshot, the devices whose `ip -j link` element differs from the kernel's, and the devices the replay calls unknown. */
function linkDiffs(name: string, form: Form): { label: string; differ: string[]; unseen: string[] }[] {
  const fr = replayFixture(name, form);
  const start = { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
  return fr.snapshots.map((s) => {
    const v = stateAt(start, fr.result.steps, { kind: 'time', time: s.time });
    const mine = ipJsonDump(v).link as readonly Obj[];
    const theirs = s.raw['link'] as readonly Obj[];
    const byName = new Map(mine.map((l) => [String(l['ifname']), l]));
    const differ: string[] = [];
    for (const k of theirs) {
      const m = byName.get(String(k['ifname']));
      if (m === undefined) differ.push(String(k['ifname']));
      else if (JSON.stringify(m) !== JSON.stringify(k)) {
        // Only the qdisc differs: tc changed it (RTM_NEWQDISC/DELQDISC, no RTM_NEWLINK).
        const qdiscOnly = JSON.stringify({ ...m, qdisc: null }) === JSON.stringify({ ...k, qdisc: null });
        differ.push(qdiscOnly ? `${String(k['ifname'])} qdisc` : String(k['ifname']));
      }
    }
    if (mine.length !== theirs.length) differ.push(`${mine.length} links, the kernel ${theirs.length}`);
    const unseen = [...v.links.values()].filter((l) => l.unseen === true).map((l) => l.name);
    return { label: s.label, differ, unseen };
  });
}

for (const name of allFixtureNames()) {
  test(`${name} (rtmon): ip -j link equals every snapshot, nothing unknown`, () => {
    for (const d of linkDiffs(name, 'rtmon')) {
      assert.deepEqual(d.differ, QDISC_CHANGED[`${name}/${d.label}`] ?? [], `${d.label}: links differ`);
      assert.deepEqual(d.unseen, [], `${d.label}: unknown links in a binary trace`);
    }
  });
  test(`${name} (monitor): ip -j link equals every snapshot but the links named unknown`, () => {
    for (const d of linkDiffs(name, 'monitor')) {
      const silent = d.differ.filter((n) => !d.unseen.includes(n));
      assert.deepEqual(silent, [], `${d.label}: links differ without being named`);
    }
  });
}

test('16-link-attributes (monitor): exactly the devices whose txqlen or alias ip monitor hid are unknown', () => {
  const end = linkDiffs('16-link-attributes', 'monitor').at(-1);
  assert.ok(end !== undefined);
  // eth0: txqlen 500 and an alias; br0: alias set and cleared; brp: txqlen 2000 (and left and
  // rejoined its bridge); late0, late0-p and tun0 are new in the log.
  assert.deepEqual([...end.unseen].sort(), ['br0', 'brp', 'eth0', 'late0', 'late0-p', 'tun0']);
  assert.deepEqual([...end.differ].sort(), ['brp', 'eth0', 'tun0']);
});
