// ip's global options that change output (ip.c): -4, -f, -j, -p, -o, -d, -s.

export interface GlobalOptions {
  /** preferred_family: 'packet' for -0 / -f link, 'other' for -M / -B / -f mpls|bridge. */
  readonly family: 'inet' | 'any' | 'inet6' | 'packet' | 'other';
  readonly json: boolean;
  readonly pretty: boolean;
  readonly oneline: boolean;
  readonly details: boolean;
  /** -brief (print_linkinfo_brief(), brief print_addrinfo()). */
  readonly brief?: boolean;
  /** show_stats: how many -s were given. */
  readonly stats?: number;
}
