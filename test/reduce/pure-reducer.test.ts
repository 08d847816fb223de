// The reducer is pure (issue 10 item 3): a snapshot, once made, is never changed by a later
// event, whichever way the later events are reduced. Each snapshot is deep-copied when it is
// made and compared with its copy after the whole script: reduceFib(), a FibRunner (reused
// working copy), and a FibRunner in in-place mode continuing from snapshots it did not make.
// A failure prints the seed and the shrunk `ip` script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ipScript, scriptText, type IpCommand } from '../../props/arbitraries/index.js';
import { modelRun } from '../../props/invariants/model-run.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { FibRunner } from '../../core/reduce/fib-runner.js';
import { deviceByName, initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import { InfoIndex, InfoVersions } from '../../core/snapshot/fib-info-versions.js';
import { FibLineage } from '../../core/snapshot/fib-lineage.js';
import { AliasSigs } from '../../core/snapshot/alias-sig.js';

const RUNS = 150;
const seed = Number(process.env['KFIB_PROPS_SEED'] ?? 20261205);

/**
 * Caches a table or a lineage owns, which a later event may grow without changing what the
 * snapshot says: InfoIndex (an append-only superset of the fib_infos stored, fib_info_devhash,
 * shared by the tables made from one another: see core/snapshot/fib-info-versions.ts),
 * InfoVersions' memo fields, and the lineage (core/snapshot/fib-lineage.ts: its fib_info hash
 * and the alias-list signature registry, AliasSigs, which every table of it also points to).
 * The copy keeps them by identity and leaves the memos out; everything else is copied and
 * compared, the tables' signature tags included.
 */
const MEMO_FIELDS = new Set<PropertyKey>(['aliasMemo', 'listMemo', 'lastList', 'lastOut']);

/** A structural copy: same prototypes, own properties, Map/Set entries and array items copied. */
function deepCopy<T>(x: T, seen = new Map<unknown, unknown>()): T {
  if (x === null || typeof x !== 'object') return x;
  if (x instanceof InfoIndex || x instanceof FibLineage || x instanceof AliasSigs) return x;
  const known = seen.get(x);
  if (known !== undefined) return known as T;
  if (ArrayBuffer.isView(x)) {
    const c = (x as unknown as { slice(): unknown }).slice();
    seen.set(x, c);
    return c as T;
  }
  if (x instanceof Map) {
    const c = new Map();
    seen.set(x, c);
    for (const [k, v] of x) c.set(deepCopy(k, seen), deepCopy(v, seen));
    return c as T;
  }
  if (x instanceof Set) {
    const c = new Set();
    seen.set(x, c);
    for (const v of x) c.add(deepCopy(v, seen));
    return c as T;
  }
  const c: Record<PropertyKey, unknown> = Array.isArray(x) ? [] : Object.create(Object.getPrototypeOf(x) as object);
  seen.set(x, c);
  const memo = x instanceof InfoVersions;
  for (const k of Reflect.ownKeys(x)) {
    if (memo && MEMO_FIELDS.has(k)) continue;
    c[k] = deepCopy((x as Record<PropertyKey, unknown>)[k], seen);
  }
  return c as T;
}

type Mode = 'reduceFib' | 'runner' | 'runner-in-place';

/**
 * Reduces the events from the initial snapshot, copying each snapshot it must not change;
 * returns [snapshot, copy] pairs. In in-place mode the first half is made by reduceFib and
 * the runner continues from there: those are the snapshots it did not make.
 */
function run(events: readonly FibEvent[], mode: Mode): [FibSnapshot, FibSnapshot][] {
  let s = initialSnapshot();
  const kept: [FibSnapshot, FibSnapshot][] = [[s, deepCopy(s)]];
  const runner = new FibRunner({ inPlace: mode === 'runner-in-place' });
  const half = mode === 'runner-in-place' ? Math.floor(events.length / 2) : 0;
  events.forEach((e, i) => {
    const byRunner = mode === 'runner' || (mode === 'runner-in-place' && i >= half);
    s = byRunner ? runner.reduce(s, e).snapshot : reduceFib(s, e).snapshot;
    // In-place mode: what the runner hands out is valid until its next reduction only.
    if (mode !== 'runner-in-place' || i < half) kept.push([s, deepCopy(s)]);
  });
  return kept;
}

for (const mode of ['reduceFib', 'runner', 'runner-in-place'] as const) {
  test(`an earlier snapshot deep-equals its own copy after every later event (${mode}) [${RUNS} runs]`, () => {
    const r = fc.check(
      fc.property(ipScript({ maxCommands: 40 }), (cmds: IpCommand[]) => {
        const events = modelRun(cmds).steps.map((x) => x.event);
        const kept = run(events, mode);
        kept.forEach(([snap, copy], i) => assert.deepStrictEqual(deepCopy(snap), copy, `snapshot ${i} of ${kept.length} changed`));
      }),
      { numRuns: RUNS, seed },
    );
    if (r.failed) {
      const cmds = r.counterexample?.[0];
      assert.fail(`${mode}: failed (seed ${r.seed}, path ${r.counterexamplePath ?? ''})\n${String(r.errorInstance ?? '')}\n${cmds === undefined ? '' : scriptText(cmds)}`);
    }
    assert.equal(r.numRuns, RUNS);
  });
}

test('a snapshot shared by two later branches stays as it was (reduceFib)', () => {
  // One base, two different next events: neither may see the other's change.
  let s = initialSnapshot();
  s = reduceFib(s, { type: 'link-add', link: { name: 'v0', kind: 'veth', up: true }, peer: { name: 'v0p', kind: 'veth', up: false } }).snapshot;
  const copy = deepCopy(s);
  const ifindex = deviceByName(s, 'v0')?.ifindex ?? -1;
  const a = reduceFib(s, { type: 'addr-add', ifindex, local: 0xc0000201, address: 0xc0000201, prefixlen: 24, broadcast: 0, scope: 0, metric: 0, noprefixroute: false, replace: false });
  const b = reduceFib(s, { type: 'link-set', ifindex, up: false });
  assert.notEqual(a.snapshot, s);
  assert.notEqual(b.snapshot, s);
  assert.deepStrictEqual(s, copy);
  assert.equal(a.error, null);
  assert.equal(a.snapshot.devices.get(ifindex)?.addrs.length, 1);
  assert.equal(b.snapshot.devices.get(ifindex)?.up, false);
  assert.equal(s.devices.get(ifindex)?.up, true);
});
