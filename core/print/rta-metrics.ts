// print_rta_metrics() and print_rta_flow() of iproute2 6.1 (ip/iproute.c): route metrics
// in text ("mtu lock 1400 rtt 12ms congctl bbr ") and JSON, and realms (RTA_FLOW).

import {
  RTAX_CC_ALGO,
  RTAX_FEATURES,
  RTAX_FEATURE_ECN,
  RTAX_LOCK,
  RTAX_MAX,
  RTAX_RTO_MIN,
  RTAX_RTT,
  RTAX_RTTVAR,
} from '../uapi/rtax.js';
import { dumpedMetrics, type FibMetrics } from '../snapshot/fib-metrics.js';
import type { JsonValue } from './json-out.js';

/** mx_names[] of ip/iproute.c, indexed by RTAX type. */
export const MX_NAMES: readonly (string | undefined)[] = [
  undefined,
  undefined,
  'mtu',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'advmss',
  'reordering',
  'hoplimit',
  'initcwnd',
  'features',
  'rto_min',
  'initrwnd',
  'quickack',
  'congctl',
  'fastopen_no_cookie',
];

/** printf("%g") of a double, as print_rta_metrics() prints seconds. */
export function formatG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  const p = x.toPrecision(6);
  if (exp < -4 || exp >= 6) {
    const [mant, e] = x.toExponential(5).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : p;
}

/** The lock bits and values print_rta_metrics() walks (types 2..RTAX_MAX). */
function metricSlots(m: FibMetrics | null | undefined): { lock: number; slots: Map<number, number | string> } {
  const dumped = dumpedMetrics(m);
  const lock = typeof dumped.get(RTAX_LOCK) === 'number' ? (dumped.get(RTAX_LOCK) as number) : 0;
  return { lock, slots: new Map(dumped) };
}

/** Whether print_route() sees an RTA_METRICS nest for these metrics. */
export function hasDumpedMetrics(m: FibMetrics | null | undefined): boolean {
  return dumpedMetrics(m).size > 0;
}

/** print_rta_metrics() in text: "mtu lock 1400 rtt 12ms congctl bbr " (empty when none). */
export function formatMetrics(m: FibMetrics | null | undefined): string {
  const { lock, slots } = metricSlots(m);
  if (slots.size === 0) return '';
  let out = '';
  for (let i = 2; i <= RTAX_MAX; i++) {
    const has = slots.has(i);
    if (!has && (lock & (1 << i)) === 0) continue;
    const raw = slots.get(i);
    let val = typeof raw === 'number' ? raw : 0;
    out += `${MX_NAMES[i] ?? `metric ${i}`} `;
    if ((lock & (1 << i)) !== 0) out += 'lock ';
    if (i === RTAX_FEATURES) {
      let f = val;
      if ((f & RTAX_FEATURE_ECN) !== 0) {
        out += 'ecn ';
        f &= ~RTAX_FEATURE_ECN;
      }
      if (f !== 0) out += `0x${val.toString(16)} `;
    } else if (i === RTAX_RTT || i === RTAX_RTTVAR || i === RTAX_RTO_MIN) {
      if (i === RTAX_RTT) val = Math.floor(val / 8);
      else if (i === RTAX_RTTVAR) val = Math.floor(val / 4);
      out += val >= 1000 ? `${formatG(val / 1e3)}s ` : `${val}ms `;
    } else if (i === RTAX_CC_ALGO) {
      out += `${typeof raw === 'string' ? raw : ''} `;
    } else out += `${val} `;
  }
  return out;
}

/** print_rta_metrics() in JSON: the one object of the "metrics" array, or null when none. */
export function metricsJson(m: FibMetrics | null | undefined): Record<string, JsonValue> | null {
  const { lock, slots } = metricSlots(m);
  if (slots.size === 0) return null;
  const o: Record<string, JsonValue> = {};
  for (let i = 2; i <= RTAX_MAX; i++) {
    if (!slots.has(i) && (lock & (1 << i)) === 0) continue;
    const raw = slots.get(i);
    let val = typeof raw === 'number' ? raw : 0;
    const name = MX_NAMES[i] as string;
    if (i === RTAX_FEATURES) {
      if ((val & RTAX_FEATURE_ECN) !== 0) o['ecn'] = null;
      if ((val & ~RTAX_FEATURE_ECN) !== 0) o['features'] = `0x${val.toString(16)}`;
    } else if (i === RTAX_RTT || i === RTAX_RTTVAR || i === RTAX_RTO_MIN) {
      if (i === RTAX_RTT) val = Math.floor(val / 8);
      else if (i === RTAX_RTTVAR) val = Math.floor(val / 4);
      o[name] = val;
    } else if (i === RTAX_CC_ALGO) {
      o['congestion'] = typeof raw === 'string' ? raw : '';
    } else o[name] = val;
  }
  return o;
}

// ---------------------------------------------------------------- realms (RTA_FLOW)

/**
 * rtnl_rtrealm_tab: iproute2 6.1 reads /etc/iproute2/rt_realms, which names only realm 0
 * ("cosmos") on the machines compared here.
 */
export const REALMS: ReadonlyMap<number, string> = new Map([[0, 'cosmos']]);

/** rtnl_rtrealm_n2a(). */
export function realmN2a(id: number, numeric: boolean): string {
  if (numeric || id >= 256) return String(id);
  return REALMS.get(id) ?? String(id);
}

/** print_rta_flow() in text: "realm 5 " or "realms 3/4 " (empty for 0, which the kernel does not dump). */
export function formatFlow(flow: number, numeric = false): string {
  if (flow === 0) return '';
  const from = flow >>> 16;
  const to = flow & 0xffff;
  return `realm${from !== 0 ? 's' : ''} ${from !== 0 ? `${realmN2a(from, numeric)}/` : ''}${realmN2a(to, numeric)} `;
}

/** print_rta_flow() in JSON: {"from":…,"to":…}. */
export function flowJson(flow: number, numeric = false): Record<string, JsonValue> {
  const from = flow >>> 16;
  const o: Record<string, JsonValue> = {};
  if (from !== 0) o['from'] = realmN2a(from, numeric);
  o['to'] = realmN2a(flow & 0xffff, numeric);
  return o;
}
