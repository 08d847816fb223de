// Fuzz properties of the three readers: whatever the input (random bytes, random text, random
// JSON, or mutations and truncations of the fixtures), a reader returns; it never throws and
// never hangs, and its output is a well-formed stream: records in input order, at most one
// fatal error, which is the last record before `end`. fc.assert prints the seed and the
// shrunk counterexample of any failure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RtmonDecoder, type RtmonOptions } from '../../core/trace/rtmon.js';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { parseIpMonitor, type IpMonitorOptions } from '../../core/trace/ip-monitor.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import type { TraceRecord } from '../../core/trace/netlink-records.js';
import { readJson, readMonitor, readRtmon } from './_fixtures.js';

const SMALL = ['01-addr-del-policy-route', '04-secondary-promotion', '09-rules-route-types', '10-nexthop-objects'];
const RTMON = new Map(SMALL.map((n) => [n, readRtmon(n)]));
const MONITOR = new Map(SMALL.map((n) => [n, readMonitor(n)]));

/** The stream invariants every reader output satisfies. */
function assertWellFormed(rs: readonly TraceRecord[], size: number, pos: 'offset' | 'line'): void {
  const end = rs[rs.length - 1];
  assert.ok(end !== undefined && end.kind === 'end', 'the last record is end');
  assert.equal(rs.filter((r) => r.kind === 'end').length, 1);
  const fatal = rs.findIndex((r) => r.kind === 'error' && r.fatal);
  if (fatal >= 0) {
    assert.equal(fatal, rs.length - 2, 'a fatal error is the last record before end');
    assert.equal(end.stats.stopped || rs[fatal]?.kind === 'error', true);
  }
  let prev = -1;
  for (const r of rs) {
    if (r.kind === 'end') continue;
    const p = pos === 'offset' ? r.offset : r.line;
    assert.ok(p !== undefined && p >= 0 && p <= size, `${r.kind} position ${String(p)} within 0..${size}`);
    assert.ok(p >= prev, 'records come in input order');
    prev = p;
    if (r.kind === 'error') {
      assert.ok(r.message.length > 0 && r.expected.length > 0);
    }
  }
  assert.equal(end.stats.errors, rs.filter((r) => r.kind === 'error').length);
}

const rtmonOptions: fc.Arbitrary<RtmonOptions> = fc.record({
  lenient: fc.boolean(),
  endian: fc.constantFrom<'little' | 'big' | 'auto'>('little', 'big', 'auto'),
  emitSkipped: fc.boolean(),
});

/** Overwrites, truncation and insertion of random bytes into a fixture. */
const mutatedFixture: fc.Arbitrary<Uint8Array> = fc.record({
  name: fc.constantFrom(...SMALL),
  writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  cut: fc.option(fc.nat()),
  insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 40 }))),
}).map(({ name, writes, cut, insert }) => {
  const src = RTMON.get(name) ?? new Uint8Array();
  let b = new Uint8Array(src);
  for (const [at, v] of writes) b[at % b.length] = v;
  if (insert !== null) {
    const [at, extra] = insert;
    const i = at % (b.length + 1);
    const n = new Uint8Array(b.length + extra.length);
    n.set(b.subarray(0, i), 0);
    n.set(extra, i);
    n.set(b.subarray(i), i + extra.length);
    b = n;
  }
  if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
  return b;
});

test('rtmon reader: random bytes end in records and at most one structured error, never a throw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), rtmonOptions, (bytes, opts) => {
    assertWellFormed(decodeRtmon(bytes, opts), bytes.length, 'offset');
  }), { numRuns: 1000 });
});

test('rtmon reader: mutated and truncated fixtures end in records and structured errors, never a throw', () => {
  fc.assert(fc.property(mutatedFixture, rtmonOptions, (bytes, opts) => {
    assertWellFormed(decodeRtmon(bytes, opts), bytes.length, 'offset');
  }), { numRuns: 1000 });
});

test('rtmon reader: fixtures cut anywhere decode alike whatever the chunk sizes (a cut record completed from the next chunk)', () => {
  const cutFixture = fc.tuple(fc.constantFrom(...SMALL), fc.nat()).map(([name, n]) => {
    const full = RTMON.get(name) ?? new Uint8Array();
    return full.subarray(0, n % (full.length + 1));
  });
  // In the captures' own byte order (a wrong 'big' decided on a first chunk shorter than a
  // header is another matter: the byte order is decided on the first chunk).
  const options = fc.record({ lenient: fc.boolean(), endian: fc.constant<'little'>('little'), emitSkipped: fc.boolean() });
  fc.assert(fc.property(cutFixture, options, fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 }), (bytes, opts, sizes) => {
    const whole = decodeRtmon(bytes, opts);
    const d = new RtmonDecoder(opts);
    const out: TraceRecord[] = [];
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = sizes[i % sizes.length] ?? 1;
      out.push(...d.push(bytes.subarray(at, at + n)));
      at += n;
    }
    out.push(...d.finish());
    assert.deepEqual(out, whole);
  }), { numRuns: 500 });
});

