// Sharing of equal route objects: fib_info_hash and fib_find_info() (fib_semantics.c).
//
// Why: the kernel gives every route with equal attributes one struct fib_info (a full
// Internet table through one uplink is 900,000 routes and a handful of fib_infos). The
// model's objects are immutable, so sharing is only an optimisation here, never state:
// a route whose info is shared reads exactly what it would read from a private copy.
// Interning the info, the route (fib_alias) of each type and tos on it, and the leaf
// holding that one route keeps a replay of a million route events from allocating four
// long-lived objects per event (allocation in the old generation, and the incremental
// marking it pays for, was most of the reducer's time).
//
// Unlike the kernel's hash, the registry compares every field, the dead and linkdown flags
// included, so an interned object is indistinguishable from a fresh one. It is a cache,
// owned by one lineage of snapshots (InfoHash, held by fib-lineage.ts) as the kernel's hash
// belongs to one netns: two independent FIBs in one process never share an entry, and the
// hash goes with the lineage's last snapshot. It is also dropped whole when it grows past
// MAX_INFOS, so a long-lived lineage does not keep every info it ever saw.

import { fibInfo, type FibAlias, type FibInfo, type FibNh } from './fib-info.js';
import type { RouteType } from '../uapi/rtnetlink.js';
import { sameMetrics } from './fib-metrics.js';
import { strHash } from './alias-sig.js';

/** What an interned info carries besides itself: its routes by (type, tos), each with its one-route leaf. */
interface Entry {
  readonly info: FibInfo;
  readonly routes: { readonly type: RouteType; readonly tos: number; readonly alias: FibAlias; readonly leaf: readonly FibAlias[] }[];
}

const MAX_INFOS = 1 << 16;


function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x9e3779b1) ^ (h >>> 15);
}

/** A hash of every field of an info (fib_info_hashfn() hashes fewer; equality decides). */
function infoHash(x: FibInfo): number {
  let h = mix(x.protocol | (x.scope << 8), x.priority);
  h = mix(h, x.prefsrc);
  h = mix(h, x.tbId);
  h = mix(h, x.nhid);
  h = mix(h, (x.dead ? 1 : 0) | (x.pfsrcRemoved ? 2 : 0) | (x.linkdown === true ? 4 : 0) | (x.multipath ? 8 : 0) | (x.nhs.length << 4));
  for (let i = 0; i < x.nhs.length; i++) {
    const nh = x.nhs[i] as FibNh;
    h = mix(h, nh.dev | (nh.scope << 20) | (nh.dead ? 1 << 28 : 0) | (nh.linkdown ? 1 << 29 : 0) | (nh.onlink ? 1 << 30 : 0) | (nh.gw === null ? 1 << 31 : 0));
    h = mix(h, nh.gw ?? 0);
    if (nh.gw6 !== undefined) h = mix(h, strHash(nh.gw6));
    h = mix(h, nh.weight);
  }
  return h;
}

function sameNh(a: FibNh, b: FibNh): boolean {
  return (
    a.dev === b.dev &&
    a.gw === b.gw &&
    (a.gw6 ?? null) === (b.gw6 ?? null) &&
    a.weight === b.weight &&
    a.onlink === b.onlink &&
    a.scope === b.scope &&
    a.dead === b.dead &&
    a.linkdown === b.linkdown &&
    (a.tclassid ?? 0) === (b.tclassid ?? 0) &&
    a.lbExcluded === b.lbExcluded
  );
}

/** Equal in every field (not fib_find_info()'s comparison, which ignores dead and linkdown). */
function identical(a: FibInfo, b: FibInfo): boolean {
  if (
    a.protocol !== b.protocol ||
    a.scope !== b.scope ||
    a.priority !== b.priority ||
    a.prefsrc !== b.prefsrc ||
    a.tbId !== b.tbId ||
    a.nhid !== b.nhid ||
    a.dead !== b.dead ||
    a.pfsrcRemoved !== b.pfsrcRemoved ||
    (a.linkdown === true) !== (b.linkdown === true) ||
    a.multipath !== b.multipath ||
    a.nhs.length !== b.nhs.length ||
    !sameMetrics(a.metrics, b.metrics) ||
    (a.flow ?? 0) !== (b.flow ?? 0)
  ) {
    return false;
  }
  for (let i = 0; i < a.nhs.length; i++) if (!sameNh(a.nhs[i] as FibNh, b.nhs[i] as FibNh)) return false;
  return true;
}

