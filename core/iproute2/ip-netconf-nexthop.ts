// `ip netconf show` (ip/ipnetconf.c); `ip nexthop` is ip-nexthop.ts.
//
// Without -4, do_show() asks for a dump of every family (AF_UNSPEC: rtnl_dump_all() runs the
// inet dump, then the inet6 one) and filters it by ifindex itself when `dev` is given, so
// the device's inet line is followed by its inet6 line, and the JSON is one array. The inet6
// entries (inet6_netconf_dump_devconf()) are those of the devices with an inet6_dev, then
// all and default: addrconf_notify() makes one at NETDEV_REGISTER, NETDEV_UP and
// NETDEV_CHANGEMTU for an MTU of at least IPV6_MIN_MTU (1280) and destroys it when the MTU
// drops below (loopback keeps its own), whatever disable_ipv6 says. Their forwarding,
// proxy_neigh and ignore_routes_with_linkdown are the IPv6 devconf's, off in a fresh
// namespace; only net.ipv6 sysctls change them, and those are not modelled (so they are
// always off here), nor known in a state imported from a dump (named).

import { Args, CommandContext, CommandExit, matches, notModelled } from './command-context.js';
import { netconfBlocks, netconfUnknownNames, type DevConf } from '../snapshot/devconf.js';
import { devGetByName } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { netconfEntry, netconfJson, netconf6Entry } from '../print/link-json.js';
import { hasInet6Dev, type NetDevice } from '../snapshot/net-device.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { JsonValue } from '../print/json-out.js';
import { jsonCompact, jsonPretty } from '../print/json-out.js';

/** One line of `ip -4 netconf show` (print_netconf()); the replay prints its state with it too. */
export function netconfLine(name: string, c: DevConf): string {
  const onoff = (v: number): string => (v !== 0 ? 'on' : 'off');
  // print_netconf(): rp_filter_names[] for 0..2, else the number (devinet_conf_proc() takes any int).
  const rp = c.values.rp_filter === 0 ? 'off' : c.values.rp_filter === 1 ? 'strict' : c.values.rp_filter === 2 ? 'loose' : String(c.values.rp_filter >>> 0);
  return `inet ${name} forwarding ${onoff(c.values.forwarding)} rp_filter ${rp} mc_forwarding ${onoff(c.values.mc_forwarding)} proxy_neigh ${onoff(c.values.proxy_arp)} ignore_routes_with_linkdown ${onoff(c.values.ignore_routes_with_linkdown)} \n`;
}


/** One inet6 line of print_netconf(): forwarding, proxy_neigh and ignore_routes_with_linkdown, off (see the header). */
function netconf6Line(name: string): string {
  return `inet6 ${name} forwarding off proxy_neigh off ignore_routes_with_linkdown off \n`;
}

/** The inet6 entries' names in dump order: the devices with an inet6_dev, then all and default. */
function inet6Names(s: FibSnapshot, only: NetDevice | null): string[] {
  for (const d of only === null ? s.devices.values() : [only]) {
    if (d.inet6Dev === 'unknown') notModelled(`ip netconf: the inet6 entry of ${d.name}, whose inet6_dev is not known (made at an up only if addrconf_link_ready() then)`);
  }
  if (only !== null) return hasInet6Dev(only) ? [only.name] : [];
  return [...[...s.devices.values()].filter(hasInet6Dev).map((d) => d.name), 'all', 'default'];
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
  if (opts.family !== 'inet' && opts.family !== 'any') notModelled(`ip netconf of family ${opts.family}`);
  const s = ctx.snapshot;
  if (opts.family === 'any') return netconfAllFamilies(ctx, opts, s, dev);
  // do_show(): a query for one device is answered by print_netconf() with no JSON object
  // opened (new_json_obj() is only called for a dump), so `-j … dev D` prints the text line.
  if (dev !== null) {
    const d = devGetByName(s, dev);
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

/**
 * `ip netconf show [dev D]` without -4: the AF_UNSPEC dump, inet then inet6, filtered by
 * the device when one is named (see the header).
 *
 * @example netconfAllFamilies(ctx, opts, s, 'eth0') // inet eth0 … \n inet6 eth0 forwarding off …
 *
 * 1. The device named must exist ("Device "D" does not exist.", exit 1).
 * 2. A state imported from a dump does not give the IPv6 devconf: named.
 * 3. The inet entries (the device's alone, or every device, all, default), then the inet6 ones.
 */
function netconfAllFamilies(ctx: CommandContext, opts: GlobalOptions, s: FibSnapshot, dev: string | null): void {
  let only: NetDevice | null = null;
  if (dev !== null) {
    const d = devGetByName(s, dev);
    if (d === undefined) throw new CommandExit(`Device "${dev}" does not exist.\n`, 1);
    only = d;
  }
  if (s.lineage.imported) notModelled('ip netconf without -4 on an imported state (the IPv6 devconf is not in the dump)');
  const inet: (readonly [string, DevConf])[] = only !== null ? [[only.name, only.conf]] : netconfBlocks(s);
  checkKnown(inet);
  const v6 = inet6Names(s, only);
  if (opts.json) {
    const arr: JsonValue[] = [...(only !== null ? [netconfEntry(only.name, only.conf)] : netconfJson(s)), ...v6.map(netconf6Entry)];
    ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
    return;
  }
  for (const [name, c] of inet) ctx.print(netconfLine(name, c));
  for (const name of v6) ctx.print(netconf6Line(name));
}

