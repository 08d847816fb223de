// Routes with a lightweight tunnel (test/fixtures/traces/66-lwtunnel-encap: `ip route add
// 10.2.0.0/16 encap ip id 20 dst 192.0.2.3 ttl 64 dev vx0` on a `vxlan external` device, one
// `encap ip6 … dst 2001:db8::3`, replaces between encap and plain routes) are not modelled:
// each reader skips them by name, which the replay reports as a gap. Before:
// - rtmon: RTA_ENCAP was ignored and `10.2.0.0/16 dev vx0` replayed as a plain route (exact);
// - ip monitor: the `encap ip6` route's tunnel address made it an IPv6 route (out of scope);
// - before.json: ip -j prints the tunnel's `dst` over the route's (two "dst" keys; JSON.parse
//   keeps `"dst":"192.0.2.2"`) and its `tos` as a number: the whole snapshot was refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { parseIpMonitor } from '../../core/trace/ip-monitor.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import { readJson, readMonitor, readRtmon } from './_fixtures.js';

const NAME = '66-lwtunnel-encap';

test(`${NAME} (rtmon): every route with RTA_ENCAP is skipped by name, the plain ones are kept`, () => {
  const rs = decodeRtmon(readRtmon(NAME));
  const routes = rs.flatMap((r) => (r.kind === 'route' && r.family === 2 && !r.dump ? [`${r.op} ${r.dst ?? '0.0.0.0'}/${r.dstLen}`] : []));
  assert.deepEqual(routes.filter((r) => r.includes(' 10.')), ['new 10.4.0.0/16', 'new 10.1.0.0/16']);
  const end = rs[rs.length - 1];
  assert.ok(end?.kind === 'end');
  assert.equal(end.stats.skipped['RTM_NEWROUTE/AF_INET with RTA_ENCAP (lightweight tunnel)'], 5);
  assert.equal(end.stats.skipped['RTM_DELROUTE/AF_INET with RTA_ENCAP (lightweight tunnel)'], 1);
});

test(`${NAME} (monitor): an \`encap ip6\` route is an IPv4 route with encap, not an IPv6 route`, () => {
  const rs = parseIpMonitor(readMonitor(NAME), { emitSkipped: true });
  const lines = readMonitor(NAME).split('\n');
  const reasons = rs.flatMap((r) => (r.kind === 'skipped' && r.reason.includes('encap') ? [`${r.reason}: ${(lines[(r.line ?? 0) - 1] ?? '').replace(/^\[[^\]]*\] \[ROUTE\]/, '').trim()}`] : []));
  assert.deepEqual(reasons, [
    '[ROUTE] with encap (lightweight tunnel): 10.2.0.0/16  encap ip id 20 src 0.0.0.0 dst 192.0.2.3 ttl 64 tos 0 dev vx0 scope link',
    '[ROUTE] with encap (lightweight tunnel): 10.3.0.0/16  encap ip6 id 30 src :: dst 2001:db8::3 hoplimit 0 tc 0 dev vx0 scope link',
    '[ROUTE] with encap (lightweight tunnel): 10.2.0.0/16  encap ip id 21 src 0.0.0.0 dst 192.0.2.4 ttl 0 tos 0 dev vx0 scope link',
    '[ROUTE] with encap (lightweight tunnel): 10.4.0.0/16  encap ip id 40 src 0.0.0.0 dst 192.0.2.5 ttl 0 tos 0 dev vx0 scope link',
    '[ROUTE] with encap (lightweight tunnel): Deleted 10.3.0.0/16  encap ip6 id 30 src :: dst 2001:db8::3 hoplimit 0 tc 0 dev vx0 scope link',
    '[ROUTE] with encap (lightweight tunnel): 10.2.0.0/16  encap ip id 22 src 0.0.0.0 dst 192.0.2.6 ttl 0 tos 0 dev vx0 scope link',
  ]);
});

test(`${NAME} (before.json): the encap route is left out by name, the rest is read`, () => {
  const r = parseIpSnapshot(readJson(NAME, 'before.json'), { file: 'before.json' });
  assert.deepEqual(r.errors, []);
  assert.equal(r.skipped['route with encap (lightweight tunnel; ip -j prints the tunnel dst over the route dst)'], 1);
  assert.deepEqual(r.snapshot.route.filter((x) => x.table === undefined).map((x) => x.dst), ['default', '192.0.2.0/24']);
});
