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
//
// Route notifications are built in route-notification.ts; the shared shape in
// _notification-base.ts.

import { canonicalIp6 } from '../net/ip6.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { Effect } from '../snapshot/effects.js';
import type { InIfaddr } from '../snapshot/net-device.js';
import type { FibRule } from '../events/rule.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { gotoTarget } from '../rules/fib-rules-lookup.js';
import { formatIp4, parseIp4 } from '../net/ip4.js';
import type { AddrRecord, NetconfRecord, NetlinkRecord, NexthopRecord, RuleRecord } from '../trace/netlink-records.js';
import { ruleOf, isProblem, type ResolveDev } from './record-events.js';
import { IFA_F_SECONDARY } from '../uapi/if-addr.js';
import { FIB_RULE_UNRESOLVED, IFA_F_NOPREFIXROUTE, type Notification } from './_notification-base.js';
import { routeFromModel, routeFromRecord } from './route-notification.js';

export type { Notification, NotificationKind } from './_notification-base.js';
export { routeFromModel, routeFromRecord } from './route-notification.js';

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
  if (o.gw6 !== undefined) return `via ${o.gw6} dev ${o.dev}`;
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
    const gw = r.gateway === undefined ? undefined : r.gateway.includes(':') ? (canonicalIp6(r.gateway) ?? r.gateway) : r.gateway;
    desc = `${gw === undefined ? '' : `via ${gw} `}dev ${d}`;
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
    case 'qdisc':
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
