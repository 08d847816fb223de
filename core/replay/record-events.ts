// From a captured notification to the request that would cause it: RTM_NEWROUTE to a
// route-new event with the op its nlmsg_flags name, RTM_DELADDR to addr-del, a partial
// RTM_NEWNETCONF to a sysctl write, an RTM_NEWLINK to the link-add / link-set /
// link-carrier / link-del events that take the model's device to the state it reports.
//
// Mirrors the request side of inet_rtm_newroute()/rtm_to_fib_config(), inet_rtm_newaddr(),
// fib_nl_newrule()/fib4_rule_configure(), rtm_new_nexthop(), devinet_conf_proc() and
// do_setlink(). Devices are ifindexes in binary traces; text traces name them, and the
// caller resolves names (`ResolveDev`).
//
// | notification                  | event(s)                                                     |
// | ----------------------------- | ------------------------------------------------------------ |
// | RTM_NEWROUTE                  | route-new: EXCL|CREATE add, REPLACE|CREATE replace, REPLACE change, CREATE|APPEND append, CREATE prepend; text: add, or replace when the (table, prefix, tos, metric) group exists |
// | RTM_DELROUTE                  | route-del naming every attribute                             |
// | RTM_NEWADDR / RTM_DELADDR     | addr-add (replace when the address exists) / addr-del        |
// | RTM_NEWRULE / RTM_DELRULE     | rule-add with the given priority / rule-del                  |
// | RTM_NEWNEXTHOP / DELNEXTHOP   | nexthop-add (replace when it exists or REPLACE) / nexthop-del|
// | RTM_NEWNETCONF                | one sysctl write per attribute whose value differs            |
// | RTM_NEWLINK                   | link-add when new; rename; carrier before admin-up, admin-down before carrier; group; IFLA_INET_CONF values as sysctl writes |
// | RTM_DELLINK (AF_UNSPEC)       | link-del                                                     |

import type { FibEvent } from '../events/fib-event.js';
import type { NexthopSpec, RouteConfig, RouteDelConfig, RouteOp } from '../events/route.js';
import type { SysctlEvent, SysctlTarget } from '../events/sysctl.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibRule, RuleAction } from '../events/rule.js';
import type { DevconfKey } from '../uapi/ip-devconf.js';
import { RTN, type RouteType } from '../uapi/rtnetlink.js';
import { parseIp4, type Ip4 } from '../net/ip4.js';
import { tableAliases } from '../snapshot/fib-table.js';
import { RTAX_CC_ALGO, type MetricAttr } from '../uapi/rtax.js';
import { RTAX_NAMES } from '../uapi/rt-names.js';
import type {
  AddrRecord, LinkRecord, NetconfRecord, NexthopRecord, RouteNexthop, RouteRecord, RuleRecord,
} from '../trace/netlink-records.js';

/** Resolves a device name of a text trace to an ifindex. */
export type ResolveDev = (name: string) => number | undefined;

/** A conversion that could not be done: the record names something the model lacks. */
export class Unconvertible {
  constructor(readonly problem: string) {}
}

const NLM_F_REPLACE = 0x100;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLM_F_APPEND = 0x800;
const RTNH_F_ONLINK = 0x4;
const IFA_F_NOPREFIXROUTE = 0x200;
const FIB_RULE_INVERT = 0x2;
const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const IFF_LOWER_UP = 0x10000;

const RTN_BY_NUMBER: ReadonlyMap<number, RouteType> = new Map(Object.entries(RTN).map(([k, v]) => [v, k as RouteType]));

/** rtm_type number to the model's route type. */
export function routeTypeOf(n: number): RouteType | undefined {
  return RTN_BY_NUMBER.get(n);
}

/** Dotted quad to a number (null when absent or malformed). */
function ip(text: string | undefined): Ip4 | null {
  return text === undefined ? null : (parseIp4(text) ?? null);
}

function dev(ifindex: number | undefined, name: string | undefined, resolve: ResolveDev): number | Unconvertible {
  if (ifindex !== undefined) return ifindex;
  if (name === undefined) return 0;
  const i = resolve(name);
  return i === undefined ? new Unconvertible(`no device named "${name}"`) : i;
}

// A class, so that telling a problem from a result is one instanceof (an `in` test on
// results of many shapes was the hottest line of a replay with link events).
function isProblem(x: unknown): x is Unconvertible {
  return x instanceof Unconvertible;
}

