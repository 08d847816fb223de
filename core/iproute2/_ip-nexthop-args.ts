// What the `ip nexthop` verbs share (iproute2 6.1 ip/ipnexthop.c): the id and usage of
// the command line, and the kernel's dump filter (nh_dump_filtered() in net/ipv4/nexthop.c)
// over the dump's family and selectors. Internal to ip-nexthop*.ts.

import { CommandContext, invarg, notModelled } from './command-context.js';
import { deviceByIfname, type FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

export function parseId(word: string): number {
  const n = parseUnsigned(word);
  if (n === undefined) invarg('invalid id value', word);
  return n;
}

export function usage(): never {
  return notModelled('iproute2 usage text (ip nexthop help)');
}

/** The nexthop's device (a blackhole sits on the loopback; fdb nexthops have none). */
export function nhDev(o: NexthopObject): number {
  return o.kind === 'single' ? o.dev : o.kind === 'blackhole' ? 1 : 0;
}

export interface DumpFilter {
  dev: number;
  master: number;
  groups: boolean;
  proto: number;
}

/** nh_dump_filtered(), with the dump's family (`ip -4`). */
export function nhDumpFiltered(s: FibSnapshot, o: NexthopObject, f: DumpFilter, family: number): boolean {
  if (f.groups && o.kind !== 'group') return true;
  if (f.dev === 0 && f.master === 0 && family === AF_UNSPEC) return false;
  if (o.kind === 'group') return true;
  // nhi->family != family: a v6 nexthop (fib6_nh) is AF_INET6.
  if (family !== AF_UNSPEC && (o.v6 === true ? AF_INET6 : AF_INET) !== family) return true;
  const dev = nhDev(o);
  if (f.dev !== 0 && dev !== f.dev) return true;
  if (f.master !== 0) {
    if (dev === 0) return true;
    if (s.devices.get(dev)?.master !== f.master) return true;
  }
  return false;
}

export function dumpFamily(opts: GlobalOptions): number {
  if (opts.family === 'inet') return AF_INET;
  if (opts.family === 'any') return AF_UNSPEC;
  return -1;
}

export function sortedNexthops(s: FibSnapshot): NexthopObject[] {
  return [...s.nexthops.values()].sort((a, b) => a.id - b.id);
}

export function devFilter(ctx: CommandContext, word: string): number {
  const d = deviceByIfname(ctx.snapshot, word);
  if (d === undefined) invarg('Device does not exist\n', word);
  return d.ifindex;
}
