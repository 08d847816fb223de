// The event log read as a stream of bytes: one `{"v":1,"seq":N,"event":{…}}` per line, in
// constant memory whatever the log's length (no whole-file string: V8 strings stop at
// ~512 MiB). Lines are cut at the byte 0x0A, so a multi-byte UTF-8 sequence is never split,
// and every position reported is a byte offset in the file. A line must be valid UTF-8, at
// most MAX_LINE_BYTES long and nested at most MAX_JSON_DEPTH deep: anything else is an error
// naming its line and byte offset, never a crash. The last line without its newline is a
// torn write when it is not a whole event (reported with its offset, every earlier event
// kept); a whole last event missing only its newline is kept.

import { EVENT_SCHEMA_VERSION } from '../events/fib-event.js';
import { parseFibEvent } from './parse-event.js';
import type { LoggedEvent } from './event-log.js';

/** Longest log line accepted (a FibEvent is a few hundred bytes). */
export const MAX_LINE_BYTES = 1 << 20;
/** Deepest JSON nesting accepted in a log line (events nest 3 or 4 deep). */
export const MAX_JSON_DEPTH = 32;

const TOO_LONG = `line longer than the ${MAX_LINE_BYTES} bytes a log line may be`;

/** A problem at a place in the log. */
export interface LogProblem {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  readonly message: string;
}

