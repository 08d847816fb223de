// Route counts per table over the moments, from effects, against a full count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeCountSeries } from '../../core/report/route-counts.js';
import { tableRouteCount } from '../../core/snapshot/fib-table.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { fixtureReport } from './_report-fixture.js';

for (const name of fixtureNames()) {
  test(`${name}: the count of each table follows the routes it holds`, () => {
    const { model } = fixtureReport(name);
    const series = routeCountSeries(model.states);
    const every = model.states.length > 500 ? Math.ceil(model.states.length / 40) : 1;
    for (let i = 0; i < model.states.length; i += every) {
      const st = model.states[i];
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
  const series = routeCountSeries(fixtureReport('01-addr-del-policy-route').model.states);
  const t10 = series.find((t) => t.name === '10');
  assert.deepEqual([...(t10?.counts ?? [])], [0, 0, 1, 0, 0, 0, 0]);
  assert.equal(t10?.max, 1);
});
