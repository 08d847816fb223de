// One lane per device for the report's timeline: the device's admin state (IFF_UP) and
// carrier (netif_carrier_ok) over the moments, as runs of equal state, and the moments
// whose effects touched it (a link change, an address added or deleted). Devices are
// known by ifindex (a rename keeps the lane; a device deleted and re-created gets a new
// ifindex, so a new lane, as the kernel numbers it).

import type { NetDevice } from '../snapshot/net-device.js';
import type { MomentState } from './report-model.js';

/** A run of states [from, to) with the same admin state, carrier and name. */
export interface LaneSegment {
  readonly from: number;
  readonly to: number;
  readonly up: boolean;
  readonly carrier: boolean;
  readonly name: string;
}

/** One device's lane. */
export interface DeviceLane {
  readonly ifindex: number;
  /** Every name the device had, in order. */
  readonly names: readonly string[];
  readonly segments: readonly LaneSegment[];
  /** States whose effects touched the device. */
  readonly marks: readonly number[];
}

interface Open {
  from: number;
  up: boolean;
  carrier: boolean;
  name: string;
}

/**
 * The lanes of every device that exists at some state, in ifindex order.
 * @example deviceLanes(model.states).map((l) => l.names.join(' → '))
 * 1. walk the states; a state whose device map is the previous one's (structural
 *    sharing) changes nothing;
 * 2. else close the run of each device whose admin state, carrier or name changed (or
 *    that is gone) and open a new one;
 * 3. mark the states with a link or address effect on the device.
 */
export function deviceLanes(states: readonly MomentState[]): DeviceLane[] {
  const segments = new Map<number, LaneSegment[]>();
  const names = new Map<number, string[]>();
  const marks = new Map<number, number[]>();
  const open = new Map<number, Open>();
  let prevDevices: ReadonlyMap<number, NetDevice> | null = null;
  const close = (ifindex: number, o: Open, to: number): void => {
    let list = segments.get(ifindex);
    if (list === undefined) segments.set(ifindex, (list = []));
    list.push({ from: o.from, to, up: o.up, carrier: o.carrier, name: o.name });
  };
  for (const st of states) {
    const i = st.index;
    for (const e of st.effects) {
      const ifindex = e.kind === 'link' || e.kind === 'addr-add' || e.kind === 'addr-del' ? e.ifindex : undefined;
      if (ifindex === undefined) continue;
      let list = marks.get(ifindex);
      if (list === undefined) marks.set(ifindex, (list = []));
      if (list[list.length - 1] !== i) list.push(i);
    }
    const devices = st.snapshot.devices;
    if (devices === prevDevices) continue;
    prevDevices = devices;
    for (const [ifindex, o] of open) {
      if (devices.has(ifindex)) continue;
      close(ifindex, o, i);
      open.delete(ifindex);
    }
    for (const d of devices.values()) {
      const o = open.get(d.ifindex);
      if (o !== undefined && o.up === d.up && o.carrier === d.carrier && o.name === d.name) continue;
      if (o !== undefined) close(d.ifindex, o, i);
      open.set(d.ifindex, { from: i, up: d.up, carrier: d.carrier, name: d.name });
      let n = names.get(d.ifindex);
      if (n === undefined) names.set(d.ifindex, (n = []));
      if (n[n.length - 1] !== d.name) n.push(d.name);
    }
  }
  for (const [ifindex, o] of open) close(ifindex, o, states.length);
  return [...segments.keys()]
    .sort((a, b) => a - b)
    .map((ifindex) => ({ ifindex, names: names.get(ifindex) ?? [], segments: segments.get(ifindex) ?? [], marks: marks.get(ifindex) ?? [] }));
}
