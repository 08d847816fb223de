// struct flowi4: the key of a routing lookup.

import type { Ip4 } from './ip4.js';

export interface Flow {
  readonly daddr: Ip4;
  readonly saddr: Ip4;
  /** flowi4_tos / dscp byte as given (rules and routes mask it with 0x1c). */
  readonly tos: number;
  /** 0 when unset. */
  readonly oif: number;
  /** Output lookups have iif = lo (LOOPBACK_IFINDEX). */
  readonly iif: number;
  readonly mark: number;
  readonly uid: number;
  readonly proto: number;
  readonly sport: number;
  readonly dport: number;
  /** flowi4_scope: aliases whose scope is narrower (numerically smaller) are skipped. */
  readonly scope: number;
}

/** INET_DSCP_LEGACY_TOS_MASK: the tos bits output lookups compare (fib_dscp_masked_match). */
export const LEGACY_TOS_MASK = 0x1c;

export const LOOPBACK_IFINDEX = 1;

/** A flow with defaults for everything not given. */
export function makeFlow(f: Partial<Flow> & { daddr: Ip4 }): Flow {
  return {
    daddr: f.daddr,
    saddr: f.saddr ?? 0,
    tos: f.tos ?? 0,
    oif: f.oif ?? 0,
    iif: f.iif ?? LOOPBACK_IFINDEX,
    mark: f.mark ?? 0,
    uid: f.uid ?? 0,
    proto: f.proto ?? 0,
    sport: f.sport ?? 0,
    dport: f.dport ?? 0,
    scope: f.scope ?? 0,
  };
}
