// The rule list (ops->rules_list, fib_rules.c) as a persistent sequence: immutable, shared
// between snapshots, in the kernel's order (priority ascending; among equal priorities,
// the order they were added in).
//
// Why not an array? fib_nl_newrule() inserts before the first rule of a higher priority;
// an immutable array made every insert a copy of the whole list, so 100,000 rules took
// 815 s (the copy of a list past ~16,000 rules is a large object on every add). Here the
// list is a B+-tree of chunks: leaves hold up to LEAF rules, inner nodes up to FANOUT
// children with each child's size and least priority. An add or delete copies the path
// from the root to one leaf (about three nodes of 32 slots at 100,000 rules) and shares
// the rest, so every earlier snapshot keeps its list intact (reduceFib stays pure).
//
// Readers see the list as the kernel walks it: in order (for…of, forEach, map, …), by
// position (at(), O(log n)), or by priority (lowerBound/upperBound: the list is sorted by
// priority because every insert keeps it so, as the kernel's does). A delete removes empty
// nodes but does not merge half-empty ones: depth stays logarithmic in the longest list
// this one came from.

import type { FibRule } from '../events/rule.js';

/** Rules per leaf, at most. */
const LEAF = 32;
/** Children per inner node, at most. */
const FANOUT = 32;

type Leaf = readonly FibRule[];
interface Inner {
  readonly kids: readonly Node[];
  /** Rules under each child. */
  readonly sizes: readonly number[];
  /** The least (first) priority under each child. */
  readonly mins: readonly number[];
}
/** A leaf at depth 0, an inner node above (the list knows its height). */
type Node = Leaf | Inner;

// ES2023's copying array methods (Node >= 20; the project's lib is ES2022).
interface CopyingArray<T> {
  toSpliced(start: number, deleteCount: number, ...items: T[]): T[];
  with(index: number, value: T): T[];
}
function copying<T>(xs: readonly T[]): CopyingArray<T> {
  return xs as unknown as CopyingArray<T>;
}

function sizeOf(n: Node, depth: number): number {
  if (depth === 0) return (n as Leaf).length;
  let s = 0;
  for (const x of (n as Inner).sizes) s += x;
  return s;
}

function minOf(n: Node, depth: number): number {
  return depth === 0 ? (n as Leaf)[0]!.priority : (n as Inner).mins[0]!;
}

/** The last child whose least priority is below `p` (strict) or at most `p`; 0 when none. */
function childFor(mins: readonly number[], p: number, strict: boolean): number {
  let lo = 0;
  let hi = mins.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? mins[mid]! < p : mins[mid]! <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : lo - 1;
}

