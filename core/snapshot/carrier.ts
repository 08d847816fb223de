// Carrier of the device kinds the model has (drivers/net/veth.c veth_open/veth_close,
// net/bridge br_if.c / br_stp.c port state): veth has carrier iff both ends are up; a
// bridge iff it is up and has a forwarding port (or never had a port at all); lo always; a
// dummy keeps what it was last set to (dummy_change_carrier), on from registration.

import type { NetDevice } from './net-device.js';

/** The carrier a device should have given every device's admin state. */
export function expectedCarrier(d: NetDevice, devices: ReadonlyMap<number, NetDevice>): boolean {
  switch (d.kind) {
    case 'loopback':
      return true;
    case 'veth': {
      if (!d.up || d.peer === null) return false;
      const p = devices.get(d.peer);
      return p !== undefined && p.up;
    }
    case 'bridge': {
      if (!d.up) return false;
      if (!d.hadPorts) return true;
      for (const x of devices.values()) {
        if (x.master === d.ifindex && x.up && expectedCarrier(x, devices)) return true;
      }
      return false;
    }
    case 'macvlan': {
      // netif_stacked_transfer_operstate(): the lower device's carrier, whatever the
      // macvlan's own admin state (macvlan_device_event on NETDEV_UP/DOWN/CHANGE).
      const l = d.lower === undefined ? undefined : devices.get(d.lower);
      return l !== undefined && expectedCarrier(l, devices);
    }
    case 'dummy':
    case 'other':
      return d.carrier;
  }
}
