// Where moments sit on the timeline and which one a click picks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axisTicks, formatClock, fullWindow, nearestState, niceStep, panWindow, statePositions, zoomWindow } from '../../core/report/timeline-scale.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { fixtureReport } from './_report-fixture.js';

const F01 = '01-addr-del-policy-route';
const has01 = fixtureNames().includes(F01);

test('on a time axis, moments sit at their microseconds and the start just before the first', { skip: !has01 }, () => {
  const p = statePositions(fixtureReport(F01).model, 'time');
  assert.equal(p.axis, 'time');
  assert.deepEqual([...p.pos].slice(1), [0, 2542, 1081712, 1081726, 1081728, 1081730]);
  assert.ok((p.pos[0] as number) < 0);
});

test('a click picks the nearest moment, and in a burst the last of it (the state after the burst)', { skip: !has01 }, () => {
  const p = statePositions(fixtureReport(F01).model, 'time');
  assert.equal(nearestState(p, 1000), 1);
  assert.equal(nearestState(p, 2000), 2);
  assert.equal(nearestState(p, 1081712), 3);
  assert.equal(nearestState(p, 1081718), 3);
  assert.equal(nearestState(p, 1081720), 4);
  // Within a tolerance (a pixel or two), a burst clicks as the state after it.
  assert.equal(nearestState(p, 1081700, 20), 6);
  assert.equal(nearestState(p, 1081700, 10), 3);
  assert.equal(nearestState(p, 9e9), 6);
  assert.equal(nearestState(p, -9e9), 0);
  const o = statePositions(fixtureReport(F01).model, 'order');
  assert.equal(nearestState(o, 2.6), 3);
  assert.equal(nearestState(o, 2.5), 2);
});

test('zooming keeps the point under the mouse and never leaves the trace', { skip: !has01 }, () => {
  const p = statePositions(fixtureReport(F01).model, 'order');
  const full = fullWindow(p);
  assert.deepEqual(full, { from: -0.5, to: 6.5 });
  const z = zoomWindow(full, 0.5, 3, full);
  assert.equal(z.to - z.from, 3.5);
  assert.ok(Math.abs((3 - z.from) / (z.to - z.from) - (3 - full.from) / (full.to - full.from)) < 1e-9);
  assert.deepEqual(zoomWindow(z, 10, 3, full), full);
  assert.deepEqual(panWindow(z, -100, full), { from: -0.5, to: 3 });
});

test('ticks are round: seconds on a time axis, notification numbers on an order axis', () => {
  assert.equal(niceStep(1_000_000, 5), 200_000);
  assert.equal(niceStep(7, 5), 2);
  const time = { axis: 'time' as const, pos: new Float64Array([0]), order: new Uint32Array([0]), min: 0, max: 1e6 };
  assert.deepEqual(axisTicks(time, { from: 0, to: 1_000_000 }, 5).map((t) => t.label), ['+0.0 s', '+0.2 s', '+0.4 s', '+0.6 s', '+0.8 s', '+1.0 s']);
  const order = { axis: 'order' as const, pos: new Float64Array([0]), order: new Uint32Array([0]), min: 0, max: 10 };
  assert.deepEqual(axisTicks(order, { from: -0.5, to: 10.5 }, 5).map((t) => t.label), ['start', '#5', '#10']);
});

test('time stamps print as UTC with microseconds', () => {
  assert.equal(formatClock('1795236665.864799'), '2026-11-21 04:51:05.864799 UTC');
});
