// The bounded universe the generated scripts live in: device names, subnets (overlapping,
// with secondaries, peers, /31 and /32), gateways, route prefixes, tables. Small on
// purpose, so that random commands collide: same prefix, same subnet, same device.

import fc from 'fast-check';
import { formatIp4, maskOf, parseIp4, type Ip4 } from '../../core/net/ip4.js';

/** veth pair names: `vethK` and its peer `vethKpeer`, K < 4. */
export const VETH = ['veth0', 'veth1', 'veth2', 'veth3'] as const;
export const peerOf = (veth: string): string => `${veth}peer`;
export const BRIDGE = 'br0';
/** The macvlan name (on a veth, the bridge or another macvlan). */
export const MACVLAN = 'mv0';
/** Names a down device may be renamed to (rules may name them before they exist). */
export const RENAMES = ['vethr0', 'vethr1'] as const;

/** A device name, weighted towards the first two pairs and the bridge. */
export function deviceName(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('veth0', 'veth1'), weight: 8 },
    { arbitrary: fc.constantFrom('veth2', 'veth3'), weight: 2 },
    { arbitrary: fc.constant(BRIDGE), weight: 3 },
    { arbitrary: fc.constantFrom('veth0peer', 'veth1peer'), weight: 2 },
    { arbitrary: fc.constant('lo'), weight: 1 },
    { arbitrary: fc.constantFrom(...RENAMES), weight: 1 },
    { arbitrary: fc.constant(MACVLAN), weight: 1 },
  );
}

/** Any name of the universe (for link set/del and rule iif/oif). */
export function anyDeviceName(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: deviceName(), weight: 5 },
    { arbitrary: fc.constantFrom('veth2peer', 'veth3peer'), weight: 1 },
  );
}

/** A subnet addresses are drawn from. */
export interface Subnet {
  readonly prefix: Ip4;
  readonly len: number;
}

const sub = (text: string): Subnet => {
  const [a, l] = text.split('/');
  return { prefix: parseIp4(a ?? '') ?? 0, len: Number(l) };
};

/** Overlapping subnets (192.0.2.0/24 vs /25s, 10.1.0.0/16 vs 10.1.2.0/24), a /31 and a /32. */
export const SUBNETS: readonly Subnet[] = [
  sub('192.0.2.0/24'),
  sub('192.0.2.0/25'),
  sub('192.0.2.128/25'),
  sub('198.51.100.0/24'),
  sub('10.1.0.0/16'),
  sub('10.1.2.0/24'),
  sub('203.0.113.0/31'),
  sub('203.0.113.7/32'),
];

/** Host numbers inside a subnet (masked to its host part). */
const HOSTS = [1, 2, 3, 5, 100, 126, 129, 130, 254] as const;

/** An address inside a subnet: prefix | (host & hostmask). */
export function addrIn(s: Subnet, host: number): Ip4 {
  return ((s.prefix & maskOf(s.len)) | (host & ~maskOf(s.len))) >>> 0;
}

/** A local address with its subnet, as `A.B.C.D/len`. */
export function localAddress(): fc.Arbitrary<{ addr: Ip4; len: number }> {
  return fc
    .tuple(fc.constantFrom(...SUBNETS), fc.constantFrom(...HOSTS))
    .map(([s, h]) => ({ addr: addrIn(s, h), len: s.len }));
}

/** Every address a configured subnet contains that scripts use (hosts of every subnet). */
export const KNOWN_HOSTS: readonly Ip4[] = [...new Set(SUBNETS.flatMap((s) => HOSTS.map((h) => addrIn(s, h))))];

/** A gateway: a host of one of the subnets (sometimes one of our own addresses). */
export function gateway(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('192.0.2.1', '192.0.2.5', '192.0.2.130', '198.51.100.1', '10.1.2.1', '10.1.0.9', '203.0.113.1', '10.9.0.2'), weight: 6 },
    { arbitrary: fc.constantFrom(...KNOWN_HOSTS).map(formatIp4), weight: 2 },
    { arbitrary: fc.constantFrom('8.8.8.8', '192.0.2.255'), weight: 1 },
  );
}

