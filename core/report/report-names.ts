// The capture's iproute2 names (rt_tables, rt_protos, rt_scopes, rt_dsfield: a PrintNames)
// as a report carries them, so that the page prints and parses tables, protocols, scopes and
// dsfields as `kfib replay --show` and `--explain` do (rtnl_rttable_n2a() and the other
// *_n2a()/*_a2n() functions of lib/rt_names.c read the printing host's files). Without them
// the page would print `table 101` where every other output prints `table isp1`, and would
// refuse the initial snapshot's `"table": "isp1"` entries (ip-json-names.ts).
//
// Only what differs from iproute2's built-in names is carried: a capture names a few
// tables, so the form is a few entries (none for a host with the stock files).
//
// | member        | holds                                                                |
// | ------------- | -------------------------------------------------------------------- |
// | KIND.n2a      | [number, name]: the number's name where it is not the built-in one   |
// |               | ('' : the number has no name, where the built-ins name it)           |
// | KIND.a2n      | [name, number]: the names `ip` reads that the n2a entries do not     |
// |               | imply (an alias: `101 isp1` then `101 provider`); -1: not a name      |
// | numeric       | `ip -N`: every n2a prints the number (numericNames())                |
//
// A report without the member (written before it existed) means the built-in names.

import { BUILTIN_NAMES, numericNames, type PrintNames } from '../uapi/rt-names.js';

/** One kind's names as a report carries them: what differs from the built-ins. */
export interface ReportNameTable {
  readonly n2a?: readonly (readonly [number, string])[];
  readonly a2n?: readonly (readonly [string, number])[];
}

/** A PrintNames as a report carries it (ReportData.names). */
export interface ReportNames {
  readonly tables?: ReportNameTable;
  readonly protos?: ReportNameTable;
  readonly scopes?: ReportNameTable;
  readonly dsfields?: ReportNameTable;
  readonly numeric?: true;
}

type Kind = 'tables' | 'protos' | 'scopes' | 'dsfields';
const KINDS: readonly Kind[] = ['tables', 'protos', 'scopes', 'dsfields'];
const NUMS = { tables: 'tableNums', protos: 'protoNums', scopes: 'scopeNums', dsfields: 'dsfieldNums' } as const;
const WHERE = { tables: 'tables', protos: 'protocols', scopes: 'scopes', dsfields: 'dsfields' } as const;

/** The n2a map a table's entries make from the built-in one. */
function n2aOf(base: ReadonlyMap<number, string>, t: ReportNameTable | undefined): Map<number, string> {
  const m = new Map(base);
  for (const [n, name] of t?.n2a ?? []) {
    if (name === '') m.delete(n);
    else m.set(n, name);
  }
  return m;
}

/** The a2n map the n2a entries imply: the built-in one plus each entry's name. */
function impliedA2n(base: ReadonlyMap<string, number>, n2a: readonly (readonly [number, string])[]): Map<string, number> {
  const m = new Map(base);
  for (const [n, name] of n2a) if (name !== '') m.set(name, n);
  return m;
}

/**
 * The names as a report carries them: per kind, the entries that differ from iproute2's
 * built-ins.
 * @example reportNames(BUILTIN_NAMES) // {}
 * 1. n2a: each number whose name is not the built-in one ('' where a built-in name is gone);
 *    none under `ip -N` (the maps are empty there: `numeric` says so);
 * 2. a2n: each name whose number is not what the built-ins and step 1 imply (-1: not a name);
 * 3. kinds with neither are left out.
 */
export function reportNames(names: PrintNames): ReportNames {
  const out: { -readonly [K in keyof ReportNames]: ReportNames[K] } = {};
  for (const kind of KINDS) {
    const base = BUILTIN_NAMES[kind];
    const have = names[kind];
    const n2a: [number, string][] = [];
    if (names.numeric !== true) {
      for (const [n, name] of have) if (base.get(n) !== name) n2a.push([n, name]);
      for (const n of base.keys()) if (!have.has(n)) n2a.push([n, '']);
    }
    const implied = impliedA2n(BUILTIN_NAMES[NUMS[kind]], n2a);
    const actual = names[NUMS[kind]];
    const a2n: [string, number][] = [];
    for (const [name, n] of actual) if (implied.get(name) !== n) a2n.push([name, n]);
    for (const name of implied.keys()) if (!actual.has(name)) a2n.push([name, -1]);
    if (n2a.length > 0 || a2n.length > 0) out[kind] = { ...(n2a.length > 0 ? { n2a } : {}), ...(a2n.length > 0 ? { a2n } : {}) };
  }
  if (names.numeric === true) out.numeric = true;
  return out;
}

