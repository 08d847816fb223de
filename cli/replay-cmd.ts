// `kfib replay`: a captured trace (an rtmon file, an `ip monitor` log, or kfib's own
// JSON Lines event log) replayed through the model, from an `ip -j` snapshot.
// Argv, files, the terminal and exit codes here; the replay itself is core/replay/
// (replay-session.ts for traces, log-replay.ts for event logs), the format of the bytes
// core/trace/trace-format.ts. replay-streams.ts feeds the inputs, replay-output.ts prints.

import { basename, dirname, join } from 'node:path';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { parseIpSnapshot, type IpSnapshot } from '../core/trace/ip-json.js';
import { LogOutFile } from './event-log-file.js';
import { jsonPlaces, parseJsonBytes, placeMessage } from './json-input.js';
import { unknownNameEntries } from '../core/replay/ip-json-names.js';
import type { SnapshotSources } from '../core/trace/ip-json-types.js';
import { loadNames } from './names-dir.js';
import type { TracePoint } from '../core/replay/replay-run.js';
import { parseTracePoint } from '../core/replay/trace-point.js';
import { ReportRecorder } from '../core/report/report-recorder.js';
import { ReportSpill, writeReportStreamed } from './report-html.js';
import { defineCommand, parseCommand, suggest, usageError } from './command.js';
import { EXIT } from './exit-status.js';
import { checkOutputs, displayName, IoError, OutputFile, readInput } from './io.js';
import { detectFormat, looksLikeText } from '../core/trace/trace-format.js';
import { LogWriter, type Ctx, type Outputs, type Printer } from './replay-output.js';
import { replayLog, replayTrace } from './replay-streams.js';

export const REPLAY = defineCommand({
  name: 'kfib replay',
  usage: 'kfib replay [OPTIONS] DIR|TRACE|-',
  about: `Replays TRACE through the model: an rtmon file (\`rtmon file F\`), an \`ip monitor\` log
(\`ip -ts monitor all\`, \`-t\`, labels or not), or a kfib event log (JSON Lines, as
\`kfib run --log\` and \`--out\` write); - reads standard input. DIR is a capture folder
(kfib capture): its trace.rtmon (else monitor.txt), before.json as --initial, names/ as
--names. Names of tables, protocols, scopes and dsfields come from --names DIR, else the
trace's folder's names/, else the "names" member of --initial, else iproute2's built-ins;
a name none of them defines is an error (exit 2), never table main. At the end, lines
starting with "# " on stdout say whether the replay is exact or list its gaps (IPv4 FIB
content the model did not represent) and what was out of scope (IPv6, other families).
Causes (links, addresses, user routes, rules, sysctls) are applied through the reducer;
the kernel's own consequences (proto kernel routes, routes deleted with an address,
promoted secondaries) are matched against the notifications the model predicts. Devices
are known by ifindex; device names come from the trace. Progress with an ETA on stderr for big traces, on a terminal.`,
  options: {
    names: {
      type: 'string',
      arg: 'DIR',
      help: `the capturing host's iproute2 name files (rt_tables, rt_tables.d/*.conf,
rt_protos, rt_dsfield, rt_scopes, rt_realms), as in /etc/iproute2.`,
    },
    initial: {
      type: 'string',
      arg: 'FILE',
      help: `the state before the trace: an ip -j snapshot ({"link","addr","route",
"rule","netconf","nexthop"}, as before.json). Without it the replay
starts from an empty namespace (lo down) and says so.`,
    },
    at: {
      type: 'string',
      arg: 'POINT',
      help: `print --show / --get at POINT: "sec.usec" (the trace's clock), an ISO
time (2026-11-21T04:51:05.864831Z; UTC unless a zone is given), or @N
(after the N-th notification; the N-th event of a kfib log, which has
no time stamps: only @N there, a time is refused).`,
    },
    until: { type: 'string', arg: 'POINT', help: 'stop reading the trace at POINT (everything after it is ignored).' },
    show: {
      type: 'string',
      multiple: true,
      arg: 'WHAT',
      help: `route | rule | netconf | nexthop (printed as ip route show table all,
ip rule show, ip -4 netconf show, ip nexthop show), link | addr
(ip link show, ip -4 address show), json (one object with after.json's
keys, ip -j shapes). Repeatable. Default: route, at the end.`,
    },
    get: {
      type: 'string',
      multiple: true,
      arg: 'QUERY',
      help: `ip route get QUERY at that point ("ADDR [from S] [oif D] [iif D]
[mark M] [tos T]"). Repeatable.`,
    },
    explain: {
      type: 'boolean',
      help: `the timeline of silent changes: when, which event caused them, the
kernel mechanism, the routes and rules affected.`,
    },
    check: {
      type: 'boolean',
      help: `compare the notifications the model predicts with those captured;
list every missing, unexpected or different one. Exit 1 on any.`,
    },
    json: {
      type: 'boolean',
      help: `with --explain and --check: JSON Lines instead of text, one object per
silent change ({"seq","time","event","mechanism","change"}) and per
finding ({"finding","seq","time","text"}), then one summary object
({"silentChanges"} / {"check":{"missing","unexpected","different"}}).`,
    },
    out: { type: 'string', arg: 'FILE', help: 'write the replayed events as a kfib event log (JSON Lines; - : stdout).' },
    html: {
      type: 'string',
      arg: 'FILE',
      help: `write a self-contained HTML report: a timeline of the devices, the
notifications and the silent changes, the FIB at any moment, and
ip route get at any moment (the model runs in the page); - : stdout.`,
    },
    lenient: { type: 'boolean', help: 'skip bad records of the trace, and bad parts of --initial, (counted)\ninstead of stopping (errors in --initial otherwise exit 2).' },
    force: { type: 'boolean', help: 'let --out replace an existing file (written through a temporary\nfile renamed into place; the input survives).' },
    'utc-offset': { type: 'string', arg: 'MIN', help: 'the offset of the clock of an ip monitor log from UTC, in minutes.' },
  },
  positionals: { min: 1, max: 1, what: 'one trace file (or - for standard input)' },
  exit: `0 exact; 1 when --check found a difference; 2 on bad arguments or input (a bad
name file, an unknown name; the events before a fault in the trace are still replayed and
reported); 3 replayed with named gaps (the "# " lines on stdout); 74 when an output
cannot be written.`,
});

