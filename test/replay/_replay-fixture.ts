// Replays one fixture of ../shared/traces (trace.rtmon or monitor.txt from before.json)
// and gives the state at each snapshot's time, for the fixture tests. Results are cached:
// several tests look at the same replay.

import { readFileSync } from 'node:fs';
import { decodeRtmon } from '../../core/trace/rtmon.js';
import { parseIpMonitor } from '../../core/trace/ip-monitor.js';
import { parseIpSnapshot, type IpSnapshot } from '../../core/trace/ip-json.js';
import type { LinkRecord, TraceRecord, Timestamp } from '../../core/trace/netlink-records.js';
import { initialState, type InitialState } from '../../core/replay/initial-state.js';
import { replayRecords, type ReplayResult } from '../../core/replay/replay-run.js';
import { checkpointFiles, fixturePath, readJson } from '../trace/_fixtures.js';

export type Form = 'rtmon' | 'monitor';

export interface FixtureSnapshot {
  /** checkpoints/NN-NAME.json or after.json. */
  readonly label: string;
  readonly time: Timestamp;
  readonly parsed: IpSnapshot;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface FixtureReplay {
  readonly name: string;
  readonly form: Form;
  readonly records: readonly TraceRecord[];
  readonly init: InitialState;
  readonly result: ReplayResult;
  readonly snapshots: readonly FixtureSnapshot[];
}

function parseTime(t: string): Timestamp {
  const [s, u] = t.split('.');
  return { sec: Number(s), usec: Number((u ?? '0').padEnd(6, '0').slice(0, 6)) };
}

/** The fixture's snapshots after before.json, in time order. */
export function fixtureSnapshots(name: string): FixtureSnapshot[] {
  const out: FixtureSnapshot[] = [];
  for (const f of checkpointFiles(name)) {
    const raw = readJson(name, f) as Record<string, unknown>;
    out.push({ label: f, time: parseTime(String(raw['time'])), parsed: parseIpSnapshot(raw).snapshot, raw });
  }
  const meta = readJson(name, 'meta.json') as Record<string, unknown>;
  const after = readJson(name, 'after.json') as Record<string, unknown>;
  out.push({ label: 'after.json', time: parseTime(String(meta['after_at'])), parsed: parseIpSnapshot(after).snapshot, raw: after });
  return out;
}

const cache = new Map<string, FixtureReplay>();

/** Replays a fixture (cached). */
export function replayFixture(name: string, form: Form): FixtureReplay {
  const k = `${name}/${form}`;
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  const records =
    form === 'rtmon'
      ? decodeRtmon(new Uint8Array(readFileSync(fixturePath(name, 'trace.rtmon'))), { file: 'trace.rtmon' })
      : parseIpMonitor(readFileSync(fixturePath(name, 'monitor.txt'), 'utf8'), { file: 'monitor.txt' });
  const before = parseIpSnapshot(readJson(name, 'before.json')).snapshot;
  const dump = records.filter((r): r is LinkRecord => r.kind === 'link' && r.dump);
  const init = initialState(before, dump);
  const result = replayRecords(records, { snapshot: init.snapshot, links: init.links, metrics: init.metrics }, { form: form === 'rtmon' ? 'binary' : 'text' });
  const out: FixtureReplay = { name, form, records, init, result, snapshots: fixtureSnapshots(name) };
  cache.set(k, out);
  return out;
}
