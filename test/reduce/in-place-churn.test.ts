// A replay without history on a table of some size (what `kfib replay` does on a full
// table): the in-place runner (FibRunner inPlace: chunks, counts and its own table objects
// changed in place, core/snapshot/pmap-edit.ts and fib-table.ts) must answer as the pure
// reducer, event by event, through a load in order and a random churn of deletes and
// re-adds that splits, fills and empties chunks; and the snapshot it started from, and one
// frozen half way (a checkpoint), must read afterwards as they did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runScript } from '../../core/script/run-script.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { FibRunner } from '../../core/reduce/fib-runner.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import type { RouteConfig } from '../../core/events/route.js';
import type { Effect } from '../../core/snapshot/effects.js';

function after(script: string): FibSnapshot {
  let s = initialSnapshot();
  for (const l of runScript(script)) s = l.snapshot;
  return s;
}

const dump = (s: FibSnapshot): string => runCommand(s, ['ip', 'route', 'show', 'table', 'all']).output.stdout;

/** Effects as comparable text: kind, table, prefix, notified. */
const effectsOf = (es: readonly Effect[]): string[] => es.map((e) => (e.kind === 'route-add' || e.kind === 'route-del' || e.kind === 'route-replace' ? `${e.kind} ${e.route.table} ${e.route.dst}/${e.route.plen} ${e.notified}` : e.kind));

function cfgOf(dst: number, plen: number, table: number, dev: number): RouteConfig {
  return { table, dst, plen, tos: 0, type: 'unicast', scope: 253, protocol: 3, priority: 0, prefsrc: 0, nhs: [{ dev, gw: null, weight: 1, onlink: false }], multipath: false, nhid: 0 };
}

/** 3,000 /24s loaded in order into main (and every seventh into table 10 too), then 4,000 seeded deletes and re-adds, some refused (a delete of a prefix not there, an add that exists). */
function churn(): FibEvent[] {
  const prefixes: number[] = [];
  for (let i = 0; i < 3000; i++) prefixes.push((10 << 24) + i * 256);
  const events: FibEvent[] = [];
  for (const p of prefixes) {
    events.push({ type: 'route-new', op: 'add', cfg: cfgOf(p, 24, 254, 3) });
    if (p % 7 === 0) events.push({ type: 'route-new', op: 'add', cfg: cfgOf(p, 24, 10, 3) });
  }
  let x = 12345;
  const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % prefixes.length;
  for (let i = 0; i < 4000; i++) {
    const p = prefixes[rnd()] as number;
    const table = i % 5 === 0 ? 10 : 254;
    events.push({ type: 'route-del', cfg: cfgOf(p, 24, table, 0) });
    if (i % 3 !== 0) events.push({ type: 'route-new', op: 'add', cfg: cfgOf(p, 24, table, 3) });
    if (i % 11 === 0) events.push({ type: 'route-new', op: 'add', cfg: cfgOf(p, 24, table, 3) });
  }
  return events;
}

test('in place, a load and a churn of 15,000 route events answer as the pure reducer, event by event', () => {
  const start = after('ip link add name v0 up type veth peer name v0p\nip link set dev v0p up');
  const startDump = dump(start);
  const startGeneration = start.generation;
  const events = churn();
  const runner = new FibRunner({ inPlace: true });
  let pure = start;
  let inPlace = start;
  let frozen: FibSnapshot | null = null;
  let frozenDump = '';
  let frozenGeneration = -1;
  let refused = 0;
  events.forEach((e, i) => {
    const a = reduceFib(pure, e);
    const b = runner.reduce(inPlace, e);
    assert.deepEqual(b.error, a.error, `event ${i}: error`);
    assert.deepEqual(effectsOf(b.effects), effectsOf(a.effects), `event ${i}: effects`);
    // The newest snapshot may be moved on in place (Txn.commit()): its generation still counts every event.
    assert.equal(b.snapshot.generation, a.snapshot.generation, `event ${i}: generation`);
    if (a.error !== null) refused++;
    pure = a.snapshot;
    inPlace = b.snapshot;
    if (i === 5000) {
      // A checkpoint: what the runner made so far stays intact from here on.
      runner.freeze();
      frozen = inPlace;
      frozenDump = dump(frozen);
      frozenGeneration = frozen.generation;
    }
    if (i % 1500 === 0) assert.equal(dump(inPlace), dump(pure), `event ${i}: state`);
  });
  assert.equal(dump(inPlace), dump(pure));
  assert.ok(refused > 100, `some events refused: ${refused}`);
  assert.equal(dump(start), startDump, 'the start is untouched');
  assert.equal(dump(frozen as unknown as FibSnapshot), frozenDump, 'the frozen snapshot is untouched');
  assert.equal((frozen as unknown as FibSnapshot).generation, frozenGeneration, 'the frozen snapshot keeps its generation');
  assert.equal(start.generation, startGeneration, 'the start keeps its generation');
});
