// The kernel's own routes for addresses: fib_magic(), fib_add_ifaddr(),
// fib_del_ifaddr() and fib_modify_prefix_metric() (fib_frontend.c).

import type { Txn } from '../snapshot/txn.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { ifaByPrefix } from '../snapshot/net-device.js';
import { broadcastOf, inPrefix, isZeronet, maskOf, networkOf, type Ip4 } from '../net/ip4.js';
import { fibTableDelete, fibTableInsert } from '../trie-change/fib-insert.js';
import {
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTPROT_KERNEL,
  type RouteType,
} from '../uapi/rtnetlink.js';
import { fibSyncDownAddr, fibFlush } from '../semantics/sync-down.js';
import { inetAddrType } from '../route/fib-lookup.js';

/**
 * fib_magic(): add or delete a kernel route (proto kernel, dev = the address's device,
 * prefsrc = the subnet's primary). Inserts are CREATE|APPEND, so an identical route is
 * left alone; errors are ignored, as the kernel ignores them.
 */
export function fibMagic(
  txn: Txn,
  cmd: 'new' | 'del',
  type: RouteType,
  dst: Ip4,
  plen: number,
  dev: NetDevice,
  prim: InIfaddr,
  priority: number,
): void {
  const table = type === 'unicast' ? RT_TABLE_MAIN : RT_TABLE_LOCAL;
  txn.ensureTable(table);
  const scope = type === 'local' ? RT_SCOPE_HOST : RT_SCOPE_LINK;
  const nhs = [{ dev: dev.ifindex, gw: null, weight: 1, onlink: false }];
  if (cmd === 'new') {
    fibTableInsert(
      txn,
      { table, dst, plen, tos: 0, type, scope, protocol: RTPROT_KERNEL, priority, prefsrc: prim.local, nhs, multipath: false, nhid: 0 },
      'append',
      { cause: 'fib_magic', notify: true },
    );
  } else {
    fibTableDelete(
      txn,
      { table, dst, plen, tos: 0, type, scope, protocol: RTPROT_KERNEL, priority, prefsrc: prim.local, nhs, multipath: false, nhid: 0 },
      { cause: 'fib_magic', notify: true },
    );
  }
}

function prefixRouteType(dev: NetDevice): RouteType {
  return dev.kind === 'loopback' ? 'local' : 'unicast';
}

/** fib_add_ifaddr(): local route always; broadcast, prefix and network-broadcast routes when the device is up. */
export function fibAddIfaddr(txn: Txn, ifindex: number, ifa: InIfaddr): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  const prefix = networkOf(ifa.address, ifa.prefixlen);
  let prim = ifa;
  if (ifa.secondary) {
    const p = ifaByPrefix(dev, prefix, ifa.prefixlen);
    if (p === undefined) return;
    prim = p;
  }
  fibMagic(txn, 'new', 'local', ifa.local, 32, dev, prim, 0);
  if (!dev.up) return;
  if (ifa.broadcast !== 0 && ifa.broadcast !== 0xffffffff) {
    fibMagic(txn, 'new', 'broadcast', ifa.broadcast, 32, dev, prim, 0);
  }
  if (!isZeronet(prefix) && !ifa.secondary && (prefix !== ifa.local || ifa.prefixlen < 32)) {
    if (!ifa.noprefixroute) fibMagic(txn, 'new', prefixRouteType(dev), prefix, ifa.prefixlen, dev, prim, ifa.metric);
    if (ifa.prefixlen < 31) fibMagic(txn, 'new', 'broadcast', broadcastOf(prefix, ifa.prefixlen), 32, dev, prim, 0);
  }
}

/** fib_modify_prefix_metric(): `ip address replace … metric N` re-creates the prefix route, new before old. */
export function fibModifyPrefixMetric(txn: Txn, ifindex: number, ifa: InIfaddr, newMetric: number): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  const prefix = networkOf(ifa.address, ifa.prefixlen);
  if (!dev.up || ifa.secondary || ifa.noprefixroute || isZeronet(prefix) || (prefix === ifa.local && ifa.prefixlen === 32)) return;
  fibMagic(txn, 'new', prefixRouteType(dev), prefix, ifa.prefixlen, dev, ifa, newMetric);
  fibMagic(txn, 'del', prefixRouteType(dev), prefix, ifa.prefixlen, dev, ifa, ifa.metric);
}

const LOCAL_OK = 1;
const BRD_OK = 2;
const BRD0_OK = 4;
const BRD1_OK = 8;

