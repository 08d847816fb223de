// Replays one fixture of ../shared/traces (trace.rtmon or monitor.txt from before.json)
// and gives the state at each snapshot's time, for the fixture tests. Results are cached:
// several tests look at the same replay.

import { existsSync, readFileSync } from 'node:fs';
import { BUILTIN_NAMES, namesWithFiles, readerNames, type PrintNames } from '../../core/uapi/rt-names.js';
import { readNamesDir } from '../../cli/names-dir.js';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
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

/** The capture's own iproute2 name files (its names/ folder), or iproute2's built-in names. */
export function fixtureNamesOf(name: string): PrintNames {
  const dir = fixturePath(name, 'names');
  if (!existsSync(dir)) return BUILTIN_NAMES;
  const files = readNamesDir(dir, 'names');
  if (!('entries' in files)) throw new Error(files.message);
  return namesWithFiles(files);
}

export interface FixtureReplay {
  readonly name: string;
  readonly form: Form;
  readonly records: readonly TraceRecord[];
  readonly init: InitialState;
  readonly names: PrintNames;
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
  const names = fixtureNamesOf(name);
  const records =
    form === 'rtmon'
      ? decodeRtmon(new Uint8Array(readFileSync(fixturePath(name, 'trace.rtmon'))), { file: 'trace.rtmon' })
      : parseIpMonitor(readFileSync(fixturePath(name, 'monitor.txt'), 'utf8'), { file: 'monitor.txt', names: readerNames(names) });
  const before = parseIpSnapshot(readJson(name, 'before.json')).snapshot;
  const dump = records.filter((r): r is LinkRecord => r.kind === 'link' && r.dump);
  const init = initialState(before, dump, names);
  const result = replayRecords(records, { snapshot: init.snapshot, links: init.links, metrics: init.metrics, names }, { form: form === 'rtmon' ? 'binary' : 'text' });
  const out: FixtureReplay = { name, form, records, init, names, result, snapshots: fixtureSnapshots(name) };
  cache.set(k, out);
  return out;
}
