// `ip address` (iproute2 6.1 ip/ipaddress.c): ipaddr_modify and `-o` listings.

import { Args, CommandContext, CommandExit, devIndex, failKernel, getPrefix, invarg, matches, notModelled } from './command-context.js';
import { formatIp4, maskOf, type Ip4 } from '../net/ip4.js';
import { parseUnsigned, scopeName, scopeNumber } from '../uapi/rt-names.js';
import { RT_SCOPE_HOST, RT_SCOPE_UNIVERSE } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { linkHeader, linkLayer } from './ip-link-show.js';

export function ipAddr(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return addrList(ctx, opts, a);
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return addrModify(ctx, a, 'add');
  if (matches(verb, 'change') || verb === 'chg') return addrModify(ctx, a, 'change');
  if (matches(verb, 'replace')) return addrModify(ctx, a, 'replace');
  if (matches(verb, 'delete')) return addrModify(ctx, a, 'delete');
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return addrList(ctx, opts, a);
  if (matches(verb, 'flush') || matches(verb, 'save') || matches(verb, 'restore') || matches(verb, 'showdump')) notModelled(`ip address ${verb}`);
  throw new CommandExit(`Command "${verb}" is unknown, try "ip address help".\n`, 255);
}

/** ipaddr_modify(). */
function addrModify(ctx: CommandContext, a: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): void {
  let local: { addr: Ip4; len: number; lenGiven: boolean; word: string } | null = null;
  let peer: { addr: Ip4; len: number; lenGiven: boolean } | null = null;
  let brd: Ip4 | null = null;
  let brdMode: '+' | '-' | null = null;
  let scope: number | null = null;
  let dev: string | null = null;
  let label: string | null = null;
  let metric = 0;
  let noprefixroute = false;
  while (!a.done) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      if (peer !== null) throw new CommandExit(`Error: either "peer" is duplicate, or "${a.peek() ?? ''}" is a garbage.\n`, 255);
      peer = getPrefix(a.next());
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.next();
      if (v === '+') brdMode = '+';
      else if (v === '-') brdMode = '-';
      else {
        const p = getPrefix(v);
        brd = p.addr;
      }
    } else if (matches(w, 'anycast') || matches(w, 'valid_lft') || matches(w, 'preferred_lft') || w === 'home' || w === 'nodad' || w === 'mngtmpaddr' || w === 'autojoin' || matches(w, 'proto')) {
      notModelled(`ip address ${w}`);
    } else if (matches(w, 'scope')) {
      const v = a.next();
      const s = scopeNumber(v, ctx.names);
      if (s === undefined) invarg('invalid scope value.', v);
      scope = s;
    } else if (w === 'dev') dev = a.next();
    else if (w === 'label') label = a.next();
    else if (w === 'noprefixroute') noprefixroute = true;
    else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      metric = m;
    } else {
      let word = w;
      if (matches(word, 'local')) word = a.next();
      if (local !== null) throw new CommandExit(`Error: either "local" is duplicate, or "${word}" is a garbage.\n`, 255);
      local = { ...getPrefix(word), word };
    }
    a.advance();
  }
  if (dev === null) throw new CommandExit('Not enough information: "dev" argument is required.\n', 1);
  if (label !== null && !label.startsWith(dev)) throw new CommandExit(`"dev" (${dev}) must match "label" (${label}).\n`, 1);
  if (local === null) {
    if (cmd === 'delete') notModelled('ip address del without an address');
    throw new CommandExit('', 1, 'ip address without an address');
  }
  let prefixlen = peer !== null ? peer.len : local.len;
  let address: Ip4 | undefined = peer !== null ? peer.addr : undefined;
  if (peer === null) {
    if (cmd === 'delete' && !local.lenGiven) {
      ctx.warn(
        `Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${local.word}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`,
      );
    } else address = local.addr;
  }
  if (peer !== null && local.lenGiven) prefixlen = local.len;
  let broadcast = brd ?? 0;
  // ipaddr_modify(): `brd +`/`brd -` is computed from the peer (or local) prefix, and only
  // for a prefix length up to 30; a /31 or /32 sends no IFA_BROADCAST at all.
  if (brdMode !== null && cmd !== 'delete' && (peer ?? local).len <= 30) {
    const base = address ?? local.addr;
    broadcast = brdMode === '+' ? (base | ~maskOf(prefixlen)) >>> 0 : (base & maskOf(prefixlen)) >>> 0;
  }
  const ifindex = devIndex(ctx, dev);
  if (cmd === 'delete') {
    const step = ctx.apply({
      type: 'addr-del',
      ifindex,
      local: local.addr,
      ...(address === undefined ? {} : { address }),
      prefixlen,
      ...(label === null ? {} : { label }),
    });
    if (step.error !== null) failKernel(step.error);
    return;
  }
  if (cmd === 'change') notModelled('ip address change');
  const step = ctx.apply({
    type: 'addr-add',
    ifindex,
    local: local.addr,
    address: address ?? local.addr,
    prefixlen,
    broadcast,
    scope: scope ?? (local.addr >>> 24 === 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE),
    ...(label === null ? {} : { label }),
    metric,
    noprefixroute,
    replace: cmd === 'replace',
  });
  if (step.error !== null) failKernel(step.error);
}

