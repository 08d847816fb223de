// Fuzzing of every input kfib reads (issue 15 item 6), on real material: event logs made
// from the golden scenarios, the scenario scripts, and the trace fixtures' rtmon files
// (with bad netlink lengths), mutated by bit flips, truncation, invalid UTF-8, deep JSON and
// huge lines. Each reader must answer with events and a clean error (named by byte offset),
// never a throw, and the same answer however the bytes are chunked. A fixed seed here
// (KFIB_FUZZ_SEED); `npm run fuzz` runs many more cases (KFIB_FUZZ_RUNS).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SCENARIOS } from '../golden/_paths.js';
import { runScript } from '../../core/script/run-script.js';
import { encodeLogLine } from '../../core/events/event-log.js';
import { EventLogDecoder, MAX_LINE_BYTES } from '../../core/events/log-decoder.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { kernelScript } from '../../props/differential/kernel-guard.js';
import { parseJsonBytes } from '../../cli/json-input.js';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { readRtmon } from '../trace/_fixtures.js';

const SEED = Number(process.env['KFIB_FUZZ_SEED'] ?? 20261205);
const RUNS = Number(process.env['KFIB_FUZZ_RUNS'] ?? 300);
const opts = { seed: SEED, numRuns: RUNS, endOnFailure: true };
console.log(`# fuzz seed ${SEED}, ${RUNS} runs per property`);

const scripts = readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.ip'))
  .sort()
  .map((f) => readFileSync(join(SCENARIOS, f), 'utf8'));

/** A real event log: every event a scenario script applied (as `kfib run --log` writes). */
function logOf(script: string): Uint8Array {
  let seq = 0;
  let text = '';
  for (const l of runScript(script)) for (const { event, step } of l.steps) if (step.error === null) text += encodeLogLine({ seq: ++seq, event });
  return new TextEncoder().encode(text);
}
const LOGS = scripts.slice(0, 12).map(logOf).filter((l) => l.length > 0);

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array | 'huge line' | number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 8 }),
      fc.constantFrom(Uint8Array.of(0xff), Uint8Array.of(0xc3), Uint8Array.of(0xe2, 0x82), Uint8Array.of(0xed, 0xa0, 0x80), Uint8Array.of(0x0a), Uint8Array.of(0x1b, 0x5b, 0x32, 0x4a)),
      fc.integer({ min: 1, max: 3000 }),
      fc.constant('huge line' as const),
    ),
  }),
);

function mutate(src: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = new Uint8Array(src);
  for (const m of ms) {
    if (b.length === 0) break;
    if (m.kind === 'flip') b[m.at % b.length] = (b[m.at % b.length] as number) ^ (1 << m.bit);
    else if (m.kind === 'cut') b = b.subarray(0, m.at % (b.length + 1));
    else {
      // A number is that many '[' (deep JSON); 'huge line' a string longer than a log line may be.
      const bytes = m.bytes === 'huge line' ? new TextEncoder().encode(`"${'x'.repeat(MAX_LINE_BYTES + 10)}"`) : typeof m.bytes === 'number' ? new TextEncoder().encode('['.repeat(m.bytes)) : m.bytes;
      const i = m.at % (b.length + 1);
      const n = new Uint8Array(b.length + bytes.length);
      n.set(b.subarray(0, i), 0);
      n.set(bytes, i);
      n.set(b.subarray(i), i + bytes.length);
      b = n;
    }
  }
  return b;
}

function decodeChunked(b: Uint8Array, size: number): { seqs: number[]; end: unknown } {
  const d = new EventLogDecoder();
  const seqs: number[] = [];
  let snapshot = initialSnapshot();
  for (let i = 0; i < b.length; i += size) {
    for (const e of d.push(b.subarray(i, i + size))) {
      seqs.push(e.seq);
      snapshot = reduceFib(snapshot, e.event).snapshot;
    }
  }
  const f = d.finish();
  if (f.last !== null) seqs.push(f.last.seq);
  return { seqs, end: f.end };
}

test('event log reader: mutated real logs give events 1..k and a clean error or torn tail by byte offset, whatever the chunking', { timeout: 600_000 }, () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: LOGS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 4096 }), (which, ms, chunk) => {
      const b = mutate(LOGS[which] as Uint8Array, ms);
      const whole = decodeChunked(b, Math.max(1, b.length));
      const parts = decodeChunked(b, chunk);
      assert.deepEqual(parts, whole, 'the same answer in any chunking');
      assert.ok(whole.seqs.every((s, i) => s === i + 1), 'events in sequence');
      const end = whole.end as { error?: { offset: number; message: string }; torn?: { offset: number; message: string }; goodBytes: number };
      for (const p of [end.error, end.torn]) if (p !== undefined) assert.ok(p.offset >= 0 && p.offset <= b.length && p.message.length > 0, JSON.stringify(p));
      assert.ok(end.goodBytes <= b.length);
    }),
    opts,
  );
});

test('scripts: mutated scenario scripts run through the model and the kernel guard without a throw', { timeout: 600_000 }, () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: scripts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
      const b = mutate(new TextEncoder().encode(scripts[which] as string), ms.map((m) => (m.kind === 'insert' && m.bytes === 'huge line' ? { ...m, bytes: 5000 } : m)));
      const text = new TextDecoder().decode(b);
      let lines = 0;
      for (const l of runScript(text)) {
        lines++;
        assert.ok(l.exit >= 0 && l.exit <= 255);
      }
      const k = kernelScript(text);
      assert.ok(k.withheld.length <= lines);
    }),
    { ...opts, numRuns: Math.max(20, Math.floor(RUNS / 3)) },
  );
});

test('JSON inputs: deep, huge, invalid UTF-8 or broken JSON gives a message with a byte offset, never a throw', () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 6 }), fc.array(mutation, { maxLength: 3 }), (json, ms) => {
      const b = mutate(new TextEncoder().encode(json), ms);
      const r = parseJsonBytes('x.json', b);
      if ('error' in r) assert.match(r.error, /^x\.json: (byte \d+: |JSON nested|\d+ bytes)/);
    }),
    opts,
  );
  const deep = parseJsonBytes('deep.json', new TextEncoder().encode(`${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}`));
  assert.ok('error' in deep && /nested more than/.test(deep.error));
});

test('rtmon reader: fixtures with bad netlink lengths end in records and structured errors, never a throw', () => {
  const fixtures = ['01-addr-del-policy-route', '04-secondary-promotion'].map(readRtmon);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: fixtures.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), (which, k, len, lenient) => {
      const b = new Uint8Array(fixtures[which] as Uint8Array);
      // Walk to the k-th message and overwrite its nlmsg_len.
      const v = new DataView(b.buffer);
      let o = 0;
      for (let i = 0; i < k % 50 && o + 4 <= b.length; i++) {
        const l = v.getUint32(o, true);
        if (l < 16) break;
        o += (l + 3) & ~3;
      }
      if (o + 4 <= b.length) v.setUint32(o, len, true);
      const rs = decodeRtmon(b, { lenient, endian: 'little' });
      assert.equal(rs[rs.length - 1]?.kind, 'end');
    }),
    opts,
  );
});
