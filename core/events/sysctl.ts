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

export type SysctlWriteEvent = SysctlEvent | IpForwardEvent;