/** One address in `ip -o -4 address` form. */
export function formatAddrOneline(dev: NetDevice, ifa: InIfaddr): string {
  return `${dev.ifindex}: ${dev.name}    ${inetWords(ifa)}\\       valid_lft forever preferred_lft forever\n`;
}

/** `inet LOCAL[ peer P]/LEN [metric N ][brd B ]scope S [secondary ][noprefixroute ]LABEL` (print_addrinfo). */
function inetWords(ifa: InIfaddr): string {
  let s = `inet ${formatIp4(ifa.local)}`;
  if (ifa.address !== ifa.local) s += ` peer ${formatIp4(ifa.address)}`;
  s += `/${ifa.prefixlen} `;
  if (ifa.metric !== 0) s += `metric ${ifa.metric} `;
  if (ifa.broadcast !== 0) s += `brd ${formatIp4(ifa.broadcast)} `;
  s += `scope ${scopeName(ifa.scope)} `;
  if (ifa.secondary) s += 'secondary ';
  if (ifa.noprefixroute) s += 'noprefixroute ';
  return `${s}${ifa.label}`;
}

function addrList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  let devName: string | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'dev') devName = a.next();
    else if (['scope', 'to', 'label', 'up', 'permanent', 'dynamic', 'secondary', 'primary', 'type', 'master', 'vrf', 'group'].includes(w) || matches(w, 'nomaster')) notModelled(`ip address show ${w}`);
    else devName = w;
    a.advance();
  }
  if (opts.json) notModelled('ip -j address show');
  let devs = [...ctx.snapshot.devices.values()];
  if (devName !== null) {
    const d = deviceByName(ctx.snapshot, devName);
    if (d === undefined) throw new CommandExit(`Device "${devName}" does not exist.\n`, 1);
    devs = [d];
  }
  // IPv6 is off in the modelled namespaces, so without -4 only IPv4 addresses exist too.
  if (opts.oneline) {
    for (const d of devs) for (const ifa of d.addrs) ctx.print(formatAddrOneline(d, ifa));
    return;
  }
  for (const d of devs) {
    if (opts.family === 'inet' && d.addrs.length === 0) continue;
    ctx.print(`${linkHeader(ctx.snapshot, d, false)}\n`);
    if (opts.family !== 'inet') ctx.print(`${linkLayer(ctx.snapshot, d)}\n`);
    for (const ifa of d.addrs) ctx.print(`    ${inetWords(ifa)}\n       valid_lft forever preferred_lft forever\n`);
  }
}
