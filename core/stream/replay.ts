// RxJS pipelines: a stream of events folded through the reducer into a stream of
// snapshots with their effects (events$ -> steps$), and a stream of script lines into
// transcript lines. Only folds: all state lives in the immutable snapshots.

import { type Observable, scan, map } from 'rxjs';
import type { FibEvent } from '../events/fib-event.js';
import { reduceFib, type Step } from '../reduce/reduce.js';
import type { Change } from '../snapshot/effects.js';
import { initialSnapshot, type FibSnapshot } from '../snapshot/snapshot.js';
import { runCommand } from '../iproute2/ip-command.js';
import type { ScriptLine } from '../script/run-script.js';

/** One reduced event. */
export interface ReplayStep extends Step {
  readonly seq: number;
  readonly event: FibEvent;
}

/**
 * events$ -> steps$: `scan` over reduceFib.
 * @example snapshots(from(events)).subscribe((s) => console.log(s.seq, s.effects.length))
 */
export function snapshots(events$: Observable<FibEvent>, start: FibSnapshot = initialSnapshot()): Observable<ReplayStep> {
  const seed: ReplayStep = { seq: 0, event: { type: 'ip-forward', value: 0 }, snapshot: start, effects: [], error: null };
  return events$.pipe(scan((prev: ReplayStep, event: FibEvent): ReplayStep => new StreamStep(prev.seq + 1, event, reduceFib(prev.snapshot, event)), seed));
}

/**
 * A reduced event with its sequence number. Not a spread of the reducer's step: its effects
 * are a getter (listed from the per-fib_info changes on first read), which a spread drops.
 */
class StreamStep implements ReplayStep {
  readonly snapshot: FibSnapshot;
  readonly error: Step['error'];
  constructor(
    readonly seq: number,
    readonly event: FibEvent,
    private readonly step: Step,
  ) {
    this.snapshot = step.snapshot;
    this.error = step.error;
  }
  get effects(): Step['effects'] {
    return this.step.effects;
  }
  get changes(): readonly Change[] {
    return this.step.changes ?? this.step.effects;
  }
}

/** Command lines ({line, command}) -> executed script lines, state carried by scan. */
export function scriptLines(
  lines$: Observable<{ readonly line: number; readonly command: string }>,
  start: FibSnapshot = initialSnapshot(),
): Observable<ScriptLine> {
  const norm = (s: string): string => (s.length === 0 || s.endsWith('\n') ? s : `${s}\n`);
  interface Acc {
    readonly snapshot: FibSnapshot;
    readonly out: ScriptLine | null;
  }
  return lines$.pipe(
    scan(
      (acc: Acc, { line, command }): Acc => {
        const argv = command.split(/[ \t]+/);
        if (argv[0] !== 'ip' && argv[0] !== 'sysctl') {
          const out: ScriptLine = { line, command, stdout: '', stderr: '', exit: 0, problem: 'only ip and sysctl commands are allowed', steps: [], snapshot: acc.snapshot };
          return { snapshot: acc.snapshot, out };
        }
        const r = runCommand(acc.snapshot, argv);
        const nm = r.output.notModelled;
        const out: ScriptLine = {
          line,
          command,
          stdout: norm(r.output.stdout),
          stderr: norm(r.output.stderr),
          exit: r.output.exit,
          ...(nm === undefined ? {} : { problem: `not modelled: ${nm}` }),
          steps: r.steps,
          snapshot: r.snapshot,
        };
        return { snapshot: r.snapshot, out };
      },
      { snapshot: start, out: null } as Acc,
    ),
    map((acc) => acc.out as ScriptLine),
  );
}
