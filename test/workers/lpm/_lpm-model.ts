// Test helpers shared by the LPM and worker tests: a deliberately naive longest-prefix match
// (a scan of every prefix, as fib_table_lookup() would answer if the trie were a list) and
// fast-check arbitraries for prefix sets that overlap, nest and reach past /24.

import fc, { type Arbitrary } from 'fast-check';
import type { LpmChange, LpmEntry } from '../../../workers/lpm/_prefix-index.js';

/** The mask of a prefix length as a uint32. */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** The prefixes of `entries` after dedup (a later duplicate replaces an earlier one). */
export function modelOf(entries: Iterable<LpmEntry>): Map<string, LpmEntry> {
  const m = new Map<string, LpmEntry>();
  for (const e of entries) m.set(`${e.prefix}/${e.len}`, e);
  return m;
}

/** Applies a change to a model. */
export function applyModel(m: Map<string, LpmEntry>, ch: LpmChange): void {
  const key = `${ch.prefix}/${ch.len}`;
  if (ch.type === 'insert') m.set(key, { prefix: ch.prefix, len: ch.len, value: ch.value });
  else m.delete(key);
}

/** The value of the longest prefix in `m` matching `addr`, 0 when none: a linear scan. */
export function naiveLongestMatch(m: Map<string, LpmEntry>, addr: number): number {
  let best = -1;
  let value = 0;
  for (const e of m.values()) {
    if (e.len > best && ((addr & maskOf(e.len)) >>> 0) === e.prefix) {
      best = e.len;
      value = e.value;
    }
  }
  return value;
}

/** Addresses where answers change: each prefix's first and last address and their neighbours. */
export function probeAddresses(m: Map<string, LpmEntry>, extra: readonly number[]): Uint32Array {
  const out: number[] = [...extra];
  for (const e of m.values()) {
    const last = (e.prefix + (2 ** (32 - e.len) - 1)) >>> 0;
    out.push(e.prefix, last, (e.prefix - 1) >>> 0, (last + 1) >>> 0);
  }
  return Uint32Array.from(out);
}

/** A uint32 IPv4 address: uniform, or inside a few busy /8s and /24s so prefixes overlap. */
export function ipv4Addr(): Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc
      .tuple(fc.constantFrom(0, 10, 192, 255), fc.integer({ min: 0, max: 0xffffff }))
      .map(([a, b]) => ((a << 24) | b) >>> 0),
    fc
      .tuple(fc.constantFrom(0x0a0000, 0x0a0001, 0xc0a801, 0xffffff), fc.integer({ min: 0, max: 255 }))
      .map(([a, b]) => ((a << 8) | b) >>> 0),
  );
}

/** A prefix length, favouring the edges: /0, /8, /16, /24, /25, /31, /32. */
export function prefixLen(): Arbitrary<number> {
  return fc.oneof(fc.constantFrom(0, 8, 16, 24, 25, 31, 32), fc.integer({ min: 0, max: 32 }));
}

/** A prefix with host bits zero and a value 1..2^31-1. */
export function lpmEntry(): Arbitrary<LpmEntry> {
  return fc
    .record({
      addr: ipv4Addr(),
      len: prefixLen(),
      value: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 0x7fffffff })),
    })
    .map(({ addr, len, value }) => ({ prefix: (addr & maskOf(len)) >>> 0, len, value }));
}

/** A set of prefixes (duplicates possible: the later wins). */
export function routeSet(maxLength = 60): Arbitrary<LpmEntry[]> {
  return fc.array(lpmEntry(), { maxLength });
}

/**
 * Changes against a route set: inserts of new prefixes, replaces and removes of existing
 * ones (picked by index), and removes of absent ones (no-ops).
 */
export function changesFor(entries: readonly LpmEntry[], maxLength = 30): Arbitrary<LpmChange[]> {
  const existing = entries.length
    ? [
        fc.nat(entries.length - 1).map((i): LpmChange => {
          const e = entries[i]!;
          return { type: 'remove', prefix: e.prefix, len: e.len };
        }),
        fc.tuple(fc.nat(entries.length - 1), fc.integer({ min: 1, max: 64 })).map(
          ([i, v]): LpmChange => {
            const e = entries[i]!;
            return { type: 'insert', prefix: e.prefix, len: e.len, value: v };
          },
        ),
      ]
    : [];
  return fc.array(
    fc.oneof(
      lpmEntry().map((e): LpmChange => ({ type: 'insert', ...e })),
      lpmEntry().map((e): LpmChange => ({ type: 'remove', prefix: e.prefix, len: e.len })),
      ...existing,
    ),
    { maxLength },
  );
}
