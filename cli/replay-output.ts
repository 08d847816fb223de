// What `kfib replay` writes: the state it shows (--show, --get), the event log (--out), and
// the closing lines of --explain, --check and the completeness summary, in text or JSON.
// Output only; the replay itself is core/replay/. Split from replay-cmd.ts.

import { encodeLogLine } from '../core/events/event-log.js';
import { LogOutFile } from './event-log-file.js';
import type { FibEvent } from '../core/events/fib-event.js';
import { completenessLines, gapCount, type Completeness } from '../core/replay/completeness.js';
import { type PrintNames } from '../core/uapi/rt-names.js';
import type { CheckFinding } from '../core/replay/replayer.js';
import type { TracePoint } from '../core/replay/replay-run.js';
import { type ReplayEnd } from '../core/replay/replay-session.js';
import { ipJsonDump, routesInDumpOrder, showTextInPieces, type ReplayView, type ShowWhat } from '../core/replay/ip-json-dump.js';
import { deadFlagUnknown } from '../core/print/route-line.js';
import { formatFinding } from '../core/replay/explain.js';
import { runCommand } from '../core/iproute2/ip-command.js';
import type { LinkTable } from '../core/print/link-json.js';
import { formatTimestamp } from '../core/trace/netlink-records.js';
import { ReportRecorder } from '../core/report/report-recorder.js';
import { EXIT } from './exit-status.js';
import { DYNAMIC_ADDR_GAP } from '../core/print/addr-info.js';
import { netconfBlocks, netconfUnknownNames } from '../core/snapshot/devconf.js';
import { OutputFile } from './io.js';
import { qdiscOf } from '../core/snapshot/net-device.js';
import { qdiscUnknownWhy } from '../core/iproute2/ip-link-show.js';

/** What the replay prints: standard output, unless an output file took it (`--out -`). */
export interface Printer {
  (text: string): void;
}

export interface Outputs {
  readonly show: readonly string[];
  readonly gets: readonly string[];
}

/**
 * Prints the state asked for; returns the gaps of what it printed (a dynamic address's
 * lifetimes, whose seconds left the model does not count down, one text per address; an
 * `ip route get` the model cannot answer).
 */
export function printState(print: Printer, v: ReplayView, out: Outputs, label: string): string[] {
  const shows = out.show.length === 0 && out.gets.length === 0 ? ['route'] : out.show;
  const gaps: string[] = [];
  if (shows.includes('addr') || shows.includes('json')) {
    for (const d of v.snapshot.devices.values()) for (const a of d.addrs) if (a.lifetimes !== undefined) gaps.push(`not modelled: ${DYNAMIC_ADDR_GAP}`);
  }
  if (shows.includes('netconf') || shows.includes('json')) {
    // A netconf value the import did not give (a trace without before.json: all and default).
    const unknown = netconfUnknownNames(netconfBlocks(v.snapshot));
    if (unknown.length > 0) gaps.push(`not modelled: netconf values the imported state does not give: ${unknown.join(', ')}`);
  }
  // link-table.ts: an ip monitor log never prints txqlen or the alias (link, addr and json print them).
  if (shows.includes('link') || shows.includes('addr') || shows.includes('json')) {
    for (const l of v.links.values()) if (l.unseen === true) gaps.push(`not modelled: the txqlen and alias of ${l.name}, which ip monitor does not print (a [LINK] line without a visible change, or a device new in the log)`);
    // A root qdisc deleted on an up device: the default the kernel attached is not notified
    // (link-table.ts linkAfterQdisc()).
    for (const l of v.links.values()) if (l.qdiscUnknown === true) gaps.push(`not modelled: the qdisc of ${l.name}: its root qdisc was deleted while up, and the default the kernel attached then (net.core.default_qdisc, or mq with several tx queues) is not notified`);
    // A device no record described (a kfib event log's) is printed from the model (ip-json-dump.ts withModelLinks()), whose qdisc may not be known.
    for (const d of v.snapshot.devices.values()) if (!v.links.has(d.ifindex) && qdiscOf(d) === null) gaps.push(`not modelled: ${qdiscUnknownWhy(d)}`);
  }
  if (shows.includes('route') || shows.includes('json')) {
    // A linkdown nexthop's `dead` (ignore_routes_with_linkdown, unknown without before.json).
    for (const r of routesInDumpOrder(v.snapshot)) {
      const why = deadFlagUnknown(v.snapshot, r);
      if (why !== null) gaps.push(`not modelled: ${why}`);
    }
  }
  if (label !== '') print(`# state ${label}\n`);
  for (const w of shows) {
    if (w === 'json') print(`${JSON.stringify(ipJsonDump(v))}\n`);
    else showTextInPieces(v, w as ShowWhat, print);
  }
  for (const q of out.gets) {
    const r = runCommand(v.snapshot, ['ip', 'route', 'get', ...withPrimaryNames(q.trim().split(/\s+/), v.links)], v.names);
    print(r.output.stdout);
    process.stderr.write(r.output.stderr);
    // A query whose answer the model cannot give (it depends on what the model does not
    // know): named on stderr and counted as a gap, never dropped.
    if (r.output.notModelled !== undefined) {
      process.stderr.write(`kfib replay: --get ${q.trim()}: not modelled: ${r.output.notModelled}\n`);
      gaps.push(`not modelled: ${r.output.notModelled}`);
    }
  }
  return gaps;
}

