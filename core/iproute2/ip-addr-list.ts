// `ip address show|list` and `ip link show|list` with their selectors (iproute2 6.1
// ip/ipaddress.c: ipaddr_list_flush_or_save() parses one `filter` for both; `ip link show`
// is the same function with do_link set and preferred_family AF_PACKET). The listing is
// four filters in a row, each mirrored here in its order:
// 1. the link dump: one RTM_GETLINK for `dev NAME` (ipaddr_link_get), else a dump the
//    kernel itself filters by IFLA_MASTER and IFLA_INFO_KIND (rtnl_dump_ifinfo:
//    link_master_filtered, link_kind_filtered), as iplink_filter_req() asks;
// 2. ipaddr_filter(): a link stays if one of its addresses passes the address selectors,
//    or if it has no address at all and no family was asked for;
// 3. print_linkinfo(): the link-level selectors (up, group, master, type); with `label` the
//    link line is not printed at all, and `-o` prints no link line;
// 4. print_selected_addrinfo() / print_addrinfo(): the address selectors again, per address.

import { Args, CommandContext, CommandExit, invarg, matches, notModelled } from './command-context.js';
import { AfState, getPrefixAf } from './addr-family.js';
import { addrMatches, getFilter, scopeSelector, type AddrFilter } from './ip-addr-flush.js';
import { groupNumber } from '../uapi/rt-names.js';
import type { GlobalOptions } from './global-options.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { devGetByName } from '../snapshot/snapshot.js';
import { linkHeader, linkLayer, linkNetnsidText } from './ip-link-show.js';
import { addrJson, briefAddrJson, briefAddrText, briefLinkJson, briefLinkText, linkJson, listingView, printJsonArray } from './ip-link-list.js';
import type { JsonValue } from '../print/json-out.js';
import { DYNAMIC_ADDR_GAP, lifetimeText } from '../print/addr-info.js';

/** ipaddress.c's `filter` as a listing uses it. */
interface ListFilter extends AddrFilter {
  /** filter.family: preferred_family, or the family of a `to` prefix. */
  readonly family: 'any' | 'inet' | 'packet';
  readonly up: boolean;
  /** -1: any group. */
  readonly group: number;
  /** 0: any; -1: `nomaster` (no master); else the master's ifindex. */
  readonly master: number;
  readonly kind: string | null;
  readonly slaveKind: string | null;
}

/** The rtnl_link_ops kind of a modelled device (lo has none: no IFLA_LINKINFO). */
function linkKind(d: NetDevice): string | null {
  switch (d.kind) {
    case 'veth':
      return 'veth';
    case 'bridge':
      return 'bridge';
    case 'dummy':
      return 'dummy';
    case 'macvlan':
      return 'macvlan';
    case 'loopback':
      return null;
    case 'other':
      // An ifb the script made (IFLA_INFO_KIND "ifb"); an imported device's kind is not known here.
      if (d.ifb === true) return 'ifb';
      return notModelled('ip link/address show type (a device of unknown kind exists)');
  }
}

