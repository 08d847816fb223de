// Numeric encodings from include/uapi/linux/rtnetlink.h and fib_rules.h, kept as the
// kernel has them so that comparisons read like the kernel's (RT_SCOPE_LINK = 253).

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RT_TABLE_UNSPEC = 0;
export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RTPROT_UNSPEC = 0;
export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

/** Route types (enum rtm_type), the strings iproute2 prints for them. */
export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat';

/** RTN_* numbers, for JSON logs and netlink traces. */
export const RTN: Readonly<Record<RouteType, number>> = {
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
};

/** Errnos the model returns as values (asm-generic/errno-base.h, errno.h). */
export type Errno =
  | 'EPERM'
  | 'ENOENT'
  | 'ESRCH'
  | 'ENODEV'
  | 'EINVAL'
  | 'EEXIST'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EACCES'
  | 'ENETDOWN'
  | 'EADDRNOTAVAIL'
  | 'ENOBUFS'
  | 'EAGAIN'
  | 'EOPNOTSUPP'
  | 'ERANGE'
  | 'EBUSY'
  | 'EOVERFLOW'
  | 'ENOTCONN'
  | 'ELOOP';

/** strerror() texts of glibc, as iproute2 prints them after "RTNETLINK answers: ". */
export const STRERROR: Readonly<Record<Errno, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EEXIST: 'File exists',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EACCES: 'Permission denied',
  ENETDOWN: 'Network is down',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENOBUFS: 'No buffer space available',
  EAGAIN: 'Resource temporarily unavailable',
  EOPNOTSUPP: 'Operation not supported',
  ERANGE: 'Numerical result out of range',
  EBUSY: 'Device or resource busy',
  EOVERFLOW: 'Value too large for defined data type',
  ENOTCONN: 'Transport endpoint is not connected',
  ELOOP: 'Too many levels of symbolic links',
};

/** A kernel error as a value: the errno and, when the kernel sets one, its extack message. */
export interface KernelError {
  readonly errno: Errno;
  readonly extack?: string;
}

/** Builds a KernelError. */
export function kerr(errno: Errno, extack?: string): KernelError {
  return extack === undefined ? { errno } : { errno, extack };
}

/** fib_props[type].error: what a lookup that hits an alias of this type returns. */
export function fibPropsError(type: RouteType): Errno | null {
  switch (type) {
    case 'blackhole':
      return 'EINVAL';
    case 'unreachable':
      return 'EHOSTUNREACH';
    case 'prohibit':
      return 'EACCES';
    case 'throw':
      return 'EAGAIN';
    case 'nat':
      return 'EINVAL';
    default:
      return null;
  }
}

/** fib_props[type].scope: the narrowest scope a route of this type may have. */
export function fibPropsScope(type: RouteType): number {
  switch (type) {
    case 'local':
      return RT_SCOPE_HOST;
    case 'broadcast':
    case 'anycast':
      return RT_SCOPE_LINK;
    case 'nat':
      return RT_SCOPE_NOWHERE;
    default:
      return RT_SCOPE_UNIVERSE;
  }
}