/**
 * The PrintNames a report carries (the built-ins for a report without them).
 * @example printNamesOf({ tables: { n2a: [[101, 'isp1']] } }).tables.get(101) // 'isp1'
 * 1. each kind's n2a map: the built-in one with the carried entries;
 * 2. its a2n map: the built-in one, each n2a entry's name, then the carried a2n entries;
 * 3. `numeric`: numericNames() of the result.
 */
export function printNamesOf(r: ReportNames | undefined): PrintNames {
  if (r === undefined) return BUILTIN_NAMES;
  const B = BUILTIN_NAMES;
  const n2a = (kind: Kind): Map<number, string> => n2aOf(B[kind], r[kind]);
  const a2n = (kind: Kind): Map<string, number> => {
    const m = impliedA2n(B[NUMS[kind]], r[kind]?.n2a ?? []);
    for (const [name, n] of r[kind]?.a2n ?? []) {
      if (n < 0) m.delete(name);
      else m.set(name, n);
    }
    return m;
  };
  const where = (kind: Kind): string => (r[kind] === undefined ? B.where[WHERE[kind]] : `${B.where[WHERE[kind]]} and the capture's names the report carries`);
  const names: PrintNames = {
    tables: n2a('tables'),
    protos: n2a('protos'),
    scopes: n2a('scopes'),
    dsfields: n2a('dsfields'),
    tableNums: a2n('tables'),
    protoNums: a2n('protos'),
    scopeNums: a2n('scopes'),
    dsfieldNums: a2n('dsfields'),
    where: { tables: where('tables'), protocols: where('protos'), scopes: where('scopes'), dsfields: where('dsfields') },
  };
  return r.numeric === true ? numericNames(names) : names;
}

const isPair = (v: unknown, first: (x: unknown) => boolean, second: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length === 2 && first(v[0]) && second(v[1]);
const isU32 = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
const isName = (x: unknown): boolean => typeof x === 'string' && !/\s/.test(x);

/**
 * What is wrong with a report's `names` member, or null (undefined is fine: the built-ins).
 * @example namesProblem({ tables: { n2a: [['isp1', 101]] } }) // 'names.tables.n2a[0]: expected [number, name]'
 */
export function namesProblem(v: unknown): string | null {
  if (v === undefined) return null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'names: expected {tables?, protos?, scopes?, dsfields?, numeric?}';
  const o = v as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(o)) {
    if (key === 'numeric') {
      if (o[key] !== true) return 'names.numeric: expected true or nothing';
      continue;
    }
    if (!(KINDS as readonly string[]).includes(key)) return `names.${key}: expected one of tables, protos, scopes, dsfields, numeric`;
    const t = o[key];
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return `names.${key}: expected {n2a?, a2n?}`;
    const tt = t as Readonly<Record<string, unknown>>;
    for (const sub of Object.keys(tt)) if (sub !== 'n2a' && sub !== 'a2n') return `names.${key}.${sub}: expected n2a or a2n`;
    const n2a = tt['n2a'];
    if (n2a !== undefined) {
      if (!Array.isArray(n2a)) return `names.${key}.n2a: expected an array`;
      const bad = n2a.findIndex((e) => !isPair(e, isU32, isName));
      if (bad >= 0) return `names.${key}.n2a[${bad}]: expected [number, name]`;
    }
    const a2n = tt['a2n'];
    if (a2n !== undefined) {
      if (!Array.isArray(a2n)) return `names.${key}.a2n: expected an array`;
      const bad = a2n.findIndex((e) => !isPair(e, (x) => isName(x) && x !== '', (x) => x === -1 || isU32(x)));
      if (bad >= 0) return `names.${key}.a2n[${bad}]: expected [name, number or -1]`;
    }
  }
  return null;
}
