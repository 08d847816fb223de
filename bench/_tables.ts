// Bench inputs: the real Internet table, generated tables and query addresses, all
// deterministic (seeded), plus the answer checksum the C baseline also prints.
//
// Why: every competitor must answer the same queries over the same prefixes with the same
// values (index mod 1024 + 1, as the issue suggests) so that answers can be compared before
// anything is timed.

import { readFileSync } from 'node:fs';
import type { LpmEntry } from '../workers/lpm/_prefix-index.js';

/** A table to benchmark: its prefixes with values, and a name for reports. */
export interface BenchTable {
  readonly name: string;
  readonly entries: readonly LpmEntry[];
}

/** mulberry32: a small, seeded 32-bit PRNG (deterministic across runs and machines). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** "a.b.c.d" of a uint32. */
export function formatIp(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** "a.b.c.d/len" of a prefix. */
export function formatPrefix(e: { prefix: number; len: number }): string {
  return `${formatIp(e.prefix)}/${e.len}`;
}

/** The value the bench gives prefix number i: i mod 1024 + 1. */
export function benchValue(i: number): number {
  return (i % 1024) + 1;
}

/**
 * Reads "a.b.c.d/len" lines; a malformed line fails with its file and line number.
 */
export function loadTable(path: string, name = 'real'): BenchTable {
  const text = readFileSync(path, 'utf8');
  const entries: LpmEntry[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) continue;
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(s);
    if (!m) throw new Error(`${path}:${line}: Cannot parse prefix: expected a.b.c.d/len: got ${s}`);
    const [a, b, c, d, len] = m.slice(1).map(Number) as [number, number, number, number, number];
    const prefix = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    entries.push({ prefix, len, value: benchValue(entries.length) });
  }
  return { name, entries };
}

/**
 * Prefix lengths of a generated table, weighted like the real table's histogram but with
 * more /25../32 (1.1%), so that the 8-bit second level is exercised too. No /0.
 */
const LENGTH_WEIGHTS: readonly (readonly [number, number])[] = [
  [8, 16], [9, 13], [10, 38], [11, 103], [12, 299], [13, 581], [14, 1203], [15, 2100],
  [16, 13490], [17, 8235], [18, 13798], [19, 24870], [20, 42611], [21, 50750], [22, 108623],
  [23, 96510], [24, 527698], [25, 2000], [26, 1000], [27, 800], [28, 800], [29, 800],
  [30, 1000], [31, 100], [32, 3500],
];

/** `n` distinct random prefixes (seeded), lengths as LENGTH_WEIGHTS, values as benchValue. */
export function generateTable(n: number, seed: number): BenchTable {
  const rnd = prng(seed);
  const total = LENGTH_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const pickLen = (): number => {
    let r = rnd() % total;
    for (const [len, w] of LENGTH_WEIGHTS) {
      if (r < w) return len;
      r -= w;
    }
    return 24;
  };
  const seen = new Set<number>();
  const entries: LpmEntry[] = [];
  while (entries.length < n) {
    const len = pickLen();
    const prefix = (rnd() & (len === 0 ? 0 : -1 << (32 - len))) >>> 0;
    const key = prefix * 33 + len;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ prefix, len, value: benchValue(entries.length) });
  }
  return { name: `generated-${n}`, entries };
}

/** Queries in a SharedArrayBuffer (the pool then shares them with workers without a copy). */
function sharedAddrs(n: number): Uint32Array<SharedArrayBuffer> {
  return new Uint32Array(new SharedArrayBuffer(n * 4));
}

/** `n` uniformly random addresses. */
export function uniformAddrs(n: number, seed: number): Uint32Array<SharedArrayBuffer> {
  const rnd = prng(seed);
  const a = sharedAddrs(n);
  for (let i = 0; i < n; i++) a[i] = rnd();
  return a;
}

/** `n` addresses each inside a prefix drawn uniformly from the table. */
export function tableAddrs(t: BenchTable, n: number, seed: number): Uint32Array<SharedArrayBuffer> {
  const rnd = prng(seed);
  const a = sharedAddrs(n);
  const es = t.entries;
  for (let i = 0; i < n; i++) {
    const e = es[rnd() % es.length]!;
    const host = e.len === 0 ? rnd() : e.len === 32 ? 0 : rnd() & ((1 << (32 - e.len)) - 1);
    a[i] = (e.prefix + (host >>> 0)) >>> 0;
  }
  return a;
}

/** h = h*31 + answer over all answers, uint32 (the C baseline prints the same). */
export function checksum(out: Uint32Array): number {
  let h = 0;
  for (let i = 0; i < out.length; i++) h = (Math.imul(h, 31) + out[i]!) >>> 0;
  return h;
}

/** A table without its /0 (for competitors that cannot match one). */
export function withoutDefault(t: BenchTable): BenchTable {
  return { name: t.name, entries: t.entries.filter((e) => e.len > 0) };
}
