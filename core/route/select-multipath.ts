// fib_select_multipath() (fib_semantics.c, Linux 6.18) and nexthop_select_path()
// (nexthop.c): which leg of a multipath route a flow takes.
//
// The kernel hashes the flow with a seed drawn at boot and takes the leg whose upper bound
// covers the hash; legs whose upper bound is -1 (dead, or linkdown where
// ignore_routes_with_linkdown applied at the last fib_rebalance()) take no part. Since
// 6.18 a flow with a source address scores a leg whose nh_saddr is that address above the
// hash, so when exactly one eligible leg has it, the answer is that leg whatever the seed.
// nh_saddr is computed when the fib_info is created and refreshed only by a later lookup
// that needs the leg's source (fib_result_prefsrc() once dev_addr_genid moved): after an
// address change it depends on which lookups ran, so it is trusted only while no address
// changed since the fib_info was made. Nexthop objects choose by hash alone
// (nexthop_select_path_hthr / _res). Everything the seed decides is reported as such,
// never guessed.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { aliasNexthops, type FibResult, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { ignoreLinkdown, ignoreLinkdownKnown } from '../snapshot/snapshot.js';
import type { DevconfAssume } from './devconf-assume.js';
import { inetSelectAddr } from '../snapshot/select-addr.js';
import type { Ip4 } from '../net/ip4.js';
import { nhSaddrKey } from '../snapshot/saddr-mark.js';
import { nhGw4 } from './prefsrc.js';

export type LegChoice =
  | { readonly kind: 'leg'; readonly index: number }
  /**
   * The leg depends on the flow hash and its per-boot seed. `legs`: the indices the hash can
   * land on (upper bound not -1), for a route's own legs; absent for a nexthop group, whose
   * member also depends on its neighbours' state (nexthop_select_path_hthr()).
   */
  | { readonly kind: 'hash'; readonly why: string; readonly legs?: readonly number[] };

/**
 * fib_nh_upper_bound == -1 as the last fib_rebalance() left it. A linkdown leg on a device
 * whose ignore_routes_with_linkdown an imported state does not give: the kernel's last
 * rebalance read the value the model does not know (the model's own took it as 0), so it
 * is asked of `a`, and explore() (devconf-assume.ts) runs the lookup under both values.
 */
function outOfRebalance(s: FibSnapshot, nh: ResolvedNh, a: DevconfAssume | undefined): boolean {
  if (a !== undefined && nh.linkdown && !nh.dead && ignoreLinkdownKnown(s, nh.dev) === null) return a.ignoreLinkdown(s, nh.dev);
  if (nh.lbExcluded !== undefined) return nh.lbExcluded;
  return nh.dead || (nh.linkdown && ignoreLinkdown(s, nh.dev));
}

/**
 * The leg the kernel takes for this result, given the flow's source address (0 when the
 * flow has none, as on the input path, where ip_mkroute_input() passes no flow).
 */
export function fibSelectMultipath(s: FibSnapshot, res: FibResult, saddr: Ip4, a?: DevconfAssume): LegChoice {
  const info = res.alias.info;
  const nhs = aliasNexthops(s, res.alias);
  if (nhs === 'blackhole' || nhs.length <= 1) return { kind: 'leg', index: res.nhIndex };
  if (info.nhid !== 0) {
    // nexthop_select_path(): a group of several members hashes; no source preference.
    const obj = s.nexthops.get(info.nhid);
    if (obj !== undefined && obj.kind === 'group' && obj.res !== null && new Set(obj.res.buckets).size <= 1) {
      return { kind: 'leg', index: Math.max(0, obj.members.findIndex((m) => m.id === obj.res?.buckets[0])) };
    }
    return { kind: 'hash', why: `nexthop group ${info.nhid} chooses its member by the flow hash` };
  }
  const eligible: number[] = [];
  for (let i = 0; i < nhs.length; i++) if (!outOfRebalance(s, nhs[i] as ResolvedNh, a)) eligible.push(i);
  if (eligible.length === 0) return { kind: 'leg', index: res.nhIndex };
  if (saddr === 0) {
    if (eligible.length === 1) return { kind: 'leg', index: eligible[0] as number };
    return { kind: 'hash', why: 'a multipath route with several usable legs and no source address in the flow', legs: eligible };
  }
  const mark = s.saddrMarks.get(nhSaddrKey(info));
  if (mark === undefined || mark.genid !== s.addrGenid) {
    if (eligible.length === 1) return { kind: 'leg', index: eligible[0] as number };
    return { kind: 'hash', why: "an address changed since the route was made, so the legs' nh_saddr depend on earlier lookups", legs: eligible };
  }
  // The legs' nh_saddr as fib_create_info() computed them (route_localnet of then).
  // A leg made while route_localnet was not known (an imported state): its nh_saddr is
  // known only if both values give the same address.
  for (const i of eligible) {
    const nh = nhs[i] as ResolvedNh;
    if (mark.localnet[i] === null && inetSelectAddr(s, nh.dev, nhGw4(nh), info.scope, false) !== inetSelectAddr(s, nh.dev, nhGw4(nh), info.scope, true)) {
      return { kind: 'hash', why: "the legs' nh_saddr were computed under a route_localnet the imported state does not give", legs: eligible };
    }
  }
  const owning = eligible.filter((i) => {
    const nh = nhs[i] as ResolvedNh;
    return inetSelectAddr(s, nh.dev, nhGw4(nh), info.scope, mark.localnet[i] ?? false) === saddr;
  });
  if (owning.length === 1) return { kind: 'leg', index: owning[0] as number };
  if (eligible.length === 1) return { kind: 'leg', index: eligible[0] as number };
  return {
    kind: 'hash',
    why: owning.length === 0 ? 'no usable leg has the source address, so the flow hash decides' : 'several usable legs have the source address',
    legs: eligible,
  };
}
