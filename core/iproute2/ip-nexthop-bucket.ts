// `ip nexthop bucket list|get` (iproute2 6.1 ip/ipnexthop.c: ipnh_bucket_list(),
// ipnh_bucket_get()) over the kernel's rtm_dump_nexthop_bucket()/rtm_get_nexthop_bucket()
// for resilient groups. Split from ip-nexthop.ts.

import { Args, CommandContext, CommandExit, failKernel, invarg, matches, notModelled } from './command-context.js';
import { type FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';
import { jsonCompact, jsonPretty, type JsonObject } from '../print/json-out.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { devFilter, dumpFamily, nhDumpFiltered, parseId, sortedNexthops, usage, type DumpFilter } from './_ip-nexthop-args.js';

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
export function bucketList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
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
    if ('errno' in g) {
      // ipnh_bucket_list(): new_json_obj() has opened the array before the dump the
      // kernel refuses: `[` stays on stdout, no newline (`[ ` under -p).
      if (opts.json) ctx.print(opts.pretty ? '[ ' : '[');
      throw new CommandExit(`${g.extack !== undefined ? `Error: ${g.extack}.\n` : ''}Dump terminated\n`, 2);
    }
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
export function bucketGet(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
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
