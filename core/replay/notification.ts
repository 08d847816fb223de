// Notifications in one comparable form, whether the model predicted them (a notified
// Effect) or a trace captured them (a record): what rtmsg_fib()/fib_dump_info(),
// rtmsg_ifa(), fib_nl_notify() (fib_rules.c), nexthop_notify() and
// inet_netconf_notify_devconf() would put in the message.
//
// Each notification has an identity (`id`: which object, and new or del) and attributes
// (`attrs`: what the message says about it). --check pairs captured and predicted
// notifications by identity and reports attributes that differ.
//
// | kind    | identity                                             | attributes                                        |
// | ------- | ---------------------------------------------------- | ------------------------------------------------- |
// | route   | op, table, prefix, tos, metric, type, nexthops (dev, gateway) or nhid | protocol, scope, prefsrc, flags (dead, linkdown, onlink per nexthop), weights |
// | addr    | op, ifindex, local, prefixlen                        | peer, broadcast, scope, label, secondary, noprefixroute, metric |
// | rule    | op, priority, selectors, action, table / goto        | unresolved                                        |
// | nexthop | op, id                                               | what it is (device and gateway, members, blackhole) |
// | netconf | ifindex (-1 all, -2 default), attribute               | value                                             |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import type { FibRule } from '../events/rule.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { aliasNexthops } from '../trie/fib-table-lookup.js';
import { gotoTarget } from '../rules/fib-rules-lookup.js';
import { RTN } from '../uapi/rtnetlink.js';
import { formatIp4, formatPrefix, parseIp4 } from '../net/ip4.js';
import type {
  AddrRecord, NetconfRecord, NetlinkRecord, NexthopRecord, RouteRecord, RuleRecord,
} from '../trace/netlink-records.js';
import { ruleOf, isProblem, type ResolveDev } from './record-events.js';
import { routeKeyOf } from './_route-key.js';
import { IFA_F_SECONDARY } from '../uapi/if-addr.js';

const RTNH_F_DEAD = 0x1;
const RTNH_F_ONLINK = 0x4;
const RTNH_F_LINKDOWN = 0x10;
const RTNH_MASK = RTNH_F_DEAD | RTNH_F_ONLINK | RTNH_F_LINKDOWN;
const FIB_RULE_UNRESOLVED = 0x4;
const IFA_F_NOPREFIXROUTE = 0x200;

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

function flagWords(f: number): string {
  const w: string[] = [];
  if ((f & RTNH_F_DEAD) !== 0) w.push('dead');
  if ((f & RTNH_F_ONLINK) !== 0) w.push('onlink');
  if ((f & RTNH_F_LINKDOWN) !== 0) w.push('linkdown');
  return w.join(',');
}

interface NhView {
  readonly dev: number;
  readonly gw: number | null;
  readonly weight: number;
  readonly flags: number;
}

type RouteParts = { table: number; dst: number; plen: number; tos: number; priority: number; type: string; protocol: number; scope: number; prefsrc: number; nhid: number; flags: number; nhs: readonly NhView[] };

/**
 * A route notification: attrs and text are only read for findings and reports, so they
 * are made on first use (a class, so that the getters live on the prototype).
 */
class RouteNotification implements Notification {
  readonly kind = 'route' as const;
  readonly attrKey: string;
  private attrsMemo: Record<string, string> | undefined;
  private textMemo: string | undefined;

  constructor(
    readonly op: 'new' | 'del',
    readonly id: string,
    private readonly p: RouteParts,
  ) {
    let k = `${p.protocol}|${p.scope}|${p.prefsrc}|${p.flags}`;
    for (let i = 0; i < p.nhs.length; i++) {
      const n = p.nhs[i] as NhView;
      k += `|${n.gw ?? '-'}:${n.dev}:${n.weight}:${n.flags}`;
    }
    this.attrKey = k;
  }

  get attrs(): Readonly<Record<string, string>> {
    return (this.attrsMemo ??= routeAttrs(this.p));
  }

  get text(): string {
    return (this.textMemo ??= routeText(this.op, this.p));
  }

  toJSON(): Omit<Notification, 'attrKey'> {
    return { kind: this.kind, op: this.op, id: this.id, attrs: this.attrs, text: this.text };
  }
}

function routeNotification(op: 'new' | 'del', p: RouteParts): Notification {
  return new RouteNotification(op, `route ${op} ${routeKeyOf(p.table, p.dst, p.plen, p.tos, p.priority, p.type, p.nhid, p.nhs)}`, p);
}

