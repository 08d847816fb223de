// The rtmon reader's faults: cut files, bad lengths, overflowing or short attributes, unknown
// types, the wrong byte order, oversized messages. Each names its byte offset and what was
// expected, keeps the records before it, and stops (strict) or skips the message (lenient).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRtmon } from '../../core/trace/rtmon-records.js';
import { readRtmon, lastRecord, withoutEnd } from './_fixtures.js';
import {
  attr, concatBytes, ifinfomsg, ipv4, nlmsg, rtmsg, tinyCapture, tstamp, u32,
} from './_netlink-builder.js';

const F01 = '01-addr-del-policy-route';
const F10 = '10-nexthop-objects';

const last = lastRecord;


test('a file cut inside a netlink header reports the offset and keeps the records before it', () => {
  const rs = decodeRtmon(readRtmon(F10).subarray(0, 24 + 7), { file: 'trace.rtmon' });
  assert.deepEqual(withoutEnd(rs), [
    { kind: 'timestamp', offset: 0, sec: 1795236725, usec: 949910 },
    {
      kind: 'error',
      offset: 24,
      expected: 'a 16-byte netlink header',
      message: 'trace.rtmon: byte 24: netlink header: the file ends after 7 of its 16 bytes',
      fatal: true,
    },
  ]);
});

test('a file cut inside an attribute names the message, the attribute and the offset', () => {
  const full = decodeRtmon(readRtmon(F10));
  const rs = decodeRtmon(readRtmon(F10).subarray(0, 8036 + 60), { file: 'trace.rtmon' });
  const err = rs[rs.length - 2];
  assert.deepEqual(err, {
    kind: 'error',
    offset: 8088,
    recordOffset: 8036,
    msgType: 24,
    expected: '88 bytes of RTM_NEWROUTE (nlmsg_len)',
    message: 'trace.rtmon: byte 8088: RTM_NEWROUTE at byte 8036: nlmsg_len 88 runs past the end of the file, only 60 bytes remain; the file was cut inside attribute RTA_MULTIPATH (type 9)',
    fatal: true,
  });
  assert.deepEqual(rs.slice(0, -2), full.filter((r) => r.kind !== 'end' && (r.offset ?? 0) < 8036));
});

test('nlmsg_len smaller than a header stops the reader, or resynchronises at the next stamp when lenient', () => {
  const bytes = new Uint8Array(readRtmon(F01));
  new DataView(bytes.buffer).setUint32(4508, 8, true); // the RTM_NEWRULE
  const strict = decodeRtmon(bytes, { file: 'trace.rtmon' });
  assert.deepEqual(strict[strict.length - 2], {
    kind: 'error',
    offset: 4508,
    msgType: 32,
    expected: 'nlmsg_len >= 16',
    message: 'trace.rtmon: byte 4508: netlink header: nlmsg_len 8 is smaller than the 16-byte header',
    fatal: true,
  });
  assert.equal(withoutEnd(strict).filter((r) => r.kind !== 'error').length, 5, 'stamp, 3 dumped links, stamp');
  const lenient = decodeRtmon(bytes, { lenient: true });
  const full = decodeRtmon(readRtmon(F01));
  const errors = lenient.filter((r) => r.kind === 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.kind === 'error' && errors[0].fatal, false);
  assert.deepEqual(lenient.filter((r) => r.kind !== 'error' && r.kind !== 'end'),
    full.filter((r) => r.kind !== 'end' && r.offset !== 4508));
  const end = last(lenient);
  assert.ok(end.kind === 'end');
  assert.equal(end.stats.errors, 1);
  assert.equal(end.stats.skipped['bytes skipped to resynchronise'], 80);
});

test('nlmsg_len past the end of the file is reported at the end', () => {
  const bytes = new Uint8Array(readRtmon(F01));
  new DataView(bytes.buffer).setUint32(4960, 200, true); // the last record, a 60-byte RTM_DELROUTE
  const rs = decodeRtmon(bytes, { file: 'trace.rtmon' });
  assert.deepEqual(rs[rs.length - 2], {
    kind: 'error',
    offset: 5020,
    recordOffset: 4960,
    msgType: 25,
    expected: '200 bytes of RTM_DELROUTE (nlmsg_len)',
    message: 'trace.rtmon: byte 5020: RTM_DELROUTE at byte 4960: nlmsg_len 200 runs past the end of the file, only 60 bytes remain; the file was cut inside the attribute list, after a complete attribute',
    fatal: true,
  });
  assert.equal(rs.filter((r) => r.kind === 'route').length, 3, 'the three routes before it are delivered');
});

test('an attribute overflowing its message is an error at its offset; lenient skips the message', () => {
  const bytes = new Uint8Array(readRtmon(F01));
  // The RTM_NEWRULE at 4508: header 16 + fib_rule_hdr 12, first attribute (FRA_TABLE) at 4536.
  new DataView(bytes.buffer).setUint16(4536, 200, true);
  const strict = decodeRtmon(bytes, { file: 'trace.rtmon' });
  assert.deepEqual(strict[strict.length - 2], {
    kind: 'error',
    offset: 4536,
    recordOffset: 4508,
    msgType: 32,
    expected: 'rta_len <= 52 (the bytes left in its container)',
    message: 'trace.rtmon: byte 4536: RTM_NEWRULE at byte 4508: FRA_TABLE (type 15) has rta_len 200, overflowing its container by 148 bytes',
    fatal: true,
  });
  const lenient = decodeRtmon(bytes, { lenient: true });
  assert.equal(lenient.filter((r) => r.kind === 'rule').length, 0);
  assert.equal(lenient.filter((r) => r.kind === 'route').length, 4);
  const end = last(lenient);
  assert.ok(end.kind === 'end');
  assert.equal(end.stats.errors, 1);
  assert.equal(end.stats.stopped, false);
});

