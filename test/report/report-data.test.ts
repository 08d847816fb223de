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
  problems: [{ message: 'x', fatal: false }],
  moments: 1,
  events: 1,
  types: ['RTM_NEWRULE'],
  bys: ['pid 7'],
  extras: [{ i: 1, notes: ['a note'] }],
  silent: { at: [1], count: [2] },
  lanes: [{ ifindex: 1, names: ['lo'], segments: [{ from: 0, to: 2, up: true, carrier: true, name: 'lo' }], marks: [] }],
  series: [{ id: 254, name: 'main', max: 1, from: 0, deltas: 'AAI=' }],
};

test('well-formed data is accepted as is', () => {
  assert.equal(parseReportData(good), good);
});

test('each malformed part is named', () => {
  assert.equal(parseReportData(null), 'Cannot read the report data: expected an object');
  assert.equal(parseReportData({ ...good, version: 1 }), `Cannot read the report data: expected version ${REPORT_DATA_VERSION}, got 1`);
  assert.equal(parseReportData({ ...good, format: 'pcap' }), 'Cannot read the report data: format: expected rtmon, monitor or log');
  assert.equal(parseReportData({ ...good, dump: [{ kind: 'route' }] }), 'Cannot read the report data: dump: expected link records');
  assert.equal(parseReportData({ ...good, moments: -1 }), 'Cannot read the report data: moments: expected a count');
  assert.equal(parseReportData({ ...good, silent: { at: [1], count: [] } }), 'Cannot read the report data: silent: expected {at, count} of equal lengths');
  assert.equal(parseReportData({ ...good, extras: [{ i: 1, notes: [3] }] }), 'Cannot read the report data: extras[0].notes: expected strings');
  assert.equal(parseReportData({ ...good, lanes: [{ ifindex: 1, names: ['lo'], segments: [{ from: 0 }], marks: [] }] }), 'Cannot read the report data: lanes[0].segments: expected {from, to, up, carrier, name}');
  assert.equal(parseReportData({ ...good, series: [{ id: 254 }] }), 'Cannot read the report data: series: expected {id, name, max, from, deltas, deflated?}');
  assert.equal(parseReportData({ ...good, series: [{ id: 254, name: 'main', max: 1, from: 0, deltas: 'AAI=', deflated: 'yes' }] }), 'Cannot read the report data: series: expected {id, name, max, from, deltas, deflated?}');
  assert.equal(parseReportData({ ...good, problems: [{}] }), 'Cannot read the report data: problems: expected {message, fatal} objects');
});

test('time stamps become exact microseconds from an origin second', () => {
  assert.equal(momentUsec('1795236665.864799', 1795236664), 1_864_799);
  assert.equal(momentUsec('1795236664.000001', 1795236664), 1);
});
