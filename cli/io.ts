// The CLI's files and terminal, one set of conventions for every command: `-` is standard
// input or standard output; an output path is checked before the work starts (a missing
// folder, a folder, a file that cannot be written), so that a long replay does not end in
// an error; a failed write names the path (exit 74, not an internal error); a closed pipe
// (`kfib run X | head -1`) is quiet and keeps the exit status the verdict; colour only on a terminal and never
// with NO_COLOR (no-color.org).

import { accessSync, closeSync, constants, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EXIT } from './exit-status.js';
import { escapeControl, writeRawStderr } from './terminal.js';

/** An I/O failure on a named file: printed as "kfib: PATH: reason", exit 74. */
export class IoError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'IoError';
  }
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
};

/** The reason of a Node file-system error, in words (the errno name kept in brackets). */
export function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return REASONS[code] === undefined ? `${code}` : `${REASONS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/** Whether an error is a file-system error (it has an errno code and a syscall). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** The name used in messages: `<stdin>` / `<stdout>` for `-`. */
export function displayName(path: string, dir: 'in' | 'out'): string {
  return path === '-' ? (dir === 'in' ? '<stdin>' : '<stdout>') : path;
}

/**
 * Why `path` cannot be written, or null when it can (or is `-`). Checked before the work
 * starts: the folder must exist and be a folder, the path must not be a folder, and the
 * file (or, for a new file, its folder) must be writable.
 */
export function outputProblem(path: string): string | null {
  if (path === '-') return null;
  if (path === '') return 'an empty path';
  const full = resolve(path);
  const dir = dirname(full);
  try {
    if (!statSync(dir).isDirectory()) return `${dirname(path)} is not a folder`;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${dirname(path)} does not exist` : ioReason(e);
  }
  try {
    const st = statSync(full);
    if (st.isDirectory()) return 'is a folder (expected a file name)';
    accessSync(full, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return code === 'EACCES' ? 'not writable (permission denied)' : ioReason(e);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `the folder ${dirname(path)} is not writable`;
    }
  }
  return null;
}

/**
 * Why folder `path` cannot be created or written into, or null: it must be a folder if it
 * exists, else its nearest existing parent must be a writable folder.
 */
export function outputDirProblem(path: string): string | null {
  let p = resolve(path);
  for (;;) {
    try {
      if (!statSync(p).isDirectory()) return p === resolve(path) ? 'is not a folder' : `${p} is not a folder`;
      accessSync(p, constants.W_OK);
      return null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES') return `${p} is not writable`;
      if (code !== 'ENOENT') return ioReason(e);
    }
    const up = dirname(p);
    if (up === p) return 'no existing parent folder';
    p = up;
  }
}

/**
 * Checks every output path given (undefined: not given); writes the first problem as
 * "NAME: --OPTION PATH: problem" and returns exit status 2, or returns null.
 */
export function checkOutputs(name: string, outputs: Readonly<Record<string, string | undefined>>): number | null {
  let toStdout = 0;
  for (const [option, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    if (path === '-') toStdout++;
    const p = outputProblem(path);
    if (p !== null) {
      process.stderr.write(`${name}: --${option} ${path}: ${p}\n`);
      return EXIT.usage;
    }
  }
  if (toStdout > 1) {
    process.stderr.write(`${name}: only one output can be - (standard output)\n`);
    return EXIT.usage;
  }
  return null;
}

/** Reads a whole input file, `-` being standard input; throws IoError naming the path. */
export function readInput(path: string): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new IoError(displayName(path, 'in'), ioReason(e));
  }
}

/** An output file opened for writing (`-`: standard output); writes throw IoError. */
export class OutputFile {
  private fd: number;
  readonly name: string;
  constructor(
    readonly path: string,
    flags: 'w' | 'a' = 'w',
  ) {
    this.name = displayName(path, 'out');
    if (path === '-') this.fd = 1;
    else {
      try {
        this.fd = openSync(path, flags);
      } catch (e) {
        throw new IoError(path, ioReason(e));
      }
    }
  }
  get isStdout(): boolean {
    return this.path === '-';
  }
  write(text: string | Uint8Array): void {
    if (this.path === '-') {
      process.stdout.write(text);
      return;
    }
    try {
      const buf = typeof text === 'string' ? Buffer.from(text) : text;
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off);
    } catch (e) {
      throw new IoError(this.path, ioReason(e));
    }
  }
  close(): void {
    if (this.path === '-' || this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch (e) {
      throw new IoError(this.path, ioReason(e));
    } finally {
      this.fd = -1;
    }
  }
}