test('rtmon reader: a fixture cut anywhere delivers exactly the records before the cut', () => {
  fc.assert(fc.property(fc.constantFrom(...SMALL), fc.nat(), (name, n) => {
    const full = RTMON.get(name) ?? new Uint8Array();
    const cut = n % (full.length + 1);
    const whole = decodeRtmon(full).filter((r) => r.kind !== 'end');
    const part = decodeRtmon(full.subarray(0, cut));
    const err = part.find((r) => r.kind === 'error');
    const delivered = part.filter((r) => r.kind !== 'error' && r.kind !== 'end');
    const boundary = err === undefined ? cut : (err.kind === 'error' ? (err.recordOffset ?? err.offset ?? 0) : 0);
    assert.deepEqual(delivered, whole.filter((r) => (r.offset ?? 0) < boundary));
    // The cut leaves a record unfinished exactly when it does not fall on a record boundary.
    const starts = new Set(decodeRtmon(full, { emitSkipped: true }).map((r) => r.offset));
    const onBoundary = cut === full.length || starts.has(cut);
    assert.equal(err === undefined, onBoundary);
  }), { numRuns: 500 });
});

const monitorOptions: fc.Arbitrary<IpMonitorOptions> = fc.record({ lenient: fc.boolean(), emitSkipped: fc.boolean() });

const WORDS = ['via', 'dev', 'table', 'proto', 'scope', 'src', 'metric', 'nexthop', 'weight', 'from', 'to',
  'lookup', 'goto', 'Deleted', 'inet', 'inet6', 'group', 'id', 'mtu', 'state', '10.0.0.1', '10.0.0.0/8',
  'default', 'local', 'blackhole', '[ROUTE]', '[LINK]', '[ADDR]', '[RULE]', '[NETCONF]', '[NEXTHOP]',
  '3:', 'eth0:', '<UP,LOWER_UP>', '\t', '    ', 'link/ether', 'valid_lft', 'forever', '0x10/0xff',
  '1-2', 'on', 'off', '[unresolved]', '[2026-11-21T04:51:04.782905]', 'Timestamp:', '999999999999'];

/** Lines of a fixture with words dropped, swapped or replaced, and random lines inserted. */
const mutatedText: fc.Arbitrary<string> = fc.record({
  name: fc.constantFrom(...SMALL),
  edits: fc.array(fc.record({
    line: fc.nat(),
    op: fc.constantFrom('drop', 'swap', 'word', 'cut', 'insert', 'indent'),
    at: fc.nat(),
    word: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })),
  }), { maxLength: 6 }),
}).map(({ name, edits }) => {
  const lines = (MONITOR.get(name) ?? '').split('\n');
  for (const e of edits) {
    const i = e.line % lines.length;
    const ws = (lines[i] ?? '').split(' ');
    const j = e.at % Math.max(ws.length, 1);
    switch (e.op) {
      case 'drop': ws.splice(j, 1); break;
      case 'swap': { const a = ws[j]; ws[j] = ws[(j + 1) % ws.length] ?? ''; ws[(j + 1) % ws.length] = a ?? ''; break; }
      case 'word': ws[j] = e.word; break;
      case 'cut': lines[i] = (lines[i] ?? '').slice(0, e.at % ((lines[i] ?? '').length + 1)); continue;
      case 'insert': lines.splice(i, 0, e.word); continue;
      case 'indent': lines[i] = `\t${lines[i] ?? ''}`; continue;
    }
    lines[i] = ws.join(' ');
  }
  return lines.join('\n');
});

function lineCount(text: string): number {
  return text.split('\n').length;
}

test('ip monitor reader: random text ends in records and structured errors, never a throw', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), monitorOptions, (text, opts) => {
    assertWellFormed(parseIpMonitor(text, opts), lineCount(text), 'line');
  }), { numRuns: 1000 });
});

test('ip monitor reader: random sequences of monitor words end in records and structured errors', () => {
  const wordsText = fc.array(fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((ws) => ws.join(' ')), { maxLength: 20 }).map((ls) => ls.join('\n'));
  fc.assert(fc.property(wordsText, monitorOptions, (text, opts) => {
    assertWellFormed(parseIpMonitor(text, opts), lineCount(text), 'line');
  }), { numRuns: 1000 });
});

test('ip monitor reader: mutated fixtures end in records and structured errors, never a throw', () => {
  fc.assert(fc.property(mutatedText, monitorOptions, (text, opts) => {
    assertWellFormed(parseIpMonitor(text, opts), lineCount(text), 'line');
  }), { numRuns: 1000 });
});

/** A fixture snapshot with one value somewhere replaced by an arbitrary one. */
const mutatedSnapshot: fc.Arbitrary<unknown> = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  value: fc.anything(),
}).map(({ path, value }) => {
  const doc = structuredClone(readJson('09-rules-route-types', 'after.json'));
  let node: unknown = doc;
  for (let k = 0; k < path.length; k++) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(path[k] ?? 0) % keys.length] ?? '';
    if (k === path.length - 1) (node as Record<string, unknown>)[key] = value;
    else node = (node as Record<string, unknown>)[key];
  }
  return doc;
});

test('ip -j snapshot reader: arbitrary JSON and mutated fixtures give a result with path-named errors, never a throw', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.anything(), mutatedSnapshot), (input) => {
    const r = parseIpSnapshot(input);
    assert.equal(r.ok, r.errors.length === 0);
    for (const e of r.errors) assert.ok(e.path.startsWith('$') && e.message.includes(e.path));
  }), { numRuns: 1000 });
});
