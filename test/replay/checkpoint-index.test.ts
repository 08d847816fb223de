// Time travel from a checkpoint index (core/replay/checkpoint-index.ts) answers like a full
// replay: for any trace fixture, any checkpoint spacing K and change M, and any instant (after N steps, at
// @N, at a time of the trace), the state the index gives (nearest checkpoint, then the steps
// in between applied again) equals the state a replay that keeps every snapshot reaches at
// that instant (replay-run.ts stateAt): the `ip -j` dump whole (links, addresses, every
// table, rules, netconf, nexthops, RTA_METRICS), the routes of every table and the devices
// and rules field for field. The index is built over a replay in place (TraceReplayer
// .checkpoint() freezing it at each checkpoint), as `kfib replay --at` builds it, so a
// checkpoint changed by a later in-place update would show here. A failure prints the seed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TraceReplayer, type ReplayStep } from '../../core/replay/replayer.js';
import { stateAt, type TracePoint } from '../../core/replay/replay-run.js';
import { CheckpointIndex } from '../../core/replay/checkpoint-index.js';
import { PackedEvents } from '../../core/replay/packed-events.js';
import { ipJsonDump, type ReplayView } from '../../core/replay/ip-json-dump.js';
import { canonicalJson } from '../../core/replay/initial-state.js';
import { tableRoutes } from '../../core/snapshot/fib-table.js';
import { replayFixture, type Form, type FixtureReplay } from './_replay-fixture.js';
import { allFixtureNames } from '../trace/_fixtures.js';

const seed = Number(process.env['KFIB_SEED'] ?? 20261205);
const FORMS: readonly Form[] = ['rtmon', 'monitor'];

/** The index of a fixture's replay, made in place with a checkpoint every `every` steps. */
function indexOf(fr: FixtureReplay, every: number, change?: number): CheckpointIndex {
  const start: ReplayView = { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
  const rp = new TraceReplayer(start, { form: fr.form === 'rtmon' ? 'binary' : 'text', explain: false, check: false, inPlace: true });
  const idx = new CheckpointIndex(start, change === undefined ? { every } : { every, change });
  for (const r of fr.records) {
    if (r.kind === 'link' && r.dump) continue;
    for (const st of rp.push(r)) idx.add(st);
    idx.settle(() => rp.checkpoint(), rp.changeSinceCheckpoint);
  }
  for (const st of rp.finish().steps) idx.add(st);
  return idx;
}

/** The whole state as compared: the printed dump, and the FIB's own parts field for field. */
function sameState(got: ReplayView, want: ReplayView, what: string): void {
  assert.equal(canonicalJson(ipJsonDump(got)), canonicalJson(ipJsonDump(want)), `${what}: ip -j dump`);
  const routes = (v: ReplayView): unknown => [...v.snapshot.tables.values()].map((t) => [t.id, tableRoutes(t)]);
  assert.deepStrictEqual(routes(got), routes(want), `${what}: routes`);
  assert.deepStrictEqual([...got.snapshot.devices.values()], [...want.snapshot.devices.values()], `${what}: devices`);
  assert.deepStrictEqual(got.snapshot.rules, want.snapshot.rules, `${what}: rules`);
  assert.deepStrictEqual([...got.links], [...want.links], `${what}: links`);
  assert.deepStrictEqual([...got.metrics], [...want.metrics], `${what}: metrics`);
}

function fullView(fr: FixtureReplay, p: TracePoint): ReplayView {
  return stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names }, fr.result.steps, p);
}

/** The state after the first n steps of the full replay. */
function afterSteps(fr: FixtureReplay, n: number): ReplayView {
  const st = fr.result.steps[n - 1] as ReplayStep | undefined;
  if (st === undefined) return { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics, names: fr.names };
  return { snapshot: st.snapshot, links: st.links, metrics: st.metrics, names: fr.names };
}

const cases = allFixtureNames().flatMap((name) => FORMS.map((form) => ({ name, form })));

test(`the state at any instant from the checkpoint index equals a full replay's (seed ${seed}; KFIB_SEED to change)`, () => {
  assert.ok(cases.length >= 10, 'the trace fixtures are there');
  fc.assert(
    fc.property(
      fc.constantFrom(...cases),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
      ({ name, form }, every, change, where) => {
        const fr = replayFixture(name, form);
        const idx = indexOf(fr, every, change);
        const steps = fr.result.steps;
        assert.equal(idx.steps, steps.length, 'one indexed step per step of the full replay');
        for (const w of where) {
          const n = Math.min(steps.length, Math.floor(w * (steps.length + 1)));
          sameState(idx.stateAfter(n), afterSteps(fr, n), `${name} (${form}), K=${every}, M=${change}, after ${n} steps`);
          const st = steps[Math.max(0, n - 1)];
          if (st === undefined) continue;
          const seqPoint: TracePoint = { kind: 'seq', seq: st.seq };
          sameState(idx.stateAt(seqPoint), fullView(fr, seqPoint), `${name} (${form}), K=${every}, at @${st.seq}`);
          if (st.time !== undefined) {
            const timePoint: TracePoint = { kind: 'time', time: st.time };
            sameState(idx.stateAt(timePoint), fullView(fr, timePoint), `${name} (${form}), K=${every}, at ${st.time.sec}.${st.time.usec}`);
          }
        }
      },
    ),
    { seed, numRuns: 40 },
  );
});

test('a checkpoint stays intact while the replay goes on in place, and answers in any order agree', () => {
  const fr = replayFixture('08-batch-5000-routes', 'rtmon');
  const idx = indexOf(fr, 64);
  assert.ok(idx.checkpoints > 50, `checkpoints kept: ${idx.checkpoints}`);
  const n = fr.result.steps.length;
  for (const k of [n, 0, 64, 63, 65, n - 1, 3000, 128]) sameState(idx.stateAfter(k), afterSteps(fr, k), `after ${k} steps`);
  assert.throws(() => idx.stateAfter(n + 1), /expected 0\.\.\d+ steps, got \d+/);
});

test('packed events come back equal to those appended, route events 12 bytes each', () => {
  const p = new PackedEvents();
  const fr = replayFixture('08-batch-5000-routes', 'rtmon');
  const want = fr.result.steps.map((st) => st.applied.map((a) => a.event));
  for (const evs of want) p.append(evs);
  assert.equal(p.steps, want.length);
  want.forEach((evs, i) => assert.deepStrictEqual(p.eventsOf(i), evs, `step ${i}`));
  const routes = want.flat().filter((e) => e.type === 'route-new' || e.type === 'route-del').length;
  assert.ok(routes > 4000, `route events: ${routes}`);
  assert.ok(p.objects.templates < 100, `route shapes kept whole: ${p.objects.templates}`);
});
