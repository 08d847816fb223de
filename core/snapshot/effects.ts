// What an event did to the FIB, each change with the kernel mechanism behind it and
// whether `ip monitor` would see it (notified) or not (silent).

import type { FibInfo, FibRoute } from './fib-info.js';
import type { FibRule } from '../events/rule.js';
import type { InIfaddr } from './net-device.js';
import type { NexthopObject } from './nexthop-object.js';
import type { FibTable } from './fib-table.js';

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

/**
 * What a device event did to the routes of one table that share one fib_info, as the
 * kernel does it (fib_sync_down_dev(), fib_sync_up() and fib_sync_down_addr() change the
 * fib_info once; fib_flush() deletes the routes whose fib_info died): one change per
 * fib_info, however many routes use it. Its routes are listed on demand (info-changes.ts:
 * expandChanges(), changeRoutes()), each as the route-flags or route-del effect it stands for.
 */
export interface InfoChange {
  /** info-flags: the info's nexthop flags changed; info-flush: its routes were deleted. */
  readonly kind: 'info-flags' | 'info-flush';
  readonly table: number;
  /** The table before the change (its routes and their flags). */
  readonly before: FibTable;
  /** The table after it. */
  readonly after: FibTable;
  /** The fib_info as the routes were stored with it (the key of the table's versions). */
  readonly stored: FibInfo;
  /** The info the routes read before (info-flush: the dead info deleted). */
  readonly old: FibInfo;
  /** The info they read after (info-flush: the same as old). */
  readonly info: FibInfo;
  readonly cause: EffectCause;
  /** info-flush: 6.6+ announces the routes killed by fib_sync_down_addr (RTM_DELROUTE). */
  readonly notified: boolean;
  /** Set when the change was made by an in-place edit: its routes can be listed only until the edit moves on. */
  readonly edit: { readonly steps: number; readonly owner: { readonly steps: number } } | null;
}

/** What the reducer records: effects, and per-fib_info changes that stand for many route effects. */
export type Change = Effect | InfoChange;

/** Whether a change stands for a group of route effects. */
export function isInfoChange(c: Change): c is InfoChange {
  return c.kind === 'info-flags' || c.kind === 'info-flush';
}
