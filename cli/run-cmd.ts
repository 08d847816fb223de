// `kfib run`: a script through the model (and optionally the live kernel).

import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { scriptCommands, transcriptEntry, type ScriptLine } from '../core/script/run-script.js';
import { scriptLines } from '../core/stream/replay.js';
import { describeEffects } from '../core/iproute2/effects.js';
import { initialSnapshot } from '../core/snapshot/snapshot.js';
import { kernelAvailable, kernelTranscript } from '../props/differential/kernel-runner.js';
import { unifiedDiff } from './unified-diff.js';
import { EventLog } from '../core/events/event-log.js';
import { appendEvents, openLog } from './event-log-file.js';

const HELP = `Usage: kfib run [OPTIONS] SCRIPT.ip|-

Runs SCRIPT (one ip or sysctl command per line; '#' comments and blank lines are
skipped; no shell: lines are split on blanks) through the model, starting from a fresh
network namespace as shared/scenarios/run-kernel.sh leaves it (only lo, down; table
main; the three default rules; every IPv4 devconf value 0), and prints the transcript
the kernel would give: "$ command", then stdout, then stderr, then "[exit N]" when N
is not 0.

Options:
  --explain     after each command, list what it changed in the FIB, each change
                marked "notified" (ip monitor would show it) or "silent", with the
                kernel function that made it. Lines start with "  # ".
  --kernel      also run the script in a fresh private network namespace of this
                machine's kernel (root on Linux; configure and query only, no packet
                is sent) and print a unified diff, model against kernel.
                Exit 1 on any difference.
  --log FILE    append every event the script applied to FILE as JSON Lines.
  -h, --help    this text.

Exit status: 0 when every line was modelled (whatever the commands' own exit codes);
2 when some line is outside the model ("kfib: not modelled: ..." on stderr; the rest of
the script still runs) or the script cannot be read; 1 with --kernel on a difference.
`;

export async function runMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        explain: { type: 'boolean', default: false },
        kernel: { type: 'boolean', default: false },
        log: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    process.stderr.write(`kfib run: ${e instanceof Error ? e.message : String(e)}\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`kfib run: expected one script file (or - for standard input)\n\n${HELP}`);
    return 2;
  }
  const file = positionals[0] as string;
  const name = file === '-' ? '<stdin>' : file;
  let text: string;
  try {
    const buf = readFileSync(file === '-' ? 0 : file);
    if (buf.includes(0)) {
      process.stderr.write(`kfib run: ${name}: binary file (a NUL byte at offset ${buf.indexOf(0)}); expected a text script of ip/sysctl commands\n`);
      return 2;
    }
    text = buf.toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`kfib run: cannot read ${name}: ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const commands = scriptCommands(text);
  if (commands.length === 0) process.stderr.write(`kfib run: ${name}: no commands (the script is empty or only comments)\n`);
  let problems = 0;
  let model = '';
  const log = values.log === undefined ? null : new EventLog();
  let prev = initialSnapshot();
  const lines: ScriptLine[] = await lastValueFrom(
    scriptLines(from(commands)).pipe(
      tap((l) => {
        const entry = transcriptEntry(l);
        model += entry;
        if (values.kernel !== true) process.stdout.write(entry);
        if (l.problem !== undefined) {
          problems++;
          process.stderr.write(`kfib: ${name}:${l.line}: ${l.problem}: ${l.command}\n`);
        }
        if (values.explain === true && values.kernel !== true) {
          for (const { step } of l.steps) {
            for (const d of describeEffects(prev, step.snapshot, step.effects)) process.stdout.write(`  # ${d}\n`);
            prev = step.snapshot;
          }
        }
        prev = l.snapshot;
        if (log !== null) for (const { event } of l.steps) log.append(event);
      }),
      toArray(),
    ),
  );
  if (log !== null && values.log !== undefined) {
    const opened = openLog(values.log);
    for (const w of opened.warnings) process.stderr.write(`kfib: ${w}\n`);
    if (opened.fatal !== undefined) {
      process.stderr.write(`kfib: cannot append to the log: ${opened.fatal}\n`);
      return 2;
    }
    const last = appendEvents(opened, log.all().map((e) => e.event));
    process.stderr.write(`kfib: ${log.length} events appended to ${values.log} (now ${last})\n`);
  }
  void lines;
  if (values.kernel === true) {
    const ok = kernelAvailable();
    if (!ok.ok) {
      process.stderr.write(`kfib run --kernel: cannot run the kernel here: ${ok.why}\n`);
      return 2;
    }
    const kernel = kernelTranscript(text);
    const diff = unifiedDiff('model', 'kernel', model, kernel);
    if (diff === '') {
      process.stdout.write(`kfib: ${name}: model and kernel agree (${commands.length} commands)\n`);
      return problems > 0 ? 2 : 0;
    }
    process.stdout.write(diff);
    return 1;
  }
  return problems > 0 ? 2 : 0;
}
