// The recorder turns a replay into the page's data and event log.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReportData } from '../../core/report/report-data.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { allStates, fixtureReport } from './_report-fixture.js';

const F01 = '01-addr-del-policy-route';

test('a moment per notification, with time, type, sender, role and its events in the log', { skip: !fixtureNames().includes(F01) }, () => {
  const { report: { data, blocks }, model } = fixtureReport(F01);
  const moments = Array.from({ length: model.count - 1 }, (_, i) => model.momentAt(i + 1));
  assert.deepEqual(
    moments.map((m) => [m?.seq, m?.t, m?.type, m?.by, m?.role, m?.n, m?.text]),
    [
      [1, '1795236664.783087', 'RTM_NEWRULE', 'pid 7442', 'cause', 1, '[RULE] 32765: from 10.0.1.3 oif ens33 lookup 10'],
      [2, '1795236664.785629', 'RTM_NEWROUTE', 'pid 7444', 'cause', 1, '[ROUTE] default via 192.168.0.40 dev ens33 table 10 proto boot'],
      [3, '1795236665.864799', 'RTM_DELADDR', 'pid 7650', 'cause', 1, '[ADDR] Deleted 192.168.0.4/24 dev ens33'],
      [4, '1795236665.864813', 'RTM_DELROUTE', 'kernel', 'consequence', 0, '[ROUTE] Deleted 192.168.0.0/24 dev ens33 proto kernel'],
      [5, '1795236665.864815', 'RTM_DELROUTE', 'kernel', 'consequence', 0, '[ROUTE] Deleted broadcast 192.168.0.255 dev ens33 table local proto kernel'],
      [6, '1795236665.864817', 'RTM_DELROUTE', 'kernel', 'consequence', 0, '[ROUTE] Deleted local 192.168.0.4 dev ens33 table local proto kernel'],
    ],
  );
  assert.deepEqual(allStates(model).flatMap((s) => s.events.map((e) => e.type)), ['rule-add', 'route-new', 'addr-del']);
  assert.equal(blocks?.objects.split('\n').filter((l) => l !== '').length, 3);
  assert.equal(data.initial?.route_get, undefined);
  assert.equal(data.dump.length, 3);
  assert.deepEqual(data.problems, []);
  assert.deepEqual(parseReportData(JSON.parse(JSON.stringify(data))), data);
});
