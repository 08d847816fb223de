// A FIB snapshot flattened into one longest-prefix-match table: for every destination, the
// code of what `ip route get DST` answers (workers/compile/compile.ts), so that a lookup is one
// poptrie walk whatever the rules, and incremental recompiles for route events.
//
// Why one table: fib_lookup() may consult several tables per destination (local, main,
// default, or a rule walk with suppress_prefixlength), and an engine that repeats the walk
// per address pays one LPM per table consulted. For the destination-only flow the walk
// depends on nothing but the destination (compile.ts), so it can be done at compile time,
// per region: let U be the prefixes that answer in any table the program reads, plus the
// `to` prefixes of the rules and 0/0. An address whose longest match in U is X sees in each
// table the longest answering prefix containing X (its cover), and is inside exactly the
// rule prefixes containing X; so the whole walk, and its outcome, is a function of X alone.
// The flattened table maps each X in U to that outcome's code (interned in OutcomeCodes,
// never reused, so a code read from any version decodes alike).
//
// Full compile (compileFull): the tables' answering prefixes, merged in depth-first order
// (address ascending, shorter first) with a stack of the enclosing prefixes, which carries
// the covers. Most prefixes belong to one big table (main, with the Internet table); for
// those only that table's cover changes from the enclosing context, so the outcome is
// memoised per context and answer: one array probe per prefix. The tables' leaves are kept
// between full compiles as columns of content signatures (_leaf-columns.ts), so a full
// compile after a device or rule event patches them instead of walking every route again,
// and the poptrie itself is patched with the regions whose code changed, when they are few.
//
// Incremental compile (compile): when only routes changed (devices, devconf, rules and
// nexthop objects are the same objects), pmapDiff() over each table read gives the changed
// prefixes; a prefix whose answer in its lookup changed is recomputed, with the prefixes of
// the other lookups (and rule prefixes) inside it, whose cover it may be; the poptrie gets
// the differences as LpmChanges (applyPoptrieChanges: a new version, the old one intact for
// the lookups still reading it). Anything else is a full compile. This mirrors
// fib_table_insert()/fib_table_delete() touching one leaf, except that a change in a table
// consulted before another (local before main, a rule table before main) may also touch
// the regions of the other table's prefixes inside it.
//
// The parts: outcome-codes.ts, _incremental.ts (the regions a route event changes),
// _full-merge.ts (the merge of a full compile), _regions.ts (patching the last poptrie).
//
// The version and lineage types are in _fib-lpm-lineage.ts.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import type { RouteGetOutcome } from '../../core/route/route-output.js';
import { AnswerTable, compileProgram, decodeOutcome, outcomeOf, programViews, ruleCovers, walkProgram, type CompiledOutcome, type CompiledRule, type Cover, type LookupView } from './compile.js';
import type { LpmChange } from '../lpm/_prefix-index.js';
import { applyPoptrieChanges, buildPoptrieColumns, ensurePoptrieIndex, poptrieIndexed, type PoptrieTable } from '../lpm/poptrie.js';
import type { Ip4 } from '../../core/net/ip4.js';
import { LeafColumnCache, type LeafColumns } from './_leaf-columns.js';
import type { FibLineage } from '../../core/snapshot/fib-lineage.js';
import { OutcomeCodes } from './outcome-codes.js';
import { prefixKey, replayLog, diffRegions, type Regions } from './_regions.js';
import { answerColumns, mergeAnchors, plainRun, BATCH, HOST, type Context, type MergeState, type PlainColumns } from './_full-merge.js';
import { changedRegions } from './_incremental.js';

import { MAX_LOG, envChange, type FibLpmOptions, type FibLpmVersion, type Lineage, type LineageCore } from './_fib-lpm-lineage.js';

export { OutcomeCodes } from './outcome-codes.js';
export type { CompileMode, FibLpmOptions, FibLpmVersion } from './_fib-lpm-lineage.js';

