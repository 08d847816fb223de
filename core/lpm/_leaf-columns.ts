// The prefixes of a routing table as columns (address, length, leaf signature), in
// depth-first order, kept between full compiles and patched with pmapDiff() instead of
// walked again (fib-lpm.ts).
//
// Why: a full compile is needed whenever devices, devconf, rules or nexthop objects change
// (an address added, a link flapping, a sysctl), because answers depend on them; but the
// routes themselves mostly did not change. Walking a 900,000-leaf persistent map and reading
// every alias costs most of a cold compile (the objects are scattered in memory), while the
// answer of a leaf is a function of its aliases' contents and of that environment. So each
// leaf is reduced to a signature id (equal contents, equal id, whatever the environment),
// the columns are kept per table object, and the next full compile patches them with the
// table's diff and maps each signature to its answer under the new environment once.

import type { FibTable } from '../trie/fib-table.js';
import { pmapDiff } from '../trie/persistent-map.js';
import { aliasHash, forEachLeaf, sameAlias } from '../trie/compile.js';
import type { FibAlias } from '../semantics/fib-info.js';

/**
 * Leaf signatures: an id per distinct alias list (by content), for the life of a compiler.
 *
 * @example
 *   const sigs = new LeafSigs();
 *   sigs.id(aliasesOfA) === sigs.id(aliasesOfB); // when every field a lookup reads is equal
 */
export class LeafSigs {
  private readonly reps: (readonly FibAlias[])[] = [];
  private readonly buckets = new Map<number, number[]>();

  /** The representative alias list of a signature. */
  rep(id: number): readonly FibAlias[] {
    return this.reps[id]!;
  }

  get size(): number {
    return this.reps.length;
  }

  /** The signature id of an alias list. */
  id(aliases: readonly FibAlias[]): number {
    let h = aliases.length;
    for (let k = 0; k < aliases.length; k++) h = aliasHash(h, aliases[k]!);
    let bucket = this.buckets.get(h);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(h, bucket);
    } else {
      for (let b = 0; b < bucket.length; b++) {
        const id = bucket[b]!;
        const rep = this.reps[id]!;
        if (rep.length !== aliases.length) continue;
        let same = true;
        for (let k = 0; k < rep.length && same; k++) same = sameAlias(rep[k]!, aliases[k]!);
        if (same) return id;
      }
    }
    const id = this.reps.length;
    this.reps.push(aliases);
    bucket.push(id);
    return id;
  }
}

/** A table's leaves in depth-first order (address ascending, shorter first), with signatures. */
export interface LeafColumns {
  /** The table object these columns are of. */
  readonly table: FibTable;
  readonly n: number;
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly s: Int32Array;
}

/** Walks a table into columns (the dump order with each run of equal addresses reversed). */
function walkColumns(t: FibTable, sigs: LeafSigs): LeafColumns {
  const cap = t.leaves.size;
  const p = new Uint32Array(cap);
  const l = new Uint8Array(cap);
  const s = new Int32Array(cap);
  let n = 0;
  let runStart = 0;
  const flush = (): void => {
    for (let i = runStart, j = n - 1; i < j; i++, j--) {
      const tl = l[i]!;
      l[i] = l[j]!;
      l[j] = tl;
      const ts = s[i]!;
      s[i] = s[j]!;
      s[j] = ts;
    }
    runStart = n;
  };
  forEachLeaf(t, (dst, plen, aliases) => {
    if (n > runStart && p[runStart] !== dst) flush();
    p[n] = dst;
    l[n] = plen;
    s[n] = sigs.id(aliases);
    n++;
  });
  flush();
  return { table: t, n, p, l, s };
}

/**
 * Columns patched from an older version of the same table: the diff's changes, sorted
 * depth-first, merged into the old columns in one pass.
 */
function patchColumns(old: LeafColumns, t: FibTable, sigs: LeafSigs, maxChanges: number): LeafColumns | null {
  const ch: { key: number; sig: number }[] = [];
  for (const d of pmapDiff(old.table.leaves, t.leaves)) {
    if (ch.length >= maxChanges) return null;
    const low = d.key & 255;
    const dst = (d.key - low) / 256;
    ch.push({ key: dst * 64 + (32 - low), sig: d.after === undefined ? -1 : sigs.id(d.after) });
  }
  ch.sort((x, y) => x.key - y.key);
  const cap = old.n + ch.length;
  const p = new Uint32Array(cap);
  const l = new Uint8Array(cap);
  const s = new Int32Array(cap);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < old.n || j < ch.length) {
    const ko = i < old.n ? old.p[i]! * 64 + old.l[i]! : Infinity;
    const c = ch[j];
    const kc = c === undefined ? Infinity : c.key;
    if (ko < kc) {
      p[n] = old.p[i]!;
      l[n] = old.l[i]!;
      s[n] = old.s[i]!;
      n++;
      i++;
      continue;
    }
    if (ko === kc) i++;
    j++;
    if (c!.sig >= 0) {
      l[n] = c!.key % 64;
      p[n] = (c!.key - l[n]!) / 64;
      s[n] = c!.sig;
      n++;
    }
  }
  return { table: t, n, p, l, s };
}

/**
 * The columns of each table id, from the last full compile; patched when the table
 * changed a little, walked again when it changed a lot (or was never seen).
 */
export class LeafColumnCache {
  private readonly byId = new Map<number, LeafColumns>();

  constructor(readonly sigs: LeafSigs = new LeafSigs()) {}

  /** The columns of table `t`, and how they were made. */
  columns(t: FibTable): { readonly cols: LeafColumns; readonly how: 'cached' | 'patched' | 'walked' } {
    const old = this.byId.get(t.id);
    if (old !== undefined && old.table === t) return { cols: old, how: 'cached' };
    if (old !== undefined) {
      const patched = patchColumns(old, t, this.sigs, Math.max(1024, old.n >> 2));
      if (patched !== null) {
        this.byId.set(t.id, patched);
        return { cols: patched, how: 'patched' };
      }
    }
    const walked = walkColumns(t, this.sigs);
    this.byId.set(t.id, walked);
    return { cols: walked, how: 'walked' };
  }

  /** Forgets tables no longer read (ids not in `keep`). */
  retain(keep: ReadonlySet<number>): void {
    for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
  }
}
