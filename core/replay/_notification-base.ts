// What every notification has (see notification.ts): its kind, identity and attributes,
// and the flag bits the messages carry (RTNH_F_*, FIB_RULE_UNRESOLVED, IFA_F_NOPREFIXROUTE).
// Internal to notification.ts and route-notification.ts.

export const RTNH_F_DEAD = 0x1;
export const RTNH_F_ONLINK = 0x4;
export const RTNH_F_LINKDOWN = 0x10;
export const RTNH_MASK = RTNH_F_DEAD | RTNH_F_ONLINK | RTNH_F_LINKDOWN;
export const FIB_RULE_UNRESOLVED = 0x4;
export const IFA_F_NOPREFIXROUTE = 0x200;

export type NotificationKind = 'route' | 'addr' | 'rule' | 'nexthop' | 'netconf';

/** One notification, predicted or captured. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly op: 'new' | 'del';
  /** Identity: kind, op and the object. */
  readonly id: string;
  /** Attribute name to printed value. */
  readonly attrs: Readonly<Record<string, string>>;
  /** A short `ip monitor`-like description for reports. */
  readonly text: string;
  /**
   * The attributes in a compact form, when the kind has one: equal keys mean equal attrs
   * (attrDiff's fast path; a replay with --check compares a million of them).
   */
  readonly attrKey?: string;
}
