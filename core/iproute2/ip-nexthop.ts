// `ip nexthop` (iproute2 6.1 ip/ipnexthop.c): do_ipnh, ipnh_modify, ipnh_list_flush,
// ipnh_get, ipnh_flush, do_ipnh_bucket; the dump filtering is the kernel's
// (nh_dump_filtered, rtm_dump_nexthop_bucket in net/ipv4/nexthop.c).

import { Args, CommandContext, CommandExit, failKernel, getAddr, invarg, kernelErrorText, matches, notModelled } from './command-context.js';
import { deviceByName, type FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import type { NexthopAddEvent } from '../events/nexthop.js';
import { formatIp4 } from '../net/ip4.js';
import { BUILTIN_NAMES, parseUnsigned, protoName, protoNumber, scopeName, type PrintNames } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';
import { jsonCompact, jsonPretty, type JsonObject, type JsonValue } from '../print/json-out.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_UNIVERSE } from '../uapi/rtnetlink.js';

const AF_UNSPEC = 0;
const AF_INET = 2;

/** print_tv() of a clock_t value read as jiffies at USER_HZ (__jiffies_to_tv): seconds, "%g". */
function clockSeconds(v: number): number {
  return Math.round(v) / 100;
}

/** "%g" of a small non-negative number (six significant digits, no trailing zeros). */
function fmtG(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

/** __print_nexthop_entry(), text. */
export function formatNexthop(s: FibSnapshot, o: NexthopObject, details = false, names: PrintNames = BUILTIN_NAMES): string {
  let t = `id ${o.id} `;
  let scope = RT_SCOPE_UNIVERSE;
  if (o.kind === 'group') {
    t += `group ${o.members.map((m) => (m.weight === 1 ? `${m.id}` : `${m.id},${m.weight}`)).join('/')} `;
    if (o.res !== null) {
      t += 'type resilient ';
      t += `buckets ${o.res.numBuckets} idle_timer ${fmtG(clockSeconds(o.res.idleTimer))} unbalanced_timer ${fmtG(clockSeconds(o.res.unbalancedTimer))} unbalanced_time 0 `;
    }
  } else if (o.kind === 'single') {
    if (o.gw !== null) t += `via ${formatIp4(o.gw)} `;
    if (o.dev !== 0) t += `dev ${s.devices.get(o.dev)?.name ?? o.dev} `;
    scope = o.scope;
  }
  if (scope !== RT_SCOPE_UNIVERSE || details) t += `scope ${scopeName(scope, names)} `;
  if (o.kind === 'blackhole') t += 'blackhole ';
  if (o.protocol !== 0 || details) t += `proto ${protoName(o.protocol, names)} `;
  if (o.kind === 'single' && o.onlink) t += 'onlink ';
  if (o.kind !== 'blackhole' && o.fdb) t += 'fdb';
  return `${t}\n`;
}

/** __print_nexthop_entry(), JSON. */
export function nexthopJson(s: FibSnapshot, o: NexthopObject, details = false, names: PrintNames = BUILTIN_NAMES): JsonObject {
  const j: Record<string, JsonValue> = { id: o.id };
  let scope = RT_SCOPE_UNIVERSE;
  if (o.kind === 'group') {
    j['group'] = o.members.map((m): JsonObject => (m.weight === 1 ? { id: m.id } : { id: m.id, weight: m.weight }));
    if (o.res !== null) {
      j['type'] = 'resilient';
      j['resilient_args'] = {
        buckets: o.res.numBuckets,
        idle_timer: clockSeconds(o.res.idleTimer),
        unbalanced_timer: clockSeconds(o.res.unbalancedTimer),
        unbalanced_time: 0,
      };
    }
  } else if (o.kind === 'single') {
    if (o.gw !== null) j['gateway'] = formatIp4(o.gw);
    if (o.dev !== 0) j['dev'] = s.devices.get(o.dev)?.name ?? String(o.dev);
    scope = o.scope;
  }
  if (scope !== RT_SCOPE_UNIVERSE || details) j['scope'] = scopeName(scope, names);
  if (o.kind === 'blackhole') j['blackhole'] = null;
  if (o.protocol !== 0 || details) j['protocol'] = protoName(o.protocol, names);
  j['flags'] = o.kind === 'single' && o.onlink ? ['onlink'] : [];
  if (o.kind !== 'blackhole' && o.fdb) j['fdb'] = null;
  return j;
}

function printList(ctx: CommandContext, opts: GlobalOptions, list: readonly NexthopObject[]): void {
  if (opts.json) {
    const arr = list.map((o) => nexthopJson(ctx.snapshot, o, opts.details));
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const o of list) ctx.print(formatNexthop(ctx.snapshot, o, opts.details));
}

function parseId(word: string): number {
  const n = parseUnsigned(word);
  if (n === undefined) invarg('invalid id value', word);
  return n;
}

function usage(): never {
  return notModelled('iproute2 usage text (ip nexthop help)');
}

/** The nexthop's device (a blackhole sits on the loopback; fdb nexthops have none). */
function nhDev(o: NexthopObject): number {
  return o.kind === 'single' ? o.dev : o.kind === 'blackhole' ? 1 : 0;
}

interface DumpFilter {
  dev: number;
  master: number;
  groups: boolean;
  proto: number;
}

/** nh_dump_filtered(), with the dump's family (`ip -4`). */
function nhDumpFiltered(s: FibSnapshot, o: NexthopObject, f: DumpFilter, family: number): boolean {
  if (f.groups && o.kind !== 'group') return true;
  if (f.dev === 0 && f.master === 0 && family === AF_UNSPEC) return false;
  if (o.kind === 'group') return true;
  if (family !== AF_UNSPEC && family !== AF_INET) return true;
  const dev = nhDev(o);
  if (f.dev !== 0 && dev !== f.dev) return true;
  if (f.master !== 0) {
    if (dev === 0) return true;
    if (s.devices.get(dev)?.master !== f.master) return true;
  }
  return false;
}

function dumpFamily(opts: GlobalOptions): number {
  if (opts.family === 'inet') return AF_INET;
  if (opts.family === 'any') return AF_UNSPEC;
  return -1;
}

function sortedNexthops(s: FibSnapshot): NexthopObject[] {
  return [...s.nexthops.values()].sort((a, b) => a.id - b.id);
}

function devFilter(ctx: CommandContext, word: string): number {
  const d = deviceByName(ctx.snapshot, word);
  if (d === undefined) invarg('Device does not exist\n', word);
  return d.ifindex;
}

/** RTM_GETNEXTHOP for one id (rtm_get_nexthop). */
function getNexthop(ctx: CommandContext, opts: GlobalOptions, id: number): void {
  if (id === 0) failKernel(kerr('EINVAL', 'Invalid nexthop id'));
  const o = ctx.snapshot.nexthops.get(id);
  if (o === undefined) failKernel(kerr('ENOENT'));
  printList(ctx, opts, [o]);
}

/** ipnh_list_flush(). */
function listFlush(ctx: CommandContext, opts: GlobalOptions, a: Args, flush: boolean): void {
  const all = a.done;
  const f: DumpFilter = { dev: 0, master: 0, groups: false, proto: 0 };
  while (!a.done) {
    const w = a.cur;
    if (matches(w, 'dev')) f.dev = devFilter(ctx, a.next());
    else if (matches(w, 'groups')) f.groups = true;
    else if (matches(w, 'master')) f.master = devFilter(ctx, a.next());
    else if (matches(w, 'vrf')) invarg('Invalid VRF\n', a.next());
    else if (w === 'id') {
      const id = parseId(a.next());
      if (!flush) return getNexthop(ctx, opts, id);
      deleteNexthop(ctx, id, true);
      return;
    } else if (matches(w, 'protocol')) {
      const v = a.next();
      const p = parseUnsigned(v);
      if (p === undefined) invarg('invalid protocol value', v);
      f.proto = p;
    } else if (matches(w, 'fdb')) {
      // NHA_FDB in a dump request: Linux 6.18 accepts it and filters nothing.
    } else if (matches(w, 'help')) usage();
    else invarg('', w);
    a.advance();
  }
  const family = dumpFamily(opts);
  if (family < 0) notModelled('ip -6 nexthop (IPv6)');
  const pick = (): NexthopObject[] =>
    sortedNexthops(ctx.snapshot).filter((o) => !nhDumpFiltered(ctx.snapshot, o, f, family) && (f.proto === 0 || o.protocol === f.proto));
  if (!flush) return printList(ctx, opts, pick());
  // ipnh_flush(): with no selector the groups go first, then the rest.
  let flushed = 0;
  if (all) f.groups = true;
  for (;;) {
    for (const o of pick()) if (deleteNexthop(ctx, o.id, false)) flushed++;
    if (!(all && f.groups)) break;
    f.groups = false;
  }
  ctx.print(flushed === 0 ? 'Nothing to flush\n' : `Flushed ${flushed} nexthops\n`);
}

/** delete_nexthop(): RTM_DELNEXTHOP for one id; a refusal is printed and the flush goes on. */
function deleteNexthop(ctx: CommandContext, id: number, fatal: boolean): boolean {
  const step = ctx.apply({ type: 'nexthop-del', id });
  if (step.error === null) return true;
  // `flush id N`: ipnh_list_flush_id() returns -1 and ip exits 1.
  if (fatal) throw new CommandExit(kernelErrorText(step.error), 1);
  ctx.warn(kernelErrorText(step.error));
  return false;
}

/** ipnh_modify() building the request; for RTM_DELNEXTHOP only NHA_ID is accepted (nh_valid_get_del_req). */
function modify(ctx: CommandContext, a: Args, verb: 'add' | 'replace' | 'del'): void {
  let family = AF_UNSPEC;
  let id: number | undefined;
  let gw: number | null = null;
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
      const d = deviceByName(ctx.snapshot, v);
      if (d === undefined) invarg('Device does not exist\n', v);
      dev = d.ifindex;
      if (family === AF_UNSPEC) family = AF_INET;
      extraAttr = true;
    } else if (w === 'via') {
      let v = a.next();
      if (v === 'inet') v = a.next();
      else if (v === 'inet6' || v.includes(':')) notModelled('ip nexthop via an IPv6 gateway');
      if (family !== AF_UNSPEC && family !== AF_INET) invarg('address family mismatch\n', v);
      gw = family === AF_INET ? getInetAddr(v) : getAddr(v);
      family = AF_INET;
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
  const attrs = { family, oif: dev !== 0, gateway: gw !== null, blackhole, fdb, onlinkFlag: onlink };
  const base = { type: 'nexthop-add' as const, id: id ?? 0, replace: verb === 'replace', protocol, attrs };
  let ev: NexthopAddEvent;
  if (group !== null) ev = { ...base, kind: 'group', members: group, fdb, ...(res !== undefined ? { res } : {}) };
  else if (blackhole) ev = { ...base, kind: 'blackhole' };
  else ev = { ...base, kind: 'single', dev, gw, onlink, fdb };
  const step = ctx.apply(ev);
  if (step.error !== null) failKernel(step.error);
}

/** get_addr() with the family settled on inet. */
function getInetAddr(word: string): number {
  try {
    return getAddr(word);
  } catch (e) {
    if (e instanceof CommandExit) throw new CommandExit(`Error: inet address is expected rather than "${word}".\n`, 1);
    throw e;
  }
}

/** add_nh_group_attr(): `id[,weight]/…`, weights 1..256. */
function parseGroup(v: string): { id: number; weight: number }[] {
  if (v === '') invarg('"group" value is invalid\n', v);
  const out: { id: number; weight: number }[] = [];
  for (const part of v.split('/')) {
    const comma = part.indexOf(',');
    const idText = comma < 0 ? part : part.slice(0, comma);
    const id = parseUnsigned(idText);
    if (id === undefined) invarg('"group" value is invalid\n', v);
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

/** ipnh_get(). */
function get(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  let id = 0;
  while (!a.done) {
    if (a.cur === 'id') id = parseId(a.next());
    else usage();
    a.advance();
  }
  if (id === 0) usage();
  getNexthop(ctx, opts, id);
}

/** nexthop_find_group_resilient(). */
function findGroupResilient(s: FibSnapshot, id: number): Extract<NexthopObject, { kind: 'group' }> | KernelError {
  const o = s.nexthops.get(id);
  if (o === undefined) return kerr('ENOENT');
  if (o.kind !== 'group') return kerr('EINVAL', 'Not a nexthop group');
  if (o.res === null) return kerr('EINVAL', 'Nexthop group not of type resilient');
  return o;
}

/** One bucket as print_nexthop_bucket() shows it; idle_time is printed 0 (the model has no clock). */
function bucketEntry(opts: GlobalOptions, id: number, index: number, nhid: number): { text: string; json: JsonObject } {
  return {
    text: `id ${id} index ${index} idle_time 0 nhid ${nhid} \n`,
    json: { id, bucket: { index, idle_time: 0, nhid }, flags: [] },
  };
}

function printBuckets(ctx: CommandContext, opts: GlobalOptions, entries: readonly { text: string; json: JsonObject }[]): void {
  if (opts.json) {
    const arr = entries.map((e) => e.json);
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const e of entries) ctx.print(e.text);
}

/** ipnh_bucket_list() and rtm_dump_nexthop_bucket(). */
function bucketList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const f: DumpFilter = { dev: 0, master: 0, groups: false, proto: 0 };
  let id = 0;
  let nhid = 0;
  while (!a.done) {
    const w = a.cur;
    if (matches(w, 'dev')) f.dev = devFilter(ctx, a.next());
    else if (matches(w, 'master')) f.master = devFilter(ctx, a.next());
    else if (matches(w, 'vrf')) invarg('Invalid VRF\n', a.next());
    else if (w === 'id') id = parseId(a.next());
    else if (w === 'nhid') nhid = parseId(a.next());
    else if (matches(w, 'help')) usage();
    else invarg('', w);
    a.advance();
  }
  const family = dumpFamily(opts);
  if (family < 0) notModelled('ip -6 nexthop (IPv6)');
  const s = ctx.snapshot;
  let groups: Extract<NexthopObject, { kind: 'group' }>[];
  if (id !== 0) {
    const g = findGroupResilient(s, id);
    if ('errno' in g) throw new CommandExit(`${g.extack !== undefined ? `Error: ${g.extack}.\n` : ''}Dump terminated\n`, 2);
    groups = [g];
  } else groups = sortedNexthops(s).filter((o): o is Extract<NexthopObject, { kind: 'group' }> => o.kind === 'group' && o.res !== null);
  const out: { text: string; json: JsonObject }[] = [];
  for (const g of groups) {
    const res = g.res;
    if (res === null) continue;
    res.buckets.forEach((member, index) => {
      const m = s.nexthops.get(member);
      if (m === undefined || nhDumpFiltered(s, m, f, family)) return;
      if (nhid !== 0 && nhid !== member) return;
      out.push(bucketEntry(opts, g.id, index, member));
    });
  }
  printBuckets(ctx, opts, out);
}

/** ipnh_bucket_get() and rtm_get_nexthop_bucket(). */
function bucketGet(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  let id = 0;
  let index: number | undefined;
  while (!a.done) {
    if (a.cur === 'id') id = parseId(a.next());
    else if (a.cur === 'index') {
      const v = a.next();
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) invarg('invalid bucket index value', v);
      index = n;
    } else usage();
    a.advance();
  }
  if (id === 0 || index === undefined) usage();
  const g = findGroupResilient(ctx.snapshot, id);
  if ('errno' in g) failKernel(g);
  const res = g.res;
  if (res === null || index >= res.numBuckets) failKernel(kerr('ENOENT', 'Bucket index out of bounds'));
  printBuckets(ctx, opts, [bucketEntry(opts, g.id, index, res.buckets[index] as number)]);
}

/** do_ipnh(). */
export function ipNexthop(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return listFlush(ctx, opts, a, false);
  const verb = a.cur;
  a.advance();
  if (opts.family === 'inet6' || opts.family === 'other') notModelled('ip -6 nexthop (IPv6)');
  if (matches(verb, 'add')) return modify(ctx, a, 'add');
  if (matches(verb, 'replace')) return modify(ctx, a, 'replace');
  if (matches(verb, 'delete')) return modify(ctx, a, 'del');
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return listFlush(ctx, opts, a, false);
  if (matches(verb, 'get')) return get(ctx, opts, a);
  if (matches(verb, 'flush')) return listFlush(ctx, opts, a, true);
  if (matches(verb, 'bucket')) {
    if (a.done) return bucketList(ctx, opts, a);
    const sub = a.cur;
    a.advance();
    if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return bucketList(ctx, opts, a);
    if (matches(sub, 'get')) return bucketGet(ctx, opts, a);
    if (matches(sub, 'help')) usage();
    throw new CommandExit(`Command "${sub}" is unknown, try "ip nexthop help".\n`, 255);
  }
  if (matches(verb, 'help')) usage();
  throw new CommandExit(`Command "${verb}" is unknown, try "ip nexthop help".\n`, 255);
}
