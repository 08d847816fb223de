// The tables of a namespace (net->ipv4.fib_table_hash, fib_get_table()): a handful of
// tables, copied on every route event because a snapshot is immutable.
//
// Why not a Map: the reducer copies the table set whenever one table changes, which is
// every route event; copying a Map costs ~170 ns (a new hash table), copying two short
// arrays ~25 ns. Lookups scan the ids (a namespace rarely has more than a few tables) and
// switch to an index once there are many. Iteration is in creation order, which the
// dump of `table all` depends on (fib_table_hash buckets are walked in insertion order
// for the ids a namespace usually has).

import type { FibTable } from './fib-table.js';

/** Above this many tables, lookups go through an index built on first use. */
const SCAN_MAX = 8;

/**
 * An immutable-once-published map from table id to table, in creation order.
 *
 * @example
 *   const a = TableList.from(new Map([[254, main]]));
 *   const b = a.with(255, local);   // a is unchanged
 *   [...b.keys()];                  // [254, 255]
 */
export class TableList implements ReadonlyMap<number, FibTable> {
  private index: Map<number, number> | null = null;

  private constructor(
    private readonly ids: number[],
    private readonly tables: FibTable[],
  ) {}

  /** A list with the entries of any map, in its order. */
  static from(m: ReadonlyMap<number, FibTable>): TableList {
    if (m instanceof TableList) return m;
    return new TableList([...m.keys()], [...m.values()]);
  }

  get size(): number {
    return this.ids.length;
  }

  private find(id: number): number {
    const ids = this.ids;
    if (ids.length <= SCAN_MAX) {
      for (let i = 0; i < ids.length; i++) if (ids[i] === id) return i;
      return -1;
    }
    if (this.index === null) {
      this.index = new Map();
      for (let i = 0; i < ids.length; i++) this.index.set(ids[i]!, i);
    }
    return this.index.get(id) ?? -1;
  }

  get(id: number): FibTable | undefined {
    const i = this.find(id);
    return i < 0 ? undefined : this.tables[i];
  }

  has(id: number): boolean {
    return this.find(id) >= 0;
  }

  /** A new list with table `id` set to `t` (appended when new); this one is unchanged. */
  with(id: number, t: FibTable): TableList {
    const i = this.find(id);
    if (i >= 0) {
      if (this.tables[i] === t) return this;
      const tables = this.tables.slice();
      tables[i] = t;
      const next = new TableList(this.ids, tables);
      next.index = this.index;
      return next;
    }
    return new TableList([...this.ids, id], [...this.tables, t]);
  }

  *keys(): MapIterator<number> {
    yield* this.ids;
  }

  *values(): MapIterator<FibTable> {
    yield* this.tables;
  }

  *entries(): MapIterator<[number, FibTable]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.tables[i]!];
  }

  [Symbol.iterator](): MapIterator<[number, FibTable]> {
    return this.entries();
  }

  forEach(fn: (value: FibTable, key: number, map: ReadonlyMap<number, FibTable>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.ids.length; i++) fn.call(thisArg, this.tables[i]!, this.ids[i]!, this);
  }
}
