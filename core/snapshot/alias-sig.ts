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
// ids are only compared with each other inside one lineage of snapshots, never printed or
// persisted, and any snapshot's tags could be recomputed from its aliases. A registry is
// owned by its lineage (AliasSigs, held by fib-lineage.ts), not by the process: it grows
// with the distinct contents that lineage stored (a few thousand for a full table over
// 1,024 gateways) and is collected with the lineage's last snapshot.

import { RTN } from '../uapi/rtnetlink.js';
import { sameMetrics } from './fib-metrics.js';
import type { FibAlias } from './fib-info.js';

function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x9e3779b1) ^ (h >>> 15);
}

/** A hash of an IPv6 gateway's text. */
export function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
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
    if (nh.gw6 !== undefined) x = mix(x, strHash(nh.gw6));
    x = mix(x, nh.scope);
  }
  return x;
}

/**
 * Whether two aliases answer alike under any devices, devconf and nexthop objects: equal
 * in everything a lookup reads (type, tos, prefsrc, scope, dead, nhid, table, protocol,
 * metric, metrics, and each nexthop's device, gateway of either family, scope, dead, linkdown, realms,
 * weight and onlink).
 */
export function sameAlias(x: FibAlias, y: FibAlias): boolean {
  if (x.type !== y.type || x.tos !== y.tos) return false;
  const a = x.info;
  const b = y.info;
  if (a === b) return true;
  if (a.prefsrc !== b.prefsrc || a.scope !== b.scope || a.dead !== b.dead || a.nhid !== b.nhid) return false;
  // The answer's realms depend on the table (a cached route's rule realms), its source on
  // the cached nh_saddr (kept per fib_info: table, protocol, metric), and its metrics show.
  if (a.tbId !== b.tbId || a.protocol !== b.protocol || a.priority !== b.priority) return false;
  if (!sameMetrics(a.metrics ?? null, b.metrics ?? null)) return false;
  if (a.nhs.length !== b.nhs.length) return false;
  for (let i = 0; i < a.nhs.length; i++) {
    const p = a.nhs[i]!;
    const q = b.nhs[i]!;
    if (p.dev !== q.dev || p.gw !== q.gw || (p.gw6 ?? null) !== (q.gw6 ?? null) || p.scope !== q.scope || p.dead !== q.dead || p.linkdown !== q.linkdown) return false;
    if ((p.tclassid ?? 0) !== (q.tclassid ?? 0) || p.weight !== q.weight || p.onlink !== q.onlink) return false;
  }
  return true;
}

function sameList(x: readonly FibAlias[], y: readonly FibAlias[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (!sameAlias(x[k]!, y[k]!)) return false;
  return true;
}

/**
 * The signature registry of one lineage of snapshots (fib-lineage.ts): created with the
 * initial snapshot and shared by every snapshot, table and compile made from it, so that
 * two independent FIBs in one process number their alias lists alike whatever the other
 * does, and a registry lives exactly as long as some snapshot of its lineage.
 */
export class AliasSigs {
  /** The representative alias list of each signature id. */
  private readonly reps: (readonly FibAlias[])[] = [];
  /** Signature ids by hash: one id, or several when hashes collide. */
  private readonly byHash = new Map<number, number | number[]>();
  /** The last list asked for and its id: routes added in a row often share one list's content. */
  private lastList: readonly FibAlias[] | null = null;
  private lastId = -1;

  /**
   * The signature of an alias list: equal ids exactly when the lists are equal in everything
   * a lookup reads (sameAlias, alias by alias).
   *
   * @example
   *   sigs.sig(a) === sigs.sig(b); // a and b answer alike under any environment
   *   sigs.sig([]) >= 0;
   */
  sig(aliases: readonly FibAlias[]): number {
    if (aliases === this.lastList) return this.lastId;
    let h = aliases.length;
    for (let k = 0; k < aliases.length; k++) h = aliasHash(h, aliases[k]!);
    const reps = this.reps;
    const e = this.byHash.get(h);
    let id = -1;
    if (typeof e === 'number') {
      if (sameList(reps[e]!, aliases)) id = e;
    } else if (e !== undefined) {
      for (const c of e) if (sameList(reps[c]!, aliases)) id = c;
    }
    if (id < 0) {
      id = reps.length;
      reps.push(aliases);
      if (e === undefined) this.byHash.set(h, id);
      else if (typeof e === 'number') this.byHash.set(h, [e, id]);
      else e.push(id);
    }
    this.lastList = aliases;
    this.lastId = id;
    return id;
  }

  /** The representative alias list of a signature (one list with that content). */
  aliases(id: number): readonly FibAlias[] {
    const r = this.reps[id];
    if (r === undefined) throw new RangeError(`Unknown alias-list signature ${id}`);
    return r;
  }

  /** How many signatures were given out (ids are 0 .. count - 1). */
  get count(): number {
    return this.reps.length;
  }
}
