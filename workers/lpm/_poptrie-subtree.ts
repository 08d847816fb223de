// The subtree of one /16 of a poptrie (poptrie.ts describes the layout): nodes of 256
// children compressed into runs, written at the arenas' end, and the root and blocks over the
// 65,536 direct entries.
//
// Why: a build writes every /16's subtree once and a change rewrites only the /16s it
// touches (as fib_trie rebuilds only the tnodes on a changed path), so both go through
// emitSlot().

import { allocDirs, BLOCK, grown, NODE_WORDS, SLOTS, type Arena, type PoptrieAux } from './_poptrie-arena.js';


/**
 * Appends one node for 256 child answers: a run bitmap and leaf base per 32 children, and one
 * leaf per run (a pointer to a deeper node is always a run of its own).
 */
function emitNode(a: Arena, child: Int32Array): number {
  a.nodes = grown(a, a.nodes, a.nodesUsed * NODE_WORDS, (a.nodesUsed + 1) * NODE_WORDS);
  a.leaves = grown(a, a.leaves, a.leavesUsed, a.leavesUsed + 256);
  const n = a.nodesUsed++;
  const { nodes, leaves } = a;
  const base = n * NODE_WORDS;
  let li = a.leavesUsed - 1;
  let prev = ~0;
  for (let w = 0; w < 8; w++) {
    nodes[base + 2 * w + 1] = li;
    let word = 0;
    for (let b = 0; b < 32; b++) {
      const v = child[(w << 5) | b]!;
      // prev starts as a pointer (< 0), so child 0 always opens a run.
      if (v !== prev || v < 0) {
        leaves[++li] = v;
        word |= 1 << b;
      }
      prev = v;
    }
    nodes[base + 2 * w] = word;
  }
  a.leavesUsed = li + 1;
  return n;
}

const level1 = new Int32Array(256);
const level2 = new Int32Array(256);

/**
 * Builds the subtree of one /16 from its long prefixes `[from, to)` (sorted by length) over
 * the default answer `dv`; returns the node index.
 *
 * 1. Fill the 256 children (one per third byte) with dv, then each /17../24 over its run.
 * 2. Group /25../32 by third byte; each group becomes a level-2 node over its child's answer.
 * 3. Compress the children into runs (emitNode).
 */
function buildSlot(
  a: Arena,
  dv: number,
  P: ArrayLike<number>,
  Ls: ArrayLike<number>,
  Vs: ArrayLike<number>,
  from: number,
  to: number,
): number {
  const child = level1;
  child.fill(dv);
  let k = from;
  for (; k < to && Ls[k]! <= 24; k++) {
    // A loop beats TypedArray.prototype.fill's call overhead on the short runs that dominate.
    const s = (P[k]! >>> 8) & 255;
    const e = s + (1 << (24 - Ls[k]!));
    const v = Vs[k]!;
    for (let c = s; c < e; c++) child[c] = v;
  }
  if (k < to) {
    // Few prefixes are longer than /24: order them by third byte, keeping length order
    // (Array.prototype.sort is stable, so a later duplicate still wins).
    const rest: number[] = [];
    for (let j = k; j < to; j++) rest.push(j);
    rest.sort((x, y) => ((P[x]! >>> 8) & 255) - ((P[y]! >>> 8) & 255) || Ls[x]! - Ls[y]!);
    let r = 0;
    while (r < rest.length) {
      const c = (P[rest[r]!]! >>> 8) & 255;
      const sub = level2;
      sub.fill(child[c]!);
      for (; r < rest.length && ((P[rest[r]!]! >>> 8) & 255) === c; r++) {
        const j = rest[r]!;
        const s = P[j]! & 255;
        sub.fill(Vs[j]!, s, s + (1 << (32 - Ls[j]!)));
      }
      child[c] = ~emitNode(a, sub);
    }
  }
  return emitNode(a, child);
}

/**
 * buildSlot() for prefixes in depth-first order (address ascending, shorter first), where
 * painting in input order is already right (a prefix comes after every prefix containing
 * it) and the /25../32 of one third byte are contiguous, after every shorter prefix over
 * them: one pass, no sort. Prefixes <= /16 (of later slots, at the range's end) are skipped.
 * Emits the same nodes in the same order as buildSlot() on the same prefixes.
 */
