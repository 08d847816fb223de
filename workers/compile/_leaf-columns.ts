// The prefixes of a routing table as columns (address, length, leaf signature), in
// depth-first order, kept between full compiles and patched with pmapDiff() instead of
// walked again (fib-lpm.ts).
//
// Why: a full compile is needed whenever devices, devconf, rules or nexthop objects change
// (an address added, a link flapping, a sysctl), because answers depend on them; but the
// routes themselves mostly did not change. The answer of a leaf is a function of its
// aliases' contents and of that environment, so each leaf carries a signature id (equal
// contents, equal id, whatever the environment: alias-sig.ts, stored as the map's tag when
// the aliases were set), and a compile maps each signature to its answer once. A first
// walk exports the map's keys and tags in bulk (no alias read: reading 900,000 scattered
// alias lists cost most of a cold compile); the columns are kept per table object, and the
// next full compile patches them with the table's diff.

import type { FibTable } from '../../core/snapshot/fib-table.js';
import { pmapDiff, pmapForEach, pmapForEachChunk } from '../../core/snapshot/persistent-map.js';

/** A table's leaves in depth-first order (address ascending, shorter first), with signatures. */
export interface LeafColumns {
  /** The table object these columns are of. */
  readonly table: FibTable;
  readonly n: number;
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly s: Int32Array;
}

/**
 * A table's columns, read from its map's chunks of keys and tags (the signatures
 * fib-table.ts stored): the dump order with each run of equal addresses reversed, no alias
 * read, no intermediate copy.
 */
function walkColumns(t: FibTable): LeafColumns {
  const n = t.leaves.size;
  const p = new Uint32Array(n);
  const l = new Uint8Array(n);
  const s = new Int32Array(n);
  const out: ColumnsOut = { p, l, s, at: 0, runs: 0 };
  if (t.versions.size === 0) pmapForEachChunk(t.leaves, (keys, tags) => chunkColumns(out, keys, tags));
  else {
    // A device event changed flags of some stored infos (fib-info-versions.ts): the stored
    // tags are of the stored aliases, so each leaf's signature is taken from what it reads now.
    const v = t.versions;
    const keys: number[] = [];
    const tags: number[] = [];
    pmapForEach(t.leaves, (key, stored) => {
      keys.push(key);
      tags.push(t.sigs.sig(v.list(stored)));
      if (keys.length === 1024) {
        chunkColumns(out, keys, tags);
        keys.length = 0;
        tags.length = 0;
      }
    });
    chunkColumns(out, keys, tags);
  }
  // Keys ascend by address, longest prefix first: reverse each run of one address.
  if (out.runs > 0) reverseRuns(p, l, s, n);
  return { table: t, n, p, l, s };
}

interface ColumnsOut {
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly s: Int32Array;
  at: number;
  /** Whether two keys in a row had one address (within a chunk or across two). */
  runs: number;
}

/** Appends one chunk's keys (dst * 256 + 32 - len) as address, length and signature. */
function chunkColumns(o: ColumnsOut, keys: readonly number[], tags: readonly number[]): void {
  const { p, l, s } = o;
  let at = o.at;
  let prev = at > 0 ? p[at - 1]! : -1;
  let runs = o.runs;
  for (let i = 0; i < keys.length; i++) {
    // Exact in doubles (k < 2^40), and no floating-point remainder (a call in V8).
    const k = keys[i]!;
    const dst = Math.floor(k / 256);
    const low = k - dst * 256;
    if (dst === prev) runs++;
    prev = dst;
    p[at] = dst;
    l[at] = 32 - low;
    s[at] = tags[i]!;
    at++;
  }
  o.at = at;
  o.runs = runs;
}

function reverseRuns(p: Uint32Array, l: Uint8Array, s: Int32Array, n: number): void {
  let i = 0;
  while (i < n - 1) {
    if (p[i + 1] !== p[i]) {
      i++;
      continue;
    }
    let j = i + 2;
    while (j < n && p[j] === p[i]) j++;
    for (let a = i, b = j - 1; a < b; a++, b--) {
      const x = l[a]!;
      l[a] = l[b]!;
      l[b] = x;
      const y = s[a]!;
      s[a] = s[b]!;
      s[b] = y;
    }
    i = j;
  }
}

/**
 * Columns patched from an older version of the same table: the diff's changes, sorted
 * depth-first, merged into the old columns in one pass.
 */
function patchColumns(old: LeafColumns, t: FibTable, maxChanges: number): LeafColumns | null {
  const ch: { key: number; sig: number }[] = [];
  // Flags changed by a device event are not in the leaves' diff.
  if (old.table.versions !== t.versions) return null;
  for (const d of pmapDiff(old.table.leaves, t.leaves)) {
    if (ch.length >= maxChanges) return null;
    const low = d.key & 255;
    const dst = (d.key - low) / 256;
    ch.push({ key: dst * 64 + (32 - low), sig: d.after === undefined ? -1 : t.sigs.sig(d.after) });
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

  /** The columns of table `t`, and how they were made. */
  columns(t: FibTable): { readonly cols: LeafColumns; readonly how: 'cached' | 'patched' | 'walked' } {
    const old = this.byId.get(t.id);
    if (old !== undefined && old.table === t) return { cols: old, how: 'cached' };
    if (old !== undefined) {
      const patched = patchColumns(old, t, Math.max(1024, old.n >> 2));
      if (patched !== null) {
        this.byId.set(t.id, patched);
        return { cols: patched, how: 'patched' };
      }
    }
    const walked = walkColumns(t);
    this.byId.set(t.id, walked);
    return { cols: walked, how: 'walked' };
  }

  /** Forgets tables no longer read (ids not in `keep`). */
  retain(keep: ReadonlySet<number>): void {
    for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
  }
}
