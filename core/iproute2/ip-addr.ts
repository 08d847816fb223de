// `ip address` (iproute2 6.1 ip/ipaddress.c): ipaddr_modify and `-o` listings.

import { byteLength } from '../dev/dev-valid-name.js';
import { Args, CommandContext, CommandExit, devIndex, failKernel, invarg, matches, notModelled } from './command-context.js';
import { AfState, getAddrAf, getPrefixAf, type AfPrefix } from './addr-family.js';
import { addrFlush } from './ip-addr-flush.js';
import { formatIp4, maskOf, type Ip4 } from '../net/ip4.js';
import { BUILTIN_NAMES, parseUnsigned, scopeName, scopeNumber, type PrintNames } from '../uapi/rt-names.js';
import { RT_SCOPE_HOST, RT_SCOPE_UNIVERSE } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { addrListing } from './ip-addr-list.js';
import { ifaFlagWords, lifetimeText } from '../print/addr-info.js';
import { delTarget } from '../devinet/inet-rtm-addr.js';
import { promotionGap, promotionUnknown } from '../devinet/inet-insert-ifa.js';
import type { AddrDelEvent } from '../events/inetaddr.js';

/** The shortest finite address lifetime modelled (seconds): see the lifetimes in ipaddr_modify() below. */
const MIN_MODELLED_LIFETIME = 60;

export function ipAddr(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return addrList(ctx, opts, a);
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return addrModify(ctx, opts, a, 'add');
  if (matches(verb, 'change') || verb === 'chg') return addrModify(ctx, opts, a, 'change');
  if (matches(verb, 'replace')) return addrModify(ctx, opts, a, 'replace');
  if (matches(verb, 'delete')) return addrModify(ctx, opts, a, 'delete');
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) return addrList(ctx, opts, a);
  if (matches(verb, 'flush')) {
    if (opts.brief === true) notModelled('ip -brief address flush');
    return addrFlush(ctx, opts, a, (ifa) => inetWords(ifa, ctx.names));
  }
  if (matches(verb, 'save') || matches(verb, 'restore') || matches(verb, 'showdump')) notModelled(`ip address ${verb}`);
  // do_ipaddr(): after every command word, `help` (or a prefix of it) prints the usage.
  if (matches(verb, 'help')) notModelled('ip address help');
  throw new CommandExit(`Command "${verb}" is unknown, try "ip address help".\n`, 255);
}

