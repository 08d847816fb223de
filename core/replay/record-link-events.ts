// RTM_NEWNETCONF and RTM_NEWLINK/DELLINK to the sysctl writes and link events that take the
// model's device to the state reported: devinet_conf_proc() (a netconf per changed value),
// inet_fill_link_af() (IFLA_INET_CONF) and do_setlink() (admin, carrier, name, group).
// Split from record-events.ts.

import type { FibEvent } from '../events/fib-event.js';
import type { SysctlEvent, SysctlTarget } from '../events/sysctl.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { DevconfKey } from '../uapi/ip-devconf.js';
import type { LinkRecord, NetconfRecord } from '../trace/netlink-records.js';
import { IFF_LOOPBACK, IFF_LOWER_UP, IFF_UP, type ResolveDev } from './_record-convert.js';

/** NETCONFA_* of a record, by the model's devconf key. */
function netconfValues(r: NetconfRecord): [DevconfKey, number][] {
  const out: [DevconfKey, number][] = [];
  if (r.forwarding !== undefined) out.push(['forwarding', r.forwarding]);
  if (r.rpFilter !== undefined) out.push(['rp_filter', r.rpFilter]);
  if (r.proxyNeigh !== undefined) out.push(['proxy_arp', r.proxyNeigh]);
  if (r.ignoreRoutesWithLinkdown !== undefined) out.push(['ignore_routes_with_linkdown', r.ignoreRoutesWithLinkdown]);
  if (r.bcForwarding !== undefined) out.push(['bc_forwarding', r.bcForwarding]);
  return out;
}

/** Whether an RTM_NEWNETCONF carries every attribute (a device's registration or rename) rather than one write. */
export function netconfIsFull(r: NetconfRecord): boolean {
  return r.forwarding !== undefined && r.rpFilter !== undefined && r.proxyNeigh !== undefined && r.ignoreRoutesWithLinkdown !== undefined;
}

/** The sysctl target a netconf record names, or undefined for an unknown device. */
export function netconfTarget(r: NetconfRecord, resolve: ResolveDev): SysctlTarget | undefined {
  const i = r.ifindex ?? (r.devName !== undefined ? resolve(r.devName) : undefined);
  if (i === undefined) return undefined;
  if (i === -1) return { kind: 'all' };
  if (i === -2) return { kind: 'default' };
  return { kind: 'dev', ifindex: i };
}

/**
 * RTM_NEWNETCONF to the sysctl events that give the values it reports (those that differ,
 * and those the model did not know). A full record (a device's registration or rename)
 * reports state, not a write: its values are observed (no set mark, no copy).
 */
export function netconfEvents(r: NetconfRecord, s: FibSnapshot, resolve: ResolveDev): SysctlEvent[] {
  if (r.op === 'del') return [];
  const target = netconfTarget(r, resolve);
  if (target === undefined) return [];
  const conf = target.kind === 'all' ? s.confAll : target.kind === 'default' ? s.confDefault : s.devices.get(target.ifindex)?.conf;
  if (conf === undefined) return [];
  const observed = netconfIsFull(r) ? { observed: true as const } : {};
  return netconfValues(r)
    .filter(([k, v]) => conf.values[k] !== v || conf.unknown.has(k))
    .map(([key, value]) => ({ type: 'sysctl', target, key, value, ...observed }));
}

/**
 * IPV4_DEVCONF_* (include/uapi/linux/ip.h, 1-based: IFLA_INET_CONF's element i is index
 * i + 1) of every devconf key the model has. 27 and 28 (igmpv2/igmpv3
 * unsolicited_report_interval) are not modelled keys.
 */
export const INET_CONF_INDEX: readonly (readonly [DevconfKey, number])[] = [
  ['forwarding', 1],
  ['mc_forwarding', 2],
  ['proxy_arp', 3],
  ['accept_redirects', 4],
  ['secure_redirects', 5],
  ['send_redirects', 6],
  ['shared_media', 7],
  ['rp_filter', 8],
  ['accept_source_route', 9],
  ['bootp_relay', 10],
  ['log_martians', 11],
  ['tag', 12],
  ['arp_filter', 13],
  ['medium_id', 14],
  ['disable_xfrm', 15],
  ['disable_policy', 16],
  ['force_igmp_version', 17],
  ['arp_announce', 18],
  ['arp_ignore', 19],
  ['promote_secondaries', 20],
  ['arp_accept', 21],
  ['arp_notify', 22],
  ['accept_local', 23],
  ['src_valid_mark', 24],
  ['proxy_arp_pvlan', 25],
  ['route_localnet', 26],
  ['ignore_routes_with_linkdown', 29],
  ['drop_unicast_in_l2_multicast', 30],
  ['drop_gratuitous_arp', 31],
  ['bc_forwarding', 32],
  ['arp_evict_nocarrier', 33],
];

