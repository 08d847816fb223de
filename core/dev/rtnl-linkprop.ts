// rtnl_linkprop() (net/core/rtnetlink.c): RTM_NEWLINKPROP and RTM_DELLINKPROP, a device's
// alternative names (`ip link property add|del dev X altname N …`), with
// netdev_name_node_alt_create() / netdev_name_node_alt_destroy() (net/core/dev.c).
//
// Why: an alternative name is a name like the device's own for every lookup by name
// (__dev_get_by_name(): snapshot.ts devGetByName()) and for every new name
// (netdev_name_in_use(): rtnl-link.ts nameInUse()). Each name of the request is applied in
// order and the first refusal stops the request, so the names before it stay (seen on
// Linux 6.18: `altname n1 altname lo altname n2` keeps n1 and answers EEXIST).

import type { Txn } from '../snapshot/txn.js';
import type { LinkPropEvent } from '../events/netdev.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { byteLength } from './dev-valid-name.js';
import { nameInUse } from './rtnl-link.js';

/** ALTIFNAMSIZ: 128 bytes with the terminating NUL. */
export const ALTIFNAMSIZ = 128;

/** nla_total_size(ALTIFNAMSIZ): the room rtnl_alt_ifname() counts for every alternative name. */
const PROP_ROOM = 4 + ALTIFNAMSIZ;

/** U16_MAX: an IFLA_PROP_LIST must fit a netlink attribute's length. */
const PROP_LIST_MAX = 0xffff;

/**
 * Whether an alternative name is one rtnl_linkprop() can be sent: ifla_policy's
 * IFLA_ALT_IFNAME is an NLA_STRING of at most ALTIFNAMSIZ - 1 bytes (a longer one fails the
 * whole message's validation, before any name is applied).
 */
export function altnamePolicyOk(name: string): boolean {
  return byteLength(name) <= ALTIFNAMSIZ - 1;
}

/** rtnl_linkprop(): the names in order; the first error ends the request, the names before it stay. */
export function rtnlLinkprop(txn: Txn, e: LinkPropEvent): KernelError | null {
  if (!e.altnames.every(altnamePolicyOk)) return kerr('EINVAL', 'Attribute failed policy validation');
  if (txn.dev(e.ifindex) === undefined) return kerr('ENODEV');
  for (const name of e.altnames) {
    const err = e.op === 'add' ? altCreate(txn, e.ifindex, name) : altDestroy(txn, e.ifindex, name);
    if (err !== null) return err;
  }
  return null;
}

/**
 * rtnl_alt_ifname() for RTM_NEWLINKPROP, then netdev_name_node_alt_create(): the list with
 * one more name must stay under U16_MAX (each name counted at its full ALTIFNAMSIZ: 496 at
 * most, as seen on Linux 6.18), and the name must not be any device's name or alternative
 * name (EEXIST). An empty name is refused: iproute2 never sends one (check_altifname())
 * and the event log refuses one (parse-event.ts), so only a library caller can; what the
 * kernel does with an empty IFLA_ALT_IFNAME was not captured.
 */
function altCreate(txn: Txn, ifindex: number, name: string): KernelError | null {
  const d = txn.dev(ifindex);
  if (d === undefined) return kerr('ENODEV');
  const alts = d.altnames ?? [];
  if ((alts.length + 1) * PROP_ROOM >= PROP_LIST_MAX) return kerr('EINVAL', 'effective property list too long');
  if (name === '') return kerr('EINVAL');
  if (nameInUse(txn, name)) return kerr('EEXIST');
  txn.setDevice({ ...d, altnames: [...alts, name] });
  return null;
}

/**
 * netdev_name_node_alt_destroy(): a name no device has is ENOENT; the device's own name,
 * or another device's name or alternative name, is EINVAL.
 */
function altDestroy(txn: Txn, ifindex: number, name: string): KernelError | null {
  const d = txn.dev(ifindex);
  if (d === undefined) return kerr('ENODEV');
  const alts = d.altnames ?? [];
  const at = alts.indexOf(name);
  if (at >= 0) {
    const rest = alts.filter((_, i) => i !== at);
    if (rest.length > 0) txn.setDevice({ ...d, altnames: rest });
    else {
      const { altnames: _gone, ...plain } = d;
      txn.setDevice(plain);
    }
    return null;
  }
  return nameInUse(txn, name) ? kerr('EINVAL') : kerr('ENOENT');
}
