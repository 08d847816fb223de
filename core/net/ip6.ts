// IPv6 addresses as text, for the IPv6 gateways of IPv4 routes (RTA_VIA, `via inet6
// fe80::1`; nexthop objects of family AF_INET6). The model does not route IPv6: it keeps
// such a gateway as the canonical text inet_ntop() gives (RFC 5952: lower case, leading
// zeros dropped, the longest run of two or more zero groups as `::`, the first of equal
// runs; an IPv4-mapped tail as a dotted quad), which is what iproute2 prints. Two spellings
// of one address compare equal after canonicalIp6().

/** The eight 16-bit groups of an IPv6 address, or undefined when the text is not one. */
export function parseIp6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length < 2) return undefined;
  let head = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted !== null) {
    const q = (dotted[2] as string).split('.').map(Number);
    if (q.some((x) => x > 255 || !Number.isInteger(x))) return undefined;
    tail.push(((q[0] as number) << 8) | (q[1] as number), ((q[2] as number) << 8) | (q[3] as number));
    head = (dotted[1] as string).endsWith('::') ? (dotted[1] as string) : (dotted[1] as string).slice(0, -1);
  }
  const parts = head.split('::');
  if (parts.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const a = groups(parts[0] as string);
  const b = parts.length === 2 ? groups(parts[1] as string) : [];
  if (a === undefined || b === undefined) return undefined;
  const given = a.length + b.length + tail.length;
  if (parts.length === 1) return given === 8 ? [...a, ...tail] : undefined;
  if (given > 7) return undefined;
  return [...a, ...new Array<number>(8 - given).fill(0), ...b, ...tail];
}

/** inet_ntop(AF_INET6): RFC 5952 text of eight groups. */
export function formatIp6(g: readonly number[]): string {
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form print a dotted tail.
  const dottedTail = (): string => `${(g[6] as number) >> 8}.${(g[6] as number) & 255}.${(g[7] as number) >> 8}.${(g[7] as number) & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${dottedTail()}`;
  // glibc's inet_ntop6(): a leading zero run of exactly six groups (IPv4-compatible).
  if (g.slice(0, 6).every((x) => x === 0) && g[6] !== 0) return `::${dottedTail()}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: readonly number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** The canonical text of an IPv6 address, or undefined when the text is not one. */
export function canonicalIp6(text: string): string | undefined {
  const g = parseIp6(text);
  return g === undefined ? undefined : formatIp6(g);
}

/** Whether an address is link-local (fe80::/10), which a gateway needs a device for. */
export function isLinkLocal6(text: string): boolean {
  const g = parseIp6(text);
  return g !== undefined && ((g[0] as number) & 0xffc0) === 0xfe80;
}

/**
 * __ipv6_addr_type() reduced to what a gateway check asks (ip6_validate_gw()): `any` (::),
 * `multicast` (ff00::/8), `linklocal` (fe80::/10), `loopback` (::1), `mapped`
 * (::ffff:0:0/96, not IPV6_ADDR_UNICAST), or any other `unicast`.
 */
export type Ip6GwType = 'any' | 'multicast' | 'linklocal' | 'loopback' | 'mapped' | 'unicast';

export function ip6GwType(text: string): Ip6GwType {
  const g = parseIp6(text);
  if (g === undefined) throw new RangeError(`not an IPv6 address: ${text}`);
  const g0 = g[0] as number;
  if ((g0 & 0xe000) !== 0 && (g0 & 0xe000) !== 0xe000) return 'unicast';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 & 0xffc0) === 0xfe80) return 'linklocal';
  if (g.slice(0, 5).every((x) => x === 0)) {
    if (g[5] === 0 && g[6] === 0 && g[7] === 0) return 'any';
    if (g[5] === 0 && g[6] === 0 && g[7] === 1) return 'loopback';
    if (g[5] === 0xffff) return 'mapped';
  }
  return 'unicast';
}

/**
 * The first 32 bits of an IPv6 address as an IPv4 address: what an IPv4 fib_nh's
 * fib_nh_gw4 reads when its gateway is IPv6 (nhc_gw is a union of __be32 ipv4 and struct
 * in6_addr ipv6), so what fib_info_update_nhc_saddr() passes to inet_select_addr().
 */
export function ip6Head4(text: string): number {
  const g = parseIp6(text);
  if (g === undefined) throw new RangeError(`not an IPv6 address: ${text}`);
  return (((g[0] as number) << 16) | (g[1] as number)) >>> 0;
}
