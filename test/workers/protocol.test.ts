// Tests for workers/protocol.ts: a worker accepts only well-formed chunk messages, and says
// what it expected when a message is not one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lpmShared } from '../../workers/lpm/lpm-table.js';
import { buildPoptrie } from '../../workers/lpm/poptrie.js';
import { parseLookupReply, parseLookupTask, type LookupTask } from '../../workers/protocol.js';

function task(): LookupTask {
  const sab = new SharedArrayBuffer(16);
  return {
    version: 3,
    table: lpmShared(buildPoptrie([{ prefix: 0, len: 0, value: 1 }])),
    addrs: sab,
    addrsOffset: 0,
    addrsLength: 4,
    out: new SharedArrayBuffer(16),
    outOffset: 0,
    from: 1,
    to: 3,
    kernel: 'wasm',
  };
}

test('a well-formed task parses to itself', () => {
  const t = task();
  assert.deepEqual(parseLookupTask(t), t);
  assert.deepEqual(parseLookupTask({ ...t, fault: 'exit' }), { ...t, fault: 'exit' });
});

test('a task with a range outside its batch, an unknown loop or a foreign table is refused', () => {
  assert.throws(() => parseLookupTask({ ...task(), to: 5 }), /0 <= from <= to <= addrsLength: got 1\.\.5/);
  assert.throws(() => parseLookupTask({ ...task(), kernel: 'c' }), /kernel: "wasm" or "js"/);
  assert.throws(() => parseLookupTask({ ...task(), table: { kind: 'trie' } }), /table: a dir24-8 or poptrie descriptor/);
  assert.throws(() => parseLookupTask({ ...task(), addrs: new ArrayBuffer(16) }), /SharedArrayBuffers/);
  assert.throws(() => parseLookupTask(null), /expected an object/);
});

test('a reply must name its version, count and thread', () => {
  assert.deepEqual(parseLookupReply({ version: 1, count: 2, threadId: 3 }), { version: 1, count: 2, threadId: 3 });
  assert.throws(() => parseLookupReply({ version: 1 }), /expected \{ version, count, threadId \}/);
});
