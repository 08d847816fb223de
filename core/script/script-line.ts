// One line of a script: an `ip` or `sysctl` command (split on blanks, no shell), or one of
// the /proc/sys/net shell forms of core/iproute2/proc-sys-line.ts. Shared by the script
// runner, its RxJS fold and the kernel guard, so all three read a line the same way.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { runCommand, type CommandResult } from '../iproute2/ip-command.js';
import { parseProcSysLine } from '../iproute2/proc-sys-line.js';
import { runProcSysLine } from '../iproute2/proc-sys.js';
import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';

/** Why a line is not run at all (another command, or a /proc/sys line in another form). */
export interface RefusedLine {
  readonly refused: string;
  /** A /proc/sys line in a form outside the model: a named gap, not bad input. */
  readonly gap: boolean;
}

/** What a script may contain besides ip and sysctl, in the refusal. */
export const SCRIPT_LINE_FORMS = 'only ip and sysctl commands, and echo/printf/tee/cat of a /proc/sys/net file, are allowed';

/**
 * Runs one script line against `snapshot`.
 * @example runScriptLine(s, 'echo 1 > /proc/sys/net/ipv4/ip_forward') // a CommandResult
 * 1. `ip …` and `sysctl …`: runCommand() over the blank-separated words;
 * 2. a /proc/sys/net line: parseProcSysLine(), then runProcSysLine();
 * 3. anything else: refused.
 */
export function runScriptLine(snapshot: FibSnapshot, command: string, names: PrintNames = BUILTIN_NAMES): CommandResult | RefusedLine {
  const argv = command.split(/[ \t]+/);
  if (argv[0] === 'ip' || argv[0] === 'sysctl') return runCommand(snapshot, argv, names);
  const p = parseProcSysLine(command);
  if (p === null) return { refused: SCRIPT_LINE_FORMS, gap: false };
  if ('refused' in p) return { refused: p.refused, gap: true };
  return runProcSysLine(snapshot, p, names);
}
