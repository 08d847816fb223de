// `ip -4 netconf show` (ip/ipnetconf.c); `ip nexthop` is ip-nexthop.ts.

import { Args, CommandContext, CommandExit, matches, notModelled } from './command-context.js';
import { netconfBlocks, netconfUnknownNames, type DevConf } from '../snapshot/devconf.js';
import { deviceByName } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { netconfJson } from '../print/link-json.js';
import { jsonCompact, jsonPretty } from '../print/json-out.js';

/** One line of `ip -4 netconf show` (print_netconf()); the replay prints its state with it too. */
export function netconfLine(name: string, c: DevConf): string {
  const onoff = (v: number): string => (v !== 0 ? 'on' : 'off');
  // print_netconf(): rp_filter_names[] for 0..2, else the number (devinet_conf_proc() takes any int).
  const rp = c.values.rp_filter === 0 ? 'off' : c.values.rp_filter === 1 ? 'strict' : c.values.rp_filter === 2 ? 'loose' : String(c.values.rp_filter >>> 0);
  return `inet ${name} forwarding ${onoff(c.values.forwarding)} rp_filter ${rp} mc_forwarding ${onoff(c.values.mc_forwarding)} proxy_neigh ${onoff(c.values.proxy_arp)} ignore_routes_with_linkdown ${onoff(c.values.ignore_routes_with_linkdown)} \n`;
}

/** Refuses by name a listing that would show a value the model does not know (an imported state). */
function checkKnown(blocks: readonly (readonly [string, DevConf])[]): void {
  const missing = netconfUnknownNames(blocks);
  if (missing.length > 0) notModelled(`ip netconf showing values the imported state does not give: ${missing.join(', ')}`);
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
  // Without -4 the dump goes on with the inet6 entries (IPv6 is not modelled).
  if (opts.family !== 'inet') notModelled('ip netconf without -4');
  const s = ctx.snapshot;
  // do_show(): a query for one device is answered by print_netconf() with no JSON object
  // opened (new_json_obj() is only called for a dump), so `-j … dev D` prints the text line.
  if (dev !== null) {
    const d = deviceByName(s, dev);
    if (d === undefined) throw new CommandExit(`Device "${dev}" does not exist.\n`, 1);
    checkKnown([[d.name, d.conf]]);
    ctx.print(netconfLine(d.name, d.conf));
    return;
  }
  checkKnown(netconfBlocks(s));
  if (opts.json) {
    const arr = netconfJson(s);
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const d of s.devices.values()) ctx.print(netconfLine(d.name, d.conf));
  ctx.print(netconfLine('all', s.confAll));
  ctx.print(netconfLine('default', s.confDefault));
}
