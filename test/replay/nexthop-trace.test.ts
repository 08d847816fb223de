// A trace captured with `kfib capture` (test/fixtures/traces/nexthop-resilient-fdb): resilient
// groups (created, a member deleted, replaced with new timers) and fdb nexthops (single and
// group, one of them in before.json). Replayed from trace.rtmon and from monitor.txt, the
// final nexthop objects must equal after.json's `ip -j nexthop`, whole and in order, and
// --check must find every notification predicted and nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { parseIpMonitor } from '../../core/trace/ip-monitor.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import type { LinkRecord, TraceRecord } from '../../core/trace/netlink-records.js';
import { initialState } from '../../core/replay/initial-state.js';
import { replayRecords } from '../../core/replay/replay-run.js';
import { ipJsonDump } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/traces/nexthop-resilient-fdb');
const json = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;

for (const form of ['rtmon', 'monitor'] as const) {
  test(`nexthop-resilient-fdb from ${form}: resilient groups and fdb nexthops reach the end state, every notification checked`, () => {
    const records: TraceRecord[] =
      form === 'rtmon'
        ? decodeRtmon(new Uint8Array(readFileSync(join(dir, 'trace.rtmon'))), { file: 'trace.rtmon' })
        : parseIpMonitor(readFileSync(join(dir, 'monitor.txt'), 'utf8'), { file: 'monitor.txt' });
    const before = parseIpSnapshot(json('before.json')).snapshot;
    const init = initialState(before, records.filter((r): r is LinkRecord => r.kind === 'link' && r.dump));
    const result = replayRecords(records, { snapshot: init.snapshot, links: init.links, metrics: init.metrics }, { form: form === 'rtmon' ? 'binary' : 'text', check: true });
    const last = result.steps[result.steps.length - 1];
    assert.ok(last !== undefined, 'the replay produced steps');
    const got = ipJsonDump({ snapshot: last.snapshot, links: last.links, metrics: last.metrics }).nexthop.map((v) => canonicalJson(v));
    const want = (json('after.json')['nexthop'] as unknown[]).map((v) => canonicalJson(v));
    assert.deepEqual(got, want);
    // The resilient groups existed on the way (the replay carried them, not dropped them).
    const sawResilient = result.steps.some((st) => [...st.snapshot.nexthops.values()].some((o) => o.kind === 'group' && o.res !== null && o.res.numBuckets === 8));
    assert.ok(sawResilient, 'group 12 (8 buckets) was replayed as a resilient group');
    const findings = result.steps.flatMap((st) => st.findings).concat(result.missing);
    assert.deepEqual(findings, []);
  });
}
