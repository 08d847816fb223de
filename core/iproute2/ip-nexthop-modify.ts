// `ip nexthop add|replace|del` (iproute2 6.1 ip/ipnexthop.c: ipnh_modify(),
// add_nh_group_attr()): the words to the RTM_NEWNEXTHOP/RTM_DELNEXTHOP request the kernel's
// rtm_new_nexthop()/rtm_del_nexthop() receive. Split from ip-nexthop.ts.

import { Args, CommandContext, failKernel, invarg, matches, notModelled } from './command-context.js';
import { ip6GatewayOnImported } from './ip6-gateway-unknown.js';
import { deviceByIfname } from '../snapshot/snapshot.js';
import type { NexthopAddEvent } from '../events/nexthop.js';
import { parseUnsigned, protoNumber } from '../uapi/rt-names.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { AF_INET, AF_INET6, AF_UNSPEC, parseId, usage } from './_ip-nexthop-args.js';
import { AfState, getAddrAf } from './addr-family.js';

/** ipnh_modify() building the request; for RTM_DELNEXTHOP only NHA_ID is accepted (nh_valid_get_del_req). */
export function modify(ctx: CommandContext, a: Args, verb: 'add' | 'replace' | 'del'): void {
  let family = AF_UNSPEC;
  let id: number | undefined;
  let gw: number | null = null;
  let gw6: string | undefined;
  let dev = 0;
  let blackhole = false;
  let fdb = false;
  let onlink = false;
  let protocol = 0;
  let group: { id: number; weight: number }[] | null = null;
  let res: { buckets?: number; idleTimer?: number; unbalancedTimer?: number } | undefined;
  let extraAttr = false;
  while (!a.done) {
    const w = a.cur;
    if (w === 'id') id = parseId(a.next());
    else if (w === 'dev') {
      const v = a.next();
      const d = deviceByIfname(ctx.snapshot, v);
      if (d === undefined) invarg('Device does not exist\n', v);
      dev = d.ifindex;
      if (family === AF_UNSPEC) family = AF_INET;
      extraAttr = true;
    } else if (w === 'via') {
      // read_family(), get_addr() in that family or nh_family, then nh_family from the
      // address: `via fe80::1` makes an AF_INET6 nexthop (a fib6_nh, usable by IPv4 routes).
      let v = a.next();
      let f: 'inet' | 'inet6' | null = null;
      if (v === 'inet' || v === 'inet6') {
        f = v;
        v = a.next();
      } else if (v === 'link' || v === 'ipx' || v === 'mpls' || v === 'bridge') notModelled(`ip nexthop via ${v}`);
      const x = getAddrAf(v, new AfState(f ?? (family === AF_INET ? 'inet' : family === AF_INET6 ? 'inet6' : 'unspec')));
      const xf = x.family === 'inet6' ? AF_INET6 : AF_INET;
      if (family === AF_UNSPEC) family = xf;
      else if (family !== xf) invarg('address family mismatch\n', v);
      if (x.family === 'inet6') {
        gw6 = x.addr6;
        gw = null;
      } else gw = x.family === 'inet' ? x.addr : 0;
      extraAttr = true;
    } else if (w === 'encap') notModelled('ip nexthop encap');
    else if (w === 'blackhole') {
      blackhole = true;
      if (family === AF_UNSPEC) family = AF_INET;
      extraAttr = true;
    } else if (w === 'fdb') {
      fdb = true;
      extraAttr = true;
    } else if (w === 'onlink') onlink = true;
    else if (w === 'group') {
      const v = a.next();
      group = parseGroup(v);
      extraAttr = true;
    } else if (w === 'type') {
      const v = a.next();
      if (v !== 'mpath' && v !== 'resilient') invarg('"type" value is invalid\n', v);
      extraAttr = true;
      if (v === 'resilient') {
        res = {};
        // parse_nh_group_type_res(): the words after it, while they are resilient arguments.
        while (a.peek() !== undefined) {
          const k = a.peek() as string;
          if (k !== 'buckets' && k !== 'idle_timer' && k !== 'unbalanced_timer') break;
          a.advance();
          const val = a.next();
          if (k === 'buckets') {
            const n = parseUnsigned(val, 0xffff);
            if (n === undefined) invarg('invalid buckets value', val);
            res.buckets = n;
          } else {
            const n = parseUnsigned(val);
            if (n === undefined || n >= Math.floor(0xffffffff / 100)) invarg(k === 'idle_timer' ? 'invalid idle timer value' : 'invalid unbalanced timer value', val);
            if (k === 'idle_timer') res.idleTimer = n * 100;
            else res.unbalancedTimer = n * 100;
          }
        }
      }
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = protoNumber(v, ctx.names);
      if (p === undefined) invarg('"protocol" value is invalid\n', v);
      protocol = p;
    } else if (w === 'help') usage();
    else invarg('', w);
    a.advance();
  }
  if (verb === 'del') {
    // nh_valid_get_del_req(): the policy knows NHA_ID only; then the header, then the id.
    let err: KernelError | null = null;
    if (extraAttr) err = kerr('EINVAL', 'Unknown attribute type');
    else if (protocol !== 0 || onlink) err = kerr('EINVAL', 'Invalid values in header');
    else if (id === undefined) err = kerr('EINVAL', 'Nexthop id is missing');
    if (err !== null) failKernel(err);
    const step = ctx.apply({ type: 'nexthop-del', id: id as number });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  const attrs = { family, oif: dev !== 0, gateway: gw !== null || gw6 !== undefined, blackhole, fdb, onlinkFlag: onlink };
  const base = { type: 'nexthop-add' as const, id: id ?? 0, replace: verb === 'replace', protocol, attrs };
  let ev: NexthopAddEvent;
  if (group !== null) ev = { ...base, kind: 'group', members: group, fdb, ...(res !== undefined ? { res } : {}) };
  else if (blackhole) ev = { ...base, kind: 'blackhole' };
  else {
    if (!fdb) ip6GatewayOnImported(ctx, gw6);
    ev = { ...base, kind: 'single', dev, gw, ...(gw6 === undefined ? {} : { gw6 }), onlink, fdb };
  }
  const step = ctx.apply(ev);
  if (step.error !== null) failKernel(step.error);
}

/** add_nh_group_attr(): `id[,weight]/…`, weights 1..256. */
function parseGroup(v: string): { id: number; weight: number }[] {
  if (v === '') invarg('"group" value is invalid\n', v);
  // add_nh_group_attr() writes a NUL over the first '/' and then over the first ',' before
  // it, in the argument itself: the failure ipnh_modify() reports names what is left of it.
  const cut = v.search(/[/,]/);
  const shown = cut < 0 ? v : v.slice(0, cut);
  const out: { id: number; weight: number }[] = [];
  for (const part of v.split('/')) {
    const comma = part.indexOf(',');
    const idText = comma < 0 ? part : part.slice(0, comma);
    const id = parseUnsigned(idText);
    if (id === undefined) invarg('"group" value is invalid\n', shown);
    let weight = 1;
    if (comma >= 0) {
      const wt = part.slice(comma + 1);
      const n = parseUnsigned(wt);
      if (n === undefined || n === 0 || n > 256) invarg('"weight" is invalid\n', wt);
      weight = n;
    }
    out.push({ id, weight });
  }
  return out;
}