/**
 * fib_del_ifaddr(ifa, iprim): remove the routes of an address that is leaving (or, with
 * iprim, of a secondary whose primary is being replaced), keeping broadcast and local
 * routes another address still needs; when the IP is gone from the host, kill the main
 * table's routes that use it as prefsrc (fib_sync_down_addr + fib_flush).
 * `dev` is the device's state with ifa already unlinked (or still linked, for promotion).
 */
export function fibDelIfaddr(txn: Txn, ifindex: number, ifa: InIfaddr, iprim: InIfaddr | null, inDevDead = false): void {
  const dev = txn.dev(ifindex);
  if (dev === undefined) return;
  const mask = maskOf(ifa.prefixlen);
  const brd = broadcastOf(ifa.address, ifa.prefixlen);
  const any = (ifa.address & mask) >>> 0;
  let prim = ifa;
  let prim1: InIfaddr | undefined;
  let ok = 0;
  let subnet = false;
  let gone = true;
  let samePrefsrc = false;
  if (ifa.secondary) {
    const p = ifaByPrefix(dev, any, ifa.prefixlen);
    if (p === undefined) return;
    if (iprim !== null && iprim !== p) return;
    prim = p;
  } else if (!isZeronet(any) && (any !== ifa.local || ifa.prefixlen < 32)) {
    if (!ifa.noprefixroute) fibMagic(txn, 'del', prefixRouteType(dev), any, ifa.prefixlen, dev, prim, 0);
    subnet = true;
  }
  for (const ifa1 of inDevDead ? [] : dev.addrs) {
    if (ifa1 === ifa) {
      gone = false;
      continue;
    }
    if (iprim !== null && ifa1.prefixlen === iprim.prefixlen && inPrefix(ifa1.address, iprim.address, iprim.prefixlen)) continue;
    if (ifa1.secondary) {
      if (ifa1.prefixlen === prim.prefixlen && inPrefix(ifa1.address, prim.address, prim.prefixlen)) {
        prim1 = prim;
      } else {
        if (!samePrefsrc) continue;
        if (prim1 === undefined || ifa1.prefixlen !== prim1.prefixlen || !inPrefix(ifa1.address, prim1.address, prim1.prefixlen)) {
          prim1 = ifaByPrefix(dev, networkOf(ifa1.address, ifa1.prefixlen), ifa1.prefixlen);
        }
        if (prim1 === undefined) continue;
        if (prim1.local !== prim.local) continue;
      }
    } else {
      if (prim.local !== ifa1.local) continue;
      prim1 = ifa1;
      if (prim !== prim1) samePrefsrc = true;
    }
    if (ifa.local === ifa1.local) ok |= LOCAL_OK;
    if (ifa.broadcast === ifa1.broadcast) ok |= BRD_OK;
    if (brd === ifa1.broadcast) ok |= BRD1_OK;
    if (any === ifa1.broadcast) ok |= BRD0_OK;
    if (prim1 === ifa1 && ifa1.prefixlen < 31) {
      const brd1 = broadcastOf(ifa1.address, ifa1.prefixlen);
      const any1 = networkOf(ifa1.address, ifa1.prefixlen);
      if (!isZeronet(any1)) {
        if (ifa.broadcast === brd1 || ifa.broadcast === any1) ok |= BRD_OK;
        if (brd === brd1 || brd === any1) ok |= BRD1_OK;
        if (any === brd1 || any === any1) ok |= BRD0_OK;
      }
    }
  }
  if ((ok & BRD_OK) === 0) fibMagic(txn, 'del', 'broadcast', ifa.broadcast, 32, dev, prim, 0);
  if (subnet && ifa.prefixlen < 31) {
    if ((ok & BRD1_OK) === 0) fibMagic(txn, 'del', 'broadcast', brd, 32, dev, prim, 0);
    if ((ok & BRD0_OK) === 0) fibMagic(txn, 'del', 'broadcast', any, 32, dev, prim, 0);
  }
  if ((ok & LOCAL_OK) === 0) {
    fibMagic(txn, 'del', 'local', ifa.local, 32, dev, prim, 0);
    // inet_addr_type_dev_table(): is the IP still local (in dev's table, local)?
    const stillLocal = inetAddrType(txn.view(), ifa.local, RT_TABLE_LOCAL) === 'local';
    if (gone && !stillLocal) {
      if (fibSyncDownAddr(txn, ifa.local) > 0) fibFlush(txn, 'fib_sync_down_addr');
    }
  }
}
