// Changing a poptrie (poptrie.ts describes the layout): a new version per batch of prefix
// changes, sharing everything it does not touch with the last.
//
// Why: a route event changes a few prefixes of the compiled FIB; fib_table_insert() and
// fib_table_delete() replace only the tnodes on the changed path and leave the old ones to
// readers under RCU. Here a change copies the root and the blocks it touches, rewrites the
// /16 subtrees it touches at the arenas' end, and leaves earlier versions as they were.

import { checkPrefix, checkValue, indexColumns, type LpmChange, type PrefixIndex } from './_prefix-index.js';
import { heapBuffer, newSharedHeap } from './_shared-heap.js';
import type { LpmMemory } from './dir24-8.js';
import {
  allocDirs,
  BLOCK,
  NODE_WORDS,
  newArena,
  settle,
  SLOTS,
  version,
  type PoptrieAux,
  type PoptrieTable,
  type SlotList,
} from './_poptrie-arena.js';
import { emitDirs, emitSlot, slotHasLong } from './_poptrie-subtree.js';

/** A slot's long list as editable arrays, merging compile-time duplicates (the later wins). */
function overlayOf(aux: PoptrieAux, s: number): SlotList {
  const o = aux.overlay.get(s);
  if (o) return o;
  const from = aux.baseStart[s]!;
  const to = aux.baseStart[s + 1]!;
  // In length order (a depth-first base is sorted here: a slot holds few prefixes), stable.
  const order: number[] = [];
  for (let k = from; k < to; k++) if (aux.baseLens[k]! > 16) order.push(k);
  if (aux.baseDfs) order.sort((x, y) => aux.baseLens[x]! - aux.baseLens[y]! || x - y);
  const list: SlotList = { prefixes: [], lens: [], values: [] };
  const seen = new Map<number, number>();
  for (const k of order) {
    const p = aux.basePrefixes[k]!;
    const l = aux.baseLens[k]!;
    const key = (p >>> 0) * 64 + l;
    const at = seen.get(key);
    if (at !== undefined) {
      list.values[at] = aux.baseValues[k]!;
      continue;
    }
    seen.set(key, list.lens.length);
    list.prefixes.push(p);
    list.lens.push(l);
    list.values.push(aux.baseValues[k]!);
  }
  aux.overlay.set(s, list);
  return list;
}

/** Removes (value null) or sets prefix/len in slot s's long list, keeping length order. */
function editSlot(aux: PoptrieAux, s: number, prefix: number, len: number, value: number | null): void {
  const o = overlayOf(aux, s);
  const p = prefix | 0;
  let at = -1;
  for (let j = 0; j < o.lens.length; j++) {
    if (o.lens[j] === len && o.prefixes[j] === p) {
      at = j;
      break;
    }
  }
  if (value === null) {
    if (at >= 0) {
      o.prefixes.splice(at, 1);
      o.lens.splice(at, 1);
      o.values.splice(at, 1);
    }
    return;
  }
  if (at >= 0) {
    o.values[at] = value;
    return;
  }
  let j = o.lens.length;
  while (j > 0 && o.lens[j - 1]! > len) j--;
  o.prefixes.splice(j, 0, p);
  o.lens.splice(j, 0, len);
  o.values.splice(j, 0, value);
}

/**
 * Builds the prefix index of a freshly compiled lineage (done by the first change; call it
 * ahead to take that cost off the first change).
 */
export function ensurePoptrieIndex(t: PoptrieTable): PrefixIndex {
  const aux = t.aux;
  if (aux.index) return aux.index;
  if (!aux.sorted) throw new Error('Cannot index poptrie: it has neither index nor prefixes');
  aux.index = indexColumns(aux.sorted);
  aux.sorted = null;
  return aux.index;
}

/** Whether a lineage's prefix index is built (applyPoptrieChanges then costs only what it touches). */
export function poptrieIndexed(t: PoptrieTable): boolean {
  return t.aux.index !== null;
}

/**
 * Applies changes and returns the next version; `t` stays valid and unchanged, so workers may
 * keep reading it. Only the newest version of a lineage can be changed.
 *
 * @example
 *   const t2 = applyPoptrieChanges(t1, [{ type: 'remove', prefix: 0x0a000000, len: 8 }]);
 *
 * 1. Copy the root. For each change, update the index; skip no-ops (a remove of an absent
 *    prefix, an insert of the value already there).
 * 2. A prefix <= /16 rewrites the /16 slots it wins (insert: slots held by a shorter-or-equal
 *    prefix; remove: slots it held, handed to its covering prefix); a slot with a subtree is
 *    marked for rebuild, others get the value directly.
 * 3. A longer prefix edits its slot's list and marks the slot.
 * 4. Rebuild each marked slot at the arenas' end; count the old subtree as garbage. Each
 *    block written is first copied (once per call).
 * 5. When garbage exceeds the live arenas, recompile everything into fresh arenas.
 */
