// The namespace-wide net.ipv4 sysctls of the nexthop and multipath code
// (net/ipv4/sysctl_net_ipv4.c): nexthop_compat_mode and fib_multipath_use_neigh (0..1,
// proc_dou8vec_minmax), fib_multipath_hash_policy (0..3) and fib_multipath_hash_fields
// (1..FIB_MULTIPATH_HASH_FIELD_ALL_MASK, proc_fib_multipath_hash_fields). A value out of
// range is EINVAL and changes nothing.
//
// What they change here: nexthop_compat_mode=0 drops the nexthop of a route using a
// nexthop object from route dumps (fib_dump_info) — `ip route get` still resolves it. The
// others act only on packets or neighbour states: fib_multipath_use_neigh skips legs whose
// gateway's neighbour is known to be failed (none is, without packets), and the hash
// policy and fields change the flow hash, whose per-boot seed keeps it out of the model.

import type { Txn } from '../snapshot/txn.js';
import type { NetSysctlEvent } from '../events/sysctl.js';
import { kerr, type KernelError } from '../uapi/errno.js';

/** FIB_MULTIPATH_HASH_FIELD_ALL_MASK (outer and inner fields, 12 bits). */
const HASH_FIELD_ALL_MASK = 0xfff;

const RANGE: Readonly<Record<NetSysctlEvent['key'], readonly [number, number]>> = {
  nexthop_compat_mode: [0, 1],
  fib_multipath_use_neigh: [0, 1],
  fib_multipath_hash_policy: [0, 3],
  fib_multipath_hash_fields: [1, HASH_FIELD_ALL_MASK],
  // Other values are refused by the command layer (not modelled).
  disable_ipv6: [0, 1],
};

/** The sysctl write, or EINVAL when the value is out of the handler's range. */
export function netSysctlWrite(txn: Txn, e: NetSysctlEvent): KernelError | null {
  const [lo, hi] = RANGE[e.key];
  if (!Number.isInteger(e.value) || e.value < lo || e.value > hi) return kerr('EINVAL');
  if (txn.ipv4Sysctl[e.key] === e.value) return null;
  txn.ipv4Sysctl = { ...txn.ipv4Sysctl, [e.key]: e.value };
  return null;
}
