// The replay of a kfib event log (core/events/event-log.ts): each logged event folded through
// the reducer, with the state at --at kept, the stop at --until, the events the model refuses
// counted (the kernel would have refused them: the log is not a kernel's history) and, for
// --explain, each event's silent changes. The event-log counterpart of replay-session.ts,
// so that the CLI does only I/O. No fs, no clock.

import type { LoggedEvent } from '../events/event-log.js';
import type { FibEvent } from '../events/fib-event.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { reduceFib, type Step } from '../reduce/reduce.js';
import type { PrintNames } from '../uapi/rt-names.js';
import type { InitialState } from './initial-state.js';
import type { ReplayView } from './ip-json-dump.js';
import type { TracePoint } from './replay-run.js';
import { silentChanges, type SilentChange } from './silent-changes.js';

/** One logged event applied: the state before it, the reducer's step, its silent changes (--explain). */
export interface LogStep {
  readonly seq: number;
  readonly event: FibEvent;
  readonly before: FibSnapshot;
  readonly step: Step;
  /** Empty unless explaining. */
  readonly silent: readonly SilentChange[];
}

export interface LogReplayOptions {
  readonly explain: boolean;
  readonly names: PrintNames;
  readonly at?: TracePoint | undefined;
  readonly until?: TracePoint | undefined;
}

export class LogReplay {
  /** The state after every event applied so far. */
  view: ReplayView;
  /** The state at --at @N, once passed. */
  atView: ReplayView | null = null;
  /** Events the model refused. */
  refused = 0;
  /** The refused events, as completeness.ts counts them. */
  readonly refusedSteps: { seq: number; notes: readonly string[] }[] = [];
  /** Silent changes of all events (--explain). */
  silentCount = 0;
  /** Past --until: later events are not applied. */
  stopped = false;

  constructor(
    init: Pick<InitialState, 'snapshot' | 'links' | 'metrics'>,
    private readonly opts: LogReplayOptions,
  ) {
    this.view = { snapshot: init.snapshot, links: init.links, metrics: init.metrics, names: opts.names };
  }

  /** Applies one logged event; null when the replay has stopped (--until). */
  apply({ seq, event }: LoggedEvent): LogStep | null {
    if (this.stopped) return null;
    const { at, until } = this.opts;
    if (until?.kind === 'seq' && seq > until.seq) {
      this.stopped = true;
      return null;
    }
    const v = this.view;
    if (at?.kind === 'seq' && this.atView === null && seq > at.seq) this.atView = v;
    const step = reduceFib(v.snapshot, event);
    if (step.error !== null) {
      this.refused++;
      this.refusedSteps.push({ seq, notes: [`the model refused it: ${step.error.errno}`] });
    }
    let silent: readonly SilentChange[] = [];
    if (this.opts.explain) {
      silent = silentChanges(v.snapshot, step.snapshot, step.effects, { rules: true });
      this.silentCount += silent.length;
    }
    this.view = { snapshot: step.snapshot, links: v.links, metrics: v.metrics, names: this.opts.names };
    return { seq, event, before: v.snapshot, step, silent };
  }
}
