// Address add and delete: __inet_insert_ifa() and __inet_del_ifa() (devinet.c) with the
// FIB side of fib_inetaddr_event() (fib_frontend.c):
// - add: NEWADDR, fib_add_ifaddr(), fib_sync_up(DEAD);
// - delete: secondaries of the subnet go first (or the first is promoted), DELADDR,
//   fib_del_ifaddr(); the last address of a device disables IP on it
//   (fib_disable_ip(force): a silent flush of every route through the device).

import type { Txn } from '../snapshot/txn.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { devconfName, inDevOrconf } from '../snapshot/devconf.js';
import { inPrefix } from '../net/ip4.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { fibAddIfaddr, fibDelIfaddr } from '../frontend/ifaddr-routes.js';
import { fibSyncUp } from '../semantics/sync-down.js';
import { fibFlush, fibSyncDownDev } from '../semantics/sync-down.js';

/** Does ifa1's address lie in ifa's subnet with the same mask (ifa_mask equal + inet_ifa_match)? */
function sameSubnet(ifa1: InIfaddr, ifa: InIfaddr): boolean {
  return ifa1.prefixlen === ifa.prefixlen && inPrefix(ifa1.address, ifa.address, ifa.prefixlen);
}

/**
 * __inet_insert_ifa():
 * 1. same subnet and same local: EEXIST; same subnet, other scope: EINVAL;
 * 2. same subnet: secondary, appended; else primary, after the last primary whose scope
 *    is at least as wide;
 * 3. NEWADDR, then NETDEV_UP on the inetaddr chain: fib_add_ifaddr, fib_sync_up(DEAD).
 */
export function inetInsertIfa(txn: Txn, ifindex: number, ifa0: InIfaddr): KernelError | null {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return kerr('ENODEV');
  let ifa: InIfaddr = { ...ifa0, secondary: false };
  let lastPrimary = 0;
  for (let i = 0; i < dev.addrs.length; i++) {
    const ifa1 = dev.addrs[i] as InIfaddr;
    if (!ifa1.secondary && ifa.scope <= ifa1.scope) lastPrimary = i + 1;
    if (ifa1.prefixlen === ifa.prefixlen && inPrefix(ifa1.address, ifa.address, ifa.prefixlen)) {
      if (ifa1.local === ifa.local) return kerr('EEXIST', 'ipv4: Address already assigned');
      if (ifa1.scope !== ifa.scope) return kerr('EINVAL', 'ipv4: Invalid scope value');
      ifa = { ...ifa, secondary: true };
    }
  }
  const addrs = dev.addrs.slice();
  if (ifa.secondary) addrs.push(ifa);
  else addrs.splice(lastPrimary, 0, ifa);
  txn.setDevice({ ...dev, addrs });
  txn.emit({ kind: 'addr-add', ifindex, addr: ifa, cause: 'inet_insert_ifa', notified: true });
  txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
  fibAddIfaddr(txn, ifindex, ifa);
  fibSyncUp(txn, ifindex, true);
  return null;
}

function unlink(txn: Txn, ifindex: number, ifa: InIfaddr): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  txn.setDevice({ ...dev, addrs: dev.addrs.filter((a) => a !== ifa) });
}

/** fib_inetaddr_event(NETDEV_DOWN) after an address left the list. */
function inetaddrDown(txn: Txn, ifindex: number, ifa: InIfaddr): void {
  fibDelIfaddr(txn, ifindex, ifa, null);
  const dev = txn.dev(ifindex);
  if (dev !== undefined && dev.addrs.length === 0) {
    // Last address: fib_disable_ip(dev, NETDEV_DOWN, force).
    if (fibSyncDownDev(txn, ifindex, 'NETDEV_DOWN', true) > 0) fibFlush(txn, 'fib_disable_ip');
  }
}

/**
 * Whether deleting ifa from the device would promote or delete secondaries by a
 * promote_secondaries the model does not know (device or all): a primary with secondaries
 * of its subnet.
 */
export function promotionUnknown(s: FibSnapshot, ifindex: number, ifa: InIfaddr): boolean {
  const d = s.devices.get(ifindex);
  if (d === undefined || ifa.secondary || inDevOrconf(s.confAll, d.conf, 'promote_secondaries') !== null) return false;
  return d.addrs.some((a) => a.secondary && sameSubnet(a, ifa));
}

