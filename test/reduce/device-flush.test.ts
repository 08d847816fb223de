// fib_flush() on tables of some size (core/semantics/sync-down.ts): a table emptied without a
// walk, one rebuilt from what it keeps, one changed prefix by prefix. The state before each
// device event comes from the kernel-checked fixture device-flush-paths.ip; here the flush's
// effects, listed on demand from its per-fib_info changes, must name exactly the routes that
// went, the in-place runner must give the same answers as the pure reducer, and the snapshot
// before the event must read the same afterwards.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { FibRunner } from '../../core/reduce/fib-runner.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import type { Effect } from '../../core/snapshot/effects.js';
import { isInfoChange } from '../../core/snapshot/effects.js';
import { changeRouteCount } from '../../core/snapshot/info-changes.js';

const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/kernel/device-flush-paths.ip');
const lines = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'));

/** The state after the fixture's lines up to (not including) the first line equal to `stop`. */
function stateBefore(stop: string, nth = 1): FibSnapshot {
  let s = initialSnapshot();
  let seen = 0;
  for (const l of lines) {
    if (l === stop && ++seen === nth) return s;
    s = runCommand(s, l.split(' ')).snapshot;
  }
  throw new Error(`${stop} not in the fixture`);
}

const show = (s: FibSnapshot): string[] => runCommand(s, ['ip', 'route', 'show', 'table', 'all']).output.stdout.split('\n').filter((l) => l !== '');
/** The route lines of a dump (a multipath route's `nexthop` lines continue its line). */
const routeLines = (ls: readonly string[]): string[] => ls.filter((l) => !/^\s/.test(l));

/** The events `ip …` makes, applied nowhere (they are applied below by each reducer). */
function eventsOf(s: FibSnapshot, cmd: string): FibEvent[] {
  return runCommand(s, cmd.split(' ')).steps.map((x) => x.event);
}

/** Route lines as `ip route show` prints them for a deleted route's table/prefix (table, dst/plen). */
function prefixOf(line: string): string {
  const words = line.split(' ');
  const t = words.indexOf('table');
  const dst = words[0] === 'local' || words[0] === 'broadcast' ? words[1] : words[0];
  return `${t >= 0 ? words[t + 1] : 'main'} ${dst}`;
}

const CASES: readonly { readonly name: string; readonly stop: string; readonly nth: number }[] = [
  { name: 'admin down', stop: 'ip link set dev v0 down', nth: 1 },
  { name: 'last address deleted', stop: 'ip addr del 100.64.0.1/30 dev v0', nth: 1 },
  { name: 'unregister', stop: 'ip link del v2', nth: 1 },
];

for (const c of CASES) {
  test(`${c.name}: the flush's listed route deletions are exactly the routes gone, in-place equals pure, the earlier snapshot is unchanged`, () => {
    const s0 = stateBefore(c.stop, c.nth);
    const before = show(s0);
    const events = eventsOf(s0, c.stop);
    // Pure.
    let s = s0;
    const effects: Effect[] = [];
    let infoChanges = 0;
    let listed = 0;
    for (const e of events) {
      const st = reduceFib(s, e);
      for (const ch of st.changes ?? []) {
        if (!isInfoChange(ch) || ch.kind !== 'info-flush') continue;
        infoChanges++;
        listed += changeRouteCount(ch);
      }
      effects.push(...st.effects);
      s = st.snapshot;
    }
    const after = show(s);
    assert.deepEqual(show(s0), before, 'the snapshot before the event reads the same afterwards');
    assert.ok(infoChanges > 0, 'the flush recorded per-fib_info changes');
    // In place, from a copy of the same state (a runner never changes a snapshot it did not make).
    const runner = new FibRunner({ inPlace: true });
    let p = s0;
    const placeEffects: Effect[] = [];
    for (const e of events) {
      const st = runner.reduce(p, e);
      placeEffects.push(...st.effects);
      p = st.snapshot;
    }
    assert.deepEqual(show(p), after, 'the in-place runner ends in the same state');
    assert.deepEqual(show(s0), before, 'the in-place runner left the snapshot it started from intact');
    const key = (e: Effect): string => (e.kind === 'route-del' ? `${e.cause} ${e.route.table} ${e.route.dst}/${e.route.plen} ${e.route.alias.info.priority}` : e.kind);
    assert.deepEqual(placeEffects.map(key), effects.map(key), 'the same effects, in the same order');
    // The flush's route deletions against the routes that went (counted per table and prefix).
    const flushed = effects.filter((e) => e.kind === 'route-del' && (e.cause === 'fib_flush' || e.cause === 'fib_disable_ip' || e.cause === 'fib_sync_down_addr'));
    assert.equal(flushed.length, listed, 'the changes count the routes they list');
    const gone = new Map<string, number>();
    const count = (ls: readonly string[], d: number): void => {
      for (const l of ls) gone.set(prefixOf(l), (gone.get(prefixOf(l)) ?? 0) + d);
    };
    count(routeLines(before), 1);
    count(routeLines(after), -1);
    const dels = effects.filter((e) => e.kind === 'route-del');
    const byPrefix = new Map<string, number>();
    for (const e of dels) {
      if (e.kind !== 'route-del') continue;
      const t = e.route.table === 254 ? 'main' : e.route.table === 255 ? 'local' : String(e.route.table);
      const d = e.route.dst;
      const k = `${t} ${d >>> 24}.${(d >>> 16) & 255}.${(d >>> 8) & 255}.${d & 255}${e.route.plen === 32 ? '' : `/${e.route.plen}`}`;
      byPrefix.set(k, (byPrefix.get(k) ?? 0) + 1);
    }
    const wantGone = [...gone].filter(([, n]) => n > 0).sort();
    assert.deepEqual([...byPrefix].sort(), wantGone, 'route-del effects per prefix equal the routes that left `ip route show table all`');
  });
}
