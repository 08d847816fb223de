// The capture folder of `kfib capture`: created by kfib or an empty one owned by the user,
// files created exclusively and never through a symlink, and a manifest so that -f removes
// only what an earlier capture wrote (issue 15).

import { constants, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The list of files a capture wrote, in its folder: what -f may delete, and nothing else. */
export const MANIFEST = '.kfib-capture-manifest';

/**
 * The output folder: created here (mode 0755), or an existing empty folder owned by this
 * user and writable by no one else (so no one can plant a symlink in it for root to follow).
 * -f deletes only the regular files listed in an earlier capture's manifest, then requires
 * the folder to be empty.
 */
export function prepareDir(dir: string, force: boolean): string | null {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    try {
      mkdirSync(dir, { mode: 0o755 });
      return null;
    } catch (e) {
      return `cannot create ${dir}: ${(e as Error).message}`;
    }
  }
  if (!st.isDirectory()) return `${dir} exists and is not a folder${st.isSymbolicLink() ? ' (a symbolic link)' : ''}`;
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid;
  if (st.uid !== uid) return `${dir} is owned by uid ${st.uid}, not by this user; give a new folder`;
  if ((st.mode & 0o022) !== 0) return `${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)}); give a new folder`;
  if (readdirSync(dir).length > 0) {
    if (!force) return `${dir} exists and is not empty (use -f to replace an earlier capture)`;
    let listed: string[];
    try {
      listed = readFileSync(join(dir, MANIFEST), 'utf8').split('\n').filter((l) => l !== '');
    } catch {
      return `${dir} is not an earlier capture (no ${MANIFEST}); not replacing it`;
    }
    for (const f of listed) {
      if (f.startsWith('/') || f.split('/').some((p) => p === '..' || p === '.' || p === '')) return `${dir}/${MANIFEST} lists ${JSON.stringify(f)}, not a file of a capture; not replacing it`;
    }
    const extra = filesUnder(dir).filter((f) => f !== MANIFEST && !listed.includes(f));
    if (extra.length > 0) return `${dir} holds files the earlier capture did not write (${extra.slice(0, 5).join(', ')}); not replacing it`;
    for (const f of listed) {
      const p = join(dir, f);
      try {
        if (lstatSync(p).isFile()) unlinkSync(p);
      } catch {
        // already gone
      }
    }
    // The folders the earlier capture made (checkpoints/, names/ and names/*.d/) hold
    // nothing else now (checked above): remove those left empty, deepest first.
    removeEmptyFolders(dir, '');
    unlinkSync(join(dir, MANIFEST));
    if (readdirSync(dir).length > 0) return `${dir} is not empty after removing the earlier capture; not writing into it`;
  }
  return null;
}

/** Removes the empty folders below dir/rel, deepest first (never dir itself, never a symlink). */
function removeEmptyFolders(dir: string, rel: string): void {
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    removeEmptyFolders(dir, r);
    try {
      rmdirSync(join(dir, r));
    } catch {
      // not empty: the check that follows reports it
    }
  }
}

/** Every entry under `dir` that is not a folder (relative paths); symlinks included. */
function filesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else files.push(r);
    }
  };
  walk('');
  return files;
}

/** Lists every file under `dir` into its manifest, created exclusively. */
export function writeManifest(dir: string): void {
  const files = filesUnder(dir).filter((f) => f !== MANIFEST);
  writeFileSync(join(dir, MANIFEST), files.map((f) => `${f}\n`).join(''), { flag: 'wx', mode: 0o644 });
}

// The runner inside the namespace: helpers for the script, the recorders, the snapshots.
// Its working folder is the capture's staging folder (the only place it may write: in the
// user-namespace mode it is the one folder its unprivileged host uid owns), which also
// holds its own dot files (.runner.sh, .gets, .script.sh), never copied out. Private tmpfs over the

/** Files of the capture are created exclusively, never through a symlink. */
export const EXCL = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
