// `kfib/replay`: the replay's public surface, listed by hand (see the README's "Library"
// section for the stability promise). A captured trace through the model: the starting
// state from an `ip -j` snapshot, the records replayed (causes applied, the kernel's own
// consequences matched against the model's predictions), the silent changes, the findings
// of --check, and the state at any point.

export { TraceReplayer, type CheckFinding, type ReplayStep, type ReplayStart, type ReplayOptions } from './replayer.js';
export { ReplaySession, type ReplaySessionOptions, type ReplayListener, type ReplayEnd } from './replay-session.js';
export { replayRecords, stateAt, replaySteps, stepAfter, type TracePoint, type ReplayResult } from './replay-run.js';
export { parseTracePoint } from './trace-point.js';
export { CheckpointIndex, DEFAULT_CHECKPOINT_EVERY, type CheckpointIndexOptions } from './checkpoint-index.js';
export { initialState, type InitialState } from './initial-state.js';
export { ipJsonDump, showText, type ReplayView, type ShowWhat } from './ip-json-dump.js';
export { silentChanges, type SilentChange } from './silent-changes.js';
export { explainStep, formatFinding, describeSilent, mechanism } from './explain.js';
