// The page's own replay (report-model.ts) against the Node replay it was written from:
// folding the embedded event log from the embedded initial state must give the same FIB
// and the same silent changes at every moment, for every shared trace fixture.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showText } from '../../core/replay/ip-json-dump.js';
import { describeSilent, mechanism } from '../../core/replay/explain.js';
import { openReport } from '../../core/report/report-model.js';
import { JoinedTexts } from '../../core/report/text-pages.js';
import { ReportRecorder } from '../../core/report/report-recorder.js';
import { initialState } from '../../core/replay/initial-state.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { allStates, fixtureReport } from './_report-fixture.js';

const NAMES = fixtureNames();

for (const name of NAMES) {
  test(`${name}: the page's fold reaches the replay's FIB, rules and devconf at every moment`, () => {
    const { replay, model } = fixtureReport(name);
    const steps = replay.result.steps;
    assert.equal(model.count, steps.length + 1);
    assert.deepEqual(model.problems.filter((p) => p.fatal), []);
    // Large traces: 25 moments spread over the trace and the last; others: every moment.
    const every = steps.length > 500 ? Math.ceil(steps.length / 25) : 1;
    for (let i = 0; i < steps.length; i++) {
      if (i % every !== 0 && i !== steps.length - 1) continue;
      const st = steps[i];
      const got = model.state(i + 1);
      assert.ok(st !== undefined && got !== undefined);
      const want = { snapshot: st.snapshot, links: st.links, metrics: st.metrics };
      const have = { snapshot: got.snapshot, links: st.links, metrics: got.metrics };
      for (const what of ['route', 'rule', 'netconf', 'nexthop'] as const) {
        assert.equal(showText(have, what), showText(want, what), `${what} after @${st.seq}`);
      }
    }
  });

  test(`${name}: the page finds exactly the silent changes of kfib replay --explain`, () => {
    const { replay, model } = fixtureReport(name);
    const steps = replay.result.steps;
    let count = 0;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i];
      const got = model.state(i + 1);
      assert.ok(st !== undefined && got !== undefined);
      const prev = (i === 0 ? replay.init.snapshot : steps[i - 1]?.snapshot) ?? replay.init.snapshot;
      const lines = (list: typeof st.silent, after: typeof st.snapshot): string[] => list.map((c) => `${describeSilent(c, prev, after)} (${mechanism(c.cause, c)})`);
      assert.deepEqual(lines(got.silent, got.snapshot), lines(st.silent, st.snapshot), `@${st.seq}`);
      count += st.silent.length;
    }
    assert.equal(model.silentCount, count);
    assert.equal(model.silentMoments.length, allStates(model).filter((s) => s.silent.length > 0).length);
  });
}

test('a moment applies its events in log order, and carries the trace time', () => {
  const { model, report } = fixtureReport('01-addr-del-policy-route');
  assert.equal(report.data.events, 3);
  assert.equal(report.blocks?.objects.split('\n').filter((l) => l !== '').length, 3);
  assert.deepEqual(allStates(model).map((s) => s.events.length), [0, 1, 1, 1, 0, 0, 0]);
  assert.equal(model.timed, true);
  assert.equal(model.state(1).usec, 0);
  assert.equal(model.state(3).usec, 1081712);
});

test('an events block with fewer events than its moments name is a problem, not a failure', () => {
  const { report } = fixtureReport('01-addr-del-policy-route');
  assert.ok(report.blocks !== null);
  // The first event (a rule, kept whole) is one byte: its object index.
  const model = openReport({ ...report.data, events: 1 }, { ...report.blocks, events: report.blocks.events.subarray(0, 1) });
  assert.equal(allStates(model).length, 7);
  assert.ok(model.problems.some((p) => p.fatal && p.message === 'the moments name 3 events, the embedded log holds 1'));
});