const SHOWS = ['route', 'rule', 'addr', 'link', 'netconf', 'nexthop', 'json'];

/** Prints a line on stdout unless stdout is taken by --out - / --html - or JSON. */
function print0(values: { readonly out?: string | undefined; readonly html?: string | undefined; readonly json: boolean }, line: string): void {
  if (values.out === '-' || values.html === '-' || values.json) process.stderr.write(line);
  else process.stdout.write(line);
}

function point(name: string, v: string | undefined, offset: number): TracePoint | undefined | string {
  if (v === undefined) return undefined;
  const p = parseTracePoint(v, offset);
  return typeof p === 'string' ? `--${name}: ${p}` : p;
}

/** The trace's bytes: its first 64 for the format, its size for the progress, a stream. */
async function openTrace(file: string): Promise<{ head: Uint8Array; total: number; input: AsyncIterable<Uint8Array> }> {
  if (file === '-') {
    const all = readInput('-');
    return { head: new Uint8Array(all), total: all.length, input: (async function* () { yield new Uint8Array(all); })() };
  }
  try {
    const total = statSync(file).size;
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    closeSync(fd);
    return { head: new Uint8Array(buf.subarray(0, n)), total, input: createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer> };
  } catch (e) {
    throw new IoError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e));
  }
}

/** `kfib replay ARGV…`; resolves to the exit status. */
export async function replayMain(argv: readonly string[]): Promise<number> {
  const p = parseCommand(REPLAY, argv);
  if (p.kind === 'exit') return p.code;
  const { values } = p;
  const N = REPLAY.name;
  const arg = p.positionals[0] as string;
  // A capture folder: its trace, before.json and names/ (kfib capture, shared/traces).
  const isDir = arg !== '-' && existsSync(arg) && statSync(arg).isDirectory();
  let file = arg;
  if (isDir) {
    const t = ['trace.rtmon', 'monitor.txt'].map((f) => join(arg, f)).find((f) => existsSync(f));
    if (t === undefined) return usageError(N, `${arg}: a capture folder needs trace.rtmon or monitor.txt`);
    file = t;
    if (values.initial === undefined && existsSync(join(arg, 'before.json'))) values.initial = join(arg, 'before.json');
  }
  const name = displayName(file, 'in');
  const offset = values['utc-offset'] === undefined ? 0 : Number(values['utc-offset']);
  if (!Number.isFinite(offset)) return usageError(N, `--utc-offset: expected minutes, got "${values['utc-offset'] ?? ''}"`);
  const at = point('at', values.at, offset);
  const until = point('until', values.until, offset);
  for (const q of [at, until]) if (typeof q === 'string') return usageError(N, q);
  for (const w of values.show) {
    if (!SHOWS.includes(w)) {
      const s = suggest(w, SHOWS);
      return usageError(N, `--show: expected route, rule, addr, link, netconf, nexthop or json; got "${w}"${s === null ? '' : ` (did you mean ${s}?)`}`);
    }
  }
  if (values.json && !values.explain && !values.check) return usageError(N, '--json applies to --explain and --check; give one of them');
  const bad = checkOutputs(N, { out: values.out, html: values.html });
  if (bad !== null) return bad;
  if (file === '-' && values.initial === '-') return usageError(N, 'the trace and --initial cannot both be standard input');
  const outputs: Outputs = { show: values.show, gets: values.get };
  let initial: IpSnapshot | null = null;
  let initialJson: unknown = null;
  let initialSources: SnapshotSources | undefined;
  let place: (path: string) => string | null = () => null;
  let initialSkipped: Record<string, number> = {};
  let initialErrors = 0;
  if (values.initial !== undefined) {
    try {
      const bytes = readInput(values.initial);
      const j = parseJsonBytes(displayName(values.initial, 'in'), bytes);
      if ('error' in j) {
        process.stderr.write(`kfib replay: cannot read the initial snapshot: ${j.error}\n`);
        return EXIT.usage;
      }
      initialJson = j.value;
      // Each bad entry is named FILE:LINE:COLUMN (where its element starts in the text).
      place = jsonPlaces(new TextDecoder().decode(bytes));
      const r = parseIpSnapshot(j.value, { file: displayName(values.initial, 'in') });
      initialSources = r.sources;
      initialSkipped = { ...r.skipped };
      if (r.errors.length > 0) initialSkipped['bad entries (--lenient)'] = r.errors.length;
      for (const e of r.errors.slice(0, 50)) process.stderr.write(`kfib replay: ${placeMessage(e.message, displayName(values.initial, 'in'), e.path, place)}\n`);
      if (r.errors.length > 50) process.stderr.write(`kfib replay: … and ${r.errors.length - 50} more errors in ${values.initial}\n`);
      initialErrors = r.errors.length;
      if (!r.ok && !values.lenient) {
        process.stderr.write(`kfib replay: ${values.initial}: ${r.errors.length} error(s) in the initial snapshot; not replaying (--lenient replays from its valid part)\n`);
        return EXIT.usage;
      }
      initial = r.snapshot;
    } catch (e) {
      process.stderr.write(`kfib replay: cannot read the initial snapshot ${e instanceof IoError ? `${e.path}: ${e.reason}` : `${values.initial}: ${e instanceof Error ? e.message : String(e)}`}\n`);
      return EXIT.usage;
    }
  }
  const namesDir = values.names ?? (file !== '-' && existsSync(join(dirname(file), 'names')) ? join(dirname(file), 'names') : undefined);
  const names = loadNames(namesDir, values.initial === undefined ? null : { json: initialJson, shown: displayName(values.initial, 'in') });
  if (typeof names === 'string') {
    process.stderr.write(`kfib replay: ${names}\n`);
    return EXIT.usage;
  }
  if (initial !== null) {
    const bad = unknownNameEntries(initial, names, initialSources);
    for (const e of bad) process.stderr.write(`kfib replay: ${placeMessage(e.message, displayName(values.initial ?? '-', 'in'), e.path, place)}\n`);
    if (bad.length > 0 && !values.lenient) {
      process.stderr.write(`kfib replay: ${displayName(values.initial ?? '-', 'in')}: ${bad.length} entr${bad.length === 1 ? 'y names' : 'ies name'} what no name table defines; not replaying (--names DIR gives the host's name files; --lenient replays without ${bad.length === 1 ? 'it' : 'them'})\n`);
      return EXIT.usage;
    }
    if (bad.length > 0) initialSkipped['unknown name (--lenient)'] = bad.length;
  }
  let trace: Awaited<ReturnType<typeof openTrace>>;
  try {
    trace = await openTrace(file);
  } catch (e) {
    if (!(e instanceof IoError)) throw e;
    process.stderr.write(`kfib replay: cannot read ${e.path}: ${e.reason}\n`);
    return EXIT.usage;
  }
  const format = detectFormat(trace.head);
  if (format === 'monitor' && !looksLikeText(trace.head)) {
    // Neither rtmon's first record nor text: refused with what was seen, never read as text.
    const seen = [...trace.head.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    process.stderr.write(`kfib replay: ${name}: not a trace kfib reads (first bytes: ${seen}); expected an rtmon file (rtmon file F), \`ip monitor\` text, or a kfib event log\n`);
    return EXIT.usage;
  }
  // A kfib event log numbers its events but has no time stamps: a TIME point cannot say
  // which event it means, so it is refused rather than answered at another moment.
  if (format === 'log') {
    for (const [opt, p, v] of [['--at', at, values.at], ['--until', until, values.until]] as const) {
      if (p !== undefined && typeof p !== 'string' && p.kind === 'time') {
        process.stderr.write(`kfib replay: ${opt} ${String(v)}: a kfib event log has no time stamps; give the point as @N (after the N-th event)\n`);
        return EXIT.usage;
      }
    }
  }
  let log: LogWriter | null = null;
  if (values.out === '-') log = new LogWriter(new OutputFile('-'));
  else if (values.out !== undefined) {
    const o = LogOutFile.create(values.out, { force: values.force, ...(file === '-' ? {} : { input: file }) });
    if (typeof o === 'string') {
      process.stderr.write(`kfib replay: --out: ${o}\n`);
      return EXIT.usage;
    }
    log = new LogWriter(o);
  }
  // The moments and the log go to temporary files as the replay makes them, and are then
  // streamed into the page: the report of a long trace is written in bounded memory.
  const spill = values.html === undefined ? null : new ReportSpill();
  const html = spill === null ? null : new ReportRecorder({ title: file === '-' ? name : basename(file), format, traceBytes: trace.total, names }, spill);
  // An output sent to standard output takes it: the state and timelines are not printed.
  const stdoutTaken = values.out === '-' || values.html === '-';
  const print: Printer = stdoutTaken ? () => undefined : (t) => void process.stdout.write(t);
  const ctx: Ctx = { explain: values.explain, check: values.check, json: values.json, at: at as TracePoint | undefined, until: until as TracePoint | undefined, outputs, log, html, print, names, initialSkipped, hasInitial: initial !== null };
  // First, so that a reader of the output sees it before anything else.
  if (initial === null && !ctx.json && !(values.show.includes('json'))) print('# replay: no initial state (no --initial, no before.json): started from an empty namespace; what existed before the trace is unknown\n');
  if (trace.head.length === 0) print0(values, `# replay: the trace ${name} is empty (0 bytes): nothing happened in it; the state shown is the initial state\n`);
  let code = format === 'log' ? await replayLog(trace.input, initial, name, ctx) : await replayTrace(trace.input, format, trace.total, initial, name, ctx, values.lenient, offset);
  if (initialErrors > 0) process.stderr.write(`kfib replay: --lenient: ${initialErrors} error(s) in the initial snapshot ${values.initial ?? ''} skipped\n`);
  if (log !== null) {
    const n = log.close();
    process.stderr.write(`kfib replay: ${n} events written to ${displayName(values.out ?? '-', 'out')}\n`);
  }
  if (html !== null && spill !== null && values.html !== undefined) {
    try {
      const report = html.finish();
      const bytes = await writeReportStreamed(values.html, report, spill);
      if (values.html !== '-') process.stderr.write(`kfib replay: report written to ${values.html} (${bytes} bytes)\n`);
    } catch (e) {
      process.stderr.write(`kfib replay: --html: cannot write ${displayName(values.html, 'out')}: ${e instanceof Error ? e.message : String(e)}\n`);
      code = EXIT.ioerr;
    }
  }
  return code;
}
