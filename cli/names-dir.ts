// Reading and writing a host's iproute2 name files (rt_tables, rt_tables.d/*.conf, rt_protos,
// rt_protos.d/*.conf, rt_dsfield, rt_scopes, rt_realms): from a folder (a capture's names/,
// --names DIR, /etc/iproute2) or from the "names" member of a snapshot file, where
// `kfib snapshot` stores them as { "rt_tables": TEXT, "rt_tables.d/vpn.conf": TEXT, ... }.
// The parsing is core/iproute2/rt-names-files.ts; this file does the I/O.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { namesWithFiles, BUILTIN_NAMES, type PrintNames } from '../core/uapi/rt-names.js';
import { NAME_FILES, parseNameFiles, type NameFileError, type NameFileText, type NameFiles } from '../core/iproute2/rt-names-files.js';

/** Where iproute2 6.1 reads its name files (CONFDIR). */
export const IPROUTE2_CONFDIR = '/etc/iproute2';

/** The relative paths of the name files present in dir, in iproute2's reading order. */
export function nameFilePaths(dir: string): { kind: NameFileText['kind']; rel: string }[] {
  const out: { kind: NameFileText['kind']; rel: string }[] = [];
  for (const n of NAME_FILES) {
    if (existsSync(join(dir, n.file)) && statSync(join(dir, n.file)).isFile()) out.push({ kind: n.kind, rel: n.file });
    if (n.dir !== undefined && existsSync(join(dir, n.dir)) && statSync(join(dir, n.dir)).isDirectory()) {
      for (const f of readdirSync(join(dir, n.dir)).filter((x) => x.endsWith('.conf')).sort()) out.push({ kind: n.kind, rel: `${n.dir}/${f}` });
    }
  }
  return out;
}

/** Reads the name files of dir; `shown` is the folder as messages should name it. */
export function readNamesDir(dir: string, shown: string = dir): NameFiles | NameFileError {
  const texts: NameFileText[] = nameFilePaths(dir).map((p) => ({ kind: p.kind, path: join(shown, p.rel), text: readFileSync(join(dir, p.rel), 'utf8') }));
  return parseNameFiles(texts);
}

/** The name files of a snapshot's "names" member ({ REL: TEXT }), or null when it has none. */
export function namesFromSnapshot(json: unknown, shown: string): NameFiles | NameFileError | null {
  if (typeof json !== 'object' || json === null || !('names' in json)) return null;
  const names = (json as { names: unknown }).names;
  if (typeof names !== 'object' || names === null) return { path: shown, line: 0, message: `${shown}: "names" must be an object of file texts` };
  const texts: NameFileText[] = [];
  for (const n of NAME_FILES) {
    for (const [rel, text] of Object.entries(names)) {
      const isMain = rel === n.file;
      const inDir = n.dir !== undefined && rel.startsWith(`${n.dir}/`) && rel.endsWith('.conf');
      if (!isMain && !inDir) continue;
      if (typeof text !== 'string') return { path: shown, line: 0, message: `${shown}: names["${rel}"] must be the file's text` };
      texts.push({ kind: n.kind, path: `${shown}#names/${rel}`, text });
    }
  }
  texts.sort((a, b) => order(a) - order(b) || a.path.localeCompare(b.path));
  return parseNameFiles(texts);
}

function order(t: NameFileText): number {
  const i = NAME_FILES.findIndex((n) => n.kind === t.kind);
  const inDir = t.path.includes('.d/');
  return i * 2 + (inDir ? 1 : 0);
}

/** The name files of dir as a snapshot's "names" member. */
export function namesJson(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of nameFilePaths(dir)) out[p.rel] = readFileSync(join(dir, p.rel), 'utf8');
  return out;
}

/** Copies the name files of `from` (the host's /etc/iproute2) into `to` (a capture's names/). */
export function copyNameFiles(from: string, to: string): number {
  const files = nameFilePaths(from);
  for (const p of files) {
    const dst = join(to, p.rel);
    mkdirSync(join(dst, '..'), { recursive: true });
    copyFileSync(join(from, p.rel), dst);
  }
  return files.length;
}

/**
 * The name tables a replay or a run prints and parses with: the name files of `dir` (a
 * capture's names/, --names DIR) when given, else the "names" member of the initial
 * snapshot, else iproute2's built-ins. A string is the error (file, line, what).
 */
export function loadNames(dir: string | undefined, snapshot: { json: unknown; shown: string } | null): PrintNames | string {
  if (dir !== undefined) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return `--names: ${dir}: not a folder`;
    const f = readNamesDir(dir);
    return 'message' in f ? f.message : namesWithFiles(f);
  }
  if (snapshot !== null) {
    const f = namesFromSnapshot(snapshot.json, snapshot.shown);
    if (f !== null) return 'message' in f ? f.message : namesWithFiles(f);
  }
  return BUILTIN_NAMES;
}