/** What the end of the log held. */
export interface LogEnd {
  /** Complete events read. */
  readonly events: number;
  /** Bytes that hold complete events (where a repair truncates to, or appends after). */
  readonly goodBytes: number;
  /** A torn last line (dropped). */
  readonly torn?: LogProblem;
  /** The last event had no newline (kept): a repair appends one. */
  readonly missingNewline?: boolean;
  /** The first bad line before the end; nothing after it was read. */
  readonly error?: LogProblem;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Depth of the deepest [ or { in a JSON text (strings skipped), stopping past `limit`. */
export function jsonDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** JSON.parse's "position N" (a UTF-16 index in `text`) as a byte offset of the line. */
function syntaxOffset(text: string, message: string): number | null {
  const m = /position (\d+)/.exec(message);
  if (m === null) return null;
  return new TextEncoder().encode(text.slice(0, Number(m[1]))).length;
}

/** One log line (without its newline) as the event it holds, or why not. */
export function decodeLogLine(bytes: Uint8Array, expectedSeq: number): LoggedEvent | { readonly message: string; readonly at?: number } {
  if (bytes.length > MAX_LINE_BYTES) return { message: TOO_LONG };
  const depth = jsonDepth(bytes, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) return { message: `JSON nested more than ${MAX_JSON_DEPTH} deep` };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { message: 'invalid UTF-8', at };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const at = syntaxOffset(text, e instanceof Error ? e.message : '') ?? jsonSyntaxErrorOffset(bytes);
    return at === null ? { message: 'expected a JSON object (JSON syntax error)' } : { message: 'expected a JSON object (JSON syntax error)', at };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'expected a JSON object' };
  const o = v as Record<string, unknown>;
  if (o['v'] !== EVENT_SCHEMA_VERSION) return { message: `expected schema version ${EVENT_SCHEMA_VERSION}, got ${short(o['v'])}` };
  if (o['seq'] !== expectedSeq) return { message: `expected seq ${expectedSeq}, got ${short(o['seq'])}` };
  const ev = parseFibEvent(o['event']);
  if (typeof ev === 'string') return { message: `bad event: ${ev}` };
  return { seq: expectedSeq, event: ev };
}

function short(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    for (let k = 1; k < n; k++) if (((b[i + k] as number) & 0xc0) !== 0x80) return i;
    try {
      utf8.decode(b.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return b.length;
}

/** Is this a log line's object (`{"v":` first)? For telling an event log from other files. */
export function looksLikeLogLine(bytes: Uint8Array): boolean {
  return /^\{\s*"v"\s*:/.test(String.fromCharCode(...bytes.subarray(0, 16)));
}

/**
 * The decoder: push chunks of the file, get the complete events in them; finish() says
 * how the log ended. After an error, nothing more is decoded.
 */
export class EventLogDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private lineStart = 0;
  private line = 1;
  private count = 0;
  private failed: LogProblem | undefined;

  /** Complete events so far. */
  get events(): number {
    return this.count;
  }
  /** The first bad line, once found. */
  get error(): LogProblem | undefined {
    return this.failed;
  }

  push(chunk: Uint8Array): LoggedEvent[] {
    const out: LoggedEvent[] = [];
    let from = 0;
    while (this.failed === undefined) {
      const nl = chunk.indexOf(0x0a, from);
      if (nl < 0) {
        if (from < chunk.length) {
          if (this.pendingBytes + (chunk.length - from) > MAX_LINE_BYTES) {
            this.failed = { line: this.line, offset: this.lineStart, message: TOO_LONG };
            break;
          }
          this.pending.push(chunk.slice(from));
          this.pendingBytes += chunk.length - from;
        }
        break;
      }
      const part = chunk.subarray(from, nl);
      const bytes = this.pendingBytes === 0 ? part : concat([...this.pending, part], this.pendingBytes + part.length);
      this.pending = [];
      this.pendingBytes = 0;
      const r = decodeLogLine(bytes, this.count + 1);
      if ('message' in r) {
        this.failed = { line: this.line, offset: this.lineStart + (r.at ?? 0), message: r.message };
        break;
      }
      out.push(r);
      this.count++;
      this.line++;
      this.lineStart += bytes.length + 1;
      from = nl + 1;
    }
    return out;
  }

  /** The end: the last line without a newline, if any, is kept (a whole event) or torn. */
  finish(): { readonly last: LoggedEvent | null; readonly end: LogEnd } {
    if (this.failed !== undefined) return { last: null, end: { events: this.count, goodBytes: this.lineStart, error: this.failed } };
    if (this.pendingBytes === 0) return { last: null, end: { events: this.count, goodBytes: this.lineStart } };
    const bytes = concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const r = decodeLogLine(bytes, this.count + 1);
    if ('message' in r) {
      // A torn line is named by where it starts (where a repair cuts); too long is an error
      // wherever it is (a streaming reader finds it before the end).
      const problem = { line: this.line, offset: this.lineStart, message: r.message };
      return { last: null, end: { events: this.count, goodBytes: this.lineStart, ...(r.message === TOO_LONG ? { error: problem } : { torn: problem }) } };
    }
    this.count++;
    return { last: r, end: { events: this.count, goodBytes: this.lineStart + bytes.length, missingNewline: true } };
  }
}

function concat(parts: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;

/**
 * Byte offset of the first JSON syntax error in `b` (RFC 8259), or null when it is valid.
 * JSON.parse does not always say where (V8: "Unexpected token ','"): this scanner, run only
 * after JSON.parse failed, does. Iterative, so any depth is fine.
 */
export function jsonSyntaxErrorOffset(b: Uint8Array): number | null {
  const stack: number[] = [];
  type State = 'value' | 'valueOrEnd' | 'keyOrEnd' | 'key' | 'colon' | 'after';
  let state: State = 'value';
  let i = 0;
  const str = (from: number): number => {
    let k = from + 1;
    while (k < b.length) {
      const c = b[k] as number;
      if (c === 0x22) return k + 1;
      if (c < 0x20) return -k - 1;
      if (c === 0x5c) {
        const e = b[k + 1];
        if (e === 0x75) {
          for (let h = 2; h < 6; h++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(b[k + h] ?? 0))) return -(k + h) - 1;
          k += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) return -(k + 1) - 1;
        k += 2;
        continue;
      }
      k++;
    }
    return -b.length - 1;
  };
  for (;;) {
    while (i < b.length && isWs(b[i] as number)) i++;
    if (i >= b.length) return state === 'after' && stack.length === 0 ? null : b.length;
    const c = b[i] as number;
    switch (state) {
      case 'valueOrEnd':
        if (c === 0x5d) {
          stack.pop();
          i++;
          state = 'after';
        } else state = 'value';
        continue;
      case 'keyOrEnd':
        if (c === 0x7d) {
          stack.pop();
          i++;
          state = 'after';
        } else state = 'key';
        continue;
      case 'key': {
        if (c !== 0x22) return i;
        const e = str(i);
        if (e < 0) return -e - 1;
        i = e;
        state = 'colon';
        continue;
      }
      case 'colon':
        if (c !== 0x3a) return i;
        i++;
        state = 'value';
        continue;
      case 'after': {
        const top = stack[stack.length - 1];
        if (top === undefined) return i;
        if (c === 0x2c) state = top === 0x7b ? 'key' : 'value';
        else if ((top === 0x7b && c === 0x7d) || (top === 0x5b && c === 0x5d)) stack.pop();
        else return i;
        i++;
        continue;
      }
      case 'value': {
        if (c === 0x7b || c === 0x5b) {
          stack.push(c);
          i++;
          state = c === 0x7b ? 'keyOrEnd' : 'valueOrEnd';
          continue;
        }
        if (c === 0x22) {
          const e = str(i);
          if (e < 0) return -e - 1;
          i = e;
          state = 'after';
          continue;
        }
        const rest = String.fromCharCode(...b.subarray(i, i + 40));
        const lit = ['true', 'false', 'null'].find((l) => rest.startsWith(l));
        const num = NUMBER.exec(rest);
        if (lit !== undefined) i += lit.length;
        else if (num !== null && num[0] !== '-') {
          if (num[0].length === 40) {
            let k = i;
            while (k < b.length && /[0-9.eE+-]/.test(String.fromCharCode(b[k] as number))) k++;
            i = k;
          } else i += num[0].length;
        } else return i;
        state = 'after';
        continue;
      }
    }
  }
}