/**
 * IPv6 gateways of IPv4 routes and v6 nexthop objects (`via inet6 G`): link-local ones
 * mostly (accepted with a device), then the kinds ip6_validate_gw() treats apart: global
 * and IPv4-mapped (onlink only), ::1 (local while lo is up), multicast and :: (invalid).
 */
export function gateway6(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('fe80::1', 'fe80::2', 'fe80::a:1', 'FE80::1'), weight: 6 },
    { arbitrary: fc.constantFrom('2001:db8::1', '::ffff:192.0.2.1', '::1', '::192.0.2.9'), weight: 2 },
    { arbitrary: fc.constantFrom('ff02::1', '::'), weight: 1 },
  );
}

/** Route destinations: nested and overlapping prefixes, a /32, default; rarely host bits set. */
export const ROUTE_PREFIXES = [
  'default',
  '10.0.0.0/8',
  '10.1.0.0/16',
  '10.1.2.0/24',
  '10.1.2.3',
  '10.2.0.0/16',
  '192.0.2.0/24',
  '192.0.2.0/25',
  '192.0.2.128/25',
  '198.51.100.0/24',
  '198.51.100.77',
  '203.0.113.0/24',
  '172.16.0.0/12',
] as const;

export function routePrefix(): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ROUTE_PREFIXES), weight: 30 },
    { arbitrary: fc.constant('10.1.2.3/24'), weight: 1 },
  );
}

/** Rule selectors: a few prefixes overlapping the route prefixes. */
export function rulePrefix(): fc.Arbitrary<string> {
  return fc.constantFrom('10.0.0.0/8', '10.1.2.0/24', '192.0.2.0/24', '192.0.2.2', '198.51.100.0/24', '203.0.113.0/24', '0.0.0.0/0');
}

/** Tables: main (by omission or name), local, 10, 20, and default. */
export function tableWord(): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 8 },
    { arbitrary: fc.constantFrom('10', '20'), weight: 5 },
    { arbitrary: fc.constantFrom('main', 'local'), weight: 2 },
    { arbitrary: fc.constant('default'), weight: 1 },
  );
}

/** Every prefix the universe configures, for `ip route get` targets (network, edges, middle). */
export const CONFIGURED_PREFIXES: readonly Subnet[] = [
  ...SUBNETS,
  ...ROUTE_PREFIXES.map((p) => (p === 'default' ? { prefix: 0, len: 0 } : p.includes('/') ? sub(p) : sub(`${p}/32`))),
  sub('10.9.0.2/32'),
  sub('10.9.5.0/24'),
];

/** A destination for `ip route get`: an edge or the middle of a configured prefix, a known host, or anything. */
export function lookupAddress(): fc.Arbitrary<string> {
  const edge = fc
    .tuple(fc.constantFrom(...CONFIGURED_PREFIXES), fc.constantFrom<'first' | 'second' | 'middle' | 'last' | 'after'>('first', 'second', 'middle', 'last', 'after'))
    .map(([s, where]) => {
      const net = (s.prefix & maskOf(s.len)) >>> 0;
      const size = 2 ** (32 - s.len);
      const off = where === 'first' ? 0 : where === 'second' ? 1 : where === 'middle' ? Math.floor(size / 2) + 3 : where === 'last' ? size - 1 : size;
      return formatIp4((net + Math.min(off, size === 1 ? off : off)) >>> 0);
    });
  return fc.oneof(
    { arbitrary: edge, weight: 6 },
    { arbitrary: fc.constantFrom(...KNOWN_HOSTS).map(formatIp4), weight: 4 },
    { arbitrary: fc.ipV4(), weight: 2 },
    { arbitrary: fc.constantFrom('255.255.255.255', '0.0.0.0', '127.0.0.1', '224.0.0.1', '224.0.0.5', '239.1.2.3'), weight: 1 },
  );
}