const NO_SPECS: readonly NexthopSpec[] = Object.freeze([]);

/**
 * The nexthops a route record names, as a request would give them (RTA_MULTIPATH given:
 * r.multipath, see routeConfig).
 */
function nexthopSpecs(r: RouteRecord, resolve: ResolveDev): readonly NexthopSpec[] | Unconvertible {
  if (r.nhId !== undefined) return NO_SPECS;
  if (r.multipath !== undefined) {
    const nhs: NexthopSpec[] = [];
    for (const leg of r.multipath as readonly RouteNexthop[]) {
      const d = dev(leg.ifindex, leg.dev, resolve);
      if (isProblem(d)) return d;
      nhs.push({ dev: d, gw: ip(leg.gateway), weight: leg.hops + 1, onlink: (leg.flags & RTNH_F_ONLINK) !== 0, ...(leg.flow === undefined ? {} : { flow: leg.flow }) });
    }
    return nhs;
  }
  const d = dev(r.oif, r.dev, resolve);
  if (isProblem(d)) return d;
  const gw = ip(r.gateway);
  if (d === 0 && gw === null) return NO_SPECS;
  return [{ dev: d, gw, weight: 1, onlink: (r.flags & RTNH_F_ONLINK) !== 0, ...(r.flow === undefined ? {} : { flow: r.flow }) }];
}

/** The route type a request would give: a route using a blackhole nexthop object is unicast to the FIB. */
function requestType(r: RouteRecord, s: FibSnapshot): RouteType | Unconvertible {
  const t = routeTypeOf(r.type);
  if (t === undefined) return new Unconvertible(`unknown route type ${r.type}`);
  if (t === 'blackhole' && r.nhId !== undefined && s.nexthops.get(r.nhId)?.kind === 'blackhole') return 'unicast';
  return t;
}

/** NLM_F_* of an RTM_NEWROUTE to the request's op (formats README 1.5). */
export function routeOp(flags: number | undefined): RouteOp | undefined {
  if (flags === undefined) return undefined;
  if ((flags & NLM_F_REPLACE) !== 0) return (flags & NLM_F_CREATE) !== 0 ? 'replace' : 'change';
  if ((flags & NLM_F_APPEND) !== 0) return 'append';
  if ((flags & NLM_F_EXCL) !== 0) return 'add';
  if ((flags & NLM_F_CREATE) !== 0) return 'prepend';
  return 'add';
}

/** The fib_config a route record describes. */
export function routeConfig(r: RouteRecord, s: FibSnapshot, resolve: ResolveDev): RouteConfig | Unconvertible {
  const type = requestType(r, s);
  if (isProblem(type)) return type;
  const nh = nexthopSpecs(r, resolve);
  if (isProblem(nh)) return nh;
  const dst = r.dstAddr ?? ip(r.dst) ?? 0;
  return {
    table: r.table,
    dst,
    plen: r.dstLen,
    tos: r.tos,
    type,
    scope: r.scope,
    protocol: r.protocol,
    priority: r.priority ?? 0,
    prefsrc: ip(r.prefsrc) ?? 0,
    nhs: nh,
    multipath: r.nhId === undefined && r.multipath !== undefined,
    nhid: r.nhId ?? 0,
    mx: recordMetrics(r),
  };
}

/**
 * A record's RTA_METRICS as the attributes of a request (RTAX order, as
 * rtnetlink_put_metrics() dumps them): what re-creates the route's fib_info metrics, and
 * what a delete compares (fib_metrics_match()).
 */
export function recordMetrics(r: { readonly metrics?: Readonly<Record<string, number>>; readonly congctl?: string }): readonly MetricAttr[] | null {
  const out: MetricAttr[] = [];
  for (let type = 1; type < RTAX_NAMES.length; type++) {
    const name = RTAX_NAMES[type];
    if (name === undefined) continue;
    if (type === RTAX_CC_ALGO) {
      if (r.congctl !== undefined) out.push({ type: RTAX_CC_ALGO, name: r.congctl });
      continue;
    }
    const v = r.metrics?.[name];
    if (v !== undefined) out.push({ type, val: v });
  }
  return out.length === 0 ? null : out;
}

