// A /proc/sys/net line of a script (core/script/proc-sys-line.ts) against the model, with
// what `bash -c LINE` prints for it with its stderr sent to a file, as the kernel runner
// runs it (bash 5.2, coreutils tee and cat; captured in test/fixtures/kernel/proc-sys-*):
//
// | line                    | file missing                                   | read-only (0444)            | write refused (EINVAL)                       |
// | ----------------------- | ---------------------------------------------- | --------------------------- | -------------------------------------------- |
// | echo/printf … > F       | bash: line 1: F: No such file or directory, exit 1 | bash: line 1: F: Permission denied | bash: line 1: echo: write error: Invalid argument (printf: idem), exit 1 |
// | echo … | tee F          | tee: F: No such file or directory, exit 1      | tee: F: Permission denied   | tee: F: Invalid argument, exit 1             |
// | cat F                   | cat: F: No such file or directory, exit 1      | (route/flush is 0200: cat: F: Permission denied) |                |
//
// tee copies its input to stdout whatever the file does. A write of no bytes (`echo -n`
// of nothing) opens the file and writes nothing. The value goes through the proc handler
// exactly as `sysctl -w` does (writeSysctlFile()).

import { CommandContext, notModelled, runInContext, type CommandResult } from './command-context.js';
import { readSysctlFile, resolveSysctlFile, writeSysctlFile } from './sysctl-procps.js';
import { DEVCONF_READONLY } from '../uapi/ip-devconf.js';
import type { ProcSysLine } from './proc-sys-line.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';

/** The shapes of the files the model has; any other path under /proc/sys/net is a gap. */
const SHAPES = [/^net\/ipv4\/[a-z_]+$/, /^net\/ipv4\/route\/flush$/, /^net\/ipv4\/conf\/[^/]+\/[a-z0-9_]+$/, /^net\/ipv6\/conf\/all\/disable_ipv6$/];

/**
 * Runs one /proc/sys line.
 * @example procSysCmd(ctx, { kind: 'read', path: 'net/ipv4/ip_forward', shown: '/proc/sys/net/ipv4/ip_forward' }) // prints "0\n"
 * 1. resolve the path as sysctl does (a missing device or key: ENOENT);
 * 2. a read prints the value and a newline;
 * 3. a write opens the file (ENOENT, EACCES for a read-only one), then writes its bytes
 *    through the proc handler when there are any.
 */
export function procSysCmd(ctx: CommandContext, l: ProcSysLine): void {
  const label = `${l.kind === 'read' ? 'cat' : l.producer} ${l.shown}`;
  if (!SHAPES.some((r) => r.test(l.path))) notModelled(`${label} (a /proc/sys file or directory the model does not have)`);
  const file = resolveSysctlFile(ctx, l.path, label);
  // bash -c with stderr not a terminal names the line: `bash: line 1: `.
  const who = l.kind === 'read' ? 'cat' : l.tee !== null ? 'tee' : 'bash: line 1';
  if (l.kind === 'write' && l.tee?.toStdout === true) ctx.print(l.bytes);
  const fail = (why: string): void => {
    ctx.warn(`${who}: ${l.shown}: ${why}\n`);
    ctx.out.exit = 1;
  };
  if (file === null) return fail('No such file or directory');
  if (l.kind === 'read') {
    if (file.kind === 'route_flush') return fail('Permission denied');
    const v = readSysctlFile(ctx, file);
    if (v === null) notModelled(`${label}: its value is not in the imported state`);
    ctx.print(`${v}\n`);
    return;
  }
  if (file.kind === 'conf' && DEVCONF_READONLY.has(file.key)) return fail('Permission denied');
  if (l.bytes === '') return;
  if (writeSysctlFile(ctx, file, label, l.bytes)) return;
  if (l.tee !== null) return fail('Invalid argument');
  ctx.warn(`bash: line 1: ${l.producer}: write error: Invalid argument\n`);
  ctx.out.exit = 1;
}

/** One /proc/sys line against `snapshot`, as runCommand() runs an ip or sysctl line. */
export function runProcSysLine(snapshot: FibSnapshot, l: ProcSysLine, names: PrintNames = BUILTIN_NAMES): CommandResult {
  return runInContext(snapshot, names, (ctx) => procSysCmd(ctx, l));
}
