// Incremental changes to a DIR-24-8 table (see dir24-8.ts), as rte_lpm_add()/rte_lpm_delete()
// make them: an inserted prefix overwrites only entries written by shorter-or-equal ones, a
// deleted prefix hands its entries to its next-shorter covering prefix (the ancestor that
// fib_table_delete() exposes). Split from dir24-8.ts.

import { checkPrefix, checkValue, indexColumns, type LpmChange, type PrefixIndex } from './_prefix-index.js';

import { GROUP, splitToGroup, type Dir24Table } from './_dir24-groups.js';

/**
 * Applies one insert (or replace) or remove in place, at a cost proportional to the addresses
 * the prefix covers; removing an absent prefix is a no-op. Returns whether anything changed.
 *
 * @example
 *   applyDir24Change(t, { type: 'insert', prefix: 0x0a010000, len: 16, value: 2 });
 *
 * 1. Update the index; for a remove, find the next-shorter covering prefix (or none).
 * 2. Insert: overwrite every entry in the prefix's run written by a prefix of length <= len.
 *    Remove: give every entry written by this prefix to the covering prefix.
 * 3. A /25../32 works inside its /24's group, splitting the /24 first; the group is freed
 *    when its last long prefix goes.
 */
export function applyDir24Change(t: Dir24Table, change: LpmChange): boolean {
  checkPrefix(change.prefix, change.len);
  const { prefix, len } = change;
  const aux = t.aux;
  const index = ensureDir24Index(t);
  let value: number;
  let setLen: number;
  let onlyLen: number;
  let added = false;
  if (change.type === 'insert') {
    checkValue(change.value);
    const old = index.set(prefix, len, change.value);
    if (old === change.value) return false;
    added = old < 0;
    value = change.value;
    setLen = len + 1;
    onlyLen = -1;
  } else {
    if (index.delete(prefix, len) < 0) return false;
    const c = index.covering(prefix, len);
    value = c.value;
    setLen = c.len + 1;
    onlyLen = len + 1;
  }
  const L = len + 1;
  const { tbl24 } = t;
  if (len <= 24) {
    const from = prefix >>> 8;
    const to = from + (1 << (24 - len));
    const { len24, len8 } = aux;
    const tbl8 = t.tbl8;
    for (let i = from; i < to; i++) {
      const l = len24[i]!;
      const hit = onlyLen < 0 ? l <= L : l === L;
      const e = tbl24[i]!;
      if (e >= 0) {
        if (hit) {
          tbl24[i] = value;
          len24[i] = setLen;
        }
      } else {
        if (hit) len24[i] = setLen;
        const base = ~e * GROUP;
        for (let j = base; j < base + GROUP; j++) {
          const lj = len8[j]!;
          if (onlyLen < 0 ? lj <= L : lj === L) {
            tbl8[j] = value;
            len8[j] = setLen;
          }
        }
      }
    }
    return true;
  }
  const i = prefix >>> 8;
  const e = tbl24[i]!;
  // A removed prefix was indexed, hence written, so its /24 already has a group.
  const g = e < 0 ? ~e : splitToGroup(t, i);
  const from = g * GROUP + (prefix & 255);
  const to = from + (1 << (32 - len));
  const { tbl8 } = t;
  const len8 = aux.len8;
  for (let j = from; j < to; j++) {
    const lj = len8[j]!;
    if (onlyLen < 0 ? lj <= L : lj === L) {
      tbl8[j] = value;
      len8[j] = setLen;
    }
  }
  if (change.type === 'insert') {
    if (added) aux.groupPrefixes[g]!++;
    return true;
  }
  const left = aux.groupPrefixes[g]! - 1;
  aux.groupPrefixes[g] = left;
  if (left === 0) {
    // Every entry now holds the /24's covering value: fold the group back into tbl24.
    tbl24[i] = t.tbl8[g * GROUP]!;
    aux.freeGroups.push(g);
  }
  return true;
}

/**
 * Builds the prefix index of a freshly compiled table (done by the first change; call it
 * ahead to take that cost off the first change), and recounts each group's long prefixes
 * now that duplicates are merged.
 */
export function ensureDir24Index(t: Dir24Table): PrefixIndex {
  const aux = t.aux;
  if (aux.index) return aux.index;
  const sorted = aux.sorted;
  if (!sorted) throw new Error('Cannot index DIR-24-8 table: it has neither index nor prefixes');
  const index = indexColumns(sorted);
  aux.groupPrefixes.fill(0);
  index.forEach((p, len) => {
    if (len > 24) aux.groupPrefixes[~t.tbl24[p >>> 8]!]!++;
  });
  aux.index = index;
  aux.sorted = null;
  return index;
}