/** ipaddr_modify(). */
function addrModify(ctx: CommandContext, opts: GlobalOptions, a: Args, cmd: 'add' | 'change' | 'replace' | 'delete'): void {
  // req.ifa.ifa_family: preferred_family, then the family of the first address parsed.
  const st = new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
  let v6 = false;
  const in4 = (p: AfPrefix): { addr: Ip4; len: number; lenGiven: boolean } => {
    if (p.family === 'inet6') v6 = true;
    return { addr: p.family === 'inet' ? p.addr : 0, len: p.len, lenGiven: p.lenGiven };
  };
  let validLft: string | null = null;
  let preferredLft: string | null = null;
  let local: { addr: Ip4; len: number; lenGiven: boolean; word: string } | null = null;
  let peer: { addr: Ip4; len: number; lenGiven: boolean } | null = null;
  let brd: Ip4 | null = null;
  let brdMode: '+' | '-' | null = null;
  let anycast = false;
  let scope: number | null = null;
  let dev: string | null = null;
  let label: string | null = null;
  let metric = 0;
  let noprefixroute = false;
  let autojoin = false;
  let lifetimes: { valid: number; preferred: number } | undefined;
  while (!a.done) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      if (peer !== null) throw new CommandExit(`Error: duplicate "peer": "${a.peek() ?? ''}" is the second value.\n`, 255);
      peer = in4(getPrefixAf(a.next(), st));
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const v = a.next();
      if (brd !== null || brdMode !== null) throw new CommandExit(`Error: duplicate "broadcast": "${v}" is the second value.\n`, 255);
      if (v === '+') brdMode = '+';
      else if (v === '-') brdMode = '-';
      else {
        const p = getAddrAf(v, st);
        if (p.family === 'inet6') v6 = true;
        brd = p.family === 'inet' ? p.addr : 0;
      }
    } else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
      // Before the lifetimes, as in ipaddr_modify(): `pref` is a metric, not preferred_lft.
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('"metric" value is invalid\n', v);
      metric = m;
    } else if (matches(w, 'valid_lft')) {
      if (validLft !== null) throw new CommandExit(`Error: duplicate "valid_lft": "${a.peek() ?? ''}" is the second value.\n`, 255);
      validLft = a.next();
      if (lifetime(validLft) === undefined) invarg('valid_lft value', validLft);
    } else if (matches(w, 'preferred_lft')) {
      if (preferredLft !== null) throw new CommandExit(`Error: duplicate "preferred_lft": "${a.peek() ?? ''}" is the second value.\n`, 255);
      preferredLft = a.next();
      if (lifetime(preferredLft) === undefined) invarg('preferred_lft value', preferredLft);
    } else if (w === 'anycast') {
      // IFA_ANYCAST: parsed and sent as iproute2 6.1 does (one, an address of the request's
      // family), then ignored: IPv4's inet_rtm_newaddr() and inet_rtm_deladdr() read no such
      // attribute (ifa_ipv4_policy has none), so the address is added or deleted as without it.
      const v = a.next();
      if (anycast) throw new CommandExit(`Error: duplicate "anycast": "${v}" is the second value.\n`, 255);
      if (getAddrAf(v, st).family === 'inet6') v6 = true;
      anycast = true;
    } else if (IFA_FLAG_WORDS.has(w)) {
      // ipaddr_modify()'s ifa_flag_data[]: read-only flags and IPv6-only flags are refused
      // with a warning (the address is still added); autojoin is checked below.
      const kind = IFA_FLAG_WORDS.get(w);
      if (kind === 'readonly') ctx.warn(`Warning: ${w} option is not mutable from userspace\n`);
      else if (kind === 'v6only' && st.family !== 'inet6' && !v6) ctx.warn(`Warning: ${w} option can be set only for IPv6 addresses\n`);
      else if (kind === 'v6only') v6 = true;
      else if (w === 'noprefixroute') noprefixroute = true;
      else autojoin = true;
    } else if (w === 'scope') {
      const v = a.next();
      const s = scopeNumber(v, ctx.names);
      if (s === undefined) invarg('invalid scope value.', v);
      scope = s;
    } else if (w === 'dev') dev = a.next();
    else if (w === 'label') label = a.next();
    else {
      let word = w;
      if (word === 'local') word = a.next();
      if (matches(word, 'help')) notModelled('ip address help');
      if (local !== null) throw new CommandExit(`Error: either "local" is duplicate, or "${word}" is a garbage.\n`, 255);
      local = { ...in4(getPrefixAf(word, st)), word };
    }
    a.advance();
  }
  if (dev === null) throw new CommandExit('Not enough information: "dev" argument is required.\n', 1);
  if (st.family === 'inet6' || v6) notModelled('IPv6 addresses');
  if (local === null) {
    if (cmd !== 'delete') throw new CommandExit('', 1, 'ip address without an address');
    delWithoutAddress(ctx, opts.family, dev, peer !== null, label);
    return;
  }
  // ipaddr_modify(): `peer P[/N]` sets ifa_prefixlen to P's length (32 without /N), and only
  // a length of 0 falls back to the local address's: `10.8.0.6/24 peer 10.8.0.5` is a /32.
  let prefixlen = peer !== null ? peer.len : local.len;
  if (prefixlen === 0) prefixlen = local.len;
  let address: Ip4 | undefined = peer !== null ? peer.addr : undefined;
  if (peer === null) {
    if (cmd === 'delete' && !local.lenGiven) {
      ctx.warn(
        `Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${local.word}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`,
      );
    } else address = local.addr;
  }
  let broadcast = brd ?? 0;
  // ipaddr_modify(): `brd +`/`brd -` is computed from the peer (or local) prefix, and only
  // for a prefix length up to 30; a /31 or /32 sends no IFA_BROADCAST at all.
  // The bits come from that prefix's own length (peer.bitlen), not from ifa_prefixlen.
  const brdFrom = peer ?? local;
  if (brdMode !== null && cmd !== 'delete' && brdFrom.len <= 30) {
    broadcast = brdMode === '+' ? (brdFrom.addr | ~maskOf(brdFrom.len)) >>> 0 : (brdFrom.addr & maskOf(brdFrom.len)) >>> 0;
  }
  const ifindex = devIndex(ctx, dev);
  if (validLft !== null || preferredLft !== null) {
    const valid = validLft === null ? 0xffffffff : (lifetime(validLft) as number);
    const preferred = preferredLft === null ? 0xffffffff : (lifetime(preferredLft) as number);
    if (valid === 0) throw new CommandExit('valid_lft is zero\n', 1);
    if (valid < preferred) throw new CommandExit('preferred_lft is greater than valid_lft\n', 1);
    // set_ifa_lifetime(): a finite valid lifetime makes the address dynamic, preferred_lft 0
    // deprecated at once; both are modelled (inet-rtm-addr.ts). They then run out by the
    // clock: check_lifetime() deprecates and deletes the address once a lifetime is over,
    // which the model has not. A script takes well under a minute, so a lifetime of a minute
    // or more does not run out during it; a shorter one may, and is named. (What `ip address`
    // prints of a dynamic address, the seconds left, is named where it is printed.)
    const short = (n: number): boolean => n !== 0xffffffff && n !== 0 && n < MIN_MODELLED_LIFETIME;
    if (short(valid) || short(preferred)) notModelled(`address lifetimes under ${MIN_MODELLED_LIFETIME} seconds (check_lifetime() may deprecate or delete the address during the script)`);
    lifetimes = { valid, preferred };
  }
  if (autojoin) {
    if (local.addr >>> 28 !== 0xe) throw new CommandExit('autojoin needs multicast address\n', 1);
    // inet_rtm_newaddr(): IFA_F_MCAUTOJOIN joins the group (ip_mc_autojoin_config()).
    notModelled('ip address autojoin (a multicast group joined)');
  }
  // ifa_ipv4_policy: IFA_LABEL is an NLA_STRING of at most IFNAMSIZ - 1 bytes, checked by
  // nlmsg_parse() before inet_rtm_newaddr()/inet_rtm_deladdr() look at anything. iproute2
  // 6.1 no longer requires the label to start with the device name.
  if (label !== null && byteLength(label) > 15) failKernel({ errno: 'ERANGE', extack: 'Attribute failed policy validation' });
  if (cmd === 'delete') {
    const del: AddrDelEvent = {
      type: 'addr-del',
      ifindex,
      local: local.addr,
      ...(address === undefined ? {} : { address }),
      prefixlen,
      ...(label === null ? {} : { label }),
    };
    const target = delTarget(ctx.snapshot.devices.get(ifindex)?.addrs ?? [], del);
    if (target !== undefined && promotionUnknown(ctx.snapshot, ifindex, target)) notModelled(promotionGap(ctx.snapshot, ifindex));
    const step = ctx.apply(del);
    if (step.error !== null) failKernel(step.error);
    return;
  }
  // `change` is NLM_F_REPLACE without NLM_F_CREATE, which inet_rtm_newaddr() does not
  // look at: a missing address is created, an existing one is updated, as by `replace`.
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
    replace: cmd === 'replace' || cmd === 'change',
    ...(lifetimes === undefined ? {} : { lifetimes }),
  });
  if (step.error !== null) failKernel(step.error);
}

