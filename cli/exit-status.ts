// The exit statuses of every kfib command, in one place (the README's "Exit statuses").
// The numbers follow sysexits.h where one fits: 70 EX_SOFTWARE, 74 EX_IOERR.

export const EXIT = {
  /** Done; every line was modelled (whatever the modelled commands' own exit codes). */
  ok: 0,
  /** A difference was found: model against kernel, a --check finding, a failed property. */
  differs: 1,
  /** Bad usage or bad input, or something outside the model ("kfib: not modelled: …"). */
  usage: 2,
  /** `kfib replay`: replayed, but with named gaps (IPv4 FIB content the model did not represent). */
  gaps: 3,
  /** A bug in kfib (an exception that is not an I/O error): "kfib: internal error: …". */
  software: 70,
  /** Reading or writing a file failed while working (disk full, permission): the path is named. */
  ioerr: 74,
} as const;
