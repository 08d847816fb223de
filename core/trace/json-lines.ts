// Where each entry of an `ip -j` snapshot starts in its text: the line and column of
// `$.KEY[i]` for every top-level array member, so that an error about "the 3rd route" can
// name the place a user opens in an editor (`before.json:4:1234`: `ip -j` prints a whole
// dump on one line, so the line alone would not do). JSON.parse() keeps no positions; this is a
// small scanner of the same text (strings with escapes, nesting), not a second parser: the
// text was already parsed, so it is well-formed.

/** A place in the text: 1-based line and column (in UTF-16 code units, as editors count). */
export interface TextPlace {
  readonly line: number;
  readonly column: number;
}

/** Where `$.key[index]` starts, for each top-level array `key`. */
export type EntryLines = ReadonlyMap<string, readonly TextPlace[]>;

/**
 * Scans `text` (a JSON object, as JSON.parse accepted it) and returns, for each top-level
 * member whose value is an array, where each of its elements starts.
 *
 * @example
 *   entryLines('{"route":[\n{"dst":"default"},\n{"dst":"10.0.0.0/8"}]}').get('route');
 *   // [{line: 2, column: 1}, {line: 3, column: 1}]
 */
export function entryLines(text: string): EntryLines {
  const out = new Map<string, TextPlace[]>();
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  // The key of the top-level member being read, and whether its value is an array.
  let key: string | null = null;
  let inArray = false;
  let expectValue = false;
  let lastString = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    // A value starts here when we are directly inside a top-level array.
    if (inArray && depth === 2 && expectValue && c !== 93 /* ] */ && c !== 44 /* , */) {
      (out.get(key as string) as TextPlace[]).push({ line, column: i - lineStart + 1 });
      expectValue = false;
    }
    if (c === 34 /* " */) {
      let j = i + 1;
      let s = '';
      while (j < text.length && text.charCodeAt(j) !== 34) {
        if (text.charCodeAt(j) === 92 /* \ */) j++;
        else s += text[j];
        j++;
      }
      // Only keys are kept (a value string is never read back as a key).
      lastString = s;
      i = j;
      continue;
    }
    if (c === 58 /* : */ && depth === 1) {
      key = lastString;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      depth++;
      if (depth === 2 && c === 91 && key !== null) {
        inArray = true;
        expectValue = true;
        out.set(key, []);
      }
      continue;
    }
    if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth === 2) inArray = false;
      depth--;
      continue;
    }
    if (c === 44 /* , */ && inArray && depth === 2) expectValue = true;
  }
  return out;
}
