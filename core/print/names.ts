// iproute2 6.1's name tables (lib/rt_names.c with /etc/iproute2/rt_protos, rt_scopes,
// rt_tables, rt_dsfield as shipped): numbers to words and back.

import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../semantics/rtnetlink.js';

const PROTOS: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [1, 'redirect'],
  [2, 'kernel'],
  [3, 'boot'],
  [4, 'static'],
  [8, 'gated'],
  [9, 'ra'],
  [10, 'mrt'],
  [11, 'zebra'],
  [12, 'bird'],
  [13, 'dnrouted'],
  [14, 'xorp'],
  [15, 'ntk'],
  [16, 'dhcp'],
  [18, 'keepalived'],
  [42, 'babel'],
  [99, 'openr'],
  [186, 'bgp'],
  [187, 'isis'],
  [188, 'ospf'],
  [189, 'rip'],
  [192, 'eigrp'],
]);

const SCOPES: ReadonlyMap<number, string> = new Map([
  [0, 'global'],
  [200, 'site'],
  [253, 'link'],
  [254, 'host'],
  [255, 'nowhere'],
]);

const TABLES: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [RT_TABLE_DEFAULT, 'default'],
  [RT_TABLE_MAIN, 'main'],
  [RT_TABLE_LOCAL, 'local'],
]);

const DSFIELD: ReadonlyMap<number, string> = new Map([
  [0x00, 'default'],
  [0x28, 'AF11'],
  [0x30, 'AF12'],
  [0x38, 'AF13'],
  [0x48, 'AF21'],
  [0x50, 'AF22'],
  [0x58, 'AF23'],
  [0x68, 'AF31'],
  [0x70, 'AF32'],
  [0x78, 'AF33'],
  [0x88, 'AF41'],
  [0x90, 'AF42'],
  [0x98, 'AF43'],
  [0x20, 'CS1'],
  [0x40, 'CS2'],
  [0x60, 'CS3'],
  [0x80, 'CS4'],
  [0xa0, 'CS5'],
  [0xc0, 'CS6'],
  [0xe0, 'CS7'],
  [0xb8, 'EF'],
]);

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * The name tables `ip` prints and parses with: iproute2's built-in names, overridden and
 * extended by a host's name files (rt_tables, rt_protos, ... read by
 * ../iproute2/rt-names-files.ts). Passed explicitly (a replay's ReplayView, a command's
 * CommandContext): iproute2 keeps them per process; the model keeps no global state.
 */
export interface PrintNames {
  readonly tables: ReadonlyMap<number, string>;
  readonly protos: ReadonlyMap<number, string>;
  readonly scopes: ReadonlyMap<number, string>;
  readonly dsfields: ReadonlyMap<number, string>;
  /** name -> number, when files define names (the newest line wins). */
  readonly tableNums: ReadonlyMap<string, number>;
  readonly protoNums: ReadonlyMap<string, number>;
  readonly scopeNums: ReadonlyMap<string, number>;
  readonly dsfieldNums: ReadonlyMap<string, number>;
  /** Where names were looked for, per kind, for "unknown name" messages. */
  readonly where: Readonly<Record<'tables' | 'protocols' | 'scopes' | 'dsfields', string>>;
}

function reverse(m: ReadonlyMap<number, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of m) if (!out.has(v)) out.set(v, k);
  return out;
}

/** iproute2 6.1's compiled-in and shipped names: what `ip` uses without other files. */
export const BUILTIN_NAMES: PrintNames = {
  tables: TABLES,
  protos: PROTOS,
  scopes: SCOPES,
  dsfields: DSFIELD,
  tableNums: reverse(TABLES),
  protoNums: reverse(PROTOS),
  scopeNums: reverse(SCOPES),
  dsfieldNums: reverse(DSFIELD),
  where: {
    tables: "iproute2's built-in table names (main, local, default, unspec)",
    protocols: "iproute2's built-in protocol names",
    scopes: "iproute2's built-in scope names",
    dsfields: "iproute2's built-in dsfield names",
  },
};

