// The reducer: (snapshot, event) -> { snapshot, effects, error }. Pure: never throws,
// never mutates; a rejected or no-op event returns the very same snapshot object.
// Each case names the kernel entry point it mirrors.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import { Txn, txnChanged } from '../snapshot/txn.js';
import type { PMapEdit } from '../snapshot/persistent-map.js';
import { assertNever, type FibEvent } from '../events/fib-event.js';
import type { LinkAddEvent, LinkDelEvent, LinkSetEvent, LinkSpec } from '../events/netdev.js';
import type { AddrAddEvent, AddrDelEvent } from '../events/inetaddr.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_HOST } from '../uapi/rtnetlink.js';
import type { RouteConfig } from '../events/route.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { devconfSetAll } from '../snapshot/devconf.js';
import { inPrefix } from '../net/ip4.js';
import { fibDisableIp, netdevChange, netdevDown, netdevUp, settleCarriers } from '../frontend/netdev-event.js';
import { inetDelIfa, inetInsertIfa } from '../frontend/inetaddr-event.js';
import { fibDelIfaddr, fibModifyPrefixMetric } from '../frontend/ifaddr-routes.js';
import { fibTableDelete, fibTableInsert, validKey } from '../trie-change/fib-insert.js';
import { fibDelRule, fibNewRule } from '../rules/rules-change.js';
import { nexthopFlushDev, rtmDelNexthop, rtmNewNexthop } from '../nexthop/nexthop-change.js';
import { sysctlWrite } from '../devinet/sysctl.js';
import { netSysctlWrite } from '../devinet/net-sysctl.js';
import { noteMultipathSaddr } from '../route/select-multipath.js';
import { ruleDevIndex } from '../rules/fib-rules-lookup.js';

/** rtm_to_fib_config(): a nexthop id excludes a device, a gateway and RTA_MULTIPATH. */
function nhidExclusive(cfg: Pick<RouteConfig, 'nhid' | 'multipath' | 'nhs'>): KernelError | null {
  if (cfg.nhid === 0) return null;
  if (cfg.multipath || cfg.nhs.some((n) => n.dev !== 0 || n.gw !== null)) return kerr('EINVAL', 'Nexthop specification and nexthop id are mutually exclusive');
  return null;
}

/** What one event did. */
export interface Step {
  readonly snapshot: FibSnapshot;
  readonly effects: readonly Effect[];
  /** The kernel's answer when it refused the request (errno and extack), else null. */
  readonly error: KernelError | null;
}

/**
 * Applies one event the way the kernel would.
 *
 * @example
 *   let s = initialSnapshot();
 *   s = reduceFib(s, { type: 'link-add', link: { name: 'veth0', kind: 'veth', up: true },
 *                      peer: { name: 'veth0peer', kind: 'veth', up: false } }).snapshot;
 *
 * 1. copy-on-write working copy of s;
 * 2. run the kernel path for the event (it may refuse with an errno);
 * 3. a refusal that changed nothing, or an event that changed nothing, returns s itself;
 *    otherwise a new snapshot sharing every untouched object with s.
 *
 * With an `edit` (persistent-map.ts, PMapEdit) the tables' nodes that edit owns are updated
 * in place: for a caller that keeps no earlier snapshot made with the same edit (a replay
 * without history). Everything else stays persistent, and so do snapshots made before.
 */
export function reduceFib(s: FibSnapshot, e: FibEvent, edit: PMapEdit | null = null): Step {
  // One working copy kept for the next event (none is kept by anything reduceFib returns);
  // taken while in use, so that a reduction inside a reduction would get its own.
  let txn = spareTxn;
  if (txn === null) txn = new Txn(s, edit);
  else {
    spareTxn = null;
    txn.reset(s, edit);
  }
  const step = stepOf(txn, s, apply(txn, e));
  spareTxn = txn;
  return step;
}

let spareTxn: Txn | null = null;

function stepOf(txn: Txn, s: FibSnapshot, error: KernelError | null): Step {
  if (!txnChanged(txn) && (error !== null || txn.effects.length === 0)) {
    return { snapshot: s, effects: error === null ? txn.effects : [], error };
  }
  if (error !== null && !txnChanged(txn)) return { snapshot: s, effects: [], error };
  return { snapshot: txn.commit(), effects: txn.effects, error };
}

