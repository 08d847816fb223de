// Device lanes: admin state and carrier over the moments, as the report's writer makes them
// from the replay (LaneBuilder), against the states the page computes when asked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureNames } from '../trace/_fixtures.js';
import { fixtureReport } from './_report-fixture.js';

const has = (n: string): boolean => fixtureNames().includes(n);

test('a lane per device; runs cover the moments without gaps while the device exists', { skip: !has('01-addr-del-policy-route') }, () => {
  const { model } = fixtureReport('01-addr-del-policy-route');
  const lanes = model.lanes;
  assert.deepEqual(lanes.map((l) => [l.ifindex, l.names.join(',')]), [[1, 'lo'], [2, 'ens33p'], [3, 'ens33']]);
  for (const l of lanes) assert.deepEqual(l.segments.map((s) => [s.from, s.to, s.up, s.carrier]), [[0, 7, true, true]]);
  assert.deepEqual(lanes[2]?.marks, [3]);
});

test('carrier loss and admin down split a lane; every state of the replay agrees', { skip: !has('03-carrier-linkdown-ignore') }, () => {
  const { model } = fixtureReport('03-carrier-linkdown-ignore');
  const lanes = model.lanes;
  for (const lane of lanes) {
    for (const seg of lane.segments) {
      for (let i = seg.from; i < seg.to; i++) {
        const d = model.state(i).snapshot.devices.get(lane.ifindex);
        assert.ok(d !== undefined, `${seg.name} exists at ${i}`);
        assert.deepEqual([d.up, d.carrier, d.name], [seg.up, seg.carrier, seg.name]);
      }
    }
  }
  const v1 = lanes.find((l) => l.names.includes('vethtest1'));
  assert.ok(v1 !== undefined && v1.segments.some((s) => s.up && !s.carrier));
});

test('a deleted device ends its lane; re-created, it gets the lane of its new ifindex', { skip: !has('06-device-unregister') }, () => {
  const { model } = fixtureReport('06-device-unregister');
  const lanes = model.lanes.filter((l) => l.names.includes('wan0'));
  assert.ok(lanes.length >= 2);
  assert.ok((lanes[0]?.segments.at(-1)?.to ?? 0) < model.count);
});
