// The warm-up replay (core/replay/_shape-warmup.ts): its trace must be one the model replays
// cleanly, through the paths a bulk replay takes, with addresses on both sides of 2^30 (what
// it is for), or it settles nothing (or the wrong thing) before the first real replay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayWarmup } from '../../core/replay/_shape-warmup.js';
import { TraceReplayer, type ReplayOptions, type ReplayStep } from '../../core/replay/replayer.js';
import { tableRouteCount } from '../../core/snapshot/fib-table.js';

interface Summary {
  readonly op: string;
  readonly role: string;
  readonly events: readonly string[];
  readonly errors: readonly (string | null)[];
  readonly notes: readonly string[];
  readonly findings: number;
  readonly mainRoutes: number;
}

function run(opts: (o: ReplayOptions) => ReplayOptions): { records: ReturnType<typeof replayWarmup>['records']; summary: Summary[] } {
  const { records, steps } = replayWarmup((s, o) => new TraceReplayer(s, opts(o)));
  const summary: Summary[] = [];
  for (const x of steps) {
    // The last element is finish()'s result: its steps and missing predictions.
    const list: ReplayStep[] = Array.isArray(x) ? [] : 'role' in (x as object) ? [x as ReplayStep] : (x as { steps: ReplayStep[] }).steps;
    if (!('role' in (x as object))) assert.deepEqual((x as { missing: unknown[] }).missing, [], 'no prediction left missing at the end');
    for (const st of list) {
      const main = st.snapshot.tables.get(254);
      summary.push({
        op: st.record.kind === 'route' ? st.record.op : st.record.kind,
        role: st.role,
        events: st.applied.map((a) => a.event.type),
        errors: st.applied.map((a) => a.step.error?.errno ?? null),
        notes: [...st.notes],
        findings: st.findings.length,
        mainRoutes: main === undefined ? 0 : tableRouteCount(main),
      });
    }
  }
  return { records, summary };
}

test('the warm-up trace has route adds and deletes on both sides of 2^30, one through a gateway', () => {
  const { records } = run((o) => o);
  const routes = records.flatMap((r) => (r.kind === 'route' ? [r] : []));
  assert.equal(routes.length, 6);
  assert.ok(routes.some((r) => (r.dstAddr ?? 0) >= 2 ** 30) && routes.some((r) => (r.dstAddr ?? 2 ** 30) < 2 ** 30), 'addresses above and below 2^30');
  assert.deepEqual(routes.map((r) => r.op), ['new', 'new', 'new', 'del', 'del', 'del']);
  assert.equal(routes.filter((r) => r.gateway !== undefined).length, 2);
});

test('the warm-up replays every record as a cause, applied without error, notes or findings, back to an empty table', () => {
  const expected: Summary[] = [1, 2, 3, 2, 1, 0].map((n, i) => ({
    op: i < 3 ? 'new' : 'del',
    role: 'cause',
    events: [i < 3 ? 'route-new' : 'route-del'],
    errors: [null],
    notes: [],
    findings: 0,
    mainRoutes: n,
  }));
  // With --check and --explain (notifications compared: the trace is what the kernel sends)...
  assert.deepEqual(run((o) => ({ ...o, check: true, explain: true, inPlace: false })).summary, expected);
  // ...and with the options the warm-up itself uses (in place, the fast path: a step's
  // snapshot is valid only until the next step, so only the last one's table is read).
  const inPlace = run((o) => o).summary;
  assert.deepEqual(inPlace.map((x) => ({ ...x, mainRoutes: 0 })), expected.map((x) => ({ ...x, mainRoutes: 0 })));
  assert.equal(inPlace.at(-1)?.mainRoutes, 0);
});
