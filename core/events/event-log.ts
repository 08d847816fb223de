// The append-only event log as JSON Lines: one `{"v":1,"seq":N,"event":{…}}` per line.
// Pure encoding and decoding; the file side is in cli/event-log-file.ts. A last line
// without its newline, or that does not parse, is a torn write: it is reported and
// dropped, and every earlier event is kept. Any other bad line is an error naming it.

import { EVENT_SCHEMA_VERSION, type FibEvent } from './fib-event.js';
import { parseFibEvent } from './parse-event.js';

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
  /** A torn last line that was dropped (1-based line number and why). */
  readonly torn?: { readonly line: number; readonly reason: string };
  /** The first bad line before the end; events after it are not read. */
  readonly error?: { readonly line: number; readonly message: string };
}

/** Decodes a whole log text. */
export function decodeLog(text: string): DecodedLog {
  const events: LoggedEvent[] = [];
  if (text.length === 0) return { events };
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const isLast = i === lines.length - 1;
    const parsed = decodeLine(raw, events.length + 1);
    if (typeof parsed === 'string') {
      if (isLast && !complete) return { events, torn: { line: i + 1, reason: parsed } };
      return { events, error: { line: i + 1, message: parsed } };
    }
    if (isLast && !complete) {
      // A complete JSON object without its newline: still a torn write (the newline is the commit).
      return { events, torn: { line: i + 1, reason: 'the last line has no newline' } };
    }
    events.push(parsed);
  }
  return { events };
}

function decodeLine(raw: string, expectedSeq: number): LoggedEvent | string {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return 'expected a JSON object';
  }
  if (typeof v !== 'object' || v === null) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  if (o['v'] !== EVENT_SCHEMA_VERSION) return `expected schema version ${EVENT_SCHEMA_VERSION}, got ${JSON.stringify(o['v'])}`;
  if (o['seq'] !== expectedSeq) return `expected seq ${expectedSeq}, got ${JSON.stringify(o['seq'])}`;
  const ev = parseFibEvent(o['event']);
  if (typeof ev === 'string') return `bad event: ${ev}`;
  return { seq: expectedSeq, event: ev };
}
