// nh_saddr: the source address each fib_nh caches (fib_semantics.c).
//
// fib_create_info() computes it once (fib_info_update_nhc_saddr(): inet_select_addr() on the
// nexthop's device) with the dev_addr_genid of that moment; fib_result_prefsrc() returns
// it while dev_addr_genid has not moved, and computes it anew (storing it) on the first
// lookup after a move. inet_select_addr()'s answer changes with the addresses (which move
// dev_addr_genid) and with route_localnet (which does not): a device with a host-scope
// address (127.x on a veth) answers by route_localnet, so a route made before a
// route_localnet write keeps the source of before (test/fixtures/kernel/route-localnet-all).
//
// The model keeps, per fib_info that can be affected (multipath ones, whose legs' nh_saddr
// also steer fib_select_multipath(), and those whose device has a host-scope address), the
// genid and route_localnet of its creation (SaddrMark), and per device the genid at its last
// route_localnet change. A cached value the model cannot know (an address moved, then
// route_localnet changed, and whether a lookup ran in between decided) is named as a gap.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Txn } from '../snapshot/txn.js';
import type { FibAlias, FibInfo } from '../snapshot/fib-info.js';
import { nhSaddrKey, type SaddrMark } from '../snapshot/saddr-mark.js';
import { tableForEachLeaf } from '../snapshot/fib-table.js';
import { inetSelectAddr, inetSelectAddrKnown, localnetGap } from '../snapshot/select-addr.js';
import type { Ip4 } from '../net/ip4.js';
import { RT_SCOPE_HOST } from '../uapi/rtnetlink.js';
import { inDevOrconf, initialDevconf, type DevConf } from '../snapshot/devconf.js';
import type { NetDevice } from '../snapshot/net-device.js';

interface LocalnetView {
  readonly devices: ReadonlyMap<number, NetDevice>;
  readonly confAll: DevConf;
}

/** IN_DEV_ROUTE_LOCALNET(): the device's route_localnet or conf/all's (IN_DEV_ORCONF); null when that rests on a value the model does not know. */
export function routeLocalnet(s: LocalnetView, ifindex: number): boolean | null {
  const d = s.devices.get(ifindex);
  return inDevOrconf(s.confAll, d?.conf ?? KNOWN_OFF, 'route_localnet');
}

const KNOWN_OFF = initialDevconf();

/** Whether inet_select_addr() on this device can answer by route_localnet: it has a primary host-scope address. */
function localnetMatters(s: LocalnetView, ifindex: number): boolean {
  const d = s.devices.get(ifindex);
  if (d === undefined) return false;
  for (const a of d.addrs) if (!a.secondary && a.scope === RT_SCOPE_HOST) return true;
  return false;
}

/** Whether some route of table `info.tbId` has a fib_info with this key. */
function infoLive(s: Pick<FibSnapshot, 'tables'>, info: FibInfo, key: string): boolean {
  const t = s.tables.get(info.tbId);
  if (t === undefined) return false;
  let live = false;
  tableForEachLeaf(t, (_dst, _plen, aliases) => {
    if (live) return;
    for (const fa of aliases) if (fa.info.nhid === 0 && fa.info.nhs.length === info.nhs.length && nhSaddrKey(fa.info) === key) live = true;
  });
  return live;
}

/**
 * Whether a request can make a fib_info noteNhSaddr() marks (multipath, or a device with a
 * host-scope address and no prefsrc): the reducer's hot path skips the leaf lookup otherwise.
 */
export function nhSaddrMayMatter(txn: Txn, cfg: { readonly nhid: number; readonly prefsrc: number; readonly nhs: readonly { readonly dev: number }[] }): boolean {
  if (cfg.nhid !== 0 || cfg.nhs.length === 0) return false;
  if (cfg.nhs.length > 1) return true;
  if (cfg.prefsrc !== 0) return false;
  // A gateway without `dev` is resolved to its device later (fib_check_nh()): any device then.
  // Loops, not some(): this runs on every route request and a closure is an allocation.
  for (const nh of cfg.nhs) {
    if (nh.dev !== 0) continue;
    for (const i of txn.devices.keys()) if (localnetMatters(txn, i)) return true;
    return false;
  }
  for (const nh of cfg.nhs) if (localnetMatters(txn, nh.dev)) return true;
  return false;
}

