// inetdev_event() (devinet.c): the IPv4 side of a device on the netdevice notifier chain, ahead
// of the FIB's own notifier (fib_netdev_event, frontend/netdev-event.ts): on NETDEV_UP a
// loopback gets every devconf key marked and 127.0.0.1/8; on NETDEV_CHANGENAME the address
// labels follow the new name (inetdev_changename).

import type { Txn } from '../snapshot/txn.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import { devconfSetAll } from '../snapshot/devconf.js';
import { RT_SCOPE_HOST } from '../uapi/rtnetlink.js';
import { inetInsertIfa } from './inet-insert-ifa.js';

/** inetdev_event(NETDEV_UP). */
export function inetdevUp(txn: Txn, ifindex: number): void {
  let dev = txn.dev(ifindex);
  if (dev === undefined) return;
  if (dev.kind === 'loopback') {
    txn.setDevice({ ...dev, conf: devconfSetAll(dev.conf) });
    dev = txn.dev(ifindex);
    // inetdev_event(NETDEV_UP) inserts 127.0.0.1/8 on every up of a loopback, whatever
    // addresses it has; inet_insert_ifa() refuses it quietly when it is already there.
    if (dev !== undefined) {
      const lo: InIfaddr = {
        local: 0x7f000001,
        address: 0x7f000001,
        prefixlen: 8,
        broadcast: 0,
        scope: RT_SCOPE_HOST,
        label: dev.name,
        metric: 0,
        secondary: false,
        noprefixroute: false,
        extraFlags: 0,
      };
      inetInsertIfa(txn, ifindex, lo);
    }
  }
}

/**
 * inetdev_changename(): every label becomes the new name; from the second address on, the
 * old label's ":suffix" is kept, or ":N" (N = its position, from 2) is added.
 */
export function inetdevChangename(addrs: readonly InIfaddr[], name: string): InIfaddr[] {
  const IFNAMSIZ = 16;
  return addrs.map((a, i) => {
    if (i === 0) return a.label === name ? a : { ...a, label: name };
    const colon = a.label.indexOf(':');
    const dot = colon >= 0 ? a.label.slice(colon) : `:${i + 1}`;
    const label = dot.length + name.length < IFNAMSIZ ? name + dot : name.slice(0, IFNAMSIZ - dot.length - 1) + dot;
    return a.label === label ? a : { ...a, label };
  });
}
