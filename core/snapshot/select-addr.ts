// Source address selection: inet_select_addr() and in_dev_select_addr() of devinet.c.

import { inPrefix, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from './snapshot.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK } from '../uapi/rtnetlink.js';

/**
 * inet_select_addr(dev, dst, scope):
 * 1. walk dev's primary addresses in list order, skipping those whose scope is narrower
 *    than `scope` (min(ifa_scope, host) > scope; route_localnet widens host to link);
 * 2. the first whose subnet contains dst wins; else the first eligible one;
 * 3. if dev has none, the first primary, over all devices in ifindex order, whose scope
 *    is not link and not narrower than `scope` (in_dev_select_addr).
 * @param localnetAt route_localnet as it stood when a cached nh_saddr was computed (route/nh-saddr.ts)
 * @returns the address, or 0.
 */
export function inetSelectAddr(s: FibSnapshot, ifindex: number, dst: Ip4, scope: number, localnetAt?: boolean): Ip4 {
  const dev = s.devices.get(ifindex);
  let addr = 0;
  if (dev !== undefined) {
    // IN_DEV_ROUTE_LOCALNET() is IN_DEV_ORCONF(): the device's value or conf/all's.
    const orconf = localnetAt ?? (dev.conf.values.route_localnet !== 0 || s.confAll.values.route_localnet !== 0);
    const localnet = orconf ? RT_SCOPE_LINK : RT_SCOPE_HOST;
    for (const a of dev.addrs) {
      if (a.secondary) continue;
      if (Math.min(a.scope, localnet) > scope) continue;
      if (dst === 0 || inPrefix(dst, a.address, a.prefixlen)) {
        addr = a.local;
        break;
      }
      if (addr === 0) addr = a.local;
    }
    if (addr !== 0) return addr;
  }
  for (const d of s.devices.values()) {
    for (const a of d.addrs) {
      if (a.secondary) continue;
      if (a.scope !== RT_SCOPE_LINK && a.scope <= scope) return a.local;
    }
  }
  return 0;
}
