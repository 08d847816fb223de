// The append-only event log as JSON Lines: one `{"v":1,"seq":N,"event":{…}}` per line.
// Pure encoding and decoding; the file side is in cli/event-log-file.ts, the streamed
// reader in log-decoder.ts. A last line that is not a whole event is a torn write: it is
// reported and dropped, and every earlier event is kept. Any other bad line is an error
// naming it.

import { EVENT_SCHEMA_VERSION, type FibEvent } from './fib-event.js';
import { EventLogDecoder } from './log-decoder.js';

export interface LoggedEvent {
  readonly seq: number;
  readonly event: FibEvent;
}

/** In-memory log: append-only, never rewrites an entry. */
export class EventLog {
  private readonly entries: LoggedEvent[] = [];
  append(event: FibEvent): LoggedEvent {
    const e = { seq: this.entries.length + 1, event };
    this.entries.push(e);
    return e;
  }
  get length(): number {
    return this.entries.length;
  }
  all(): readonly LoggedEvent[] {
    return this.entries;
  }
}

/** One log line (with its newline). */
export function encodeLogLine(e: LoggedEvent): string {
  return `${JSON.stringify({ v: EVENT_SCHEMA_VERSION, seq: e.seq, event: e.event })}\n`;
}

export interface DecodedLog {
  readonly events: readonly LoggedEvent[];
  /** A torn last line that was dropped (1-based line, byte offset of its start, and why). */
  readonly torn?: { readonly line: number; readonly offset: number; readonly reason: string };
  /** The first bad line before the end; events after it are not read. */
  readonly error?: { readonly line: number; readonly offset: number; readonly message: string };
}

/**
 * Decodes a whole log text, by the same rules as the streamed reader (log-decoder.ts, which
 * the CLI uses): a whole last event missing only its newline is kept, a torn one is dropped
 * and reported with its byte offset.
 */
export function decodeLog(text: string): DecodedLog {
  const d = new EventLogDecoder();
  const events: LoggedEvent[] = d.push(new TextEncoder().encode(text));
  const { last, end } = d.finish();
  if (last !== null) events.push(last);
  if (end.error !== undefined) return { events, error: end.error };
  if (end.torn !== undefined) return { events, torn: { line: end.torn.line, offset: end.torn.offset, reason: end.torn.message } };
  return { events };
}