/** The fib_info hash of one lineage of snapshots (one netns's fib_info_hash). */
export class InfoHash {
  private buckets = new Map<number, Entry[]>();
  private count = 0;
  /** Routes come in runs through one nexthop (a table loaded behind one uplink): the last entry answers most asks without a hash. */
  private lastEntry: Entry | null = null;

  /**
   * What fib_create_info() (semantics/fib-create-info.ts) remembers of the last device
   * route it made, with the info: kept here, by the lineage's hash, so that it is one
   * lineage's and goes with it. Opaque to this module.
   */
  memo: unknown = null;

  /**
   * The shared info equal to `info` in every field (fib_find_info()): `info` itself the
   * first time.
   *
   * @example
   *   infos.find(fibInfo({ ...x })) === infos.find(fibInfo({ ...x })); // true
   */
  find(info: FibInfo): FibInfo {
    return this.entryOf(info, false).info;
  }

  /**
   * The shared info equal to what `probe` holds (fib_find_info()), a copy of it (nexthops
   * included) the first time: a request for a route like a thousand others allocates no info.
   */
  intern(probe: InfoProbe): FibInfo {
    return this.entryOf(probe, true).info;
  }

  /**
   * The shared route of a type and tos on an info, and the leaf holding just that route
   * (fib_table_insert() into an empty leaf). Both are immutable: callers copy the leaf
   * before changing it, as they copy any leaf.
   */
  sharedRoute(type: RouteType, tos: number, info: FibInfo): { readonly alias: FibAlias; readonly leaf: readonly FibAlias[] } {
    const e = this.entryOf(info, false);
    const routes = e.routes;
    for (let i = 0; i < routes.length; i++) {
      const r = routes[i]!;
      if (r.type === type && r.tos === tos) return r;
    }
    const alias: FibAlias = { type, tos, info: e.info };
    const r = { type, tos, alias, leaf: [alias] as readonly FibAlias[] };
    routes.push(r);
    return r;
  }

  /**
   * The entry of an info equal to `info`; made for it when none is, with `info` itself, or
   * with a copy when `copy` (info is then a scratch object the caller reuses).
   */
  private entryOf(info: FibInfo, copy: boolean): Entry {
    const last = this.lastEntry;
    if (last !== null && (last.info === info || identical(last.info, info))) return last;
    const e = this.findEntry(info, copy);
    this.lastEntry = e;
    return e;
  }

  private findEntry(info: FibInfo, copy: boolean): Entry {
    const h = infoHash(info);
    let bucket = this.buckets.get(h);
    if (bucket !== undefined) {
      for (let i = 0; i < bucket.length; i++) {
        const e = bucket[i] as Entry;
        if (identical(e.info, info)) return e;
      }
    } else {
      if (this.count >= MAX_INFOS) {
        this.buckets = new Map();
        this.count = 0;
        this.lastEntry = null;
      }
      bucket = [];
      this.buckets.set(h, bucket);
    }
    // A probe's nexthops may be scratch objects too: the kept info gets its own.
    const e: Entry = { info: copy ? fibInfo({ ...info, nhs: info.nhs.map((nh) => ({ ...nh })) }) : info, routes: [] };
    bucket.push(e);
    this.count++;
    return e;
  }
}

/** A scratch info (InfoHash.intern): a request's fields are written here, and copied only when new. */
export type InfoProbe = { -readonly [K in keyof FibInfo]-?: FibInfo[K] };

/** A probe to fill and pass to InfoHash.intern() (one per caller; single-threaded). */
export function infoProbe(): InfoProbe {
  return { protocol: 0, scope: 0, priority: 0, prefsrc: 0, tbId: 0, nhs: [], nhid: 0, dead: false, pfsrcRemoved: false, linkdown: false, multipath: false, metrics: null, flow: 0 };
}