/** The built-in names with a host's files on top (a file's name for a number replaces the built-in one). */
export function namesWithFiles(files: {
  readonly entries: Readonly<Record<'tables' | 'protocols' | 'scopes' | 'dsfields' | 'realms', readonly { readonly name: string; readonly value: number }[]>>;
  readonly files: Readonly<Record<'tables' | 'protocols' | 'scopes' | 'dsfields' | 'realms', readonly string[]>>;
}): PrintNames {
  const n2a = (base: ReadonlyMap<number, string>, kind: 'tables' | 'protocols' | 'scopes' | 'dsfields'): Map<number, string> => {
    const m = new Map(base);
    for (const e of files.entries[kind]) m.set(e.value, e.name);
    return m;
  };
  const a2n = (base: ReadonlyMap<number, string>, kind: 'tables' | 'protocols' | 'scopes' | 'dsfields'): Map<string, number> => {
    const m = reverse(base);
    for (const e of files.entries[kind]) m.set(e.name, e.value);
    return m;
  };
  const where = (kind: 'tables' | 'protocols' | 'scopes' | 'dsfields'): string =>
    files.files[kind].length === 0 ? `${BUILTIN_NAMES.where[kind]} (no name file given)` : `${BUILTIN_NAMES.where[kind]} and ${files.files[kind].join(', ')}`;
  return {
    tables: n2a(TABLES, 'tables'),
    protos: n2a(PROTOS, 'protocols'),
    scopes: n2a(SCOPES, 'scopes'),
    dsfields: n2a(DSFIELD, 'dsfields'),
    tableNums: a2n(TABLES, 'tables'),
    protoNums: a2n(PROTOS, 'protocols'),
    scopeNums: a2n(SCOPES, 'scopes'),
    dsfieldNums: a2n(DSFIELD, 'dsfields'),
    where: { tables: where('tables'), protocols: where('protocols'), scopes: where('scopes'), dsfields: where('dsfields') },
  };
}

/** rtnl_rtprot_n2a. */
export const protoName = (p: number, n: PrintNames = BUILTIN_NAMES): string => n.protos.get(p) ?? String(p);
/** rtnl_rtscope_n2a. */
export const scopeName = (s: number, n: PrintNames = BUILTIN_NAMES): string => n.scopes.get(s) ?? String(s);
/** rtnl_rttable_n2a. */
export const tableName = (t: number, n: PrintNames = BUILTIN_NAMES): string => n.tables.get(t) ?? String(t);
/** rtnl_dsfield_n2a. */
export const dsfieldName = (t: number, n: PrintNames = BUILTIN_NAMES): string => n.dsfields.get(t) ?? hex2(t);

/** get_unsigned-style number: decimal, 0x hex or 0 octal; undefined if not a number. */
export function parseUnsigned(word: string, max = 0xffffffff): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(word)) n = parseInt(word.slice(2), 16);
  else if (/^0[0-7]*$/.test(word)) n = parseInt(word, 8);
  else if (/^[1-9][0-9]*$/.test(word)) n = parseInt(word, 10);
  else return undefined;
  return n <= max ? n : undefined;
}

/** rtnl_rtprot_a2n. */
export function protoNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.protoNums.get(word) ?? parseUnsigned(word, 255);
}
/** rtnl_rtscope_a2n. */
export function scopeNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.scopeNums.get(word) ?? parseUnsigned(word, 255);
}
/** rtnl_rttable_a2n. */
export function tableNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.tableNums.get(word) ?? parseUnsigned(word);
}
/** rtnl_dsfield_a2n: names, or hex (base 16 always, as iproute2 parses it). */
export function dsfieldNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  const named = n.dsfieldNums.get(word);
  if (named !== undefined) return named;
  const m = /^(0[xX])?([0-9a-fA-F]+)$/.exec(word);
  if (m === null) return undefined;
  const v = parseInt(m[2] as string, 16);
  return v <= 255 ? v : undefined;
}
