// `ip route` (iproute2 6.1 ip/iproute.c): iproute_modify, iproute_list, iproute_get.
//
// This file dispatches the verbs; they live in ip-route-modify.ts (add/change/replace/
// prepend/append/delete), ip-route-list.ts (show, flush) and ip-route-get.ts (get).

import { Args, CommandContext, CommandExit, matches, notModelled } from './command-context.js';
import type { GlobalOptions } from './global-options.js';
import { routeModify } from './ip-route-modify.js';
import { routeFlush, routeList } from './ip-route-list.js';
import { routeGetCmd } from './ip-route-get.js';


export function ipRoute(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return routeList(ctx, opts, new Args([]));
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return routeModify(ctx, opts, a, 'add');
  if (matches(verb, 'change') || verb === 'chg') return routeModify(ctx, opts, a, 'change');
  if (matches(verb, 'replace')) return routeModify(ctx, opts, a, 'replace');
  if (matches(verb, 'prepend')) return routeModify(ctx, opts, a, 'prepend');
  if (matches(verb, 'append')) return routeModify(ctx, opts, a, 'append');
  if (matches(verb, 'delete')) return routeModify(ctx, opts, a, 'delete');
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return routeList(ctx, opts, a);
  if (matches(verb, 'get')) return routeGetCmd(ctx, opts, a);
  if (matches(verb, 'flush')) return routeFlush(ctx, opts, a);
  if (matches(verb, 'save') || matches(verb, 'restore') || matches(verb, 'showdump') || matches(verb, 'test')) {
    notModelled(`ip route ${verb}`);
  }
  // do_iproute(): after every command word, `help` (or a prefix of it) prints the usage.
  if (matches(verb, 'help')) notModelled('ip route help');
  throw new CommandExit(`Command "${verb}" is unknown, try "ip route help".\n`, 255);
}

export { tablesInDumpOrder } from './ip-route-list.js';