/**
 * `ip address del dev D [label L]` without an address: ipaddr_modify() sends the family of
 * -4/-6 (none: AF_UNSPEC, 'any', for which rtnetlink has no RTM_DELADDR handler: EOPNOTSUPP) and
 * neither IFA_LOCAL nor IFA_ADDRESS, so inet_rtm_deladdr() deletes the first address of the
 * device's list (with that label, when given).
 */
function delWithoutAddress(ctx: CommandContext, family: string, dev: string, peer: boolean, label: string | null): void {
  if (peer) notModelled('ip address del with a peer and no address');
  const ifindex = devIndex(ctx, dev);
  if (family !== 'inet' && family !== 'any') notModelled(`ip address del without an address in family ${family}`);
  if (family === 'any') failKernel({ errno: 'EOPNOTSUPP' });
  if (label !== null && byteLength(label) > 15) failKernel({ errno: 'ERANGE', extack: 'Attribute failed policy validation' });
  const del: AddrDelEvent = { type: 'addr-del', ifindex, prefixlen: 0, ...(label === null ? {} : { label }) };
  const target = delTarget(ctx.snapshot.devices.get(ifindex)?.addrs ?? [], del);
  if (target !== undefined && promotionUnknown(ctx.snapshot, ifindex, target)) notModelled(promotionGap(ctx.snapshot, ifindex));
  const step = ctx.apply(del);
  if (step.error !== null) failKernel(step.error);
}

