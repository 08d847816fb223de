// The listings of `ip link show` and `ip address show` that go beyond the classic text
// (ip/ipaddress.c, iproute2 6.1): `-j` (print_linkinfo() and print_addrinfo() through the
// JSON writer) and `-br` (print_linkinfo_brief() and the brief part of print_addrinfo()),
// text and JSON.
//
// The JSON elements come from ../replay/ip-json-dump.ts (linkCommon, addrInfoJson), fed with
// the model's link attributes (link-info.ts): one printer for replays and `kfib run`.

import type { CommandContext } from './command-context.js';
import type { GlobalOptions } from './global-options.js';
import type { NetDevice } from '../snapshot/net-device.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import { addrInfoJson, linkCommon, type ReplayView } from '../replay/ip-json-dump.js';
import { flagWords, peerName } from '../replay/link-table.js';
import { linkTableOf } from './link-info.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { formatIp4 } from '../net/ip4.js';

/** What the listing prints for one device. */
export type ListMode = 'link' | 'address';

function viewOf(ctx: CommandContext): ReplayView {
  return { snapshot: ctx.snapshot, links: linkTableOf(ctx.snapshot), metrics: new Map(), names: ctx.names };
}

function printJson(ctx: CommandContext, opts: GlobalOptions, arr: JsonValue[]): void {
  ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
}

/**
 * ipaddr_filter(): with an address family asked for (`-4`), a device with no address of it
 * is not listed; `-0` / link listings print every device and no addresses.
 */
function listed(opts: GlobalOptions, mode: ListMode, devs: readonly NetDevice[]): readonly NetDevice[] {
  if (mode === 'address' && opts.family === 'inet') return devs.filter((d) => d.addrs.length > 0);
  return devs;
}

/** `ip -j link show` / `ip -j address show`. */
export function listJson(ctx: CommandContext, opts: GlobalOptions, mode: ListMode, devs: readonly NetDevice[], up = false): void {
  const v = viewOf(ctx);
  const packet = mode === 'link' || opts.family === 'packet';
  const out: JsonValue[] = [];
  for (const d of listed(opts, mode, devs)) {
    const info = v.links.get(d.ifindex);
    if (info === undefined) continue;
    // The loop opens a JSON object per device before print_linkinfo() refuses a down
    // device under filter.up (`up`), so that device is an empty object.
    if (up && !d.up) {
      out.push({});
      continue;
    }
    // print_linkinfo(): the link-layer keys when no family, or the link family, was asked for.
    // ipaddr_list_flush_or_save(): `-o` on an address listing skips print_linkinfo() (no_link)
    // and print_addrinfo() names the device in each entry ("index", "dev").
    const noLink = mode === 'address' && opts.oneline && !packet;
    const o: Record<string, JsonValue> = noLink ? {} : linkCommon(v, info, mode === 'link', opts.family !== 'inet');
    // print_selected_addrinfo() runs unless the listing is of the link family.
    if (!packet) {
      o['addr_info'] = d.addrs.map((a) => {
        const x = addrInfoJson(a, ctx.names) as Record<string, JsonValue>;
        return noLink ? { index: d.ifindex, dev: d.name, ...x } : x;
      });
    }
    out.push(o);
  }
  printJson(ctx, opts, out);
}

/** print_addrinfo() under brief: `LOCAL[ peer ADDRESS]/LEN [metric N ]`. */
function briefAddr(a: InIfaddr): string {
  let t = formatIp4(a.local);
  if (a.address !== a.local) t += ` peer ${formatIp4(a.address)}`;
  t += `/${a.prefixlen} `;
  if (a.metric !== 0) t += `metric ${a.metric} `;
  return t;
}

function briefAddrJson(a: InIfaddr): JsonValue {
  const x: Record<string, JsonValue> = { local: formatIp4(a.local) };
  if (a.address !== a.local) x['address'] = formatIp4(a.address);
  x['prefixlen'] = a.prefixlen;
  if (a.metric !== 0) x['metric'] = a.metric;
  return x;
}

/**
 * `ip -br link|address show`, text or `-j`: print_linkinfo_brief() (name and peer in
 * "%-16s ", operstate in "%-14s ", then for the link family the address and the flags),
 * then for an address listing each address (print_addrinfo() up to `brief_exit`) and "\n".
 */
export function listBrief(ctx: CommandContext, opts: GlobalOptions, mode: ListMode, devs: readonly NetDevice[], up = false): void {
  const v = viewOf(ctx);
  const packet = mode === 'link' || opts.family === 'packet';
  const arr: JsonValue[] = [];
  let text = '';
  for (const d of listed(opts, mode, devs)) {
    const info = v.links.get(d.ifindex);
    if (info === undefined) continue;
    const peer = peerName(info, v.links);
    // filter.up: nothing printed, but `-j` has already opened the device's object.
    if (up && !d.up) {
      if (opts.json) arr.push({});
      continue;
    }
    if (opts.json) {
      const o: Record<string, JsonValue> = {};
      if (peer !== null) o['link'] = peer === 'NONE' ? null : peer;
      o['ifname'] = info.name;
      o['operstate'] = info.operstate;
      if (packet) {
        o['address'] = info.address;
        o['flags'] = flagWords(info, v.links);
      } else o['addr_info'] = d.addrs.map(briefAddrJson);
      arr.push(o);
      continue;
    }
    text += `${(peer !== null ? `${info.name}@${peer}` : info.name).padEnd(16)} ${info.operstate.padEnd(14)} `;
    if (packet) text += `${info.address} <${flagWords(info, v.links).join(',')}> \n`;
    else text += `${d.addrs.map(briefAddr).join('')}\n`;
  }
  if (opts.json) printJson(ctx, opts, arr);
  else ctx.print(text);
}
