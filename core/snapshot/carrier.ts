// Carrier of the device kinds the model has (drivers/net/veth.c veth_open/veth_close,
// net/bridge br_if.c / br_stp.c port state): veth has carrier iff both ends are up; a
// bridge iff it is up and has a forwarding port, or never had a port at all (up or down); lo always; a
// dummy keeps what it was last set to (dummy_change_carrier), on from registration.

import type { NetDevice } from './net-device.js';

/**
 * The carrier a device should have given every device's admin state; `before` is the
 * devices before the event (a macvlan's carrier depends on when its lower device changed).
 */
export function expectedCarrier(d: NetDevice, devices: ReadonlyMap<number, NetDevice>, before?: ReadonlyMap<number, NetDevice>): boolean {
  switch (d.kind) {
    case 'loopback':
      return true;
    case 'veth': {
      if (!d.up || d.peer === null) return false;
      const p = devices.get(d.peer);
      return p !== undefined && p.up;
    }
    case 'bridge': {
      // The bridge's carrier is set only by br_port_state_selection() (off without a
      // forwarding port), which runs when a port is enabled or disabled or the bridge id
      // changes (the first port added: br_stp_recalculate_bridge_id()). A bridge that never
      // had a port never ran it: its carrier stays on from registration, up or down (seen
      // through a macvlan on it: LOWER_UP while the bridge is down). Once it had ports, a
      // down bridge's ports are all disabled, so its carrier is off.
      // A new address runs it too (br_set_mac_address(), rtnl-link.ts setMacAddress()).
      if (!d.hadPorts && d.stpSelected !== true) return true;
      if (!d.up) return false;
      for (const x of devices.values()) {
        if (x.master === d.ifindex && x.up && expectedCarrier(x, devices)) return true;
      }
      return false;
    }
    case 'macvlan': {
      // netif_stacked_transfer_operstate(): the lower device's carrier, whatever the
      // macvlan's own admin state, copied at macvlan_common_newlink() and on the lower's
      // NETDEV_UP, NETDEV_DOWN and NETDEV_CHANGE (macvlan_device_event). linkwatch_do_dev()
      // sends NETDEV_CHANGE only for a running device, so a down lower's carrier change (a
      // bridge's first port turns its carrier off) reaches its macvlans at its next NETDEV_UP.
      const l = d.lower === undefined ? undefined : devices.get(d.lower);
      if (l === undefined) return false;
      const lowerBefore = before?.get(l.ifindex);
      const transferred = before === undefined || l.up || before.get(d.ifindex) === undefined || lowerBefore === undefined || lowerBefore.up;
      return transferred ? expectedCarrier(l, devices, before) : d.carrier;
    }
    case 'dummy':
    case 'other':
      return d.carrier;
  }
}
