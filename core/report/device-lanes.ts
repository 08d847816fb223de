// One lane per device for the report's timeline: the device's admin state (IFF_UP) and
// carrier (netif_carrier_ok) over the moments, as runs of equal state, and the moments
// whose effects touched it (a link change, an address added or deleted). Devices are
// known by ifindex (a rename keeps the lane; a device deleted and re-created gets a new
// ifindex, so a new lane, as the kernel numbers it).

import type { NetDevice } from '../snapshot/net-device.js';
import type { Effect } from '../snapshot/effects.js';

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

/** What a lane needs of one state: its index, its effects and its devices. */
export interface LaneInput {
  readonly index: number;
  readonly effects: readonly Effect[];
  readonly devices: ReadonlyMap<number, NetDevice>;
}

/**
 * The lanes of every device that exists at some state, in ifindex order, built one state
 * at a time (the report's writer feeds it each replay step: the page gets the lanes made).
 * @example const b = new LaneBuilder(); for (const st of states) b.add(st); b.finish(states.length)
 * 1. a state whose device map is the previous one's (structural sharing) changes nothing;
 * 2. else close the run of each device whose admin state, carrier or name changed (or
 *    that is gone) and open a new one;
 * 3. mark the states with a link or address effect on the device.
 */
export class LaneBuilder {
  private readonly segments = new Map<number, LaneSegment[]>();
  private readonly names = new Map<number, string[]>();
  private readonly marks = new Map<number, number[]>();
  private readonly open = new Map<number, Open>();
  private prevDevices: ReadonlyMap<number, NetDevice> | null = null;

  private close(ifindex: number, o: Open, to: number): void {
    let list = this.segments.get(ifindex);
    if (list === undefined) this.segments.set(ifindex, (list = []));
    list.push({ from: o.from, to, up: o.up, carrier: o.carrier, name: o.name });
  }

  add(st: LaneInput): void {
    const i = st.index;
    for (const e of st.effects) {
      const ifindex = e.kind === 'link' || e.kind === 'addr-add' || e.kind === 'addr-del' ? e.ifindex : undefined;
      if (ifindex === undefined) continue;
      let list = this.marks.get(ifindex);
      if (list === undefined) this.marks.set(ifindex, (list = []));
      if (list[list.length - 1] !== i) list.push(i);
    }
    const devices = st.devices;
    if (devices === this.prevDevices) return;
    this.prevDevices = devices;
    for (const [ifindex, o] of this.open) {
      if (devices.has(ifindex)) continue;
      this.close(ifindex, o, i);
      this.open.delete(ifindex);
    }
    for (const d of devices.values()) {
      const o = this.open.get(d.ifindex);
      if (o !== undefined && o.up === d.up && o.carrier === d.carrier && o.name === d.name) continue;
      if (o !== undefined) this.close(d.ifindex, o, i);
      this.open.set(d.ifindex, { from: i, up: d.up, carrier: d.carrier, name: d.name });
      let n = this.names.get(d.ifindex);
      if (n === undefined) this.names.set(d.ifindex, (n = []));
      if (n[n.length - 1] !== d.name) n.push(d.name);
    }
  }

  /** The lanes, once `states` states were added. */
  finish(states: number): DeviceLane[] {
    for (const [ifindex, o] of this.open) this.close(ifindex, o, states);
    this.open.clear();
    return [...this.segments.keys()]
      .sort((a, b) => a - b)
      .map((ifindex) => ({ ifindex, names: this.names.get(ifindex) ?? [], segments: this.segments.get(ifindex) ?? [], marks: this.marks.get(ifindex) ?? [] }));
  }
}
