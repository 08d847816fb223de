// iproute2's JSON writer output: compact (`ip -j`) and pretty (`ip -j -p`, json_writer.c).

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** `ip -j`: one line, no spaces. */
export function jsonCompact(v: JsonValue): string {
  return JSON.stringify(v);
}

/** `ip -j -p`: json_writer's pretty form ("[ {", four-space indent, "[ ]" when empty). */
export function jsonPretty(v: JsonValue): string {
  return write(v, 0);
}

function write(v: JsonValue, depth: number): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const pad = (d: number): string => '    '.repeat(d);
  if (Array.isArray(v)) {
    const arr = v as readonly JsonValue[];
    if (arr.length === 0) return '[ ]';
    return `[ ${arr.map((x) => write(x, depth + 1)).join(',')} ]`;
  }
  const entries = Object.entries(v as JsonObject);
  if (entries.length === 0) return '{}'; // jsonw_end(): no newline and no space in an empty object
  const body = entries.map(([k, x]) => `\n${pad(depth + 1)}${JSON.stringify(k)}: ${write(x, depth + 1)}`).join(',');
  return `{${body}\n${pad(depth)}}`;
}
