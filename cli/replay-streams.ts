// `kfib replay`'s two inputs fed to the core: a captured trace (rtmon or `ip monitor`),
// decoded chunk by chunk into a ReplaySession (core/replay/replay-session.ts), and a kfib
// event log, folded by a LogReplay (core/replay/log-replay.ts). Here only the reading, the
// progress line and the printing of what they report. Split from replay-cmd.ts.

import { RtmonDecoder } from '../core/trace/rtmon.js';
import { IpMonitorDecoder } from '../core/trace/ip-monitor.js';
import { type IpSnapshot } from '../core/trace/ip-json.js';
import { type LoggedEvent } from '../core/events/event-log.js';
import { EventLogDecoder } from '../core/events/log-decoder.js';
import { kernelErrorText } from '../core/iproute2/command-context.js';
import { initialState } from '../core/replay/initial-state.js';
import { completeness } from '../core/replay/completeness.js';
import { readerNames } from '../core/uapi/rt-names.js';
import { ReplaySession } from '../core/replay/replay-session.js';
import { explainStep, describeEvent, mechanism, describeSilent, stepHeader } from '../core/replay/explain.js';
import { formatTimestamp } from '../core/trace/netlink-records.js';
import { EXIT } from './exit-status.js';
import { progressLine } from './io.js';
import { printCompleteness, printState, printSummary, type Ctx } from './replay-output.js';
import { LogReplay } from '../core/replay/log-replay.js';

export async function replayTrace(input: AsyncIterable<Uint8Array>, format: 'rtmon' | 'monitor', total: number, initial: IpSnapshot | null, name: string, ctx: Ctx, lenient: boolean, offset: number): Promise<number> {
  const decoder =
    format === 'rtmon'
      ? new RtmonDecoder({ file: name, lenient, endian: 'auto', emitTimestamps: false })
      : new IpMonitorDecoder({ file: name, lenient, utcOffsetMinutes: offset, names: readerNames(ctx.names) });
  // Only the steps' seq and notes are kept (not their snapshots): what completeness() counts.
  const notedSteps: { seq: number; notes: readonly string[] }[] = [];
  let initialDifferences: readonly string[] = [];
  const text = new TextDecoder();
  const bar = progressLine('replay', total > 256 * 1024 ? total : 0);
  // No history kept; a report's recorder compares the states before and after each step
  // (silent changes for its timeline), so with --html the replay does not run in place.
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
          for (const l of explainStep(st, before, ctx.names)) ctx.print(`${l}\n`);
          return;
        }
        const header = stepHeader(st, before, ctx.names);
        for (const c of st.silent) {
          ctx.print(`${JSON.stringify({ seq: st.seq, time: st.time === undefined ? null : formatTimestamp(st.time), event: header, mechanism: mechanism(c.cause, c), change: describeSilent(c, before, st.snapshot, ctx.names) })}\n`);
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
  const printed = !ctx.json || ctx.outputs.show.length > 0 || ctx.outputs.gets.length > 0 ? printState(ctx.print, r.at ?? r.end, ctx.outputs, (ctx.explain || ctx.check) && !ctx.json ? label : '') : [];
  // Without --lenient a bad record is not skipped but ends the replay (exit 2): not a gap.
  const c = completeness({ ...(r.stats === undefined ? {} : { stats: lenient ? r.stats : { ...r.stats, errors: 0 } }), initialSkipped: ctx.initialSkipped, initialDifferences, hasInitial: ctx.hasInitial, initialUnknown: !ctx.hasInitial, steps: notedSteps, printed });
  if (r.fatal) {
    // Not "exact": the records after the bad one were never read.
    if (ctx.json) ctx.print(`${JSON.stringify({ completeness: { exact: false, stopped: 'a bad record (see stderr); the rest of the trace was not replayed' } })}\n`);
    else (ctx.outputs.show.includes('json') ? (l: string) => void process.stderr.write(`kfib replay: ${l}`) : ctx.print)('# replay: stopped at a bad record (see stderr); the rest of the trace was not replayed\n');
    return code;
  }
  const gaps = printCompleteness(ctx, c);
  return code === EXIT.ok ? gaps : code;
}

export async function replayLog(input: AsyncIterable<Uint8Array>, initial: IpSnapshot | null, name: string, ctx: Ctx): Promise<number> {
  // Streamed: one event at a time, whatever the log's length (core/events/log-decoder.ts).
  const decoder = new EventLogDecoder();
  if (ctx.check) process.stderr.write('kfib replay: --check: a kfib event log records causes only; there are no captured notifications to compare (events the model refuses are reported)\n');
  const init = initialState(initial, [], ctx.names, { fresh: true });
  ctx.html?.begin(initial, [], init, true);
  for (const d of init.differences) process.stderr.write(`kfib replay: initial state differs from the snapshot: ${d}\n`);
  const replay = new LogReplay(init, { explain: ctx.explain, names: ctx.names, at: ctx.at, until: ctx.until });
  if (ctx.log !== null) ctx.log.write(init.events);
  const apply = (e: LoggedEvent): void => {
    const s = replay.apply(e);
    if (s === null) return;
    const { seq, event, before, step } = s;
    if (step.error !== null && replay.refused <= 20) process.stderr.write(`kfib replay: ${name}: event ${seq} (${event.type}) refused by the model: ${kernelErrorText(step.error).trim()}\n`);
    if (ctx.log !== null) ctx.log.write([event]);
    ctx.html?.logEvent(seq, event, before, step);
    if (ctx.explain) {
      const silent = s.silent;
      if (silent.length > 0 && !ctx.json) ctx.print(`@${seq} ${describeEvent(event, before, ctx.names)}\n`);
      for (const c of silent) {
        if (ctx.json) ctx.print(`${JSON.stringify({ seq, time: null, event: `@${seq} ${describeEvent(event, before, ctx.names)}`, mechanism: mechanism(c.cause, c), change: describeSilent(c, before, step.snapshot, ctx.names) })}\n`);
        else ctx.print(`  ${describeSilent(c, before, step.snapshot, ctx.names)}   (${mechanism(c.cause, c)})\n`);
      }
    }
  };
  for await (const chunk of input) {
    for (const e of decoder.push(chunk)) apply(e);
    if (replay.stopped || decoder.error !== undefined) break;
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
  if (replay.refused > 0) process.stderr.write(`kfib replay: ${name}: ${replay.refused} event(s) refused by the model (the kernel would have refused them: the log does not describe a kernel's history)\n`);
  printSummary({ ...ctx, check: false }, { findings: [], silentChanges: replay.silentCount });
  const printed = !ctx.json || ctx.outputs.show.length > 0 || ctx.outputs.gets.length > 0 ? printState(ctx.print, replay.atView ?? replay.view, ctx.outputs, '') : [];
  const gaps = printCompleteness(ctx, completeness({ initialSkipped: ctx.initialSkipped, initialDifferences: init.differences, hasInitial: ctx.hasInitial, steps: replay.refusedSteps, printed }));
  return end.error !== undefined ? EXIT.usage : replay.refused > 0 && ctx.check ? EXIT.differs : gaps;
}
