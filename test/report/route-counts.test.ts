// Route counts per table over the moments, made by the report's writer from effects
// (RouteCountBuilder) and read back by the page, against a full count of the page's states.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRouteCount } from '../../core/snapshot/fib-table.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { fixtureReport } from './_report-fixture.js';
import { reportDataOf, reportModelOf } from './_report-cli.js';
import { reportHtml } from '../../core/report/report-html.js';
import { parseReportData, type SeriesData } from '../../core/report/report-data.js';
import { readSeries } from '../../core/report/route-counts.js';
import { openReport } from '../../core/report/report-model.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

for (const name of fixtureNames()) {
  test(`${name}: the count of each table follows the routes it holds`, () => {
    const { model } = fixtureReport(name);
    const series = model.series;
    const every = model.count > 500 ? Math.ceil(model.count / 40) : 1;
    for (let i = 0; i < model.count; i += every) {
      const st = model.state(i);
      assert.ok(st !== undefined);
      for (const t of series) {
        const table = st.snapshot.tables.get(t.id);
        assert.equal(t.counts[i], table === undefined ? 0 : tableRouteCount(table), `table ${t.name} after state ${i}`);
      }
      for (const id of st.snapshot.tables.keys()) assert.ok(series.some((t) => t.id === id));
    }
  });
}

test('01: table 10 has its default route from @2 until the address goes', { skip: !fixtureNames().includes('01-addr-del-policy-route') }, () => {
  const series = fixtureReport('01-addr-del-policy-route').model.series;
  const t10 = series.find((t) => t.name === '10');
  assert.deepEqual([...(t10?.counts ?? [])], [0, 0, 1, 0, 0, 0, 0]);
  assert.equal(t10?.max, 1);
});

test('a written page holds the counts deflated where that is shorter, and reads back the same series', { skip: !fixtureNames().includes('08-batch-5000-routes') }, () => {
  const { model, report } = fixtureReport('08-batch-5000-routes');
  assert.ok(report.blocks !== null);
  // A table whose count goes up and down at every state: 2 bytes a state, deflated to a few.
  const pairs: number[] = [];
  for (let i = 0; i < model.count; i++) pairs.push(i % 2 === 0 ? 2 : 1, 1);
  const flapping: SeriesData = { id: 77, name: '77', max: 1, from: 0, deltas: Buffer.from(pairs).toString('base64') };
  const data = { ...report.data, series: [...report.data.series, flapping] };
  const html = reportHtml({ data, blocks: report.blocks, deflate: (b) => new Uint8Array(deflateRawSync(b)), script: 'void 0;', css: '' });
  const inPage = parseReportData(reportDataOf(html));
  assert.ok(typeof inPage !== 'string', String(inPage));
  assert.equal(inPage.series.length, data.series.length);
  for (const s of inPage.series) {
    const raw = data.series.find((x) => x.id === s.id);
    assert.ok(raw !== undefined && raw.deflated === undefined);
    if (s.deflated === true) assert.ok(s.deltas.length < raw.deltas.length, `${s.name}: ${s.deltas.length} >= ${raw.deltas.length}`);
    else assert.equal(s.deltas, raw.deltas);
  }
  assert.equal(inPage.series.find((s) => s.id === 77)?.deflated, true);
  const want = openReport(data, report.blocks).series;
  const back = reportModelOf(html).series;
  assert.deepEqual(back.map((t) => [t.id, t.name, t.max, [...t.counts]]), want.map((t) => [t.id, t.name, t.max, [...t.counts]]));
  assert.deepEqual([...(back.find((t) => t.id === 77)?.counts.subarray(0, 5) ?? [])], [1, 0, 1, 0, 1]);
  assert.deepEqual(want.slice(0, model.series.length).map((t) => [...t.counts]), model.series.map((t) => [...t.counts]));
  // Without an inflater, or damaged, a deflated series is a problem named by its table.
  const deflated = inPage.series.find((s) => s.id === 77);
  assert.ok(deflated !== undefined);
  assert.equal(readSeries(deflated, model.count), 'series of table 77: deflated, and nothing to inflate it with');
  assert.match(String(readSeries({ ...deflated, deltas: 'AAAA' }, model.count, (b) => new Uint8Array(inflateRawSync(b)))), /^series of table 77: /);
});

test('counts are runs of equal deltas: read back exactly, and a run past the states is damage', () => {
  const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
  const base = { id: 254, name: 'main', max: 3, from: 1 };
  // +1 three times, 0 twice, -2 once: states 1..6 (state 0 before the table existed).
  const ok = readSeries({ ...base, deltas: b64([2, 3, 0, 2, 3, 1]) }, 7);
  assert.ok(typeof ok !== 'string', String(ok));
  assert.deepEqual([...ok.counts], [0, 1, 2, 3, 3, 3, 1]);
  assert.equal(readSeries({ ...base, deltas: b64([2, 7]) }, 7), 'series of table main: a run of 7 where 6 states are left');
  assert.equal(readSeries({ ...base, deltas: b64([2, 0]) }, 7), 'series of table main: a run of 0 where 6 states are left');
  assert.equal(readSeries({ ...base, deltas: b64([2, 6, 0]) }, 7), 'series of table main: longer than the 7 states');
});