/** The gap of an address deletion that promotionUnknown() says depends on an unknown promote_secondaries. */
export function promotionGap(s: FibSnapshot, ifindex: number): string {
  const d = s.devices.get(ifindex);
  const names = [...(d?.conf.unknown.has('promote_secondaries') === true ? [d.name] : []), ...(s.confAll.unknown.has('promote_secondaries') ? ['all'] : [])];
  return `deleting a primary address with secondaries: promoted or deleted by ${names.map((n) => `${devconfName(n, 'promote_secondaries')}`).join(', ')}, which the imported state does not give`;
}

/**
 * __inet_del_ifa(): delete one address.
 * 1. a primary takes the secondaries of its subnet with it, unless promote_secondaries
 *    (device OR all): then the first of them is promoted and their routes re-made;
 * 2. DELADDR and fib_del_ifaddr for each address that goes;
 * 3. a promoted address moves after the last primary of equal or wider scope and gets
 *    NEWADDR and fresh kernel routes.
 */
export function inetDelIfa(txn: Txn, ifindex: number, ifa1: InIfaddr, seen?: boolean): void {
  const dev0 = txn.dev(ifindex);
  if (dev0 === undefined) return;
  // Unknown (an imported state): what the event says was seen, else off (a script's line
  // is refused by name before it gets here: promotionUnknown()).
  const doPromote = inDevOrconf(txn.confAll, dev0.conf, 'promote_secondaries') ?? seen ?? false;
  let promote: InIfaddr | undefined;
  let prevProm: InIfaddr | undefined;
  let lastPrimIdx = -1; // the primary after which a promoted address goes; -1: where ifa1 was
  const start0 = dev0.addrs.indexOf(ifa1);
  if (!ifa1.secondary) {
    const start = dev0.addrs.indexOf(ifa1);
    for (let i = start + 1; i < (txn.dev(ifindex)?.addrs.length ?? 0); i++) {
      const cur = txn.dev(ifindex);
      if (cur === undefined) break;
      const ifa = cur.addrs[i] as InIfaddr;
      if (!ifa.secondary && ifa1.scope <= ifa.scope) lastPrimIdx = i;
      if (!ifa.secondary || !sameSubnet(ifa, ifa1)) {
        prevProm = ifa;
        continue;
      }
      if (!doPromote) {
        unlink(txn, ifindex, ifa);
        txn.emit({ kind: 'addr-del', ifindex, addr: ifa, cause: 'inet_del_ifa', notified: true });
        txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
        inetaddrDown(txn, ifindex, ifa);
        i--;
      } else {
        promote = ifa;
        break;
      }
    }
  }
  if (promote !== undefined) {
    const cur = txn.dev(ifindex);
    if (cur !== undefined) {
      const from = cur.addrs.indexOf(promote);
      for (let i = from; i < cur.addrs.length; i++) {
        const ifa = cur.addrs[i] as InIfaddr;
        if (sameSubnet(ifa, ifa1)) fibDelIfaddr(txn, ifindex, ifa, ifa1);
      }
    }
  }
  const lastPrim = lastPrimIdx >= 0 ? txn.dev(ifindex)?.addrs[lastPrimIdx] : undefined;
  unlink(txn, ifindex, ifa1);
  txn.emit({ kind: 'addr-del', ifindex, addr: ifa1, cause: 'inet_del_ifa', notified: true });
  txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
  inetaddrDown(txn, ifindex, ifa1);
  if (promote === undefined) return;
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  const promoted: InIfaddr = { ...promote, secondary: false };
  let addrs = dev.addrs.filter((a) => a !== promote);
  const nextSecIdx = dev.addrs.indexOf(promote) + 1;
  const nextSec = dev.addrs.slice(nextSecIdx);
  if (prevProm !== undefined) {
    // Move the promoted address to just after the last primary of equal or wider scope.
    const at = lastPrim === undefined ? start0 : addrs.indexOf(lastPrim) + 1;
    addrs.splice(at, 0, promoted);
  } else {
    const at = dev.addrs.indexOf(promote);
    addrs = dev.addrs.slice();
    addrs[at] = promoted;
  }
  txn.setDevice({ ...dev, addrs });
  txn.emit({ kind: 'addr-add', ifindex, addr: promoted, cause: 'inet_del_ifa', notified: true });
  txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
  fibAddIfaddr(txn, ifindex, promoted);
  fibSyncUp(txn, ifindex, true);
  const after = txn.dev(ifindex);
  for (const ifa of nextSec) {
    if (!sameSubnet(ifa, ifa1)) continue;
    const cur = after?.addrs.find((a) => a.local === ifa.local && a.prefixlen === ifa.prefixlen) ?? ifa;
    fibAddIfaddr(txn, ifindex, cur);
  }
}
