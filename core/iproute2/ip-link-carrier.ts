// `ip link set dev X carrier on|off`: IFLA_CARRIER in do_setlink() (net/core/rtnetlink.c)
// calls dev_change_carrier() (net/core/dev.c), which is -EOPNOTSUPP unless the driver has
// ndo_change_carrier. What each driver does, as this machine's Linux 6.18 answered in a
// private namespace (test/iproute2/ip-link-carrier.test.ts asks it again) or as its source says:
//
// | driver (IFLA_INFO_KIND)               | carrier off         | carrier on                          | from |
// | ------------------------------------- | ------------------- | ----------------------------------- | ---- |
// | lo, veth, bridge, macvlan, vxlan, ifb | EOPNOTSUPP          | EOPNOTSUPP                          | kernel here |
// | tun (tun and tap)                     | carrier off         | EPERM with no process attached (tun_net_change_carrier: numqueues 0) | kernel here |
// | dummy                                 | carrier off         | carrier on (dummy_change_carrier)   | source (no dummy module here); test/fixtures/dummy-analogy |
// | anything else, or a physical NIC      | not modelled, by name: a NIC driver may or may not have ndo_change_carrier | | |
//
// Where the kernel derives a carrier (a veth from its peer, a macvlan or vlan from its lower
// device, a bridge from its ports) the model does so only for the kinds it creates itself
// (veth, bridge: net-device.ts); an imported device of another kind keeps what was dumped.

import type { NetDevice } from '../snapshot/net-device.js';
import type { KernelError } from '../uapi/errno.js';
import { kerr } from '../uapi/errno.js';

/** What `carrier on|off` does to a device: the new carrier, a kernel error, or what is not modelled. */
export type CarrierChange =
  | { readonly kind: 'set'; readonly carrier: boolean }
  | { readonly kind: 'error'; readonly error: KernelError }
  | { readonly kind: 'not-modelled'; readonly what: string };

/** Drivers seen to refuse IFLA_CARRIER here (no ndo_change_carrier). */
const NO_CHANGE_CARRIER: ReadonlySet<string> = new Set(['veth', 'bridge', 'macvlan', 'macvtap', 'vxlan', 'ifb']);

/**
 * dev_change_carrier() for device `d` asked to `on`: the table above.
 *
 * @example linkChangeCarrier({ ...dev, kind: 'other', driver: 'dummy' }, false) // { kind: 'set', carrier: false }
 */
export function linkChangeCarrier(d: NetDevice, on: boolean): CarrierChange {
  // dummy_change_carrier(): netif_carrier_on/off (a dummy made by the script, or imported).
  if (d.kind === 'dummy') return { kind: 'set', carrier: on };
  if (d.kind !== 'other') return { kind: 'error', error: kerr('EOPNOTSUPP') };
  const driver = d.driver;
  if (driver !== undefined && NO_CHANGE_CARRIER.has(driver)) return { kind: 'error', error: kerr('EOPNOTSUPP') };
  if (driver === 'dummy') return { kind: 'set', carrier: on };
  if (driver === 'tun') {
    if (!on) return { kind: 'set', carrier: false };
    // tun_net_change_carrier(): EPERM while no process has the device open (numqueues 0).
    // An up tun with carrier has one; without, the dump cannot tell a detached device from
    // one a user turned off.
    if (d.carrier && d.up) return { kind: 'set', carrier: true };
    return { kind: 'not-modelled', what: `ip link set carrier on: a tun/tap device without carrier (EPERM unless a process has ${d.name} open; the snapshot cannot tell)` };
  }
  return {
    kind: 'not-modelled',
    what: `ip link set carrier on a ${driver === undefined ? 'device of unknown kind (a physical NIC, or a snapshot without link_kinds)' : `${driver} device`}: whether its driver has ndo_change_carrier is not known`,
  };
}

/**
 * Where the kernel would change another carrier than the model can: `d`'s admin state
 * changed (or `d` went away), and another imported device's carrier follows `d` (a veth's
 * peer, a macvlan's lower device). (`d`'s own carrier, when it comes up again, follows what
 * was dumped of the other, which did not change.) The model keeps imported carriers as dumped, so it names the
 * device instead of going on quietly wrong; null when nothing depends on `d`.
 */
