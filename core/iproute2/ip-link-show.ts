// `ip link show` and the link part of `ip address show` (ip/ipaddress.c print_linkinfo,
// print_link_flags): flags as dev_get_flags() reports them, operstate as linkwatch sets it.

import type { NetDevice } from '../snapshot/net-device.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';

/** IF_OPER_* as iproute2 prints it. */
export function operstate(s: FibSnapshot, d: NetDevice): string {
  if (!d.up) return 'DOWN';
  switch (d.kind) {
    case 'loopback':
      return 'UNKNOWN';
    case 'veth':
      return d.carrier ? 'UP' : 'LOWERLAYERDOWN';
    case 'bridge':
      if (d.carrier) return d.sawForwardingPort === true ? 'UP' : 'UNKNOWN';
      return 'DOWN';
    case 'dummy':
      // IF_OPER_UNKNOWN until linkwatch ran once (dummy never reports carrier itself)
      if (d.operKnown !== true) return 'UNKNOWN';
      return d.carrier ? 'UP' : 'DOWN';
    case 'other':
      return d.carrier ? 'UP' : 'DOWN';
  }
  void s;
}

/** IFF_RUNNING: netif_oper_up() (UP or UNKNOWN) on a running device. */
function running(s: FibSnapshot, d: NetDevice): boolean {
  const st = operstate(s, d);
  return d.up && (st === 'UP' || st === 'UNKNOWN');
}

/** The <FLAGS> word list. */
export function linkFlags(s: FibSnapshot, d: NetDevice): string {
  const f: string[] = [];
  if (d.up && !running(s, d)) f.push('NO-CARRIER');
  if (d.kind === 'loopback') f.push('LOOPBACK');
  // dummy_setup(): IFF_NOARP set, IFF_MULTICAST cleared
  else if (d.kind === 'dummy') f.push('BROADCAST', 'NOARP');
  else f.push('BROADCAST', 'MULTICAST');
  if (d.up) f.push('UP');
  if (d.up && d.carrier) f.push('LOWER_UP');
  if (d.kind === 'veth' && d.peer !== null) {
    const p = s.devices.get(d.peer);
    if (p !== undefined && !p.up) f.push('M-DOWN');
  }
  return `<${f.join(',')}>`;
}

/** The first line of a link record, without its newline; `mode` only in `ip link`. */
export function linkHeader(s: FibSnapshot, d: NetDevice, withMode: boolean): string {
  const peer = d.kind === 'veth' && d.peer !== null ? s.devices.get(d.peer) : undefined;
  const name = peer !== undefined ? `${d.name}@${peer.name}` : d.name;
  const master = d.master !== null ? s.devices.get(d.master) : undefined;
  return (
    `${d.ifindex}: ${name}: ${linkFlags(s, d)} mtu ${d.mtu} qdisc ${d.everUp === true ? 'noqueue' : 'noop'} ` +
    `${master !== undefined ? `master ${master.name} ` : ''}state ${operstate(s, d)} ${withMode ? 'mode DEFAULT ' : ''}` +
    `group ${d.group === 0 ? 'default' : String(d.group)} qlen 1000`
  );
}

/** The link-layer line, without its newline. A bridge whose last port left has an all-zero address (br_stp_recalculate_bridge_id). */
export function linkLayer(s: FibSnapshot, d: NetDevice): string {
  if (d.kind === 'loopback') return '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00';
  let mac = d.mac;
  if (d.kind === 'bridge' && d.hadPorts && ![...s.devices.values()].some((x) => x.master === d.ifindex)) mac = '00:00:00:00:00:00';
  return `    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`;
}