function apply(txn: Txn, e: FibEvent): KernelError | null {
  switch (e.type) {
    case 'link-add':
      return linkAdd(txn, e);
    case 'link-set':
      return linkSet(txn, e);
    case 'link-carrier': {
      const d = txn.dev(e.ifindex);
      if (d === undefined) return kerr('ENODEV');
      if (d.carrier === e.carrier) return null;
      txn.setDevice({ ...d, carrier: e.carrier });
      netdevChange(txn, e.ifindex);
      return null;
    }
    case 'link-del':
      return linkDel(txn, e);
    case 'addr-add':
      return addrAdd(txn, e);
    case 'addr-del':
      return addrDel(txn, e);
    case 'route-new': {
      // inet_rtm_newroute(): rtm_to_fib_config() checks the prefix first; then
      // fib_new_table() comes before the rest of the validation, so a refused route
      // still leaves its table behind.
      const bad = validKey(e.cfg.dst, e.cfg.plen) ?? nhidExclusive(e.cfg);
      if (bad !== null) return bad;
      txn.ensureTable(e.cfg.table);
      const err = fibTableInsert(txn, e.cfg, e.op, { cause: 'fib_table_insert', notify: true });
      // inet_rtm_newroute(): a user's local route switches source validation to the full check.
      if (err === null && e.cfg.type === 'local') txn.customLocalRoutes = true;
      if (err === null && e.cfg.nhs.length > 1) noteMultipathSaddr(txn, txn.aliases(e.cfg.table, e.cfg.dst, e.cfg.plen));
      return err;
    }
    case 'route-del': {
      const bad = validKey(e.cfg.dst, e.cfg.plen) ?? nhidExclusive(e.cfg);
      if (bad !== null) return bad;
      if (!txn.tables.has(e.cfg.table)) return kerr('ESRCH', 'FIB table does not exist');
      return fibTableDelete(txn, e.cfg, { cause: 'fib_table_delete', notify: true });
    }
    case 'rule-add':
      return withRuleAttachment(txn, () => fibNewRule(txn, e));
    case 'rule-del':
      return fibDelRule(txn, e.match);
    case 'nexthop-add':
      return rtmNewNexthop(txn, e);
    case 'nexthop-del':
      return rtmDelNexthop(txn, e.id);
    case 'sysctl':
      if (e.target.kind === 'dev' && txn.dev(e.target.ifindex) === undefined) return kerr('ENOENT');
      sysctlWrite(txn, e);
      return null;
    case 'ip-forward':
      sysctlWrite(txn, { type: 'sysctl', target: { kind: 'all' }, key: 'forwarding', value: e.value });
      return null;
    case 'net-sysctl':
      return netSysctlWrite(txn, e);
    default:
      return assertNever(e);
  }
}

/** Runs fn and records rules that attach or detach because device names changed. */
function withRuleAttachment<T>(txn: Txn, fn: () => T): T {
  const before = txn.view();
  const out = fn();
  const after = txn.view();
  for (const r of after.rules) {
    for (const name of [r.iifName, r.oifName]) {
      if (name === null || !before.rules.includes(r)) continue;
      const was = ruleDevIndex(before, name) > 0;
      const is = ruleDevIndex(after, name) > 0;
      if (was !== is) {
        txn.emit({ kind: is ? 'rule-attach' : 'rule-detach', rule: r, dev: name, cause: 'fib_rules_event', notified: false });
      }
    }
  }
  return out;
}

function newDevice(txn: Txn, spec: LinkSpec): NetDevice | KernelError {
  for (const d of txn.devices.values()) if (d.name === spec.name) return kerr('EEXIST');
  const ifindex = spec.ifindex ?? txn.nextIfindex;
  if (txn.devices.has(ifindex)) return kerr('EEXIST');
  txn.nextIfindex = Math.max(txn.nextIfindex, ifindex + 1);
  return {
    ifindex,
    name: spec.name,
    kind: spec.kind,
    peer: null,
    master: null,
    up: false,
    carrier: spec.kind === 'bridge' || spec.kind === 'other',
    hadPorts: false,
    group: 0,
    addrs: [],
    // inetdev_init(): the new device's devconf is a copy of default, set marks included.
    conf: txn.confDefault,
    mac: spec.mac ?? 'xx:xx:xx:xx:xx:xx',
    mtu: spec.mtu ?? 1500,
  };
}