/**
 * Compiles FIB snapshots into flattened LPM tables, incrementally when it can.
 *
 * @example
 *   const c = new FibLpmCompiler();
 *   const v1 = c.compile(s1);            // full
 *   const v2 = c.compile(s2);            // incremental when s2 = s1 + a route event
 *   c.decode(lookupPoptrie(v2.table, dst), dst); // === routeGet(s2, { dst, ... })
 */
export class FibLpmCompiler {
  readonly codes = new OutcomeCodes();
  private lineage: Lineage | null = null;
  /** The tables' leaves as columns, kept between full compiles (_leaf-columns.ts). */
  private leafColumns = new LeafColumnCache();
  /**
   * The FIB the columns' signatures come from (fib-lineage.ts): a snapshot of another FIB
   * numbers its alias lists in its own registry, so its columns start afresh.
   */
  private fib: FibLineage | null = null;
  private readonly maxDiff: number;
  private readonly maxRecompute: number;
  private readonly incremental: boolean;

  constructor(options: FibLpmOptions = {}) {
    this.maxDiff = options.maxDiff ?? 20_000;
    this.maxRecompute = options.maxRecompute ?? 50_000;
    this.incremental = options.incremental ?? true;
  }

  /** What `ip route get DST` answers, from the code a lookup of DST gave. */
  decode(code: number, dst: Ip4): RouteGetOutcome {
    return decodeOutcome(this.codes.outcome(code), dst);
  }

  /** The outcome behind a code. */
  outcome(code: number): CompiledOutcome {
    return this.codes.outcome(code);
  }

  /**
   * Builds the prefix index the first incremental change needs (~100 ms on a full table),
   * so that it is not paid by that change. Idempotent.
   */
  prepareIncremental(): void {
    if (this.lineage) ensurePoptrieIndex(this.lineage.head);
  }

  /**
   * Compiles `s`: incrementally from the last compiled snapshot when only routes changed
   * and the change is small, else in full.
   *
   * 1. The same snapshot: the same table.
   * 2. Devices, devconf, rules or nexthop objects changed, or a table the program reads
   *    appeared or went: full compile (answers depend on them).
   * 3. Changed prefixes of the tables read (pmapDiff); for each whose answer in its lookup
   *    changed, the regions to recompute: itself, and the prefixes of the other lookups and
   *    the rule prefixes inside it.
   * 4. Each region still in U gets its outcome's code (an insert, a no-op when unchanged);
   *    a region no longer in U is removed. Apply as one poptrie version.
   */
  compile(s: FibSnapshot): FibLpmVersion {
    const L = this.lineage;
    if (L === null) return this.compileFull(s, 'first compile');
    if (s === L.snapshot) return { snapshot: s, table: L.head, mode: 'unchanged', changes: 0 };
    if (s.lineage !== L.snapshot.lineage) return this.compileFull(s, 'a snapshot of another FIB');
    if (!this.incremental) return this.compileFull(s, 'incremental compiles disabled');
    const env = envChange(L.snapshot, s);
    if (env !== null) return this.compileFull(s, env);
    const program = compileProgram(s);
    if (JSON.stringify(program) !== L.programKey) return this.compileFull(s, 'a table the rules read appeared or went');
    const views = programViews(s, program);
    if (JSON.stringify(views) !== JSON.stringify(L.views)) return this.compileFull(s, 'a table the lookups read appeared or went');
    const found = changedRegions(L, s, views, this.maxDiff, this.maxRecompute);
    if ('full' in found) return this.compileFull(s, found.full);
    const { regions, after } = found;
    const changes: LpmChange[] = [];
    for (const { dst, len } of regions.values()) {
      const inU = L.anchors.has(prefixKey(dst, len)) || after.some((tables) => L.at.viewAnswer(tables, dst, len) >= 0);
      if (!inU) {
        changes.push({ type: 'remove', prefix: dst, len });
        continue;
      }
      const covers = after.map((tables) => L.at.viewCover(tables, dst, len));
      changes.push({ type: 'insert', prefix: dst, len, value: this.regionCode(L, views, covers, dst, len) });
    }
    L.head = changes.length ? applyPoptrieChanges(L.head, changes) : L.head;
    if (L.built !== null) {
      if (L.log.length + changes.length > MAX_LOG) L.built = null;
      else for (const ch of changes) L.log.push(ch);
    }
    L.snapshot = s;
    return { snapshot: s, table: L.head, mode: 'incremental', changes: changes.length };
  }

