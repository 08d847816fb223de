import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runScript } from '../../core/script/run-script.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { RT_TABLE_MAIN } from '../../core/uapi/rtnetlink.js';
import { parseIp4 } from '../../core/net/ip4.js';

function after(script: string): FibSnapshot {
  let s = initialSnapshot();
  for (const l of runScript(script)) s = l.snapshot;
  return s;
}

const SETUP = `ip link add name veth0 up type veth peer name veth0peer
ip link set dev veth0peer up
ip addr add 192.0.2.2/24 dev veth0
ip route add default via 192.0.2.1 table 10
ip route add 10.0.0.0/8 via 192.0.2.1 table 20`;

test('a route add copies only the table it touches (structural sharing)', () => {
  const s = after(SETUP);
  const step = reduceFib(s, {
    type: 'route-new',
    op: 'add',
    cfg: { table: 10, dst: parseIp4('10.9.0.0') as number, plen: 16, tos: 0, type: 'blackhole', scope: 0, protocol: 3, priority: 0, prefsrc: 0, nhs: [], multipath: false, nhid: 0 },
  });
  assert.equal(step.error, null);
  assert.notEqual(step.snapshot, s);
  assert.notEqual(step.snapshot.tables.get(10), s.tables.get(10));
  assert.equal(step.snapshot.tables.get(20), s.tables.get(20));
  assert.equal(step.snapshot.tables.get(RT_TABLE_MAIN), s.tables.get(RT_TABLE_MAIN));
  assert.equal(step.snapshot.devices, s.devices);
  assert.equal(step.snapshot.rules, s.rules);
  assert.deepEqual(step.effects.map((e) => [e.kind, e.notified]), [['route-add', true]]);
});

test('a request the kernel refuses returns the very same snapshot and the errno', () => {
  const s = after(SETUP);
  const step = reduceFib(s, { type: 'addr-del', ifindex: 3, local: parseIp4('192.0.2.99') as number, prefixlen: 24 });
  assert.equal(step.snapshot, s);
  assert.deepEqual(step.error, { errno: 'EADDRNOTAVAIL', extack: 'ipv4: Address not found' });
  assert.deepEqual(step.effects, []);
});

test('an event that changes nothing returns the same snapshot', () => {
  const s = after(SETUP);
  const step = reduceFib(s, { type: 'link-set', ifindex: 3, up: true });
  assert.equal(step.snapshot, s);
  assert.equal(step.error, null);
});

test('deleting the last address flushes table 10 silently and notifies only the kernel routes (fib_disable_ip)', () => {
  const s = after(SETUP);
  const step = reduceFib(s, { type: 'addr-del', ifindex: 3, local: parseIp4('192.0.2.2') as number, address: parseIp4('192.0.2.2') as number, prefixlen: 24 });
  const dels = step.effects.filter((e) => e.kind === 'route-del');
  assert.deepEqual(
    dels.map((e) => (e.kind === 'route-del' ? [e.route.table, e.notified, e.cause] : null)),
    [
      [254, true, 'fib_magic'],
      [255, true, 'fib_magic'],
      [255, true, 'fib_magic'],
      [10, false, 'fib_disable_ip'],
      [20, false, 'fib_disable_ip'],
    ],
  );
  assert.equal(step.snapshot.tables.has(10), true, 'an emptied table still exists');
});

test('earlier snapshots never change when later events are applied', () => {
  const snaps: FibSnapshot[] = [];
  const texts: string[] = [];
  for (const l of runScript(`${SETUP}\nip link set dev veth0 down\nip link set dev veth0 up\nip rule add from 10.0.1.3 lookup 10`)) {
    snaps.push(l.snapshot);
    texts.push(JSON.stringify([...l.snapshot.tables.values()].map((t) => [t.id, t.lenCounts])));
  }
  snaps.forEach((s, i) => assert.equal(JSON.stringify([...s.tables.values()].map((t) => [t.id, t.lenCounts])), texts[i]));
});
