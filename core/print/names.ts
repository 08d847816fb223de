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

/** rtnl_rtprot_n2a. */
export const protoName = (p: number): string => PROTOS.get(p) ?? String(p);
/** rtnl_rtscope_n2a. */
export const scopeName = (s: number): string => SCOPES.get(s) ?? String(s);
/** rtnl_rttable_n2a. */
export const tableName = (t: number): string => TABLES.get(t) ?? String(t);
/** rtnl_dsfield_n2a. */
export const dsfieldName = (t: number): string => DSFIELD.get(t) ?? hex2(t);

function lookupName(map: ReadonlyMap<number, string>, word: string): number | undefined {
  for (const [k, v] of map) if (v === word) return k;
  return undefined;
}

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
export function protoNumber(word: string): number | undefined {
  return lookupName(PROTOS, word) ?? parseUnsigned(word, 255);
}
/** rtnl_rtscope_a2n. */
export function scopeNumber(word: string): number | undefined {
  return lookupName(SCOPES, word) ?? parseUnsigned(word, 255);
}
/** rtnl_rttable_a2n. */
export function tableNumber(word: string): number | undefined {
  return lookupName(TABLES, word) ?? parseUnsigned(word);
}
/** rtnl_dsfield_a2n: names, or hex (base 16 always, as iproute2 parses it). */
export function dsfieldNumber(word: string): number | undefined {
  const named = lookupName(DSFIELD, word);
  if (named !== undefined) return named;
  const m = /^(0[xX])?([0-9a-fA-F]+)$/.exec(word);
  if (m === null) return undefined;
  const n = parseInt(m[2] as string, 16);
  return n <= 255 ? n : undefined;
}
