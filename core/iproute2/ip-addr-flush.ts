// `ip address flush` (iproute2 6.1 ip/ipaddress.c: ipaddr_list_flush_or_save() parses the
// selectors, ipaddr_flush() dumps, print_addrinfo() picks the addresses and queues one
// RTM_DELADDR per address, flush_update() sends them, ignoring EADDRNOTAVAIL: the kernel
// may already have deleted a secondary with its primary). Rounds repeat until a dump
// finds nothing to delete (promoted secondaries are picked up by the next round), except
// that `primary` flushes one round only.

import { Args, CommandContext, CommandExit, invarg, matches, notModelled } from './command-context.js';
import { DYNAMIC_ADDR_GAP, lifetimeText } from '../print/addr-info.js';
import { AfState, getPrefixAf } from './addr-family.js';
import { inPrefix, maskOf, type Ip4 } from '../net/ip4.js';
import { promotionGap, promotionUnknown } from '../devinet/inet-insert-ifa.js';
import { scopeNumber } from '../uapi/rt-names.js';
import { RT_SCOPE_NOWHERE } from '../uapi/rtnetlink.js';
import type { GlobalOptions } from './global-options.js';
import type { InIfaddr, NetDevice } from '../snapshot/net-device.js';
import { devGetByName } from '../snapshot/snapshot.js';

const IFA_F_SECONDARY = 0x01;
const IFA_F_PERMANENT = 0x80;
const IFA_F_NOPREFIXROUTE = 0x200;

/** ifa_flag_data[] names of iproute2 6.1 (lookup_flag_data_by_name). */
const FLAG_NAMES: Readonly<Record<string, number>> = {
  secondary: 0x01,
  temporary: 0x01,
  nodad: 0x02,
  optimistic: 0x04,
  dadfailed: 0x08,
  home: 0x10,
  deprecated: 0x20,
  tentative: 0x40,
  permanent: 0x80,
  mngtmpaddr: 0x100,
  noprefixroute: 0x200,
  autojoin: 0x400,
  'stable-privacy': 0x800,
};

/** The `filter` of ipaddress.c as far as print_addrinfo() uses it for a flush. */
export interface AddrFilter {
  readonly ifindex: number;
  readonly scope: number;
  readonly scopemask: number;
  readonly flags: number;
  readonly flagmask: number;
  readonly label: string | null;
  readonly pfx: { readonly addr: Ip4; readonly len: number } | null;
}

/** `scope S` of an address selector: a scope name or number, `all` for any (filter.scopemask 0). */
export function scopeSelector(v: string): { scope: number; scopemask: number } {
  const s = scopeNumber(v);
  if (s !== undefined) return { scope: s, scopemask: -1 };
  if (v !== 'all') invarg('invalid "scope"\n', v);
  return { scope: RT_SCOPE_NOWHERE, scopemask: 0 };
}

/** get_filter(): a flag name, `-NAME` to invert, `dynamic`/`primary` as negated permanent/secondary. */
export function getFilter(word: string, f: { flags: number; flagmask: number }): boolean {
  let inv = false;
  let arg = word;
  if (arg.startsWith('-')) {
    inv = true;
    arg = arg.slice(1);
  }
  if (arg === 'dynamic') {
    inv = !inv;
    arg = 'permanent';
  } else if (arg === 'primary') {
    inv = !inv;
    arg = 'secondary';
  }
  const mask = FLAG_NAMES[arg];
  if (mask === undefined) return false;
  if (inv) f.flags &= ~mask;
  else f.flags |= mask;
  f.flagmask |= mask;
  return true;
}

/**
 * get_ifa_flags() of a modelled address: IFA_F_PERMANENT unless it has a finite valid
 * lifetime (set_ifa_lifetime() clears it then), so `dynamic` and `permanent` select by it.
 */
export function ifaFlags(ifa: InIfaddr): number {
  const permanent = ifa.lifetimes === undefined ? IFA_F_PERMANENT : 0;
  return (ifa.secondary ? IFA_F_SECONDARY : 0) | permanent | (ifa.noprefixroute ? IFA_F_NOPREFIXROUTE : 0) | ifa.extraFlags;
}

/** fnmatch(pattern, label, 0) for the shell patterns `label` takes (*, ?, [...]). */
export function fnmatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 's').test(text);
}

/** print_addrinfo()'s tests, in its order. */
export function addrMatches(f: AddrFilter, dev: NetDevice, ifa: InIfaddr): boolean {
  if (f.ifindex !== 0 && f.ifindex !== dev.ifindex) return false;
  if (((f.scope ^ ifa.scope) & f.scopemask) !== 0) return false;
  if (((f.flags ^ ifaFlags(ifa)) & f.flagmask) !== 0) return false;
  if (f.label !== null && !fnmatch(f.label, ifa.label)) return false;
  // inet_addr_match_rta(&filter.pfx, IFA_LOCAL): the first pfx.len bits must agree.
  if (f.pfx !== null && f.pfx.len > 0 && ((ifa.local ^ f.pfx.addr) & maskOf(f.pfx.len)) !== 0) return false;
  return true;
}

