// Points of a trace as a user names them: `--at 1795236665.864799` (the rtmon clock,
// "sec.usec"), `--at 2026-11-21T04:51:05.864831Z` (ISO, UTC unless it carries a zone or
// an offset is given), `--at @57` (after the 57th notification).

import type { TracePoint } from './replay-run.js';

/** Parses a trace point; a string explains why it is not one. */
export function parseTracePoint(text: string, utcOffsetMinutes = 0): TracePoint | string {
  const n = /^@(\d+)$/.exec(text);
  if (n !== null) return { kind: 'seq', seq: Number(n[1]) };
  const s = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (s !== null) return { kind: 'time', time: { sec: Number(s[1]), usec: Number((s[2] ?? '0').padEnd(6, '0')) } };
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (iso !== null) {
    const [, y, mo, d, h, mi, se, frac, zone] = iso;
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    if (zone === undefined) ms -= utcOffsetMinutes * 60000;
    else if (zone !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
      if (z !== null) ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60000;
    }
    return { kind: 'time', time: { sec: Math.floor(ms / 1000), usec: Number((frac ?? '0').padEnd(6, '0')) } };
  }
  return `expected "sec.usec", an ISO time like 2026-11-21T04:51:05.864831Z, or @N; got "${text}"`;
}
