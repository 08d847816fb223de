// iproute2 6.1 (ip/iproute.c) on route metrics and realms: the metric words of
// iproute_modify() (with `lock`, get_time_rtt() for rtt/rttvar/rto_min) and RTA_FLOW through
// get_rt_realms_or_raw() (ip/rtm_map.c). Printing is in print/rta-metrics.ts.

import { Args, invarg, matches } from './command-context.js';
import { parseUnsigned } from '../uapi/rt-names.js';
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
  RTAX_MTU,
  RTAX_QUICKACK,
  RTAX_REORDERING,
  RTAX_RTO_MIN,
  RTAX_RTT,
  RTAX_RTTVAR,
  RTAX_SSTHRESH,
  RTAX_WINDOW,
  type MetricAttr,
} from '../uapi/rtax.js';
import { REALMS } from '../print/rta-metrics.js';

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

