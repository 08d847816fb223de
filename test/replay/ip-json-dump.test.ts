import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipJsonDump, routeLineWithMetrics, routesInDumpOrder, routeTextInPieces, showText } from '../../core/replay/ip-json-dump.js';
import { stateAt } from '../../core/replay/replay-run.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { fixtureNames } from '../trace/_fixtures.js';
import { replayFixture } from './_replay-fixture.js';

const F09 = '09-rules-route-types';
const F10 = '10-nexthop-objects';

test('route metrics ride beside the FIB: ip -j shows them after the flags', { skip: !fixtureNames().includes(F09) }, () => {
  const fr = replayFixture(F09, 'rtmon');
  const s = fr.snapshots[0];
  assert.ok(s !== undefined);
  const v = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics }, fr.result.steps, { kind: 'time', time: s.time });
  const bgp = ipJsonDump(v).route.find((r) => JSON.stringify(r).includes('10.124.5.0/24'));
  assert.equal(JSON.stringify(bgp), '{"dst":"10.124.5.0/24","gateway":"10.9.0.254","dev":"core0","protocol":"bgp","flags":[],"metrics":[{"mtu":1400,"advmss":1360}]}');
  assert.match(showText(v, 'route'), /^10\.124\.5\.0\/24 via 10\.9\.0\.254 dev core0 proto bgp mtu 1400 advmss 1360 $/m);
  assert.match(showText(v, 'rule'), /^220:\tfrom all lookup 220 proto static$/m);
});

test('the text printers are those of the core commands', { skip: !fixtureNames().includes(F10) }, () => {
  const fr = replayFixture(F10, 'rtmon');
  const s = fr.snapshots[0];
  assert.ok(s !== undefined);
  const v = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics }, fr.result.steps, { kind: 'time', time: s.time });
  assert.equal(showText(v, 'nexthop'), runCommand(v.snapshot, ['ip', 'nexthop', 'show']).output.stdout);
  assert.equal(showText(v, 'netconf'), runCommand(v.snapshot, ['ip', '-4', 'netconf', 'show']).output.stdout);
  assert.deepEqual(ipJsonDump(v).nexthop, s.parsed.nexthop);
  assert.match(showText(v, 'link'), /^3: nh1@nh1p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000$/m);
  assert.match(showText(v, 'addr'), /^    inet 192\.168\.10\.1\/24 scope global nh1$/m);
});

test('the route dump in pieces is ip route show table all, a piece at a time (fixture 08: 5,000 routes)', { skip: !fixtureNames().includes('08-batch-5000-routes') }, () => {
  const fr = replayFixture('08-batch-5000-routes', 'rtmon');
  const v = stateAt({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics }, fr.result.steps, { kind: 'seq', seq: Number.MAX_SAFE_INTEGER });
  const pieces: string[] = [];
  routeTextInPieces(v, (t) => void pieces.push(t));
  assert.ok(pieces.length > 1, `several pieces: ${pieces.length}`);
  for (const p of pieces) assert.ok(p.endsWith('\n'), 'a piece ends with a whole line');
  assert.equal(pieces.join(''), runCommand(v.snapshot, ['ip', 'route', 'show', 'table', 'all']).output.stdout);
  assert.equal(pieces.join(''), routesInDumpOrder(v.snapshot).map((r) => routeLineWithMetrics(v, r)).join(''));
});