/**
 * RTM_NEWROUTE / RTM_DELROUTE to route-new / route-del.
 * Text traces carry no nlmsg_flags: a route whose (table, prefix, tos, metric) group
 * already exists is taken as a replace (what routing daemons send); append and prepend
 * print the same line and cannot be told apart from it.
 */
export function routeEvent(r: RouteRecord, s: FibSnapshot, resolve: ResolveDev): FibEvent | Unconvertible {
  const cfg = routeConfig(r, s, resolve);
  if (isProblem(cfg)) return cfg;
  if (r.op === 'del') {
    // The request's own fields: a delete matches on what it gives (fib_table_delete()).
    return { type: 'route-del', cfg: cfg satisfies RouteDelConfig };
  }
  let op = routeOp(r.nlmsgFlags);
  if (op === undefined) {
    op = groupExists(s, cfg) ? 'replace' : 'add';
  }
  return { type: 'route-new', op, cfg };
}

function groupExists(s: FibSnapshot, cfg: RouteConfig): boolean {
  const t = s.tables.get(cfg.table);
  if (t === undefined) return false;
  return tableAliases(t, cfg.dst, cfg.plen).some((fa) => fa.tos === cfg.tos && fa.info.priority === cfg.priority);
}

/** RTM_NEWADDR / RTM_DELADDR to addr-add / addr-del. */
export function addrEvent(r: AddrRecord, s: FibSnapshot, resolve: ResolveDev): FibEvent | Unconvertible {
  const ifindex = s.devices.has(r.ifindex) ? r.ifindex : (r.devName !== undefined ? resolve(r.devName) : undefined) ?? r.ifindex;
  const local = ip(r.local ?? r.address);
  if (local === null) return new Unconvertible('address without IFA_LOCAL');
  const address = ip(r.address) ?? local;
  if (r.op === 'del') {
    return {
      type: 'addr-del',
      ifindex,
      local,
      address,
      prefixlen: r.prefixlen,
      ...(r.label !== undefined ? { label: r.label } : {}),
    };
  }
  const d = s.devices.get(ifindex);
  const exists = d?.addrs.some((a) => a.local === local && a.prefixlen === r.prefixlen) ?? false;
  return {
    type: 'addr-add',
    ifindex,
    local,
    address,
    prefixlen: r.prefixlen,
    broadcast: ip(r.broadcast) ?? 0,
    scope: r.scope,
    ...(r.label !== undefined ? { label: r.label } : {}),
    metric: r.rtPriority ?? 0,
    noprefixroute: (r.flags & IFA_F_NOPREFIXROUTE) !== 0,
    replace: exists,
  };
}

const RULE_ACTIONS: Readonly<Record<number, RuleAction>> = { 1: 'lookup', 2: 'goto', 3: 'nop', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };

/** The fib_rule a rule record describes. */
export function ruleOf(r: RuleRecord): FibRule | Unconvertible {
  const action = RULE_ACTIONS[r.action];
  if (action === undefined) return new Unconvertible(`unknown rule action ${r.action}`);
  return {
    priority: r.priority ?? 0,
    not: (r.flags & FIB_RULE_INVERT) !== 0,
    src: ip(r.src) ?? 0,
    srcLen: r.srcLen,
    dst: ip(r.dst) ?? 0,
    dstLen: r.dstLen,
    tos: r.tos,
    fwmark: r.fwmark ?? 0,
    fwmask: r.fwmask ?? (r.fwmark !== undefined && r.fwmark !== 0 ? 0xffffffff : 0),
    iifName: r.iifName ?? null,
    oifName: r.oifName ?? null,
    uidStart: r.uidRange?.start ?? null,
    uidEnd: r.uidRange?.end ?? null,
    ipproto: r.ipProto ?? 0,
    sport: r.sportRange === undefined ? null : [r.sportRange.start, r.sportRange.end],
    dport: r.dportRange === undefined ? null : [r.dportRange.start, r.dportRange.end],
    action,
    table: action === 'lookup' ? r.table : 0,
    gotoTarget: r.goto ?? 0,
    suppressPrefixlen: r.suppressPrefixlen ?? -1,
    suppressIfgroup: r.suppressIfgroup ?? -1,
    protocol: r.protocol ?? 0,
    l3mdev: (r.l3mdev ?? 0) !== 0,
  };
}