/**
 * A closed pipe on stdout or stderr (`head` has read enough) is not a failure: what is left
 * to write there is dropped and the command runs to its end, so that its exit status is
 * still its verdict (a replay with named gaps exits 3 even when `head` cut the "# " lines
 * off; under `set -o pipefail` an early exit 0 would have said "exact"). Node ignores
 * SIGPIPE, so the write fails with EPIPE instead of the process being killed.
 */
export function quietOnClosedPipe(): void {
  const closed = (err: NodeJS.ErrnoException): boolean => err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
  /** Drops every later write to `stream`: nobody reads it any more. */
  const drop = (stream: NodeJS.WriteStream): void => {
    stream.write = (): boolean => true;
  };
  // Any other failure to write standard output (a full disk, `> /dev/full`) is an I/O
  // error named as such, exit 74, never a stack trace; stderr is then tried once.
  process.stdout.on('error', (err: NodeJS.ErrnoException): void => {
    if (closed(err)) {
      drop(process.stdout);
      return;
    }
    try {
      process.stderr.write(`kfib: <stdout>: ${ioReason(err)}\n`);
    } finally {
      process.exit(EXIT.ioerr);
    }
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException): void => {
    if (!closed(err)) throw err;
    drop(process.stderr);
  });
}

/** Whether to colour what goes to `stream`: a terminal, no NO_COLOR, TERM not "dumb". */
export function colourOn(stream: NodeJS.WriteStream): boolean {
  const noColour = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColour === undefined || noColour === '') && process.env['TERM'] !== 'dumb';
}

/** SGR colours for the few places kfib colours (diff lines, verdicts). */
export function paint(on: boolean): { red(s: string): string; green(s: string): string; cyan(s: string): string; bold(s: string): string } {
  const wrap = (code: number) => (s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { red: wrap(31), green: wrap(32), cyan: wrap(36), bold: wrap(1) };
}

/**
 * Progress of long work on stderr with a rate and an ETA: redrawn in place at most ten
 * times a second, only on a terminal (silent when stderr is a file or a pipe, and with
 * `enabled` false).
 */
export function progressLine(
  label: string,
  total: number,
  enabled = true,
  sink: ProgressSink = { isTTY: process.stderr.isTTY === true, write: writeRawStderr },
): { update(done: number, note?: string): void; end(): void } {
  const on = enabled && sink.isTTY && total > 0;
  const t0 = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done: number, note = ''): void {
      if (!on) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const frac = Number.isFinite(done) ? Math.max(0, Math.min(1, done / total)) : 0;
      const elapsed = (now - t0) / 1000;
      const eta = frac > 0.01 && elapsed > 0.5 ? Math.max(0, elapsed / frac - elapsed) : null;
      const width = 24;
      const fill = Math.round(frac * width);
      // The bar's own \r and erase-line go out raw (the terminal guard would print them as
      // \x0d\x1b); the label and note may come from input, so they are escaped.
      const text = `${label} [${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${(frac * 100).toFixed(0)}%${note === '' ? '' : ` ${note}`}${eta === null ? '' : ` ETA ${formatSeconds(eta)}`}`;
      sink.write(`\r\x1b[2K${escapeControl(text)}`);
      drawn = true;
    },
    end(): void {
      if (drawn) sink.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Where a progress bar is drawn: stderr when it is a terminal (tests pass their own). */
export interface ProgressSink {
  readonly isTTY: boolean;
  write(s: string): void;
}

/** 75 → "1m15s", 8.2 → "8s". */
export function formatSeconds(s: number): string {
  const r = Math.round(s);
  return r >= 60 ? `${Math.floor(r / 60)}m${String(r % 60).padStart(2, '0')}s` : `${r}s`;
}

/** The exit status and message of an error that reached the top of a command. */
export function reportFailure(err: unknown): number {
  if (err instanceof IoError) {
    process.stderr.write(`kfib: ${err.path}: ${err.reason}\n`);
    return EXIT.ioerr;
  }
  if (isSystemError(err)) {
    if (err.code === 'EPIPE') return EXIT.ok;
    process.stderr.write(`kfib: ${err.path ?? err.syscall ?? ''}: ${ioReason(err)}\n`);
    return EXIT.ioerr;
  }
  process.stderr.write(`kfib: internal error: ${err instanceof Error ? err.message : String(err)}\n(this is a bug in kfib; please report it with the command that caused it)\n`);
  return EXIT.software;
}
