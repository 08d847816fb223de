// fib_info->fib_metrics: the u32 array ip_metrics_convert() fills (net/ipv4/metrics.c),
// compared whole by fib_find_info() (memcmp) and dumped by rtnetlink_put_metrics()
// (core/rtnetlink.c), which skips zero slots and walks RTAX order.

import { RTAX_CC_ALGO, RTAX_FEATURES, RTAX_FEATURE_MASK, RTAX_MAX } from '../uapi/rtax.js';

/**
 * fib_info->fib_metrics: `vals[type]` for RTAX type 1..17 (index 0 unused); the
 * RTAX_CC_ALGO slot is kept as the algorithm's name in `cc` ('' when none). A fib_info
 * without metrics (dst_default_metrics) has `null` instead.
 */
export interface FibMetrics {
  readonly vals: readonly number[];
  readonly cc: string;
}

/** An all-zero array is dst_default_metrics: the same fib_info identity as none at all. */
export function normaliseMetrics(m: FibMetrics): FibMetrics | null {
  if (m.cc !== '') return m;
  for (let i = 1; i <= RTAX_MAX; i++) if ((m.vals[i] ?? 0) !== 0) return m;
  return null;
}

/** fib_find_info(): memcmp of the two metrics arrays. */
export function sameMetrics(a: FibMetrics | null | undefined, b: FibMetrics | null | undefined): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (a.cc !== b.cc) return false;
  for (let i = 1; i <= RTAX_MAX; i++) if ((a.vals[i] ?? 0) !== (b.vals[i] ?? 0)) return false;
  return true;
}

/** rtnetlink_put_metrics(): the slots a dump carries, in RTAX order (zero slots omitted). */
export function dumpedMetrics(m: FibMetrics | null | undefined): ReadonlyMap<number, number | string> {
  const out = new Map<number, number | string>();
  if (m === null || m === undefined) return out;
  for (let i = 1; i <= RTAX_MAX; i++) {
    if (i === RTAX_CC_ALGO) {
      if (m.cc !== '') out.set(i, m.cc);
      continue;
    }
    let v = m.vals[i] ?? 0;
    if (i === RTAX_FEATURES) v &= RTAX_FEATURE_MASK;
    if (v !== 0) out.set(i, v);
  }
  return out;
}