/**
 * After a route insertion (fib_create_info() -> fib_info_update_nhc_saddr()): a fib_info
 * made now gets its mark; one that existed already (before this event) is shared and keeps
 * the nh_saddr it had.
 */
export function noteNhSaddr(txn: Txn, aliases: readonly FibAlias[]): void {
  for (const fa of aliases) {
    const info = fa.info;
    if (info.nhid !== 0 || info.nhs.length === 0) continue;
    if (info.nhs.length < 2 && (info.prefsrc !== 0 || !info.nhs.some((nh) => localnetMatters(txn, nh.dev)))) continue;
    const key = nhSaddrKey(info);
    const mark: SaddrMark = { genid: txn.addrGenid, localnet: info.nhs.map((nh) => routeLocalnet(txn, nh.dev)) };
    const old = txn.saddrMarks.get(key);
    if (old !== undefined) {
      // An older mark is kept: nhSaddr() then computes anew, or names the gap, which is
      // what the kernel does for a live shared fib_info and never wrong for a new one.
      if (old.genid !== mark.genid || old.localnet.every((l, i) => l === mark.localnet[i])) continue;
      // Same genid, another route_localnet: the kernel shares the fib_info (fib_find_info())
      // only while a route still uses it; the walk happens only after a route_localnet write.
      if (infoLive(txn.base, info, key)) continue;
    }
    txn.saddrMarks = new Map(txn.saddrMarks).set(key, mark);
  }
}

/** A source address and, when the kernel's cached nh_saddr cannot be known, why. */
export interface NhSaddr {
  readonly addr: Ip4;
  readonly gap?: string;
}

/**
 * fib_result_prefsrc() without a prefsrc: leg `index` of `info` (through `dev` and `gw`),
 * as its cached nh_saddr stands.
 *
 * 1. A device without host-scope addresses: route_localnet cannot matter; computed now.
 * 2. dev_addr_genid has not moved since the fib_info was made: the value of its creation.
 * 3. It moved, and route_localnet has not changed since: the first lookup after the move
 *    computed what a computation now gives.
 * 4. Else the value depends on whether a lookup ran between the move and the change: a gap.
 */
export function nhSaddr(s: FibSnapshot, info: FibInfo, index: number, dev: number, gw: Ip4): NhSaddr {
  if (info.nhid !== 0 || !localnetMatters(s, dev)) return { addr: inetSelectAddr(s, dev, gw, info.scope) };
  const mark = s.saddrMarks.get(nhSaddrKey(info));
  const at = mark?.localnet[index];
  if (mark !== undefined && at !== undefined && mark.genid === s.addrGenid) {
    if (at !== null) return { addr: inetSelectAddr(s, dev, gw, info.scope, at) };
    // Made while route_localnet was not known (an imported state): known only if both values give one address.
    const off = inetSelectAddr(s, dev, gw, info.scope, false);
    return off === inetSelectAddr(s, dev, gw, info.scope, true) ? { addr: off } : { addr: off, gap: localnetGap(s, dev) };
  }
  const now = inetSelectAddrKnown(s, dev, gw, info.scope);
  if (now.gap !== undefined) return now;
  const addr = now.addr;
  if (s.localnetChangedAt.get(dev) === s.addrGenid || s.localnetChangedAt.get(0) === s.addrGenid) {
    return { addr, gap: 'the source address a route caches (nh_saddr) was computed by an earlier lookup, before route_localnet changed (fib_result_prefsrc)' };
  }
  return { addr };
}
