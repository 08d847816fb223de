// One replay of a decoded trace, from its first record to its end: the state the CLI's
// `kfib replay` needs besides the records themselves (the rtmon link dump that precedes the
// replay's start, the state at --at, the stop at --until, the --check findings, the count of
// silent changes, the decoder's statistics). It owns a TraceReplayer (replayer.ts) and
// reports what happens through a listener, so the caller does only I/O. No fs, no clock.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { IpSnapshot } from '../trace/ip-json.js';
import type { LinkRecord, TraceRecord, TraceStats } from '../trace/netlink-records.js';
import { initialState, type InitialState } from './initial-state.js';
import { TraceReplayer, type CheckFinding, type ReplayStep } from './replayer.js';
import { stepAfter, type TracePoint } from './replay-run.js';
import type { ReplayView } from './ip-json-dump.js';
import type { PrintNames } from '../uapi/rt-names.js';
import { CheckpointIndex } from './checkpoint-index.js';

export interface ReplaySessionOptions {
  /** 'binary' (rtmon) or 'text' (`ip monitor`). */
  readonly form: 'binary' | 'text';
  readonly explain: boolean;
  readonly check: boolean;
  /** The state at this point is kept (`at()`). */
  readonly at?: TracePoint;
  /** Records after this point end the replay. */
  readonly until?: TracePoint;
  /** Earlier snapshots must stay intact (a report keeps them all). */
  readonly keepHistory: boolean;
  /**
   * Build a checkpoint index (checkpoint-index.ts) of every step: the state at any point
   * afterwards (ReplayEnd.index). Implied by `at` and `until`, whose states come from it.
   * A number sets the steps between checkpoints.
   */
  readonly timeTravel?: boolean | number;
  /** The capturing host's name tables (rt_tables ...): the initial snapshot's names, and printing. */
  readonly names?: PrintNames;
}

/** What a session reports as it goes. */
export interface ReplayListener {
  /** The replay starts (at the first record after the link dump, or at the end). */
  start?(init: InitialState, dump: readonly LinkRecord[], initial: IpSnapshot | null): void;
  /** A step was made; `before` is the state before it. */
  step?(st: ReplayStep, before: FibSnapshot): void;
  /** A bad record of the trace; `fatal`: the rest of the trace is not read. */
  problem?(message: string, fatal: boolean): void;
}

/** Where the replay ended. */
export interface ReplayEnd {
  readonly end: ReplayView;
  /** The state at the --at point, or null when the point lies after the last step. */
  readonly at: ReplayView | null;
  /** --check: every missing, unexpected or different notification. */
  readonly findings: readonly CheckFinding[];
  readonly silentChanges: number;
  /** Records replayed (after the link dump). */
  readonly records: number;
  readonly stats?: TraceStats;
  /** A fatal record stopped the replay. */
  readonly fatal: boolean;
  /** The --until point stopped it. */
  readonly stopped: boolean;
  /** The time-travel index of the replay's steps (options `timeTravel`, `at`, `until`), else null. */
  readonly index: CheckpointIndex | null;
}

/**
 * A replay fed record by record.
 * @example
 *   const s = new ReplaySession(initial, { form: 'binary', explain: true, check: false, keepHistory: false }, listener);
 *   for (const r of records) s.push(r);
 *   const { end, silentChanges } = s.finish();
 */
export class ReplaySession {
  private replayer: TraceReplayer | null = null;
  private readonly dump: LinkRecord[] = [];
  private view: ReplayView | null = null;
  private atView: ReplayView | null = null;
  private index: CheckpointIndex | null = null;
  private readonly findings: CheckFinding[] = [];
  private silent = 0;
  private records = 0;
  private stats: TraceStats | undefined;
  private fatal = false;
  private halted = false;

  constructor(
    private readonly initial: IpSnapshot | null,
    private readonly o: ReplaySessionOptions,
    private readonly listener: ReplayListener = {},
  ) {}

  /** Whether the --until point was passed (the rest of the trace need not be read). */
  get stopped(): boolean {
    return this.halted;
  }

