import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareTimestamps, familyName, formatTimestamp, isNetlinkRecord, legWeight, nlmsgTypeName,
  type TraceRecord,
} from '../../core/trace/netlink-records.js';

test('message types are named as rtmon_decode.py names them', () => {
  assert.equal(nlmsgTypeName(15), 'NLMSG_TSTAMP');
  assert.equal(nlmsgTypeName(24), 'RTM_NEWROUTE');
  assert.equal(nlmsgTypeName(105), 'RTM_DELNEXTHOP');
  assert.equal(nlmsgTypeName(200), 'TYPE_200');
  assert.equal(familyName(10), 'AF_INET6');
  assert.equal(familyName(42), 'AF_42');
});

test('a multipath leg weight is rtnh_hops + 1', () => {
  assert.equal(legWeight({ flags: 0, hops: 2 }), 3);
});

test('time stamps print as sec.usec with six digits and order by sec then usec', () => {
  assert.equal(formatTimestamp({ sec: 1795236727, usec: 5 }), '1795236727.000005');
  assert.ok(compareTimestamps({ sec: 1, usec: 999999 }, { sec: 2, usec: 0 }) < 0);
  assert.equal(compareTimestamps({ sec: 2, usec: 3 }, { sec: 2, usec: 3 }), 0);
});

test('only link/addr/route/rule/netconf/nexthop records are netlink notifications', () => {
  const stamp: TraceRecord = { kind: 'timestamp', sec: 1, usec: 0 };
  const rule: TraceRecord = { kind: 'rule', op: 'new', nlmsgType: 32, dump: false, family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 254, action: 1, flags: 0 };
  assert.equal(isNetlinkRecord(stamp), false);
  assert.equal(isNetlinkRecord(rule), true);
});
