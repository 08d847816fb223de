// The versions a FibLpmCompiler (fib-lpm.ts) makes and the lineage they share: how each was
// made (full, incremental, unchanged), the compiler's tunables, and the test for whether
// two snapshots differ in more than routes (then only a full compile is right).
// Internal to fib-lpm.ts.

import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { sameRtCacheShare } from '../../core/route/rt-cache-output.js';
import { AnswerTable, type LookupProgram, type LookupView } from './compile.js';
import type { LpmChange } from '../lpm/_prefix-index.js';
import { type PoptrieTable } from '../lpm/poptrie.js';
import type { Ip4 } from '../../core/net/ip4.js';
import { type Regions } from './_regions.js';

/** How a version was made. */
export type CompileMode = 'full' | 'incremental' | 'unchanged';

/** One compiled version: the flattened table and where it came from. */
export interface FibLpmVersion {
  readonly snapshot: FibSnapshot;
  readonly table: PoptrieTable;
  readonly mode: CompileMode;
  /** Incremental: the LPM changes applied; full: the prefixes compiled. */
  readonly changes: number;
  /** Why a full compile was needed (absent otherwise). */
  readonly reason?: string;
  /** Full compile: how many tables' leaves were reused as they were, patched from a diff, or walked. */
  readonly columns?: { readonly cached: number; readonly patched: number; readonly walked: number };
  /** Full compile: a fresh poptrie, or the last one patched with the regions that differ. */
  readonly lpm?: 'built' | 'patched';
}

/** Tunables of the compiler. */
export interface FibLpmOptions {
  /** Changed table prefixes beyond which a full compile is cheaper (default 20,000). */
  readonly maxDiff?: number;
  /** Regions to recompute beyond which a full compile is cheaper (default 50,000). */
  readonly maxRecompute?: number;
  /** Never compile incrementally (for comparisons). */
  readonly incremental?: boolean;
}

/** What a lineage of incremental versions shares, but its newest table. */
export interface LineageCore {
  snapshot: FibSnapshot;
  readonly at: AnswerTable;
  readonly program: LookupProgram;
  readonly programKey: string;
  readonly views: readonly LookupView[];
  /** The rule prefixes that bound regions (and 0/0), as key dst * 64 + len. */
  readonly anchors: ReadonlySet<number>;
  readonly anchorList: readonly { readonly dst: Ip4; readonly len: number }[];
  /** (answer, table) -> code. */
  readonly codes: Map<number | string, number>;
}

/** A lineage with its newest table. */
export interface Lineage extends LineageCore {
  head: PoptrieTable;
  /** The regions of the last full compile (depth-first), or null once `log` grew too long. */
  built: Regions | null;
  /** The LPM changes applied since (incremental compiles), in order. */
  readonly log: LpmChange[];
}

/** Incremental changes kept for the next full compile's diff, at most (beyond: rebuild). */
export const MAX_LOG = 100_000;


/** Whether the events between two snapshots changed more than routes. */
export function envChange(a: FibSnapshot, b: FibSnapshot): string | null {
  if (a.devices !== b.devices) return 'devices changed';
  if (a.confAll !== b.confAll || a.confDefault !== b.confDefault) return 'devconf changed';
  if (a.rules !== b.rules || a.customRules !== b.customRules) return 'rules changed';
  if (a.nexthops !== b.nexthops) return 'nexthop objects changed';
  // An answer's source address (nh_saddr, core/route/nh-saddr.ts) reads the marks a route
  // request leaves on a new fib_info (noteNhSaddr()): a route event that adds one changes
  // the answer of every route sharing that fib_info, which an incremental compile keyed by
  // the changed prefixes would keep stale (a route_localnet gap routeGet() does not name).
  if (a.saddrMarks !== b.saddrMarks) return 'nh_saddr marks changed';
  if (a.ipv4Sysctl !== b.ipv4Sysctl) return 'net.ipv4 sysctls changed';
  // An answer names the per-CPU cached route another kind of destination may leave in its
  // nexthop (core/route/rt-cache-output.ts): a route event elsewhere (224.0.0.0/4 added
  // beside 10.11.0.0/16, one fib_info) changes that for routes whose prefixes did not
  // change. The same nexthops named in both: every alias answers as before.
  if (!sameRtCacheShare(a, b)) return 'the nexthops where output routes of two kinds are cached changed';
  return null;
}