function routeAttrs(p: RouteParts): Record<string, string> {
  const attrs: Record<string, string> = {
    protocol: String(p.protocol),
    scope: String(p.scope),
    prefsrc: p.prefsrc === 0 ? '-' : formatIp4(p.prefsrc),
    flags: flagWords(p.flags),
  };
  p.nhs.forEach((n, i) => {
    attrs[`nexthop ${i + 1}`] = `${n.gw === null ? '' : `via ${formatIp4(n.gw)} `}dev ${n.dev} weight ${n.weight}${n.flags !== 0 ? ` ${flagWords(n.flags)}` : ''}`;
  });
  return attrs;
}

function routeText(op: 'new' | 'del', p: RouteParts): string {
  let text = `${op === 'del' ? 'Deleted ' : ''}${p.type !== 'unicast' ? `${p.type} ` : ''}${formatPrefix(p.dst, p.plen)}`;
  if (p.nhid !== 0) text += ` nhid ${p.nhid}`;
  if (p.tos !== 0) text += ` tos 0x${p.tos.toString(16)}`;
  if (p.nhs.length === 1) {
    const n = p.nhs[0] as NhView;
    if (n.gw !== null) text += ` via ${formatIp4(n.gw)}`;
    text += ` dev ${n.dev}`;
  } else if (p.nhs.length > 1) text += ` (${p.nhs.length} nexthops)`;
  text += ` table ${p.table}`;
  if (p.priority !== 0) text += ` metric ${p.priority}`;
  return text;
}

/** What the kernel would send for a route of the model (fib_dump_info(), compat-mode nexthop expansion). */
export function routeFromModel(s: FibSnapshot, r: FibRoute, op: 'new' | 'del'): Notification {
  const info = r.alias.info;
  const nhs = aliasNexthops(s, r.alias);
  let type: string = r.alias.type;
  let legs: NhView[] = [];
  if (nhs === 'blackhole') type = 'blackhole';
  else {
    legs = nhs.map((nh, i) => {
      const own = info.nhs[i];
      let f = 0;
      if (nh.dead || (nh.linkdown && ignoreLinkdown(s, nh.dev))) f |= RTNH_F_DEAD;
      if (nh.linkdown) f |= RTNH_F_LINKDOWN;
      if (own?.onlink === true) f |= RTNH_F_ONLINK;
      return { dev: nh.dev, gw: nh.gw, weight: nh.weight, flags: f };
    });
  }
  // fib_dump_info(): RTA_MULTIPATH only when fib_info_num_path() > 1.
  const multipath = (info.multipath || (info.nhid !== 0 && s.nexthops.get(info.nhid)?.kind === 'group')) && legs.length > 1;
  let flags = 0;
  if (legs.length === 1 && !multipath) flags = (legs[0] as NhView).flags;
  else if (legs.length > 0) {
    // A multipath route carries LINKDOWN/DEAD only when every nexthop has it.
    if (legs.every((l) => (l.flags & RTNH_F_DEAD) !== 0)) flags |= RTNH_F_DEAD;
    if (legs.every((l) => (l.flags & RTNH_F_LINKDOWN) !== 0)) flags |= RTNH_F_LINKDOWN;
  }
  if (!multipath) legs = legs.map((l) => ({ ...l, weight: 1 }));
  return routeNotification(op, {
    table: r.table,
    dst: r.dst,
    plen: r.plen,
    tos: r.alias.tos,
    priority: info.priority,
    type,
    protocol: info.protocol,
    scope: info.scope,
    prefsrc: info.prefsrc,
    nhid: info.nhid,
    flags,
    nhs: legs,
  });
}

/** RTN_* number to name, built once. */
const RTN_NAMES = new Map<number, string>(Object.entries(RTN).map(([k, v]) => [v, k]));

function typeName(n: number): string {
  return RTN_NAMES.get(n) ?? `type ${n}`;
}

/** A captured route notification; null when it names a device the replay does not know. */
export function routeFromRecord(r: RouteRecord, resolve: ResolveDev): Notification | null {
  const devOf = (i: number | undefined, name: string | undefined): number | null => {
    if (i !== undefined) return i;
    if (name === undefined) return 0;
    return resolve(name) ?? null;
  };
  const type = typeName(r.type);
  let legs: NhView[] = [];
  if (type !== 'blackhole') {
    if (r.multipath !== undefined) {
      for (const l of r.multipath) {
        const d = devOf(l.ifindex, l.dev);
        if (d === null) return null;
        legs.push({ dev: d, gw: l.gateway === undefined ? null : (parseIp4(l.gateway) ?? null), weight: l.hops + 1, flags: l.flags & RTNH_MASK });
      }
    } else {
      const d = devOf(r.oif, r.dev);
      if (d === null) return null;
      const gw = r.gateway === undefined ? null : (parseIp4(r.gateway) ?? null);
      if (d !== 0 || gw !== null) legs = [{ dev: d, gw, weight: 1, flags: r.flags & RTNH_MASK }];
    }
  }
  return routeNotification(r.op, {
    table: r.table,
    dst: r.dst === undefined ? 0 : (parseIp4(r.dst) ?? 0),
    plen: r.dstLen,
    tos: r.tos,
    priority: r.priority ?? 0,
    type,
    protocol: r.protocol,
    scope: r.scope,
    prefsrc: r.prefsrc === undefined ? 0 : (parseIp4(r.prefsrc) ?? 0),
    nhid: r.nhId ?? 0,
    flags: r.flags & RTNH_MASK,
    nhs: legs,
  });
}

