// A generated script through the model, kept as the sequence of reduced events: what
// every invariant looks at.

import type { FibEvent } from '../../core/events/fib-event.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import type { Step } from '../../core/reduce/reduce.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { runScript } from '../../core/script/run-script.js';
import { scriptText, type IpCommand } from '../arbitraries/ip-command.js';

export interface ModelStep {
  readonly event: FibEvent;
  readonly before: FibSnapshot;
  readonly step: Step;
}

export interface ModelRun {
  readonly steps: readonly ModelStep[];
  /** The initial snapshot, then the snapshot after each event. */
  readonly snapshots: readonly FibSnapshot[];
  readonly transcript: string;
}

/** @param onSnapshot called with each snapshot as soon as the model has made it */
export function modelRun(cmds: readonly IpCommand[], onSnapshot?: (s: FibSnapshot) => void): ModelRun {
  let cur = initialSnapshot();
  onSnapshot?.(cur);
  const steps: ModelStep[] = [];
  const snapshots: FibSnapshot[] = [cur];
  let transcript = '';
  for (const l of runScript(scriptText(cmds), cur)) {
    transcript += `$ ${l.command}\n${l.stdout}${l.stderr}${l.exit !== 0 ? `[exit ${l.exit}]\n` : ''}`;
    for (const { event, step } of l.steps) {
      steps.push({ event, before: cur, step });
      cur = step.snapshot;
      snapshots.push(cur);
      onSnapshot?.(cur);
    }
  }
  return { steps, snapshots, transcript };
}
