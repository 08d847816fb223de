// The iproute2 name files of a host (CONFDIR /etc/iproute2 in iproute2 6.1): rt_tables and
// rt_tables.d/*.conf, rt_protos and rt_protos.d/*.conf, rt_dsfield, rt_scopes, rt_realms.
//
// Why: `ip` prints table, protocol, scope, dsfield and realm numbers through these files
// (rtnl_rttable_n2a() ... of lib/rt_names.c), so `table isp1` in an `ip -j` dump or an
// `ip monitor` line means whatever the capturing host's rt_tables said. A replay must read
// the same files, and a name they do not define is an error, never a default.
//
// Parsing follows fread_id_name() and rtnl_tab_initialize() of lib/rt_names.c: blank lines
// and lines starting with `#` (after blanks) are skipped; a line is `0xHEX NAME` or
// `DECIMAL NAME` (anything after NAME is ignored); a line that is neither makes iproute2
// print "Database FILE is corrupted at LINE" and stop reading that file — here it is an
// error naming the file and the line. Numbers outside the table's range are skipped, as
// iproute2 does. A later line for the same number wins when printing (rtnl_tab_initialize
// overwrites tab[id]; rtnl_rttable_hash puts the newest entry first). The *.d folders are
// read after the main file, in name order (iproute2 uses readdir order, which is not stable).
//
// Pure: the caller reads the files (cli/) and passes their text.

/** What a name file names. */
export type NameKind = 'tables' | 'protocols' | 'dsfields' | 'scopes' | 'realms';

/** One file's text and the path to show in messages ("names/rt_tables"). */
export interface NameFileText {
  readonly kind: NameKind;
  readonly path: string;
  readonly text: string;
}

/** One `NUMBER NAME` line. */
export interface NameEntry {
  readonly name: string;
  readonly value: number;
  readonly path: string;
  readonly line: number;
}

/** The names a host's files define, by kind, with where each came from. */
export interface NameFiles {
  /** The files read, per kind, in reading order (for messages: "not in names/rt_tables, ..."). */
  readonly files: Readonly<Record<NameKind, readonly string[]>>;
  /** The entries, per kind, in reading order. */
  readonly entries: Readonly<Record<NameKind, readonly NameEntry[]>>;
}

/** A line no iproute2 would accept. */
export interface NameFileError {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** The largest value of each kind (tables are u32; the others index a 256-entry array). */
const MAX: Readonly<Record<NameKind, number>> = {
  tables: 0xffffffff,
  protocols: 255,
  dsfields: 255,
  scopes: 255,
  realms: 255,
};

/** The file names of each kind, as lib/rt_names.c opens them (`.d` folders: *.conf only). */
export const NAME_FILES: readonly { readonly kind: NameKind; readonly file: string; readonly dir?: string }[] = [
  { kind: 'tables', file: 'rt_tables', dir: 'rt_tables.d' },
  { kind: 'protocols', file: 'rt_protos', dir: 'rt_protos.d' },
  { kind: 'dsfields', file: 'rt_dsfield' },
  { kind: 'scopes', file: 'rt_scopes' },
  { kind: 'realms', file: 'rt_realms' },
];

/**
 * fread_id_name(): the entries of one file, or the first line iproute2 calls corrupted.
 *
 * Example: `parseNameFile({kind: 'tables', path: 'rt_tables', text: '101 isp1\n'})` gives
 * one entry `{name: 'isp1', value: 101, line: 1}`.
 */
export function parseNameFile(f: NameFileText): NameEntry[] | NameFileError {
  const out: NameEntry[] = [];
  const lines = f.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    const p = raw.replace(/^[ \t]+/, '');
    if (p === '' || p.startsWith('#')) continue;
    // sscanf "0x%x %s" then "%d %s": a number, blanks, a word; the rest of the line is ignored.
    const m = /^(0x[0-9a-fA-F]+|[+-]?[0-9]+)\s+(\S+)/.exec(p);
    if (m === null) {
      return { path: f.path, line: i + 1, message: `${f.path}: line ${i + 1}: expected "NUMBER NAME", got "${p}" (iproute2: "Database ${f.path} is corrupted")` };
    }
    const word = m[1] as string;
    const value = word.startsWith('0x') ? parseInt(word.slice(2), 16) : parseInt(word, 10);
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX[f.kind]) continue;
    out.push({ name: m[2] as string, value, path: f.path, line: i + 1 });
  }
  return out;
}

/** Reads every file given (the main file before its .d folder, as NAME_FILES lists them). */
export function parseNameFiles(files: readonly NameFileText[]): NameFiles | NameFileError {
  const paths: Record<NameKind, string[]> = { tables: [], protocols: [], dsfields: [], scopes: [], realms: [] };
  const entries: Record<NameKind, NameEntry[]> = { tables: [], protocols: [], dsfields: [], scopes: [], realms: [] };
  for (const f of files) {
    const r = parseNameFile(f);
    if (!Array.isArray(r)) return r;
    paths[f.kind].push(f.path);
    entries[f.kind].push(...r);
  }
  return { files: paths, entries };
}

/** No files: only iproute2's compiled-in and shipped names apply. */
export function noNameFiles(): NameFiles {
  return { files: { tables: [], protocols: [], dsfields: [], scopes: [], realms: [] }, entries: { tables: [], protocols: [], dsfields: [], scopes: [], realms: [] } };
}

/** name -> number of one kind (a2n); the newest line wins, as in rtnl_rttable_a2n's hash. */
export function namesToNumbers(files: NameFiles, kind: NameKind): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const e of files.entries[kind]) out[e.name] = e.value;
  return out;
}

/** number -> name of one kind (n2a); a later line for the same number replaces the earlier. */
export function numbersToNames(files: NameFiles, kind: NameKind): ReadonlyMap<number, string> {
  const out = new Map<number, string>();
  for (const e of files.entries[kind]) out.set(e.value, e.name);
  return out;
}

/** Where names of this kind were looked for, for an "unknown name" message. */
export function whereLooked(files: NameFiles, kind: NameKind): string {
  const list = files.files[kind];
  const builtin = kind === 'tables' ? 'the built-in names (main, local, default, unspec)' : "iproute2's built-in names";
  return list.length === 0 ? `${builtin}; no name files were given (--names DIR)` : `${builtin} and ${list.join(', ')}`;
}
