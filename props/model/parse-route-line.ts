// A small parser for `ip route show` lines as iproute2 6.1 prints them (print_route): the
// inverse of the printer, for the print-then-parse round trip.

import { parseIp4, type Ip4 } from '../../core/net/ip4.js';
import { dsfieldNumber, protoNumber, scopeNumber, tableNumber } from '../../core/uapi/rt-names.js';

export interface ParsedLeg {
  readonly gw: Ip4 | null;
  /** `via inet6 ADDR` (RTA_VIA, an IPv6 gateway), as printed. */
  readonly gw6: string | null;
  readonly dev: string | null;
  readonly weight: number;
  readonly flags: readonly string[];
}

export interface ParsedRoute {
  readonly type: string;
  readonly dst: Ip4;
  readonly plen: number;
  readonly nhid: number;
  readonly tos: number;
  readonly table: number;
  readonly protocol: number;
  readonly scope: number;
  readonly prefsrc: Ip4;
  readonly metric: number;
  /** Single path: one leg (possibly without gw and dev); multipath: the `nexthop` lines. */
  readonly legs: readonly ParsedLeg[];
  readonly multipath: boolean;
  /** The flags on the first line. */
  readonly routeFlags: readonly string[];
  /** The RTA_METRICS words printed, in order, each with " lock" when locked (values not kept). */
  readonly metricKeys: readonly string[];
}

// print_rta_metrics()'s names; realm words (print_rta_flow) are read and not kept.
const METRICS = new Set(['mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack', 'congctl', 'fastopen_no_cookie']);

const TYPES = new Set(['local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve', 'unicast']);
const FLAGS = new Set(['dead', 'onlink', 'pervasive', 'offload', 'trap', 'notify', 'linkdown', 'unresolved']);

function need<T>(v: T | undefined, what: string, line: string): T {
  if (v === undefined) throw new Error(`Cannot parse route line: ${what}: ${JSON.stringify(line)}`);
  return v;
}

/** Parses one route (its first line plus any `\tnexthop` lines). Throws on anything unexpected. */
export function parseRouteLine(text: string): ParsedRoute {
  const [first = '', ...rest] = text.replace(/\n$/, '').split('\n');
  const w = first.split(' ').filter((x) => x !== '');
  let i = 0;
  let type = 'unicast';
  if (TYPES.has(w[0] ?? '')) type = w[i++] as string;
  const dstWord = need(w[i++], 'destination', text);
  let dst: Ip4;
  let plen: number;
  if (dstWord === 'default') {
    dst = 0;
    plen = 0;
  } else {
    const [a, l] = dstWord.split('/');
    dst = need(parseIp4(a ?? ''), 'address', text);
    plen = l === undefined ? 32 : Number(l);
  }
  const r = { nhid: 0, tos: 0, table: 254, protocol: 3, scope: 0, prefsrc: 0, metric: 0 };
  let gw: Ip4 | null = null;
  let gw6: string | null = null;
  let dev: string | null = null;
  const flags: string[] = [];
  const metricKeys: string[] = [];
  while (i < w.length) {
    const k = w[i++] as string;
    if (FLAGS.has(k)) {
      flags.push(k);
      continue;
    }
    if (METRICS.has(k)) {
      const locked = w[i] === 'lock';
      if (locked) i++;
      const v = need(w[i++], `value of ${k}`, text);
      if (k === 'features' && v === 'ecn' && (w[i] ?? '').startsWith('0x')) i++;
      metricKeys.push(locked ? `${k} lock` : k);
      continue;
    }
    if (k === 'realm' || k === 'realms') {
      need(w[i++], `value of ${k}`, text);
      continue;
    }
    const v = need(w[i++], `value of ${k}`, text);
    switch (k) {
      case 'nhid':
        r.nhid = Number(v);
        break;
      case 'tos':
        r.tos = need(dsfieldNumber(v), 'tos', text);
        break;
      case 'via':
        if (v === 'inet6') gw6 = need(w[i++], 'IPv6 gateway', text);
        else gw = need(parseIp4(v), 'gateway', text);
        break;
      case 'dev':
        dev = v;
        break;
      case 'table':
        r.table = need(tableNumber(v), 'table', text);
        break;
      case 'proto':
        r.protocol = need(protoNumber(v), 'proto', text);
        break;
      case 'scope':
        r.scope = need(scopeNumber(v), 'scope', text);
        break;
      case 'src':
        r.prefsrc = need(parseIp4(v), 'src', text);
        break;
      case 'metric':
        r.metric = Number(v);
        break;
      default:
        throw new Error(`Cannot parse route line: unknown word ${JSON.stringify(k)}: ${JSON.stringify(text)}`);
    }
  }
  const legs: ParsedLeg[] = [];
  for (const l of rest) {
    const lw = l.replace(/^\tnexthop /, '').split(' ').filter((x) => x !== '');
    if (!l.startsWith('\tnexthop ')) throw new Error(`Cannot parse route line: expected a nexthop line: ${JSON.stringify(l)}`);
    let lgw: Ip4 | null = null;
    let lgw6: string | null = null;
    let ldev: string | null = null;
    let weight = 1;
    const lflags: string[] = [];
    for (let j = 0; j < lw.length; ) {
      const k = lw[j++] as string;
      if (FLAGS.has(k)) lflags.push(k);
      else if (k === 'via' && lw[j] === 'inet6') {
        lgw6 = need(lw[j + 1], 'leg IPv6 gateway', text);
        j += 2;
      } else if (k === 'via') lgw = need(parseIp4(lw[j++] ?? ''), 'leg gateway', text);
      else if (k === 'dev') ldev = need(lw[j++], 'leg dev', text);
      else if (k === 'weight') weight = Number(lw[j++]);
      else if (k === 'realm' || k === 'realms') j++;
      else throw new Error(`Cannot parse route line: unknown leg word ${JSON.stringify(k)}`);
    }
    legs.push({ gw: lgw, gw6: lgw6, dev: ldev, weight, flags: lflags });
  }
  const multipath = legs.length > 0;
  if (!multipath) legs.push({ gw, gw6, dev, weight: 1, flags });
  return { type, dst, plen, ...r, legs, multipath, routeFlags: flags, metricKeys };
}
