// `kfib replay`: a captured trace (an rtmon file, an `ip monitor` log, or kfib's own
// JSON Lines event log) replayed through the model, from an `ip -j` snapshot.
// Argv, files, the terminal and exit codes here; the replay itself is core/replay/.

import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { closeSync, createReadStream, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { RtmonDecoder } from '../core/trace/rtmon.js';
import { IpMonitorDecoder } from '../core/trace/ip-monitor.js';
import { parseIpSnapshot, type IpSnapshot } from '../core/trace/ip-json.js';
import type { LinkRecord, TraceRecord, TraceStats } from '../core/trace/netlink-records.js';
import { decodeLog, encodeLogLine } from '../core/events/event-log.js';
import type { FibEvent } from '../core/events/fib-event.js';
import { reduceFib } from '../core/reduce/reduce.js';
import { initialState, type InitialState } from '../core/replay/initial-state.js';
import { TraceReplayer, type CheckFinding, type ReplayStep } from '../core/replay/replayer.js';
import { stepAfter, type TracePoint } from '../core/replay/replay-run.js';
import { parseTracePoint } from '../core/replay/trace-point.js';
import { ipJsonDump, showText, type ReplayView, type ShowWhat } from '../core/replay/ip-json-dump.js';
import { explainStep, formatFinding, describeEvent, mechanism, describeSilent } from '../core/replay/explain.js';
import { silentChanges } from '../core/replay/silent-changes.js';
import { runCommand } from '../core/iproute2/ip-command.js';
import { ReportRecorder } from '../core/report/report-recorder.js';
import { writeReportHtml } from './report-html.js';

const HELP = `Usage: kfib replay [OPTIONS] TRACE|-

Replays TRACE through the model: an rtmon file (\`rtmon file F\`), an \`ip monitor\` log
(\`ip -ts monitor all\`, \`-t\`, labels or not), or a kfib event log (JSON Lines, as
\`kfib run --log\` and \`--out\` write). Causes (links, addresses, user routes, rules,
sysctls) are applied through the reducer; the kernel's own consequences (proto kernel
routes, routes deleted with an address, promoted secondaries) are matched against the
notifications the model predicts. Devices are known by ifindex; names come from the trace.

Options:
  --initial FILE   the state before the trace: an ip -j snapshot ({"link","addr","route",
                   "rule","netconf","nexthop"}, as before.json). Without it the replay
                   starts from an empty namespace (lo down) and says so.
  --at POINT       print --show / --get at POINT: "sec.usec" (the trace's clock), an ISO
                   time (2026-11-21T04:51:05.864831Z; UTC unless a zone is given), or @N
                   (after the N-th notification; the N-th event of a kfib log).
  --until POINT    stop reading the trace at POINT (everything after it is ignored).
  --show WHAT      route | rule | netconf | nexthop (printed as ip route show table all,
                   ip rule show, ip -4 netconf show, ip nexthop show), link | addr
                   (ip link show, ip -4 address show), json (one object with after.json's
                   keys, ip -j shapes). Repeatable. Default: route, at the end.
  --get QUERY      ip route get QUERY at that point ("ADDR [from S] [oif D] [iif D]
                   [mark M] [tos T]"). Repeatable.
  --explain        the timeline of silent changes: when, which event caused them, the
                   kernel mechanism, the routes and rules affected.
  --check          compare the notifications the model predicts with those captured;
                   list every missing, unexpected or different one. Exit 1 on any.
  --out FILE       write the replayed events as a kfib event log (JSON Lines).
  --html FILE      write a self-contained HTML report: a timeline of the devices, the
                   notifications and the silent changes, the FIB at any moment, and
                   ip route get at any moment (the model runs in the page).
  --lenient        skip bad records of the trace (counted) instead of stopping.
  --utc-offset MIN the offset of the clock of an ip monitor log from UTC, in minutes.
  -h, --help       this text.

Exit status: 0; 1 when --check found a difference; 2 on bad arguments or input (the
events before a fault in the trace are still replayed and reported).
`;

type Format = 'rtmon' | 'monitor' | 'log';

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

/** A progress bar on stderr, only on a terminal and for long inputs. */
function progressBar(total: number): { update(done: number, records: number): void; end(): void } {
  const on = process.stderr.isTTY === true && total > 256 * 1024;
  let last = 0;
  return {
    update(done: number, records: number): void {
      if (!on) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const frac = Math.min(1, done / total);
      const width = 30;
      const fill = Math.round(frac * width);
      process.stderr.write(`\r\x1b[2Kreplay [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(frac * 100).toFixed(0)}% ${records} records`);
    },
    end(): void {
      if (on) process.stderr.write('\r\x1b[2K');
    },
  };
}

interface Outputs {
  readonly show: readonly string[];
  readonly gets: readonly string[];
}

function printState(v: ReplayView, out: Outputs, label: string): void {
  const shows = out.show.length === 0 && out.gets.length === 0 ? ['route'] : out.show;
  if (label !== '') process.stdout.write(`# state ${label}\n`);
  for (const w of shows) {
    if (w === 'json') process.stdout.write(`${JSON.stringify(ipJsonDump(v))}\n`);
    else process.stdout.write(showText(v, w as ShowWhat));
  }
  for (const q of out.gets) {
    const r = runCommand(v.snapshot, ['ip', 'route', 'get', ...q.trim().split(/\s+/)]);
    process.stdout.write(r.output.stdout);
    process.stderr.write(r.output.stderr);
  }
}

class LogWriter {
  private readonly fd: number;
  private seq = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(events: readonly FibEvent[]): void {
    let s = '';
    for (const event of events) s += encodeLogLine({ seq: ++this.seq, event });
    if (s !== '') writeSync(this.fd, s);
  }
  close(): number {
    closeSync(this.fd);
    return this.seq;
  }
}

function point(name: string, v: string | undefined, offset: number): TracePoint | undefined | string {
  if (v === undefined) return undefined;
  const p = parseTracePoint(v, offset);
  return typeof p === 'string' ? `--${name}: ${p}` : p;
}

/** `kfib replay ARGV…`; resolves to the exit status. */
export async function replayMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        initial: { type: 'string' },
        at: { type: 'string' },
        until: { type: 'string' },
        show: { type: 'string', multiple: true },
        get: { type: 'string', multiple: true },
        explain: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        out: { type: 'string' },
        html: { type: 'string' },
        lenient: { type: 'boolean', default: false },
        'utc-offset': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    process.stderr.write(`kfib replay: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`kfib replay: expected one trace file (or - for standard input)\n\n${HELP}`);
    return 2;
  }
  const file = positionals[0] as string;
  const name = file === '-' ? '<stdin>' : file;
  const offset = values['utc-offset'] === undefined ? 0 : Number(values['utc-offset']);
  if (!Number.isFinite(offset)) {
    process.stderr.write(`kfib replay: --utc-offset: expected minutes, got "${values['utc-offset'] ?? ''}"\n`);
    return 2;
  }
  const at = point('at', values.at, offset);
  const until = point('until', values.until, offset);
  for (const p of [at, until]) {
    if (typeof p === 'string') {
      process.stderr.write(`kfib replay: ${p}\n`);
      return 2;
    }
  }
  const shows = values.show ?? [];
  for (const w of shows) {
    if (!['route', 'rule', 'addr', 'link', 'netconf', 'nexthop', 'json'].includes(w)) {
      process.stderr.write(`kfib replay: --show: expected route, rule, addr, link, netconf, nexthop or json; got "${w}"\n`);
      return 2;
    }
  }
  const outputs: Outputs = { show: shows, gets: values.get ?? [] };
  let initial: IpSnapshot | null = null;
  if (values.initial !== undefined) {
    try {
      const r = parseIpSnapshot(JSON.parse(readFileSync(values.initial, 'utf8')) as unknown, { file: values.initial });
      for (const e of r.errors) process.stderr.write(`kfib replay: ${e.message}\n`);
      initial = r.snapshot;
    } catch (e) {
      process.stderr.write(`kfib replay: cannot read the initial snapshot ${values.initial}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  let input: AsyncIterable<Uint8Array>;
  let total = 0;
  let head: Uint8Array;
  try {
    if (file === '-') {
      const all = readFileSync(0);
      head = new Uint8Array(all);
      total = all.length;
      input = (async function* () {
        yield new Uint8Array(all);
      })();
    } else {
      total = statSync(file).size;
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(64);
      const n = (await import('node:fs')).readSync(fd, buf, 0, 64, 0);
      closeSync(fd);
      head = new Uint8Array(buf.subarray(0, n));
      input = createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>;
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`kfib replay: cannot read ${name}: ${code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const format = detectFormat(head);
  const log = values.out === undefined ? null : new LogWriter(values.out);
  const html = values.html === undefined ? null : new ReportRecorder({ title: file === '-' ? name : basename(file), format, traceBytes: total });
  const ctx = { explain: values.explain === true, check: values.check === true, at: at as TracePoint | undefined, until: until as TracePoint | undefined, outputs, log, html };
  let code = format === 'log' ? await replayLog(input, initial, name, ctx) : await replayTrace(input, format, total, initial, name, ctx, values.lenient === true, offset);
  if (log !== null) {
    const n = log.close();
    process.stderr.write(`kfib replay: ${n} events written to ${values.out ?? ''}\n`);
  }
  if (html !== null) {
    try {
      const bytes = await writeReportHtml(values.html as string, html.finish());
      process.stderr.write(`kfib replay: report written to ${values.html ?? ''} (${bytes} bytes)\n`);
    } catch (e) {
      process.stderr.write(`kfib replay: --html: cannot write ${values.html ?? ''}: ${e instanceof Error ? e.message : String(e)}\n`);
      code = 2;
    }
  }
  return code;
}

interface Ctx {
  readonly explain: boolean;
  readonly check: boolean;
  readonly at: TracePoint | undefined;
  readonly until: TracePoint | undefined;
  readonly outputs: Outputs;
  readonly log: LogWriter | null;
  readonly html: ReportRecorder | null;
}

async function replayTrace(input: AsyncIterable<Uint8Array>, format: 'rtmon' | 'monitor', total: number, initial: IpSnapshot | null, name: string, ctx: Ctx, lenient: boolean, offset: number): Promise<number> {
  const decoder =
    format === 'rtmon'
      ? new RtmonDecoder({ file: name, lenient, endian: 'auto', emitTimestamps: false })
      : new IpMonitorDecoder({ file: name, lenient, utcOffsetMinutes: offset });
  const text = new TextDecoder();
  const bar = progressBar(total);
  const dump: LinkRecord[] = [];
  let replayer: TraceReplayer | null = null;
  let init: InitialState | null = null;
  let fatal = false;
  let stopped = false;
  let stats: TraceStats | undefined;
  let atView: ReplayView | null = null;
  let lastView: ReplayView | null = null;
  let prev = null as ReplayView | null;
  const findings: CheckFinding[] = [];
  let silentCount = 0;
  let records = 0;
  let consumed = 0;

  const start = (): TraceReplayer => {
    if (initial === null) process.stderr.write(`kfib replay: no --initial snapshot: starting from an empty namespace (only lo, down)${dump.length > 0 ? `, with the ${dump.length} links of the trace's link dump` : ''}; addresses, routes and rules that existed before the trace are unknown\n`);
    init = initialState(initial, dump);
    for (const d of init.differences) process.stderr.write(`kfib replay: initial state differs from the snapshot: ${d}\n`);
    for (const c of init.constructed) process.stderr.write(`kfib replay: initial state: ${c}\n`);
    ctx.html?.begin(initial, dump, init);
    if (ctx.log !== null) {
      ctx.log.write(init.events);
      if (init.constructed.length > 0) process.stderr.write(`kfib replay: --out: ${init.constructed.length} part(s) of the initial state were constructed without an event and are not in the log\n`);
    }
    const v: ReplayView = { snapshot: init.snapshot, links: init.links, metrics: init.metrics };
    lastView = v;
    prev = v;
    // Tables are updated in place (no history kept) when only the state at the end is read.
    // --at and --until keep the state before a step the replay has already made (a step is
    // known to be past the point once made), --explain and --check compare states, --html
    // keeps them all: then snapshots must stay intact.
    const inPlace = ctx.at === undefined && ctx.until === undefined && !ctx.explain && !ctx.check && ctx.html === null;
    return new TraceReplayer({ snapshot: init.snapshot, links: init.links, metrics: init.metrics }, { form: format === 'rtmon' ? 'binary' : 'text', explain: ctx.explain, check: ctx.check, inPlace });
  };

  const onStep = (st: ReplayStep): void => {
    if (stopped) return;
    if (ctx.until !== undefined && stepAfter(st, ctx.until)) {
      stopped = true;
      return;
    }
    if (ctx.at !== undefined && atView === null && stepAfter(st, ctx.at)) atView = lastView;
    if (ctx.log !== null) ctx.log.write(st.applied.map((a) => a.event));
    ctx.html?.step(st);
    if (ctx.explain && st.silent.length > 0) {
      silentCount += st.silent.length;
      for (const l of explainStep(st, (prev ?? (lastView as ReplayView)).snapshot)) process.stdout.write(`${l}\n`);
    }
    findings.push(...st.findings);
    lastView = { snapshot: st.snapshot, links: st.links, metrics: st.metrics };
    prev = lastView;
  };

  const onRecord = (r: TraceRecord): void => {
    if (r.kind === 'error') {
      process.stderr.write(`kfib replay: ${r.message}${r.fatal ? '' : ' (skipped)'}\n`);
      ctx.html?.problem(`${r.message}${r.fatal ? ': the rest of the trace is not shown' : ' (skipped)'}`, r.fatal);
      if (r.fatal) fatal = true;
      return;
    }
    if (r.kind === 'end') {
      stats = r.stats;
      return;
    }
    if (r.kind === 'timestamp' || r.kind === 'skipped') return;
    records++;
    if (r.kind === 'link' && r.dump && replayer === null) {
      dump.push(r);
      return;
    }
    if (replayer === null) replayer = start();
    for (const st of replayer.push(r)) onStep(st);
  };

  for await (const chunk of input) {
    consumed += chunk.length;
    const recs = decoder instanceof RtmonDecoder ? decoder.push(chunk) : decoder.push(text.decode(chunk, { stream: true }));
    for (const r of recs) onRecord(r);
    bar.update(consumed, records);
    if (decoder.stopped || stopped) break;
  }
  // Stopped at --until: the rest of the input is left unread on purpose, not cut short.
  if (!stopped) for (const r of decoder.finish()) onRecord(r);
  bar.end();
  if (replayer === null) replayer = start();
  const fin = (replayer as TraceReplayer).finish();
  for (const st of fin.steps) onStep(st);
  if (!stopped) findings.push(...fin.missing);
  const endView = lastView ?? { snapshot: (init as InitialState | null)?.snapshot ?? initialState(null).snapshot, links: new Map(), metrics: new Map() };
  if (ctx.explain) process.stdout.write(`# ${silentCount} silent change${silentCount === 1 ? '' : 's'}\n`);
  if (stats !== undefined) {
    const skipped = Object.entries(stats.skipped).map(([k, n]) => `${k} ${n}`).join(', ');
    if (stats.errors > 0 || skipped !== '') process.stderr.write(`kfib replay: ${name}: ${stats.errors} bad record(s)${skipped !== '' ? `; not modelled, skipped: ${skipped}` : ''}\n`);
    if (skipped !== '') ctx.html?.problem(`not modelled, skipped: ${skipped}`, false);
  }
  let code = fatal ? 2 : 0;
  if (ctx.check) {
    for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
    const count = (k: CheckFinding['kind']): number => findings.filter((f) => f.kind === k).length;
    process.stdout.write(`# check: ${count('missing')} missing, ${count('unexpected')} unexpected, ${count('different')} different\n`);
    if (findings.length > 0 && code === 0) code = 1;
  }
  if (ctx.at !== undefined && atView === null) process.stderr.write('kfib replay: --at: the point is after the last notification; the state at the end is shown\n');
  const label = ctx.at !== undefined && atView !== null ? 'at the point asked' : stopped ? 'at the --until point' : 'at the end';
  printState(atView ?? endView, ctx.outputs, ctx.explain || ctx.check ? label : '');
  return code;
}

async function replayLog(input: AsyncIterable<Uint8Array>, initial: IpSnapshot | null, name: string, ctx: Ctx): Promise<number> {
  const parts: Buffer[] = [];
  for await (const c of input) parts.push(Buffer.from(c));
  const d = decodeLog(Buffer.concat(parts).toString('utf8'));
  if (d.torn !== undefined) process.stderr.write(`kfib replay: ${name}:${d.torn.line}: torn last line dropped (${d.torn.reason})\n`);
  if (d.error !== undefined) process.stderr.write(`kfib replay: ${name}:${d.error.line}: ${d.error.message}; the ${d.events.length} events before it are replayed\n`);
  if (d.torn !== undefined) ctx.html?.problem(`${name}:${d.torn.line}: torn last line dropped (${d.torn.reason})`, false);
  if (d.error !== undefined) ctx.html?.problem(`${name}:${d.error.line}: ${d.error.message}; the ${d.events.length} events before it are shown`, true);
  if (ctx.check) process.stderr.write('kfib replay: --check: a kfib event log records causes only; there are no captured notifications to compare\n');
  const init = initialState(initial);
  ctx.html?.begin(initial, [], init);
  let v: ReplayView = { snapshot: init.snapshot, links: init.links, metrics: init.metrics };
  let atView: ReplayView | null = null;
  let silentCount = 0;
  if (ctx.log !== null) ctx.log.write(init.events);
  for (const { seq, event } of d.events) {
    if (ctx.until?.kind === 'seq' && seq > ctx.until.seq) break;
    if (ctx.at?.kind === 'seq' && atView === null && seq > ctx.at.seq) atView = v;
    const step = reduceFib(v.snapshot, event);
    if (ctx.log !== null) ctx.log.write([event]);
    ctx.html?.logEvent(seq, event, v.snapshot);
    if (ctx.explain) {
      const silent = silentChanges(v.snapshot, step.snapshot, step.effects, { rules: true });
      if (silent.length > 0) {
        silentCount += silent.length;
        process.stdout.write(`@${seq} ${describeEvent(event, v.snapshot)}\n`);
        for (const c of silent) process.stdout.write(`  ${describeSilent(c, v.snapshot, step.snapshot)}   (${mechanism(c.cause, c)})\n`);
      }
    }
    v = { snapshot: step.snapshot, links: v.links, metrics: v.metrics };
  }
  if (ctx.explain) process.stdout.write(`# ${silentCount} silent change${silentCount === 1 ? '' : 's'}\n`);
  if (ctx.at?.kind === 'time') process.stderr.write('kfib replay: --at TIME: a kfib event log has no time stamps; use @N\n');
  printState(atView ?? v, ctx.outputs, '');
  return d.error !== undefined ? 2 : 0;
}
