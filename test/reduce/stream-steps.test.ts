// The RxJS fold (core/stream/replay.ts, snapshots()) hands out each step's effects as the
// reducer lists them: a step's effects are a getter (listed on demand from per-fib_info
// changes), which a spread of the reducer's step dropped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, toArray } from 'rxjs';
import { snapshots } from '../../core/stream/rx.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import type { FibEvent } from '../../core/events/fib-event.js';

test('snapshots() steps carry the effects and changes reduceFib() gives (carrier loss listed route by route)', async () => {
  const events: FibEvent[] = [];
  let s = initialSnapshot();
  for (const l of ['ip link add v0 type veth peer name v1', 'ip link set v0 up', 'ip link set v1 up', 'ip addr add 10.0.0.1/24 dev v0', 'ip route add 10.9.0.0/16 via 10.0.0.2', 'ip route add 10.8.0.0/16 via 10.0.0.2', 'ip link set v1 down']) {
    const r = runCommand(s, l.split(' '));
    s = r.snapshot;
    events.push(...r.steps.map((x) => x.event));
  }
  const steps = await lastValueFrom(snapshots(from(events)).pipe(toArray()));
  let t = initialSnapshot();
  const want: string[][] = [];
  for (const e of events) {
    const st = reduceFib(t, e);
    want.push(st.effects.map((x) => `${x.kind} ${x.cause}`));
    t = st.snapshot;
  }
  assert.deepEqual(
    steps.map((x) => x.effects.map((e) => `${e.kind} ${e.cause}`)),
    want,
  );
  const last = steps[steps.length - 1]!;
  const flagged = last.effects.flatMap((e) => (e.kind === 'route-flags' && e.route.table === 254 ? [`${e.route.dst >>> 24}.${(e.route.dst >>> 16) & 255}/${e.route.plen}`] : []));
  assert.deepEqual(flagged, ['10.0/24', '10.8/16', '10.9/16'], 'carrier loss lists each route of main, in dump order');
  assert.ok((last.changes ?? last.effects).length < last.effects.length, 'the reducer recorded fewer changes than the route effects they stand for');
});
