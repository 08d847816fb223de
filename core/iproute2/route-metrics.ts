// iproute2 6.1 (ip/iproute.c) on route metrics and realms: the metric words of
// iproute_modify() (with `lock`, get_time_rtt() for rtt/rttvar/rto_min), print_rta_metrics()
// in text and JSON, and RTA_FLOW through get_rt_realms_or_raw() / print_rta_flow().

import { Args, invarg, matches } from './command-context.js';
import { parseUnsigned } from '../print/names.js';
import {
  RTAX_ADVMSS,
  RTAX_CC_ALGO,
  RTAX_CWND,
  RTAX_FASTOPEN_NO_COOKIE,
  RTAX_FEATURES,
  RTAX_FEATURE_ECN,
  RTAX_HOPLIMIT,
  RTAX_INITCWND,
  RTAX_INITRWND,
  RTAX_LOCK,
  RTAX_MAX,
  RTAX_MTU,
  RTAX_QUICKACK,
  RTAX_REORDERING,
  RTAX_RTO_MIN,
  RTAX_RTT,
  RTAX_RTTVAR,
  RTAX_SSTHRESH,
  RTAX_WINDOW,
  dumpedMetrics,
  type FibMetrics,
  type MetricAttr,
} from '../semantics/fib-metrics.js';
import type { JsonValue } from '../print/json-out.js';

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

/** The RTA_METRICS nest being built (mxrta + mxlock of iproute_modify()). */
export class MetricsBuilder {
  private readonly attrs: MetricAttr[] = [];
  private lock = 0;
  add(type: number, val: number): void {
    this.attrs.push({ type, val });
  }
  /** The nest as sent: the attributes in order, then RTAX_LOCK when a lock was asked; null when empty. */
  result(): readonly MetricAttr[] | null {
    if (this.attrs.length === 0) return null;
    return this.lock !== 0 ? [...this.attrs, { type: RTAX_LOCK, val: this.lock }] : [...this.attrs];
  }
  /** `WORD [lock] VALUE`: a `lock` word sets the type's bit. */
  locked(a: Args, type: number): string {
    let v = a.next();
    if (v === 'lock') {
      this.lock |= 1 << type;
      v = a.next();
    }
    return v;
  }
  setLock(type: number): void {
    this.lock |= 1 << type;
  }
  cc(name: string): void {
    this.attrs.push({ type: RTAX_CC_ALGO, name });
  }
}

/**
 * get_time_rtt() (lib/utils.c): a number (strtoul base 0, or strtod when it has a dot)
 * with an optional s/sec/secs or ms/msec/msecs suffix; raw when there is no suffix.
 * The value is rounded up, as the function's ceil() emulation does.
 */
export function getTimeRtt(word: string): { val: number; raw: boolean } | undefined {
  let t: number;
  let rest: string;
  if (word.includes('.')) {
    const m = /^\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(.*)$/.exec(word);
    if (m === null) return undefined;
    t = Number(m[1]);
    if (t < 0) return undefined;
    rest = m[2] as string;
  } else {
    const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(.*)$/.exec(word);
    if (m === null) return undefined;
    const n = m[1] as string;
    t = /^0[xX]/.test(n) ? parseInt(n.slice(2), 16) : n.startsWith('0') ? parseInt(n, 8) || 0 : parseInt(n, 10);
    rest = m[2] as string;
  }
  let raw = true;
  if (rest !== '') {
    raw = false;
    const s = rest.toLowerCase();
    if (s === 's' || s === 'sec' || s === 'secs') t *= 1000;
    else if (s !== 'ms' && s !== 'msec' && s !== 'msecs') return undefined;
  }
  // *val = t (a C double to unsigned conversion), then the ceil emulation.
  let val = Math.trunc(t) >>> 0;
  if (val < t) val = (val + 1) >>> 0;
  return { val, raw };
}

function unsignedOr(word: string, msg: string): number {
  const v = parseUnsigned(word);
  if (v === undefined) invarg(msg, word);
  return v;
}

/**
 * One metric keyword of iproute_modify(), in iproute2's order of tests (so that
 * abbreviations resolve as it resolves them); returns false for any other word.
 * Words tested before these in iproute_modify (src, via, tos, metric, scope …) must be
 * handled by the caller first.
 */
