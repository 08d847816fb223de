import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkEvents, routeEvent, routeOp, netconfEvents, inetConfEvents, ruleEvent } from '../../core/replay/record-events.js';
import { INET_CONF_INDEX } from '../../core/replay/record-link-events.js';
import { DEVCONF_DEFAULTS } from '../../core/uapi/ip-devconf.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import type { LinkRecord, NetconfRecord, RouteRecord, RuleRecord } from '../../core/trace/netlink-records.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';

const noDev = (): undefined => undefined;

function withDevice(up: boolean, carrier: boolean): FibSnapshot {
  let s = reduceFib(initialSnapshot(), { type: 'link-add', link: { ifindex: 3, name: 'eth1', kind: 'other', up: false } }).snapshot;
  if (!carrier) s = reduceFib(s, { type: 'link-carrier', ifindex: 3, carrier: false }).snapshot;
  if (up) s = reduceFib(s, { type: 'link-set', ifindex: 3, up: true }).snapshot;
  return s;
}

function link(flags: number, extra: Partial<LinkRecord> = {}): LinkRecord {
  return { kind: 'link', op: 'new', family: 0, ifindex: 3, name: 'eth1', flags, nlmsgType: 16, dump: false, ...extra };
}

test('nlmsg_flags name the route request (formats README 1.5)', () => {
  assert.equal(routeOp(0x600), 'add');
  assert.equal(routeOp(0x500), 'replace');
  assert.equal(routeOp(0x100), 'change');
  assert.equal(routeOp(0xc00), 'append');
  assert.equal(routeOp(0x400), 'prepend');
  assert.equal(routeOp(undefined), undefined);
});

test('admin-up with carrier sets carrier before NETDEV_UP, admin-down goes before carrier loss', () => {
  const down = withDevice(false, false);
  assert.deepEqual(linkEvents(link(0x11003, { carrier: true }), down).map((e) => e.type + (e.type === 'link-set' ? String(e.up) : '')), ['link-carrier', 'link-settrue']);
  const up = withDevice(true, true);
  assert.deepEqual(linkEvents(link(0x1002, { carrier: false }), up).map((e) => e.type + (e.type === 'link-set' ? String(e.up) : '')), ['link-setfalse', 'link-carrier']);
});

test('a text link record says nothing of carrier while the device is down', () => {
  const up = withDevice(true, true);
  assert.deepEqual(linkEvents(link(0x1002), up).map((e) => e.type), ['link-set']);
});

test('an unknown ifindex is registered with the kind other, down', () => {
  const ev = linkEvents(link(0x1002, { ifindex: 7, name: 'wan0', carrier: false }), initialSnapshot());
  assert.equal(ev[0]?.type, 'link-add');
  if (ev[0]?.type === 'link-add') assert.deepEqual([ev[0].link.ifindex, ev[0].link.kind, ev[0].link.up], [7, 'other', false]);
});

test('RTM_DELLINK of a known device is link-del', () => {
  assert.deepEqual(linkEvents(link(0x1002, { op: 'del' }), withDevice(false, false)), [{ type: 'link-del', ifindex: 3 }]);
});

test('a text route line over an existing (table, prefix, tos, metric) is taken as a replace', () => {
  let s = withDevice(true, true);
  const r: RouteRecord = { kind: 'route', op: 'new', family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 253, type: 1, flags: 0, dst: '10.1.0.0', dev: 'eth1', nlmsgType: 24, dump: false };
  const resolve = (n: string): number | undefined => (n === 'eth1' ? 3 : undefined);
  const e = routeEvent(r, s, resolve);
  assert.ok(!('problem' in e) && e.type === 'route-new' && e.op === 'add');
  if (!('problem' in e)) s = reduceFib(s, e).snapshot;
  const e2 = routeEvent(r, s, resolve);
  assert.ok(!('problem' in e2) && e2.type === 'route-new' && e2.op === 'replace');
  assert.ok('problem' in routeEvent(r, s, noDev));
});

test('a plain request names its one nexthop, whether or not the request before named the same (the list is shared then)', () => {
  const s = withDevice(true, true);
  const base: RouteRecord = { kind: 'route', op: 'new', family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 253, type: 1, flags: 0, dst: '10.1.0.0', oif: 3, nlmsgType: 24, nlmsgFlags: 0x600, dump: false };
  const nhs = (r: RouteRecord): unknown => {
    const e = routeEvent(r, s, noDev);
    assert.ok(!('problem' in e) && e.type === 'route-new');
    return e.type === 'route-new' ? e.cfg.nhs : null;
  };
  const dev3 = [{ dev: 3, gw: null, weight: 1, onlink: false }];
  // In turn: the same, then a gateway, the same gateway, onlink, a device alone again.
  assert.deepEqual(nhs(base), dev3);
  assert.deepEqual(nhs({ ...base, dst: '10.2.0.0' }), dev3);
  assert.deepEqual(nhs({ ...base, gateway: '192.0.2.1' }), [{ dev: 3, gw: 0xc0000201, weight: 1, onlink: false }]);
  assert.deepEqual(nhs({ ...base, dst: '10.3.0.0', gateway: '192.0.2.1' }), [{ dev: 3, gw: 0xc0000201, weight: 1, onlink: false }]);
  assert.deepEqual(nhs({ ...base, gateway: '192.0.2.1', flags: 4 }), [{ dev: 3, gw: 0xc0000201, weight: 1, onlink: true }]);
  assert.deepEqual(nhs(base), dev3);
});

