import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIpv6RouteJson, parseIpSnapshot } from '../../core/trace/ip-json.js';
import { checkpointFiles, fixtureNames, readJson } from './_fixtures.js';

function rawArray(x: unknown, key: string): unknown[] {
  const v = (x as Record<string, unknown>)[key];
  assert.ok(Array.isArray(v), key);
  return v;
}

test('every snapshot of every fixture parses without error and counts what it leaves out', () => {
  let files = 0;
  for (const name of fixtureNames()) {
    for (const file of ['before.json', 'after.json', ...checkpointFiles(name)]) {
      files++;
      const raw = readJson(name, file);
      const r = parseIpSnapshot(raw, { file: `${name}/${file}` });
      assert.deepEqual(r.errors, [], `${name}/${file}`);
      assert.ok(r.ok);
      const routes = rawArray(raw, 'route');
      assert.equal(r.snapshot.route.length + (r.skipped['route/inet6'] ?? 0), routes.length, `${name}/${file}: routes`);
      assert.equal(r.snapshot.route.length, routes.filter((x) => !isIpv6RouteJson(x)).length);
      const infos = rawArray(raw, 'addr').flatMap((a) => rawArray(a, 'addr_info'));
      const kept = r.snapshot.addr.reduce((n, a) => n + a.addr_info.length, 0);
      assert.equal(kept + (r.skipped['addr_info/inet6'] ?? 0), infos.length, `${name}/${file}: addresses`);
      assert.ok(r.snapshot.addr.every((a) => a.addr_info.every((i) => i.family === 'inet')));
      assert.equal(r.snapshot.link.length, rawArray(raw, 'link').length);
      assert.equal(r.snapshot.rule.length, rawArray(raw, 'rule').length);
      assert.equal(r.snapshot.netconf.length, rawArray(raw, 'netconf').length);
      assert.equal(r.snapshot.nexthop.length, rawArray(raw, 'nexthop').length);
      assert.equal(r.snapshot.route_get?.length, rawArray(raw, 'route_get').length);
      const unknownKeys = Object.keys(r.skipped).filter((k) => k.startsWith('unknown key'));
      assert.deepEqual(unknownKeys, [], `${name}/${file}: every key of the fixtures is typed`);
      if (file.startsWith('checkpoints/')) {
        assert.equal(typeof r.snapshot.checkpoint, 'string');
        assert.ok(r.snapshot.time !== undefined && r.snapshot.time.sec > 1.7e9);
      }
    }
  }
  assert.equal(files, 47);
});

test('a checkpoint keeps its name, time, nexthop groups and route_get answers (fixture 10)', () => {
  const r = parseIpSnapshot(readJson('10-nexthop-objects', 'checkpoints/01-nexthops-installed.json'));
  assert.equal(r.snapshot.checkpoint, 'nexthops-installed');
  assert.deepEqual(r.snapshot.time, { sec: 1795236727, usec: 184812 });
  assert.deepEqual(r.snapshot.nexthop.find((n) => n.id === 11), { id: 11, group: [{ id: 1, weight: 3 }, { id: 2 }], flags: [] });
  assert.deepEqual(r.snapshot.nexthop.find((n) => n.id === 12), { id: 12, blackhole: null, flags: [] });
  const mp = r.snapshot.route.find((x) => x.dst === '10.202.0.0/16');
  assert.equal(mp?.nhid, 11);
  assert.equal(mp?.nexthops?.length, 2);
});

test('a validation error names the JSON path and what was expected, and the other elements are kept', () => {
  const input = {
    link: [{ ifindex: 1, ifname: 'lo', flags: ['UP'] }, { ifindex: 'two', ifname: 'eth0', flags: [] }],
    addr: [],
    route: [
      { dst: '10.0.0.0/8', dev: 'eth0', flags: [] },
      { dst: 5, flags: [] },
      { dst: '10.1.0.0/16', flags: ['dead', 3] },
      { dst: 'fe80::/64', dev: 'eth0', pref: 'medium', flags: [] },
    ],
    rule: [{ priority: 0, src: 'all', table: 'local' }, { src: 'all' }],
    netconf: 'nope',
  };
  const r = parseIpSnapshot(input, { file: 'before.json' });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors.map((e) => e.message), [
    'before.json: $.link[1].ifindex: expected an integer, got string "two"',
    'before.json: $.route[1].dst: expected a string, got number 5',
    'before.json: $.route[2].flags[1]: expected a string, got number 3',
    'before.json: $.rule[1].priority: expected the key "priority" of a rule, got nothing',
    'before.json: $.netconf: expected an array, got string "nope"',
  ]);
  assert.deepEqual(r.errors[1], { path: '$.route[1].dst', expected: 'a string', message: 'before.json: $.route[1].dst: expected a string, got number 5' });
  assert.deepEqual(r.snapshot.link.map((l) => l.ifname), ['lo']);
  assert.deepEqual(r.snapshot.route.map((x) => x.dst), ['10.0.0.0/8']);
  assert.deepEqual(r.snapshot.rule.length, 1);
  assert.deepEqual(r.skipped, { 'route/inet6': 1 });
});

test('missing top-level keys and a non-object input are errors; unknown keys are counted', () => {
  assert.deepEqual(parseIpSnapshot([]).errors.map((e) => e.path), ['$']);
  const r = parseIpSnapshot({ link: [], addr: [], route: [{ dst: 'default', flags: [], color: 'red' }], rule: [], extra: 1 });
  assert.deepEqual(r.errors.map((e) => e.message), ['$.netconf: expected the key "netconf" (the output of ip -j netconf show), got nothing']);
  assert.deepEqual(r.skipped, { 'unknown key route.color': 1, 'unknown key extra': 1 });
  assert.deepEqual(r.snapshot.route, [{ dst: 'default', flags: [] }]);
  assert.deepEqual(r.snapshot.nexthop, []);
});

test('a checkpoint time must be "sec.usec" with six digits', () => {
  const base = { link: [], addr: [], route: [], rule: [], netconf: [] };
  assert.deepEqual(parseIpSnapshot({ ...base, time: '1795236727.5' }).errors.map((e) => e.message),
    ['$.time: expected a "sec.usec" string with 6 digits of microseconds, got string "1795236727.5"']);
  assert.deepEqual(parseIpSnapshot({ ...base, time: '1795236727.000005' }).snapshot.time, { sec: 1795236727, usec: 5 });
});
