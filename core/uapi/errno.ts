// The errnos the model returns as values (include/uapi/asm-generic/errno-base.h, errno.h), the
// glibc strerror() texts iproute2 prints for them, and a kernel error as a value (errno plus
// the extack message when the kernel sets one).

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
  | 'ELOOP'
  | 'ENFILE'
  | 'EAFNOSUPPORT'
  | 'EADDRINUSE';

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
  ENFILE: 'Too many open files in system',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
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
