// A replay of a few route records, once per process, before the first real replay: so that
// V8 meets an IPv4 address above 2^30 (64.0.0.0) before it compiles the replay's code.
//
// Why: V8 stores a number field as a small integer (Smi, up to 2^30 - 1) until the first
// value that is not one, and compiles arithmetic for the kinds of number it has seen. A
// full table loaded in address order (a dump, a BGP session's first load, the replay bench)
// meets 64.0.0.0 only after ~420,000 records; the record's `dstAddr` (plainRoute()) and the
// request's `dst` (routeConfig()) then change representation, which retires the object
// shapes of every record and request (15 shapes), and V8 throws away the optimised code of
// every function that reads them: 19 functions deoptimised at once, and the deletes' path
// (first met when the churn starts) 7 more. Replayed once here, with addresses on both
// sides of 2^30 and a delete, those shapes and that feedback are settled before any of the
// real replay's code is optimised: 44 deoptimisations on the bench's 1M-record replay
// became 15; against the same build without it, 8 alternating pairs at load ~2 gave a median
// of 1.29 s against 1.31 s and 1.65 s of CPU against 1.75 s (README, the replay bench's
// section). It changes nothing else: its own FIB, its own lineage,
// its steps dropped. It runs inside the first replay's time (TraceReplayer's constructor),
// so every benchmark counts it.

import { RtmonDecoder } from '../trace/rtmon.js';
import { parseIpSnapshot } from '../trace/ip-json.js';
import type { TraceRecord } from '../trace/netlink-records.js';
import { initialState } from './initial-state.js';
import type { ReplayOptions, ReplayStart } from './replay-step.js';

/** What the warm-up needs of a replayer (TraceReplayer, passed in: it is the caller). */
export interface WarmupReplayer {
  push(r: TraceRecord): Iterable<unknown>;
  finish(): unknown;
}

const STAMP_LEN = 24;
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const NLM_F_CREATE_EXCL = 0x600;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_TABLE = 15;

/** The route messages: adds and deletes on both sides of 2^30, one through a gateway. */
const ROUTES: readonly { readonly op: 'add' | 'del'; readonly dst: number; readonly len: number; readonly gw?: number }[] = [
  { op: 'add', dst: 0xc6336400, len: 24 }, // 198.51.100.0/24 dev w1
  { op: 'add', dst: 0x0a400000, len: 16 }, // 10.64.0.0/16 dev w1
  { op: 'add', dst: 0xcb007100, len: 24, gw: 0xc6336401 }, // 203.0.113.0/24 via 198.51.100.1
  { op: 'del', dst: 0xcb007100, len: 24, gw: 0xc6336401 },
  { op: 'del', dst: 0x0a400000, len: 16 },
  { op: 'del', dst: 0xc6336400, len: 24 },
];

/** rtmon's bytes for ROUTES (formats README section 1): a time stamp before each message. */
function warmupTrace(oif: number): Uint8Array {
  const size = ROUTES.reduce((n, r) => n + STAMP_LEN + 16 + 12 + 24 + (r.gw === undefined ? 0 : 8), STAMP_LEN);
  const buf = new Uint8Array(size);
  const v = new DataView(buf.buffer);
  let o = 0;
  const stamp = (usec: number): void => {
    v.setUint32(o, STAMP_LEN, true);
    v.setUint16(o + 4, 15, true);
    v.setUint32(o + 16, 1795200000, true);
    v.setUint32(o + 20, usec, true);
    o += STAMP_LEN;
  };
  const attr = (type: number, value: number, networkOrder: boolean): void => {
    v.setUint16(o, 8, true);
    v.setUint16(o + 2, type, true);
    v.setUint32(o + 4, value, !networkOrder);
    o += 8;
  };
  stamp(0);
  ROUTES.forEach((r, i) => {
    stamp(i + 1);
    const len = 16 + 12 + 24 + (r.gw === undefined ? 0 : 8);
    v.setUint32(o, len, true);
    v.setUint16(o + 4, r.op === 'add' ? RTM_NEWROUTE : RTM_DELROUTE, true);
    v.setUint16(o + 6, r.op === 'add' ? NLM_F_CREATE_EXCL : 0, true);
    v.setUint32(o + 8, i + 1, true);
    v.setUint32(o + 12, 4242, true);
    // rtmsg: AF_INET, dst_len, table main, proto boot, scope (link, or universe via a gateway), unicast.
    buf[o + 16] = 2;
    buf[o + 17] = r.len;
    buf[o + 20] = 254;
    buf[o + 21] = 3;
    buf[o + 22] = r.gw === undefined ? 253 : 0;
    buf[o + 23] = 1;
    o += 28;
    attr(RTA_TABLE, 254, false);
    attr(RTA_DST, r.dst, true);
    if (r.gw !== undefined) attr(RTA_GATEWAY, r.gw, true);
    attr(RTA_OIF, oif, false);
  });
  return buf;
}

/** The start: lo and w1 (ifindex 2), both up, no address; the three default rules. */
function warmupStart(): ReplayStart {
  const up = ['UP', 'LOWER_UP'];
  const raw = {
    link: [
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', ...up], mtu: 65536, qdisc: 'noqueue', operstate: 'UNKNOWN', group: 'default', txqlen: 1000, link_type: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' },
      { ifindex: 2, ifname: 'w1', flags: ['BROADCAST', 'MULTICAST', ...up], mtu: 1500, qdisc: 'noqueue', operstate: 'UP', group: 'default', txqlen: 1000, link_type: 'ether', address: '02:00:00:00:00:02', broadcast: 'ff:ff:ff:ff:ff:ff' },
    ],
    addr: [],
    route: [],
    rule: [
      { priority: 0, src: 'all', table: 'local' },
      { priority: 32766, src: 'all', table: 'main' },
      { priority: 32767, src: 'all', table: 'default' },
    ],
    netconf: [],
    nexthop: [],
  };
  const init = initialState(parseIpSnapshot(raw).snapshot);
  return { snapshot: init.snapshot, links: init.links, metrics: init.metrics };
}

/** The warm-up's records replayed through a replayer `make` builds, with their steps (for its test). */
export function replayWarmup(make: (start: ReplayStart, opts: ReplayOptions) => WarmupReplayer): { readonly records: TraceRecord[]; readonly steps: unknown[] } {
  // The options a bulk replay uses: binary, in place, no --explain, no --check.
  const rp = make(warmupStart(), { form: 'binary', explain: false, check: false, inPlace: true });
  const dec = new RtmonDecoder({ file: '(warm-up)', emitTimestamps: false });
  const records: TraceRecord[] = [];
  const steps: unknown[] = [];
  for (const r of [...dec.push(warmupTrace(2)), ...dec.finish()]) {
    if (r.kind !== 'route') continue;
    records.push(r);
    for (const st of rp.push(r)) steps.push(st);
  }
  steps.push(rp.finish());
  return { records, steps };
}

let done = false;

/** replayWarmup() once per process, its steps dropped; later calls do nothing. */
export function warmShapes(make: (start: ReplayStart, opts: ReplayOptions) => WarmupReplayer): void {
  if (done) return;
  done = true;
  replayWarmup(make);
}
