// `ip nexthop` (iproute2 6.1 ip/ipnexthop.c): do_ipnh, ipnh_modify, ipnh_list_flush,
// ipnh_get, ipnh_flush, do_ipnh_bucket; the dump filtering is the kernel's
// (nh_dump_filtered, rtm_dump_nexthop_bucket in net/ipv4/nexthop.c).
//
// The parts: ip-nexthop-print.ts (the lists; ../print/nexthop-entry.ts is
// __print_nexthop_entry), ip-nexthop-modify.ts (ipnh_modify), ip-nexthop-bucket.ts (the
// bucket verbs), _ip-nexthop-args.ts (ids, dump filter).

import { Args, CommandContext, CommandExit, failKernel, invarg, kernelErrorText, matches, notModelled } from './command-context.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';
import { kerr } from '../uapi/errno.js';
import { devFilter, dumpFamily, nhDumpFiltered, parseId, sortedNexthops, usage, type DumpFilter } from './_ip-nexthop-args.js';
import { printList } from './ip-nexthop-print.js';
import { modify } from './ip-nexthop-modify.js';
import { bucketGet, bucketList } from './ip-nexthop-bucket.js';

export { formatNexthop, nexthopJson } from '../print/nexthop-entry.js';

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