test('an empty trace opens on the initial state alone', () => {
  const init = initialState(null);
  const rec = new ReportRecorder({ title: 'empty', format: 'monitor', traceBytes: 0 });
  rec.begin(null, [], init);
  const { data, blocks } = rec.finish();
  assert.ok(blocks !== null);
  const model = openReport(data, blocks);
  assert.equal(allStates(model).length, 1);
  assert.equal(model.timed, false);
  assert.equal(model.silentCount, 0);
  assert.match(model.problems[0]?.message ?? '', /^no --initial snapshot/);
});

test('states asked out of order (back and forth over checkpoints) are the replay states', { skip: !fixtureNames().includes('08-batch-5000-routes') }, () => {
  // A model of its own: its checkpoints are made by the requests below, not by earlier tests.
  const { replay, report } = fixtureReport('08-batch-5000-routes');
  assert.ok(report.blocks !== null);
  const model = openReport(report.data, report.blocks);
  const steps = replay.result.steps;
  const order = [steps.length, 1, Math.floor(steps.length / 2), 2047, 2049, 3, steps.length - 1, 1025, 4000];
  for (const i of order) {
    const st = steps[i - 1];
    assert.ok(st !== undefined);
    const want = { snapshot: st.snapshot, links: st.links, metrics: st.metrics };
    const have = { snapshot: model.state(i).snapshot, links: st.links, metrics: st.metrics };
    assert.equal(showText(have, 'route'), showText(want, 'route'), `route after @${st.seq} (state ${i})`);
  }
  assert.ok(model.checkpoints > 2, `${model.checkpoints} checkpoints`);
});

test('events read after the page is drawn: nothing is folded before, and the same states after', { skip: !fixtureNames().includes('08-batch-5000-routes') }, () => {
  // The page reads its events block after it is drawn (it follows the script): until then
  // only the initial state is at hand, and no checkpoint may be made without the events.
  const { replay, report } = fixtureReport('08-batch-5000-routes');
  assert.ok(report.blocks !== null);
  const late = openReport(report.data, { ...report.blocks, texts: new JoinedTexts(report.blocks.texts), events: null });
  const steps = replay.result.steps;
  assert.equal(late.eventsReady, false);
  assert.equal(late.pending(steps.length), Infinity);
  assert.equal(late.foldToward(steps.length, 1000), false);
  assert.equal(late.checkpoints, 1);
  assert.throws(() => late.state(1), /before the events block was read/);
  assert.equal(late.state(0).snapshot, late.init.snapshot);
  assert.deepEqual(late.attachEvents(report.blocks.events), []);
  assert.equal(late.eventsReady, true);
  for (const i of [steps.length, 1, 2049, Math.floor(steps.length / 2)]) {
    const st = steps[i - 1];
    assert.ok(st !== undefined);
    const want = { snapshot: st.snapshot, links: st.links, metrics: st.metrics };
    const have = { snapshot: late.state(i).snapshot, links: st.links, metrics: st.metrics };
    assert.equal(showText(have, 'route'), showText(want, 'route'), `route after @${st.seq} (state ${i})`);
  }
  // A second block changes nothing.
  assert.deepEqual(late.attachEvents(new Uint8Array(0)), []);
});

test('an events block that cannot be decoded is a fatal problem, and the moments apply nothing', () => {
  const { report } = fixtureReport('01-addr-del-policy-route');
  assert.ok(report.blocks !== null);
  const model = openReport(report.data, { ...report.blocks, texts: new JoinedTexts(report.blocks.texts), events: null });
  const found = model.attachEvents('the embedded events block is damaged: offset 4: expected base64, got "!"');
  assert.deepEqual(found, [{ message: 'the embedded events block is damaged: offset 4: expected base64, got "!"; the moments apply nothing', fatal: true }]);
  assert.deepEqual(model.problems.filter((p) => p.fatal), found);
  assert.deepEqual(allStates(model).map((s) => s.events.length), [0, 0, 0, 0, 0, 0, 0]);
  assert.equal(model.state(6).snapshot, model.init.snapshot);
});
