// What the page shows for a clicked moment: tables as `ip route show table T` prints
// them, with the moment's changes marked on their rows; rules; devices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mechanismName, momentView, tableRouteLine } from '../../core/report/moment-view.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { tableRoutes } from '../../core/snapshot/fib-table.js';
import type { MomentState } from '../../core/report/report-model.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { allStates, fixtureReport } from './_report-fixture.js';

const has = (n: string): boolean => fixtureNames().includes(n);
const F01 = '01-addr-del-policy-route';

function at(name: string, seq: number): MomentState {
  const st = allStates(fixtureReport(name).model).find((s) => s.moment?.seq === seq);
  assert.ok(st !== undefined, `no moment @${seq}`);
  return st;
}

test('the moment the address goes shows the table-10 default route as gone silently, with fib_disable_ip', { skip: !has(F01) }, () => {
  const v = momentView(at(F01, 3));
  const t10 = v.tables.find((t) => t.id === 10);
  assert.ok(t10 !== undefined);
  assert.equal(t10.count, 0);
  assert.deepEqual(t10.rows.map((r) => [r.text, r.status, r.cause]), [['default via 192.168.0.40 dev ens33 ', 'gone-silently', 'fib_disable_ip']]);
  assert.match(t10.rows[0]?.mechanism ?? '', /^fib_disable_ip: the device lost its last IPv4 address/);
  assert.deepEqual(v.silent.map((c) => [c.kind, c.text, c.cause]), [['route-removed', 'route removed    default via 192.168.0.40 dev ens33 table 10', 'fib_disable_ip']]);
  assert.deepEqual(v.events, ['address 192.168.0.4/24 deleted from ens33']);
});

test('routes deleted with a notification are marked deleted, and the rest as ip route show table T prints them', { skip: !has(F01) }, () => {
  const st = at(F01, 3);
  const v = momentView(st);
  const main = v.tables.find((t) => t.name === 'main');
  assert.deepEqual(main?.rows.map((r) => [r.text, r.status]), [['192.168.0.0/24 dev ens33 proto kernel scope link src 192.168.0.4 ', 'deleted']]);
  const local = v.tables.find((t) => t.name === 'local');
  assert.ok(local !== undefined);
  const kept = local.rows.filter((r) => r.status === 'kept').map((r) => `${r.text}\n`).join('');
  assert.equal(kept, runCommand(st.snapshot, ['ip', 'route', 'show', 'table', 'local']).output.stdout);
  assert.deepEqual(local.rows.filter((r) => r.status === 'deleted').map((r) => r.text.split(' ').slice(0, 2).join(' ')), ['local 192.168.0.4', 'broadcast 192.168.0.255']);
});

test('an added route and an added rule are marked added; rules print as ip rule show does', { skip: !has(F01) }, () => {
  const rule = momentView(at(F01, 1));
  assert.deepEqual(rule.rules.map((r) => [r.text, r.status]), [
    ['0:\tfrom all lookup local', 'kept'],
    ['32765:\tfrom 10.0.1.3 oif ens33 lookup 10', 'added'],
    ['32766:\tfrom all lookup main', 'kept'],
    ['32767:\tfrom all lookup default', 'kept'],
  ]);
  const route = momentView(at(F01, 2));
  assert.deepEqual(route.tables.find((t) => t.id === 10)?.rows.map((r) => [r.text, r.status]), [['default via 192.168.0.40 dev ens33 ', 'added']]);
});

test('devices carry admin state, carrier, addresses and ignore_routes_with_linkdown (all OR dev)', { skip: !has(F01) }, () => {
  const v = momentView(at(F01, 3));
  assert.deepEqual(v.devices.map((d) => [d.name, d.up, d.carrier, d.addrs.join(','), d.ignoreRoutesWithLinkdown, d.effective]), [
    ['lo', true, true, '127.0.0.1/8,10.0.1.3/32', false, false],
    ['ens33p', true, true, '', false, false],
    ['ens33', true, true, '', false, false],
  ]);
  assert.equal(v.ignoreAll, false);
});

