// `kfib replay`: a captured trace (an rtmon file, an `ip monitor` log, or kfib's own
// JSON Lines event log) replayed through the model, from an `ip -j` snapshot.
// Argv, files, the terminal and exit codes here; the replay itself is core/replay/.

import { basename, dirname, join } from 'node:path';
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { RtmonDecoder } from '../core/trace/rtmon.js';
import { IpMonitorDecoder } from '../core/trace/ip-monitor.js';
import { parseIpSnapshot, type IpSnapshot } from '../core/trace/ip-json.js';
import { encodeLogLine, type LoggedEvent } from '../core/events/event-log.js';
import { EventLogDecoder } from '../core/events/log-decoder.js';
import { LogOutFile } from './event-log-file.js';
import { parseJsonBytes } from './json-input.js';
import { kernelErrorText } from '../core/iproute2/command-context.js';
import type { FibEvent } from '../core/events/fib-event.js';
import { reduceFib } from '../core/reduce/reduce.js';
import { initialState, unknownNameErrors } from '../core/replay/initial-state.js';
import { completeness, completenessLines, gapCount, type Completeness } from '../core/replay/completeness.js';
import { readerNames, type PrintNames } from '../core/uapi/rt-names.js';
import { loadNames } from './names-dir.js';
import type { CheckFinding } from '../core/replay/replayer.js';
import type { TracePoint } from '../core/replay/replay-run.js';
import { ReplaySession, type ReplayEnd } from '../core/replay/replay-session.js';
import { parseTracePoint } from '../core/replay/trace-point.js';
import { ipJsonDump, showText, type ReplayView, type ShowWhat } from '../core/replay/ip-json-dump.js';
import { explainStep, formatFinding, describeEvent, mechanism, describeSilent, stepHeader } from '../core/replay/explain.js';
import { silentChanges } from '../core/replay/silent-changes.js';
import { runCommand } from '../core/iproute2/ip-command.js';
import { formatTimestamp } from '../core/trace/netlink-records.js';
import { ReportRecorder } from '../core/report/report-recorder.js';
import { writeReportHtml } from './report-html.js';
import { defineCommand, parseCommand, suggest, usageError } from './command.js';
import { EXIT } from './exit-status.js';
import { checkOutputs, displayName, IoError, OutputFile, progressLine, readInput } from './io.js';

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
(after the N-th notification; the N-th event of a kfib log).`,
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

type Format = 'rtmon' | 'monitor' | 'log';

/** Whether the first bytes read as text (UTF-8, no control characters but tab, CR, LF). */
function looksLikeText(head: Uint8Array): boolean {
  let text: string;
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text);
}

/** Prints a line on stdout unless stdout is taken by --out - / --html - or JSON. */
function print0(values: { readonly out?: string | undefined; readonly html?: string | undefined; readonly json: boolean }, line: string): void {
  if (values.out === '-' || values.html === '-' || values.json) process.stderr.write(line);
  else process.stdout.write(line);
}

function detectFormat(head: Uint8Array): Format {
  if (head.length >= 6) {
    const le = head[0] === 24 && head[1] === 0 && head[2] === 0 && head[3] === 0 && head[4] === 15 && head[5] === 0;
    const be = head[0] === 0 && head[1] === 0 && head[2] === 0 && head[3] === 24 && head[4] === 0 && head[5] === 15;
    if (le || be) return 'rtmon';
  }
  const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart();
  if (text.startsWith('{')) return 'log';
  return 'monitor';
}

/** What the replay prints: standard output, unless an output file took it (`--out -`). */
interface Printer {
  (text: string): void;
}

interface Outputs {
  readonly show: readonly string[];
  readonly gets: readonly string[];
}

function printState(print: Printer, v: ReplayView, out: Outputs, label: string): void {
  const shows = out.show.length === 0 && out.gets.length === 0 ? ['route'] : out.show;
  if (label !== '') print(`# state ${label}\n`);
  for (const w of shows) {
    if (w === 'json') print(`${JSON.stringify(ipJsonDump(v))}\n`);
    else print(showText(v, w as ShowWhat));
  }
  for (const q of out.gets) {
    const r = runCommand(v.snapshot, ['ip', 'route', 'get', ...q.trim().split(/\s+/)], v.names);
    print(r.output.stdout);
    process.stderr.write(r.output.stderr);
  }
}