/** The parser of ipaddr_list_flush_or_save() for IPADD_LIST; `link` for `ip link show`. */
function parseFilter(ctx: CommandContext, opts: GlobalOptions, a: Args, link: boolean): { filter: ListFilter; dev: NetDevice | null } {
  let family: ListFilter['family'] = link ? 'packet' : opts.family === 'inet' ? 'inet' : opts.family === 'packet' ? 'packet' : 'any';
  const f = { flags: 0, flagmask: 0 };
  let scope = 0;
  let scopemask = 0;
  let up = false;
  let label: string | null = null;
  let group = -1;
  let master = 0;
  let kind: string | null = null;
  let slaveKind: string | null = null;
  let pfx: AddrFilter['pfx'] = null;
  let filterDev: string | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'to') {
      if (family === 'packet') notModelled(`ip ${link ? 'link' : 'address'} show to (link family)`);
      const p = getPrefixAf(a.next(), new AfState(family === 'inet' ? 'inet' : 'unspec'));
      if (p.family === 'inet6') notModelled('IPv6 addresses');
      pfx = { addr: p.family === 'inet' ? p.addr : 0, len: p.len };
      if (family === 'any' && p.family === 'inet') family = 'inet';
    } else if (w === 'scope') {
      ({ scope, scopemask } = scopeSelector(a.next()));
    } else if (w === 'up') up = true;
    else if (getFilter(w, f)) {
      // a flag selector (secondary, primary, permanent, dynamic, -FLAG …)
    } else if (w === 'label') label = a.next();
    else if (w === 'group') {
      const v = a.next();
      const g = groupNumber(v);
      if (g === undefined) invarg('Invalid "group" value\n', v);
      group = g;
    } else if (w === 'master') {
      const v = a.next();
      const d = devGetByName(ctx.snapshot, v);
      if (d === undefined) invarg('Device does not exist\n', v);
      master = d.ifindex;
    } else if (w === 'vrf') {
      // name_is_vrf(): no VRF device exists in the model.
      const v = a.next();
      invarg('Not a valid VRF name\n', v);
    } else if (w === 'nomaster') master = -1;
    else if (w === 'type') {
      const v = a.next();
      if (v.length >= '_slave'.length && v.endsWith('_slave')) slaveKind = v.slice(0, -'_slave'.length);
      else kind = v;
    } else {
      let d = w;
      if (w === 'dev') d = a.next();
      else if (matches(w, 'help')) notModelled(`ip ${link ? 'link' : 'address'} help`);
      if (filterDev !== null) throw new CommandExit(`Error: either "dev" is duplicate, or "${d}" is a garbage.\n`, 255);
      filterDev = d;
    }
    a.advance();
  }
  let dev: NetDevice | null = null;
  if (filterDev !== null) {
    const d = devGetByName(ctx.snapshot, filterDev);
    if (d === undefined) throw new CommandExit(`Device "${filterDev}" does not exist.\n`, 1);
    dev = d;
  }
  const filter: ListFilter = { ifindex: dev?.ifindex ?? 0, scope, scopemask, flags: f.flags, flagmask: f.flagmask, label, pfx, family, up, group, master, kind, slaveKind };
  return { filter, dev };
}

/** The links the dump returns: rtnl_dump_ifinfo()'s master and kind filters. */
function dumpedLinks(s: FibSnapshot, f: ListFilter, dev: NetDevice | null, oneline: boolean): NetDevice[] {
  if (dev !== null) return [dev];
  let links = [...s.devices.values()];
  if (f.master === -1) links = links.filter((d) => d.master === null);
  else if (f.master > 0) links = links.filter((d) => d.master === f.master);
  if (f.kind !== null) {
    // rtnl_link_ops_get(kind): a kind the kernel has filters in the kernel; an unknown one
    // does not (then only print_linkinfo filters, which -o skips: which kinds this kernel
    // has loaded is not the model's to know).
    if (f.kind === 'veth' || f.kind === 'bridge' || f.kind === 'dummy') links = links.filter((d) => linkKind(d) === f.kind);
    else if (oneline) notModelled(`ip -o address show type ${f.kind}`);
  }
  return links;
}

/** ipaddr_filter(): keep a link with an address passing the selectors, or with none at all. */
function keptByAddresses(f: ListFilter, d: NetDevice): boolean {
  if (d.addrs.length === 0) return f.family === 'any' || f.family === 'packet';
  return d.addrs.some((ifa) => addrMatches({ ...f, ifindex: 0 }, d, ifa));
}

/** print_linkinfo()'s selectors: -1 not printed, 0 no link line (label), 1 printed. */
function linkSelected(f: ListFilter, d: NetDevice): -1 | 0 | 1 {
  if (f.ifindex !== 0 && d.ifindex !== f.ifindex) return -1;
  if (f.up && !d.up) return -1;
  if (f.label !== null) return 0;
  if (f.group !== -1 && d.group !== f.group) return -1;
  if (d.master !== null) {
    if (f.master > 0 && d.master !== f.master) return -1;
  } else if (f.master > 0) return -1;
  if (f.kind !== null && linkKind(d) !== f.kind) return -1;
  // IFLA_INFO_SLAVE_KIND: a bridge port's is "bridge".
  if (f.slaveKind !== null && (d.master === null ? null : 'bridge') !== f.slaveKind) return -1;
  return 1;
}

/**
 * `ip address show|list [SELECTORS]`, text, `-j` and `-br`. With `-j` the loop opens one
 * JSON object per dumped link before print_linkinfo() runs, so a link its selectors refuse
 * is `{}`; `-br` always prints the link part (print_linkinfo_brief()), `-o` otherwise none.
 */
