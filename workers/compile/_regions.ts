// The regions of a full compile as columns (fib-lpm.ts), and what keeps them comparable
// with the next full compile: the changes applied since, replayed, and the difference of two
// region lists as LPM changes.
//
// Why: after an address, sysctl, link or rule event only the answers of a few regions
// change; patching the last poptrie with those differences is far cheaper than building a
// new one (as fib_table_flush() touches only the aliases it removes).

import type { LpmChange } from '../lpm/_prefix-index.js';
import type { Ip4 } from '../../core/net/ip4.js';

/** Regions as columns: prefix, length, code; depth-first order. */
export interface Regions {
  readonly n: number;
  readonly p: Uint32Array;
  readonly l: Uint8Array;
  readonly v: Int32Array;
}

export const prefixKey = (dst: Ip4, len: number): number => dst * 64 + len;

/** The regions after a log of changes (the last change of a prefix wins), depth-first. */
export function replayLog(r: Regions, log: readonly LpmChange[]): Regions {
  if (log.length === 0) return r;
  const last = new Map<number, LpmChange>();
  for (const ch of log) last.set(prefixKey(ch.prefix, ch.len), ch);
  const keys = [...last.keys()].sort((x, y) => x - y);
  const cap = r.n + keys.length;
  const p = new Uint32Array(cap);
  const l = new Uint8Array(cap);
  const v = new Int32Array(cap);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < r.n || j < keys.length) {
    const ki = i < r.n ? prefixKey(r.p[i]!, r.l[i]!) : Infinity;
    const kj = j < keys.length ? keys[j]! : Infinity;
    if (ki < kj) {
      p[n] = r.p[i]!;
      l[n] = r.l[i]!;
      v[n] = r.v[i]!;
      n++;
      i++;
      continue;
    }
    if (ki === kj) i++;
    const ch = last.get(kj)!;
    j++;
    if (ch.type === 'insert') {
      p[n] = ch.prefix;
      l[n] = ch.len;
      v[n] = ch.value;
      n++;
    }
  }
  return { n, p, l, v };
}

/** The changes that turn regions `a` into `b` (both depth-first), or null when more than `max`. */
export function diffRegions(a: Regions, b: Regions, max: number): LpmChange[] | null {
  const out: LpmChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.n || j < b.n) {
    const ka = i < a.n ? prefixKey(a.p[i]!, a.l[i]!) : Infinity;
    const kb = j < b.n ? prefixKey(b.p[j]!, b.l[j]!) : Infinity;
    if (ka === kb) {
      if (a.v[i] !== b.v[j]) out.push({ type: 'insert', prefix: b.p[j]!, len: b.l[j]!, value: b.v[j]! });
      i++;
      j++;
    } else if (ka < kb) {
      out.push({ type: 'remove', prefix: a.p[i]!, len: a.l[i]! });
      i++;
    } else {
      out.push({ type: 'insert', prefix: b.p[j]!, len: b.l[j]!, value: b.v[j]! });
      j++;
    }
    if (out.length > max) return null;
  }
  return out;
}