/** One address in `ip -o -4 address` form. */
export function formatAddrOneline(dev: NetDevice, ifa: InIfaddr, names: PrintNames = BUILTIN_NAMES): string {
  return `${dev.ifindex}: ${dev.name}    ${inetWords(ifa, names)}\\       ${lifetimeText(ifa)}\n`;
}

/** iproute2 6.1 ipaddress.c ifa_flag_data[]: the flag words of `ip address add|change|replace|del`. */
const IFA_FLAG_WORDS: ReadonlyMap<string, 'readonly' | 'v6only' | 'settable'> = new Map([
  ['secondary', 'readonly'],
  ['temporary', 'readonly'],
  ['nodad', 'v6only'],
  ['optimistic', 'v6only'],
  ['dadfailed', 'readonly'],
  ['home', 'v6only'],
  ['deprecated', 'readonly'],
  ['tentative', 'readonly'],
  ['permanent', 'readonly'],
  ['mngtmpaddr', 'v6only'],
  ['noprefixroute', 'settable'],
  ['autojoin', 'settable'],
  ['stable-privacy', 'readonly'],
]);

/** set_lifetime(): `forever` or a u32 number of seconds. */
function lifetime(word: string): number | undefined {
  if (word === 'forever') return 0xffffffff;
  return parseUnsigned(word);
}

/** `inet LOCAL[ peer P]/LEN [metric N ][brd B ]scope S [FLAGS ]LABEL` (print_addrinfo(), print_ifa_flags()). */
export function inetWords(ifa: InIfaddr, names: PrintNames = BUILTIN_NAMES): string {
  let s = `inet ${formatIp4(ifa.local)}`;
  if (ifa.address !== ifa.local) s += ` peer ${formatIp4(ifa.address)}`;
  s += `/${ifa.prefixlen} `;
  if (ifa.metric !== 0) s += `metric ${ifa.metric} `;
  if (ifa.broadcast !== 0) s += `brd ${formatIp4(ifa.broadcast)} `;
  s += `scope ${scopeName(ifa.scope, names)} `;
  for (const f of ifaFlagWords(ifa)) s += `${f} `;
  return `${s}${ifa.label}`;
}

function addrList(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  if ((opts.stats ?? 0) > 0) notModelled('ip -s address show (counters: the kernel sends IGMP reports of its own)');
  if (opts.family === 'packet' && opts.oneline) notModelled('ip -0 -o address show');
  // IPv6 is off in the modelled namespaces, so without -4 only IPv4 addresses exist too.
  addrListing(ctx, opts, a, (d, ifa) => formatAddrOneline(d, ifa, ctx.names), (ifa) => inetWords(ifa, ctx.names));
}
