import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, canonicalJson, ruleFromJson } from '../../core/replay/initial-state.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import { allFixtureNames as fixtureNames } from '../trace/_fixtures.js';
import { replayFixture } from './_replay-fixture.js';

test('every fixture before.json is reproduced through events, with nothing constructed', () => {
  for (const name of fixtureNames()) {
    const fr = replayFixture(name, 'rtmon');
    assert.deepEqual(fr.init.differences, [], name);
    assert.deepEqual(fr.init.constructed, [], name);
  }
});

test('a kernel route whose address is gone cannot be requested: it is constructed, and said so', () => {
  const raw = {
    link: [{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'] }, { ifindex: 2, ifname: 'eth0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] }],
    addr: [],
    route: [{ dst: '10.1.0.0/16', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '10.1.0.1', flags: [] }],
    rule: [{ priority: 0, src: 'all', table: 'local' }, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }],
    netconf: [],
    nexthop: [],
  };
  const init = initialState(parseIpSnapshot(raw).snapshot);
  assert.equal(init.constructed.length, 1);
  assert.match(init.constructed[0] ?? '', /route constructed/);
  assert.deepEqual(init.differences, []);
});

test('without a snapshot the replay starts from an empty namespace', () => {
  const init = initialState(null);
  assert.deepEqual([...init.snapshot.devices.values()].map((d) => [d.name, d.up]), [['lo', false]]);
});

test('ip -j rule elements become fib_rules (a host source has no srclen)', () => {
  const r = ruleFromJson({ priority: 32765, src: '10.0.1.3', oif: 'ens33', table: '10' });
  assert.deepEqual([r.src, r.srcLen, r.oifName, r.table, r.action], [0x0a000103, 32, 'ens33', 10, 'lookup']);
  assert.equal(ruleFromJson({ priority: 150, src: 'all', dst: '10.125.0.0', dstlen: 16, action: 'blackhole' }).action, 'blackhole');
});

test('canonical JSON ignores key order, not array order', () => {
  assert.equal(canonicalJson({ b: 1, a: [2, 1] }), canonicalJson({ a: [2, 1], b: 1 }));
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
});

test('a route with metrics from ip -j is named ambiguous: ip -j never prints `lock`, so `mtu lock N` cannot be told from `mtu N`', () => {
  const link = [
    { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback' },
    { ifindex: 2, ifname: 'e0', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, operstate: 'UP', link_type: 'ether' },
  ];
  const addr = [{ ifindex: 2, ifname: 'e0', addr_info: [{ family: 'inet', local: '10.0.0.1', prefixlen: 24, scope: 'global', label: 'e0' }] }];
  const base = [
    { dst: '10.0.0.0/24', dev: 'e0', protocol: 'kernel', scope: 'link', prefsrc: '10.0.0.1', flags: [] },
    { type: 'local', dst: '10.0.0.1', dev: 'e0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '10.0.0.1', flags: [] },
    { type: 'broadcast', dst: '10.0.0.255', dev: 'e0', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '10.0.0.1', flags: [] },
  ];
  const withRoute = (extra: Record<string, unknown>): string[] =>
    [...initialState(parseIpSnapshot({ link, addr, route: [extra, ...base], rule: [], netconf: [], nexthop: [] }).snapshot).differences];
  const locked = withRoute({ dst: '10.5.0.0/16', gateway: '10.0.0.2', dev: 'e0', flags: [], metrics: [{ mtu: 1400 }] });
  assert.equal(locked.filter((d) => d.startsWith('ambiguous route metrics, locked or not')).length, 1);
  // Captured: `congctl lock cubic` prints in ip -j as "congestion":"cubic", no lock either.
  const cc = withRoute({ dst: '10.5.0.0/16', gateway: '10.0.0.2', dev: 'e0', flags: [], metrics: [{ congestion: 'cubic' }] });
  assert.equal(cc.filter((d) => d.startsWith('ambiguous route metrics, locked or not')).length, 1);
  const plain = withRoute({ dst: '10.5.0.0/16', gateway: '10.0.0.2', dev: 'e0', flags: [] });
  assert.deepEqual(plain.filter((d) => d.startsWith('ambiguous route metrics')), []);
});