/** ipaddr_list_flush_or_save(IPADD_FLUSH): the selectors, then ipaddr_flush(). */
export function addrFlush(ctx: CommandContext, opts: GlobalOptions, a: Args, words: (ifa: InIfaddr) => string): void {
  const stats = opts.stats ?? 0;
  const st = new AfState(opts.family === 'inet' ? 'inet' : 'unspec');
  let ipv6 = false;
  if (a.done) {
    ctx.warn('Flush requires arguments.\n');
    ctx.out.exit = 1;
    return;
  }
  const f = { flags: 0, flagmask: 0 };
  let scope = 0;
  let scopemask = 0;
  let label: string | null = null;
  let pfx: { addr: Ip4; len: number } | null = null;
  let filterDev: string | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'to') {
      // get_prefix(&filter.pfx, …, filter.family); an IPv6 prefix makes it an IPv6 flush.
      const p = getPrefixAf(a.next(), st);
      if (p.family === 'inet6') ipv6 = true;
      pfx = { addr: p.family === 'inet' ? p.addr : 0, len: p.len };
    } else if (w === 'scope') {
      ({ scope, scopemask } = scopeSelector(a.next()));
    } else if (w === 'up') {
      // filter.up only filters the link listing, which a flush does not print.
    } else if (getFilter(w, f)) {
      // a flag selector
    } else if (w === 'label') label = a.next();
    else if (w === 'group' || w === 'master' || w === 'vrf' || w === 'nomaster' || w === 'type') {
      throw new CommandExit('', 2, `ip address flush ${w}`);
    } else {
      let d = w;
      if (w === 'dev') d = a.next();
      else if (matches(w, 'help')) throw new CommandExit('', 255, 'ip address help');
      if (filterDev !== null) throw new CommandExit(`Error: either "dev" is duplicate, or "${d}" is a garbage.\n`, 255);
      filterDev = d;
    }
    a.advance();
  }
  if (ipv6) notModelled('IPv6 addresses');
  let ifindex = 0;
  if (filterDev !== null) {
    const d = devGetByName(ctx.snapshot, filterDev);
    if (d === undefined) {
      ctx.warn(`Device "${filterDev}" does not exist.\n`);
      ctx.out.exit = 1;
      return;
    }
    ifindex = d.ifindex;
  }
  const filter: AddrFilter = { ifindex, scope, scopemask, flags: f.flags, flagmask: f.flagmask, label, pfx };
  let round = 0;
  const done = (): void => {
    if (stats > 0) {
      if (round === 0) ctx.print('Nothing to flush.\n');
      else ctx.print(`*** Flush is complete after ${round} round${round > 1 ? 's' : ''} ***\n`);
    }
  };
  // max_flush_loops is 10 in iproute2 6.1.
  while (round < 10) {
    const victims: { dev: NetDevice; ifa: InIfaddr }[] = [];
    for (const dev of ctx.snapshot.devices.values()) {
      for (const ifa of dev.addrs) if (addrMatches(filter, dev, ifa)) victims.push({ dev, ifa });
    }
    if (victims.length === 0) return done();
    if (stats >= 2) {
      if (victims.some((v) => v.ifa.lifetimes !== undefined)) notModelled(DYNAMIC_ADDR_GAP);
      for (const v of victims) ctx.print(`${v.dev.ifindex}: ${v.dev.name}    ${words(v.ifa)}\n       ${lifetimeText(v.ifa)}\n`);
    }
    round++;
    // A primary whose secondaries the flush leaves: whether they are promoted or deleted
    // with it rests on a promote_secondaries the model does not know (an imported state).
    for (const { dev, ifa } of victims) {
      if (!promotionUnknown(ctx.snapshot, dev.ifindex, ifa)) continue;
      if (dev.addrs.some((a) => a.secondary && a.prefixlen === ifa.prefixlen && inPrefix(a.address, ifa.address, ifa.prefixlen) && !victims.some((v) => v.ifa === a))) notModelled(promotionGap(ctx.snapshot, dev.ifindex));
    }
    for (const { dev, ifa } of victims) {
      // The RTM_DELADDR is the dumped RTM_NEWADDR: IFA_LOCAL, IFA_ADDRESS, IFA_LABEL and the
      // prefix length all given; errors (EADDRNOTAVAIL) do not stop the flush.
      ctx.apply({ type: 'addr-del', ifindex: dev.ifindex, local: ifa.local, address: ifa.address, prefixlen: ifa.prefixlen, label: ifa.label });
    }
    if (stats > 0) ctx.print(`\n*** Round ${round}, deleting ${victims.length} addresses ***\n`);
    if ((filter.flags & IFA_F_SECONDARY) === 0 && (filter.flagmask & IFA_F_SECONDARY) !== 0) return done();
  }
  ctx.warn('*** Flush remains incomplete after 10 rounds. ***\n');
  ctx.out.exit = 1;
}
