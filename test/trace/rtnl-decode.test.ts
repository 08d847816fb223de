import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, locateCut } from '../../core/trace/_rtnl-decode.js';
import { ipv6At } from '../../core/trace/_rtnl-attrs.js';
import { attr, concatBytes, nlmsg, rtmsg, u16, u32 } from './_netlink-builder.js';

const meta = { offset: 0, nlmsgType: 24, nlmsgFlags: 0, nlmsgSeq: 0, nlmsgPid: 0, dump: false };

test('IPv6 addresses print in RFC 5952 form (for RTA_VIA)', () => {
  const b = new Uint8Array(16);
  b[0] = 0xfe; b[1] = 0x80; b[15] = 1;
  assert.equal(ipv6At(b, 0), 'fe80::1');
  assert.equal(ipv6At(new Uint8Array(16), 0), '::');
  const c = new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(ipv6At(c, 0), '2001:db8:0:1::1');
});

test('an IPv4 route via an IPv6 gateway decodes RTA_VIA', () => {
  const via = concatBytes(u16('le', 10), new Uint8Array([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]));
  const msg = nlmsg('le', 24, concatBytes(rtmsg('le', {}), attr('le', 18, via), attr('le', 4, u32('le', 2))));
  const r = decodeMessage(msg, true, meta);
  assert.ok(r.ok === true && r.record.kind === 'route');
  assert.deepEqual(r.record.via, { family: 10, address: 'fe80::9' });
});

test('a cut message is located in its header, fixed header or attribute', () => {
  const msg = nlmsg('le', 24, concatBytes(rtmsg('le', {}), attr('le', 15, u32('le', 10)), attr('le', 5, new Uint8Array([1, 2, 3, 4]))));
  assert.deepEqual(locateCut(msg.subarray(0, 10), true, 24), { at: 0, what: 'the 16-byte netlink header' });
  assert.deepEqual(locateCut(msg.subarray(0, 20), true, 24), { at: 16, what: 'the 12-byte rtmsg' });
  assert.deepEqual(locateCut(msg.subarray(0, 38), true, 24), { at: 36, what: 'an attribute header' });
  assert.deepEqual(locateCut(msg.subarray(0, 42), true, 24), { at: 36, what: 'attribute RTA_GATEWAY (type 5)' });
  assert.deepEqual(locateCut(msg.subarray(0, 36), true, 24), { at: 36, what: 'the attribute list, after a complete attribute' });
});
