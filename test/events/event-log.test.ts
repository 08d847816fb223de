import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLog, encodeLogLine, EventLog } from '../../core/events/event-log.js';
import type { FibEvent } from '../../core/events/fib-event.js';

const events: FibEvent[] = [
  { type: 'link-add', link: { ifindex: 2, name: 'veth0', kind: 'veth', up: true } },
  { type: 'sysctl', target: { kind: 'all' }, key: 'ignore_routes_with_linkdown', value: 1 },
  { type: 'link-del', ifindex: 2 },
];

function encoded(): string {
  const log = new EventLog();
  return events.map((e) => encodeLogLine(log.append(e))).join('');
}

test('a log round-trips through JSON Lines with sequence numbers', () => {
  const d = decodeLog(encoded());
  assert.deepEqual(d.events.map((e) => [e.seq, e.event]), events.map((e, i) => [i + 1, e]));
  assert.equal(d.torn, undefined);
  assert.equal(d.error, undefined);
});

test('a torn last line is reported and dropped, every earlier event kept', () => {
  const text = `${encoded()}{"v":1,"seq":4,"event":{"ty`;
  const d = decodeLog(text);
  assert.equal(d.events.length, 3);
  // the torn line starts right after the three whole events (a byte offset)
  assert.deepEqual(d.torn, { line: 4, offset: Buffer.byteLength(encoded()), reason: 'expected a JSON object (JSON syntax error)' });
});

test('a whole last event missing only its newline is kept, as the streamed reader keeps it', () => {
  const full = encoded();
  const d = decodeLog(full.slice(0, -1));
  assert.deepEqual(d.events.map((e) => e.event), events);
  assert.equal(d.torn, undefined);
  assert.equal(d.error, undefined);
});

test('a bad line in the middle is an error naming the line, earlier events kept', () => {
  const lines = encoded().split('\n');
  lines[1] = '{"v":1,"seq":2,"event":{"type":"warp"}}';
  const d = decodeLog(lines.join('\n'));
  assert.equal(d.events.length, 1);
  assert.deepEqual(d.error, { line: 2, offset: Buffer.byteLength(`${lines[0] as string}\n`), message: 'bad event: unknown event type "warp"' });
});

test('every event a script produces survives the log and validation, and bad fields are named', async () => {
  const { runScript } = await import('../../core/script/run-script.js');
  const { readFileSync, readdirSync } = await import('node:fs');
  const { SCENARIOS } = await import('../golden/_paths.js');
  const log = new EventLog();
  for (const f of readdirSync(SCENARIOS).filter((x) => x.endsWith('.ip'))) {
    for (const l of runScript(readFileSync(`${SCENARIOS}/${f}`, 'utf8'))) for (const { event } of l.steps) log.append(event);
  }
  const text = log.all().map(encodeLogLine).join('');
  const d = decodeLog(text);
  assert.equal(d.error, undefined, d.error?.message);
  assert.equal(d.events.length, log.length);
  const bad = decodeLog('{"v":1,"seq":1,"event":{"type":"addr-add","ifindex":3,"local":"192.0.2.1"}}\n');
  assert.deepEqual(bad.error, { line: 1, offset: 0, message: 'bad event: addr-add.local: expected an integer 0..4294967295' });
});
