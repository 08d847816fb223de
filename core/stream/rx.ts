// The model's one RxJS module: every pipeline is a decoder turned into a stream (decoded)
// or a fold (fold, over reduceFib or the script runner). Only folds and decoders: all
// state lives in the immutable snapshots or in the decoder a subscription creates.
//
// | operator        | in                    | out                                  | used by            |
// | --------------- | --------------------- | ------------------------------------ | ------------------ |
// | decoded         | chunks                | what a ChunkDecoder makes of them    | trace (rtmon, ip monitor), replay (replaySteps) |
// | fold            | events                | each accumulated state (scan)        | snapshots, scriptLines |
// | snapshots       | FibEvent              | each reduced step (reduceFib)        | props (fold law)   |
// | scriptLines     | numbered command lines| executed script lines                | the package API    |
//
// As rxjs's own scanInternals.ts, one fold serves every accumulation; as a decoder's push()
// and finish() are synchronous, decoded() is concatMap plus a final defer().

import { concat, defer, map, scan, takeWhile, concatMap, type Observable, type OperatorFunction } from 'rxjs';
import type { FibEvent } from '../events/fib-event.js';
import { reduceFib, type Step } from '../reduce/reduce.js';
import type { Change } from '../snapshot/effects.js';
import { initialSnapshot, type FibSnapshot } from '../snapshot/snapshot.js';
import { scriptLineStep, type ScriptLine } from '../script/run-script.js';

export type { Observable, OperatorFunction } from 'rxjs';

/** Anything that turns chunks into items as they come, and says what is left at the end. */
export interface ChunkDecoder<I, R> {
  push(chunk: I): readonly R[];
  finish(): readonly R[];
}

/**
 * A decoder as an operator: a fresh decoder per subscription, each chunk's items emitted in
 * order, the decoder's finish() on completion. When `stopAfter` says an item ends the
 * stream (a fatal error), it is emitted, the input is unsubscribed from, and finish() still
 * adds the tail (the `end` record). Input errors are passed on as errors.
 *
 * @example fileChunks$.pipe(decoded(() => new RtmonDecoder(), (r) => r.kind === 'error' && r.fatal))
 */
export function decoded<I, R>(make: () => ChunkDecoder<I, R>, stopAfter?: (r: R) => boolean): OperatorFunction<I, R> {
  return (source: Observable<I>) =>
    defer(() => {
      const d = make();
      const items = source.pipe(concatMap((chunk) => d.push(chunk)));
      return concat(stopAfter === undefined ? items : items.pipe(takeWhile((r) => !stopAfter(r), true)), defer(() => d.finish()));
    });
}

/** The one fold: each state after each input, from `seed` (rxjs scan). */
export function fold<E, S>(reduce: (s: S, e: E) => S, seed: S): OperatorFunction<E, S> {
  return scan(reduce, seed);
}

/** One reduced event. */
export interface ReplayStep extends Step {
  readonly seq: number;
  readonly event: FibEvent;
}

/**
 * events$ -> steps$: the fold over reduceFib.
 * @example snapshots(from(events)).subscribe((s) => console.log(s.seq, s.effects.length))
 */
export function snapshots(events$: Observable<FibEvent>, start: FibSnapshot = initialSnapshot()): Observable<ReplayStep> {
  const seed: ReplayStep = { seq: 0, event: { type: 'ip-forward', value: 0 }, snapshot: start, effects: [], error: null };
  return events$.pipe(fold((prev: ReplayStep, event: FibEvent): ReplayStep => new StreamStep(prev.seq + 1, event, reduceFib(prev.snapshot, event)), seed));
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

/** Command lines ({line, command}) -> executed script lines, the snapshot carried by the fold. */
export function scriptLines(
  lines$: Observable<{ readonly line: number; readonly command: string }>,
  start: FibSnapshot = initialSnapshot(),
): Observable<ScriptLine> {
  interface Acc {
    readonly snapshot: FibSnapshot;
    readonly out: ScriptLine | null;
  }
  return lines$.pipe(
    fold(
      (acc: Acc, { line, command }: { readonly line: number; readonly command: string }): Acc => {
        const out = scriptLineStep(acc.snapshot, line, command);
        return { snapshot: out.snapshot, out };
      },
      { snapshot: start, out: null } as Acc,
    ),
    map((acc) => acc.out as ScriptLine),
  );
}
