// An IPv6 gateway of an IPv4 route or of a nexthop object (RFC 5549, Linux >= 5.2):
// fib_check_nh_v6_gw() (fib_semantics.c) and nh_create_ipv6() (nexthop.c) both hand it to
// ipv6_stub->fib6_nh_init() (net/ipv6/route.c), which checks it with ip6_validate_gw().
//
// Why here and this small: the model has no IPv6 FIB, and needs none for these checks. The
// IPv6 state a fresh namespace can reach through the model's commands (IPv6 addresses and
// routes are not modelled) is only what addrconf makes by itself: an inet6_dev on every
// device whose MTU is at least IPV6_MIN_MTU (1280), ::1 on lo while lo is up, and a
// fe80::/64 route with a link-local address on each up device. So a link-local gateway
// skips the route checks; any other unicast one finds no IPv6 route but lo's ::1
// (EHOSTUNREACH, or lo as the egress device), unless `onlink` asks the main table only,
// which holds just the fe80::/64 routes. A replay knows better: a record (or a dump) of the
// kernel's own shows that the gateway had a route through the record's device (routed). One thing the model cannot know: a link-local
// gateway equal to the device's own link-local address (derived from a random MAC), which
// the kernel refuses as local.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { hasInet6Dev, IPV6_MIN_MTU, type NetDevice } from '../snapshot/net-device.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { ip6GwType } from '../net/ip6.js';
import { LOOPBACK_IFINDEX } from '../net/flow.js';

/**
 * ::1 is assigned (to lo, by addrconf when lo comes up with an MTU of at least IPV6_MIN_MTU;
 * removed when it goes down, and by addrconf_ifdown() when its MTU drops below: lo keeps its
 * inet6_dev, but not the address). An MTU raised back while lo is up does not bring ::1
 * back (NETDEV_CHANGEMTU with an inet6_dev only updates the MTU): ip-link.ts names that case.
 */
function loopbackAddrPresent(s: FibSnapshot): boolean {
  const lo = s.devices.get(LOOPBACK_IFINDEX);
  return lo !== undefined && lo.up && lo.mtu >= IPV6_MIN_MTU && s.ipv4Sysctl.disable_ipv6 === 0;
}

/** What fib6_nh_init() is given: fc_ifindex (0 for none), fc_gateway, RTNH_F_ONLINK in fc_flags. */
export interface Fib6NhRequest {
  readonly dev: number;
  readonly gw6: string;
  readonly onlink: boolean;
  /**
   * The kernel accepted the gateway (a trace's record or a dump: NexthopSpec.gw6Routed):
   * ip6_route_check_nh() found a route to it through dev, which the model, with no IPv6
   * FIB, takes as given instead of looking it up.
   */
  readonly routed?: boolean;
}

export type Fib6NhResult = { readonly ok: true; readonly dev: NetDevice } | { readonly ok: false; readonly err: KernelError };

const fail = (err: KernelError): Fib6NhResult => ({ ok: false, err });

/**
 * fib6_nh_init() with RTF_GATEWAY (a non-zero gateway), in the kernel's order: the device
 * and its inet6_dev (ENODEV), the onlink checks, ip6_validate_gw(), then the device's state.
 * No RTNH_F_LINKDOWN reaches the caller: fib_check_nh_v6_gw() copies only the device.
 */
export function fib6NhInit(s: FibSnapshot, req: Fib6NhRequest): Fib6NhResult {
  let dev: NetDevice | undefined;
  if (req.dev !== 0) {
    dev = s.devices.get(req.dev);
    if (dev === undefined || !hasInet6Dev(dev)) return fail(kerr('ENODEV'));
  }
  if (req.onlink) {
    if (dev === undefined) return fail(kerr('ENODEV', 'Nexthop device required for onlink'));
    if (!dev.up) return fail(kerr('ENETDOWN', 'Nexthop device is not up'));
  }
  const v = ip6ValidateGw(s, req, dev);
  if (!v.ok) return v;
  dev = v.dev;
  if (s.ipv4Sysctl.disable_ipv6 !== 0) return fail(kerr('EACCES', 'IPv6 is disabled on nexthop device'));
  if (!dev.up) return fail(kerr('ENETDOWN', 'Nexthop device is not up'));
  return { ok: true, dev };
}

/**
 * fib6_nh_init() without RTF_GATEWAY (a v6 nexthop object with a device only): the device
 * and its inet6_dev, then its state.
 */
export function fib6NhInitNoGw(s: FibSnapshot, ifindex: number): Fib6NhResult {
  const dev = ifindex === 0 ? undefined : s.devices.get(ifindex);
  if (dev === undefined || !hasInet6Dev(dev)) return fail(kerr('ENODEV'));
  if (s.ipv4Sysctl.disable_ipv6 !== 0) return fail(kerr('EACCES', 'IPv6 is disabled on nexthop device'));
  if (!dev.up) return fail(kerr('ENETDOWN', 'Nexthop device is not up'));
  return { ok: true, dev };
}

/** ip6_validate_gw(): the gateway's type, its route (ip6_route_check_nh[_onlink]()), the egress device. */
function ip6ValidateGw(s: FibSnapshot, req: Fib6NhRequest, given: NetDevice | undefined): Fib6NhResult {
  const type = ip6GwType(req.gw6);
  // ipv6_chk_addr_and_flags(): for a gateway that is not link-local, an address of any
  // device; the only one the model's namespaces have is lo's ::1.
  const local = type === 'loopback' && loopbackAddrPresent(s);
  if (given !== undefined && local) return fail(kerr('EINVAL', 'Gateway can not be a local address'));
  let dev = given;
  if (type !== 'linklocal') {
    if (type === 'any' || type === 'multicast') return fail(kerr('EINVAL', 'Invalid gateway address'));
    if (!req.onlink && !(req.routed === true && dev !== undefined)) {
      // ip6_route_check_nh(): a lookup of the gateway; only ::1 (a local route on lo)
      // resolves, with no gateway, and must then be on the given device, if any.
      if (!local) return fail(kerr('EHOSTUNREACH'));
      const lo = s.devices.get(LOOPBACK_IFINDEX);
      if (dev !== undefined && dev !== lo) return fail(kerr('EHOSTUNREACH'));
      dev = lo;
    }
    // ip6_route_check_nh_onlink(): the main table holds only fe80::/64 routes, which a
    // gateway that is not link-local never matches.
  }
  if (dev === undefined) return fail(kerr('EINVAL', 'Egress device not specified'));
  if (dev.kind === 'loopback') return fail(kerr('EINVAL', 'Egress device can not be loopback device for this route'));
  return { ok: true, dev };
}