export function applyPoptrieChanges(t: PoptrieTable, changes: Iterable<LpmChange>): PoptrieTable {
  const aux = t.aux;
  if (aux.head !== t) {
    throw new Error('Cannot apply changes: this poptrie version is not the newest of its lineage');
  }
  const index = ensurePoptrieIndex(t);
  const a = aux.arena;
  const root = allocDirs(a, BLOCK);
  a.dirs.copyWithin(root, t.root, t.root + BLOCK);
  a.garbageBytes += BLOCK * 4;
  const copied = new Uint8Array(BLOCK);
  const writeDirect = (s: number, v: number): void => {
    const top = s >>> 8;
    if (!copied[top]) {
      const block = allocDirs(a, BLOCK);
      const old = a.dirs[root + top]!;
      a.dirs.copyWithin(block, old, old + BLOCK);
      a.dirs[root + top] = block;
      a.garbageBytes += BLOCK * 4;
      copied[top] = 1;
    }
    a.dirs[a.dirs[root + top]! + (s & 255)] = v;
  };
  const dirty = new Set<number>();
  const { slotLen, slotVal } = aux;
  for (const ch of changes) {
    const { prefix, len } = ch;
    checkPrefix(prefix, len);
    let value: number;
    let setLen: number;
    const L = len + 1;
    const insert = ch.type === 'insert';
    if (ch.type === 'insert') {
      checkValue(ch.value);
      if (index.set(prefix, len, ch.value) === ch.value) continue;
      value = ch.value;
      setLen = L;
    } else {
      if (index.delete(prefix, len) < 0) continue;
      const c = index.covering(prefix, len);
      value = c.value;
      setLen = c.len + 1;
    }
    if (len <= 16) {
      const from = prefix >>> 16;
      const to = from + (1 << (16 - len));
      for (let s = from; s < to; s++) {
        const l = slotLen[s]!;
        if (insert ? l <= L : l === L) {
          slotLen[s] = setLen;
          slotVal[s] = value;
          if (slotHasLong(aux, s)) dirty.add(s);
          else writeDirect(s, value);
        }
      }
    } else {
      const s = prefix >>> 16;
      editSlot(aux, s, prefix, len, insert ? value : null);
      dirty.add(s);
    }
  }
  for (const s of dirty) {
    a.garbageBytes += aux.slotNodes[s]! * NODE_WORDS * 4 + aux.slotLeaves[s]! * 4;
    writeDirect(s, emitSlot(aux, s));
  }
  const used = (a.dirsUsed + a.nodesUsed * NODE_WORDS + a.leavesUsed) * 4;
  if (a.garbageBytes * 2 > used && a.garbageBytes > 1 << 20) return compact(aux, root);
  return version(aux, root);
}

/** Rebuilds every subtree, root and block into a fresh heap (earlier versions keep the old). */
function compact(aux: PoptrieAux, root: number): PoptrieTable {
  const old = aux.arena;
  const direct = new Int32Array(SLOTS);
  for (let s = 0; s < SLOTS; s++) {
    direct[s] = old.dirs[old.dirs[root + (s >>> 8)]! + (s & 255)]!;
  }
  aux.arena = newArena(BLOCK + SLOTS, old.nodesUsed, old.leavesUsed);
  for (let s = 0; s < SLOTS; s++) if (direct[s]! < 0) direct[s] = emitSlot(aux, s);
  const fresh = emitDirs(aux.arena, direct);
  settle(aux.arena, newSharedHeap());
  return version(aux, fresh);
}

/**
 * Reports a version's memory: sharedBytes counts the regions it reads as allocated (right
 * after buildPoptrie, ~6% slack for changes); heapBytes adds regions left behind by growth
 * and the workers' scratch space.
 */
export function poptrieMemory(t: PoptrieTable): LpmMemory {
  const sharedBytes = t.dirs.byteLength + t.nodes.byteLength + t.leaves.byteLength;
  // Counting distinct prefixes needs the index (which the first change builds anyway).
  const prefixes = ensurePoptrieIndex(t).size;
  const a = t.aux;
  const auxBytes =
    (a.index?.byteLength ?? 0) +
    // A depth-first compile keeps its columns once, as the base.
    (a.sorted && a.sorted.lens !== a.baseLens ? a.sorted.lens.length * 9 : 0) +
    a.slotLen.byteLength +
    a.slotVal.byteLength +
    a.slotNodes.byteLength +
    a.slotLeaves.byteLength +
    a.baseStart.byteLength +
    a.basePrefixes.byteLength +
    a.baseLens.byteLength +
    a.baseValues.byteLength;
  return {
    sharedBytes,
    heapBytes: heapBuffer(t.heap.memory).byteLength,
    auxBytes,
    prefixes,
    bytesPerPrefix: prefixes ? sharedBytes / prefixes : 0,
  };
}