test('silent flag changes (linkdown, dead) mark the surviving rows changed silently', { skip: !has('03-carrier-linkdown-ignore') }, () => {
  const states = allStates(fixtureReport('03-carrier-linkdown-ignore').model);
  const st = states.find((s) => s.silent.some((c) => c.kind === 'route-changed' && c.cause === 'fib_sync_down_dev'));
  assert.ok(st !== undefined);
  const rows = momentView(st).tables.flatMap((t) => t.rows).filter((r) => r.status === 'changed-silently');
  assert.ok(rows.some((r) => r.text === '192.0.2.0/25 dev vethtest1 proto kernel scope link src 192.0.2.2 linkdown '));
  assert.ok(rows.every((r) => mechanismName(r.mechanism ?? '') === 'fib_sync_down_dev'));
  const flip = states.find((s) => s.silent.some((c) => c.cause === 'devinet_conf_proc'));
  assert.ok(flip !== undefined);
  const v = momentView(flip);
  assert.ok(v.devices.some((d) => d.name === 'vethtest1' && d.effective));
  assert.ok(v.tables.flatMap((t) => t.rows).some((r) => r.status === 'changed-silently' && r.change === 'flags [linkdown] → [dead linkdown]' && mechanismName(r.mechanism ?? '') === 'ignore_routes_with_linkdown changed'));
});

test('rules detached with their device are marked changed silently (fib_rules_event)', { skip: !has('06-device-unregister') }, () => {
  const st = allStates(fixtureReport('06-device-unregister').model).find((s) => s.silent.some((c) => c.kind === 'rule-changed'));
  assert.ok(st !== undefined);
  const rows = momentView(st).rules.filter((r) => r.status === 'changed-silently');
  assert.deepEqual(rows.map((r) => r.text), ['500:\tfrom all iif wan0 [detached] lookup 60', '501:\tfrom all oif wan0 [detached] lookup 60']);
  assert.equal(rows[0]?.change, 'attached → iif_detached');
  assert.equal(mechanismName(rows[0]?.mechanism ?? ''), 'fib_rules_event');
});

test('an NLM_F_REPLACE shows the old route as replaced, the new one as added', { skip: !has('09-rules-route-types') }, () => {
  const st = allStates(fixtureReport('09-rules-route-types').model).find((s) => s.silent.some((c) => c.kind === 'route-removed' && c.implied));
  assert.ok(st !== undefined);
  const rows = momentView(st).tables.flatMap((t) => t.rows);
  assert.ok(rows.some((r) => r.status === 'replaced' && r.text.startsWith('10.123.0.0/16 via 10.9.0.254 dev core0')));
  assert.ok(rows.some((r) => r.status === 'added' && r.text.startsWith('10.123.0.0/16')));
});

test('route lines keep RTA_METRICS where ip route prints them', { skip: !has('09-rules-route-types') }, () => {
  const { model } = fixtureReport('09-rules-route-types');
  const st = allStates(model).find((s) => s.effects.some((e) => e.kind === 'route-add' && e.route.dst === 0x0a7c0500));
  assert.ok(st !== undefined);
  const lines = momentView(st).tables.flatMap((t) => t.rows.map((r) => r.text));
  assert.ok(lines.includes('10.124.5.0/24 via 10.9.0.254 dev core0 proto bgp mtu 1400 advmss 1360 '), lines.join('\n'));
});

test('tableRouteLine without metrics is the ip route show table T line', { skip: !has(F01) }, () => {
  const st = at(F01, 2);
  const t = st.snapshot.tables.get(10);
  assert.ok(t !== undefined);
  const lines = [...tableRoutes(t)].map((r) => tableRouteLine(st.snapshot, st.metrics, r)).join('');
  assert.equal(lines, runCommand(st.snapshot, ['ip', 'route', 'show', 'table', '10']).output.stdout);
  assert.equal(lines, 'default via 192.168.0.40 dev ens33 \n');
});