export function parseMetricWord(a: Args, w: string, mx: MetricsBuilder): boolean {
  if (w === 'mtu') {
    const v = mx.locked(a, RTAX_MTU);
    mx.add(RTAX_MTU, unsignedOr(v, '"mtu" value is invalid\n'));
  } else if (w === 'hoplimit') {
    const v = mx.locked(a, RTAX_HOPLIMIT);
    const n = parseUnsigned(v);
    if (n === undefined || n > 255) invarg('"hoplimit" value is invalid\n', v);
    mx.add(RTAX_HOPLIMIT, n);
  } else if (w === 'advmss') {
    const v = mx.locked(a, RTAX_ADVMSS);
    mx.add(RTAX_ADVMSS, unsignedOr(v, '"mss" value is invalid\n'));
  } else if (matches(w, 'reordering')) {
    const v = mx.locked(a, RTAX_REORDERING);
    mx.add(RTAX_REORDERING, unsignedOr(v, '"reordering" value is invalid\n'));
  } else if (w === 'rtt') {
    const v = mx.locked(a, RTAX_RTT);
    const r = getTimeRtt(v);
    if (r === undefined) invarg('"rtt" value is invalid\n', v);
    mx.add(RTAX_RTT, r.raw ? r.val : (r.val * 8) >>> 0);
  } else if (w === 'rto_min') {
    const v = a.next();
    mx.setLock(RTAX_RTO_MIN);
    const r = getTimeRtt(v);
    if (r === undefined) invarg('"rto_min" value is invalid\n', v);
    mx.add(RTAX_RTO_MIN, r.val);
  } else if (matches(w, 'window')) {
    const v = mx.locked(a, RTAX_WINDOW);
    mx.add(RTAX_WINDOW, unsignedOr(v, '"window" value is invalid\n'));
  } else if (matches(w, 'cwnd')) {
    const v = mx.locked(a, RTAX_CWND);
    mx.add(RTAX_CWND, unsignedOr(v, '"cwnd" value is invalid\n'));
  } else if (matches(w, 'initcwnd')) {
    const v = mx.locked(a, RTAX_INITCWND);
    mx.add(RTAX_INITCWND, unsignedOr(v, '"initcwnd" value is invalid\n'));
  } else if (matches(w, 'initrwnd')) {
    const v = mx.locked(a, RTAX_INITRWND);
    mx.add(RTAX_INITRWND, unsignedOr(v, '"initrwnd" value is invalid\n'));
  } else if (matches(w, 'features')) {
    const v = a.next();
    if (v !== 'ecn') invarg('"features" value not valid\n', v);
    mx.add(RTAX_FEATURES, RTAX_FEATURE_ECN);
  } else if (matches(w, 'quickack')) {
    const v = a.next();
    const n = unsignedOr(v, '"quickack" value is invalid\n');
    if (n !== 0 && n !== 1) invarg('"quickack" value should be 0 or 1\n', v);
    mx.add(RTAX_QUICKACK, n);
  } else if (matches(w, 'congctl')) {
    let v = a.next();
    if (v === 'lock') {
      mx.setLock(RTAX_CC_ALGO);
      v = a.next();
    }
    mx.cc(v);
  } else if (matches(w, 'rttvar')) {
    const v = mx.locked(a, RTAX_RTTVAR);
    const r = getTimeRtt(v);
    if (r === undefined) invarg('"rttvar" value is invalid\n', v);
    mx.add(RTAX_RTTVAR, r.raw ? r.val : (r.val * 4) >>> 0);
  } else if (matches(w, 'ssthresh')) {
    const v = mx.locked(a, RTAX_SSTHRESH);
    mx.add(RTAX_SSTHRESH, unsignedOr(v, '"ssthresh" value is invalid\n'));
  } else return false;
  return true;
}

/** `fastopen_no_cookie 0|1`, tested late in iproute_modify() (after dev, table …). */
export function parseFastopenNoCookie(a: Args, mx: MetricsBuilder): void {
  const v = a.next();
  const n = unsignedOr(v, '"fastopen_no_cookie" value is invalid\n');
  if (n !== 0 && n !== 1) invarg('"fastopen_no_cookie" value should be 0 or 1\n', v);
  mx.add(RTAX_FASTOPEN_NO_COOKIE, n);
}

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
const REALMS: ReadonlyMap<number, string> = new Map([[0, 'cosmos']]);

/** rtnl_rtrealm_a2n(). */
function realmA2n(word: string): number | undefined {
  for (const [n, name] of REALMS) if (name === word) return n;
  return parseUnsigned(word, 255);
}

/** get_rt_realms_or_raw() (ip/rtm_map.c): "FROM/TO", "TO", or any u32. */
export function getRtRealmsOrRaw(word: string): number | undefined {
  const slash = word.indexOf('/');
  let ok = true;
  let realms = 0;
  let to = word;
  if (slash >= 0) {
    const from = realmA2n(word.slice(0, slash));
    if (from === undefined) ok = false;
    else realms = (from << 16) >>> 0;
    to = word.slice(slash + 1);
  }
  if (ok && to !== '') {
    const t = realmA2n(to);
    if (t === undefined) ok = false;
    else realms = (realms | t) >>> 0;
  }
  if (ok) return realms;
  return parseUnsigned(word);
}

/** rtnl_rtrealm_n2a(). */
function realmN2a(id: number, numeric: boolean): string {
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
