// `ip nexthop` lists: each object as __print_nexthop_entry() (iproute2 6.1 ip/ipnexthop.c)
// prints it (print/nexthop-entry.ts). Split from ip-nexthop.ts.

import { CommandContext } from './command-context.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import type { GlobalOptions } from './global-options.js';
import { jsonCompact, jsonPretty } from '../print/json-out.js';
import { formatNexthop, nexthopJson, resTimersJsonExact } from '../print/nexthop-entry.js';
import { notModelled } from './command-context.js';

/** What resTimersJsonExact() names. */
export const RES_TIMER_JSON_GAP = 'ip -j with a resilient group timer of a million seconds or more (print_tv() writes "%g" into the JSON)';

export function printList(ctx: CommandContext, opts: GlobalOptions, list: readonly NexthopObject[]): void {
  if (opts.json) {
    if (!list.every(resTimersJsonExact)) notModelled(RES_TIMER_JSON_GAP);
    const arr = list.map((o) => nexthopJson(ctx.snapshot, o, opts.details, ctx.names));
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const o of list) ctx.print(formatNexthop(ctx.snapshot, o, opts.details, ctx.names));
}
