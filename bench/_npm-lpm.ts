// The npm package `longest-prefix-match` (v1.x) as a competitor: what a JavaScript user would
// pick today for IPv4 longest-prefix match.
//
// Why: the issue asks for the engine's rate as a multiple of the best npm library. The
// package takes prefixes and queries as strings ("a.b.c.d/32"), returns the payloads of the
// longest match, and matched no /0 route when tried, so it is given tables without one.

import { createRequire } from 'node:module';
import type { BenchTable } from './_tables.js';
import { formatIp, formatPrefix } from './_tables.js';

interface LongestPrefixMatch {
  addPrefix(prefix: string, payload: number): void;
  getMatch(prefix: string): unknown;
}

type Ctor = new () => LongestPrefixMatch;

function isCtor(x: unknown): x is Ctor {
  return typeof x === 'function';
}

/** The package's constructor, or why it cannot be loaded. */
export function loadNpmLpm(): Ctor | string {
  try {
    const mod: unknown = createRequire(import.meta.url)('longest-prefix-match');
    return isCtor(mod) ? mod : 'longest-prefix-match: unexpected export';
  } catch (err) {
    // A development dependency of kfib: absent from an installed package unless asked for.
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return 'longest-prefix-match is not installed (npm i longest-prefix-match): skipped';
    return `longest-prefix-match cannot be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

/** A built competitor: lookups over query strings. */
export interface NpmLpm {
  readonly buildMs: number;
  /** The value of the longest match for "a.b.c.d/32", 0 when none. */
  lookup(query: string): number;
}

/** Builds the package's structure from a table (which should have no /0). */
export function buildNpmLpm(Lpm: Ctor, t: BenchTable): NpmLpm {
  const t0 = performance.now();
  const l = new Lpm();
  for (const e of t.entries) l.addPrefix(formatPrefix(e), e.value);
  const buildMs = performance.now() - t0;
  return {
    buildMs,
    lookup(query: string): number {
      const r = l.getMatch(query);
      if (!Array.isArray(r) || r.length === 0) return 0;
      const v: unknown = r[0];
      return typeof v === 'number' ? v : 0;
    },
  };
}

/** Queries as the package takes them. */
export function npmQueries(addrs: Uint32Array): string[] {
  return Array.from(addrs, (a) => `${formatIp(a)}/32`);
}
