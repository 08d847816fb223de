// The kernel's rules for device names (net/core/dev.c): dev_valid_name(), and
// dev_get_valid_name() with __dev_alloc_name(), which turns a name with one `%d` into the
// first free number ("veth%d" -> "veth0"). register_netdevice() and dev_change_name() call
// them, so a link add, a veth peer and a rename all get the same answer.

import { kerr, type KernelError } from '../uapi/errno.js';

/** IFNAMSIZ: 16 bytes with the terminating NUL. */
export const IFNAMSIZ = 16;

/** The limit of __dev_alloc_name()'s bitmap (max_netdevices: PAGE_SIZE * 8). */
const MAX_NETDEVICES = 32768;

const utf8 = new TextEncoder();

/** UTF-8 bytes of a name (TextEncoder, not Node's Buffer: the report page runs this model in a browser). */
export function byteLength(s: string): number {
  return utf8.encode(s).length;
}

/** dev_valid_name(): not empty, shorter than IFNAMSIZ, not "." or "..", no '/', ':' or C isspace(). */
export function devValidName(name: string): boolean {
  if (name === '' || byteLength(name) >= IFNAMSIZ) return false;
  if (name === '.' || name === '..') return false;
  return !/[/: \t\n\v\f\r]/.test(name);
}

/** snprintf(buf, IFNAMSIZ, pattern, i) for a pattern with one %d: cut to 15 bytes. */
function formatName(pattern: string, i: number): string {
  const full = utf8.encode(pattern.replace('%d', String(i)));
  return new TextDecoder().decode(full.subarray(0, IFNAMSIZ - 1));
}

/**
 * dev_get_valid_name(): the name a device registers (or is renamed) under, or the errno:
 * EINVAL for an invalid name or a `%` that is not one `%d`, EEXIST for a name in use,
 * ENFILE when every number of a `%d` pattern is taken.
 */
export function devGetValidName(name: string, inUse: (n: string) => boolean): string | KernelError {
  if (!devValidName(name)) return kerr('EINVAL');
  const p = name.indexOf('%');
  if (p < 0) return inUse(name) ? kerr('EEXIST') : name;
  if (name[p + 1] !== 'd' || name.indexOf('%', p + 2) >= 0) return kerr('EINVAL');
  for (let i = 0; i < MAX_NETDEVICES; i++) {
    const n = formatName(name, i);
    if (!inUse(n)) return n;
  }
  return kerr('ENFILE');
}

/**
 * sysctl_dev_name_is_allowed(): "all" and "default" are the names of the devconf
 * directories (net.ipv4.conf.all, .default), so a device cannot register its own under
 * them. devinet_sysctl_register() (inetdev_init() on NETDEV_REGISTER) refuses such a device
 * with EINVAL after register_netdevice() took its ifindex; on a rename (NETDEV_CHANGENAME)
 * inetdev_event() ignores the error, but addrconf_notify() does not when the device has an
 * IPv6 inet6_dev (hasInet6Dev(): lo, or an MTU of at least IPV6_MIN_MTU): dev_change_name() rolls back, EINVAL.
 */
export function sysctlDevNameIsAllowed(name: string): boolean {
  return name !== 'all' && name !== 'default';
}
