// Test helpers for the lookup engine: fast-check arbitraries for `ip` scripts that exercise
// what a destination-only `ip route get` depends on, and the destinations worth asking.
//
// A script is a fixed setup (two veth pairs, addresses) followed by random commands: routes
// of every type in main, local, default and two more tables (via, dev, src, tos, metric,
// multipath legs, nexthop objects, metrics, realms), rules with every selector and action
// (not, goto, suppress_prefixlength, suppress_ifgroup, realms), link flaps (linkdown, dead nexthops),
// interface groups, ignore_routes_with_linkdown and route_localnet. Commands the model
// refuses are simply refused, as on a real kernel; the snapshots after each line are what
// the properties look at. The universe is small so that commands collide.

import fc from 'fast-check';
import { runScript } from '../../core/script/run-script.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import { tableForEachLeaf as forEachLeaf } from '../../core/snapshot/fib-table.js';
import { formatIp4, maskOf, type Ip4 } from '../../core/net/ip4.js';

const SETUP = [
  'ip link add v0 type veth peer name v0p',
  'ip link add v1 type veth peer name v1p',
  'ip link set v0 up',
  'ip link set v0p up',
  'ip link set v1 up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip addr add 10.1.0.1/16 dev v1',
  'ip addr add 192.0.2.1/24 dev v0p',
];

const DEVS = ['v0', 'v1', 'v0p', 'v1p', 'lo'] as const;
const GWS = ['10.0.0.2', '10.0.0.3', '10.1.2.3', '192.0.2.9', '10.9.9.9'] as const;
/** Gateways with the device they are on (and a few that are not). */
const GW_DEVS = [
  ['10.0.0.2', 'v0'],
  ['10.0.0.3', 'v0'],
  ['10.1.2.3', 'v1'],
  ['192.0.2.9', 'v0p'],
  ['10.0.0.2', 'v1'],
] as const;
const PREFIXES = [
  'default',
  '0.0.0.0/1',
  '8.0.0.0/8',
  '8.8.8.0/24',
  '8.8.8.8',
  '10.0.0.0/8',
  '10.0.0.0/24',
  '10.0.0.128/25',
  '10.0.0.5',
  '10.1.0.0/16',
  '127.0.0.0/8',
  '192.0.2.0/24',
  '192.0.2.64/26',
  '198.51.100.0/24',
  '203.0.113.7',
  '224.0.0.0/4',
  '224.0.0.0/24',
  '255.255.255.255',
  '0.0.0.0/8',
] as const;
const TABLES = ['main', 'local', 'default', '100', '200'] as const;
const SRCS = ['10.0.0.1', '10.1.0.1', '192.0.2.1', '127.0.0.1'] as const;

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
/** `a` one time in `freq`, else ''. */
const maybe = (a: fc.Arbitrary<string>, freq = 3): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: fc.constant(''), weight: Math.round((freq - 1) * 10) }, { arbitrary: a, weight: 10 });

/** `ip route add|replace|append|prepend|del …` with any type and shape. */
function routeCommand(): fc.Arbitrary<string> {
  const type = fc.oneof(
    { arbitrary: fc.constant(''), weight: 10 },
    { arbitrary: pick(['local', 'broadcast', 'anycast', 'multicast', 'unicast']), weight: 3 },
    { arbitrary: pick(['blackhole', 'unreachable', 'prohibit', 'throw']), weight: 3 },
  );
  const shape = fc.oneof(
    { arbitrary: pick(DEVS).map((d) => `dev ${d}`), weight: 4 },
    { arbitrary: fc.tuple(pick(GWS), maybe(pick(DEVS).map((d) => `dev ${d}`), 2)).map(([g, d]) => `via ${g} ${d}`), weight: 5 },
    // An IPv6 gateway (RTA_VIA): the answer carries it as `via inet6` (scripts with IPv6 on).
    { arbitrary: fc.tuple(pick(['fe80::1', 'fe80::2', '2001:db8::1']), pick(DEVS)).map(([g, d]) => `via inet6 ${g} dev ${d}${g.startsWith('2001') ? ' onlink' : ''}`), weight: 2 },
    {
      arbitrary: fc
        .array(pick(GW_DEVS), { minLength: 1, maxLength: 3 })
        .map((legs) => legs.map(([g, d], i) => (i === 1 ? `nexthop via inet6 fe80::${i} dev ${d}` : `nexthop via ${g} dev ${d}`)).join(' ')),
      weight: 2,
    },
    { arbitrary: pick(['1', '2', '3', '10']).map((id) => `nhid ${id}`), weight: 2 },
    { arbitrary: fc.constant(''), weight: 1 },
  );
  const verb = fc.oneof({ arbitrary: fc.constant('add'), weight: 6 }, { arbitrary: pick(['replace', 'append', 'prepend', 'del']), weight: 3 });
  return fc
    .record({
      verb,
      type,
      prefix: pick(PREFIXES),
      tos: maybe(pick(['0x04', '0x10']).map((t) => `tos ${t}`), 8),
      shape,
      table: maybe(fc.oneof({ arbitrary: pick(['100', '200']), weight: 2 }, { arbitrary: pick(TABLES), weight: 1 }).map((t) => `table ${t}`), 1.6),
      src: maybe(pick(SRCS).map((a) => `src ${a}`), 5),
      metric: maybe(pick(['10', '100']).map((m) => `metric ${m}`), 4),
      scope: maybe(pick(['link', 'host', 'global']).map((s) => `scope ${s}`), 8),
      // RTA_METRICS and RTA_FLOW: the answer shows them when it has a fib_info.
      extra: maybe(pick(['mtu 1400', 'realm 5', 'realms 3/4', 'advmss 1000 realm 7']), 6),
    })
    .map((r) => {
      const errorType = ['blackhole', 'unreachable', 'prohibit', 'throw'].includes(r.type);
      // Multipath legs come last (iproute2 reads `nexthop` words to the end of the line).
      const legs = r.shape.startsWith('nexthop');
      const shape = errorType ? '' : r.shape;
      const body =
        r.verb === 'del'
          ? [r.type, r.prefix, r.table]
          : [r.type, r.prefix, r.tos, legs ? '' : shape, r.table, r.src, r.metric, r.scope, r.extra, legs ? shape : ''];
      return `ip route ${r.verb} ${body.filter((w) => w !== '').join(' ')}`;
    });
}

