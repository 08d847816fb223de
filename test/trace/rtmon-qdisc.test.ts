// RTM_NEWQDISC/DELQDISC read by the rtmon reader (core/trace/_rtnl-decode-qdisc.ts): struct
// tcmsg (20 bytes: family, pads, ifindex, handle, parent, info) and TCA_KIND. The capture
// test/fixtures/traces/17-root-qdisc (tc on a veth up and down and on a tap) gives the
// kernel's own sequence: adding a root qdisc notifies DELQDISC of the old one and NEWQDISC of
// the new one, deleting it one DELQDISC, a child qdisc and ingress their own parents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { readRtmon } from './_fixtures.js';
import { attr, concatBytes, cstr, nlmsg, tstamp, u32 } from './_netlink-builder.js';

const ROOT = 0xffffffff;

test('17-root-qdisc: every qdisc message, in order, as tc made them', () => {
  const rs = decodeRtmon(readRtmon('17-root-qdisc'));
  const q = rs.flatMap((r) => (r.kind === 'qdisc' ? [`${r.op} ${r.ifindex} ${r.parent === ROOT ? 'root' : r.parent.toString(16)} ${(r.handle >>> 16).toString(16)}: ${r.qdiscKind ?? '-'}`] : []));
  // v0 = 3 (up veth), d0 = 5 (down veth), tp0 = 6 (up tap).
  assert.deepEqual(q, [
    'del 3 root 0: noqueue', // tc qdisc add dev v0 root handle 1: htb (the old root, then the new)
    'new 3 root 1: htb',
    'new 3 10001 10: pfifo', // a child of class 1:1
    'new 3 fffffff1 ffff: ingress',
    'del 3 root 1: htb', // tc qdisc replace dev v0 root handle 2: pfifo limit 10
    'new 3 root 2: pfifo',
    'new 3 root 2: pfifo', // tc qdisc change
    'del 3 root 2: pfifo', // tc qdisc del dev v0 root: noqueue comes back unannounced
    'del 3 fffffff1 ffff: ingress',
    'new 5 root 8010: tbf', // tc qdisc add dev d0 root tbf (down: noop is not announced)
    'del 5 root 8010: tbf',
    'del 6 root 0: pfifo_fast', // tc qdisc add dev tp0 root pfifo (up)
    'new 6 root 8011: pfifo',
    'del 6 root 8011: pfifo', // tc qdisc del dev tp0 root: pfifo_fast comes back unannounced
    'del 6 root 0: pfifo_fast', // tc qdisc add dev tp0 root handle 5: pfifo limit 7
    'new 6 root 5: pfifo',
  ]);
});

test('a hand-built RTM_NEWQDISC: tcmsg fields and TCA_KIND', () => {
  const e = 'le';
  const tcmsg = concatBytes(new Uint8Array([0, 0, 0, 0]), u32(e, 7, 0x00010000, ROOT, 1));
  const bytes = concatBytes(tstamp(e, 1, 0), tstamp(e, 2, 0), nlmsg(e, 36, concatBytes(tcmsg, attr(e, 1, cstr('fq_codel')), attr(e, 2, u32(e, 9)))));
  const rs = decodeRtmon(bytes);
  const r = rs.find((x) => x.kind === 'qdisc');
  assert.ok(r !== undefined && r.kind === 'qdisc');
  assert.deepEqual({ op: r.op, ifindex: r.ifindex, handle: r.handle, parent: r.parent, kind: r.qdiscKind }, { op: 'new', ifindex: 7, handle: 0x10000, parent: ROOT, kind: 'fq_codel' });
});

test('a tcmsg shorter than 20 bytes is an error naming it', () => {
  const e = 'le';
  const rs = decodeRtmon(concatBytes(tstamp(e, 1, 0), tstamp(e, 2, 0), nlmsg(e, 37, new Uint8Array(12))));
  const err = rs.find((x) => x.kind === 'error');
  assert.ok(err !== undefined && err.kind === 'error');
  assert.match(err.message, /payload is 12 bytes, too short for its 20-byte tcmsg/);
});
