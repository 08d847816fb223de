// JSON files a user gives (an --initial snapshot): size and depth limits before parsing,
// and a syntax error named by its byte offset, never Node's own message alone or a stack
// overflow (core/events/log-decoder.ts does the same for each line of an event log).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { firstInvalidUtf8, jsonDepth, jsonSyntaxErrorOffset } from '../core/events/log-decoder.js';
import { entryLines, type EntryLines } from '../core/trace/json-lines.js';

/** Largest JSON input read (an ip -j dump of a full table is ~300 MB). */
export const MAX_JSON_BYTES = 1 << 30;
/** Deepest nesting accepted (ip -j output nests 5 deep). */
export const MAX_JSON_INPUT_DEPTH = 64;

/** The parsed value, or a message naming the file and what was wrong (with the byte offset). */
export function readJsonFile(path: string, limits: { maxBytes?: number; maxDepth?: number } = {}): { value: unknown } | { error: string } {
  const maxBytes = limits.maxBytes ?? MAX_JSON_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_JSON_INPUT_DEPTH;
  let bytes: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > maxBytes) return { error: `${path}: ${size} bytes, more than the ${maxBytes} accepted` };
      bytes = Buffer.alloc(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, bytes, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      bytes = bytes.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
  }
  return parseJsonBytes(path, bytes, maxDepth);
}

/** JSON text as bytes → value, or a message with the byte offset of the fault. */
export function parseJsonBytes(name: string, bytes: Uint8Array, maxDepth = MAX_JSON_INPUT_DEPTH): { value: unknown } | { error: string } {
  const depth = jsonDepth(bytes, maxDepth);
  if (depth > maxDepth) return { error: `${name}: JSON nested more than ${maxDepth} deep` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: `${name}: byte ${firstInvalidUtf8(bytes)}: invalid UTF-8` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    void e;
    const at = jsonSyntaxErrorOffset(bytes) ?? bytes.length;
    return { error: `${name}: byte ${at}: JSON syntax error: ${at >= bytes.length ? `the file ends early${text.trim() === '' ? ' (it is empty)' : ''}` : `unexpected ${JSON.stringify(String.fromCharCode(bytes[at] as number))}`}` };
  }
}

/**
 * Names where an element of a snapshot's text starts: `$.route[7]` (or a path inside it,
 * `$.route[7].dst`) → "4:1234" (line:column, as editors count), null for a path that is not
 * in a top-level array. The text is scanned once, on the first question (core/trace/json-lines.ts).
 */
export function jsonPlaces(text: string): (path: string) => string | null {
  let lines: EntryLines | undefined;
  return (path) => {
    const m = /^\$\.(\w+)\[(\d+)\]/.exec(path);
    if (m === null) return null;
    lines ??= entryLines(text);
    const p = lines.get(m[1] as string)?.[Number(m[2])];
    return p === undefined ? null : `${p.line}:${p.column}`;
  };
}

/** "FILE: rest" → "FILE:LINE:COL: rest" where the path has a place; else the message as it is. */
export function placeMessage(message: string, file: string, path: string | undefined, place: (path: string) => string | null): string {
  const at = path === undefined ? null : place(path);
  if (at === null) return message.startsWith(`${file}: `) ? message : `${file}: ${message}`;
  return message.startsWith(`${file}: `) ? `${file}:${at}: ${message.slice(file.length + 2)}` : `${file}:${at}: ${message}`;
}
