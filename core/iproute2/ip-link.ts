// `ip link` (iproute2 6.1 ip/iplink.c, link_veth.c): add (veth, bridge), set, delete.

import { Args, CommandContext, CommandExit, devIndex, failKernel, matches, notModelled } from './command-context.js';
import type { LinkSpec } from '../events/netdev.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import type { DeviceKind } from '../events/netdev.js';
import type { GlobalOptions } from './global-options.js';
import { linkHeader, linkLayer } from './ip-link-show.js';
import { derivedCarrierGap, linkChangeCarrier } from './ip-link-carrier.js';

/** `ip link show [dev] [NAME]`. */
function linkShow(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  let name: string | null = null;
  while (!a.done) {
    if (a.cur === 'dev') name = a.next();
    else if (['up', 'master', 'type', 'vrf', 'group', 'nomaster'].includes(a.cur)) notModelled(`ip link show ${a.cur}`);
    else name = a.cur;
    a.advance();
  }
  if (opts.json) notModelled('ip -j link show');
  let devs = [...ctx.snapshot.devices.values()];
  if (name !== null) {
    const d = deviceByName(ctx.snapshot, name);
    if (d === undefined) throw new CommandExit(`Device "${name}" does not exist.\n`, 1);
    devs = [d];
  }
  for (const d of devs) ctx.print(`${linkHeader(ctx.snapshot, d, true)}${opts.oneline ? '\\' : '\n'}${linkLayer(ctx.snapshot, d)}\n`);
}

export function ipLink(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return linkShow(ctx, opts, a);
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return linkAdd(ctx, a);
  if (matches(verb, 'set') || matches(verb, 'change')) return linkSet(ctx, a);
  if (matches(verb, 'delete')) return linkDel(ctx, a);
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) return linkShow(ctx, opts, a);
  throw new CommandExit(`Command "${verb}" is unknown, try "ip link help".\n`, 255);
}

interface LinkWords {
  dev: string | null;
  name: string | null;
  up: boolean | null;
  master: string | null | undefined;
  group: number | undefined;
  /** IFLA_CARRIER (`carrier on|off`). */
  carrier: boolean | undefined;
}

/** The generic link options (iplink_parse) up to `type`. */
function parseLinkWords(ctx: CommandContext, a: Args, stopAtType: boolean): LinkWords {
  const out: LinkWords = { dev: null, name: null, up: null, master: undefined, group: undefined, carrier: undefined };
  while (!a.done) {
    const w = a.cur;
    if (stopAtType && w === 'type') break;
    if (w === 'up') out.up = true;
    else if (w === 'down') out.up = false;
    else if (w === 'name') out.name = a.next();
    else if (w === 'dev') out.dev = a.next();
    else if (w === 'master') {
      out.master = a.next();
      // iplink_parse(): the master is looked up while parsing, an invarg() when missing.
      if (deviceByName(ctx.snapshot, out.master) === undefined) throw new CommandExit(`Error: argument "${out.master}" is wrong: Device does not exist\n\n`, 255);
    }
    else if (matches(w, 'nomaster')) out.master = null;
    else if (w === 'group') {
      const v = a.next();
      const g = v === 'default' ? 0 : parseUnsigned(v);
      if (g === undefined) throw new CommandExit(`Error: argument "${v}" is wrong: Invalid "group" value\n\n`, 255);
      out.group = g;
    } else if (w === 'carrier') {
      // parse_on_off(): anything but on/off is -EINVAL, which ip exits with.
      const v = a.next();
      if (v !== 'on' && v !== 'off') throw new CommandExit(`Error: argument of "carrier" must be one of "off", "on", not "${v}"\n`, 22);
      out.carrier = v === 'on';
    } else if (['mtu', 'address', 'txqueuelen', 'qlen', 'arp', 'multicast', 'allmulticast', 'promisc', 'trailers', 'dynamic', 'link', 'netns', 'alias', 'vf', 'xdp', 'protodown', 'numtxqueues', 'numrxqueues', 'addrgenmode', 'gso_max_size', 'gso_max_segs', 'mode', 'state', 'index'].includes(w)) {
      notModelled(`ip link ${w}`);
    } else if (out.dev === null) out.dev = w;
    else throw new CommandExit(`Error: either "dev" is duplicate, or "${w}" is a garbage.\n`, 255);
    a.advance();
  }
  return out;
}

