// The lookup box: `ip route get` at the selected moment, answered as the kernel answered
// at the fixture's snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookup, lookupWords } from '../../core/report/lookup.js';
import { fixtureNames, readJson, checkpointFiles } from '../trace/_fixtures.js';
import { allStates, fixtureReport } from './_report-fixture.js';

const F01 = '01-addr-del-policy-route';
const has01 = fixtureNames().includes(F01);

interface RouteGet {
  readonly query: string;
  readonly result: unknown;
  readonly error: string | null;
}

function kernelAnswer(file: string, query: string): RouteGet {
  const snap = readJson(F01, file) as { route_get: RouteGet[] };
  const q = snap.route_get.find((x) => x.query === query);
  assert.ok(q !== undefined);
  return q;
}

test('after the address is deleted, 8.8.8.8 from 10.0.1.3 oif ens33 answers as after.json', { skip: !has01 }, () => {
  const st = allStates(fixtureReport(F01).model)[3];
  assert.ok(st?.moment?.seq === 3);
  const a = lookup(st.snapshot, { to: '8.8.8.8', from: '10.0.1.3', oif: 'ens33' });
  assert.ok(typeof a !== 'string');
  assert.equal(a.command, 'ip route get 8.8.8.8 from 10.0.1.3 oif ens33');
  assert.deepEqual(a.json, kernelAnswer('after.json', 'ip route get 8.8.8.8 from 10.0.1.3 oif ens33').result);
  assert.equal(a.stdout, '8.8.8.8 from 10.0.1.3 dev ens33 uid 0 \n    cache \n');
});

test('at the checkpoint, the same query goes via 192.168.0.40 in table 10', { skip: !has01 }, () => {
  const file = checkpointFiles(F01)[0];
  assert.ok(file !== undefined);
  const st = allStates(fixtureReport(F01).model)[2];
  assert.ok(st?.moment?.seq === 2);
  const a = lookup(st.snapshot, { to: '8.8.8.8', from: '10.0.1.3', oif: 'ens33', mark: '', tos: '' });
  assert.ok(typeof a !== 'string');
  assert.deepEqual(a.json, kernelAnswer(file, 'ip route get 8.8.8.8 from 10.0.1.3 oif ens33').result);
  assert.equal(a.stdout, '8.8.8.8 from 10.0.1.3 via 192.168.0.40 dev ens33 table 10 uid 0 \n    cache \n');
});

test('an unreachable destination prints the kernel error on stderr', { skip: !has01 }, () => {
  const st = allStates(fixtureReport(F01).model)[3];
  assert.ok(st !== undefined);
  const a = lookup(st.snapshot, { to: '192.168.0.99' });
  assert.ok(typeof a !== 'string');
  assert.equal(a.stdout, '');
  assert.equal(a.stderr.trim(), kernelAnswer('after.json', 'ip route get 192.168.0.99').error);
  assert.equal(a.json, null);
  assert.notEqual(a.exit, 0);
});

test('mark and tos are passed on; iproute2 rejects bad values with its own message', { skip: !has01 }, () => {
  const st = allStates(fixtureReport(F01).model)[2];
  assert.ok(st !== undefined);
  assert.deepEqual(lookupWords({ to: ' 8.8.8.8 ', from: '', oif: 'ens33', mark: '0x10', tos: '0x10' }), ['8.8.8.8', 'oif', 'ens33', 'mark', '0x10', 'tos', '0x10']);
  const bad = lookup(st.snapshot, { to: '8.8.8.8', mark: 'nope' });
  assert.ok(typeof bad !== 'string');
  assert.match(bad.stderr, /invalid mark value/);
});

test('an empty or multi-word field is refused before asking', () => {
  assert.equal(lookupWords({ to: '' }), 'address: an address is required');
  assert.equal(lookupWords({ to: '1.2.3.4', from: '1.1.1.1 2.2.2.2' }), 'from: expected one word, got "1.1.1.1 2.2.2.2"');
  assert.equal(lookupWords({ to: '2001:db8::1' }), 'address: IPv6 is not modelled: "2001:db8::1"');
});
