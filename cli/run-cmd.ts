// `kfib run`: a script through the model (and optionally the live kernel). Argv, files and
// the terminal here; the script runner is core/script/run-script.ts.

import { existsSync, statSync } from 'node:fs';
import { scriptCommands, runScript, transcript, transcriptEntry, type ScriptLine } from '../core/script/run-script.js';
import { describeEffects } from '../core/iproute2/effects.js';
import { initialSnapshot, type FibSnapshot } from '../core/snapshot/snapshot.js';
import { parseIpSnapshot } from '../core/trace/ip-json.js';
import { initialState } from '../core/replay/initial-state.js';
import { unknownNameEntries } from '../core/replay/ip-json-names.js';
import { jsonPlaces, placeMessage } from './json-input.js';
import { completeness, completenessLines, gapCount, type Completeness } from '../core/replay/completeness.js';
import { BUILTIN_NAMES, type PrintNames } from '../core/uapi/rt-names.js';
import { loadNames } from './names-dir.js';
import { kernelAvailable, kernelTranscript } from '../props/differential/kernel-runner.js';
import { kernelScript } from '../props/differential/kernel-guard.js';
import { unifiedDiff } from './unified-diff.js';
import { EventLog, encodeLogLine } from '../core/events/event-log.js';
import { appendEvents, openLog } from './event-log-file.js';
import { defineCommand, parseCommand, usageError } from './command.js';
import { EXIT } from './exit-status.js';
import { checkOutputs, colourOn, displayName, IoError, readInput } from './io.js';
import { missingDeviceHint } from './first-contact.js';

export const RUN = defineCommand({
  name: 'kfib run',
  usage: 'kfib run [OPTIONS] SCRIPT.ip|-',
  about: `Runs SCRIPT (one ip or sysctl command per line; '#' comments and blank lines are
skipped; no shell: lines are split on blanks; - reads standard input; also the shell
lines echo [-n] V > F, printf 'V\\n' > F, echo V | tee F and cat F of a /proc/sys/net
file) through the model, starting from a fresh network namespace as
shared/scenarios/run-kernel.sh leaves it (only lo, down; table main; the three default
rules; every IPv4 devconf value 0), and prints the transcript the kernel would give:
"$ command", then stdout, then stderr, then "[exit N]" when N is not 0.

A fresh namespace has no devices but lo: declare the ones a script names first
(ip link add eth0 type veth peer name eth0-p), or start from a host's state with
--initial (make host.json on that host with
  printf '{"link":%s,"addr":%s,"route":%s,"rule":%s,"netconf":%s}\\n' "$(ip -j link)" \\
    "$(ip -j addr)" "$(ip -j route show table all)" "$(ip -j rule)" "$(ip -j -4 netconf)" > host.json
; no root needed).`,
  options: {
    explain: {
      type: 'boolean',
      help: `after each command, list what it changed in the FIB, each change
marked "notified" (ip monitor would show it) or "silent", with the
kernel function that made it. Lines start with "  # ".`,
    },
    json: {
      type: 'boolean',
      help: `print the transcript as JSON Lines: one object per command
{"line","command","stdout","stderr","exit"} (+ "problem" when it is
outside the model, + "changes" with --explain).`,
    },
    kernel: {
      type: 'boolean',
      help: `also run the script in a fresh private network namespace of this
machine's kernel (root on Linux; configure and query only, no packet
is sent): after the model's transcript, print a unified diff, model
against kernel, or say that they agree (on stderr). Lines outside the
model are withheld from the kernel (named on stderr, gaps as without
--kernel); so are lines the kernel guard does not let through (it
allows only what stays in the private namespace: exit 2). Exit 1 on
any difference.`,
    },
    initial: { type: 'string', arg: 'FILE', help: 'start from this ip -j snapshot (see above) instead of a fresh namespace.' },
    names: {
      type: 'string',
      arg: 'DIR',
      help: `iproute2 name files (rt_tables, rt_tables.d/*.conf, rt_protos, ...) as in
/etc/iproute2; default: the "names" member of --initial (kfib snapshot
writes it), else iproute2's built-in names. A name none defines is an error.`,
    },
    log: { type: 'string', arg: 'FILE', help: 'append every event the script applied to FILE as JSON Lines (- : to\nstandard output, in place of the transcript).' },
  },
  positionals: { min: 1, max: 1, what: 'one script file (or - for standard input)' },
  exit: `0 when every line and the whole --initial state were modelled (whatever the
commands' own exit codes); 3 when a line is a valid command outside the model ("kfib: not
modelled: ..." on stderr; the rest of the script still runs) or part of the --initial
state could not be imported: "# run:" lines at the end of stdout name each gap; 2 when a
line is not an ip or sysctl command nor a /proc/sys/net line, the script or snapshot cannot be
read, or (--kernel) the kernel guard withheld a line the model ran; 1 with --kernel on a difference; 74 when
the log cannot be written.`,
});

