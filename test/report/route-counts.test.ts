// Route counts per table over the moments, made by the report's writer from effects
// (RouteCountBuilder) and read back by the page, against a full count of the page's states.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableRouteCount } from '../../core/snapshot/fib-table.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { fixtureReport } from './_report-fixture.js';

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
