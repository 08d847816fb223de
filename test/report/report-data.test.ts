// The embedded data is read back as unknown and checked before the page uses it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { momentUsec, parseReportData, REPORT_DATA_VERSION } from '../../core/report/report-data.js';

const good = {
  version: REPORT_DATA_VERSION,
  title: 'trace.rtmon',
  format: 'rtmon',
  traceBytes: 10,
  initial: null,
  dump: [],
  moments: [{ seq: 1, t: '1795236664.782905', type: 'RTM_NEWRULE', by: 'pid 7', role: 'cause', text: '[RULE] …', n: 1 }],
  problems: [{ message: 'x', fatal: false }],
};

test('well-formed data is accepted as is', () => {
  assert.equal(parseReportData(good), good);
});

test('each malformed part is named', () => {
  assert.equal(parseReportData(null), 'Cannot read the report data: expected an object');
  assert.equal(parseReportData({ ...good, version: 2 }), 'Cannot read the report data: expected version 1, got 2');
  assert.equal(parseReportData({ ...good, format: 'pcap' }), 'Cannot read the report data: format: expected rtmon, monitor or log');
  assert.equal(parseReportData({ ...good, dump: [{ kind: 'route' }] }), 'Cannot read the report data: dump: expected link records');
  assert.equal(parseReportData({ ...good, moments: [{ ...good.moments[0], t: '12.5' }] }), 'Cannot read the report data: moments[0].t: expected "sec.usec"');
  assert.equal(parseReportData({ ...good, moments: [{ ...good.moments[0], role: 'x' }] }), 'Cannot read the report data: moments[0].role: expected one of state, cause, consequence, ignored');
  assert.equal(parseReportData({ ...good, moments: [{ ...good.moments[0], n: -1 }] }), 'Cannot read the report data: moments[0].n: expected a count');
  assert.equal(parseReportData({ ...good, problems: [{}] }), 'Cannot read the report data: problems: expected {message, fatal} objects');
});

test('time stamps become exact microseconds from an origin second', () => {
  assert.equal(momentUsec('1795236665.864799', 1795236664), 1_864_799);
  assert.equal(momentUsec('1795236664.000001', 1795236664), 1);
});