export function derivedCarrierGap(devices: ReadonlyMap<number, NetDevice>, d: NetDevice, deleted = false, except?: number): string | null {
  // A bridge's carrier follows its ports' STP state (br_port_state_selection()), which a dump
  // does not show: for an imported bridge (kind 'other', a dump's `master`), a port's or its
  // own admin change is named.
  const m = d.master === null ? undefined : devices.get(d.master);
  if (m !== undefined && m.kind === 'other') return importedBridgeGap(m);
  if (d.kind !== 'other') return null;
  for (const x of devices.values()) {
    if (x.ifindex === except) continue;
    // A down veth has no carrier whatever its peer does (veth_close()).
    if (x.kind === 'other' && x.lower === d.ifindex && !(x.driver === 'veth' && !x.up)) return `the carrier of ${x.name} follows ${d.name} in the kernel (${x.driver ?? 'IFLA_LINK'}), not for devices imported from a snapshot`;
    // A bridge deleted takes its carrier along (its ports only leave: br_dev_delete()).
    if (x.master === d.ifindex && !deleted) return importedBridgeGap(d);
  }
  return null;
}

/** The gap of an imported bridge whose ports changed. */
export function importedBridgeGap(bridge: NetDevice): string {
  return `the carrier of ${bridge.name} follows its ports' STP state in the kernel (br_port_state_selection()), not for a bridge imported from a snapshot`;
}

/**
 * An imported device dumped down came up: its carrier is then its driver's (a tap with no
 * process has none, a NIC its cable's), which a dump of a down device does not show (no
 * LOWER_UP to go by). null when the carrier is known (seen while up, or set since).
 */
export function unknownCarrierGap(d: NetDevice): string | null {
  if (d.kind !== 'other' || !d.up || d.carrierUnknown !== true) return null;
  return `the carrier of ${d.name} once up is its driver's (${d.driver ?? 'unknown kind'}); a snapshot of a down device does not show it`;
}

/**
 * An imported device whose carrier the kernel takes from its IFLA_LINK device (a veth from
 * its peer, a macvlan or vlan from its lower device: netif_stacked_transfer_operstate())
 * came up: the model keeps the carrier it was imported with, which is the kernel's only
 * while that device is up with carrier (a device dumped down shows no LOWER_UP to go by).
 * Otherwise named; null when the kept carrier is the kernel's or no device is followed.
 */
export function stackedCarrierGap(devices: ReadonlyMap<number, NetDevice>, d: NetDevice): string | null {
  if (d.kind !== 'other' || !d.up || !d.carrier || d.lower === undefined) return null;
  const lower = devices.get(d.lower);
  if (lower !== undefined && lower.up && lower.carrier) return null;
  return `the carrier of ${d.name} follows ${lower?.name ?? `ifindex ${d.lower}`} in the kernel (${d.driver ?? 'IFLA_LINK'}), which is not up with carrier: not for devices imported from a snapshot`;
}

/**
 * The peer of an imported veth: two imported devices each naming the other as IFLA_LINK in
 * this namespace (a dump's `link`), of kind veth or unknown (a dump without link_kinds). Only
 * a pair device does that: a macvlan's or vlan's lower device names none back. Of the pair
 * kinds, veth is the one this kernel has and the one compared (test/fixtures/initial/
 * veth-pair-admin*); a netkit or vxcan pair in a dump without link_kinds is taken as a veth,
 * not compared. undefined when `d` has none.
 */
export function importedVethPeer(devices: ReadonlyMap<number, NetDevice>, d: NetDevice): NetDevice | undefined {
  if (d.kind !== 'other' || d.lower === undefined || (d.driver !== undefined && d.driver !== 'veth')) return undefined;
  const x = devices.get(d.lower);
  if (x === undefined || x.kind !== 'other' || x.lower !== d.ifindex || (x.driver !== undefined && x.driver !== 'veth')) return undefined;
  return x;
}

/**
 * The carriers of a veth pair after one end's admin change (veth_open(): both on when the
 * peer is up; veth_close(): both off), as [ifindex, carrier] for each end whose carrier
 * differs from `d`'s and its peer's now (or is not known: imported down).
 */
export function vethPairCarriers(d: NetDevice, peer: NetDevice): [number, boolean][] {
  const on = d.up && peer.up;
  const out: [number, boolean][] = [];
  for (const x of [d, peer]) if (x.carrier !== on || x.carrierUnknown === true) out.push([x.ifindex, on]);
  return out;
}