test('a partial RTM_NEWNETCONF is a sysctl write of what differs', () => {
  const s = withDevice(true, true);
  const r: NetconfRecord = { kind: 'netconf', op: 'new', family: 2, ifindex: 3, ignoreRoutesWithLinkdown: 1, nlmsgType: 80, dump: false };
  assert.deepEqual(netconfEvents(r, s, noDev), [{ type: 'sysctl', target: { kind: 'dev', ifindex: 3 }, key: 'ignore_routes_with_linkdown', value: 1 }]);
  assert.deepEqual(netconfEvents({ ...r, ignoreRoutesWithLinkdown: 0 }, s, noDev), []);
});

test('IFLA_INET_CONF reveals sysctls no netconf message announces (promote_secondaries), every modelled key by its IPV4_DEVCONF_* index', () => {
  const s = withDevice(true, true);
  const v = s.devices.get(3)?.conf.values;
  assert.ok(v !== undefined);
  // igmpv2/igmpv3_unsolicited_report_interval (27, 28) are no keys of the model: any value.
  const conf = new Array<number>(33).fill(12345);
  for (const [key, i] of INET_CONF_INDEX) conf[i - 1] = v[key];
  assert.deepEqual(inetConfEvents(3, conf, s), []);
  conf[19] = 1;
  assert.deepEqual(inetConfEvents(3, conf, s), [{ type: 'sysctl', target: { kind: 'dev', ifindex: 3 }, key: 'promote_secondaries', value: 1, observed: true }]);
  // shared_media (IPV4_DEVCONF_SHARED_MEDIA, 7) decides a <redirect> on the input path, and
  // no notification announces its writes: not taken from the record (UNANNOUNCED_LOOKUP_KEYS);
  // arp_evict_nocarrier is the last (33).
  conf[6] = 0;
  conf[32] = 0;
  assert.deepEqual(inetConfEvents(3, conf, s).map((e) => [e.key, e.value]), [['promote_secondaries', 1], ['arp_evict_nocarrier', 0]]);
  // The index list is the uapi enum: 31 keys, 1..33 without 27 and 28, in the order of DEVCONF_DEFAULTS.
  assert.deepEqual(INET_CONF_INDEX.map(([k]) => k), Object.keys(DEVCONF_DEFAULTS));
  assert.deepEqual(INET_CONF_INDEX.map(([, i]) => i), [...Array.from({ length: 26 }, (_, i) => i + 1), 29, 30, 31, 32, 33]);
});

test('IFLA_INET_CONF teaches a device the values an import did not know, equal ones included', () => {
  const s0 = withDevice(true, true);
  const s = reduceFib(s0, { type: 'devconf-unknown' }).snapshot;
  assert.equal(s.devices.get(3)?.conf.unknown.size, 31);
  const conf = new Array<number>(33).fill(0);
  for (const [key, i] of INET_CONF_INDEX) conf[i - 1] = DEVCONF_DEFAULTS[key];
  const evs = inetConfEvents(3, conf, s);
  // All but accept_local, route_localnet, src_valid_mark, send_redirects and shared_media.
  assert.equal(evs.length, 26);
  let t = s;
  for (const e of evs) t = reduceFib(t, e).snapshot;
  assert.deepEqual([...(t.devices.get(3)?.conf.unknown ?? [])].sort(), ['accept_local', 'route_localnet', 'send_redirects', 'shared_media', 'src_valid_mark']);
  // Observed values mark nothing set (a later write to default still reaches the device).
  assert.equal(t.devices.get(3)?.conf.set.size, s.devices.get(3)?.conf.set.size);
  assert.equal(t.confAll.unknown.size, 31);
});

test('a goto rule and its deletion', () => {
  const r: RuleRecord = { kind: 'rule', op: 'new', family: 2, dstLen: 16, srcLen: 0, tos: 0, table: 0, action: 2, flags: 4, priority: 190, goto: 200, dst: '172.31.0.0', nlmsgType: 32, dump: false };
  const add = ruleEvent(r);
  assert.ok(!('problem' in add) && add.type === 'rule-add' && add.rule.action === 'goto' && add.rule.gotoTarget === 200);
  const del = ruleEvent({ ...r, op: 'del' });
  assert.ok(!('problem' in del) && del.type === 'rule-del' && del.match.priority === 190);
});

test('a rule record keeps its realms (FRA_FLOW), in the rule and in its deletion', () => {
  const r: RuleRecord = { kind: 'rule', op: 'new', family: 2, dstLen: 10, srcLen: 0, tos: 0, table: 254, action: 1, flags: 0, priority: 500, dst: '100.64.0.0', flow: 7, nlmsgType: 32, dump: false };
  const add = ruleEvent(r);
  assert.ok(!('problem' in add) && add.type === 'rule-add');
  assert.equal(add.rule.flow, 7);
  const del = ruleEvent({ ...r, op: 'del' });
  assert.ok(!('problem' in del) && del.type === 'rule-del');
  assert.equal(del.match.flow, 7);
});

test('a rule record with a selector the model lacks (tun_id, dscp, a port mask) is not replayed, by name', () => {
  const r: RuleRecord = { kind: 'rule', op: 'new', family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 100, action: 1, flags: 0, priority: 600, nlmsgType: 32, dump: false };
  const problem = (x: RuleRecord): string => {
    const e = ruleEvent(x);
    return 'problem' in e ? e.problem : 'replayed';
  };
  assert.equal(problem({ ...r, tunId: '5' }), 'a rule with tun_id 5 (FRA_TUN_ID)');
  assert.equal(problem({ ...r, dscp: 10 }), 'a rule with dscp 10 (FRA_DSCP)');
  assert.equal(problem({ ...r, sportMask: 0xff00 }), 'a rule with a port mask (FRA_SPORT_MASK / FRA_DPORT_MASK)');
  assert.equal(problem({ ...r, tunId: '0' }), 'replayed');
});
