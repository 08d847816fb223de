// The replayer on hand-made traces: causes and consequences, a consequence sent before
// its cause, --check findings, time travel by structural sharing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceReplayer, type ReplayStep } from '../../core/replay/replayer.js';
import { replayRecords, stateAt } from '../../core/replay/replay-run.js';
import { initialState } from '../../core/replay/initial-state.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';
import type { AddrRecord, RouteRecord, TraceRecord } from '../../core/trace/netlink-records.js';
import { formatFinding } from '../../core/replay/explain.js';
import { replayFixture } from './_replay-fixture.js';
import { fixtureNames } from '../trace/_fixtures.js';

function start() {
  const raw = {
    link: [
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'] },
      { ifindex: 2, ifname: 'eth1p', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] },
      { ifindex: 3, ifname: 'eth1', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'] },
    ],
    addr: [{ ifindex: 1, ifname: 'lo', flags: [], addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo' }] }],
    route: [
      { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'local', dst: '127.0.0.1', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '127.0.0.1', flags: [] },
    ],
    rule: [{ priority: 0, src: 'all', table: 'local' }, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }],
    netconf: [],
    nexthop: [],
  };
  const init = initialState(parseIpSnapshot(raw).snapshot);
  assert.deepEqual(init.differences, []);
  return { snapshot: init.snapshot, links: init.links, metrics: init.metrics };
}

let t = 0;
function meta(pid: number) {
  t += 10;
  return { nlmsgType: 0, nlmsgPid: pid, nlmsgFlags: 0, dump: false, time: { sec: 100, usec: t } };
}

function addr(op: 'new' | 'del', pid: number): AddrRecord {
  return { ...meta(pid), kind: 'addr', op, nlmsgType: op === 'new' ? 20 : 21, family: 2, ifindex: 3, prefixlen: 24, flags: 0x80, scope: 0, local: '10.10.0.1', address: '10.10.0.1', label: 'eth1' };
}

function kroute(op: 'new' | 'del', type: number, dst: string, plen: number, table: number, scope: number): RouteRecord {
  return { ...meta(0), kind: 'route', op, nlmsgType: op === 'new' ? 24 : 25, nlmsgFlags: op === 'new' ? 0x600 : 0, family: 2, dstLen: plen, srcLen: 0, tos: 0, table, protocol: 2, scope, type, flags: 0, dst, prefsrc: '10.10.0.1', oif: 3 };
}

function userRoute(op: 'new' | 'del', dst: string): RouteRecord {
  return { ...meta(4242), kind: 'route', op, nlmsgType: op === 'new' ? 24 : 25, nlmsgFlags: op === 'new' ? 0x600 : 0, family: 2, dstLen: 16, srcLen: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 0, dst, gateway: '10.10.0.254', oif: 3 };
}

const addTrace = (): TraceRecord[] => [
  addr('new', 77),
  kroute('new', 2, '10.10.0.1', 32, 255, 254),
  kroute('new', 1, '10.10.0.0', 24, 254, 253),
  kroute('new', 3, '10.10.0.255', 32, 255, 253),
  userRoute('new', '10.20.0.0'),
];

test('the kernel routes of an address are matched as consequences, not applied twice', () => {
  const { steps, missing } = replayRecords(addTrace(), start(), { form: 'binary' });
  assert.deepEqual(steps.map((s) => s.role), ['cause', 'consequence', 'consequence', 'consequence', 'cause']);
  assert.deepEqual([...steps.flatMap((s) => s.findings), ...missing].map(formatFinding), []);
});

test('deleting the last address flushes the static route silently, and --explain says so', () => {
  const trace = [...addTrace(), addr('del', 78), kroute('del', 1, '10.10.0.0', 24, 254, 253), kroute('del', 3, '10.10.0.255', 32, 255, 253), kroute('del', 2, '10.10.0.1', 32, 255, 254)];
  const { steps, missing } = replayRecords(trace, start(), { form: 'binary' });
  assert.deepEqual([...steps.flatMap((s) => s.findings), ...missing].map(formatFinding), []);
  const silent = steps.flatMap((s) => s.silent);
  assert.deepEqual(silent.map((c) => [c.kind, c.cause, c.kind === 'route-removed' ? c.json['dst'] : '']), [['route-removed', 'fib_disable_ip', '10.20.0.0/16']]);
});

test('a consequence sent before its cause pulls the cause forward', () => {
  const trace = [...addTrace(), kroute('del', 1, '10.10.0.0', 24, 254, 253), addr('del', 78), kroute('del', 3, '10.10.0.255', 32, 255, 253), kroute('del', 2, '10.10.0.1', 32, 255, 254)];
  const { steps, missing } = replayRecords(trace, start(), { form: 'binary' });
  assert.deepEqual([...steps.flatMap((s) => s.findings), ...missing].map(formatFinding), []);
  const pulled = steps.find((s) => s.pulledBy !== undefined);
  assert.equal(pulled?.record.kind, 'addr');
});

test('--check reports a notification the model does not predict, and one that never came', () => {
  const trace = [...addTrace()];
  trace.splice(2, 1);
  trace.push(kroute('new', 1, '10.99.0.0', 24, 254, 253));
  const { steps, missing } = replayRecords(trace, start(), { form: 'binary' });
  const lines = [...steps.flatMap((s) => s.findings), ...missing].map(formatFinding);
  assert.equal(lines.filter((l) => l.startsWith('missing')).length, 1);
  assert.match(lines.find((l) => l.startsWith('missing')) ?? '', /10\.10\.0\.0\/24/);
});

test('time travel: every step keeps its own snapshot, sharing what did not change', () => {
  const rp = new TraceReplayer(start(), { form: 'binary' });
  const steps: ReplayStep[] = [];
  for (const r of addTrace()) steps.push(...rp.push(r));
  steps.push(...rp.finish().steps);
  const first = steps[0];
  const last = steps[steps.length - 1];
  assert.ok(first !== undefined && last !== undefined);
  assert.notEqual(first.snapshot, last.snapshot);
  assert.equal(first.snapshot.rules, last.snapshot.rules);
  assert.equal(first.snapshot.devices.get(1), last.snapshot.devices.get(1));
  const s0 = stateAt(start(), steps, { kind: 'seq', seq: 0 });
  assert.equal(s0.snapshot.devices.get(3)?.addrs.length, 0);
  assert.equal(stateAt(start(), steps, { kind: 'seq', seq: 1 }).snapshot.devices.get(3)?.addrs.length, 1);
});

test('a fixture replays the same whether fed in one piece or record by record', () => {
  const name = fixtureNames()[0];
  if (name === undefined) return;
  const fr = replayFixture(name, 'rtmon');
  const rp = new TraceReplayer({ snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics }, { form: 'binary', lookahead: 1 });
  const steps: ReplayStep[] = [];
  for (const r of fr.records) if (!(r.kind === 'link' && r.dump)) steps.push(...rp.push(r));
  steps.push(...rp.finish().steps);
  assert.equal(steps[steps.length - 1]?.snapshot.tables.size, fr.result.steps[fr.result.steps.length - 1]?.snapshot.tables.size);
});

test('replaying any subsequence of a fixture, reordered locally, never throws (the replay takes whatever a trace says)', async () => {
  const fc = (await import('fast-check')).default;
  const names = fixtureNames().filter((n) => !n.startsWith('07') && !n.startsWith('08'));
  if (names.length === 0) return;
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), fc.nat(1000), (name, keep, swapSeed) => {
      const fr = replayFixture(name, 'rtmon');
      const recs = fr.records.filter((r, i) => (r.kind === 'link' && r.dump) || keep[i % keep.length] !== false);
      const j = swapSeed % Math.max(1, recs.length - 1);
      const a = recs[j];
      const b = recs[j + 1];
      if (a !== undefined && b !== undefined && !(a.kind === 'link' && a.dump)) {
        recs[j] = b;
        recs[j + 1] = a;
      }
      const { steps } = replayRecords(recs, { snapshot: fr.init.snapshot, links: fr.init.links, metrics: fr.init.metrics }, { form: 'binary' });
      return steps.every((s) => s.snapshot !== undefined);
    }),
    { numRuns: 60, seed: 5 },
  );
});