/** A transcript entry as one JSON object (the --json form). */
function jsonEntry(l: ScriptLine, changes: readonly string[] | null): string {
  return `${JSON.stringify({
    line: l.line,
    command: l.command,
    stdout: l.stdout,
    stderr: l.stderr,
    exit: l.exit,
    ...(l.problem === undefined ? {} : { problem: l.problem }),
    ...(changes === null ? {} : { changes }),
  })}\n`;
}

/** The "link_kinds" member `kfib snapshot` writes (device name → IFLA_INFO_KIND), when valid; undefined when the snapshot has none (an `ip -j` dump). */
function linkKindsOf(json: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const k = (json as Readonly<Record<string, unknown>>)['link_kinds'];
  if (typeof k !== 'object' || k === null || Array.isArray(k)) return undefined;
  return Object.fromEntries(Object.entries(k).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The ifindexes of the snapshot's `addr` elements with an IPv6 address (addr_info of family inet6), which parseIpSnapshot() leaves out. */
function inet6DevicesOf(json: unknown): number[] {
  if (typeof json !== 'object' || json === null) return [];
  const addr = (json as Readonly<Record<string, unknown>>)['addr'];
  if (!Array.isArray(addr)) return [];
  const out: number[] = [];
  for (const a of addr as readonly unknown[]) {
    if (typeof a !== 'object' || a === null) continue;
    const o = a as Readonly<Record<string, unknown>>;
    const info = o['addr_info'];
    if (typeof o['ifindex'] !== 'number' || !Array.isArray(info)) continue;
    const v6 = (info as readonly unknown[]).some((x) => typeof x === 'object' && x !== null && (x as Readonly<Record<string, unknown>>)['family'] === 'inet6');
    if (v6) out.push(o['ifindex']);
  }
  return out;
}

/** What readInitial() gives: the start, the names, and what the import left out. */
interface InitialRead {
  readonly start: FibSnapshot;
  readonly names: PrintNames;
  /** parseIpSnapshot().skipped: entries not read (IPv6, unknown keys). */
  readonly skipped: Readonly<Record<string, number>>;
  /** InitialState.differences: what the model could not reproduce. */
  readonly differences: readonly string[];
}

/** The --initial snapshot's state and the name tables (--names DIR, else the snapshot's "names"). */
function readInitial(path: string, namesDir: string | undefined): InitialRead | string {
  let json: unknown;
  let text: string;
  try {
    text = readInput(path).toString('utf8');
    json = JSON.parse(text);
  } catch (e) {
    if (e instanceof IoError) return `cannot read ${e.path}: ${e.reason}`;
    return `${displayName(path, 'in')}: not JSON (${e instanceof Error ? e.message : String(e)}); expected an ip -j snapshot`;
  }
  // Each bad entry is named FILE:LINE:COLUMN (where its element starts), as an editor opens it.
  const place = jsonPlaces(text);
  const r = parseIpSnapshot(json, { file: path });
  if (r.errors.length > 0) return r.errors.map((e) => placeMessage(e.message, path, e.path, place)).join('\n');
  const names = loadNames(namesDir, { json, shown: displayName(path, 'in') });
  if (typeof names === 'string') return names;
  // A name no name table defines is an error, never table main (rtnl_rttable_a2n fails).
  const bad = unknownNameEntries(r.snapshot, names, r.sources);
  if (bad.length > 0) return bad.map((e) => placeMessage(e.message, displayName(path, 'in'), e.path, place)).join('\n');
  const kinds = linkKindsOf(json);
  const init = initialState(r.snapshot, [], names, { ...(kinds === undefined ? {} : { linkKinds: kinds }), inet6Devices: inet6DevicesOf(json) });
  return { start: init.snapshot, names, skipped: r.skipped, differences: init.differences };
}

/**
 * The end of a run that left something out: the "# run:" lines (completeness.ts) on stdout,
 * or one {"completeness":…} line with --json; on stderr when stdout carries the event log.
 * An exact run prints nothing here, so its transcript stays the kernel's.
 */
function printRunCompleteness(c: Completeness, json: boolean, toStderr: boolean): void {
  if (gapCount(c) === 0) return;
  const text = json
    ? `${JSON.stringify({ completeness: { exact: false, initial: c.hasInitial, gaps: c.gaps, outOfScope: c.outOfScope, initialDifferences: c.initialDifferences } })}\n`
    : completenessLines(c, 'run').map((l) => `${l}\n`).join('');
  if (toStderr) process.stderr.write(text.split('\n').filter((l) => l !== '').map((l) => `kfib run: ${l.replace(/^# /, '')}\n`).join(''));
  else process.stdout.write(text);
}

/**
 * Runs `kfib run ARGV…`; resolves to the exit status.
 * @example process.exitCode = await runMain(['--explain', 'examples/seed-stories.ip']);
 */
export async function runMain(argv: readonly string[]): Promise<number> {
  const p = parseCommand(RUN, argv);
  if (p.kind === 'exit') return p.code;
  const { values } = p;
  const file = p.positionals[0] as string;
  const name = displayName(file, 'in');
  const bad = checkOutputs(RUN.name, { log: values.log });
  if (bad !== null) return bad;
  // The log is read back before it is appended to (its sequence numbers go on): a file.
  if (values.log !== undefined && values.log !== '-' && existsSync(values.log) && !statSync(values.log).isFile()) return usageError(RUN.name, `--log ${values.log}: not a regular file (the log is read back and appended to)`);
  if (values.kernel && values.initial !== undefined) return usageError(RUN.name, '--kernel starts from a fresh namespace; it cannot be combined with --initial');
  if (values.kernel) {
    const ok = kernelAvailable();
    if (!ok.ok) {
      process.stderr.write(`kfib run --kernel: cannot run the kernel here: ${ok.why}\n`);
      return EXIT.usage;
    }
  }
  if (values.kernel && values.names !== undefined) return usageError(RUN.name, '--kernel runs this machine\'s ip, which reads its own /etc/iproute2; it cannot be combined with --names');
  let start = initialSnapshot();
  let names: PrintNames = BUILTIN_NAMES;
  let initialSkipped: Readonly<Record<string, number>> = {};
  let initialDifferences: readonly string[] = [];
  if (values.initial !== undefined) {
    const s = readInitial(values.initial, values.names);
    if (typeof s === 'string') {
      process.stderr.write(`kfib run: --initial: ${s.split('\n').join('\nkfib run: --initial: ')}\n`);
      return EXIT.usage;
    }
    start = s.start;
    names = s.names;
    initialSkipped = s.skipped;
    initialDifferences = s.differences;
    for (const d of s.differences) process.stderr.write(`kfib run: --initial: differs from what the model imported: ${d}\n`);
  } else if (values.names !== undefined) {
    const n = loadNames(values.names, null);
    if (typeof n === 'string') {
      process.stderr.write(`kfib run: ${n}\n`);
      return EXIT.usage;
    }
    names = n;
  }
  let buf: Buffer;
  try {
    buf = readInput(file);
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
    process.stderr.write(`kfib run: cannot read ${e.path}: ${e.reason}\n`);
    return EXIT.usage;
  }
  if (buf.includes(0)) {
    process.stderr.write(`kfib run: ${name}: binary file (a NUL byte at offset ${buf.indexOf(0)}); expected a text script of ip/sysctl commands\n`);
    return EXIT.usage;
  }
  const text = buf.toString('utf8');
  const commands = scriptCommands(text);
  if (commands.length === 0) process.stderr.write(`kfib run: ${name}: no commands (the script is empty or only comments)\n`);
  const logToStdout = values.log === '-';
  const print = (s: string): void => {
    if (!logToStdout) process.stdout.write(s);
  };
  let problems = 0;
  let badLines = 0;
  const notModelled: { seq: number; notes: readonly string[] }[] = [];
  let model = '';
  const log = values.log === undefined ? null : new EventLog();
  const hinted = new Set<string>();
  let prev = start;
  for (const l of runScript(text, start, names)) {
    const entry = transcriptEntry(l);
    model += entry;
    const changes: string[] = [];
    if (values.explain) {
      for (const { step } of l.steps) {
        changes.push(...describeEffects(prev, step.snapshot, step.effects));
        prev = step.snapshot;
      }
    }
    prev = l.snapshot;
    if (values.json) print(jsonEntry(l, values.explain ? changes : null));
    else print(entry + changes.map((c) => `  # ${c}\n`).join(''));
    if (l.problem !== undefined) {
      problems++;
      if (l.problem.startsWith('not modelled: ')) notModelled.push({ seq: l.line, notes: [l.problem] });
      else badLines++;
      process.stderr.write(`kfib: ${name}:${l.line}: ${l.problem}: ${l.command}\n`);
    }
    const hint = missingDeviceHint(l.stderr, hinted, values.initial !== undefined);
    if (hint !== null) process.stderr.write(`kfib: ${name}:${l.line}: ${hint}\n`);
    // Only what the kernel accepted is history; a refused request changed nothing.
    if (log !== null) for (const { event, step } of l.steps) if (step.error === null) log.append(event);
  }
  if (log !== null && logToStdout) {
    for (const e of log.all()) process.stdout.write(encodeLogLine(e));
  } else if (log !== null && values.log !== undefined) {
    const opened = openLog(values.log);
    if (typeof opened === 'string') {
      process.stderr.write(`kfib run: cannot append to the log: ${opened}\n`);
      return EXIT.usage;
    }
    for (const w of opened.warnings) process.stderr.write(`kfib run: ${w}\n`);
    const last = appendEvents(opened, log.all().map((e) => e.event));
    process.stderr.write(`kfib: ${log.length} events appended to ${displayName(values.log, 'out')} (now ${last})\n`);
  }
  // Like kfib replay: what the model did not represent is named on stdout and exits 3, with
  // --kernel too (before the comparison's diff, if any).
  const c = completeness({ hasInitial: values.initial !== undefined, initialSkipped, initialDifferences, steps: notModelled, place: (n) => `line ${n}`, initialPlace: 'in the --initial state' });
  printRunCompleteness(c, values.json === true, logToStdout);
  if (values.kernel) {
    // Only lines the model runs and kernel-guard.ts allows reach the kernel; both sides
    // are compared on that script, and what was withheld is said. A line withheld because
    // the model names it (not modelled) is a gap, exit 3 as without --kernel; one the model
    // runs and the guard refuses (kernel-guard.ts: it lets through only what stays in the
    // runner's namespace) leaves the comparison short of it, exit 2 as before.
    const k = kernelScript(text);
    for (const w of k.withheld) process.stderr.write(`kfib: ${name}:${w.line}: not run in the kernel: ${w.why}: ${w.command}\n`);
    const kernel = kernelTranscript(k.script);
    const compared = k.withheld.length === 0 ? model : transcript(k.script);
    const diff = unifiedDiff('model', 'kernel', compared, kernel, { colour: colourOn(process.stdout) });
    if (diff === '') {
      process.stderr.write(`kfib: ${name}: model and kernel agree (${commands.length - k.withheld.length} commands${k.withheld.length === 0 ? '' : `; ${k.withheld.length} withheld from the kernel`})\n`);
      if (badLines > 0 || k.withheld.some((w) => !w.gap)) return EXIT.usage;
      return gapCount(c) > 0 ? EXIT.gaps : EXIT.ok;
    }
    print(diff);
    process.stderr.write(`kfib: ${name}: model and kernel differ (the diff above)\n`);
    return EXIT.differs;
  }
  if (badLines > 0) return EXIT.usage;
  return gapCount(c) > 0 ? EXIT.gaps : EXIT.ok;
}
