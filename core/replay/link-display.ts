// What `ip link` shows of an imported device that no event carries: the root qdisc
// (IFLA_QDISC), the flags a driver or user set (IFF_POINTOPOINT, IFF_NOARP, IFF_PROMISC …),
// dev->tx_queue_len, the alias, the link type of a device without an Ethernet address (a
// tun: `link/none`), and whether linkwatch ever set its operstate (IF_OPER_UNKNOWN of a
// device whose driver never reports carrier: vxlan, ifb, a bridge that never had a
// forwarding port). Taken as dumped, after the import's own up/down (initial-state.ts step 8):
// the model then moves them as the kernel does (qdiscOnOpen() in ../snapshot/net-device.ts,
// operstate() in ../iproute2/ip-link-show.ts), or names what it cannot know.

import type { NetDevice } from '../snapshot/net-device.js';
import type { IpLink } from '../trace/ip-json.js';
import { flagsFromWords } from './link-table.js';

/** The dev->flags bits print_link_flags() shows that are neither IFF_UP nor derived from the link state. */
const STATIC_FLAG_BITS = 0x2 | 0x8 | 0x10 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x20 | 0x4 | 0x40000;

/**
 * The device `d` (as the import's events left it) with the display state of its dump `l`;
 * `d` itself when nothing differs. `knownCarrier`: the dump (rtmon's IFLA_CARRIER) says the
 * carrier even of a down device; an `ip -j` dump has LOWER_UP only while up, so a device
 * dumped down gets `carrierUnknown` (its carrier once up is its driver's).
 */
export function linkDisplayAsDumped(d: NetDevice, l: IpLink, knownCarrier: boolean): NetDevice {
  const q = l.qdisc ?? null;
  const out: { -readonly [K in keyof NetDevice]: NetDevice[K] } = { ...d };
  let changed = false;
  const set = <K extends keyof NetDevice>(k: K, v: NetDevice[K]): void => {
    if (out[k] === v) return;
    out[k] = v;
    changed = true;
  };
  // print_linkinfo()'s IFLA_PROP_LIST: any kind of device may have alternative names.
  if (l.altnames !== undefined && l.altnames.length > 0) set('altnames', l.altnames);
  if (d.kind === 'loopback') {
    // lo: every display bit is the model's own; only its qdisc may differ (never up: noop).
    if (d.everUp !== true || q !== 'noqueue') set('qdisc', q);
    return changed ? out : d;
  }
  if (d.kind !== 'other') return d;
  set('qdisc', q);
  // vxlan and ifb never change their carrier (no netif_carrier_on/off, no ndo_change_carrier:
  // ip-link-carrier.ts), so linkwatch never sets their operstate: on and UNKNOWN whenever up
  // (seen here after their first up); any other device dumped down has its driver's.
  const steady = d.driver === 'vxlan' || d.driver === 'ifb';
  if (steady) set('operKnown', false);
  else if (!d.up && !knownCarrier) set('carrierUnknown', true);
  const words = flagsFromWords(l.flags);
  const base = 0x2 | 0x1000; // ether_setup(): what devFlags() assumes for kind 'other'
  if ((words & STATIC_FLAG_BITS) !== base) set('userFlags', { mask: STATIC_FLAG_BITS, value: words & STATIC_FLAG_BITS });
  if (l.txqlen !== undefined && l.txqlen !== 1000) set('txqlen', l.txqlen);
  if (l.ifalias !== undefined) set('ifalias', l.ifalias);
  if (l.link_type !== undefined && l.link_type !== 'ether') set('linkTypeWord', l.link_type);
  if (l.address === undefined) set('noLinkAddress', true);
  // Up with carrier and IF_OPER_UNKNOWN: linkwatch never ran rfc2863_policy() for it.
  if (d.up && d.carrier && l.operstate === 'UNKNOWN') set('operKnown', false);
  return changed ? out : d;
}
