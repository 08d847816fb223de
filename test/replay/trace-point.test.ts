import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTracePoint } from '../../core/replay/trace-point.js';

test('sec.usec is the rtmon clock', () => {
  assert.deepEqual(parseTracePoint('1795236665.864799'), { kind: 'time', time: { sec: 1795236665, usec: 864799 } });
  assert.deepEqual(parseTracePoint('1795236665.5'), { kind: 'time', time: { sec: 1795236665, usec: 500000 } });
});

test('an ISO time is UTC unless a zone or an offset says otherwise', () => {
  assert.deepEqual(parseTracePoint('2026-11-21T04:51:05.864831Z'), { kind: 'time', time: { sec: 1795236665, usec: 864831 } });
  assert.deepEqual(parseTracePoint('2026-11-21T04:51:05.864831'), { kind: 'time', time: { sec: 1795236665, usec: 864831 } });
  assert.deepEqual(parseTracePoint('2026-11-21T05:51:05.864831+01:00'), { kind: 'time', time: { sec: 1795236665, usec: 864831 } });
  assert.deepEqual(parseTracePoint('2026-11-21T05:51:05.864831', 60), { kind: 'time', time: { sec: 1795236665, usec: 864831 } });
});

test('@N is after the N-th notification', () => {
  assert.deepEqual(parseTracePoint('@57'), { kind: 'seq', seq: 57 });
});

test('anything else is refused with the forms expected', () => {
  const r = parseTracePoint('yesterday');
  assert.equal(typeof r, 'string');
  assert.match(String(r), /expected "sec\.usec", an ISO time .* or @N; got "yesterday"/);
});
