// What an RTM_NEWLINK of the modelled kernel carries about a device (rtnl_fill_ifinfo():
// ifi_flags from dev_get_flags(), IFLA_OPERSTATE, IFLA_LINK of a veth, IFLA_MASTER,
// IFLA_ADDRESS ...), as the LinkInfo records the replay keeps (../print/link-json.ts).
//
// Why: `ip -j link|address show` and `ip -br` print from these attributes; with them the
// `kfib run` listings go through the same printers as a replay's `ip -j` arrays
// (../replay/ip-json-dump.ts), so there is one JSON printer, not two.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { NetDevice } from '../snapshot/net-device.js';
import type { LinkInfo, LinkTable } from '../print/link-json.js';
import { qdiscOf } from '../snapshot/net-device.js';
import { devFlags, linkAddress, operstate } from './ip-link-show.js';

const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

/** One device's link attributes. */
export function linkInfoOf(s: FibSnapshot, d: NetDevice): LinkInfo {
  const lo = d.kind === 'loopback';
  return {
    ifindex: d.ifindex,
    name: d.name,
    flags: devFlags(s, d),
    mtu: d.mtu,
    // Not knowable (null): the listings that print it call knownQdisc() first (ip-link-list.ts).
    qdisc: qdiscOf(d) ?? '?',
    operstate: operstate(s, d),
    group: d.group,
    ifiType: lo ? ARPHRD_LOOPBACK : ARPHRD_ETHER,
    ...(d.noLinkAddress === true ? {} : { address: linkAddress(s, d), broadcast: lo ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff' }),
    ...(d.linkTypeWord === undefined ? {} : { linkTypeWord: d.linkTypeWord }),
    txqlen: d.txqlen ?? 1000,
    ...(d.ifalias !== undefined ? { ifalias: d.ifalias } : {}),
    ...(d.altnames !== undefined && d.altnames.length > 0 ? { altnames: d.altnames } : {}),
    // veth_get_iflink(): the peer's ifindex (0, printed `@NONE`, once it is gone).
    ...(d.kind === 'veth'
      ? { link: d.peer ?? 0, kind: 'veth' }
      : d.kind === 'macvlan'
        ? { link: d.lower ?? 0, kind: 'macvlan' }
        : d.kind === 'bridge'
          ? { kind: 'bridge' }
          : // An imported device's peer in another namespace: IFLA_LINK there and IFLA_LINK_NETNSID.
            d.kind === 'other' && d.netnsLink !== undefined
            ? { link: d.netnsLink.ifindex, linkNetnsid: d.netnsLink.nsid }
            : // An imported device's dumped IFLA_LINK (print_linkinfo(): NAME@LINK, as linkOf()).
              d.kind === 'other' && d.lower !== undefined
              ? { link: d.lower }
              : {}),
    ...(d.master !== null ? { master: d.master } : {}),
  };
}

/** Every device's link attributes, by ifindex. */
export function linkTableOf(s: FibSnapshot): LinkTable {
  const m = new Map<number, LinkInfo>();
  for (const d of s.devices.values()) m.set(d.ifindex, linkInfoOf(s, d));
  return m;
}
