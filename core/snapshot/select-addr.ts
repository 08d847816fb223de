// Source address selection: inet_select_addr() and in_dev_select_addr() of devinet.c.

import { inPrefix, type Ip4 } from '../net/ip4.js';
import type { FibSnapshot } from './snapshot.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK } from '../uapi/rtnetlink.js';
import { devconfName, inDevOrconf } from './devconf.js';

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
    // IN_DEV_ROUTE_LOCALNET() is IN_DEV_ORCONF(): the device's value or conf/all's (an
    // unknown one taken as 0 here: inetSelectAddrKnown() says when that matters).
    const orconf = localnetAt ?? inDevOrconf(s.confAll, dev.conf, 'route_localnet') === true;
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

/** An address inet_select_addr() gives and, when it depends on a route_localnet the model does not know, the gap. */
export interface SelectedAddr {
  readonly addr: Ip4;
  readonly gap?: string;
}

/**
 * inetSelectAddr() with route_localnet as it stands now; when that value is unknown (an
 * imported state) and the two values it can have give different addresses, the gap.
 */
export function inetSelectAddrKnown(s: FibSnapshot, ifindex: number, dst: Ip4, scope: number): SelectedAddr {
  const dev = s.devices.get(ifindex);
  const localnet = dev === undefined ? false : inDevOrconf(s.confAll, dev.conf, 'route_localnet');
  if (localnet !== null) return { addr: inetSelectAddr(s, ifindex, dst, scope, localnet) };
  const off = inetSelectAddr(s, ifindex, dst, scope, false);
  if (inetSelectAddr(s, ifindex, dst, scope, true) === off) return { addr: off };
  return { addr: off, gap: localnetGap(s, ifindex) };
}

/** The gap of an answer that depends on a route_localnet (device or all) the imported state does not give. */
export function localnetGap(s: FibSnapshot, ifindex: number): string {
  const dev = s.devices.get(ifindex);
  const names = [...(dev?.conf.unknown.has('route_localnet') === true ? [devconfName(dev.name, 'route_localnet')] : []), ...(s.confAll.unknown.has('route_localnet') ? [devconfName('all', 'route_localnet')] : [])];
  return `an answer that depends on values the model does not know: ${names.map((n) => `${n} (not in the imported state)`).join(', ')}`;
}