  /** The code of a region given each lookup's cover. */
  private regionCode(L: LineageCore, views: readonly LookupView[], covers: readonly (Cover | null)[], dst: Ip4, len: number): number {
    const w = walkProgram(
      L.program,
      L.at.answers,
      (table) => {
        const i = views.findIndex((v) => v.table === table);
        return i < 0 ? null : (covers[i] ?? null);
      },
      (r: CompiledRule) => ruleCovers(r, dst, len),
    );
    return this.walkCode(L, w);
  }

  private walkCode(L: LineageCore, w: ReturnType<typeof walkProgram>): number {
    if ('errno' in w) return this.codes.code({ kind: 'error', errno: w.errno });
    // The outcome reads the answering prefix's length only as /4 or longer (short).
    const num = (w.answer * 2 + (w.plen < 4 ? 1 : 0)) * 2 ** 32 + w.table;
    const key = w.ruleFlow === 0 ? num : `${num}|${w.ruleFlow}`;
    let c = L.codes.get(key);
    if (c === undefined) {
      c = this.codes.code(outcomeOf(L.at.answers, w));
      L.codes.set(key, c);
    }
    return c;
  }

  /**
   * Compiles `s` in full and starts a new lineage.
   *
   * 1. Program and lookups (compile.ts); the answering prefixes of each table read, in
   *    depth-first order (address ascending, shorter first): the table's leaves as columns
   *    of signatures (_leaf-columns.ts: kept from the last full compile and patched with the
   *    table's diff, or walked), each signature's answer found once. The biggest table's are
   *    "plain"; the others, the rule prefixes and 0/0 are "anchors", merged into one
   *    short list with each lookup's answer there.
   * 2. Merge plain and anchors; keep a stack of enclosing prefixes: each frame holds the
   *    cover of the plain table's lookup and a context, the nearest enclosing anchor's
   *    covers of the other lookups and rule memberships.
   * 3. A plain prefix takes its outcome from its context's memo, keyed by its answer (and,
   *    when a rule has suppress_prefixlength, which side of each such threshold its length
   *    is); an anchor walks the program and opens a new context.
   * 4. Build the poptrie from the columns (prefix, length, code); or, when the last
   *    lineage's table is indexed and few regions differ from what it holds (its last full
   *    compile's regions replayed with the changes applied since), apply just those to it:
   *    an address added or a sysctl written changes the answers of few regions.
   */
  compileFull(s: FibSnapshot, reason = 'full compile requested'): FibLpmVersion {
    if (s.lineage !== this.fib) {
      this.leafColumns = new LeafColumnCache();
      this.fib = s.lineage;
    }
    const sigs = s.lineage.sigs;
    const at = new AnswerTable(s);
    const program = compileProgram(s);
    const views = programViews(s, program);
    const rules: readonly CompiledRule[] = program.kind === 'rules' ? program.rules : [];
    const anchorList: { dst: Ip4; len: number }[] = [{ dst: 0, len: 0 }];
    for (const r of rules) if (r.dstLen > 0) anchorList.push({ dst: r.dst, len: r.dstLen });
    const L: LineageCore = {
      snapshot: s,
      at,
      program,
      programKey: JSON.stringify(program),
      views,
      anchors: new Set(anchorList.map((x) => prefixKey(x.dst, x.len))),
      anchorList,
      codes: new Map(),
    };
    const V = views.length;
    // 1. The tables read, the biggest one plain.
    const found: { view: number; rank: number; lc: LeafColumns }[] = [];
    const walked = { cached: 0, patched: 0, walked: 0 };
    this.leafColumns.retain(new Set(views.flatMap((v) => v.sources)));
    views.forEach((v, vi) => {
      v.sources.forEach((id, rank) => {
        const t = s.tables.get(id);
        if (t === undefined) return;
        const { cols, how } = this.leafColumns.columns(t);
        walked[how]++;
        found.push({ view: vi, rank, lc: cols });
      });
    });
    let big = -1;
    found.forEach((src, i) => {
      if (big < 0 || src.lc.n > found[big]!.lc.n) big = i;
    });
    // The plain table's answers are looked up per signature as the merge goes (no column).
    const sigAnswer = new Int32Array(sigs.count).fill(-2);
    const plain: PlainColumns =
      big < 0
        ? { n: 0, p: new Uint32Array(0), l: new Uint8Array(0), s: new Int32Array(0), ans: sigAnswer }
        : { ...found[big]!.lc, ans: sigAnswer };
    const answerOf = (sg: number): number => {
      const a = at.leafAnswer(sigs.aliases(sg));
      sigAnswer[sg] = a;
      return a;
    };
    const pv = big < 0 ? -1 : found[big]!.view;
    const pRank = big < 0 ? 0 : found[big]!.rank;
    const anchors = mergeAnchors(
      anchorList,
      found.flatMap((src, i) => (i === big ? [] : [{ view: src.view, rank: src.rank, cols: answerColumns(src.lc, at) }])),
      V,
    );
    const total = plain.n + anchors.length;
    const st: MergeState = {
      depth: 0,
      n: 0,
      frameEnd: new Uint32Array(40),
      frameA: new Int32Array(40),
      frameL: new Int32Array(40),
      frameCtx: [],
      outP: new Uint32Array(total),
      outL: new Uint8Array(total),
      outV: new Int32Array(total),
    };
    // A walk reads the plain cover's length only as `plen <= suppress_prefixlength` of a
    // lookup rule: lengths between two such thresholds share a memo entry.
    // The outcome reads it as shorter than /4 or not (decodeOutcome(): a multicast route
    // shorter than /4 loses its fib_info), the 3 below.
    const thresholds = [...new Set([3, ...rules.flatMap((r) => (r.action.kind === 'lookup' && r.action.suppressPrefixlen >= 0 ? [r.action.suppressPrefixlen] : []))])];
    const lenClass = Uint8Array.from({ length: 33 }, (_, len) => thresholds.filter((t) => len > t).length);
    const stride = thresholds.length + 1;
    const walkCovers = new Int32Array(2 * V);
    // A plain prefix whose (context, answer) is not memoised yet: walk the program.
    const miss = (ctx: Context, a: number, len: number): number => {
      walkCovers.set(ctx.covers);
      walkCovers[2 * pv] = a;
      walkCovers[2 * pv + 1] = len;
      const code = this.walkCode(L, this.walkAt(L, walkCovers, ctx.members));
      const mk = a * stride + lenClass[len]!;
      if (mk >= ctx.memo.length) {
        const m = new Int32Array(Math.max(mk + 1, ctx.memo.length * 2, 64));
        m.set(ctx.memo);
        ctx.memo = m;
      }
      ctx.memo[mk] = code;
      return code;
    };
    // 2. The merge: the plain prefixes before each anchor in a tight loop, then the anchor.
    let pi = 0;
    for (let ai = 0; ai <= anchors.length; ai++) {
      const x = anchors[ai];
      // Up to the anchor (past the last address when none is left), in batches: a loop
      // function called many times is optimised sooner, and with all its feedback, than
      // one entered once for 900,000 prefixes (which V8 would have to replace mid-loop).
      const endDst = x === undefined ? 2 ** 32 : x.dst;
      const endLen = x === undefined ? 0 : x.len;
      for (;;) {
        const to = Math.min(plain.n, pi + BATCH);
        pi = plainRun(st, plain, pi, to, endDst, endLen, stride, lenClass, miss, answerOf);
        if (pi < to || to === plain.n) break;
      }
      if (x === undefined) break;
      const { dst, len } = x;
      // The plain table may have this prefix too: it counts in its lookup, by rank.
      let plainHere = -1;
      if (pi < plain.n && plain.p[pi] === dst && plain.l[pi] === len) {
        const sg = plain.s[pi]!;
        plainHere = plain.ans[sg] === -2 ? answerOf(sg) : plain.ans[sg]!;
        pi++;
      }
      let depth = st.depth;
      while (depth > 0 && dst > st.frameEnd[depth - 1]!) depth--;
      const covers = depth > 0 ? st.frameCtx[depth - 1]!.covers.slice() : new Int32Array(2 * V).fill(-1);
      for (let v = 0; v < V; v++) {
        let ans = x.answers[v]!;
        if (v === pv && plainHere >= 0 && (ans < 0 || x.ranks[v]! > pRank)) ans = plainHere;
        if (ans >= 0) {
          covers[2 * v] = ans;
          covers[2 * v + 1] = len;
        } else if (v === pv) {
          covers[2 * v] = depth > 0 ? st.frameA[depth - 1]! : -1;
          covers[2 * v + 1] = depth > 0 ? st.frameL[depth - 1]! : 0;
        }
      }
      // 3. An anchor walks the program and opens a context.
      const ctx: Context = { covers, members: rules.map((r) => ruleCovers(r, dst, len)), memo: new Int32Array(0) };
      const code = this.walkCode(L, this.walkAt(L, covers, ctx.members));
      st.frameCtx[depth] = ctx;
      st.frameA[depth] = pv >= 0 ? covers[2 * pv]! : -1;
      st.frameL[depth] = pv >= 0 ? covers[2 * pv + 1]! : 0;
      st.frameEnd[depth] = dst + HOST[len]!;
      st.depth = depth + 1;
      st.outP[st.n] = dst;
      st.outL[st.n] = len;
      st.outV[st.n] = code;
      st.n++;
    }
    const { outP, outL, outV, n } = st;
    const regions: Regions = { n, p: outP.subarray(0, n), l: outL.subarray(0, n), v: outV.subarray(0, n) };
    // 4. The poptrie: the last one patched with the regions that differ, when few do.
    const prev = this.lineage;
    let head: PoptrieTable | null = null;
    let lpm: 'built' | 'patched' = 'built';
    if (prev !== null && prev.built !== null && this.incremental && poptrieIndexed(prev.head)) {
      const changes = diffRegions(replayLog(prev.built, prev.log), regions, this.maxRecompute);
      if (changes !== null) {
        head = changes.length ? applyPoptrieChanges(prev.head, changes) : prev.head;
        lpm = 'patched';
      }
    }
    // The regions are depth-first and never changed: the poptrie keeps them as they are.
    head ??= buildPoptrieColumns(regions.p, regions.l, regions.v, true);
    this.lineage = { ...L, head, built: regions, log: [] };
    return { snapshot: s, table: head, mode: 'full', changes: n, reason, columns: walked, lpm };
  }

  /** Walks the program with covers (answer, plen per lookup; answer -1: none). */
  private walkAt(L: LineageCore, covers: Int32Array, members: readonly boolean[]): ReturnType<typeof walkProgram> {
    const views = L.views;
    const rules = L.program.kind === 'rules' ? L.program.rules : [];
    return walkProgram(
      L.program,
      L.at.answers,
      (table) => {
        for (let v = 0; v < views.length; v++) {
          if (views[v]!.table !== table) continue;
          const a = covers[2 * v]!;
          return a < 0 ? null : { answer: a, plen: covers[2 * v + 1]! };
        }
        return null;
      },
      (r) => members[rules.indexOf(r)] === true,
    );
  }
}
