// The pieces every `ip monitor` record parser shares: the record's context (line, op, time,
// name tables), the fault and skip values, and a word cursor with the checks of iproute2's
// get_u32() / get_addr() / rtnl_*_a2n() readers. Internal to the ip-monitor readers.

import type { Op, Timestamp } from './netlink-records.js';
import { type Iproute2Names, nameToNumber, parseNumber } from '../uapi/rt-names.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A fault in a record: the line, what was expected, what was found. Internal. */
export class TextFault {
  constructor(readonly line: number, readonly expected: string, readonly problem: string) {}
}

/** A record skipped on purpose. Internal. */
export class Skip {
  constructor(readonly reason: string) {}
}
export interface Ctx {
  readonly line: number;
  readonly op: Op;
  readonly cont: readonly { readonly line: number; readonly text: string }[];
  readonly names: Iproute2Names;
  readonly time: Timestamp | undefined;
}

// Records are built field by field, never with an object spread, which would put them in V8's
// slow dictionary mode; the time stamp is added last.
export function withTime<T extends { time?: Timestamp }>(rec: T, ctx: Ctx): T {
  if (ctx.time !== undefined) rec.time = ctx.time;
  return rec;
}

export function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

// ---- token helpers ----

export class Tokens {
  private i = 0;
  constructor(readonly words: readonly string[], readonly line: number, readonly what: string) {}
  get done(): boolean { return this.i >= this.words.length; }
  peek(k = 0): string | undefined { return this.words[this.i + k]; }
  next(): string | undefined { return this.words[this.i++]; }
  value(key: string): string {
    const v = this.next();
    if (v === undefined) throw this.fault(`a value after "${key}"`, `"${key}" has no value`);
    return v;
  }
  fault(expected: string, problem: string): TextFault {
    return new TextFault(this.line, expected, `Cannot parse ${this.what}: ${problem}`);
  }
}

export function words(s: string): string[] {
  const t = s.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

export function num(t: Tokens, key: string, word: string, max = 0xffffffff): number {
  const n = parseNumber(word, max);
  if (n === undefined) throw t.fault(`a number after "${key}"`, `"${key}" must be a number <= ${max}: got "${word}"`);
  return n;
}

export function named(
  t: Tokens, key: string, word: string, defaults: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, number>> | undefined, max: number, table: string,
): number {
  const n = nameToNumber(word, defaults, extra, max);
  if (n === undefined) {
    throw t.fault(`a number or a name of ${table} after "${key}"`,
      `unknown ${key} "${word}": not a number, and no ${table} file read by this replay names it (the capturing host's name files: a capture's names/ folder, or --names DIR)`);
  }
  return n;
}

export const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function ipv4(t: Tokens, key: string, word: string): string {
  if (!IPV4.test(word)) throw t.fault(`an IPv4 address after "${key}"`, `"${key}" must be an IPv4 address: got "${word}"`);
  return word;
}

/** `A.B.C.D[/LEN]`, `0/LEN` or `all`/`default` (host length 32 when no /LEN). */
export function prefix(t: Tokens, key: string, word: string): { addr?: string; len: number } {
  if (word === 'all' || word === 'default') return { len: 0 };
  const m = /^([^/]+)(?:\/(\d+))?$/.exec(word);
  if (m === null) throw t.fault(`A.B.C.D[/LEN] after "${key}"`, `bad prefix "${word}"`);
  const len = m[2] === undefined ? 32 : Number(m[2]);
  if (len > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${len}`);
  if (m[1] === '0' && m[2] !== undefined) return { len };
  return { addr: ipv4(t, key, m[1] ?? ''), len };
}

export function hasIpv6(ws: readonly string[]): boolean {
  return ws.some((w) => w.includes(':'));
}
