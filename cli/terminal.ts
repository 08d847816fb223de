// Control characters from input (device names, trace bytes, file contents quoted in an
// error) must not reach a terminal raw: an escape sequence could rewrite the screen or the
// title. Everything kfib writes to stderr, and to stdout when it is a terminal, goes
// through escapeControl: C0 controls other than newline and tab, DEL and C1 controls are
// printed as \xNN. Output to a file or pipe stays byte for byte (transcripts are compared).

/** `s` with control characters other than \n and \t written as \xNN. */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * `s` escaped as by escapeControl, except colour (SGR: ESC [ digits m), which kfib's own
 * `paint` writes to a terminal and which can change only colours, never the screen, the
 * cursor or the title.
 */
export function escapeControlKeepColour(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]{0,8}m|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => (c.length > 1 ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

type Write = typeof process.stdout.write;

let rawStderr: (s: string) => void = (s) => void process.stderr.write(s);

/** Writes kfib's own control sequences (the progress bar) to stderr unescaped. */
export function writeRawStderr(s: string): void {
  rawStderr(s);
}

/** Installs the escaping on process.stderr (always) and process.stdout (on a terminal). */
export function guardTerminal(): void {
  const wrap = (stream: NodeJS.WriteStream): void => {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    // Colour goes to stdout only when it is a terminal (colourOn); stderr keeps none.
    const escape = stream === process.stdout ? escapeControlKeepColour : escapeControl;
    const w = (chunk: unknown, ...rest: unknown[]): boolean => original(typeof chunk === 'string' ? escape(chunk) : chunk instanceof Uint8Array ? escape(Buffer.from(chunk).toString('utf8')) : chunk, ...rest);
    stream.write = w as Write;
    if (stream === process.stderr) rawStderr = (t) => void original(t);
  };
  wrap(process.stderr);
  if (process.stdout.isTTY === true) wrap(process.stdout);
}
