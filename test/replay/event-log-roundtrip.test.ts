// Every kernel fixture's and golden scenario's event log, as `kfib run --log` writes it (the events the model
// accepted, in order), read back through the log decoder and replayed as `kfib replay LOG`
// does, must print the state the model printed at the end of the run: `ip route show table
// all`, `ip rule show`, `ip nexthop show`, `ip link show`, `ip -4 address show`, `ip -4 netconf show` against the
// replay's --show route|rule|nexthop|link|addr|netconf. A show the model named as a gap is not
// compared. Found this way: a rule-del with `realms` (FRA_FLOW) that kfib wrote and could
// not read back ("unknown rule field"), and devices printed from derived fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScript } from '../../core/script/run-script.js';
import { encodeLogLine } from '../../core/events/event-log.js';
import { EventLogDecoder } from '../../core/events/log-decoder.js';
import { initialState } from '../../core/replay/initial-state.js';
import { LogReplay } from '../../core/replay/log-replay.js';
import { showText, type ShowWhat } from '../../core/replay/ip-json-dump.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import { BUILTIN_NAMES } from '../../core/uapi/rt-names.js';
import { SCENARIOS } from '../golden/_paths.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(here, '../../../test/fixtures/kernel');

const SHOWS: readonly (readonly [string, ShowWhat])[] = [
  ['ip route show table all', 'route'],
  ['ip rule show', 'rule'],
  ['ip nexthop show', 'nexthop'],
  ['ip link show', 'link'],
  ['ip -4 address show', 'addr'],
  ['ip -4 netconf show', 'netconf'],
];

/** The kernel fixtures and the golden scenarios (../shared/scenarios). */
const scripts = [FIXTURES, SCENARIOS].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ip'))
    .sort()
    .map((f) => join(dir, f)),
);

test('every kernel fixture and golden scenario: its event log replays to the state the model printed', () => {
  let compared = 0;
  const failures: string[] = [];
  for (const f of scripts) {
    const src = readFileSync(f, 'utf8');
    const lines = [...runScript(`${src.replace(/\n*$/, '\n')}${SHOWS.map(([c]) => c).join('\n')}\n`)];
    const events: FibEvent[] = [];
    for (const l of lines.slice(0, -SHOWS.length)) for (const { event, step } of l.steps) if (step.error === null) events.push(event);
    const text = events.map((event, i) => encodeLogLine({ seq: i + 1, event })).join('');
    const decoder = new EventLogDecoder();
    const decoded = decoder.push(new TextEncoder().encode(text));
    const end = decoder.finish();
    if (end.last !== null) decoded.push(end.last);
    if (end.end.error !== undefined || decoded.length !== events.length) {
      failures.push(`${basename(f)}: the log does not read back: ${end.end.error?.message ?? `${decoded.length} of ${events.length} events`}`);
      continue;
    }
    const replay = new LogReplay(initialState(null, [], BUILTIN_NAMES, { fresh: true }), { explain: false, names: BUILTIN_NAMES });
    for (const e of decoded) replay.apply(e);
    if (replay.refused > 0) failures.push(`${basename(f)}: the replay refused ${replay.refused} of its events`);
    SHOWS.forEach(([cmd, what], i) => {
      const l = lines[lines.length - SHOWS.length + i]!;
      if (l.problem !== undefined || l.exit !== 0) return;
      compared++;
      const got = showText(replay.view, what);
      if (got !== l.stdout.replace(/^\n$/, '')) failures.push(`${basename(f)}: ${cmd}:\n--- model\n${l.stdout}--- replay\n${got}`);
    });
  }
  assert.deepEqual(failures, []);
  assert.ok(compared > 600, `only ${compared} shows compared`);
});
