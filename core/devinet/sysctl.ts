// Writes to net.ipv4.conf.*: devinet_conf_proc() (marks the key set on that block and,
// for `default`, copies it to every device that has not marked it:
// devinet_copy_dflt_conf), devinet_sysctl_forward() (forwarding: `all` rewrites every
// device and default through inet_forward_change, marking them; no default copy).

import type { Txn } from '../snapshot/txn.js';
import type { SysctlEvent } from '../events/sysctl.js';
import { devconfForget, devconfWrite, unknownDevconf, type DevConf } from '../snapshot/devconf.js';
import { type DevconfKey } from '../uapi/ip-devconf.js';

/** Keys whose change sends RTM_NEWNETCONF (inet_netconf_notify_devconf). */
const NETCONF_KEYS: ReadonlySet<DevconfKey> = new Set<DevconfKey>(['forwarding', 'rp_filter', 'proxy_arp', 'ignore_routes_with_linkdown']);

/**
 * The keys devinet.c registers with DEVINET_SYSCTL_FLUSHING_ENTRY (handler
 * ipv4_doint_and_flush, not devinet_conf_proc) that the model has; compared with the kernel
 * in test/fixtures/kernel/devconf-flushing-keys.
 */
export const FLUSHING_KEYS: ReadonlySet<DevconfKey> = new Set<DevconfKey>(['disable_xfrm', 'disable_policy', 'promote_secondaries', 'route_localnet']);

/**
 * route_localnet changes what inet_select_addr() answers without moving dev_addr_genid, so
 * the nexthops' cached sources (nh_saddr) keep the old answer (core/route/nh-saddr.ts).
 */
function noteLocalnetChange(txn: Txn, ifindex: number): void {
  txn.localnetChangedAt = new Map(txn.localnetChangedAt).set(ifindex, txn.addrGenid);
}

/**
 * A value seen in the kernel rather than written (SysctlEvent.observed): the block learns
 * it; no set mark, no copy, no notification. A known value that differs is taken as the
 * kernel's (route_localnet's change noted as for a write).
 */
function sysctlObserve(txn: Txn, e: SysctlEvent): void {
  const { key, value } = e;
  if (e.target.kind === 'all') {
    if (key === 'route_localnet' && txn.confAll.values[key] !== value) noteLocalnetChange(txn, 0);
    txn.confAll = devconfWrite(txn.confAll, key, value, false);
  } else if (e.target.kind === 'default') {
    txn.confDefault = devconfWrite(txn.confDefault, key, value, false);
  } else {
    const d = txn.dev(e.target.ifindex);
    if (d === undefined) return;
    if (key === 'route_localnet' && d.conf.values[key] !== value) noteLocalnetChange(txn, d.ifindex);
    txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, false) });
  }
}

/**
 * A copy a write may or may not have made (its condition rests on an unknown value or set
 * bit): the block keeps its value if that equals the one written (known either way), else
 * its value is no longer known.
 */
function maybeCopied(c: DevConf, key: DevconfKey, value: number): DevConf {
  return !c.unknown.has(key) && c.values[key] === value ? c : devconfForget(c, key);
}

