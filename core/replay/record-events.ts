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
//
// The route records are converted in record-route-events.ts, link and netconf records in
// record-link-events.ts; this file holds addresses, rules and nexthops and is the one import.

import type { FibEvent } from '../events/fib-event.js';
import { canonicalIp6 } from '../net/ip6.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ruleActionOf, type FibRule } from '../events/rule.js';
import type { NetlinkRecord, AddrRecord, NexthopRecord, RuleRecord } from '../trace/netlink-records.js';
import { FIB_RULE_INVERT, IFA_F_NOPREFIXROUTE, NLM_F_REPLACE, RTNH_F_ONLINK, Unconvertible, dev, ip, isProblem, type ResolveDev } from './_record-convert.js';
import { routeEvent } from './record-route-events.js';
import { linkEvents, netconfEvents } from './record-link-events.js';

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
    // IFA_CACHEINFO as the notification carried it (a DHCP renew re-announces the address with new lifetimes).
    ...(r.validLft === undefined ? {} : { lifetimes: { valid: r.validLft, preferred: r.preferredLft ?? r.validLft } }),
  };
}


/** The fib_rule a rule record describes. */
export function ruleOf(r: RuleRecord): FibRule | Unconvertible {
  // frh.action is a u8 the kernel keeps whatever it is (fib_nl2rule()).
  if (!Number.isInteger(r.action) || r.action < 0 || r.action > 255) return new Unconvertible(`unknown rule action ${r.action}`);
  const action = ruleActionOf(r.action);
  // Selectors the model's fib_rule does not hold (fib_rule_match(): tun_id, the port masks;
  // fib4_rule_match(): dscp): a rule made without them would match what the kernel's does
  // not, so the record is not replayed, by name.
  if (r.tunId !== undefined && r.tunId !== '0') return new Unconvertible(`a rule with tun_id ${r.tunId} (FRA_TUN_ID)`);
  if (r.dscp !== undefined) return new Unconvertible(`a rule with dscp ${r.dscp} (FRA_DSCP)`);
  if ((r.sportMask !== undefined && r.sportMask !== 0xffff) || (r.dportMask !== undefined && r.dportMask !== 0xffff)) return new Unconvertible('a rule with a port mask (FRA_SPORT_MASK / FRA_DPORT_MASK)');
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
    // fib_nl_fill_rule() dumps the table whatever the action (`lookup 7 blackhole`).
    table: r.table,
    gotoTarget: r.goto ?? 0,
    suppressPrefixlen: r.suppressPrefixlen ?? -1,
    suppressIfgroup: r.suppressIfgroup ?? -1,
    protocol: r.protocol ?? 0,
    l3mdev: (r.l3mdev ?? 0) !== 0,
    // FRA_FLOW (realms): fib4_rule_fill() dumps it only when not 0.
    ...(r.flow !== undefined && r.flow !== 0 ? { flow: r.flow } : {}),
  };
}

/**
 * RTM_NEWRULE / RTM_DELRULE to rule-add / rule-del (the delete names the rule's selectors and
 * action). A notification of a new rule is an add the kernel accepted: it carries no request
 * flags (notify_rule_change() sends 0), and a rule identical to one in the list was a request
 * without NLM_F_EXCL that fib_newrule() took as a duplicate, so the add is not exclusive.
 */
export function ruleEvent(r: RuleRecord): FibEvent | Unconvertible {
  const rule = ruleOf(r);
  if (isProblem(rule)) return rule;
  if (r.op === 'new') return { type: 'rule-add', rule, exclusive: false };
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
      ...(rule.flow !== undefined ? { flow: rule.flow } : {}),
    },
  };
}

const AF_INET6 = 10;

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
  if (r.blackhole) {
    // An AF_INET6 one (a fib6_nh with reject_nh): the request's family says so.
    if (r.family === AF_INET6) return { ...base, kind: 'blackhole', attrs: { family: AF_INET6, oif: false, gateway: false, blackhole: true } };
    return { ...base, kind: 'blackhole' };
  }
  // An AF_INET6 nexthop (nh_create_ipv6()): its IPv6 gateway, or none; the request's family says so.
  const v6 = r.family === AF_INET6;
  // The record is the kernel's: it found the IPv6 gateway reachable (gw6Routed).
  const gw = v6 ? { gw: null, ...(r.gateway === undefined ? {} : { gw6: canonicalIp6(r.gateway) ?? r.gateway, gw6Routed: true }) } : { gw: ip(r.gateway) };
  const attrs = v6 ? { attrs: { family: AF_INET6, oif: !r.fdb, gateway: r.gateway !== undefined, blackhole: false, fdb: r.fdb, onlinkFlag: (r.flags & RTNH_F_ONLINK) !== 0 } } : {};
  // An fdb nexthop has a gateway and no device.
  if (r.fdb) return { ...base, ...attrs, kind: 'single', dev: 0, ...gw, onlink: (r.flags & RTNH_F_ONLINK) !== 0, fdb: true };
  const d = dev(r.oif, r.dev, resolve);
  if (isProblem(d)) return d;
  return { ...base, ...attrs, kind: 'single', dev: d, ...gw, onlink: (r.flags & RTNH_F_ONLINK) !== 0 };
}

/** Whether an event gives an IPv6 gateway or makes a v6 nexthop (fib6_nh_init() runs for it). */
export function usesIpv6(e: FibEvent): boolean {
  if (e.type === 'route-new') {
    // A loop, not some(): this runs on every route request and a closure is an allocation.
    for (const n of e.cfg.nhs) if (n.gw6 !== undefined) return true;
    return false;
  }
  return e.type === 'nexthop-add' && e.kind === 'single' && (e.gw6 !== undefined || e.attrs?.family === AF_INET6);
}

/**
 * Family from evidence: the kernel accepted an IPv6 gateway, so IPv6 was on (a capture
 * says nothing else of net.ipv6.conf.all.disable_ipv6, which the model starts at 1): the
 * write that turns it on goes first. It changes nothing else the model shows.
 */
function withIpv6On(s: FibSnapshot, e: FibEvent): FibEvent[] {
  if (s.ipv4Sysctl.disable_ipv6 === 0 || !usesIpv6(e)) return [e];
  return [{ type: 'net-sysctl', key: 'disable_ipv6', value: 0 }, e];
}

/** The events a record stands for, against a snapshot; a string says why there are none. */
export function recordEvents(r: NetlinkRecord, s: FibSnapshot, resolve: ResolveDev): FibEvent[] | string {
  switch (r.kind) {
    case 'link': {
      const ev = linkEvents(r, s);
      return ev;
    }
    case 'route': {
      const e = routeEvent(r, s, resolve);
      return isProblem(e) ? e.problem : withIpv6On(s, e);
    }
    case 'addr': {
      const e = addrEvent(r, s, resolve);
      return isProblem(e) ? e.problem : [e];
    }
    case 'rule': {
      const e = ruleEvent(r);
      return isProblem(e) ? e.problem : [e];
    }
    case 'nexthop': {
      const e = nexthopEvent(r, s, resolve);
      return isProblem(e) ? e.problem : withIpv6On(s, e);
    }
    case 'netconf':
      return netconfEvents(r, s, resolve);
    case 'qdisc':
      // Nothing the FIB reads: the link table follows it (cause-step.ts).
      return [];
  }
}

export { Unconvertible, isProblem, routeTypeOf, type ResolveDev } from './_record-convert.js';
export { routeOp, routeConfig, recordMetrics, routeEvent } from './record-route-events.js';
export { netconfIsFull, netconfTarget, netconfEvents, inetConfEvents, recordCarrier, linkEvents } from './record-link-events.js';
