// Route metrics (RTA_METRICS) as the kernel keeps them: ip_metrics_convert()
// (net/ipv4/metrics.c) turns the attributes into the u32 array of a fib_info,
// fib_find_info() (fib_semantics.c) compares whole arrays (memcmp), fib_metrics_match()
// compares only the attributes a delete gave, and rtnetlink_put_metrics() (core/rtnetlink.c)
// dumps the non-zero slots in RTAX order.

/** enum RTAX_* (include/uapi/linux/rtnetlink.h). */
export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_WINDOW = 3;
export const RTAX_RTT = 4;
export const RTAX_RTTVAR = 5;
export const RTAX_SSTHRESH = 6;
export const RTAX_CWND = 7;
export const RTAX_ADVMSS = 8;
export const RTAX_REORDERING = 9;
export const RTAX_HOPLIMIT = 10;
export const RTAX_INITCWND = 11;
export const RTAX_FEATURES = 12;
export const RTAX_RTO_MIN = 13;
export const RTAX_INITRWND = 14;
export const RTAX_QUICKACK = 15;
export const RTAX_CC_ALGO = 16;
export const RTAX_FASTOPEN_NO_COOKIE = 17;
export const RTAX_MAX = 17;

/** RTAX_FEATURE_ECN, the only user feature bit iproute2 sets (RTAX_FEATURE_MASK has 4). */
export const RTAX_FEATURE_ECN = 1;
export const RTAX_FEATURE_MASK = 0xf;

/**
 * The congestion control algorithms this kernel has built in (Linux 6.18 here: reno, cubic,
 * bbr; `tcp_available_congestion_control`). tcp_ca_get_key_by_name() would also load a
 * module; this machine has none to load, so any other name is refused.
 */
export const TCP_CA_BUILTIN: readonly string[] = ['reno', 'cubic', 'bbr'];

/** One RTA_METRICS attribute as iproute2 sends it (RTAX_CC_ALGO carries a name). */
export type MetricAttr =
  | { readonly type: number; readonly val: number }
  | { readonly type: typeof RTAX_CC_ALGO; readonly name: string };

/**
 * fib_info->fib_metrics: `vals[type]` for RTAX type 1..17 (index 0 unused); the
 * RTAX_CC_ALGO slot is kept as the algorithm's name in `cc` ('' when none). A fib_info
 * without metrics (dst_default_metrics) has `null` instead.
 */
export interface FibMetrics {
  readonly vals: readonly number[];
  readonly cc: string;
}

export type MetricsError = { readonly errno: 'EINVAL'; readonly extack: string | null };

/**
 * ip_metrics_convert(): the attributes in order (a later one of the same type wins),
 * with the kernel's clamps (advmss ≤ 65495, mtu ≤ 65520, hoplimit ≤ 255). Zero values are
 * stored as zero, which is the same as absent. `known` answers tcp_ca_get_key_by_name().
 */
export function ipMetricsConvert(
  attrs: readonly MetricAttr[] | null,
  known: (name: string) => boolean = (n) => TCP_CA_BUILTIN.includes(n),
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
  return normaliseMetrics({ vals, cc });
}

export function isMetricsError(x: FibMetrics | null | MetricsError): x is MetricsError {
  return x !== null && 'errno' in x;
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
