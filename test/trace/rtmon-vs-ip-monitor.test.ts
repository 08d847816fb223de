import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { parseIpMonitor } from '../../core/trace/ip-monitor.js';
import { isNetlinkRecord, type NetlinkRecord } from '../../core/trace/netlink-records.js';
import { fixtureNames, readMonitor, readRtmon } from './_fixtures.js';
import { projectAll } from './_compare.js';

function notifications(rs: ReturnType<typeof decodeRtmon>): NetlinkRecord[] {
  return rs.filter(isNetlinkRecord).filter((r) => !r.dump);
}

test('monitor.txt carries the same IPv4 link/addr/route/rule/netconf/nexthop notifications as trace.rtmon, in order', () => {
  for (const name of fixtureNames()) {
    const bin = projectAll(decodeRtmon(readRtmon(name)));
    const txt = projectAll(parseIpMonitor(readMonitor(name)));
    assert.equal(txt.length, bin.length, `${name}: number of notifications`);
    bin.forEach((b, i) => assert.deepEqual(txt[i], b, `${name}: notification #${i}`));
  }
});

test('each notification is stamped within 10 ms by rtmon and by ip -ts monitor', () => {
  for (const name of fixtureNames()) {
    const bin = notifications(decodeRtmon(readRtmon(name)));
    const txt = notifications(parseIpMonitor(readMonitor(name)));
    bin.forEach((b, i) => {
      const t = txt[i];
      assert.ok(b.time !== undefined && t?.time !== undefined, `${name} #${i}: both stamped`);
      const dt = Math.abs((b.time.sec - t.time.sec) * 1e6 + (b.time.usec - t.time.usec));
      assert.ok(dt < 10_000, `${name} #${i}: ${dt} us apart`);
    });
  }
});

test('the fixtures contain every notification kind the IR models', () => {
  const kinds = new Set<string>();
  for (const name of fixtureNames()) {
    for (const r of notifications(parseIpMonitor(readMonitor(name)))) kinds.add(`${r.kind}/${r.op}`);
  }
  assert.deepEqual([...kinds].sort(), [
    'addr/del', 'addr/new', 'link/del', 'link/new', 'netconf/del', 'netconf/new', 'nexthop/del',
    'nexthop/new', 'route/del', 'route/new', 'rule/del', 'rule/new',
  ]);
});
