// Bench inputs for the FIB engine: a host's own configuration (devices, addresses, its
// routes and a few policy rules) with a whole table of routes through 1,024 gateways on an
// uplink, as a FibSnapshot built through the reducer, like a replay of `ip route add`s.
//
// Why: the engine answers `ip route get` on a FIB snapshot, so it is measured on one that
// looks like a router's: the real Internet table behind an uplink, plus what a host has of
// its own. Route i goes via gateway i mod 1024, so that the value the C, npm and kernel
// competitors store for prefix i (i mod 1024 + 1, _tables.ts) is exactly "which gateway
// the reference answers", and their answers can be checked against the reference.

import { runScript } from '../core/script/run-script.js';
import { reduceFib } from '../core/reduce/reduce.js';
import type { FibSnapshot } from '../core/snapshot/snapshot.js';
import type { RouteGetOutcome } from '../core/route/route-output.js';
import { deviceByName } from '../core/snapshot/snapshot.js';
import type { LpmEntry } from '../core/lpm/_prefix-index.js';
import { formatIp, prng, type BenchTable } from './_tables.js';

/** The uplink: 100.64.0.1/21 on eth0; gateway k is 100.64.1.0 + k (k < 1024). */
export const GATEWAYS = 1024;
const GW_BASE = 0x64400100;

/** Gateway k's address. */
export function gatewayOf(k: number): number {
  return (GW_BASE + k) >>> 0;
}

/** The host: lo, an uplink with 1,024 gateways, a management port with the default route, a
 * portless docker bridge, a blackhole, a policy table and four rules (two of which select on
 * the source or the mark, so they never match a destination-only flow). */
export const HOST_SCRIPT = [
  'ip link set lo up',
  'ip link add eth0 type veth peer name eth0p',
  'ip link set eth0 up',
  'ip link set eth0p up',
  'ip addr add 100.64.0.1/21 dev eth0',
  'ip link add eth1 type veth peer name eth1p',
  'ip link set eth1 up',
  'ip link set eth1p up',
  'ip addr add 192.168.1.10/24 dev eth1',
  'ip route add default via 192.168.1.1 dev eth1 metric 100',
  'ip link add docker0 type bridge',
  'ip link set docker0 up',
  'ip addr add 172.17.0.1/16 dev docker0',
  'ip route add blackhole 198.51.100.0/24',
  'ip route add 203.0.113.0/24 dev eth1 table 100',
  'ip route add default via 192.168.1.254 dev eth1 table 100',
  'ip rule add from 192.168.1.10 lookup 100 pref 100',
  'ip rule add to 203.0.113.0/24 lookup 100 pref 110',
  'ip rule add fwmark 0x1 lookup 100 pref 120',
  'ip rule add lookup main suppress_prefixlength 0 pref 130',
];

/**
 * Address ranges the host's own routes answer (and 0/8, 127/8, 224/3, which the output path
 * treats specially): queries avoid them, so that an answer is the table's (or none).
 */
const HOST_RANGES: readonly (readonly [number, number])[] = [
  [0x00000000, 8],
  [0x7f000000, 8],
  [0xe0000000, 3],
  [0x64400000, 21],
  [0xc0a80100, 24],
  [0xac110000, 16],
  [0xc6336400, 24],
  [0xcb007100, 24],
];

/** Whether a query address is outside the host's own ranges. */
export function tableQuery(a: number): boolean {
  for (const [p, l] of HOST_RANGES) if (((a ^ p) >>> (32 - l)) === 0) return false;
  return true;
}

/** A snapshot with a table, and what the bench needs to check answers. */
export interface FibBench {
  readonly snapshot: FibSnapshot;
  /** The entries the reducer accepted (value = gateway index + 1), as the competitors get them. */
  readonly table: BenchTable;
  /** Routes the reducer refused (duplicates, say). */
  readonly refused: number;
  readonly buildSeconds: number;
}

/**
 * The host's snapshot with `t`'s prefixes added to main via gateway (value - 1).
 *
 * 1. Run HOST_SCRIPT (runScript).
 * 2. Reduce one RTM_NEWROUTE event per prefix (what `ip route add P via G dev eth0` sends).
 */
export function fibBenchSnapshot(t: BenchTable): FibBench {
  const t0 = performance.now();
  let s: FibSnapshot | undefined;
  for (const l of runScript(HOST_SCRIPT.join('\n'))) {
    if (l.exit !== 0) throw new Error(`Cannot build the bench host: ${l.command}: ${l.stderr.trim()}`);
    s = l.snapshot;
  }
  if (s === undefined) throw new Error('Cannot build the bench host: empty script');
  const eth0 = deviceByName(s, 'eth0');
  if (eth0 === undefined) throw new Error('Cannot build the bench host: no eth0');
  const accepted: LpmEntry[] = [];
  let refused = 0;
  for (const e of t.entries) {
    const r = reduceFib(s, {
      type: 'route-new',
      op: 'add',
      cfg: {
        table: 254,
        dst: e.prefix,
        plen: e.len,
        tos: 0,
        type: 'unicast',
        scope: 0,
        protocol: 3,
        priority: 0,
        prefsrc: 0,
        nhs: [{ dev: eth0.ifindex, gw: gatewayOf((e.value - 1) % GATEWAYS), weight: 1, onlink: false }],
        multipath: false,
        nhid: 0,
      },
    });
    if (r.error !== null) {
      refused++;
      continue;
    }
    s = r.snapshot;
    accepted.push(e);
  }
  return { snapshot: s, table: { name: t.name, entries: accepted }, refused, buildSeconds: (performance.now() - t0) / 1000 };
}

