// Route metrics as fib_semantics.c and net/ipv4/metrics.c handle a request's RTA_METRICS:
// ip_metrics_convert() (with its clamps and the congestion control lookup) when a route is
// created, fib_metrics_match() when a delete names metrics.

import {
  RTAX_ADVMSS,
  RTAX_CWND,
  RTAX_FEATURES,
  RTAX_FEATURE_MASK,
  RTAX_HOPLIMIT,
  RTAX_LOCK,
  RTAX_MAX,
  RTAX_MTU,
  TCP_CA_BUILTIN,
  type MetricAttr,
} from '../uapi/rtax.js';
import { normaliseMetrics, type FibMetrics } from '../snapshot/fib-metrics.js';

/** tcp_ca_get_key_by_name() for the built-in algorithms (a module constant: a default parameter's arrow was made on every call). */
const builtinCa = (n: string): boolean => TCP_CA_BUILTIN.includes(n);

export type MetricsError = { readonly errno: 'EINVAL'; readonly extack: string | null };

/**
 * ip_metrics_convert(): the attributes in order (a later one of the same type wins),
 * with the kernel's clamps (advmss ≤ 65495, mtu ≤ 65520, hoplimit ≤ 255). Zero values are
 * stored as zero, which is the same as absent. `known` answers tcp_ca_get_key_by_name().
 */
export function ipMetricsConvert(
  attrs: readonly MetricAttr[] | null,
  known: (name: string) => boolean = builtinCa,
): FibMetrics | null | MetricsError {
  if (attrs === null || attrs.length === 0) return null;
  const vals = new Array<number>(RTAX_MAX + 1).fill(0);
  let cc = '';
  for (const a of attrs) {
    if (a.type === 0) continue;
    if (a.type > RTAX_MAX) return { errno: 'EINVAL', extack: null };
    if ('name' in a) {
      if (!known(a.name)) return { errno: 'EINVAL', extack: 'Unknown tcp congestion algorithm' };
      cc = a.name;
      continue;
    }
    let val = a.val >>> 0;
    if (a.type === RTAX_ADVMSS && val > 65535 - 40) val = 65535 - 40;
    if (a.type === RTAX_MTU && val > 65535 - 15) val = 65535 - 15;
    if (a.type === RTAX_HOPLIMIT && val > 255) val = 255;
    if (a.type === RTAX_FEATURES && (val & ~RTAX_FEATURE_MASK) !== 0) {
      return { errno: 'EINVAL', extack: 'Unknown flag set in feature mask in metrics attribute' };
    }
    vals[a.type] = val;
  }
  // ip_metrics_convert() (Linux 6.18): a locked congestion window of 0 is refused, before
  // any nexthop is looked at (found by the differential, seed 1206)
  if ((((vals[RTAX_LOCK] ?? 0) >>> RTAX_CWND) & 1) !== 0 && vals[RTAX_CWND] === 0) return { errno: 'EINVAL', extack: 'Locked cwnd metric must be non zero' };
  return normaliseMetrics({ vals, cc });
}

export function isMetricsError(x: FibMetrics | null | MetricsError): x is MetricsError {
  return x !== null && 'errno' in x;
}

/**
 * fib_metrics_match(): every attribute a delete gave must equal the route's slot, compared
 * raw (no clamping; RTAX_FEATURES without the kernel's own DST_FEATURE_ECN_CA bit).
 */
export function fibMetricsMatch(attrs: readonly MetricAttr[] | null, m: FibMetrics | null | undefined): boolean {
  if (attrs === null) return true;
  for (const a of attrs) {
    if (a.type === 0) continue;
    if (a.type > RTAX_MAX) return false;
    if ('name' in a) {
      // An unknown name gives TCP_CA_UNSPEC (0), which matches only a route without one.
      const want = TCP_CA_BUILTIN.includes(a.name) ? a.name : '';
      if ((m?.cc ?? '') !== want) return false;
      continue;
    }
    if ((m?.vals[a.type] ?? 0) !== a.val >>> 0) return false;
  }
  return true;
}

