// Sysctl writes under net.ipv4: conf.{all,default,DEV}.KEY (devinet_conf_proc,
// devinet_sysctl_forward) and ip_forward.

import type { DevconfKey } from '../uapi/ip-devconf.js';

export type SysctlTarget = { readonly kind: 'all' } | { readonly kind: 'default' } | { readonly kind: 'dev'; readonly ifindex: number };

export interface SysctlEvent {
  readonly type: 'sysctl';
  readonly target: SysctlTarget;
  readonly key: DevconfKey;
  readonly value: number;
}

/** net.ipv4.ip_forward: the same switch as conf.all.forwarding. */
export interface IpForwardEvent {
  readonly type: 'ip-forward';
  readonly value: number;
}

/**
 * A namespace-wide net.ipv4 sysctl of the nexthop and multipath code (sysctl_net_ipv4.c),
 * or `disable_ipv6`: net.ipv6.conf.all.disable_ipv6, which addrconf_disable_ipv6() copies
 * to conf.default and to every device, so one value stands for the namespace.
 */
export interface NetSysctlEvent {
  readonly type: 'net-sysctl';
  readonly key: 'nexthop_compat_mode' | 'fib_multipath_use_neigh' | 'fib_multipath_hash_policy' | 'fib_multipath_hash_fields' | 'disable_ipv6';
  readonly value: number;
}

export type SysctlWriteEvent = SysctlEvent | IpForwardEvent | NetSysctlEvent;