test('an attribute shorter than its header is an error', () => {
  const bytes = new Uint8Array(readRtmon(F01));
  new DataView(bytes.buffer).setUint16(4536, 2, true);
  const rs = decodeRtmon(bytes);
  const e = rs[rs.length - 2];
  assert.ok(e !== undefined && e.kind === 'error');
  assert.equal(e.offset, 4536);
  assert.equal(e.message, 'byte 4536: RTM_NEWRULE at byte 4508: FRA_TABLE (type 15) has rta_len 2, smaller than its 4-byte header');
});

test('an unknown message type is an error in strict mode and skipped when lenient', () => {
  const bytes = new Uint8Array(readRtmon(F01));
  new DataView(bytes.buffer).setUint16(4508 + 4, 200, true);
  const strict = decodeRtmon(bytes);
  assert.deepEqual(strict[strict.length - 2], {
    kind: 'error',
    offset: 4508,
    msgType: 200,
    expected: 'NLMSG_TSTAMP (15) or an rtnetlink type (16..123)',
    message: 'byte 4508: unknown message type 200 (nlmsg_len 80): expected NLMSG_TSTAMP (15) or an rtnetlink type (16..123)',
    fatal: true,
  });
  const lenient = decodeRtmon(bytes, { lenient: true });
  assert.equal(lenient.filter((r) => r.kind === 'route').length, 4);
});

test('unknown attribute types and unmodelled rtnetlink types are skipped, not errors', () => {
  const e = 'le';
  const bytes = concatBytes(
    tstamp(e, 1, 0),
    tstamp(e, 2, 0),
    nlmsg(e, 40, new Uint8Array(20)), // RTM_NEWTCLASS
    tstamp(e, 3, 0),
    nlmsg(e, 24, concatBytes(rtmsg(e, { dstLen: 8 }), attr(e, 99, u32(e, 7)), attr(e, 1, ipv4('10.0.0.0')), attr(e, 0x8000 | 77, new Uint8Array(0)))),
  );
  const rs = decodeRtmon(bytes);
  const end = last(rs);
  assert.ok(end.kind === 'end');
  assert.equal(end.stats.errors, 0);
  assert.deepEqual(end.stats.skipped, { RTM_NEWTCLASS: 1 });
  const route = rs.find((r) => r.kind === 'route');
  assert.ok(route !== undefined && route.kind === 'route');
  assert.equal(route.dst, '10.0.0.0');
});

test('a payload shorter than the fixed header and a wrong-size address are errors', () => {
  const e = 'le';
  const short = decodeRtmon(concatBytes(tstamp(e, 1, 0), tstamp(e, 2, 0), nlmsg(e, 24, u32(e, 0))));
  assert.equal((short[short.length - 2] as { message?: string }).message,
    'byte 64: RTM_NEWROUTE at byte 48: payload is 4 bytes, too short for its 12-byte rtmsg');
  const badGw = decodeRtmon(concatBytes(tstamp(e, 1, 0), tstamp(e, 2, 0), nlmsg(e, 24, concatBytes(rtmsg(e, {}), attr(e, 5, new Uint8Array([10, 0, 0]))))));
  const err = badGw[badGw.length - 2];
  assert.ok(err !== undefined && err.kind === 'error');
  assert.equal(err.offset, 76);
  assert.equal(err.expected, 'a 4-byte payload');
  assert.equal(err.message, 'byte 76: RTM_NEWROUTE at byte 48: RTA_GATEWAY (type 5) has a 3-byte payload, expected 4');
});

test('a big-endian file is detected and named; endian big or auto decodes it like the little-endian one', () => {
  const be = tinyCapture('be');
  const rs = decodeRtmon(be, { file: 'be.rtmon' });
  assert.deepEqual(withoutEnd(rs), [{
    kind: 'error',
    offset: 0,
    msgType: 15,
    expected: 'a little-endian capture',
    message: "be.rtmon: byte 0: the file is big-endian: its first nlmsg_len reads 402653184 as little-endian but 24 as big-endian (type 15, NLMSG_TSTAMP); rtmon writes the capturing host's byte order, so read it with endian 'big' or 'auto'",
    fatal: true,
  }]);
  const le = decodeRtmon(tinyCapture('le'));
  assert.equal(le.filter((r) => r.kind === 'error').length, 0);
  assert.deepEqual(decodeRtmon(be, { endian: 'big' }), le);
  assert.deepEqual(decodeRtmon(be, { endian: 'auto' }), le);
  assert.equal(decodeRtmon(tinyCapture('le'), { endian: 'big' })[0]?.kind, 'error');
  const route = le.find((r) => r.kind === 'route');
  assert.ok(route !== undefined && route.kind === 'route');
  assert.deepEqual([route.dst, route.dstLen, route.gateway, route.oif, route.table, route.nlmsgFlags, route.dump], ['203.0.113.0', 24, '192.0.2.1', 3, 10, 0x600, false]);
});

test('nlmsg_len above maxMessageBytes is refused before it is buffered', () => {
  const e = 'le';
  const rs = decodeRtmon(concatBytes(tstamp(e, 1, 0), nlmsg(e, 16, ifinfomsg(e, { index: 1 }), { lenOverride: 5000 })), { maxMessageBytes: 4096 });
  assert.equal((rs[rs.length - 2] as { message?: string }).message,
    'byte 24: netlink header: nlmsg_len 5000 exceeds the limit of 4096 bytes (maxMessageBytes)');
});