const GW_INDEX = new Map<number, number>(Array.from({ length: GATEWAYS }, (_, k) => [gatewayOf(k), k + 1]));

/** The competitors' value for a reference answer: gateway index + 1 for a table route, else 0. */
export function valueOfAnswer(o: RouteGetOutcome): number {
  if (!o.ok || o.answer.kind !== 'route' || o.answer.gateway === null) return 0;
  return GW_INDEX.get(o.answer.gateway) ?? 0;
}

/** The same for an engine outcome's gateway. */
export function valueOfGateway(gw: number | null): number {
  return gw === null ? 0 : (GW_INDEX.get(gw) ?? 0);
}

/** Replaces every address tableQuery() refuses with a fresh draw from `draw` (seeded). */
export function onlyTableQueries(addrs: Uint32Array, draw: () => number): Uint32Array {
  for (let i = 0; i < addrs.length; i++) {
    let a = addrs[i]!;
    while (!tableQuery(a)) a = draw();
    addrs[i] = a;
  }
  return addrs;
}

/** Route events for the incremental figure: delete a table prefix, then add it back via another gateway. */
export interface RouteEventPlan {
  readonly prefix: number;
  readonly len: number;
  readonly gateway: number;
}

/** `count` events (delete, re-add) over random prefixes of the table (seeded). */
export function routeEventPlan(t: BenchTable, count: number, seed: number): RouteEventPlan[] {
  const rnd = prng(seed);
  const out: RouteEventPlan[] = [];
  for (let i = 0; i < count; i++) {
    const e = t.entries[rnd() % t.entries.length]!;
    out.push({ prefix: e.prefix, len: e.len, gateway: gatewayOf(rnd() % GATEWAYS) });
  }
  return out;
}

/** Applies one planned event pair as two snapshots: the prefix deleted, then re-added via its new gateway. */
export function applyRouteEvent(s: FibSnapshot, ev: RouteEventPlan): [FibSnapshot, FibSnapshot] {
  const eth0 = deviceByName(s, 'eth0')!;
  const del = reduceFib(s, {
    type: 'route-del',
    cfg: { table: 254, dst: ev.prefix, plen: ev.len, tos: 0, type: null, scope: 255, protocol: 0, priority: 0, prefsrc: 0, nhs: [], multipath: false, nhid: 0 },
  });
  if (del.error !== null) throw new Error(`Cannot delete ${formatIp(ev.prefix)}/${ev.len}: ${del.error.errno}`);
  const add = reduceFib(del.snapshot, {
    type: 'route-new',
    op: 'add',
    cfg: {
      table: 254,
      dst: ev.prefix,
      plen: ev.len,
      tos: 0,
      type: 'unicast',
      scope: 0,
      protocol: 3,
      priority: 0,
      prefsrc: 0,
      nhs: [{ dev: eth0.ifindex, gw: ev.gateway, weight: 1, onlink: false }],
      multipath: false,
      nhid: 0,
    },
  });
  if (add.error !== null) throw new Error(`Cannot add ${formatIp(ev.prefix)}/${ev.len}: ${add.error.errno}`);
  return [del.snapshot, add.snapshot];
}

/**
 * Events that change devices, addresses, devconf or rules (so the engine compiles in full)
 * but few answers: what a host sees between route updates.
 */
export const ENV_EVENTS = [
  'ip addr add 100.64.0.9/21 dev eth0',
  'sysctl -w net.ipv4.conf.eth1.ignore_routes_with_linkdown=1',
  'ip link set docker0 down',
  'ip rule add to 192.0.2.0/24 lookup 100 pref 140',
  'ip link set docker0 up',
  'ip addr del 100.64.0.9/21 dev eth0',
  'sysctl -w net.ipv4.conf.eth1.ignore_routes_with_linkdown=0',
  'ip rule del pref 140',
];

/** The snapshots after each of ENV_EVENTS, from `s`. */
export function envEventSnapshots(s: FibSnapshot): FibSnapshot[] {
  const out: FibSnapshot[] = [];
  for (const l of runScript(ENV_EVENTS.join('\n'), s)) {
    if (l.exit !== 0) throw new Error(`Cannot apply a bench event: ${l.command}: ${l.stderr.trim()}`);
    out.push(l.snapshot);
  }
  return out;
}
