// An IPv6 gateway the model can only judge in a namespace whose IPv6 side it knows.
//
// Why: fib6_nh_init() checks the device's inet6_dev and its disable_ipv6, then a gateway
// that is not link-local against the IPv6 routes (ip6_route_check_nh(), or
// ip6_route_check_nh_onlink() with `onlink`) and the host's IPv6 addresses. A namespace the
// model built holds no IPv6 routes but fe80::/64 and ::1, and IPv6 is on or off as its
// sysctl says, so it answers exactly there. An imported state (a real host's dump) had IPv6
// routes, addresses and per-device settings that are out of scope and not in the model (the
// import takes IPv6 as off unless the dump has IPv6 gateways): whether the kernel accepts
// such a gateway there is not known, so the command is named, never answered with a guess
// (EHOSTUNREACH, or "IPv6 is disabled on nexthop device").

import { notModelled, type CommandContext } from './command-context.js';

/** Names the command when it gives an IPv6 gateway on an imported state. */
export function ip6GatewayOnImported(ctx: CommandContext, gw6: string | undefined): void {
  if (gw6 === undefined) return;
  // A device whose inet6_dev the model does not know (NetDevice.inet6Dev 'unknown').
  for (const d of ctx.snapshot.devices.values()) {
    if (d.inet6Dev === 'unknown') notModelled(`IPv6 gateway ${gw6} with ${d.name}, whose inet6_dev is not known (made at an up only if addrconf_link_ready() then)`);
  }
  if (!ctx.snapshot.lineage.imported) return;
  notModelled(`IPv6 gateway ${gw6} on an imported state (the host's IPv6 routes, addresses and device settings, which fib6_nh_init() checks it against, are not in the dump)`);
}