function buildSlotDfs(a: Arena, dv: number, P: Int32Array, Ls: Uint8Array, Vs: Int32Array, from: number, to: number): number {
  const child = level1;
  const m1 = marks1;
  child.fill(dv);
  m1[0] = 1;
  let k = from;
  while (k < to) {
    const len = Ls[k]!;
    if (len <= 24) {
      if (len > 16) {
        const s = (P[k]! >>> 8) & 255;
        const e = s + (1 << (24 - len));
        const v = Vs[k]!;
        for (let c = s; c < e; c++) child[c] = v;
        m1[s >>> 5]! |= 1 << (s & 31);
        if (e < 256) m1[e >>> 5]! |= 1 << (e & 31);
      }
      k++;
      continue;
    }
    const c = (P[k]! >>> 8) & 255;
    const sub = level2;
    const m2 = marks2;
    sub.fill(child[c]!);
    m2[0] = 1;
    for (; k < to && Ls[k]! > 24 && ((P[k]! >>> 8) & 255) === c; k++) {
      const s = P[k]! & 255;
      const e = s + (1 << (32 - Ls[k]!));
      const v = Vs[k]!;
      for (let b = s; b < e; b++) sub[b] = v;
      m2[s >>> 5]! |= 1 << (s & 31);
      if (e < 256) m2[e >>> 5]! |= 1 << (e & 31);
    }
    child[c] = ~emitMarked(a, sub, m2);
    m1[c >>> 5]! |= 1 << (c & 31);
    if (c < 255) m1[(c + 1) >>> 5]! |= 1 << ((c + 1) & 31);
  }
  return emitMarked(a, child, m1);
}

/** Where a painted range starts or ends, per child (a value may change only there). */
const marks1 = new Int32Array(8);
const marks2 = new Int32Array(8);

/**
 * emitNode() reading only the children marked in `marks` (and clearing the marks): every
 * child where the value may change is marked, so between two marks it does not, and the
 * node is the same as emitNode() makes from all 256.
 */
function emitMarked(a: Arena, child: Int32Array, marks: Int32Array): number {
  a.nodes = grown(a, a.nodes, a.nodesUsed * NODE_WORDS, (a.nodesUsed + 1) * NODE_WORDS);
  a.leaves = grown(a, a.leaves, a.leavesUsed, a.leavesUsed + 256);
  const n = a.nodesUsed++;
  const { nodes, leaves } = a;
  const base = n * NODE_WORDS;
  let li = a.leavesUsed - 1;
  let prev = ~0;
  for (let w = 0; w < 8; w++) {
    nodes[base + 2 * w + 1] = li;
    let m = marks[w]!;
    marks[w] = 0;
    let word = 0;
    while (m !== 0) {
      const bit = m & -m;
      m ^= bit;
      const v = child[(w << 5) | (31 - Math.clz32(bit))]!;
      if (v !== prev || v < 0) {
        leaves[++li] = v;
        word |= bit;
      }
      prev = v;
    }
    nodes[base + 2 * w] = word;
  }
  a.leavesUsed = li + 1;
  return n;
}

/** Whether slot s has prefixes longer than /16. */
export function slotHasLong(aux: PoptrieAux, s: number): boolean {
  const o = aux.overlay.get(s);
  return o ? o.lens.length > 0 : aux.baseStart[s + 1]! > aux.baseStart[s]!;
}

/** (Re)builds slot s's subtree at the arenas' end; returns its direct entry. */
export function emitSlot(aux: PoptrieAux, s: number): number {
  const a = aux.arena;
  const o = aux.overlay.get(s);
  const from = o ? 0 : aux.baseStart[s]!;
  const to = o ? o.lens.length : aux.baseStart[s + 1]!;
  if (from === to) {
    aux.slotNodes[s] = 0;
    aux.slotLeaves[s] = 0;
    return aux.slotVal[s]!;
  }
  const n0 = a.nodesUsed;
  const l0 = a.leavesUsed;
  const n = o
    ? buildSlot(a, aux.slotVal[s]!, o.prefixes, o.lens, o.values, from, to)
    : aux.baseDfs
      ? buildSlotDfs(a, aux.slotVal[s]!, aux.basePrefixes, aux.baseLens, aux.baseValues, from, to)
      : buildSlot(a, aux.slotVal[s]!, aux.basePrefixes, aux.baseLens, aux.baseValues, from, to);
  aux.slotNodes[s] = a.nodesUsed - n0;
  aux.slotLeaves[s] = a.leavesUsed - l0;
  return ~n;
}

/** Writes a fresh root and its 256 blocks for `direct` (65,536 entries); returns the root. */
export function emitDirs(a: Arena, direct: Int32Array): number {
  const root = allocDirs(a, BLOCK + SLOTS);
  const { dirs } = a;
  for (let t = 0; t < BLOCK; t++) dirs[root + t] = root + BLOCK + t * BLOCK;
  dirs.set(direct, root + BLOCK);
  return root;
}

