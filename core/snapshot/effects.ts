// What an event did to the FIB, each change with the kernel mechanism behind it and
// whether `ip monitor` would see it (notified) or not (silent).

import type { FibRoute } from './fib-info.js';
import type { FibRule } from '../events/rule.js';
import type { InIfaddr } from './net-device.js';
import type { NexthopObject } from './nexthop-object.js';

/** The kernel function that made the change, for --explain and trace matching. */
export type EffectCause =
  | 'fib_table_insert'
  | 'fib_table_delete'
  | 'fib_magic'
  | 'fib_flush'
  | 'fib_sync_down_dev'
  | 'fib_sync_up'
  | 'fib_sync_down_addr'
  | 'fib_disable_ip'
  | 'fib_nl_newrule'
  | 'fib_nl_delrule'
  | 'fib_rules_event'
  | 'inet_insert_ifa'
  | 'inet_del_ifa'
  | 'inetdev_event'
  | 'nexthop_flush_dev'
  | 'rtm_new_nexthop'
  | 'rtm_del_nexthop'
  | 'devinet_conf_proc'
  | 'devinet_copy_dflt_conf'
  | 'inet_forward_change'
  | 'fib_new_table';

export type Effect =
  | { readonly kind: 'route-add'; readonly route: FibRoute; readonly cause: EffectCause; readonly notified: boolean }
  | { readonly kind: 'route-del'; readonly route: FibRoute; readonly cause: EffectCause; readonly notified: boolean }
  | {
      readonly kind: 'route-replace';
      readonly route: FibRoute;
      readonly old: FibRoute;
      readonly cause: EffectCause;
      readonly notified: boolean;
    }
  | {
      readonly kind: 'route-flags';
      readonly route: FibRoute;
      readonly old: FibRoute;
      readonly cause: EffectCause;
      readonly notified: false;
    }
  | { readonly kind: 'table-create'; readonly table: number; readonly cause: EffectCause; readonly notified: false }
  | { readonly kind: 'rule-add' | 'rule-del'; readonly rule: FibRule; readonly cause: EffectCause; readonly notified: boolean }
  | {
      readonly kind: 'rule-detach' | 'rule-attach';
      readonly rule: FibRule;
      readonly dev: string;
      readonly cause: EffectCause;
      readonly notified: false;
    }
  | {
      readonly kind: 'addr-add' | 'addr-del';
      readonly ifindex: number;
      readonly addr: InIfaddr;
      readonly cause: EffectCause;
      readonly notified: boolean;
    }
  | {
      readonly kind: 'nexthop-add' | 'nexthop-del';
      readonly nexthop: NexthopObject;
      readonly cause: EffectCause;
      readonly notified: boolean;
    }
  | {
      readonly kind: 'netconf';
      readonly target: string;
      readonly key: string;
      readonly value: number;
      readonly cause: EffectCause;
      readonly notified: boolean;
    }
  | {
      readonly kind: 'link';
      readonly ifindex: number;
      readonly change: 'add' | 'del' | 'up' | 'down' | 'carrier-on' | 'carrier-off' | 'rename' | 'master';
      readonly cause: EffectCause;
      readonly notified: boolean;
    };