export function addrListing(ctx: CommandContext, opts: GlobalOptions, a: Args, oneline: (d: NetDevice, ifa: InIfaddr) => string, words: (ifa: InIfaddr) => string): void {
  const { filter: f, dev } = parseFilter(ctx, opts, a, false);
  const links = dumpedLinks(ctx.snapshot, f, dev, opts.oneline).filter((d) => f.family === 'packet' || keptByAddresses(f, d));
  // A host dump with IPv6 addresses: the model keeps none, so a listing of both families
  // shows a device that had some, or one that is up (addrconf gives it a link-local address,
  // tentative at once), without them. Named, not printed short.
  const v6 = ctx.snapshot.lineage.inet6Devices;
  if (f.family === 'any' && v6 !== null && links.some((d) => linkSelected(f, d) !== -1 && (v6.has(d.ifindex) || d.up))) {
    notModelled('ip address without -4 on an imported host with IPv6 addresses (the model keeps no IPv6 address)');
  }
  const brief = opts.brief === true;
  const packet = f.family === 'packet';
  const noLink = opts.oneline && !packet;
  const v = opts.json || brief ? listingView(ctx) : null;
  const arr: JsonValue[] = [];
  for (const d of links) {
    let res: -1 | 0 | 1 = 0;
    const obj: Record<string, JsonValue> = {};
    if (brief || !noLink) {
      res = linkSelected(f, d);
      if (res === 1) {
        if (v !== null && brief) {
          if (opts.json) Object.assign(obj, briefLinkJson(v, d, packet));
          else ctx.print(briefLinkText(v, d, packet));
        } else if (v !== null) {
          // print_linkinfo() reads filter.family, which a `to` prefix settles as -4 does.
          Object.assign(obj, linkJson(v, f.family === 'inet' ? { ...opts, family: 'inet' } : opts, d, false, packet));
        }
        else {
          ctx.print(`${linkHeader(ctx.snapshot, d, false, ctx.names)}${f.family === 'inet' ? linkNetnsidText(d) : ''}\n`);
          if (f.family !== 'inet') ctx.print(`${linkLayer(ctx.snapshot, d, ctx.names)}\n`);
          // print_linkinfo(): the alternative names, with -4 too.
          for (const n of d.altnames ?? []) ctx.print(`    altname ${n}\n`);
        }
      }
    }
    if (res >= 0 && !packet) {
      // print_selected_addrinfo(): filter.up on the link, then print_addrinfo()'s selectors.
      const addrs = f.up && !d.up ? [] : d.addrs.filter((ifa) => addrMatches(f, d, ifa));
      if (!brief && addrs.some((ifa) => ifa.lifetimes !== undefined)) notModelled(DYNAMIC_ADDR_GAP);
      // print_selected_addrinfo() opens a JSON object for every address of the family before
      // print_addrinfo() applies the selectors: an address they refuse is `{}`.
      if (opts.json) obj['addr_info'] = f.up && !d.up ? [] : d.addrs.map((ifa) => (!addrMatches(f, d, ifa) ? {} : brief ? briefAddrJson(ifa) : addrJson(ctx, d, ifa, noLink)));
      else if (brief) ctx.print(`${addrs.map(briefAddrText).join('')}\n`);
      else for (const ifa of addrs) ctx.print(opts.oneline ? oneline(d, ifa) : `    ${words(ifa)}\n       ${lifetimeText(ifa)}\n`);
    }
    if (opts.json) arr.push(obj);
  }
  if (opts.json) printJsonArray(ctx, opts, arr);
}

/** `ip link show|list [SELECTORS]`: the same parser, family AF_PACKET, link lines only. */
export function linkListing(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const { filter: f, dev } = parseFilter(ctx, opts, a, true);
  const brief = opts.brief === true;
  const v = opts.json || brief ? listingView(ctx) : null;
  const arr: JsonValue[] = [];
  for (const d of dumpedLinks(ctx.snapshot, f, dev, false)) {
    const selected = linkSelected(f, d) === 1;
    if (v !== null && opts.json) {
      // The object is opened before print_linkinfo() refuses the link: `{}`.
      arr.push(!selected ? {} : brief ? briefLinkJson(v, d, true) : linkJson(v, opts, d, true, true));
      continue;
    }
    if (!selected) continue;
    if (v !== null) ctx.print(briefLinkText(v, d, true));
    else {
      // print_linkinfo(): the alias line, for `ip link` only.
      const sep = opts.oneline ? '\\' : '\n';
      const alias = (d.ifalias !== undefined ? `${sep}    alias ${d.ifalias}` : '') + (d.altnames ?? []).map((n) => `${sep}    altname ${n}`).join('');
      ctx.print(`${linkHeader(ctx.snapshot, d, true, ctx.names)}${sep}${linkLayer(ctx.snapshot, d, ctx.names)}${alias}\n`);
    }
  }
  if (opts.json) printJsonArray(ctx, opts, arr);
}
