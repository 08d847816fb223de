// The parts of iproute2's print_addrinfo() (ip/ipaddress.c) that depend on an address's
// flags and lifetimes: print_ifa_flags() in ifa_flag_data[] order (`dynamic` where
// IFA_F_PERMANENT is missing) and the `valid_lft … preferred_lft …` line from IFA_CACHEINFO.
// The kernel sends the seconds left (put_cacheinfo()); the model keeps the lifetimes as the
// address last got them, so a listing of a dynamic address is named as not modelled by its
// callers (dynamicAddrGap).

import type { InIfaddr } from '../snapshot/net-device.js';
import type { JsonValue } from './json-out.js';

const IFA_F_DEPRECATED = 0x20;
const IFA_F_MCAUTOJOIN = 0x400;
const FOREVER = 0xffffffff;

/** The flag words print_ifa_flags() prints for an IPv4 address, in its order. */
export function ifaFlagWords(ifa: InIfaddr): string[] {
  const out: string[] = [];
  if (ifa.secondary) out.push('secondary');
  if ((ifa.extraFlags & IFA_F_DEPRECATED) !== 0) out.push('deprecated');
  if (ifa.lifetimes !== undefined) out.push('dynamic');
  if (ifa.noprefixroute) out.push('noprefixroute');
  if ((ifa.extraFlags & IFA_F_MCAUTOJOIN) !== 0) out.push('autojoin');
  return out;
}

/** The same flags as print_bool() writes them into the JSON object. */
export function addIfaFlagsJson(ifa: InIfaddr, x: Record<string, JsonValue>): void {
  for (const w of ifaFlagWords(ifa)) x[w] = true;
}

/** `valid_lft forever preferred_lft forever`, or the seconds (`valid_lft 3597sec …`). */
export function lifetimeText(ifa: InIfaddr): string {
  const w = (n: number): string => (n === FOREVER ? 'forever' : `${n}sec`);
  const l = ifa.lifetimes;
  return l === undefined ? 'valid_lft forever preferred_lft forever' : `valid_lft ${w(l.valid)} preferred_lft ${w(l.preferred)}`;
}

/** valid_life_time and preferred_life_time of the JSON object. */
export function addLifetimesJson(ifa: InIfaddr, x: Record<string, JsonValue>): void {
  x['valid_life_time'] = ifa.lifetimes?.valid ?? FOREVER;
  x['preferred_life_time'] = ifa.lifetimes?.preferred ?? FOREVER;
}

/** The gap a listing of a dynamic address names: its seconds left are the kernel clock's. */
export const DYNAMIC_ADDR_GAP = "the seconds left of a dynamic address's lifetimes (printed as the address last got them; the kernel counts them down)";