/** RTM_NEWRULE / RTM_DELRULE to rule-add / rule-del (the delete names the rule's selectors and action). */
export function ruleEvent(r: RuleRecord): FibEvent | Unconvertible {
  const rule = ruleOf(r);
  if (isProblem(rule)) return rule;
  if (r.op === 'new') return { type: 'rule-add', rule };
  return {
    type: 'rule-del',
    match: {
      priority: rule.priority,
      not: rule.not,
      src: rule.src,
      srcLen: rule.srcLen,
      dst: rule.dst,
      dstLen: rule.dstLen,
      tos: rule.tos,
      fwmark: rule.fwmark,
      iifName: rule.iifName,
      oifName: rule.oifName,
      action: rule.action,
      table: rule.table,
      gotoTarget: rule.gotoTarget,
    },
  };
}

/** RTM_NEWNEXTHOP / RTM_DELNEXTHOP to nexthop-add / nexthop-del. */
export function nexthopEvent(r: NexthopRecord, s: FibSnapshot, resolve: ResolveDev): FibEvent | Unconvertible {
  if (r.op === 'del') return { type: 'nexthop-del', id: r.id };
  const replace = ((r.nlmsgFlags ?? 0) & NLM_F_REPLACE) !== 0 || s.nexthops.has(r.id);
  const base = { type: 'nexthop-add' as const, id: r.id, replace, protocol: r.protocol };
  if (r.group !== undefined) {
    const members = r.group.map((m) => ({ id: m.id, weight: m.weight }));
    // A resilient group (NHA_GROUP_TYPE 1) with its NHA_RES_GROUP; an fdb group (NHA_FDB).
    const res = r.groupType === 1 ? { res: r.res ?? {} } : {};
    return { ...base, kind: 'group', members, fdb: r.fdb, ...res };
  }
  if (r.blackhole) return { ...base, kind: 'blackhole' };
  // An fdb nexthop has a gateway and no device.
  if (r.fdb) return { ...base, kind: 'single', dev: 0, gw: ip(r.gateway), onlink: (r.flags & RTNH_F_ONLINK) !== 0, fdb: true };
  const d = dev(r.oif, r.dev, resolve);
  if (isProblem(d)) return d;
  return { ...base, kind: 'single', dev: d, gw: ip(r.gateway), onlink: (r.flags & RTNH_F_ONLINK) !== 0 };
}

/** NETCONFA_* of a record, by the model's devconf key. */
function netconfValues(r: NetconfRecord): [DevconfKey, number][] {
  const out: [DevconfKey, number][] = [];
  if (r.forwarding !== undefined) out.push(['forwarding', r.forwarding]);
  if (r.rpFilter !== undefined) out.push(['rp_filter', r.rpFilter]);
  if (r.proxyNeigh !== undefined) out.push(['proxy_arp', r.proxyNeigh]);
  if (r.ignoreRoutesWithLinkdown !== undefined) out.push(['ignore_routes_with_linkdown', r.ignoreRoutesWithLinkdown]);
  if (r.bcForwarding !== undefined) out.push(['bc_forwarding', r.bcForwarding]);
  return out;
}

/** Whether an RTM_NEWNETCONF carries every attribute (a device's registration or rename) rather than one write. */
export function netconfIsFull(r: NetconfRecord): boolean {
  return r.forwarding !== undefined && r.rpFilter !== undefined && r.proxyNeigh !== undefined && r.ignoreRoutesWithLinkdown !== undefined;
}

/** The sysctl target a netconf record names, or undefined for an unknown device. */
export function netconfTarget(r: NetconfRecord, resolve: ResolveDev): SysctlTarget | undefined {
  const i = r.ifindex ?? (r.devName !== undefined ? resolve(r.devName) : undefined);
  if (i === undefined) return undefined;
  if (i === -1) return { kind: 'all' };
  if (i === -2) return { kind: 'default' };
  return { kind: 'dev', ifindex: i };
}

/** RTM_NEWNETCONF to the sysctl writes that give the values it reports (only those that differ). */
export function netconfEvents(r: NetconfRecord, s: FibSnapshot, resolve: ResolveDev): SysctlEvent[] {
  if (r.op === 'del') return [];
  const target = netconfTarget(r, resolve);
  if (target === undefined) return [];
  const conf = target.kind === 'all' ? s.confAll : target.kind === 'default' ? s.confDefault : s.devices.get(target.ifindex)?.conf;
  if (conf === undefined) return [];
  return netconfValues(r)
    .filter(([k, v]) => conf.values[k] !== v)
    .map(([key, value]) => ({ type: 'sysctl', target, key, value }));
}

