// Random scripts around the nexthops that output lookups of two kinds can share
// (core/route/rt-cache-output.ts): 224.0.0.0/4 and other prefixes, route types, a second
// table, nexthop objects and a group, multipath, a link going down.

import fc from 'fast-check';

export const CACHED_KIND_SETUP: readonly string[] = [
  'ip link set lo up',
  'ip link add v0 type veth peer name v0p',
  'ip link add v1 type veth peer name v1p',
  'ip link set v0 up',
  'ip link set v0p up',
  'ip link set v1 up',
  'ip link set v1p up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip addr add 10.1.0.1/24 dev v1',
  'ip nexthop add id 1 dev v0',
  'ip nexthop add id 2 via 10.1.0.2 dev v1',
  'ip nexthop add id 10 group 1/2',
];

/** Route and link commands around the nexthops two kinds of lookup can share. */
export function cachedKindScript(): fc.Arbitrary<string[]> {
  const w = <T>(...xs: readonly (readonly [T, number])[]): fc.Arbitrary<T> => fc.oneof(...xs.map(([x, weight]) => ({ arbitrary: fc.constant(x), weight })));
  const route = fc
    .tuple(
      w(['add', 4], ['del', 2], ['replace', 1], ['append', 1]),
      w(['', 6], ['multicast ', 1], ['broadcast ', 1], ['local ', 1], ['anycast ', 1]),
      w(['224.0.0.0/4', 3], ['239.1.0.0/16', 2], ['224.0.0.1', 1], ['10.11.0.0/16', 3], ['10.12.0.0/16', 2], ['default', 1], ['0.0.0.0/2', 1], ['255.255.255.255', 1], ['0.1.0.0/16', 1]),
      w(['', 4], [' proto static', 1], [' table 50', 2], [' metric 5', 1]),
      w(['dev v0', 4], ['dev v1', 1], ['nhid 1', 2], ['nhid 2', 2], ['nhid 10', 1], ['dev lo', 1], ['via 10.1.0.2 dev v1', 1], ['nexthop dev v0 nexthop via 10.1.0.2 dev v1', 1]),
    )
    // A deletion names the prefix (and table) alone, so that it finds a route to delete.
    .map(([op, type, dst, extra, via]) => (op === 'del' ? `ip route del ${dst}${extra === ' table 50' ? extra : ''}` : `ip route ${op} ${type}${dst}${extra} ${via}`));
  const other = fc.constantFrom('ip link set v1 down', 'ip link set v1 up', 'ip rule add to 224.0.0.0/4 table 50 pref 100', 'ip rule del pref 100', 'ip route flush table 50');
  return fc.array(fc.oneof({ arbitrary: route, weight: 6 }, { arbitrary: other, weight: 1 }), { minLength: 1, maxLength: 20 }).map((body) => [...CACHED_KIND_SETUP, ...body]);
}

