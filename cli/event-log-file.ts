// The event log on disk: JSON Lines, append-only. Opening an existing log reads it
// back (core/events/event-log.ts); a torn last line (a crash mid-write) is reported, cut
// off, and every earlier event kept; appending then continues the sequence numbers.

import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync, fsyncSync } from 'node:fs';
import { decodeLog, encodeLogLine, type LoggedEvent } from '../core/events/event-log.js';
import type { FibEvent } from '../core/events/fib-event.js';

export interface OpenedLog {
  readonly path: string;
  readonly events: readonly LoggedEvent[];
  /** What was wrong with the file, if anything (torn tail dropped, or a bad line). */
  readonly warnings: readonly string[];
  /** A bad line in the middle: the log cannot be appended to. */
  readonly fatal?: string;
}

/** Reads a log (missing file: empty). */
export function openLog(path: string): OpenedLog {
  if (!existsSync(path)) return { path, events: [], warnings: [] };
  const text = readFileSync(path, 'utf8');
  const d = decodeLog(text);
  const warnings: string[] = [];
  if (d.torn !== undefined) warnings.push(`${path}:${d.torn.line}: torn last line dropped (${d.torn.reason}); ${d.events.length} earlier events kept`);
  if (d.error !== undefined) {
    return { path, events: d.events, warnings, fatal: `${path}:${d.error.line}: ${d.error.message}; ${d.events.length} events before it were read` };
  }
  if (d.torn !== undefined) {
    // Cut the torn tail so that appends start on a line boundary.
    const keep = Buffer.byteLength(text.split('\n').slice(0, d.torn.line - 1).map((l) => `${l}\n`).join(''));
    truncateSync(path, keep);
  }
  return { path, events: d.events, warnings };
}

/** Appends events after those already in the log; never rewrites a line. */
export function appendEvents(log: OpenedLog, events: readonly FibEvent[]): number {
  const fd = openSync(log.path, 'a');
  try {
    let seq = log.events.length;
    for (const event of events) writeSync(fd, encodeLogLine({ seq: ++seq, event }));
    fsyncSync(fd);
    return seq;
  } finally {
    closeSync(fd);
  }
}