/** rtnl_newlink(): register (a veth's peer first), then bring up what was asked up. */
function linkAdd(txn: Txn, e: LinkAddEvent): KernelError | null {
  return withRuleAttachment(txn, () => {
    // rtnl_newlink(): a device of that name already there is EEXIST (NLM_F_EXCL) before
    // anything is created.
    for (const x of txn.devices.values()) if (x.name === e.link.name) return kerr('EEXIST');
    let peer: NetDevice | undefined;
    if (e.peer !== undefined) {
      const p = newDevice(txn, e.peer);
      if ('errno' in p) return p;
      // veth_newlink(): the peer is registered (its ifindex is spent for good) and
      // configured before the device: `peer … up` fails in veth_open() (no peer yet,
      // ENOTCONN), a device name equal to the peer's fails to register (EEXIST); either
      // way the peer is unregistered again.
      if (e.peer.up) return kerr('ENOTCONN');
      if (e.peer.name === e.link.name) return kerr('EEXIST');
      peer = p;
      txn.setDevice(p);
    }
    const d = newDevice(txn, e.link);
    if ('errno' in d) return d;
    if (peer !== undefined) {
      txn.setDevice({ ...peer, peer: d.ifindex, carrier: false });
      txn.setDevice({ ...d, peer: peer.ifindex, carrier: false });
    } else txn.setDevice(d);
    txn.emit({ kind: 'link', ifindex: d.ifindex, change: 'add', cause: 'inetdev_event', notified: true });
    if (e.link.master !== undefined) setMaster(txn, d.ifindex, e.link.master);
    if (e.link.up) adminChange(txn, d.ifindex, true);
    settleCarriers(txn);
    return null;
  });
}

function setMaster(txn: Txn, ifindex: number, master: number | null): void {
  const d = txn.dev(ifindex);
  if (d === undefined) return;
  if (master !== null) {
    const b = txn.dev(master);
    if (b === undefined) return;
    txn.setDevice({ ...b, hadPorts: true });
  }
  txn.setDevice({ ...d, master });
  txn.emit({ kind: 'link', ifindex, change: 'master', cause: 'inetdev_event', notified: true });
}

/** dev_open / dev_close: IFF_UP and NETDEV_UP / NETDEV_DOWN. */
function adminChange(txn: Txn, ifindex: number, up: boolean): void {
  const d = txn.dev(ifindex);
  if (d === undefined || d.up === up) return;
  txn.setDevice(up ? { ...d, up, everUp: true } : { ...d, up });
  txn.emit({ kind: 'link', ifindex, change: up ? 'up' : 'down', cause: 'inetdev_event', notified: true });
  if (up) netdevUp(txn, ifindex);
  else netdevDown(txn, ifindex);
}

/** do_setlink(): name, then master, then flags. */
function linkSet(txn: Txn, e: LinkSetEvent): KernelError | null {
  return withRuleAttachment(txn, () => {
    const d = txn.dev(e.ifindex);
    if (d === undefined) return kerr('ENODEV');
    if (e.name !== undefined && e.name !== d.name) {
      // dev_change_name(): Linux 6.18 renames a running device too (no EBUSY).
      for (const x of txn.devices.values()) if (x.name === e.name) return kerr('EEXIST');
      txn.setDevice({ ...d, name: e.name, addrs: inetdevChangename(d.addrs, e.name) });
      txn.emit({ kind: 'link', ifindex: d.ifindex, change: 'rename', cause: 'inetdev_event', notified: true });
    }
    if (e.group !== undefined) {
      const cur = txn.dev(e.ifindex);
      if (cur !== undefined) txn.setDevice({ ...cur, group: e.group });
    }
    if (e.master !== undefined) {
      if (e.master !== null) {
        const b = txn.dev(e.master);
        // do_set_master(): a master without ndo_add_slave is EOPNOTSUPP; br_add_if()
        // refuses loopback (EINVAL) and bridges (ELOOP, with a message).
        if (b === undefined || b.kind !== 'bridge') return kerr('EOPNOTSUPP');
        const cur = txn.dev(e.ifindex);
        if (cur?.kind === 'loopback') return kerr('EINVAL');
        if (cur?.kind === 'bridge') return kerr('ELOOP', 'Can not enslave a bridge to a bridge');
      }
      setMaster(txn, e.ifindex, e.master);
    }
    if (e.up !== undefined) adminChange(txn, e.ifindex, e.up);
    settleCarriers(txn);
    return null;
  });
}

