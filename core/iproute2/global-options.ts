// ip's global options that change output (ip.c): -4, -j, -p, -o, -d, -s.

export interface GlobalOptions {
  readonly family: 'inet' | 'any' | 'inet6' | 'other';
  readonly json: boolean;
  readonly pretty: boolean;
  readonly oneline: boolean;
  readonly details: boolean;
}