  push(r: TraceRecord): void {
    switch (r.kind) {
      case 'error':
        this.listener.problem?.(r.message, r.fatal);
        if (r.fatal) this.fatal = true;
        return;
      case 'end':
        this.stats = r.stats;
        return;
      case 'timestamp':
      case 'skipped':
        return;
      default:
    }
    this.records++;
    if (r.kind === 'link' && r.dump && this.replayer === null) {
      this.dump.push(r);
      return;
    }
    const rp = this.started();
    for (const st of rp.push(r)) this.onStep(st);
    this.index?.settle(this.checkpoint, rp.changeSinceCheckpoint);
  }

  /** The index's checkpoint hook, made once (a closure per record was an allocation each). */
  private readonly checkpoint = (): ReplayView => (this.replayer as TraceReplayer).checkpoint();

  /** Ends the replay: pending steps, unmatched predictions, the states asked for. */
  finish(): ReplayEnd {
    const rp = this.started();
    const fin = rp.finish();
    for (const st of fin.steps) this.onStep(st);
    if (!this.halted) this.findings.push(...fin.missing);
    const idx = this.index;
    // In place, the replay went on past the --until point: the state there is the index's.
    const end = idx !== null && this.halted ? idx.stateAfter(idx.steps) : (this.view as ReplayView);
    let at = this.atView;
    if (idx !== null && this.o.at !== undefined) {
      // The state at the point when a step lies after it (else null: the end is shown).
      const n = idx.stepsAt(this.o.at);
      at = n < idx.steps ? idx.stateAfter(n) : null;
    }
    return {
      end,
      at: this.o.at === undefined ? null : at,
      findings: this.findings,
      silentChanges: this.silent,
      records: this.records,
      ...(this.stats === undefined ? {} : { stats: this.stats }),
      fatal: this.fatal,
      stopped: this.halted,
      index: idx,
    };
  }

  private started(): TraceReplayer {
    if (this.replayer !== null) return this.replayer;
    const init = this.o.names === undefined ? initialState(this.initial, this.dump) : initialState(this.initial, this.dump, this.o.names);
    this.listener.start?.(init, this.dump, this.initial);
    this.view = { snapshot: init.snapshot, links: init.links, metrics: init.metrics, ...this.namesPart() };
    // Tables are updated in place (no history kept) unless --explain or --check compare
    // states or a report keeps them all. --at and --until read the state before a step
    // already made (a step is known to be past the point once made): with the replay in
    // place, from the checkpoint index, whose checkpoints the replay leaves intact.
    const inPlace = !this.o.explain && !this.o.check && !this.o.keepHistory;
    const tt = this.o.timeTravel;
    if (tt !== undefined && tt !== false) this.index = new CheckpointIndex(this.view, typeof tt === 'number' ? { every: tt } : {});
    else if (this.o.at !== undefined || this.o.until !== undefined) this.index = new CheckpointIndex(this.view);
    this.replayer = new TraceReplayer({ snapshot: init.snapshot, links: init.links, metrics: init.metrics, ...this.namesPart() }, { form: this.o.form, explain: this.o.explain, check: this.o.check, inPlace });
    return this.replayer;
  }

  private onStep(st: ReplayStep): void {
    if (this.halted) return;
    if (this.o.until !== undefined && stepAfter(st, this.o.until)) {
      this.halted = true;
      return;
    }
    const before = this.view as ReplayView;
    // With an index the state at --at comes from it (finish()); `before` may have been changed in place.
    if (this.index === null && this.o.at !== undefined && this.atView === null && stepAfter(st, this.o.at)) this.atView = before;
    this.index?.add(st);
    if (this.o.explain) this.silent += st.silent.length;
    for (const f of st.findings) this.findings.push(f);
    this.listener.step?.(st, before.snapshot);
    // Written out, not spread: this runs on every record.
    const names = this.o.names;
    this.view = names === undefined ? { snapshot: st.snapshot, links: st.links, metrics: st.metrics } : { snapshot: st.snapshot, links: st.links, metrics: st.metrics, names };
  }

  private namesPart(): { names?: PrintNames } {
    return this.o.names === undefined ? {} : { names: this.o.names };
  }
}