function addrNotification(op: 'new' | 'del', ifindex: number, a: InIfaddr): Notification {
  return {
    kind: 'addr',
    op,
    id: `addr ${op} ${ifindex} ${formatIp4(a.local)}/${a.prefixlen}`,
    attrs: {
      peer: formatIp4(a.address),
      broadcast: a.broadcast === 0 ? '-' : formatIp4(a.broadcast),
      scope: String(a.scope),
      label: a.label,
      secondary: String(a.secondary),
      noprefixroute: String(a.noprefixroute),
      metric: String(a.metric),
    },
    text: `${op === 'del' ? 'Deleted ' : ''}${ifindex}: inet ${formatIp4(a.local)}/${a.prefixlen}${a.secondary ? ' secondary' : ''} ${a.label}`,
  };
}

/** A captured address notification. */
export function addrFromRecord(r: AddrRecord, ifindex: number): Notification | null {
  const local = parseIp4(r.local ?? r.address ?? '');
  if (local === undefined) return null;
  return addrNotification(r.op, ifindex, {
    local,
    address: parseIp4(r.address ?? '') ?? local,
    prefixlen: r.prefixlen,
    broadcast: parseIp4(r.broadcast ?? '') ?? 0,
    scope: r.scope,
    label: r.label ?? '',
    metric: r.rtPriority ?? 0,
    secondary: (r.flags & IFA_F_SECONDARY) !== 0,
    noprefixroute: (r.flags & IFA_F_NOPREFIXROUTE) !== 0,
    extraFlags: 0,
  });
}

function ruleId(op: 'new' | 'del', r: FibRule): string {
  const sel = [
    r.priority, r.not ? 'not' : '', `${formatIp4(r.src)}/${r.srcLen}`, `${formatIp4(r.dst)}/${r.dstLen}`, r.tos,
    r.fwmark, r.iifName ?? '', r.oifName ?? '', r.action, r.table, r.gotoTarget,
  ];
  return `rule ${op} ${sel.join(' ')}`;
}

function ruleNotification(op: 'new' | 'del', r: FibRule, unresolved: boolean): Notification {
  return {
    kind: 'rule',
    op,
    id: ruleId(op, r),
    attrs: { unresolved: String(unresolved) },
    text: `${op === 'del' ? 'Deleted ' : ''}${r.priority}: ${r.action}${r.action === 'lookup' ? ` ${r.table}` : r.action === 'goto' ? ` ${r.gotoTarget}` : ''}`,
  };
}

/** A captured rule notification. */
export function ruleFromRecord(r: RuleRecord): Notification | null {
  const rule = ruleOf(r);
  if (isProblem(rule)) return null;
  return ruleNotification(r.op, rule, (r.flags & FIB_RULE_UNRESOLVED) !== 0);
}

function nexthopDesc(o: NexthopObject): string {
  if (o.kind === 'blackhole') return 'blackhole';
  if (o.kind === 'group') return `group ${o.members.map((m) => `${m.id},${m.weight}`).join('/')}`;
  return `${o.gw === null ? '' : `via ${formatIp4(o.gw)} `}dev ${o.dev}`;
}

function nexthopNotification(op: 'new' | 'del', id: number, desc: string): Notification {
  return { kind: 'nexthop', op, id: `nexthop ${op} ${id}`, attrs: { object: desc }, text: `${op === 'del' ? 'Deleted ' : ''}id ${id} ${desc}` };
}

/** A captured nexthop notification. */
export function nexthopFromRecord(r: NexthopRecord, resolve: ResolveDev): Notification | null {
  let desc: string;
  if (r.group !== undefined) desc = `group ${r.group.map((m) => `${m.id},${m.weight}`).join('/')}`;
  else if (r.blackhole) desc = 'blackhole';
  else {
    const d = r.oif ?? (r.dev !== undefined ? resolve(r.dev) : 0);
    if (d === undefined) return null;
    desc = `${r.gateway === undefined ? '' : `via ${r.gateway} `}dev ${d}`;
  }
  return nexthopNotification(r.op, r.id, desc);
}