/** Rules in a leaf with a priority below `p` (strict) or at most `p`. */
function leafBound(leaf: Leaf, p: number, strict: boolean): number {
  let lo = 0;
  let hi = leaf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const q = leaf[mid]!.priority;
    if (strict ? q < p : q <= p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function innerOf(kids: Node[], depth: number): Inner {
  return { kids, sizes: kids.map((k) => sizeOf(k, depth - 1)), mins: kids.map((k) => minOf(k, depth - 1)) };
}

/** A node split in two when it overflows; one node otherwise. */
type Grown = Node | { readonly split: readonly [Node, Node] };

function isSplit(g: Grown): g is { readonly split: readonly [Node, Node] } {
  return !Array.isArray(g) && 'split' in g;
}

function insertInto(n: Node, depth: number, rule: FibRule): Grown {
  if (depth === 0) {
    const leaf = n as Leaf;
    const out = copying(leaf).toSpliced(leafBound(leaf, rule.priority, false), 0, rule);
    if (out.length <= LEAF) return out;
    const half = out.length >>> 1;
    return { split: [out.slice(0, half), out.slice(half)] };
  }
  const inner = n as Inner;
  const c = childFor(inner.mins, rule.priority, false);
  const g = insertInto(inner.kids[c]!, depth - 1, rule);
  if (!isSplit(g)) {
    return { kids: copying(inner.kids).with(c, g), sizes: copying(inner.sizes).with(c, inner.sizes[c]! + 1), mins: copying(inner.mins).with(c, minOf(g, depth - 1)) };
  }
  const [a, b] = g.split;
  const kids = copying(inner.kids).toSpliced(c, 1, a, b);
  if (kids.length <= FANOUT) {
    return {
      kids,
      sizes: copying(inner.sizes).toSpliced(c, 1, sizeOf(a, depth - 1), sizeOf(b, depth - 1)),
      mins: copying(inner.mins).toSpliced(c, 1, minOf(a, depth - 1), minOf(b, depth - 1)),
    };
  }
  const half = kids.length >>> 1;
  return { split: [innerOf(kids.slice(0, half), depth), innerOf(kids.slice(half), depth)] };
}

/** The node without its i-th rule; null when that leaves it empty. */
function removeFrom(n: Node, depth: number, i: number): Node | null {
  if (depth === 0) {
    const out = copying(n as Leaf).toSpliced(i, 1);
    return out.length === 0 ? null : out;
  }
  const inner = n as Inner;
  let c = 0;
  while (i >= inner.sizes[c]!) i -= inner.sizes[c++]!;
  const k = removeFrom(inner.kids[c]!, depth - 1, i);
  if (k === null) {
    if (inner.kids.length === 1) return null;
    return { kids: copying(inner.kids).toSpliced(c, 1), sizes: copying(inner.sizes).toSpliced(c, 1), mins: copying(inner.mins).toSpliced(c, 1) };
  }
  return { kids: copying(inner.kids).with(c, k), sizes: copying(inner.sizes).with(c, inner.sizes[c]! - 1), mins: copying(inner.mins).with(c, minOf(k, depth - 1)) };
}

function walk(n: Node, depth: number, start: number, fn: (r: FibRule, i: number) => boolean | void): boolean {
  if (depth === 0) {
    const leaf = n as Leaf;
    for (let j = 0; j < leaf.length; j++) if (fn(leaf[j]!, start + j) === true) return true;
    return false;
  }
  const inner = n as Inner;
  for (let c = 0; c < inner.kids.length; c++) {
    if (walk(inner.kids[c]!, depth - 1, start, fn)) return true;
    start += inner.sizes[c]!;
  }
  return false;
}

/** An in-order iterator: the path from the root to the current leaf. */
class RulesIterator implements IterableIterator<FibRule> {
  private readonly path: Inner[] = [];
  private readonly at: number[] = [];
  private leaf: Leaf;
  private j = 0;

  constructor(root: Node, height: number) {
    let n = root;
    for (let d = height; d > 0; d--) {
      this.path.push(n as Inner);
      this.at.push(0);
      n = (n as Inner).kids[0]!;
    }
    this.leaf = n as Leaf;
  }

  next(): IteratorResult<FibRule> {
    while (this.j >= this.leaf.length) {
      if (!this.nextLeaf()) return { done: true, value: undefined };
    }
    return { done: false, value: this.leaf[this.j++]! };
  }

  private nextLeaf(): boolean {
    let d = this.path.length - 1;
    while (d >= 0 && this.at[d]! + 1 >= this.path[d]!.kids.length) d--;
    if (d < 0) return false;
    this.at[d]!++;
    let n = this.path[d]!.kids[this.at[d]!]!;
    for (let e = d + 1; e < this.path.length; e++) {
      this.path[e] = n as Inner;
      this.at[e] = 0;
      n = (n as Inner).kids[0]!;
    }
    this.leaf = n as Leaf;
    this.j = 0;
    return true;
  }

  [Symbol.iterator](): IterableIterator<FibRule> {
    return this;
  }
}

const EMPTY: Leaf = Object.freeze([]) as Leaf;

/** The rule list of a snapshot: immutable; every change returns a new list sharing the rest. */
export class RulesList implements Iterable<FibRule> {
  private constructor(
    private readonly root: Node,
    private readonly height: number,
    /** How many rules. */
    readonly length: number,
    /**
     * How many are goto rules: the kernel's ops->nr_goto_rules, which lets fib_nl_newrule()
     * and fib_nl_delrule() skip the walk that (un)resolves gotos when there are none.
     */
    readonly gotoRules: number = 0,
  ) {}

  /** A list of these rules in this order, which must be by priority ascending (the kernel's). */
  static from(rules: readonly FibRule[]): RulesList {
    for (let i = 1; i < rules.length; i++) {
      if (rules[i]!.priority < rules[i - 1]!.priority) throw new Error(`Rules are not in priority order at ${i}: ${rules[i - 1]!.priority} then ${rules[i]!.priority}`);
    }
    if (rules.length === 0) return new RulesList(EMPTY, 0, 0);
    const gotos = rules.reduce((n, r) => n + (r.action === 'goto' ? 1 : 0), 0);
    let level: Node[] = [];
    for (let i = 0; i < rules.length; i += LEAF) level.push(rules.slice(i, i + LEAF));
    let height = 0;
    while (level.length > 1) {
      height++;
      const up: Node[] = [];
      for (let i = 0; i < level.length; i += FANOUT) up.push(innerOf(level.slice(i, i + FANOUT), height));
      level = up;
    }
    return new RulesList(level[0]!, height, rules.length, gotos);
  }

  /** The rule at position i (0 first), or undefined. */
  at(i: number): FibRule | undefined {
    if (i < 0 || i >= this.length) return undefined;
    let n = this.root;
    for (let d = this.height; d > 0; d--) {
      const inner = n as Inner;
      let c = 0;
      while (i >= inner.sizes[c]!) i -= inner.sizes[c++]!;
      n = inner.kids[c]!;
    }
    return (n as Leaf)[i];
  }

  /** How many rules have a priority below p: the position of the first rule with priority >= p. */
  lowerBound(p: number): number {
    return this.bound(p, true);
  }

  /** How many rules have a priority at most p: where fib_nl_newrule() inserts a rule of priority p. */
  upperBound(p: number): number {
    return this.bound(p, false);
  }

  private bound(p: number, strict: boolean): number {
    let n = this.root;
    let acc = 0;
    for (let d = this.height; d > 0; d--) {
      const inner = n as Inner;
      const c = childFor(inner.mins, p, strict);
      for (let k = 0; k < c; k++) acc += inner.sizes[k]!;
      n = inner.kids[c]!;
    }
    return acc + leafBound(n as Leaf, p, strict);
  }

  /** The list with `rule` after every rule of a priority at most its own (fib_nl_newrule()). */
  insertByPriority(rule: FibRule): RulesList {
    const g = insertInto(this.root, this.height, rule);
    const gotos = this.gotoRules + (rule.action === 'goto' ? 1 : 0);
    if (!isSplit(g)) return new RulesList(g, this.height, this.length + 1, gotos);
    return new RulesList(innerOf([...g.split], this.height + 1), this.height + 1, this.length + 1, gotos);
  }

  /** The list without the rule at position i. */
  removeAt(i: number): RulesList {
    if (i < 0 || i >= this.length) throw new RangeError(`No rule at position ${i} of ${this.length}`);
    const gotos = this.gotoRules - (this.at(i)?.action === 'goto' ? 1 : 0);
    let root = removeFrom(this.root, this.height, i);
    let height = this.height;
    if (root === null) return new RulesList(EMPTY, 0, 0);
    while (height > 0 && (root as Inner).kids.length === 1) {
      root = (root as Inner).kids[0]!;
      height--;
    }
    return new RulesList(root, height, this.length - 1, gotos);
  }

  [Symbol.iterator](): IterableIterator<FibRule> {
    return new RulesIterator(this.root, this.height);
  }

  /** Each rule in order with its position. */
  forEach(fn: (r: FibRule, i: number) => void): void {
    if (this.length > 0) walk(this.root, this.height, 0, (r, i) => void fn(r, i));
  }

  /** The position of the first rule from `from` on that satisfies `pred`, or -1. */
  findIndex(pred: (r: FibRule, i: number) => boolean, from = 0): number {
    let found = -1;
    if (from >= this.length) return -1;
    if (from <= 0) {
      walk(this.root, this.height, 0, (r, i) => {
        if (!pred(r, i)) return false;
        found = i;
        return true;
      });
      return found;
    }
    for (let i = from; i < this.length; i++) if (pred(this.at(i)!, i)) return i;
    return -1;
  }

  find(pred: (r: FibRule, i: number) => boolean): FibRule | undefined {
    const i = this.findIndex(pred);
    return i < 0 ? undefined : this.at(i);
  }

  some(pred: (r: FibRule, i: number) => boolean): boolean {
    return this.findIndex(pred) >= 0;
  }

  every(pred: (r: FibRule, i: number) => boolean): boolean {
    return this.findIndex((r, i) => !pred(r, i)) < 0;
  }

  includes(rule: FibRule): boolean {
    return this.findIndex((r) => r === rule) >= 0;
  }

  /** The position of this very rule object, or -1: a descent to its priority, then the rules of that priority. */
  indexOf(rule: FibRule): number {
    for (let i = this.lowerBound(rule.priority); i < this.length; i++) {
      const r = this.at(i)!;
      if (r === rule) return i;
      if (r.priority !== rule.priority) return -1;
    }
    return -1;
  }

  map<T>(fn: (r: FibRule, i: number) => T): T[] {
    const out: T[] = [];
    this.forEach((r, i) => out.push(fn(r, i)));
    return out;
  }

  filter(pred: (r: FibRule, i: number) => boolean): FibRule[] {
    const out: FibRule[] = [];
    this.forEach((r, i) => {
      if (pred(r, i)) out.push(r);
    });
    return out;
  }

  /** The rules as a plain array, in order. */
  toArray(): FibRule[] {
    return this.map((r) => r);
  }

  /** JSON.stringify() of a snapshot writes the rules as an array. */
  toJSON(): FibRule[] {
    return this.toArray();
  }
}