function linkAdd(ctx: CommandContext, a: Args): void {
  const main = parseLinkWords(ctx, a, true);
  if (a.done) throw new CommandExit('Not enough information: "type" argument is required\n', 255);
  const type = a.next();
  a.advance();
  main.name = main.name ?? main.dev;
  if (main.name === null) throw new CommandExit('Not enough information: "dev" argument is required.\n', 255);
  let kind: DeviceKind;
  let peer: LinkSpec | undefined;
  if (type === 'veth') {
    kind = 'veth';
    let peerName: string | null = null;
    let peerUp = false;
    if (!a.done) {
      if (a.cur !== 'peer') throw new CommandExit(`Error: argument "${a.cur}" is wrong: veth options\n\n`, 255);
      a.advance();
      const p = parseLinkWords(ctx, a, false);
      peerName = p.name ?? p.dev;
      peerUp = p.up === true;
    }
    // A veth without a peer name gets "vethN" from the kernel; the model names it the same way.
    const pname = peerName ?? nextVethName(ctx);
    // register_netdevice order: the peer takes the next ifindex, the device the one after.
    peer = { ifindex: ctx.snapshot.nextIfindex, name: pname, kind: 'veth', up: peerUp };
  } else if (type === 'bridge') {
    kind = 'bridge';
    if (!a.done) notModelled(`ip link add type bridge ${a.cur}`);
  } else {
    notModelled(`ip link add type ${type}`);
  }
  if (main.master !== undefined && main.master !== null) notModelled('ip link add master');
  if (main.carrier !== undefined) notModelled('ip link add carrier');
  const link: LinkSpec = { ifindex: ctx.snapshot.nextIfindex + (peer === undefined ? 0 : 1), name: main.name, kind, up: main.up === true };
  const step = ctx.apply(peer === undefined ? { type: 'link-add', link } : { type: 'link-add', link, peer });
  if (step.error !== null) failKernel(step.error);
}

function nextVethName(ctx: CommandContext): string {
  for (let i = 0; ; i++) if (deviceByName(ctx.snapshot, `veth${i}`) === undefined) return `veth${i}`;
}

function linkSet(ctx: CommandContext, a: Args): void {
  const w = parseLinkWords(ctx, a, false);
  const devName = w.dev ?? w.name;
  if (devName === null) throw new CommandExit('Not enough of information: "dev" argument is required.\n', 255);
  const ifindex = devIndex(ctx, devName);
  const rename = w.dev !== null && w.name !== null ? w.name : undefined;
  let master: number | null | undefined;
  if (w.master !== undefined) master = w.master === null ? null : devIndex(ctx, w.master);
  const upBefore = ctx.snapshot.devices.get(ifindex)?.up;
  const step = ctx.apply({
    type: 'link-set',
    ifindex,
    ...(w.up === null ? {} : { up: w.up }),
    ...(master === undefined ? {} : { master }),
    ...(w.group === undefined ? {} : { group: w.group }),
    ...(rename === undefined ? {} : { name: rename }),
  });
  if (step.error !== null) failKernel(step.error);
  const after = ctx.snapshot.devices.get(ifindex);
  if (w.up !== null && after !== undefined && upBefore !== after.up) {
    const gap = derivedCarrierGap(ctx.snapshot.devices, after);
    if (gap !== null) notModelled(gap);
  }
  if (w.carrier !== undefined) {
    // do_setlink(): IFLA_CARRIER after the flags; dev_change_carrier() per driver
    // (ip-link-carrier.ts).
    const d = ctx.snapshot.devices.get(ifindex);
    if (d === undefined) failKernel({ errno: 'ENODEV' });
    const c = linkChangeCarrier(d, w.carrier);
    if (c.kind === 'error') failKernel(c.error);
    if (c.kind === 'not-modelled') notModelled(c.what);
    const st = ctx.apply({ type: 'link-carrier', ifindex, carrier: c.carrier });
    if (st.error !== null) failKernel(st.error);
  }
}

function linkDel(ctx: CommandContext, a: Args): void {
  const w = parseLinkWords(ctx, a, false);
  const devName = w.dev ?? w.name;
  if (devName === null) throw new CommandExit('Not enough of information: "dev" argument is required.\n', 255);
  const ifindex = devIndex(ctx, devName);
  const gone = ctx.snapshot.devices.get(ifindex);
  // veth_dellink(): the peer goes too, which an imported veth (kind 'other') does not know.
  const peer = gone?.kind === 'other' && gone.driver === 'veth' && gone.lower !== undefined ? ctx.snapshot.devices.get(gone.lower) : undefined;
  const gap = gone === undefined ? null : peer !== undefined ? `ip link del of an imported veth: the kernel deletes its peer ${peer.name} too` : derivedCarrierGap(ctx.snapshot.devices, gone);
  const step = ctx.apply({ type: 'link-del', ifindex });
  if (step.error !== null) failKernel(step.error);
  if (gap !== null) notModelled(gap);
}
