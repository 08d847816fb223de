// Running a script of `ip`/`sysctl` lines (and /proc/sys/net echo/cat lines) the way shared/scenarios/run-kernel.sh does,
// producing the same transcript format: "$ CMD", stdout, stderr, "[exit N]" when N != 0.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { initialSnapshot } from '../snapshot/snapshot.js';
import { runScriptLine } from './script-line.js';
import type { FibEvent } from '../events/fib-event.js';
import type { Step } from '../reduce/reduce.js';
import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';

/** One executed line of a script. */
export interface ScriptLine {
  /** 1-based line number in the script file. */
  readonly line: number;
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number;
  /** Set when the line is valid iproute2 syntax outside the model (or not ip/sysctl at all). */
  readonly problem?: string;
  readonly steps: readonly { readonly event: FibEvent; readonly step: Step }[];
  readonly snapshot: FibSnapshot;
}

/** Normalise one stream as the runner does: a non-empty stream always ends in a newline. */
function norm(s: string): string {
  return s.length === 0 || s.endsWith('\n') ? s : `${s}\n`;
}

/** The lines of a script that are commands: trimmed, no blanks, no comments. */
export function scriptCommands(text: string): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const cmd = raw.replace(/\r$/, '').trim();
    if (cmd === '' || cmd.startsWith('#')) return;
    out.push({ line: i + 1, command: cmd });
  });
  return out;
}

/**
 * Runs a script from `start` (default: the scenario runner's fresh namespace), with the
 * host's name tables (rt_tables ...: `table isp1` parses and prints as on that host).
 * 1. read each line as an ip/sysctl command or a /proc/sys/net shell form (runScriptLine);
 * 2. run it against the current snapshot;
 * 3. record its transcript entry and the events it applied.
 */
export function* runScript(text: string, start: FibSnapshot = initialSnapshot(), names: PrintNames = BUILTIN_NAMES): Generator<ScriptLine> {
  let snapshot = start;
  for (const { line, command } of scriptCommands(text)) {
    const l = scriptLineStep(snapshot, line, command, names);
    snapshot = l.snapshot;
    yield l;
  }
}

/**
 * One line of a script run against `snapshot` (runScriptLine()), as its transcript entry:
 * a refused line changes nothing and carries why; a gap is `not modelled: …`. The one
 * step of runScript() and of the RxJS fold (core/stream/rx.ts scriptLines()).
 */
export function scriptLineStep(snapshot: FibSnapshot, line: number, command: string, names: PrintNames = BUILTIN_NAMES): ScriptLine {
  const r = runScriptLine(snapshot, command, names);
  if ('refused' in r) return { line, command, stdout: '', stderr: '', exit: 0, problem: r.gap ? `not modelled: ${r.refused}` : r.refused, steps: [], snapshot };
  const problem = r.output.notModelled;
  return {
    line,
    command,
    stdout: norm(r.output.stdout),
    stderr: norm(r.output.stderr),
    exit: r.output.exit,
    ...(problem === undefined ? {} : { problem: `not modelled: ${problem}` }),
    steps: r.steps,
    snapshot: r.snapshot,
  };
}

/** The transcript text of one line. */
export function transcriptEntry(l: ScriptLine): string {
  return `$ ${l.command}\n${l.stdout}${l.stderr}${l.exit !== 0 ? `[exit ${l.exit}]\n` : ''}`;
}

/** A whole script's transcript. */
export function transcript(text: string): string {
  let out = '';
  for (const l of runScript(text)) out += transcriptEntry(l);
  return out;
}