export function sysctlWrite(txn: Txn, e: SysctlEvent): void {
  if (e.observed === true) {
    sysctlObserve(txn, e);
    return;
  }
  const { key, value } = e;
  // An unknown old value (an imported state) counts as a change: the trace's record that
  // stands for this write, or the script's line, is what the kernel did.
  const notify = (target: string, old: number | null): void => {
    if (NETCONF_KEYS.has(key) && old !== value) {
      txn.emit({ kind: 'netconf', target, key, value, cause: 'devinet_conf_proc', notified: true });
    }
  };
  if (key === 'forwarding') {
    if (e.target.kind === 'all') {
      const old = txn.confAll.unknown.has(key) ? null : txn.confAll.values.forwarding;
      txn.confAll = devconfWrite(txn.confAll, key, value, false);
      if (old === value) return;
      if (old === null) {
        // devinet_sysctl_forward() runs inet_forward_change() only when the value changed,
        // which the model does not know: what it would write may or may not have happened.
        txn.confAll = maybeCopied(txn.confAll, 'accept_redirects', value !== 0 ? 0 : 1);
        txn.confDefault = maybeCopied(txn.confDefault, key, value);
        for (const d of [...txn.devices.values()]) {
          const conf = maybeCopied(d.conf, key, value);
          if (conf !== d.conf) txn.setDevice({ ...d, conf });
        }
        return;
      }
      // inet_forward_change(): all's accept_redirects and default's forwarding follow;
      // RTM_NEWNETCONF for all, then default, then each device in for_each_netdev() order
      // (test/fixtures/traces/14-rename-forwarding).
      txn.confAll = devconfWrite(txn.confAll, 'accept_redirects', value !== 0 ? 0 : 1, false);
      txn.confDefault = devconfWrite(txn.confDefault, key, value, false);
      txn.emit({ kind: 'netconf', target: 'all', key, value, cause: 'inet_forward_change', notified: true });
      txn.emit({ kind: 'netconf', target: 'default', key, value, cause: 'inet_forward_change', notified: true });
      for (const d of [...txn.devices.values()]) {
        txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, true) });
        txn.emit({ kind: 'netconf', target: d.name, key, value, cause: 'inet_forward_change', notified: true });
      }
      return;
    }
    if (e.target.kind === 'default') {
      const old = txn.confDefault.unknown.has(key) ? null : txn.confDefault.values.forwarding;
      txn.confDefault = devconfWrite(txn.confDefault, key, value, false);
      notify('default', old);
      return;
    }
    const d = txn.dev(e.target.ifindex);
    if (d === undefined) return;
    const old = d.conf.unknown.has(key) ? null : d.conf.values.forwarding;
    txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, false) });
    notify(d.name, old);
    return;
  }
  if (FLUSHING_KEYS.has(key)) {
    // ipv4_doint_and_flush() (DEVINET_SYSCTL_FLUSHING_ENTRY): the value is written and the
    // route cache flushed; the key is not marked set and a write to `default` is not copied
    // to existing devices (a device made later still starts from default's values).
    if (e.target.kind === 'all') {
      if (key === 'route_localnet' && (txn.confAll.values[key] !== value || txn.confAll.unknown.has(key))) noteLocalnetChange(txn, 0);
      txn.confAll = devconfWrite(txn.confAll, key, value, false);
    } else if (e.target.kind === 'default') txn.confDefault = devconfWrite(txn.confDefault, key, value, false);
    else {
      const d = txn.dev(e.target.ifindex);
      if (d !== undefined && key === 'route_localnet' && (d.conf.values[key] !== value || d.conf.unknown.has(key))) noteLocalnetChange(txn, d.ifindex);
      if (d !== undefined) txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, false) });
    }
    return;
  }
  if (e.target.kind === 'all') {
    const old = txn.confAll.unknown.has(key) ? null : txn.confAll.values[key];
    txn.confAll = devconfWrite(txn.confAll, key, value, true);
    notify('all', old);
    return;
  }
  if (e.target.kind === 'default') {
    const old = txn.confDefault.unknown.has(key) ? null : txn.confDefault.values[key];
    txn.confDefault = devconfWrite(txn.confDefault, key, value, true);
    notify('default', old);
    for (const d of [...txn.devices.values()]) {
      if (d.conf.set.has(key) || (d.conf.values[key] === value && !d.conf.unknown.has(key))) continue;
      if (d.conf.maybeSet.has(key)) {
        // devinet_copy_dflt_conf() skips a device whose set bit is up, which an imported
        // device's may be: whether the value reached it is not known.
        txn.setDevice({ ...d, conf: devconfForget(d.conf, key) });
        continue;
      }
      txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, false) });
      txn.emit({ kind: 'netconf', target: d.name, key, value, cause: 'devinet_copy_dflt_conf', notified: false });
    }
    return;
  }
  const d = txn.dev(e.target.ifindex);
  if (d === undefined) return;
  const old = d.conf.unknown.has(key) ? null : d.conf.values[key];
  txn.setDevice({ ...d, conf: devconfWrite(d.conf, key, value, true) });
  notify(d.name, old);
}

/** DevconfUnknownEvent: conf/all, conf/default and every device's devconf become unknown (an imported state's start). */
export function devconfUnknown(txn: Txn): void {
  txn.confAll = unknownDevconf(txn.confAll);
  txn.confDefault = unknownDevconf(txn.confDefault);
  for (const d of [...txn.devices.values()]) txn.setDevice({ ...d, conf: unknownDevconf(d.conf) });
}
