// Alias-list signatures: one small integer per distinct alias list, by what a
// destination-only lookup reads of it, given when a prefix's aliases are stored
// (fib-table.ts tags each prefix with it) so that a compile reads (prefix, signature)
// columns without touching alias objects, and finds each signature's answer once.
//
// Like the kernel's fib_info hash (fib_find_info(): a new route's attributes are looked up
// by hash and compared field by field, so equal routes share one fib_info), the registry
// interns exactly: a hash of the fields, then an equality check against every list in the
// bucket. Unlike fib_info it is a cache, not state: a signature is a function of the alias
// list's content (the first list seen with that content is kept as its representative),
// ids are only compared with each other inside one process, never printed or persisted,
// and any snapshot's tags could be recomputed from its aliases. So sharing it across
// snapshots, tables and compilers changes no answer; it only grows with the number of
// distinct contents ever stored (a few thousand for a full table over 1,024 gateways).

import { RTN } from '../uapi/rtnetlink.js';
import type { FibAlias } from './fib-info.js';

function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x9e3779b1) ^ (h >>> 15);
}

/** Mixes into `h` what a lookup reads of an alias (see sameAlias). */
export function aliasHash(h: number, a: FibAlias): number {
  const info = a.info;
  let x = mix(h, RTN[a.type] | (a.tos << 8) | (info.dead ? 1 << 16 : 0));
  x = mix(x, info.prefsrc);
  x = mix(x, info.scope | (info.nhid << 8));
  const nhs = info.nhs;
  for (let i = 0; i < nhs.length; i++) {
    const nh = nhs[i]!;
    x = mix(x, nh.dev | (nh.dead ? 1 << 24 : 0) | (nh.linkdown ? 1 << 25 : 0) | (nh.gw === null ? 1 << 26 : 0));
    x = mix(x, nh.gw ?? 0);
    x = mix(x, nh.scope);
  }
  return x;
}

/**
 * Whether two aliases answer alike under any devices, devconf and nexthop objects: equal
 * in everything a lookup reads (type, tos, prefsrc, scope, dead, nhid, and each nexthop's
 * device, gateway, scope, dead and linkdown).
 */
export function sameAlias(x: FibAlias, y: FibAlias): boolean {
  if (x.type !== y.type || x.tos !== y.tos) return false;
  const a = x.info;
  const b = y.info;
  if (a === b) return true;
  if (a.prefsrc !== b.prefsrc || a.scope !== b.scope || a.dead !== b.dead || a.nhid !== b.nhid) return false;
  if (a.nhs.length !== b.nhs.length) return false;
  for (let i = 0; i < a.nhs.length; i++) {
    const p = a.nhs[i]!;
    const q = b.nhs[i]!;
    if (p.dev !== q.dev || p.gw !== q.gw || p.scope !== q.scope || p.dead !== q.dead || p.linkdown !== q.linkdown) return false;
  }
  return true;
}

function sameList(x: readonly FibAlias[], y: readonly FibAlias[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (!sameAlias(x[k]!, y[k]!)) return false;
  return true;
}

/** The representative alias list of each signature id. */
const reps: (readonly FibAlias[])[] = [];
/** Signature ids by hash: one id, or several when hashes collide. */
const byHash = new Map<number, number | number[]>();
/** The last list asked for and its id: routes added in a row often share one list's content. */
let lastList: readonly FibAlias[] | null = null;
let lastId = -1;

/**
 * The signature of an alias list: equal ids exactly when the lists are equal in everything
 * a lookup reads (sameAlias, alias by alias).
 *
 * @example
 *   aliasListSig(a) === aliasListSig(b); // a and b answer alike under any environment
 *   aliasListSig([]) >= 0;
 */
export function aliasListSig(aliases: readonly FibAlias[]): number {
  if (aliases === lastList) return lastId;
  let h = aliases.length;
  for (let k = 0; k < aliases.length; k++) h = aliasHash(h, aliases[k]!);
  const e = byHash.get(h);
  let id = -1;
  if (typeof e === 'number') {
    if (sameList(reps[e]!, aliases)) id = e;
  } else if (e !== undefined) {
    for (const c of e) if (sameList(reps[c]!, aliases)) id = c;
  }
  if (id < 0) {
    id = reps.length;
    reps.push(aliases);
    if (e === undefined) byHash.set(h, id);
    else if (typeof e === 'number') byHash.set(h, [e, id]);
    else e.push(id);
  }
  lastList = aliases;
  lastId = id;
  return id;
}

/** The representative alias list of a signature (one list with that content). */
export function sigAliases(id: number): readonly FibAlias[] {
  const r = reps[id];
  if (r === undefined) throw new RangeError(`Unknown alias-list signature ${id}`);
  return r;
}

/** How many signatures were given out (ids are 0 .. sigCount() - 1). */
export function sigCount(): number {
  return reps.length;
}