/** The replayed events as a kfib event log. */
class LogWriter {
  private seq = 0;
  /** Standard output, or a file written through a temporary file renamed into place. */
  constructor(private readonly file: OutputFile | LogOutFile) {}
  write(events: readonly FibEvent[]): void {
    if (this.file instanceof LogOutFile) return this.file.write(events);
    let s = '';
    for (const event of events) s += encodeLogLine({ seq: ++this.seq, event });
    if (s !== '') this.file.write(s);
  }
  close(): number {
    if (this.file instanceof LogOutFile) return this.file.commit();
    this.file.close();
    return this.seq;
  }
}

function point(name: string, v: string | undefined, offset: number): TracePoint | undefined | string {
  if (v === undefined) return undefined;
  const p = parseTracePoint(v, offset);
  return typeof p === 'string' ? `--${name}: ${p}` : p;
}

interface Ctx {
  readonly explain: boolean;
  readonly check: boolean;
  readonly json: boolean;
  readonly at: TracePoint | undefined;
  readonly until: TracePoint | undefined;
  readonly outputs: Outputs;
  readonly log: LogWriter | null;
  readonly html: ReportRecorder | null;
  readonly print: Printer;
  readonly names: PrintNames;
  /** What the initial snapshot had that the model did not import, for the summary. */
  readonly initialSkipped: Readonly<Record<string, number>>;
  readonly hasInitial: boolean;
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
  let initialSkipped: Record<string, number> = {};
  let initialErrors = 0;
  if (values.initial !== undefined) {
    try {
      const j = parseJsonBytes(displayName(values.initial, 'in'), readInput(values.initial));
      if ('error' in j) {
        process.stderr.write(`kfib replay: cannot read the initial snapshot: ${j.error}\n`);
        return EXIT.usage;
      }
      initialJson = j.value;
      const r = parseIpSnapshot(j.value, { file: displayName(values.initial, 'in') });
      initialSkipped = { ...r.skipped };
      if (r.errors.length > 0) initialSkipped['bad entries (--lenient)'] = r.errors.length;
      for (const e of r.errors.slice(0, 50)) process.stderr.write(`kfib replay: ${e.message}\n`);
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
    const bad = unknownNameErrors(initial, names);
    for (const e of bad) process.stderr.write(`kfib replay: ${displayName(values.initial ?? '-', 'in')}: ${e}\n`);
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
  const html = values.html === undefined ? null : new ReportRecorder({ title: file === '-' ? name : basename(file), format, traceBytes: trace.total });
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
  if (html !== null && values.html !== undefined) {
    try {
      const report = html.finish();
      if (values.html === '-') {
        const { reportDocument } = await import('./report-html.js');
        process.stdout.write(await reportDocument(report));
      } else {
        const bytes = await writeReportHtml(values.html, report);
        process.stderr.write(`kfib replay: report written to ${values.html} (${bytes} bytes)\n`);
      }
    } catch (e) {
      process.stderr.write(`kfib replay: --html: cannot write ${displayName(values.html, 'out')}: ${e instanceof Error ? e.message : String(e)}\n`);
      code = EXIT.ioerr;
    }
  }
  return code;
}

/** A --check finding as one JSON object. */
function findingJson(f: CheckFinding): string {
  const seq = f.kind === 'missing' ? f.causeSeq : f.seq;
  const time = f.kind === 'missing' ? f.causeTime : f.time;
  return `${JSON.stringify({ finding: f.kind, seq, time: time === undefined ? null : formatTimestamp(time), text: formatFinding(f) })}\n`;
}

/** The closing lines of --explain and --check, in text or JSON. */
function printSummary(ctx: Ctx, r: Pick<ReplayEnd, 'findings' | 'silentChanges'>): void {
  if (ctx.explain) ctx.print(ctx.json ? `${JSON.stringify({ silentChanges: r.silentChanges })}\n` : `# ${r.silentChanges} silent change${r.silentChanges === 1 ? '' : 's'}\n`);
  if (!ctx.check) return;
  for (const f of r.findings) ctx.print(ctx.json ? findingJson(f) : `${formatFinding(f)}\n`);
  const count = (k: CheckFinding['kind']): number => r.findings.filter((f) => f.kind === k).length;
  ctx.print(
    ctx.json
      ? `${JSON.stringify({ check: { missing: count('missing'), unexpected: count('unexpected'), different: count('different') } })}\n`
      : `# check: ${count('missing')} missing, ${count('unexpected')} unexpected, ${count('different')} different\n`,
  );
}

/**
 * The completeness summary (core/replay/completeness.ts): "# " lines on stdout at the end;
 * one JSON object with --json; on stderr when stdout is one JSON document (--show json).
 * Returns the exit status it implies: 3 when the replay had named gaps, else 0.
 */
function printCompleteness(ctx: Ctx, c: Completeness): number {
  const lines = completenessLines(c);
  if (!c.hasInitial) lines.push(`# replay: no initial state; the model refused ${c.refused} event${c.refused === 1 ? '' : 's'}`);
  if (ctx.json) ctx.print(`${JSON.stringify({ completeness: { exact: gapCount(c) === 0, initial: c.hasInitial, refused: c.refused, gaps: c.gaps, outOfScope: c.outOfScope } })}\n`);
  else if (ctx.outputs.show.includes('json')) process.stderr.write(lines.map((l) => `kfib replay: ${l.replace(/^# /, '')}\n`).join(''));
  else ctx.print(lines.map((l) => `${l}\n`).join(''));
  return gapCount(c) > 0 ? EXIT.gaps : EXIT.ok;
}

async function replayTrace(input: AsyncIterable<Uint8Array>, format: 'rtmon' | 'monitor', total: number, initial: IpSnapshot | null, name: string, ctx: Ctx, lenient: boolean, offset: number): Promise<number> {
  const decoder =
    format === 'rtmon'
      ? new RtmonDecoder({ file: name, lenient, endian: 'auto', emitTimestamps: false })
      : new IpMonitorDecoder({ file: name, lenient, utcOffsetMinutes: offset, names: readerNames(ctx.names) });
  // Only the steps' seq and notes are kept (not their snapshots): what completeness() counts.
  const notedSteps: { seq: number; notes: readonly string[] }[] = [];
  let initialDifferences: readonly string[] = [];
  const text = new TextDecoder();
  const bar = progressLine('replay', total > 256 * 1024 ? total : 0);
  const session = new ReplaySession(
    initial,
    { form: format === 'rtmon' ? 'binary' : 'text', explain: ctx.explain, check: ctx.check, ...(ctx.at === undefined ? {} : { at: ctx.at }), ...(ctx.until === undefined ? {} : { until: ctx.until }), keepHistory: ctx.html !== null, names: ctx.names },
    {
      start(init, dump) {
        if (initial === null) process.stderr.write(`kfib replay: no --initial snapshot: starting from an empty namespace (only lo, down)${dump.length > 0 ? `, with the ${dump.length} links of the trace's link dump` : ''}; addresses, routes and rules that existed before the trace are unknown\n`);
        initialDifferences = init.differences;
        for (const d of init.differences) process.stderr.write(`kfib replay: initial state differs from the snapshot: ${d}\n`);
        for (const c of init.constructed) process.stderr.write(`kfib replay: initial state: ${c}\n`);
        ctx.html?.begin(initial, dump, init);
        if (ctx.log !== null) {
          ctx.log.write(init.events);
          if (init.constructed.length > 0) process.stderr.write(`kfib replay: --out: ${init.constructed.length} part(s) of the initial state were constructed without an event and are not in the log\n`);
        }
      },
      step(st, before) {
        if (st.notes.length > 0) notedSteps.push({ seq: st.seq, notes: st.notes });
        ctx.log?.write(st.applied.map((a) => a.event));
        ctx.html?.step(st);
        if (!ctx.explain || st.silent.length === 0) return;
        if (!ctx.json) {
          for (const l of explainStep(st, before)) ctx.print(`${l}\n`);
          return;
        }
        const header = stepHeader(st, before);
        for (const c of st.silent) {
          ctx.print(`${JSON.stringify({ seq: st.seq, time: st.time === undefined ? null : formatTimestamp(st.time), event: header, mechanism: mechanism(c.cause, c), change: describeSilent(c, before, st.snapshot) })}\n`);
        }
      },
      problem(message, fatal) {
        bar.end();
        process.stderr.write(`kfib replay: ${message}${fatal ? '' : ' (skipped)'}\n`);
        ctx.html?.problem(`${message}${fatal ? ': the rest of the trace is not shown' : ' (skipped)'}`, fatal);
      },
    },
  );
  let consumed = 0;
  for await (const chunk of input) {
    consumed += chunk.length;
    const recs = decoder instanceof RtmonDecoder ? decoder.push(chunk) : decoder.push(text.decode(chunk, { stream: true }));
    for (const r of recs) session.push(r);
    bar.update(consumed);
    if (decoder.stopped || session.stopped) break;
  }
  // Stopped at --until: the rest of the input is left unread on purpose, not cut short.
  if (!session.stopped) for (const r of decoder.finish()) session.push(r);
  bar.end();
  const r = session.finish();
  printSummary(ctx, r);
  if (r.stats !== undefined) {
    const skipped = Object.entries(r.stats.skipped).map(([k, n]) => `${k} ${n}`).join(', ');
    if (r.stats.errors > 0 || skipped !== '') process.stderr.write(`kfib replay: ${name}: ${r.stats.errors} bad record(s)${skipped !== '' ? `; not modelled, skipped: ${skipped}` : ''}\n`);
    if (skipped !== '') ctx.html?.problem(`not modelled, skipped: ${skipped}`, false);
  }
  let code: number = r.fatal ? EXIT.usage : EXIT.ok;
  if (ctx.check && r.findings.length > 0 && code === EXIT.ok) code = EXIT.differs;
  if (ctx.at !== undefined && r.at === null) process.stderr.write('kfib replay: --at: the point is after the last notification; the state at the end is shown\n');
  const label = ctx.at !== undefined && r.at !== null ? 'at the point asked' : r.stopped ? 'at the --until point' : 'at the end';
  // With --json the state stays out of the JSON Lines unless asked for.
  if (!ctx.json || ctx.outputs.show.length > 0 || ctx.outputs.gets.length > 0) printState(ctx.print, r.at ?? r.end, ctx.outputs, (ctx.explain || ctx.check) && !ctx.json ? label : '');
  // Without --lenient a bad record is not skipped but ends the replay (exit 2): not a gap.
  const c = completeness({ ...(r.stats === undefined ? {} : { stats: lenient ? r.stats : { ...r.stats, errors: 0 } }), initialSkipped: ctx.initialSkipped, initialDifferences, hasInitial: ctx.hasInitial, steps: notedSteps });
  if (r.fatal) {
    // Not "exact": the records after the bad one were never read.
    if (ctx.json) ctx.print(`${JSON.stringify({ completeness: { exact: false, stopped: 'a bad record (see stderr); the rest of the trace was not replayed' } })}\n`);
    else (ctx.outputs.show.includes('json') ? (l: string) => void process.stderr.write(`kfib replay: ${l}`) : ctx.print)('# replay: stopped at a bad record (see stderr); the rest of the trace was not replayed\n');
    return code;
  }
  const gaps = printCompleteness(ctx, c);
  return code === EXIT.ok ? gaps : code;
}

async function replayLog(input: AsyncIterable<Uint8Array>, initial: IpSnapshot | null, name: string, ctx: Ctx): Promise<number> {
  // Streamed: one event at a time, whatever the log's length (core/events/log-decoder.ts).
  const decoder = new EventLogDecoder();
  if (ctx.check) process.stderr.write('kfib replay: --check: a kfib event log records causes only; there are no captured notifications to compare (events the model refuses are reported)\n');
  const init = initialState(initial, [], ctx.names);
  ctx.html?.begin(initial, [], init);
  for (const d of init.differences) process.stderr.write(`kfib replay: initial state differs from the snapshot: ${d}\n`);
  const refusedSteps: { seq: number; notes: readonly string[] }[] = [];
  let v: ReplayView = { snapshot: init.snapshot, links: init.links, metrics: init.metrics, names: ctx.names };
  let atView: ReplayView | null = null;
  let silentCount = 0;
  if (ctx.log !== null) ctx.log.write(init.events);
  let refused = 0;
  let stopped = false;
  const apply = ({ seq, event }: LoggedEvent): void => {
    if (stopped) return;
    if (ctx.until?.kind === 'seq' && seq > ctx.until.seq) {
      stopped = true;
      return;
    }
    if (ctx.at?.kind === 'seq' && atView === null && seq > ctx.at.seq) atView = v;
    const step = reduceFib(v.snapshot, event);
    if (step.error !== null) {
      refused++;
      refusedSteps.push({ seq, notes: [`the model refused it: ${step.error.errno}`] });
      if (refused <= 20) process.stderr.write(`kfib replay: ${name}: event ${seq} (${event.type}) refused by the model: ${kernelErrorText(step.error).trim()}\n`);
    }
    if (ctx.log !== null) ctx.log.write([event]);
    ctx.html?.logEvent(seq, event, v.snapshot);
    if (ctx.explain) {
      const silent = silentChanges(v.snapshot, step.snapshot, step.effects, { rules: true });
      silentCount += silent.length;
      if (silent.length > 0 && !ctx.json) ctx.print(`@${seq} ${describeEvent(event, v.snapshot)}\n`);
      for (const c of silent) {
        if (ctx.json) ctx.print(`${JSON.stringify({ seq, time: null, event: `@${seq} ${describeEvent(event, v.snapshot)}`, mechanism: mechanism(c.cause, c), change: describeSilent(c, v.snapshot, step.snapshot) })}\n`);
        else ctx.print(`  ${describeSilent(c, v.snapshot, step.snapshot)}   (${mechanism(c.cause, c)})\n`);
      }
    }
    v = { snapshot: step.snapshot, links: v.links, metrics: v.metrics, names: ctx.names };
  };
  for await (const chunk of input) {
    for (const e of decoder.push(chunk)) apply(e);
    if (stopped || decoder.error !== undefined) break;
  }
  const { last, end } = decoder.finish();
  if (last !== null) apply(last);
  if (end.torn !== undefined) {
    const m = `${name}: byte ${end.torn.offset} (line ${end.torn.line}): torn last line dropped (${end.torn.message}); the ${end.events} events before it are replayed`;
    process.stderr.write(`kfib replay: ${m}\n`);
    ctx.html?.problem(m, false);
  }
  if (end.missingNewline === true) process.stderr.write(`kfib replay: ${name}: the last event has no newline (kept)\n`);
  if (end.error !== undefined) {
    const m = `${name}: byte ${end.error.offset} (line ${end.error.line}): ${end.error.message}; the ${end.events} events before it are replayed`;
    process.stderr.write(`kfib replay: ${m}\n`);
    ctx.html?.problem(m, true);
  }
  if (refused > 0) process.stderr.write(`kfib replay: ${name}: ${refused} event(s) refused by the model (the kernel would have refused them: the log does not describe a kernel's history)\n`);
  printSummary({ ...ctx, check: false }, { findings: [], silentChanges: silentCount });
  if (ctx.at?.kind === 'time') process.stderr.write('kfib replay: --at TIME: a kfib event log has no time stamps; use @N\n');
  if (!ctx.json || ctx.outputs.show.length > 0 || ctx.outputs.gets.length > 0) printState(ctx.print, atView ?? v, ctx.outputs, '');
  const gaps = printCompleteness(ctx, completeness({ initialSkipped: ctx.initialSkipped, initialDifferences: init.differences, hasInitial: ctx.hasInitial, steps: refusedSteps }));
  return end.error !== undefined ? EXIT.usage : refused > 0 && ctx.check ? EXIT.differs : gaps;
}
