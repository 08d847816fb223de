// Reports of the ../shared/traces fixtures built in Node, as `kfib replay --html` builds
// them (the replay of test/replay/_replay-fixture.ts fed to a ReportRecorder), and opened
// as the page opens them. Cached: several tests look at the same report.

import { statSync } from 'node:fs';
import type { LinkRecord } from '../../core/trace/netlink-records.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import { ReportRecorder, type RecordedReport } from '../../core/report/report-recorder.js';
import { openReport, type MomentState, type ReportModel } from '../../core/report/report-model.js';
import { replayFixture, type FixtureReplay } from '../replay/_replay-fixture.js';
import { fixturePath, readJson } from '../trace/_fixtures.js';

export interface FixtureReport {
  readonly replay: FixtureReplay;
  readonly report: RecordedReport;
  readonly model: ReportModel;
}

const cache = new Map<string, FixtureReport>();

/** The report of a fixture's trace.rtmon from its before.json (cached). */
export function fixtureReport(name: string): FixtureReport {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const replay = replayFixture(name, 'rtmon');
  const rec = new ReportRecorder({ title: 'trace.rtmon', format: 'rtmon', traceBytes: statSync(fixturePath(name, 'trace.rtmon')).size, names: replay.names });
  const before = parseIpSnapshot(readJson(name, 'before.json')).snapshot;
  const dump = replay.records.filter((r): r is LinkRecord => r.kind === 'link' && r.dump);
  rec.begin(before, dump, replay.init);
  for (const st of replay.result.steps) rec.step(st);
  const report = rec.finish();
  // Through JSON, as the page reads it.
  const data = JSON.parse(JSON.stringify(report.data)) as RecordedReport['data'];
  if (report.blocks === null) throw new Error('the recorder kept no blocks');
  const out = { replay, report, model: openReport(data, report.blocks) };
  cache.set(name, out);
  return out;
}

/** Every state of a (small) report, each computed as the page computes the one it shows. */
export function allStates(model: ReportModel): MomentState[] {
  return Array.from({ length: model.count }, (_, i) => model.state(i));
}
