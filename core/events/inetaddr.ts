// Address events: RTM_NEWADDR / RTM_DELADDR as iproute2 sends them for `ip address`.

import type { Ip4 } from '../net/ip4.js';

/** `ip address add|replace LOCAL[/LEN] [peer P] [brd B] [scope S] [label L] [metric M] [noprefixroute] dev D`. */
export interface AddrAddEvent {
  readonly type: 'addr-add';
  readonly ifindex: number;
  readonly local: Ip4;
  /** IFA_ADDRESS: the peer; equal to local when no peer was given. */
  readonly address: Ip4;
  readonly prefixlen: number;
  /** 0 for none. */
  readonly broadcast: Ip4;
  readonly scope: number;
  /** Defaults to the device name. */
  readonly label?: string;
  readonly metric: number;
  readonly noprefixroute: boolean;
  /** NLM_F_REPLACE (`ip address replace`): an existing address is updated instead of EEXIST. */
  readonly replace: boolean;
  /** IFA_CACHEINFO's valid and preferred lifetimes in seconds; absent: forever (a permanent address). */
  readonly lifetimes?: { readonly valid: number; readonly preferred: number };
}

/** `ip address del …`: deletes the first address matching every given field (inet_rtm_deladdr). */
export interface AddrDelEvent {
  readonly type: 'addr-del';
  readonly ifindex: number;
  /** IFA_LOCAL, when given. */
  readonly local?: Ip4;
  /** IFA_ADDRESS, when given: must be in the address's subnet with prefixlen equal. */
  readonly address?: Ip4;
  readonly prefixlen: number;
  readonly label?: string;
  /**
   * What inet_del_ifa() was seen doing with a deleted primary's secondaries (true: the first
   * promoted), where promote_secondaries is not known (an imported state): a replay infers
   * it from the records that follow. Ignored where the model knows the value.
   */
  readonly promote?: boolean;
}

export type InetaddrEvent = AddrAddEvent | AddrDelEvent;