/** unregister_netdevice(): close, delete addresses (inetdev_destroy), force the flush, detach rules. */
function linkDel(txn: Txn, e: LinkDelEvent): KernelError | null {
  return withRuleAttachment(txn, () => {
    const d = txn.dev(e.ifindex);
    if (d === undefined) return kerr('ENODEV');
    // rtnl_dellink(): a device without rtnl_link_ops (loopback) cannot be deleted.
    if (d.kind === 'loopback') return kerr('EOPNOTSUPP');
    const victims = [d.ifindex];
    if (d.peer !== null && txn.dev(d.peer) !== undefined) victims.push(d.peer);
    for (const i of victims) adminChange(txn, i, false);
    for (const i of victims) {
      const dev = txn.dev(i);
      if (dev === undefined) continue;
      // inetdev_destroy(): in_dev->dead, so no promotion and no scan for shared routes.
      for (const ifa of dev.addrs) {
        const cur = txn.dev(i);
        if (cur === undefined) break;
        txn.setDevice({ ...cur, addrs: cur.addrs.filter((a) => a !== ifa) });
        txn.emit({ kind: 'addr-del', ifindex: i, addr: ifa, cause: 'inetdev_event', notified: true });
        txn.addrGenid++; // fib_inetaddr_event(): dev_addr_genid
        fibDelIfaddr(txn, i, ifa, null, true);
      }
      fibDisableIp(txn, i, 'NETDEV_UNREGISTER', true);
      nexthopFlushDev(txn, i, true);
    }
    for (const i of victims) {
      txn.deleteDevice(i);
      txn.emit({ kind: 'link', ifindex: i, change: 'del', cause: 'inetdev_event', notified: true });
    }
    // A port leaving its bridge; a bridge losing ports keeps hadPorts.
    for (const x of [...txn.devices.values()]) {
      if (x.master !== null && victims.includes(x.master)) txn.setDevice({ ...x, master: null });
      if (x.peer !== null && victims.includes(x.peer)) txn.setDevice({ ...x, peer: null });
    }
    settleCarriers(txn);
    return null;
  });
}

/** inet_rtm_newaddr(): mark devconf, then update a matching address (replace) or insert. */
function addrAdd(txn: Txn, e: AddrAddEvent): KernelError | null {
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
    extraFlags: 0,
  };
  // find_matching_ifa()
  const existing = d.addrs.find((a) => a.prefixlen === ifa.prefixlen && inPrefix(a.address, ifa.address, ifa.prefixlen) && a.local === ifa.local);
  if (existing === undefined) return inetInsertIfa(txn, e.ifindex, ifa);
  if (!e.replace) return kerr('EEXIST', 'ipv4: Address already assigned');
  if (existing.metric !== e.metric) fibModifyPrefixMetric(txn, e.ifindex, existing, e.metric);
  const cur = txn.dev(e.ifindex);
  if (cur === undefined) return null;
  const updated: InIfaddr = { ...existing, metric: e.metric };
  txn.setDevice({ ...cur, addrs: cur.addrs.map((a) => (a === existing ? updated : a)) });
  txn.emit({ kind: 'addr-add', ifindex: e.ifindex, addr: updated, cause: 'inet_insert_ifa', notified: true });
  return null;
}

/** inet_rtm_deladdr(): the first address matching local, label and address/prefixlen. */
function addrDel(txn: Txn, e: AddrDelEvent): KernelError | null {
  const d = txn.dev(e.ifindex);
  if (d === undefined) return kerr('ENODEV');
  const ifa = d.addrs.find(
    (a) =>
      (e.local === undefined || a.local === e.local) &&
      (e.label === undefined || a.label === e.label) &&
      (e.address === undefined || (e.prefixlen === a.prefixlen && inPrefix(e.address, a.address, a.prefixlen))),
  );
  if (ifa === undefined) return kerr('EADDRNOTAVAIL', 'ipv4: Address not found');
  inetDelIfa(txn, e.ifindex, ifa);
  return null;
}

export { RT_SCOPE_HOST };

/**
 * inetdev_changename(): every label becomes the new name; from the second address on, the
 * old label's ":suffix" is kept, or ":N" (N = its position, from 2) is added.
 */
function inetdevChangename(addrs: readonly InIfaddr[], name: string): InIfaddr[] {
  const IFNAMSIZ = 16;
  return addrs.map((a, i) => {
    if (i === 0) return a.label === name ? a : { ...a, label: name };
    const colon = a.label.indexOf(':');
    const dot = colon >= 0 ? a.label.slice(colon) : `:${i + 1}`;
    const label = dot.length + name.length < IFNAMSIZ ? name + dot : name.slice(0, IFNAMSIZ - dot.length - 1) + dot;
    return a.label === label ? a : { ...a, label };
  });
}
