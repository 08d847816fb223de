// Checking `unknown` JSON against a shape, every problem named by its JSON path
// (`$.route[3].dst`): the combinators ip-json.ts builds the `ip -j` shapes from. A bad
// element is left out and reported, never silently dropped. Internal to core/trace.

import type { JsonPathError } from './ip-json-types.js';

// ---- validators ----

export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

export interface Cx {
  readonly errors: JsonPathError[];
  readonly skipped: Record<string, number>;
  readonly file: string | undefined;
}

export type Check<T> = (v: unknown, path: string, cx: Cx) => T | Invalid;
export type Shape = Readonly<Record<string, Check<unknown>>>;
export type Out<C> = C extends Check<infer T> ? T : never;
export type Obj<R extends Shape, O extends Shape> =
  { readonly [K in keyof R]: Out<R[K]> } & { readonly [K in keyof O]?: Out<O[K]> };

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export function fail(cx: Cx, path: string, expected: string, got: unknown): Invalid {
  const prefix = cx.file === undefined ? '' : `${cx.file}: `;
  cx.errors.push({ path, expected, message: `${prefix}${path}: expected ${expected}, got ${describe(got)}` });
  return INVALID;
}

export function skip(cx: Cx, reason: string): void {
  cx.skipped[reason] = (cx.skipped[reason] ?? 0) + 1;
}

export const str: Check<string> = (v, p, cx) => (typeof v === 'string' ? v : fail(cx, p, 'a string', v));
export const int: Check<number> = (v, p, cx) =>
  (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(cx, p, 'an integer', v));
export const bool: Check<boolean> = (v, p, cx) => (typeof v === 'boolean' ? v : fail(cx, p, 'a boolean', v));
export const nul: Check<null> = (v, p, cx) => (v === null ? null : fail(cx, p, 'null (a flag)', v));
export const strOrNull: Check<string | null> = (v, p, cx) =>
  (v === null || typeof v === 'string' ? v : fail(cx, p, 'a string or null', v));
export const strOrInt: Check<string | number> = (v, p, cx) =>
  (typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v)) ? v : fail(cx, p, 'a string or an integer', v));
export const anyArray: Check<readonly unknown[]> = (v, p, cx) => (Array.isArray(v) ? v : fail(cx, p, 'an array', v));
/** The keys print_rta_metrics() writes in JSON, and what each holds. */
export const METRIC_KEYS: Readonly<Record<string, 'number' | 'string' | 'null'>> = {
  mtu: 'number', window: 'number', rtt: 'number', rttvar: 'number', ssthresh: 'number', cwnd: 'number',
  advmss: 'number', reordering: 'number', hoplimit: 'number', initcwnd: 'number', ecn: 'null',
  features: 'string', rto_min: 'number', initrwnd: 'number', quickack: 'number', congestion: 'string',
  fastopen_no_cookie: 'number',
};
export const metricsRecord: Check<Readonly<Record<string, number | string | null>>> = (v, p, cx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, 'an object of route metrics', v);
  const out: Record<string, number | string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    const want = METRIC_KEYS[k];
    if (want === undefined) return fail(cx, `${p}.${k}`, `a route metric (${Object.keys(METRIC_KEYS).join(', ')})`, k);
    if (want === 'null' ? x !== null : typeof x !== want) return fail(cx, `${p}.${k}`, want === 'null' ? 'null (a flag)' : `a ${want}`, x);
    out[k] = x as number | string | null;
  }
  return out;
};
export const numberRecord: Check<Readonly<Record<string, number>>> = (v, p, cx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, 'an object of numbers', v);
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'number') return fail(cx, `${p}.${k}`, 'a number', x);
    out[k] = x;
  }
  return out;
};

/**
 * An array whose invalid items are reported and left out; `keep` may return a skip reason
 * for a valid item that is deliberately not kept.
 */
export function arr<T>(item: Check<T>, keep?: (raw: unknown, t: T) => string | undefined, sources?: number[]): Check<T[]> {
  return (v, p, cx) => {
    if (!Array.isArray(v)) return fail(cx, p, 'an array', v);
    const out: T[] = [];
    v.forEach((x: unknown, i: number) => {
      const r = item(x, `${p}[${i}]`, cx);
      if (r === INVALID) return;
      const reason = keep?.(x, r);
      if (reason !== undefined) skip(cx, reason);
      else {
        out.push(r);
        // Where the kept element was in the input, for messages about it later.
        sources?.push(i);
      }
    });
    return out;
  };
}

/** A plain array of checked items where one bad item invalidates the whole (flags, groups). */
export function list<T>(item: Check<T>): Check<T[]> {
  return (v, p, cx) => {
    if (!Array.isArray(v)) return fail(cx, p, 'an array', v);
    const out: T[] = [];
    let bad = false;
    v.forEach((x: unknown, i: number) => {
      const r = item(x, `${p}[${i}]`, cx);
      if (r === INVALID) bad = true;
      else out.push(r);
    });
    return bad ? INVALID : out;
  };
}

export function obj<R extends Shape, O extends Shape>(name: string, required: R, optional: O): Check<Obj<R, O>> {
  return (v, p, cx) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(cx, p, `a ${name} object`, v);
    const src = v as Readonly<Record<string, unknown>>;
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const [k, check] of Object.entries(required)) {
      if (!Object.hasOwn(src, k)) {
        fail(cx, `${p}.${k}`, `the key "${k}" of a ${name}`, undefined);
        bad = true;
        continue;
      }
      const r = check(src[k], `${p}.${k}`, cx);
      if (r === INVALID) bad = true;
      else out[k] = r;
    }
    for (const [k, x] of Object.entries(src)) {
      if (Object.hasOwn(required, k)) continue;
      const check = Object.hasOwn(optional, k) ? optional[k] : undefined;
      if (check === undefined) {
        skip(cx, `unknown key ${name}.${k}`);
        continue;
      }
      const r = check(x, `${p}.${k}`, cx);
      if (r === INVALID) bad = true;
      else out[k] = r;
    }
    // The keys are exactly those of R (required, all checked) and O (optional, checked).
    return bad ? INVALID : (out as Obj<R, O>);
  };
}
