// fib_netdev_event() (fib_frontend.c) and the parts of inetdev_event() (devinet.c)
// and nh_netdev_event() (nexthop.c) that change routing state:
//
// | event             | FIB                                                       | notified |
// |-------------------|-----------------------------------------------------------|----------|
// | NETDEV_UP         | fib_add_ifaddr() per address, fib_sync_up(DEAD)           | NEWROUTE for re-created kernel routes |
// | NETDEV_DOWN       | fib_disable_ip(): fib_sync_down_dev(), fib_flush()        | no       |
// | NETDEV_CHANGE     | carrier: fib_sync_up(LINKDOWN), else fib_sync_down_dev()  | no       |
// | NETDEV_UNREGISTER | fib_disable_ip(force); addresses go                        | DELADDR + DELROUTE for local routes |

import type { Txn } from '../snapshot/txn.js';
import { fibAddIfaddr } from './ifaddr-routes.js';
import { fibFlush, fibSyncDownDev, fibSyncUp } from '../semantics/sync-down.js';
import { expectedCarrier } from '../snapshot/carrier.js';
import { nexthopFlushDev } from '../nexthop/nexthop-change.js';

/** fib_disable_ip(): sync down, then flush if anything died. */
export function fibDisableIp(txn: Txn, ifindex: number, event: 'NETDEV_DOWN' | 'NETDEV_UNREGISTER', force: boolean): void {
  if (fibSyncDownDev(txn, ifindex, event, force) > 0) fibFlush(txn, force ? 'fib_disable_ip' : 'fib_flush');
}

/** NETDEV_UP on a device that just became admin-up (after inetdev_event(), devinet/inetdev-event.ts). */
export function netdevUp(txn: Txn, ifindex: number): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  for (const ifa of dev.addrs) fibAddIfaddr(txn, ifindex, ifa);
  fibSyncUp(txn, ifindex, true);
  // fib_netdev_event(NETDEV_UP): dev_addr_genid moves.
  txn.addrGenid++;
}

/** NETDEV_DOWN. */
export function netdevDown(txn: Txn, ifindex: number): void {
  fibDisableIp(txn, ifindex, 'NETDEV_DOWN', false);
  nexthopFlushDev(txn, ifindex, false);
}

/** NETDEV_CHANGE after linkwatch saw a carrier change. */
export function netdevChange(txn: Txn, ifindex: number): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  if (dev.up && dev.carrier) {
    fibSyncUp(txn, ifindex, false);
  } else {
    fibSyncDownDev(txn, ifindex, 'NETDEV_CHANGE', false);
    nexthopFlushDev(txn, ifindex, false);
  }
}

/**
 * Recompute every device's carrier from the admin states (veth pairs, bridges) and
 * deliver NETDEV_CHANGE for each change, in ifindex order, as linkwatch would.
 */
export function settleCarriers(txn: Txn): void {
  const changed: number[] = [];
  const devices = txn.devices;
  for (const d of [...devices.values()]) {
    const c = expectedCarrier(d, devices, txn.base.devices);
    if (c !== d.carrier) changed.push(d.ifindex);
  }
  for (const i of changed) {
    const d = txn.dev(i);
    if (d === undefined) continue;
    txn.setDevice({ ...d, carrier: !d.carrier });
    txn.emit({ kind: 'link', ifindex: i, change: d.carrier ? 'carrier-off' : 'carrier-on', cause: 'fib_sync_down_dev', notified: true });
  }
  for (const i of changed) netdevChange(txn, i);
  // Display-only bridge history (operstate as `ip link` shows it).
  for (const d of [...txn.devices.values()]) {
    if (d.master === null) continue;
    const b = txn.dev(d.master);
    if (b === undefined) continue;
    if (d.up && d.carrier && b.sawForwardingPort !== true) txn.setDevice({ ...b, sawForwardingPort: true });
  }
}
