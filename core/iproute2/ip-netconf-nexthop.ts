// `ip -4 netconf show` (ip/ipnetconf.c) and `ip nexthop` (ip/ipnexthop.c).

import { Args, CommandContext, CommandExit, devIndex, failKernel, getAddr, invarg, matches, notModelled } from './command-context.js';
import type { DevConf } from '../snapshot/devconf.js';
import { deviceByName, type FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { formatIp4 } from '../net/ip4.js';
import { BUILTIN_NAMES, parseUnsigned, protoName, protoNumber, scopeName, type PrintNames } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';

function netconfLine(name: string, c: DevConf): string {
  const onoff = (v: number): string => (v !== 0 ? 'on' : 'off');
  const rp = c.values.rp_filter === 0 ? 'off' : c.values.rp_filter === 1 ? 'strict' : c.values.rp_filter === 2 ? 'loose' : 'unknown mode';
  return `inet ${name} forwarding ${onoff(c.values.forwarding)} rp_filter ${rp} mc_forwarding ${onoff(c.values.mc_forwarding)} proxy_neigh ${onoff(c.values.proxy_arp)} ignore_routes_with_linkdown ${onoff(c.values.ignore_routes_with_linkdown)} \n`;
}

export function ipNetconf(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (!a.done && (matches(a.cur, 'show') || matches(a.cur, 'list'))) a.advance();
  let dev: string | null = null;
  while (!a.done) {
    if (a.cur === 'dev') dev = a.next();
    else notModelled(`ip netconf ${a.cur}`);
    a.advance();
  }
  if (opts.json || opts.family !== 'inet') notModelled('ip netconf without -4, or with -j');
  const s = ctx.snapshot;
  if (dev !== null) {
    const d = deviceByName(s, dev);
    if (d === undefined) throw new CommandExit(`Device "${dev}" does not exist.\n`, 1);
    ctx.print(netconfLine(d.name, d.conf));
    return;
  }
  for (const d of s.devices.values()) ctx.print(netconfLine(d.name, d.conf));
  ctx.print(netconfLine('all', s.confAll));
  ctx.print(netconfLine('default', s.confDefault));
}

/** One `ip nexthop show` line. */
export function formatNexthop(s: FibSnapshot, o: NexthopObject, names: PrintNames = BUILTIN_NAMES): string {
  let t = `id ${o.id} `;
  if (o.kind === 'group') t += `group ${o.members.map((m) => (m.weight === 1 ? `${m.id}` : `${m.id},${m.weight}`)).join('/')} `;
  else if (o.kind === 'blackhole') t += 'blackhole ';
  else {
    if (o.gw !== null) t += `via ${formatIp4(o.gw)} `;
    t += `dev ${s.devices.get(o.dev)?.name ?? o.dev} scope ${scopeName(o.scope, names)} `;
    if (o.onlink) t += 'onlink ';
  }
  if (o.protocol !== 0) t += `proto ${protoName(o.protocol, names)} `;
  return `${t}\n`;
}

export function ipNexthop(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  const verb = a.done ? 'show' : a.cur;
  if (!a.done) a.advance();
  if (matches(verb, 'show') || matches(verb, 'list')) {
    if (!a.done) notModelled(`ip nexthop show ${a.cur}`);
    if (opts.json) notModelled('ip -j nexthop');
    const ids = [...ctx.snapshot.nexthops.keys()].sort((x, y) => x - y);
    for (const id of ids) {
      const o = ctx.snapshot.nexthops.get(id);
      if (o !== undefined) ctx.print(formatNexthop(ctx.snapshot, o, ctx.names));
    }
    return;
  }
  if (matches(verb, 'add') || matches(verb, 'replace')) return nexthopModify(ctx, a, verb.startsWith('r'));
  if (matches(verb, 'delete')) {
    let id: number | undefined;
    while (!a.done) {
      if (a.cur === 'id') {
        const v = a.next();
        id = parseUnsigned(v);
        if (id === undefined) invarg('Invalid id value\n', v);
      } else notModelled(`ip nexthop del ${a.cur}`);
      a.advance();
    }
    if (id === undefined) notModelled('ip nexthop del without id');
    const step = ctx.apply({ type: 'nexthop-del', id });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  notModelled(`ip nexthop ${verb}`);
}

function nexthopModify(ctx: CommandContext, a: Args, replace: boolean): void {
  let id = 0;
  let gw: number | null = null;
  let dev: string | null = null;
  let blackhole = false;
  let onlink = false;
  let protocol = 0;
  let group: { id: number; weight: number }[] | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'id') {
      const v = a.next();
      const n = parseUnsigned(v);
      if (n === undefined) invarg('Invalid id value\n', v);
      id = n;
    } else if (w === 'via') gw = getAddr(a.next());
    else if (w === 'dev') {
      dev = a.next();
      // ipnexthop_modify(): an unknown device is an invarg() at parse time.
      if (deviceByName(ctx.snapshot, dev) === undefined) invarg('Device does not exist\n', dev);
    } else if (w === 'blackhole') blackhole = true;
    else if (w === 'onlink') onlink = true;
    else if (w === 'group') {
      const v = a.next();
      group = v.split('/').map((part) => {
        const [i, wt] = part.split(',');
        const n = parseUnsigned(i ?? '');
        const weight = wt === undefined ? 1 : parseUnsigned(wt);
        if (n === undefined || weight === undefined) invarg('Invalid nexthop group\n', v);
        return { id: n, weight };
      });
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v, ctx.names);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      protocol = p;
    } else notModelled(`ip nexthop ${w}`);
    a.advance();
  }
  let step;
  if (group !== null) step = ctx.apply({ type: 'nexthop-add', id, replace, protocol, kind: 'group', members: group });
  else if (blackhole) step = ctx.apply({ type: 'nexthop-add', id, replace, protocol, kind: 'blackhole' });
  else {
    const ifindex = dev === null ? 0 : devIndex(ctx, dev);
    step = ctx.apply({ type: 'nexthop-add', id, replace, protocol, kind: 'single', dev: ifindex, gw, onlink });
  }
  if (step.error !== null) failKernel(step.error);
}
