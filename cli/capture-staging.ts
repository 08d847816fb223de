// What the contained capture runner leaves in its staging folder, brought into the capture
// folder by kfib (issue 15): only regular files, read without following a symlink or
// blocking on a FIFO, written exclusively; anything else is named, not copied.

import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, writeSync, constants } from 'node:fs';
import { join } from 'node:path';
import { EXCL } from './capture-dir.js';

export function readStamp(dir: string, f: string): string {
  const b = readOwnFile(join(dir, f), 64);
  return b === null ? '' : b.toString('utf8').trim().replace(/^(\d+)\.(\d{1,6})$/, (_, s: string, u: string) => `${s}.${u.padEnd(6, '0')}`);
}

/** The runner's folder inside the capture folder while the script runs. */
export const STAGING = '.kfib-staging';

/**
 * A regular file's bytes (at most `max`), never through a symlink and never blocking on a
 * FIFO: what the contained runner left may be anything. Null when it is not a regular file.
 */
function readOwnFile(path: string, max: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Copies one regular file `src` to a new file `dst` (exclusive, no symlink followed). */
function copyOwnFile(src: string, dst: string): boolean {
  let fd: number;
  try {
    fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    if (!fstatSync(fd).isFile()) return false;
    const out = openSync(dst, EXCL, 0o644);
    try {
      const buf = Buffer.alloc(1 << 20);
      for (let pos = 0; ; ) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        writeSync(out, buf, 0, n);
        pos += n;
      }
    } finally {
      closeSync(out);
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves what the runner wrote into the capture folder: regular files and folders only, as
 * new files owned by this user; dot files are the runner's own (stamps, scratch) and stay
 * behind. Returns what was not copied (symlinks, devices, FIFOs), to be reported.
 */
export function collectStaged(staging: string, dir: string): string[] {
  const skipped: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(staging, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (existsSync(join(dir, r)) && !e.isDirectory()) {
        skipped.push(`${r} (the capture's own file of that name is kept)`);
      } else if (e.isDirectory()) {
        try {
          mkdirSync(join(dir, r), { mode: 0o755 });
        } catch {
          skipped.push(`${r}/ (the capture's own folder of that name is kept)`);
          continue;
        }
        walk(r);
      } else if (!e.isFile()) {
        skipped.push(`${r} (${e.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'})`);
      } else {
        try {
          if (!copyOwnFile(join(staging, r), join(dir, r))) skipped.push(`${r} (not a regular file)`);
        } catch (err) {
          skipped.push(`${r} (${(err as Error).message})`);
        }
      }
    }
  };
  walk('');
  return skipped;
}

/** Removes the runner's staging folder (never following a symlink). */
export function removeOwn(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}

