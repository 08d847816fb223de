// The merge of a full compile (fib-lpm.ts compileFull): the tables' answering prefixes in
// depth-first order, with a stack of the enclosing prefixes that carries each lookup's cover.
//
// Why: fib_lookup() for one destination takes, in each table it reads, the longest answering
// prefix (fib_table_lookup()); walking all tables' prefixes in address order with the
// enclosing ones on a stack gives every region its covers in one pass, and the biggest
// table's prefixes (the Internet table in main) take their outcome from a memo per context.

import { AnswerTable } from './compile.js';
import type { Ip4 } from '../../core/net/ip4.js';
import type { LeafColumns } from './_leaf-columns.js';
import { prefixKey } from './_regions.js';

/** Prefixes per call of the loops of a full compile (see compileFull's merge). */
export const BATCH = 4096;

/** 2^(32 - len) - 1: what a prefix of length len adds to its address to reach its last. */
export const HOST = Uint32Array.from({ length: 33 }, (_, len) => 2 ** (32 - len) - 1);

/** The merge of compileFull: the stack of enclosing prefixes and the output columns. */
export interface MergeState {
  depth: number;
  n: number;
  /** The last address of each frame's prefix. */
  readonly frameEnd: Uint32Array;
  /** The plain lookup's cover at each frame (answer, length). */
  readonly frameA: Int32Array;
  readonly frameL: Int32Array;
  readonly frameCtx: Context[];
  readonly outP: Uint32Array;
  readonly outL: Uint8Array;
  readonly outV: Int32Array;
}

/**
 * The hot loop of compileFull, kept small so that it is optimised early: the plain prefixes
 * from `from` up to (not including) prefix `endDst/endLen` or index `to`, each coded from its context's memo (or by
 * `miss`). There is always an enclosing frame: 0/0 is the first anchor.
 */
export function plainRun(
  st: MergeState,
  plain: PlainColumns,
  from: number,
  to: number,
  endDst: number,
  endLen: number,
  stride: number,
  lenClass: Uint8Array,
  miss: (ctx: Context, a: number, len: number) => number,
  answerOf: (sig: number) => number,
): number {
  const { p, l, s, ans: sigAnswer } = plain;
  const { frameEnd, frameA, frameL, frameCtx, outP, outL, outV } = st;
  let depth = st.depth;
  let n = st.n;
  let pi = from;
  for (; pi < to; pi++) {
    const dst = p[pi]!;
    const len = l[pi]!;
    if (dst >= endDst && (dst > endDst || len >= endLen)) break;
    const sg = s[pi]!;
    let ans = sigAnswer[sg]!;
    if (ans === -2) ans = answerOf(sg);
    // A leaf that answers nothing here (only aliases a destination-only lookup skips).
    if (ans < 0) continue;
    while (dst > frameEnd[depth - 1]!) depth--;
    const ctx = frameCtx[depth - 1]!;
    const mk = ans * stride + lenClass[len]!;
    const memo = ctx.memo;
    let code = mk < memo.length ? memo[mk]! : 0;
    if (code === 0) code = miss(ctx, ans, len);
    frameCtx[depth] = ctx;
    frameA[depth] = ans;
    frameL[depth] = len;
    frameEnd[depth] = dst + HOST[len]!;
    depth++;
    outP[n] = dst;
    outL[n] = len;
    outV[n] = code;
    n++;
  }
  st.depth = depth;
  st.n = n;
  return pi;
}

/** The covers, rule memberships and outcome memo of an anchor (see compileFull). */
export interface Context {
  /** (answer, plen) per lookup; the plain lookup's pair is set per prefix. */
  readonly covers: Int32Array;
  readonly members: readonly boolean[];
  /** Code by plain answer (and length); 0: not yet known. */
  memo: Int32Array;
}

/** An anchor: a prefix of a small table, a rule prefix or 0/0, with each lookup's answer there. */
export interface Anchor {
  readonly dst: Ip4;
  readonly len: number;
  /** Per lookup: the answer here (-1: none), from the table of lowest rank that has one. */
  readonly answers: Int32Array;
  readonly ranks: Int32Array;
}

/** The anchors in depth-first order, each prefix once. */
export function mergeAnchors(
  list: readonly { dst: Ip4; len: number }[],
  sources: readonly { view: number; rank: number; cols: Columns }[],
  V: number,
): Anchor[] {
  const byKey = new Map<number, Anchor>();
  const get = (dst: Ip4, len: number): Anchor => {
    const k = prefixKey(dst, len);
    let x = byKey.get(k);
    if (x === undefined) {
      x = { dst, len, answers: new Int32Array(V).fill(-1), ranks: new Int32Array(V).fill(-1) };
      byKey.set(k, x);
    }
    return x;
  };
  for (const a of list) get(a.dst, a.len);
  for (const src of sources) {
    const c = src.cols;
    for (let i = 0; i < c.n; i++) {
      const x = get(c.p[i]!, c.l[i]!);
      if (x.answers[src.view]! < 0 || x.ranks[src.view]! > src.rank) {
        x.answers[src.view] = c.a[i]!;
        x.ranks[src.view] = src.rank;
      }
    }
  }
  return [...byKey.values()].sort((x, y) => x.dst * 64 + x.len - (y.dst * 64 + y.len));
}

/** The plain table's prefixes (depth-first) with signatures, and the answer of each signature (-2: not yet known, -1: none). */
export interface PlainColumns {
  readonly n: number;
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly s: Int32Array;
  readonly ans: Int32Array;
}

/** Answering prefixes as columns, depth-first order. */
export interface Columns {
  readonly n: number;
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly a: Int32Array;
}

/**
 * A table's answering prefixes (depth-first), each leaf's answer found once per
 * signature. When no leaf is transparent the address and length columns are shared.
 */
export function answerColumns(lc: LeafColumns, at: AnswerTable): Columns {
  const sigs = lc.table.sigs;
  const memo = new Int32Array(sigs.count).fill(-2);
  const a = new Int32Array(lc.n);
  let transparent = 0;
  for (let i = 0; i < lc.n; i++) {
    const sg = lc.s[i]!;
    let ans = memo[sg]!;
    if (ans === -2) {
      ans = at.leafAnswer(sigs.aliases(sg));
      memo[sg] = ans;
    }
    a[i] = ans;
    if (ans < 0) transparent++;
  }
  if (transparent === 0) return { n: lc.n, p: lc.p, l: lc.l, a };
  const n = lc.n - transparent;
  const p = new Uint32Array(n);
  const l = new Uint8Array(n);
  const b = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < lc.n; i++) {
    if (a[i]! < 0) continue;
    p[k] = lc.p[i]!;
    l[k] = lc.l[i]!;
    b[k] = a[i]!;
    k++;
  }
  return { n, p, l, a: b };
}