/**
 * `ip rule add [not] [selectors] pref N ACTION`, or a delete: mostly `to` rules whose other
 * selectors match the destination-only flow, so that they decide answers.
 */
function ruleCommand(): fc.Arbitrary<string> {
  const action = fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.oneof({ arbitrary: pick(['100', '200']), weight: 3 }, { arbitrary: pick(['main', 'local', 'default', '300']), weight: 2 }),
          maybe(pick(['0', '8', '24', '32']).map((n) => `suppress_prefixlength ${n}`), 3),
          maybe(pick(['0', '5']).map((g) => `suppress_ifgroup ${g}`), 6),
          maybe(pick(['9', '2/0']).map((r) => `realms ${r}`), 8),
        )
        .map(([t, sp, sg, rl]) => `lookup ${t} ${sp} ${sg} ${rl}`),
      weight: 12,
    },
    { arbitrary: pick(['50', '150', '300', '32766']).map((p) => `goto ${p}`), weight: 2 },
    { arbitrary: pick(['nop', 'unreachable', 'prohibit', 'blackhole']), weight: 4 },
  );
  const add = fc
    .record({
      not: maybe(fc.constant('not'), 4),
      from: maybe(pick(['10.0.0.0/8', '0.0.0.0/0', '192.0.2.1']).map((p) => `from ${p}`), 10),
      to: maybe(pick(['10.0.0.0/8', '10.0.0.0/24', '8.0.0.0/8', '8.8.8.0/24', '192.0.2.64/26', '224.0.0.0/4', '0.0.0.0/0', '0.0.0.0/1']).map((p) => `to ${p}`), 1.4),
      iif: maybe(pick(['lo', 'v0', 'v9']).map((d) => `iif ${d}`), 10),
      oif: maybe(pick(['v0', 'v9']).map((d) => `oif ${d}`), 14),
      fwmark: maybe(pick(['0', '7', '0x0/0x1']).map((m) => `fwmark ${m}`), 12),
      tos: maybe(fc.constant('tos 0x10'), 14),
      proto: maybe(pick(['ipproto udp', 'ipproto tcp', 'dport 53', 'sport 0', 'uidrange 0-0', 'uidrange 100-200']), 8),
      pref: pick(['50', '100', '150', '200', '300', '32765']),
      action,
    })
    .map((r) => `ip rule add ${[r.not, r.from, r.to, r.iif, r.oif, r.fwmark, r.tos, r.proto, `pref ${r.pref}`, r.action].filter((w) => w.trim() !== '').join(' ')}`.replace(/ +/g, ' ').trim());
  const del = pick(['50', '100', '150', '200', '300', '32766', '0']).map((p) => `ip rule del pref ${p}`);
  return fc.oneof({ arbitrary: add, weight: 5 }, { arbitrary: del, weight: 1 });
}

