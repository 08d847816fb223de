// test/fixtures/traces/51-systemd-altnames (Linux 6.18): devices with alternative names
// (`ip link property add … altname`, as udev gives NICs), one in before.json, others added,
// deleted and kept across a rename during the capture, and a device handed back from another
// namespace (`eth1@if2 … link-netnsid 0`). `ip link` and `ip address` print them
// (print_linkinfo(): JSON "altnames" after the alias, text `    altname X` lines); the
// replay used to drop them from both forms' state, exit 0, and printed the handed-back
// device's peer of a text trace as "link": "if2" instead of "link_index": 2.
// A rule naming a device by an alternative name is attached by the kernel
// (__dev_get_by_name() finds alternative names) and not by the model: named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayFixture } from './_replay-fixture.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';
import { fixtureDir } from '../trace/_fixtures.js';

const NAME = '51-systemd-altnames';

type Obj = Record<string, unknown>;

/** The IPv4 part of an `ip -j address show` element (the model has no IPv6 addresses). */
function inet(a: Obj): Obj {
  return { ...a, addr_info: (a['addr_info'] as Obj[]).filter((x) => x['family'] === 'inet') };
}

for (const form of ['rtmon', 'monitor'] as const) {
  test(`${NAME} (${form}): ip -j link and the IPv4 part of ip -j address equal every snapshot, altnames included`, () => {
    const fr = replayFixture(NAME, form);
    const start = { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
    const problems: string[] = [];
    for (const s of fr.snapshots) {
      const v = stateAt(start, fr.result.steps, { kind: 'time', time: s.time });
      // A text trace cannot tell txqlen (named where links are printed): left out for those devices.
      const unseen = new Set([...v.links.values()].filter((l) => l.unseen === true).map((l) => l.name));
      const strip = (x: Obj): Obj => {
        if (!unseen.has(String(x['ifname']))) return x;
        const { txqlen: _t, ...rest } = x;
        return rest;
      };
      const got = ipJsonDump(v);
      const wantLink = (s.raw['link'] as Obj[]).map(strip);
      const wantAddr = (s.raw['addr'] as Obj[]).map(inet).map(strip);
      if (canonicalJson((got.link as Obj[]).map(strip)) !== canonicalJson(wantLink)) problems.push(`${s.label}: link ${JSON.stringify(got.link)}`);
      if (canonicalJson((got.addr as Obj[]).map(strip)) !== canonicalJson(wantAddr)) problems.push(`${s.label}: addr ${JSON.stringify(got.addr)}`);
    }
    assert.deepEqual(problems, []);
  });
}

test(`${NAME} (monitor): a rule naming a device by its alternative name is a named gap`, () => {
  const dir = fixtureDir(NAME);
  const tmp = mkdtempSync(join(tmpdir(), 'kfib-altname-'));
  try {
    const log = join(tmp, 'monitor.txt');
    writeFileSync(log, `${readFileSync(join(dir, 'monitor.txt'), 'utf8')}[2026-12-06T23:59:59.000000] [RULE]412:\tfrom all iif enp0s31f6 lookup 41\n`);
    const kfib = join(dir, '..', '..', '..', '..', 'dist', 'cli', 'kfib.js');
    const r = spawnSync(process.execPath, [kfib, 'replay', log, '--initial', join(dir, 'before.json'), '--names', join(dir, 'names'), '--show', 'rule'], { encoding: 'utf8' });
    assert.equal(r.status, 3);
    const gaps = r.stdout.split('\n').filter((l) => l.startsWith('#   '));
    assert.deepEqual(gaps.filter((l) => !l.includes('txqlen')), [
      '#   2 × ambiguous family (ip monitor text: a rule with no address; applied as IPv4) (first @4)',
      '#   1 × not modelled: a rule naming enp0s31f6, an alternative name of lan0, which the kernel attaches to that device (__dev_get_by_name() finds alternative names) (first @34)',
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
