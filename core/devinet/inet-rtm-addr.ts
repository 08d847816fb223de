// Address requests: inet_rtm_newaddr() and inet_rtm_deladdr() (devinet.c). The list itself
// changes in __inet_insert_ifa() / __inet_del_ifa() (inet-insert-ifa.ts).

import type { Txn } from '../snapshot/txn.js';
import type { AddrAddEvent, AddrDelEvent } from '../events/inetaddr.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import { devconfSetAll } from '../snapshot/devconf.js';
import { inPrefix } from '../net/ip4.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { IFA_F_DEPRECATED } from '../uapi/if-addr.js';
import { fibModifyPrefixMetric } from '../frontend/ifaddr-routes.js';
import { inetDelIfa, inetInsertIfa } from './inet-insert-ifa.js';

/** inet_rtm_newaddr(): mark devconf, then update a matching address (replace) or insert. */
export function inetRtmNewaddr(txn: Txn, e: AddrAddEvent): KernelError | null {
  const d = txn.dev(e.ifindex);
  if (d === undefined) return kerr('ENODEV');
  // rtm_to_ifaddr(): ipv4_devconf_setall() before anything can fail.
  const conf = devconfSetAll(d.conf);
  if (conf !== d.conf) txn.setDevice({ ...d, conf });
  if (e.local === 0) return null;
  const ifa: InIfaddr = {
    local: e.local,
    address: e.address,
    prefixlen: e.prefixlen,
    broadcast: e.broadcast,
    scope: e.scope,
    label: e.label ?? d.name,
    metric: e.metric,
    secondary: false,
    noprefixroute: e.noprefixroute,
    ...setIfaLifetime(0, e.lifetimes),
  };
  // find_matching_ifa()
  const existing = d.addrs.find((a) => a.prefixlen === ifa.prefixlen && inPrefix(a.address, ifa.address, ifa.prefixlen) && a.local === ifa.local);
  if (existing === undefined) return inetInsertIfa(txn, e.ifindex, ifa);
  if (!e.replace) return kerr('EEXIST', 'ipv4: Address already assigned');
  if (existing.metric !== e.metric) fibModifyPrefixMetric(txn, e.ifindex, existing, e.metric);
  const cur = txn.dev(e.ifindex);
  if (cur === undefined) return null;
  // set_ifa_lifetime(): a replace sets the lifetimes again (forever when none are given).
  const { lifetimes: _old, ...kept } = existing;
  const updated: InIfaddr = { ...kept, metric: e.metric, ...setIfaLifetime(existing.extraFlags, e.lifetimes) };
  txn.setDevice({ ...cur, addrs: cur.addrs.map((a) => (a === existing ? updated : a)) });
  txn.emit({ kind: 'addr-add', ifindex: e.ifindex, addr: updated, cause: 'inet_insert_ifa', notified: true });
  return null;
}

const INFINITY_LIFE_TIME = 0xffffffff;

/**
 * set_ifa_lifetime(): a finite valid lifetime makes the address dynamic (not
 * IFA_F_PERMANENT) with the lifetimes kept; a preferred lifetime of 0 sets IFA_F_DEPRECATED
 * (forever otherwise clears it).
 */
function setIfaLifetime(extraFlags: number, l: AddrAddEvent['lifetimes']): Pick<InIfaddr, 'extraFlags' | 'lifetimes'> {
  const flags = extraFlags & ~IFA_F_DEPRECATED;
  if (l === undefined) return { extraFlags: flags };
  const deprecated = l.preferred === 0 ? IFA_F_DEPRECATED : 0;
  if (l.valid === INFINITY_LIFE_TIME) return { extraFlags: flags | deprecated };
  return { extraFlags: flags | deprecated, lifetimes: { valid: l.valid, preferred: l.preferred } };
}

/** inet_rtm_deladdr(): the first address matching local, label and address/prefixlen. */
/** inet_rtm_deladdr(): the first address matching every field the request gives. */
export function delTarget(addrs: readonly InIfaddr[], e: AddrDelEvent): InIfaddr | undefined {
  return addrs.find(
    (a) =>
      (e.local === undefined || a.local === e.local) &&
      (e.label === undefined || a.label === e.label) &&
      (e.address === undefined || (e.prefixlen === a.prefixlen && inPrefix(e.address, a.address, a.prefixlen))),
  );
}

export function inetRtmDeladdr(txn: Txn, e: AddrDelEvent): KernelError | null {
  const d = txn.dev(e.ifindex);
  if (d === undefined) return kerr('ENODEV');
  const ifa = delTarget(d.addrs, e);
  if (ifa === undefined) return kerr('EADDRNOTAVAIL', 'ipv4: Address not found');
  inetDelIfa(txn, e.ifindex, ifa, e.promote);
  return null;
}