/** Links, addresses, nexthop objects and sysctls. */
function otherCommand(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.tuple(pick(DEVS), fc.boolean()).map(([d, up]) => `ip link set ${d} ${up ? 'up' : 'down'}`), weight: 4 },
    { arbitrary: fc.tuple(pick(['v0', 'v1', 'lo']), pick(['0', '5'])).map(([d, g]) => `ip link set dev ${d} group ${g}`), weight: 1 },
    {
      arbitrary: fc
        .tuple(pick(['add', 'del']), pick(['10.0.0.7/24', '10.0.0.1/24', '10.1.5.5/16', '10.1.0.1/16', '192.0.2.77/24', '192.0.2.1/24', '127.1.0.1/8', '198.51.100.1/32']), pick(['v0', 'v1', 'v0p', 'lo']))
        .map(([v, a, d]) => `ip addr ${v} ${a} dev ${d}`),
      weight: 3,
    },
    {
      arbitrary: fc.oneof(
        fc.tuple(pick(['1', '2', '3']), pick(GW_DEVS)).map(([id, [g, d]]) => `ip nexthop add id ${id} via ${g} dev ${d}`),
        fc.tuple(pick(['1', '2']), pick(['v0', 'v1'])).map(([id, d]) => `ip nexthop add id ${id} via fe80::${id} dev ${d}`),
        fc.tuple(pick(['1', '2']), pick(['v0', 'v1', 'lo'])).map(([id, d]) => `ip nexthop add id ${id} dev ${d}`),
        pick(['3']).map((id) => `ip nexthop add id ${id} blackhole`),
        pick(['1/2', '2/1', '1,2/3']).map((g) => `ip nexthop add id 10 group ${g}`),
        pick(['1', '2', '3', '10']).map((id) => `ip nexthop del id ${id}`),
      ),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(pick(['all', 'v0', 'v1']), pick(['ignore_routes_with_linkdown', 'route_localnet']), pick(['0', '1']))
        .map(([t, k, v]) => `sysctl -w net.ipv4.conf.${t}.${k}=${v}`),
      weight: 2,
    },
  );
}

/** Nexthop objects some scripts start with. */
const NEXTHOPS = ['ip nexthop add id 1 via 10.0.0.2 dev v0', 'ip nexthop add id 2 via 192.0.2.9 dev v0p', 'ip nexthop add id 3 blackhole', 'ip nexthop add id 10 group 1/2'];

/** A script: `lo` up or not, the setup, nexthop objects or not, then up to `maxCommands` random commands. */
export function fibScript(maxCommands = 14): fc.Arbitrary<string[]> {
  return fc
    .tuple(
      fc.boolean(),
      fc.boolean(),
      fc.array(
        fc.oneof({ arbitrary: routeCommand(), weight: 8 }, { arbitrary: ruleCommand(), weight: 4 }, { arbitrary: otherCommand(), weight: 3 }),
        { minLength: 1, maxLength: maxCommands },
      ),
    )
    .map(([lo, nh, body]) => [...(lo ? ['ip link set lo up', 'sysctl -w net.ipv6.conf.all.disable_ipv6=0'] : []), ...SETUP, ...(nh ? NEXTHOPS : []), ...body]);
}

/** The snapshot after each line of a script (the setup's included). */
export function snapshotsOf(lines: readonly string[]): FibSnapshot[] {
  return [...runScript(lines.join('\n'))].map((l) => l.snapshot);
}

/** Destinations that always matter: 0.0.0.0, 0/8, loopback, multicast (224.0.0.1 too), broadcast, class E. */
export const EDGE_DESTINATIONS: readonly Ip4[] = [
  0, 0x00000001, 0x00ffffff, 0x7f000001, 0x7fffffff, 0xe0000001, 0xe0000005, 0xe00000ff, 0xe0000100, 0xefffffff, 0xf0000001,
  0xfffffffe, 0xffffffff, 0x08080808, 0x0a000001, 0x0a000002, 0x0a0000ff, 0x0a010001, 0xc0000201, 0xc00002ff,
];

/**
 * Destinations where answers may change: the first, second, middle and last address of
 * every prefix of every table and their neighbours, the bounds of every rule's `to`, the
 * addresses of every device, and the edge destinations.
 */
export function probeDestinations(s: FibSnapshot, extra: readonly Ip4[] = []): Uint32Array {
  const out = new Set<number>([...EDGE_DESTINATIONS, ...extra]);
  for (const t of s.tables.values()) {
    forEachLeaf(t, (dst, plen) => {
      const last = (dst | ~maskOf(plen)) >>> 0;
      out.add(dst).add(last).add((dst + 1) >>> 0).add((dst + Math.floor((last - dst) / 2)) >>> 0);
      out.add((last + 1) >>> 0).add((dst - 1) >>> 0);
    });
  }
  for (const r of s.rules) {
    const last = (r.dst | ~maskOf(r.dstLen)) >>> 0;
    out.add(r.dst).add(last).add((r.dst - 1) >>> 0).add((last + 1) >>> 0);
  }
  for (const d of s.devices.values()) for (const a of d.addrs) out.add(a.local).add(a.address);
  return Uint32Array.from(out);
}

/** "a.b.c.d" for messages. */
export const ip = formatIp4;
