// IPv4 addresses as unsigned 32-bit numbers (host order), and the prefix arithmetic
// the kernel does with __be32 and masks (inet_make_mask, inet_ifa_match).

/** An IPv4 address as an unsigned 32-bit integer, 192.0.2.1 = 0xc0000201. */
export type Ip4 = number;

/** Parses dotted-quad text; undefined when it is not exactly four decimal octets. */
export function parseIp4(text: string): Ip4 | undefined {
  // By character codes rather than split and a regex per octet: traces parse millions.
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      octet = octet * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || octet > 255 || ++dots > 3) return undefined;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return undefined;
  return (v * 256 + octet) >>> 0;
}

/** Formats as dotted quad. */
export function formatIp4(a: Ip4): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** The netmask of a prefix length (inet_make_mask): 24 -> 255.255.255.0. */
export function maskOf(len: number): number {
  return len <= 0 ? 0 : len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
}

/** addr AND mask(len). */
export function networkOf(addr: Ip4, len: number): Ip4 {
  return (addr & maskOf(len)) >>> 0;
}

/** The last address of a prefix: addr OR NOT mask. */
export function broadcastOf(addr: Ip4, len: number): Ip4 {
  return (addr | ~maskOf(len)) >>> 0;
}

/** Whether addr lies in prefix/len (inet_ifa_match). */
export function inPrefix(addr: Ip4, prefix: Ip4, len: number): boolean {
  return ((addr ^ prefix) & maskOf(len)) === 0;
}

/**
 * ipv4_is_zeronet() as Linux 6.18 has it: only 0.0.0.0. Since the IPv4 unicast extensions
 * (5.3, "Allow 0.0.0.0/8 as a valid address range") the rest of 0/8 is ordinary unicast:
 * fib_add_ifaddr() gives 0.1.2.3/16 its prefix and broadcast routes, and 0.1.0.9 can be
 * a gateway; an address whose prefix is 0.0.0.0 (0.0.0.5/8) still gets neither.
 */
export const isZeronet = (a: Ip4): boolean => a === 0;
/** ipv4_is_lbcast: 255.255.255.255. */
export const isLbcast = (a: Ip4): boolean => a === 0xffffffff;
/** ipv4_is_multicast: 224.0.0.0/4. */
export const isMulticast = (a: Ip4): boolean => a >>> 28 === 0xe;
/** ipv4_is_local_multicast: 224.0.0.0/24. */
export const isLocalMulticast = (a: Ip4): boolean => a >>> 8 === 0xe00000;
/** ipv4_is_loopback: 127.0.0.0/8. */
export const isLoopback = (a: Ip4): boolean => a >>> 24 === 127;

/** Text for a route destination as iproute2 prints it: default, A.B.C.D (/32) or A.B.C.D/len. */
export function formatPrefix(dst: Ip4, len: number): string {
  if (len === 0 && dst === 0) return 'default';
  return len === 32 ? formatIp4(dst) : `${formatIp4(dst)}/${len}`;
}
