// The listings of `ip link show` and `ip address show` beyond the classic text
// (ip/ipaddress.c, iproute2 6.1): `-j` (print_linkinfo() and print_addrinfo() through the
// JSON writer) and `-br` (print_linkinfo_brief() and the brief part of print_addrinfo()),
// text and JSON. ip-addr-list.ts decides which devices and addresses are listed (its four
// filter stages); this module prints one device.
//
// The JSON elements come from ../print/link-json.ts (linkCommon, addrInfoJson), the printer
// of the replay's `ip -j` arrays too (../replay/ip-json-dump.ts), fed with the model's link
// attributes (link-info.ts): one printer for replays and `kfib run`.

import type { CommandContext } from './command-context.js';
import type { GlobalOptions } from './global-options.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { addrInfoJson, flagWords, linkCommon, peerName, type LinkView } from '../print/link-json.js';
import { linkTableOf } from './link-info.js';
import { checkLinkPrintable } from './ip-link-show.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import { formatIp4 } from '../net/ip4.js';

/** The model's link attributes for one listing. */
export function listingView(ctx: CommandContext): LinkView {
  return { links: linkTableOf(ctx.snapshot), names: ctx.names };
}

/** The JSON array of a listing, compact or pretty. */
export function printJsonArray(ctx: CommandContext, opts: GlobalOptions, arr: JsonValue[]): void {
  ctx.print(`${opts.pretty ? jsonPretty(arr) : jsonCompact(arr)}\n`);
}

/**
 * print_linkinfo() in JSON: the link keys, with `linkmode` for `ip link`, and the
 * link-layer keys (link_type, address, broadcast) only when no family or the link family
 * was asked for (`-4` leaves them out).
 */
export function linkJson(v: LinkView, opts: GlobalOptions, d: NetDevice, link: boolean, packet: boolean): Record<string, JsonValue> {
  const info = v.links.get(d.ifindex);
  if (info === undefined) return {};
  checkLinkPrintable(d);
  return linkCommon(v, info, link, packet || opts.family !== 'inet');
}

/** One `addr_info` element; `-o` (no link part) adds the device's index and name first. */
export function addrJson(ctx: CommandContext, d: NetDevice, ifa: InIfaddr, oneline: boolean): JsonValue {
  const x = addrInfoJson(ifa, ctx.names) as Record<string, JsonValue>;
  return oneline ? { index: d.ifindex, dev: d.name, ...x } : x;
}

/** print_linkinfo_brief() text: "%-16s " name (and @peer), "%-14s " operstate, then for the link family the address and the flags and "\n". */
export function briefLinkText(v: LinkView, d: NetDevice, packet: boolean): string {
  const info = v.links.get(d.ifindex);
  if (info === undefined) return '';
  const peer = peerName(info, v.links);
  let t = `${(peer !== null ? `${info.name}@${peer}` : info.name).padEnd(16)} ${info.operstate.padEnd(14)} `;
  if (packet) t += `${info.address === undefined ? '' : `${info.address} `}<${flagWords(info, v.links).join(',')}> \n`;
  return t;
}

/** print_linkinfo_brief() in JSON. */
export function briefLinkJson(v: LinkView, d: NetDevice, packet: boolean): Record<string, JsonValue> {
  const info = v.links.get(d.ifindex);
  if (info === undefined) return {};
  const o: Record<string, JsonValue> = {};
  const peer = peerName(info, v.links);
  if (peer !== null) o['link'] = peer === 'NONE' ? null : peer;
  o['ifname'] = info.name;
  o['operstate'] = info.operstate;
  if (packet) {
    if (info.address !== undefined) o['address'] = info.address;
    o['flags'] = flagWords(info, v.links);
  }
  return o;
}

/** print_addrinfo() under brief, up to `brief_exit`: `LOCAL[ peer ADDRESS]/LEN [metric N ]`. */
export function briefAddrText(a: InIfaddr): string {
  let t = formatIp4(a.local);
  if (a.address !== a.local) t += ` peer ${formatIp4(a.address)}`;
  t += `/${a.prefixlen} `;
  if (a.metric !== 0) t += `metric ${a.metric} `;
  return t;
}

/** The same in JSON. */
export function briefAddrJson(a: InIfaddr): JsonValue {
  const x: Record<string, JsonValue> = { local: formatIp4(a.local) };
  if (a.address !== a.local) x['address'] = formatIp4(a.address);
  x['prefixlen'] = a.prefixlen;
  if (a.metric !== 0) x['metric'] = a.metric;
  return x;
}