/**
 * The words of a --get query with each device name that is an alternative name (altname) of
 * a device replaced by that device's name: iproute2 resolves `iif`/`oif`/`dev NAME` with
 * ll_name_to_index() -> if_nametoindex(), which the kernel answers through dev_get_by_name(),
 * finding alternative names too, and the answer names the device by its name. The model's
 * devices know only their names (the link table keeps the altnames a trace showed).
 */
export function withPrimaryNames(words: readonly string[], links: LinkTable): string[] {
  const all = [...links.values()];
  return words.map((w, i) => {
    const k = i === 0 ? '' : (words[i - 1] as string);
    if (k !== 'iif' && k !== 'oif' && k !== 'dev') return w;
    if (all.some((l) => l.name === w)) return w;
    return all.find((l) => (l.altnames ?? []).includes(w))?.name ?? w;
  });
}

/** The replayed events as a kfib event log. */
export class LogWriter {
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

export interface Ctx {
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

/** A --check finding as one JSON object. */
export function findingJson(f: CheckFinding): string {
  const seq = f.kind === 'missing' ? f.causeSeq : f.seq;
  const time = f.kind === 'missing' ? f.causeTime : f.time;
  return `${JSON.stringify({ finding: f.kind, seq, time: time === undefined ? null : formatTimestamp(time), text: formatFinding(f) })}\n`;
}

/** The closing lines of --explain and --check, in text or JSON. */
export function printSummary(ctx: Ctx, r: Pick<ReplayEnd, 'findings' | 'silentChanges'>): void {
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
export function printCompleteness(ctx: Ctx, c: Completeness): number {
  const lines = completenessLines(c);
  if (!c.hasInitial) lines.push(`# replay: no initial state; the model refused ${c.refused} event${c.refused === 1 ? '' : 's'}`);
  if (ctx.json) ctx.print(`${JSON.stringify({ completeness: { exact: gapCount(c) === 0, initial: c.hasInitial, refused: c.refused, gaps: c.gaps, outOfScope: c.outOfScope, ...(c.initialDifferences.length === 0 ? {} : { initialDifferences: c.initialDifferences }) } })}\n`);
  else if (ctx.outputs.show.includes('json')) process.stderr.write(lines.map((l) => `kfib replay: ${l.replace(/^# /, '')}\n`).join(''));
  else ctx.print(lines.map((l) => `${l}\n`).join(''));
  return gapCount(c) > 0 ? EXIT.gaps : EXIT.ok;
}
