// The address family an iproute2 command has settled on, and get_addr() / get_prefix()
// (lib/utils.c) parsing against it. A command starts from preferred_family (-4/-6/-f, or
// AF_UNSPEC); most commands then take the family of the first address they parse
// (`if (req.r.rtm_family == AF_UNSPEC) req.r.rtm_family = addr.family`), and every later
// address must be of that family: "Error: inet address is expected rather than …".

import { CommandExit, getNetmask, parseIp4Loose } from './command-context.js';
import type { Ip4 } from '../net/ip4.js';
import { canonicalIp6 } from '../net/ip6.js';

export type Af = 'unspec' | 'inet' | 'inet6';

/** The family state of one command (req.r.rtm_family, req.ifa.ifa_family …). */
export class AfState {
  constructor(public family: Af) {}
  /** Adopt a parsed address's family when none is settled yet. */
  settle(f: Af): void {
    if (this.family === 'unspec') this.family = f;
  }
}

/** inet_pton(AF_INET6): eight groups, one `::`, an optional dotted IPv4 tail. */
export function isIp6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  const dbl = text.split('::');
  if (dbl.length > 2) return false;
  const groups = (s: string): string[] | null => (s === '' ? [] : s.split(':'));
  const head = groups(dbl[0] as string);
  const tail = dbl.length === 2 ? groups(dbl[1] as string) : [];
  if (head === null || tail === null) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] as string;
    if (i === all.length - 1 && g.includes('.')) {
      if (!/^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(g)) return false;
      count += 2;
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
    count++;
  }
  return dbl.length === 2 ? count < 8 : count === 8;
}

function familyWord(f: Af): string {
  return f === 'inet' ? 'inet' : f === 'inet6' ? 'inet6' : 'any valid';
}

/** What a word is as an address of family `f`, or undefined when get_addr_1() fails. */
function parse(word: string, f: Af): { family: 'inet'; addr: Ip4 } | { family: 'inet6'; addr6: string } | undefined {
  if (f !== 'inet6') {
    const a = parseIp4Loose(word);
    if (a !== undefined && !word.includes(':')) return { family: 'inet', addr: a };
  }
  if (f !== 'inet' && isIp6(word)) return { family: 'inet6', addr6: canonicalIp6(word) ?? word };
  return undefined;
}

/** A parsed IPv4 address, or an IPv6 one (its canonical text: the model keeps IPv6 gateways only). */
export type AfAddr = { readonly family: 'inet'; readonly addr: Ip4 } | { readonly family: 'inet6'; readonly addr6: string } | { readonly family: 'unspec' };

/** get_addr(): `default`/`any`/`all` are the family's zero address. */
export function getAddrAf(word: string, st: AfState, settle = true): AfAddr {
  if (word === 'default' || word === 'any' || word === 'all') {
    return st.family === 'inet6' ? { family: 'inet6', addr6: '::' } : st.family === 'inet' ? { family: 'inet', addr: 0 } : { family: 'unspec' };
  }
  const p = parse(word, st.family);
  if (p === undefined) throw new CommandExit(`Error: ${familyWord(st.family)} address is expected rather than "${word}".\n`, 1);
  if (settle) st.settle(p.family);
  return p;
}

export type AfPrefix =
  | { readonly family: 'inet'; readonly addr: Ip4; readonly len: number; readonly lenGiven: boolean }
  | { readonly family: 'inet6' | 'unspec'; readonly len: number; readonly lenGiven: boolean };

/** get_prefix(): ADDR[/LEN] of the settled family, `default`/`any`/`all` of any family. */
export function getPrefixAf(word: string, st: AfState, settle = true): AfPrefix {
  if (word === 'default' || word === 'any' || word === 'all') {
    if (st.family === 'inet') return { family: 'inet', addr: 0, len: 0, lenGiven: true };
    return { family: st.family, len: 0, lenGiven: true };
  }
  const slash = word.indexOf('/');
  const p = parse(slash < 0 ? word : word.slice(0, slash), st.family);
  const max = p?.family === 'inet6' ? 128 : 32;
  let len = max;
  let ok = p !== undefined;
  if (ok && slash >= 0) {
    const l = getNetmask(word.slice(slash + 1), max);
    if (l === undefined) ok = false;
    else len = l;
  }
  if (!ok || p === undefined) throw new CommandExit(`Error: ${familyWord(st.family)} prefix is expected rather than "${word}".\n`, 1);
  if (settle) st.settle(p.family);
  return p.family === 'inet' ? { family: 'inet', addr: p.addr, len, lenGiven: slash >= 0 } : { family: 'inet6', len, lenGiven: slash >= 0 };
}