/**
 * The devconf keys a route lookup reads (fib_validate_source(), ip_route_input_slow(),
 * __mkroute_input(): IN_DEV_ACCEPT_LOCAL, IN_DEV_ROUTE_LOCALNET, IN_DEV_SRC_VMARK,
 * IN_DEV_TX_REDIRECTS, IN_DEV_SHARED_MEDIA) that no notification announces:
 * devinet_conf_proc() sends RTM_NEWNETCONF only for forwarding, rp_filter, proxy_arp,
 * mc_forwarding, bc_forwarding and ignore_routes_with_linkdown. A value an RTM_NEWLINK
 * carries holds at that record only: a later write is silent, and a replay that kept the
 * value answered `ip route get` as of the record with exit 0 while the kernel answered with
 * the new one (test/fixtures/traces/devconf-silent-write). They stay unknown, as in a text
 * trace (before.json gives none of them): an answer that depends on one is named
 * (route/devconf-assume.ts), one that does not is still exact.
 */
export const UNANNOUNCED_LOOKUP_KEYS: ReadonlySet<DevconfKey> = new Set<DevconfKey>(['accept_local', 'route_localnet', 'src_valid_mark', 'send_redirects', 'shared_media']);

/**
 * IFLA_INET_CONF (a device's IPv4 sysctls, in every binary RTM_NEWLINK: inet_fill_link_af())
 * to observed values: those that differ from the model's and those it did not know, but
 * for UNANNOUNCED_LOOKUP_KEYS.
 */
export function inetConfEvents(ifindex: number, conf: readonly number[], s: FibSnapshot): SysctlEvent[] {
  const d = s.devices.get(ifindex);
  if (d === undefined || conf.length === 0) return [];
  const out: SysctlEvent[] = [];
  for (const [key, i] of INET_CONF_INDEX) {
    if (UNANNOUNCED_LOOKUP_KEYS.has(key)) continue;
    const v = conf[i - 1];
    if (v === undefined || (d.conf.values[key] === v && !d.conf.unknown.has(key))) continue;
    out.push({ type: 'sysctl', target: { kind: 'dev', ifindex }, key, value: v, observed: true });
  }
  return out;
}

/** Whether the record says the device has carrier (IFLA_CARRIER, else IFF_LOWER_UP). */
export function recordCarrier(r: LinkRecord): boolean {
  return r.carrier ?? (r.flags & IFF_LOWER_UP) !== 0;
}

/**
 * RTM_NEWLINK / RTM_DELLINK to the events that take the model's device there.
 * 1. unknown ifindex: link-add (kind 'other': carrier comes from the trace), down;
 * 2. a new name: link-set name (up or down: Linux 6.18 renames a running device too);
 * 3. carrier before admin-up (veth_open() sets carrier before NETDEV_UP), admin-down
 *    before carrier (dev_close() sends NETDEV_DOWN, linkwatch NETDEV_CHANGE later);
 *    text traces report carrier (LOWER_UP) only for devices that are up;
 * 4. a new group: link-set group; 5. IFLA_INET_CONF values: sysctl writes.
 */
export function linkEvents(r: LinkRecord, s: FibSnapshot): FibEvent[] {
  const d = s.devices.get(r.ifindex);
  if (r.op === 'del') return d === undefined ? [] : [{ type: 'link-del', ifindex: r.ifindex }];
  const out: FibEvent[] = [];
  const up = (r.flags & IFF_UP) !== 0;
  const binary = r.carrier !== undefined;
  const carrier = recordCarrier(r);
  let curUp = d?.up ?? false;
  let curCarrier = d?.carrier ?? true;
  const kind = d?.kind ?? ((r.flags & IFF_LOOPBACK) !== 0 ? 'loopback' : 'other');
  if (d === undefined) {
    const name = r.name ?? `if${r.ifindex}`;
    out.push({
      type: 'link-add',
      link: { ifindex: r.ifindex, name, kind, up: false, ...(r.address !== undefined ? { mac: r.address } : {}), ...(r.mtu !== undefined ? { mtu: r.mtu } : {}) },
    });
    curUp = false;
    curCarrier = kind !== 'veth';
  } else if (r.name !== undefined && r.name !== d.name) {
    // dev_change_name(): Linux 6.18 renames a running device in place (one RTM_NEWLINK
    // with the new name and IFF_UP kept; its routes stay: test/fixtures/traces/14).
    out.push({ type: 'link-set', ifindex: r.ifindex, name: r.name });
  }
  const carrierKnown = binary || up;
  const carrierEvent = kind === 'other' && carrierKnown && carrier !== curCarrier ? [{ type: 'link-carrier' as const, ifindex: r.ifindex, carrier }] : [];
  if (up && !curUp) {
    out.push(...carrierEvent, { type: 'link-set', ifindex: r.ifindex, up: true });
  } else if (!up && curUp) {
    out.push({ type: 'link-set', ifindex: r.ifindex, up: false }, ...carrierEvent);
  } else {
    out.push(...carrierEvent);
  }
  const group = r.group;
  if (group !== undefined && group !== (d?.group ?? 0)) out.push({ type: 'link-set', ifindex: r.ifindex, group });
  return out;
}
