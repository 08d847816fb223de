// Sysctl writes under net.ipv4: conf.{all,default,DEV}.KEY (devinet_conf_proc,
// devinet_sysctl_forward) and ip_forward.

import type { DevconfKey } from '../uapi/ip-devconf.js';

export type SysctlTarget = { readonly kind: 'all' } | { readonly kind: 'default' } | { readonly kind: 'dev'; readonly ifindex: number };

export interface SysctlEvent {
  readonly type: 'sysctl';
  readonly target: SysctlTarget;
  readonly key: DevconfKey;
  readonly value: number;
  /**
   * A value read from the kernel (an imported dump, a trace's IFLA_INET_CONF), not a write:
   * the model learns it (no longer unknown) and nothing else happens (no set mark, no copy
   * from default, no notification).
   */
  readonly observed?: true;
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

/**
 * The start of an imported state (a host's dump, a trace): every IPv4 devconf value of
 * conf/all, conf/default and the devices that exist, and their set bits, are unknown until
 * a value is seen (an observed SysctlEvent). Not a kernel event: what the model knows.
 */
export interface DevconfUnknownEvent {
  readonly type: 'devconf-unknown';
}

export type SysctlWriteEvent = SysctlEvent | IpForwardEvent | NetSysctlEvent | DevconfUnknownEvent;
