// Writes a synthetic rtmon file: a time stamp, then for each route event a time stamp and
// an RTM_NEWROUTE / RTM_DELROUTE as `ip route add|del P dev X` would make the kernel send
// it (rtmsg: AF_INET, scope link, proto boot, table main; RTA_TABLE, RTA_DST, RTA_OIF),
// little-endian, the framing of ../shared/formats/README.md section 1.

import { prng } from './_tables.js';

/** One route event of the generated trace. */
export interface GenEvent {
  readonly op: 'add' | 'del';
  readonly prefix: number;
  readonly len: number;
}

/**
 * The generated workload of the replay and report benches: `entries` added in order, then
 * random deletions and re-additions (seeded) up to `total` events.
 */
export function churnEvents(entries: readonly { readonly prefix: number; readonly len: number }[], total: number): GenEvent[] {
  const events: GenEvent[] = entries.map((e) => ({ op: 'add', prefix: e.prefix, len: e.len }));
  const rnd = prng(5);
  while (events.length + 2 <= total) {
    const e = entries[rnd() % entries.length];
    if (e === undefined) break;
    events.push({ op: 'del', prefix: e.prefix, len: e.len }, { op: 'add', prefix: e.prefix, len: e.len });
  }
  return events;
}

const STAMP_LEN = 24;
const ROUTE_LEN = 16 + 12 + 8 + 8 + 8;

/** The rtmon bytes of `events` on device `oif`, one stamp per message. */
export function rtmonRouteTrace(events: readonly GenEvent[], oif: number, t0: number): Uint8Array {
  const buf = new Uint8Array(STAMP_LEN * (events.length + 1) + ROUTE_LEN * events.length);
  const v = new DataView(buf.buffer);
  let o = 0;
  const stamp = (i: number): void => {
    v.setUint32(o, STAMP_LEN, true);
    v.setUint16(o + 4, 15, true);
    v.setUint32(o + 16, t0 + Math.floor(i / 1000000), true);
    v.setUint32(o + 20, i % 1000000, true);
    o += STAMP_LEN;
  };
  stamp(0);
  events.forEach((e, i) => {
    stamp(i + 1);
    v.setUint32(o, ROUTE_LEN, true);
    v.setUint16(o + 4, e.op === 'add' ? 24 : 25, true);
    v.setUint16(o + 6, e.op === 'add' ? 0x600 : 0, true);
    v.setUint32(o + 8, i + 1, true);
    v.setUint32(o + 12, 4242, true);
    const m = o + 16;
    buf[m] = 2;
    buf[m + 1] = e.len;
    buf[m + 4] = 254;
    buf[m + 5] = 3;
    buf[m + 6] = 253;
    buf[m + 7] = 1;
    let a = m + 12;
    v.setUint16(a, 8, true);
    v.setUint16(a + 2, 15, true);
    v.setUint32(a + 4, 254, true);
    a += 8;
    v.setUint16(a, 8, true);
    v.setUint16(a + 2, 1, true);
    v.setUint32(a + 4, e.prefix, false);
    a += 8;
    v.setUint16(a, 8, true);
    v.setUint16(a + 2, 4, true);
    v.setUint32(a + 4, oif, true);
    o += ROUTE_LEN;
  });
  return buf;
}

/**
 * The `ip -j` snapshot (before.json) a generated trace starts from: lo with its local routes,
 * the veth pair v0p (2) and v0 (3) up, the three default rules; the trace's routes go via v0.
 */
export function vethPairInitialJson(): string {
  const link = (ifindex: number, ifname: string): Record<string, unknown> => ({ ifindex, ifname, flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, qdisc: 'noqueue', operstate: 'UP', group: 'default', txqlen: 1000, link_type: 'ether', address: `02:00:00:00:00:0${ifindex}` });
  return JSON.stringify({
    link: [{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN', group: 'default', txqlen: 1000, link_type: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' }, link(2, 'v0p'), link(3, 'v0')],
    addr: [{ ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host', label: 'lo' }] }],
    route: [
      { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'local', dst: '127.0.0.1', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
      { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '127.0.0.1', flags: [] },
    ],
    rule: [{ priority: 0, src: 'all', table: 'local' }, { priority: 32766, src: 'all', table: 'main' }, { priority: 32767, src: 'all', table: 'default' }],
    netconf: [],
    nexthop: [],
  });
}
