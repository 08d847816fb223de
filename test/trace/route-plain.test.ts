// The plain-route fast path of the rtmon reader (core/trace/_rtnl-route-plain.ts) against
// the general path it stands in for (routeFromAttrs() in _rtnl-decode-route.ts): the same
// record, field for field and in the same key order (JSON output depends on it), on built
// messages of every shape it takes or must refuse, and on every route record of the traces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../core/trace/_rtnl-decode.js';
import { routeFromAttrs } from '../../core/trace/_rtnl-decode-route.js';
import { plainRoute } from '../../core/trace/_rtnl-route-plain.js';
import { Reader, type FrameMeta } from '../../core/trace/_rtnl-attrs.js';
import { RtmonDecoder } from '../../core/trace/rtmon.js';
import type { Op, RouteRecord } from '../../core/trace/netlink-records.js';
import { attr, concatBytes, ipv4, nlmsg, rtmsg, u32, type Endian } from './_netlink-builder.js';
import { allFixtureNames, readRtmon } from './_fixtures.js';

const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_TABLE = 15;

/** Both paths on one message: [fast path's record or null, general path's record]. */
function bothPaths(msg: Uint8Array, le: boolean, meta: FrameMeta): [RouteRecord | null, RouteRecord] {
  const r = new Reader(msg, le);
  const flags = r.u32(16 + 8);
  const op: Op = meta.nlmsgType === 24 ? 'new' : 'del';
  return [plainRoute(r, meta, op, r.u8(16), flags), routeFromAttrs(r, meta, op, r.u8(16), flags)];
}

function metaOf(type: number, time: boolean): FrameMeta {
  const m = { offset: 100, nlmsgType: type, nlmsgFlags: 0x600, nlmsgSeq: 7, nlmsgPid: 4242, dump: false };
  return time ? { ...m, time: { sec: 1795200000, usec: 12 } } : m;
}

const cases: { name: string; attrs: (e: Endian) => Uint8Array[]; plain: boolean }[] = [
  { name: 'table, dst, oif', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_DST, ipv4('10.1.2.0')), attr(e, RTA_OIF, u32(e, 3))], plain: true },
  { name: 'table, dst, gateway, oif', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 100)), attr(e, RTA_DST, ipv4('203.0.113.128')), attr(e, RTA_GATEWAY, ipv4('192.0.2.1')), attr(e, RTA_OIF, u32(e, 5))], plain: true },
  { name: 'a high address (dstAddr past 2^31)', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_DST, ipv4('255.255.255.255')), attr(e, RTA_OIF, u32(e, 1))], plain: true },
  { name: 'a priority besides', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_DST, ipv4('10.0.0.0')), attr(e, RTA_PRIORITY, u32(e, 20)), attr(e, RTA_OIF, u32(e, 3))], plain: false },
  { name: 'oif before dst', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_OIF, u32(e, 3)), attr(e, RTA_DST, ipv4('10.0.0.0'))], plain: false },
  { name: 'no RTA_DST (default route)', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_OIF, u32(e, 3))], plain: false },
  { name: 'a duplicate RTA_OIF', attrs: (e) => [attr(e, RTA_TABLE, u32(e, 254)), attr(e, RTA_DST, ipv4('10.0.0.0')), attr(e, RTA_OIF, u32(e, 3)), attr(e, RTA_OIF, u32(e, 4))], plain: false },
  { name: 'an 8-byte RTA_TABLE', attrs: (e) => [attr(e, RTA_TABLE, concatBytes(u32(e, 254), u32(e, 0))), attr(e, RTA_DST, ipv4('10.0.0.0')), attr(e, RTA_OIF, u32(e, 3))], plain: false },
];

test('a plain route message decodes to the general path\'s record, key order included', () => {
  let fast = 0;
  for (const c of cases) {
    for (const e of ['le', 'be'] as const) {
      for (const type of [24, 25]) {
        for (const time of [false, true]) {
          const msg = nlmsg(e, type, concatBytes(rtmsg(e, { dstLen: 24, scope: 253, protocol: 4, flags: 0 }), ...c.attrs(e)));
          const meta = metaOf(type, time);
          const [plain, general] = bothPaths(msg, e === 'le', meta);
          const what = `${c.name}, ${e}, type ${type}, ${time ? 'with' : 'without'} time`;
          assert.equal(plain !== null, c.plain, `${what}: taken by the fast path`);
          if (plain !== null) {
            fast++;
            assert.deepStrictEqual(plain, general, what);
            assert.equal(JSON.stringify(plain), JSON.stringify(general), `${what}: key order`);
          }
          // What the reader delivers is the general path's record in every case.
          const out = decodeMessage(msg, e === 'le', meta);
          assert.ok(out.ok === true, what);
          assert.equal(JSON.stringify(out.record), JSON.stringify(general), `${what}: decodeMessage`);
        }
      }
    }
  }
  assert.equal(fast, 3 * 2 * 2 * 2);
});

test('every route record of the traces is the general path\'s, field for field and in order', () => {
  let compared = 0;
  let plain = 0;
  for (const name of allFixtureNames()) {
    const bytes = readRtmon(name);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const records = [...new RtmonDecoder({ file: name, endian: 'auto' }).push(bytes)];
    for (const rec of records) {
      if (rec.kind !== 'route' || rec.offset === undefined) continue;
      // The traces are little-endian (the capturing hosts'), as the decoder found.
      const len = view.getUint32(rec.offset, true);
      const meta: FrameMeta = { offset: rec.offset, nlmsgType: rec.nlmsgType, nlmsgFlags: rec.nlmsgFlags ?? 0, nlmsgSeq: rec.nlmsgSeq ?? 0, nlmsgPid: rec.nlmsgPid ?? 0, dump: rec.dump, ...(rec.time === undefined ? {} : { time: rec.time }) };
      const r = new Reader(bytes, true, rec.offset, len);
      const flags = r.u32(16 + 8);
      const general = routeFromAttrs(r, meta, rec.op, rec.family, flags);
      assert.equal(JSON.stringify(rec), JSON.stringify(general), `${name} byte ${rec.offset}`);
      if (plainRoute(r, meta, rec.op, rec.family, flags) !== null) plain++;
      compared++;
    }
  }
  assert.ok(compared > 5000, `route records compared: ${compared}`);
  assert.ok(plain > 0, 'some records of the traces take the fast path');
});