const NETCONF_ATTR: Readonly<Record<string, string>> = {
  forwarding: 'forwarding',
  rp_filter: 'rp_filter',
  proxy_arp: 'proxy_neigh',
  ignore_routes_with_linkdown: 'ignore_routes_with_linkdown',
  bc_forwarding: 'bc_forwarding',
  mc_forwarding: 'mc_forwarding',
};

function netconfNotification(target: number, attr: string, value: number): Notification {
  const name = target === -1 ? 'all' : target === -2 ? 'default' : String(target);
  return { kind: 'netconf', op: 'new', id: `netconf ${name} ${attr}`, attrs: { value: String(value) }, text: `inet ${name} ${attr} ${value}` };
}

/** The single-attribute notifications a partial RTM_NEWNETCONF stands for (one per attribute). */
export function netconfFromRecord(r: NetconfRecord, target: number): Notification[] {
  const out: Notification[] = [];
  const add = (attr: string, v: number | undefined): void => {
    if (v !== undefined) out.push(netconfNotification(target, attr, v));
  };
  add('forwarding', r.forwarding);
  add('rp_filter', r.rpFilter);
  add('proxy_neigh', r.proxyNeigh);
  add('ignore_routes_with_linkdown', r.ignoreRoutesWithLinkdown);
  add('bc_forwarding', r.bcForwarding);
  return out;
}

/**
 * The notifications the model predicts for one event's effects: the notified ones, in
 * order. `before` and `after` are the snapshots around the event (deletions are
 * described as they were, additions as they are).
 */
export function predictedNotifications(before: FibSnapshot, after: FibSnapshot, effects: readonly Effect[]): Notification[] {
  const out: Notification[] = [];
  for (const e of effects) {
    if (!e.notified) continue;
    switch (e.kind) {
      case 'route-add':
      case 'route-replace':
        out.push(routeFromModel(after, e.route, 'new'));
        break;
      case 'route-del':
        out.push(routeFromModel(before, e.route, 'del'));
        break;
      case 'addr-add':
      case 'addr-del':
        out.push(addrNotification(e.kind === 'addr-add' ? 'new' : 'del', e.ifindex, e.addr));
        break;
      case 'rule-add':
        out.push(ruleNotification('new', e.rule, e.rule.action === 'goto' && gotoTarget(after.rules, e.rule) === null));
        break;
      case 'rule-del':
        out.push(ruleNotification('del', e.rule, false));
        break;
      case 'nexthop-add':
      case 'nexthop-del':
        out.push(nexthopNotification(e.kind === 'nexthop-add' ? 'new' : 'del', e.nexthop.id, nexthopDesc(e.nexthop)));
        break;
      case 'netconf': {
        const attr = NETCONF_ATTR[e.key];
        if (attr === undefined) break;
        const target = e.target === 'all' ? -1 : e.target === 'default' ? -2 : deviceIndexByName(after, e.target) ?? deviceIndexByName(before, e.target);
        if (target === undefined) break;
        out.push(netconfNotification(target, attr, e.value));
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function deviceIndexByName(s: FibSnapshot, name: string): number | undefined {
  for (const d of s.devices.values()) if (d.name === name) return d.ifindex;
  return undefined;
}

/** A captured record as notifications (several for a netconf record), or [] when it cannot be compared. */
export function recordNotifications(r: NetlinkRecord, resolve: ResolveDev, ifindexOf: (r: AddrRecord) => number, netconfTargetOf: (r: NetconfRecord) => number | undefined): Notification[] {
  switch (r.kind) {
    case 'route': {
      const n = routeFromRecord(r, resolve);
      return n === null ? [] : [n];
    }
    case 'addr': {
      const n = addrFromRecord(r, ifindexOf(r));
      return n === null ? [] : [n];
    }
    case 'rule': {
      const n = ruleFromRecord(r);
      return n === null ? [] : [n];
    }
    case 'nexthop': {
      const n = nexthopFromRecord(r, resolve);
      return n === null ? [] : [n];
    }
    case 'netconf': {
      if (r.op === 'del') return [];
      const t = netconfTargetOf(r);
      return t === undefined ? [] : netconfFromRecord(r, t);
    }
    case 'link':
      return [];
  }
}

/** The attributes that differ between a captured and a predicted notification. */
export function attrDiff(captured: Notification, predicted: Notification): string[] {
  if (captured.attrKey !== undefined && captured.attrKey === predicted.attrKey) return [];
  const keys = new Set([...Object.keys(captured.attrs), ...Object.keys(predicted.attrs)]);
  const out: string[] = [];
  for (const k of keys) {
    const a = captured.attrs[k];
    const b = predicted.attrs[k];
    if (a !== b) out.push(`${k}: captured ${a ?? '(none)'}, model ${b ?? '(none)'}`);
  }
  return out;
}
