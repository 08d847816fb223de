// The event log on disk: JSON Lines, append-only (core/events/log-decoder.ts reads it as a
// stream of bytes). Three guarantees:
// - Appends are serialised by an exclusive lock file `LOG.lock`, created with
//   O_CREAT|O_EXCL (atomic on local file systems; Node has no flock): it holds the owner's
//   pid and host. A second writer waits for it (polling, up to a timeout) and never
//   interleaves; a lock whose owner is a dead process of this host is stale and is broken
//   by renaming it away (rename is atomic: of two processes breaking it, one wins) and
//   checking that what was renamed is the stale lock that was read.
// - Opening for append reads only the first line (is it an event log?) and the tail (the
//   last sequence number, a torn write): constant time and memory on a log of any size. A
//   torn last line is reported with its byte offset and cut; a whole last event missing
//   only its newline is kept and the newline added. A file that is not an event log is
//   refused and never truncated.
// - `--out` (LogOutFile) refuses an existing file, and the input, unless forced, and writes
//   a temporary file beside it that is renamed into place when complete.

import { closeSync, constants, fstatSync, fsyncSync, linkSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync, ftruncateSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { encodeLogLine } from '../core/events/event-log.js';
import { decodeLogLine, looksLikeLogLine, MAX_LINE_BYTES } from '../core/events/log-decoder.js';
import type { FibEvent } from '../core/events/fib-event.js';

/** How long a writer waits for another's lock before giving up. */
export const LOCK_WAIT_MS = 30_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A held lock; release() removes it. */
export interface LogLock {
  release(): void;
}

/** Takes `path.lock` exclusively, waiting up to `waitMs` for another writer. */
export function lockLog(path: string, waitMs = LOCK_WAIT_MS): LogLock | string {
  const lockPath = `${path}.lock`;
  const me = `${process.pid} ${hostname()}\n`;
  const deadline = Date.now() + waitMs;
  let delay = 5;
  for (;;) {
    try {
      const fd = openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      writeSync(fd, me);
      closeSync(fd);
      return {
        release: () => {
          try {
            if (readFileSync(lockPath, 'utf8') === me) unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot create the lock ${lockPath}: ${(e as Error).message}`;
    }
    let holder = '';
    try {
      holder = readFileSync(lockPath, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const m = /^(\d+) (\S+)\n$/.exec(holder);
    if (m !== null && m[2] === hostname() && !alive(Number(m[1]))) {
      // Stale: break it atomically, and put back what was renamed if it was not the stale lock.
      const aside = `${lockPath}.stale-${process.pid}`;
      try {
        renameSync(lockPath, aside);
        const taken = readFileSync(aside, 'utf8');
        if (taken !== holder) {
          try {
            linkSync(aside, lockPath);
          } catch {
            // a third writer holds it now; the one we moved had just been taken and is lost: rare, and its owner's release is then a no-op
          }
        }
        unlinkSync(aside);
      } catch {
        // someone else broke it first
      }
      continue;
    }
    if (Date.now() >= deadline) return `the log is locked by ${m === null ? 'another writer' : `process ${m[1]} on ${m[2]}`} (${lockPath}); waited ${Math.round(waitMs / 1000)} s`;
    sleepMs(delay);
    delay = Math.min(delay * 2, 100);
  }
}

/** A log opened for appending, under its lock. */
export interface OpenedLog {
  readonly path: string;
  /** The last sequence number in the log (0: empty or new). */
  readonly lastSeq: number;
  /** What was wrong with the file and was repaired (torn tail cut, newline added). */
  readonly warnings: readonly string[];
  readonly lock: LogLock;
}

function readAt(fd: number, pos: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = readSync(fd, b, got, n - got, pos + got);
    if (r === 0) break;
    got += r;
  }
  return b.subarray(0, got);
}

/** Start offset of the line that ends just before `end` (searching back at most MAX_LINE_BYTES). */
function lineStartBefore(fd: number, end: number): number | null {
  let pos = end;
  while (pos > 0) {
    const from = Math.max(0, pos - 65536);
    const b = readAt(fd, from, pos - from);
    const i = b.lastIndexOf(0x0a);
    if (i >= 0) return from + i + 1;
    pos = from;
    if (end - pos > MAX_LINE_BYTES + 1) return null;
  }
  return 0;
}

/**
 * Opens `path` for appending (a missing file is a new, empty log): takes the lock, checks
 * that the file is an event log, repairs a torn tail. Errors are strings naming the file.
 */
export function openLog(path: string, waitMs = LOCK_WAIT_MS): OpenedLog | string {
  const lock = lockLog(path, waitMs);
  if (typeof lock === 'string') return lock;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    lock.release();
    return `cannot open ${path}: ${(e as Error).message}`;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return `${path} is not a regular file`;
    const size = st.size;
    if (size === 0) return { path, lastSeq: 0, warnings: [], lock };
    const warnings: string[] = [];
    const head = readAt(fd, 0, Math.min(size, 64));
    if (!looksLikeLogLine(head)) return `${path} is not a kfib event log (it does not start with {"v":…}); not appending to it`;
    const endsWithNl = readAt(fd, size - 1, 1)[0] === 0x0a;
    const lastEnd = endsWithNl ? size - 1 : size;
    const lastStart = lineStartBefore(fd, lastEnd);
    if (lastStart === null) return `${path}: the last line is longer than ${MAX_LINE_BYTES} bytes; not an event log`;
    const lastLine = readAt(fd, lastStart, lastEnd - lastStart);
    // The sequence number the last line should carry: the one before it, plus one.
    let prevSeq = 0;
    if (lastStart > 0) {
      const prevStart = lineStartBefore(fd, lastStart - 1);
      if (prevStart === null) return `${path}: a line longer than ${MAX_LINE_BYTES} bytes near the end; not an event log`;
      const prev = seqOf(readAt(fd, prevStart, lastStart - 1 - prevStart));
      if (prev === null) return `${path}: the line at byte ${prevStart} is not an event; not appending (kfib replay ${basename(path)} says more)`;
      prevSeq = prev;
    }
    const decoded = decodeLogLine(lastLine, prevSeq + 1);
    if (!('message' in decoded)) {
      if (!endsWithNl) {
        writeSync(fd, '\n', size);
        warnings.push(`${path}: the last event (seq ${decoded.seq}) had no newline at byte ${size}; added`);
      }
      return { path, lastSeq: decoded.seq, warnings, lock };
    }
    if (endsWithNl || lastStart === 0) {
      return `${path}:${lastStart === 0 ? '1' : `byte ${lastStart}`}: ${decoded.message}; not an event log, or broken before its end: not appending`;
    }
    ftruncateSync(fd, lastStart);
    fsyncSync(fd);
    warnings.push(`${path}: torn last line at byte ${lastStart} (${lastEnd - lastStart} bytes: ${decoded.message}) cut; the ${prevSeq} events before it kept`);
    return { path, lastSeq: prevSeq, warnings, lock };
  } catch (e) {
    return `cannot read ${path}: ${(e as Error).message}`;
  } finally {
    closeSync(fd);
  }
}

function seqOf(line: Uint8Array): number | null {
  const m = /^\{"v":\d+,"seq":(\d+),/.exec(Buffer.from(line.subarray(0, 40)).toString('latin1'));
  return m === null ? null : Number(m[1]);
}

/** Appends events after the log's last one and releases the lock; never rewrites a line. */
export function appendEvents(log: OpenedLog, events: readonly FibEvent[]): number {
  try {
    const fd = openSync(log.path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
    try {
      let seq = log.lastSeq;
      let buf = '';
      for (const event of events) {
        buf += encodeLogLine({ seq: ++seq, event });
        if (buf.length >= 1 << 16) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      if (buf !== '') writeSync(fd, buf);
      fsyncSync(fd);
      return seq;
    } finally {
      closeSync(fd);
    }
  } finally {
    log.lock.release();
  }
}

/**
 * A new log written through a temporary file renamed into place by commit(): refuses an
 * existing file (and the input, given by `input`) unless `force`.
 */
export class LogOutFile {
  private readonly fd: number;
  private readonly tmp: string;
  private seq = 0;
  private buf = '';
  private constructor(
    readonly path: string,
    fd: number,
    tmp: string,
  ) {
    this.fd = fd;
    this.tmp = tmp;
  }

  static create(path: string, opts: { readonly force: boolean; readonly input?: string }): LogOutFile | string {
    let existing: ReturnType<typeof statSync> | undefined;
    try {
      existing = statSync(path);
    } catch {
      existing = undefined;
    }
    if (existing !== undefined) {
      if (opts.input !== undefined) {
        try {
          const i = statSync(opts.input);
          if (i.ino === existing.ino && i.dev === existing.dev && !opts.force) return `${path} is the input; not overwriting it (--force writes the new log through a temporary file, then replaces it)`;
        } catch {
          // the input is not a file
        }
      }
      if (!opts.force) return `${path} exists; not overwriting it (use --force)`;
      if (!existing.isFile()) return `${path} exists and is not a regular file`;
    }
    const tmp = join(dirname(path), `.${basename(path)}.kfib-${process.pid}.tmp`);
    try {
      const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      return new LogOutFile(path, fd, tmp);
    } catch (e) {
      return `cannot write ${path}: ${(e as Error).message}`;
    }
  }

  write(events: readonly FibEvent[]): void {
    for (const event of events) this.buf += encodeLogLine({ seq: ++this.seq, event });
    if (this.buf.length >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf !== '') writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Writes the rest, then renames the temporary file into place; the number of events. */
  commit(): number {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
    return this.seq;
  }

  /** Drops the temporary file (the run failed). */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closed
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // gone
    }
  }
}