/** IPV4_DEVCONF_* index (1-based) of the devconf keys a link's IFLA_INET_CONF updates. */
const INET_CONF_INDEX: readonly (readonly [DevconfKey, number])[] = [
  ['forwarding', 1],
  ['proxy_arp', 3],
  ['send_redirects', 6],
  ['rp_filter', 8],
  ['promote_secondaries', 20],
  ['accept_local', 23],
  ['src_valid_mark', 24],
  ['route_localnet', 26],
  ['ignore_routes_with_linkdown', 29],
  ['bc_forwarding', 32],
];

/** IFLA_INET_CONF (a device's IPv4 sysctls, in every binary RTM_NEWLINK) to writes of the values that differ. */
export function inetConfEvents(ifindex: number, conf: readonly number[], s: FibSnapshot): SysctlEvent[] {
  const d = s.devices.get(ifindex);
  if (d === undefined || conf.length === 0) return [];
  const out: SysctlEvent[] = [];
  for (const [key, i] of INET_CONF_INDEX) {
    const v = conf[i - 1];
    if (v === undefined || d.conf.values[key] === v) continue;
    out.push({ type: 'sysctl', target: { kind: 'dev', ifindex }, key, value: v });
  }
  return out;
}

/** Whether the record says the device has carrier (IFLA_CARRIER, else IFF_LOWER_UP). */
export function recordCarrier(r: LinkRecord): boolean {
  return r.carrier ?? (r.flags & IFF_LOWER_UP) !== 0;
}

/**
 * RTM_NEWLINK / RTM_DELLINK to the events that take the model's device there.
 * 1. unknown ifindex: link-add (kind 'other': carrier comes from the trace), down;
 * 2. a new name: link-set name (up or down: Linux 6.18 renames a running device too);
 * 3. carrier before admin-up (veth_open() sets carrier before NETDEV_UP), admin-down
 *    before carrier (dev_close() sends NETDEV_DOWN, linkwatch NETDEV_CHANGE later);
 *    text traces report carrier (LOWER_UP) only for devices that are up;
 * 4. a new group: link-set group; 5. IFLA_INET_CONF values: sysctl writes.
 */
export function linkEvents(r: LinkRecord, s: FibSnapshot): FibEvent[] {
  const d = s.devices.get(r.ifindex);
  if (r.op === 'del') return d === undefined ? [] : [{ type: 'link-del', ifindex: r.ifindex }];
  const out: FibEvent[] = [];
  const up = (r.flags & IFF_UP) !== 0;
  const binary = r.carrier !== undefined;
  const carrier = recordCarrier(r);
  let curUp = d?.up ?? false;
  let curCarrier = d?.carrier ?? true;
  const kind = d?.kind ?? ((r.flags & IFF_LOOPBACK) !== 0 ? 'loopback' : 'other');
  if (d === undefined) {
    const name = r.name ?? `if${r.ifindex}`;
    out.push({
      type: 'link-add',
      link: { ifindex: r.ifindex, name, kind, up: false, ...(r.address !== undefined ? { mac: r.address } : {}), ...(r.mtu !== undefined ? { mtu: r.mtu } : {}) },
    });
    curUp = false;
    curCarrier = kind !== 'veth';
  } else if (r.name !== undefined && r.name !== d.name) {
    // dev_change_name(): Linux 6.18 renames a running device in place (one RTM_NEWLINK
    // with the new name and IFF_UP kept; its routes stay: test/fixtures/traces/14).
    out.push({ type: 'link-set', ifindex: r.ifindex, name: r.name });
  }
  const carrierKnown = binary || up;
  const carrierEvent = kind === 'other' && carrierKnown && carrier !== curCarrier ? [{ type: 'link-carrier' as const, ifindex: r.ifindex, carrier }] : [];
  if (up && !curUp) {
    out.push(...carrierEvent, { type: 'link-set', ifindex: r.ifindex, up: true });
  } else if (!up && curUp) {
    out.push({ type: 'link-set', ifindex: r.ifindex, up: false }, ...carrierEvent);
  } else {
    out.push(...carrierEvent);
  }
  const group = r.group;
  if (group !== undefined && group !== (d?.group ?? 0)) out.push({ type: 'link-set', ifindex: r.ifindex, group });
  return out;
}

export { isProblem };
