// Two FIBs in one process are independent (issue 10 item 3, no process-global state in core):
// the caches a reduction fills (the fib_info hash, fib_find_info(); the alias-list signature
// registry the tables are tagged with) belong to the lineage of snapshots that filled them
// (core/snapshot/fib-lineage.ts), so reducing two scripts' events interleaved, each from its
// own initial snapshot, gives each exactly the snapshots, effects and signature tags it
// gives alone. Checked in every mode a reduction runs in: reduceFib(), a FibRunner (reused
// working copy) and a FibRunner in place. A failure prints the seed and both shrunk scripts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ipScript, scriptText, type IpCommand } from '../../props/arbitraries/index.js';
import { modelRun } from '../../props/invariants/model-run.js';
import { reduceFib, type Step } from '../../core/reduce/reduce.js';
import { FibRunner } from '../../core/reduce/fib-runner.js';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { pmapForEach } from '../../core/snapshot/persistent-map.js';
import type { FibEvent } from '../../core/events/fib-event.js';

const RUNS = 100;
const seed = Number(process.env['KFIB_PROPS_SEED'] ?? 20261205);

type Mode = 'reduceFib' | 'runner' | 'runner-in-place';

/** One FIB being reduced: its snapshot so far, its effects and errors per event. */
class Fib {
  s: FibSnapshot = initialSnapshot();
  readonly results: Omit<Step, 'snapshot'>[] = [];
  private readonly runner: FibRunner | null;

  constructor(mode: Mode) {
    this.runner = mode === 'reduceFib' ? null : new FibRunner({ inPlace: mode === 'runner-in-place' });
  }

  apply(e: FibEvent): void {
    const st = this.runner === null ? reduceFib(this.s, e) : this.runner.reduce(this.s, e);
    this.s = st.snapshot;
    this.results.push({ effects: st.effects, error: st.error });
  }
}

/** Every table's (key, tag) column: the signature tags, which a shared registry would renumber. */
function tags(s: FibSnapshot): [number, number[]][] {
  return [...s.tables.values()].map((t) => {
    const out: number[] = [];
    pmapForEach(t.leaves, (key, _v, tag) => out.push(key, tag));
    return [t.id, out];
  });
}

function alone(events: readonly FibEvent[], mode: Mode): Fib {
  const f = new Fib(mode);
  for (const e of events) f.apply(e);
  return f;
}

for (const mode of ['reduceFib', 'runner', 'runner-in-place'] as const) {
  test(`two FIBs reduced interleaved in one process each give what they give alone (${mode}) [${RUNS} runs]`, () => {
    const r = fc.check(
      fc.property(ipScript({ maxCommands: 30 }), ipScript({ maxCommands: 30 }), (a: IpCommand[], b: IpCommand[]) => {
        const ea = modelRun(a).steps.map((x) => x.event);
        const eb = modelRun(b).steps.map((x) => x.event);
        // B first, then A alone: with one process-wide registry, A would number its alias
        // lists after B's; with one per lineage it starts from 0 either way.
        const bAlone = alone(eb, mode);
        const aAlone = alone(ea, mode);
        const fa = new Fib(mode);
        const fb = new Fib(mode);
        for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
          if (i < eb.length) fb.apply(eb[i]!);
          if (i < ea.length) fa.apply(ea[i]!);
        }
        for (const [name, x, y] of [['first', fa, aAlone], ['second', fb, bAlone]] as const) {
          assert.deepStrictEqual(x.results, y.results, `${name} script: effects differ`);
          assert.deepStrictEqual(tags(x.s), tags(y.s), `${name} script: signature tags differ`);
          assert.deepStrictEqual(x.s, y.s, `${name} script: final snapshot differs`);
          assert.equal(x.s.lineage.sigs.count, y.s.lineage.sigs.count, `${name} script: signature count differs`);
          // Numbered by this FIB alone: every tag is one of its own registry's ids.
          for (const [, col] of tags(x.s)) for (let i = 1; i < col.length; i += 2) assert.ok(col[i]! < x.s.lineage.sigs.count, `${name} script: tag ${col[i]} outside its own registry`);
        }
        assert.notEqual(fa.s.lineage, fb.s.lineage);
      }),
      { numRuns: RUNS, seed },
    );
    if (r.failed) {
      const c = r.counterexample;
      assert.fail(
        `${mode}: failed (seed ${r.seed}, path ${r.counterexamplePath ?? ''})\n${String(r.errorInstance ?? '')}\n` +
          (c === null ? '' : `# first script\n${scriptText(c[0])}# second script\n${scriptText(c[1])}`),
      );
    }
    assert.equal(r.numRuns, RUNS);
  });
}

test('a new FIB numbers its alias lists from 0 whatever another FIB stored first (a blackhole route after another FIB stored unreachable, prohibit, throw)', () => {
  // Routes that need no device: three types, three alias lists a lookup tells apart.
  const other = alone(['unreachable', 'prohibit', 'throw'].map((t, n) => ev(`ip route add ${t} 10.${n}.0.0/16`)), 'reduceFib');
  assert.equal(other.s.lineage.sigs.count, 3);
  const fresh = alone([ev('ip route add blackhole 10.9.0.0/16')], 'reduceFib');
  assert.deepStrictEqual(tags(fresh.s), [[254, [((10 << 24) | (9 << 16)) * 256 + 16, 0]]]);
});

/** The one event an `ip` command reduces to (through the model's own script runner). */
function ev(line: string): FibEvent {
  const steps = modelRunLine(line);
  assert.equal(steps.length, 1, line);
  return steps[0]!;
}

function modelRunLine(line: string): FibEvent[] {
  const cmd = { toString: () => line } as unknown as IpCommand;
  return modelRun([cmd]).steps.map((x) => x.event);
}
