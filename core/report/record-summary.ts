// A notification of a trace in a few words, close to what `ip monitor` prints for it
// (print_route(), print_addrinfo(), print_linkinfo(), print_rule() of iproute2 6.1, much
// abridged): the report lists every notification, including the consequences the replay
// matched without applying anything, so each needs a line of its own.
//
// | record  | summary                                                          |
// | ------- | ---------------------------------------------------------------- |
// | link    | `[LINK] NAME: up/down, carrier/no carrier` (`Deleted` first for RTM_DELLINK) |
// | addr    | `[ADDR] Deleted? LOCAL/PLEN dev NAME`                            |
// | route   | `[ROUTE] Deleted? TYPE? DST via GW dev NAME table T proto P`     |
// | rule    | `[RULE] Deleted? PRIO: from SRC to DST iif/oif … ACTION`         |
// | netconf | `[NETCONF] DEV key value …`                                      |
// | nexthop | `[NEXTHOP] Deleted? id N via GW dev NAME / group …`              |

import type { NetlinkRecord } from '../trace/netlink-records.js';
import { BUILTIN_NAMES, protoName, tableName, type PrintNames } from '../uapi/rt-names.js';
import { routeTypeOf } from '../replay/record-events.js';

const IFF_UP = 0x1;
const IFF_LOWER_UP = 0x10000;
const RULE_ACTIONS: Readonly<Record<number, string>> = { 1: 'lookup', 2: 'goto', 3: 'nop', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };

/** A device's name by ifindex, when known. */
export type DevName = (ifindex: number) => string | undefined;

function devOf(names: DevName, ifindex: number | undefined, name: string | undefined): string {
  if (name !== undefined) return name;
  if (ifindex === undefined) return '?';
  return names(ifindex) ?? `if${ifindex}`;
}

/**
 * The summary of one record; binary records name devices by ifindex, `names` resolves them;
 * tables and protocols are named with `rt` (the capture's names: rtnl_rttable_n2a(),
 * rtnl_rtprot_n2a()).
 * @example recordSummary(addrDel, (i) => s.devices.get(i)?.name) // "[ADDR] Deleted 192.168.0.4/24 dev ens33"
 */
export function recordSummary(r: NetlinkRecord, names: DevName, rt: PrintNames = BUILTIN_NAMES): string {
  const del = r.op === 'del' ? 'Deleted ' : '';
  switch (r.kind) {
    case 'link': {
      const name = r.name ?? devOf(names, r.ifindex, undefined);
      if (r.op === 'del') return `[LINK] Deleted ${r.ifindex}: ${name}`;
      const carrier = r.carrier ?? (r.flags & IFF_LOWER_UP) !== 0;
      return `[LINK] ${r.ifindex}: ${name}: ${(r.flags & IFF_UP) !== 0 ? 'up' : 'down'}, ${carrier ? 'carrier' : 'no carrier'}`;
    }
    case 'addr':
      return `[ADDR] ${del}${r.local ?? '?'}/${r.prefixlen} dev ${devOf(names, r.ifindex, r.devName)}`;
    case 'route': {
      const type = routeTypeOf(r.type) ?? String(r.type);
      let out = `[ROUTE] ${del}${type === 'unicast' ? '' : `${type} `}${r.dst === undefined ? 'default' : `${r.dst}${r.dstLen === 32 && type !== 'unicast' ? '' : `/${r.dstLen}`}`}`;
      if (r.nhId !== undefined) out += ` nhid ${r.nhId}`;
      if (r.gateway !== undefined) out += ` via ${r.gateway}`;
      if (r.oif !== undefined || r.dev !== undefined) out += ` dev ${devOf(names, r.oif, r.dev)}`;
      if (r.multipath !== undefined) out += ` (${r.multipath.length} nexthops)`;
      if (r.table !== 254) out += ` table ${tableName(r.table, rt)}`;
      out += ` proto ${protoName(r.protocol, rt)}`;
      if (r.priority !== undefined) out += ` metric ${r.priority}`;
      return out;
    }
    case 'rule': {
      let out = `[RULE] ${del}${r.priority ?? 0}:`;
      out += r.src === undefined ? ' from all' : ` from ${r.src}${r.srcLen === 32 ? '' : `/${r.srcLen}`}`;
      if (r.dst !== undefined) out += ` to ${r.dst}${r.dstLen === 32 ? '' : `/${r.dstLen}`}`;
      if (r.iifName !== undefined) out += ` iif ${r.iifName}`;
      if (r.oifName !== undefined) out += ` oif ${r.oifName}`;
      if (r.fwmark !== undefined) out += ` fwmark 0x${r.fwmark.toString(16)}`;
      const action = RULE_ACTIONS[r.action] ?? `action ${r.action}`;
      out += action === 'lookup' ? ` lookup ${tableName(r.table, rt)}` : action === 'goto' ? ` goto ${r.goto ?? '?'}` : ` ${action}`;
      return out;
    }
    case 'netconf': {
      const target = r.ifindex === -1 ? 'all' : r.ifindex === -2 ? 'default' : devOf(names, r.ifindex, r.devName);
      const parts: string[] = [];
      if (r.forwarding !== undefined) parts.push(`forwarding ${r.forwarding}`);
      if (r.rpFilter !== undefined) parts.push(`rp_filter ${r.rpFilter}`);
      if (r.proxyNeigh !== undefined) parts.push(`proxy_neigh ${r.proxyNeigh}`);
      if (r.ignoreRoutesWithLinkdown !== undefined) parts.push(`ignore_routes_with_linkdown ${r.ignoreRoutesWithLinkdown}`);
      return `[NETCONF] ${del}${target} ${parts.join(' ')}`.trimEnd();
    }
    case 'nexthop': {
      let out = `[NEXTHOP] ${del}id ${r.id}`;
      if (r.group !== undefined) out += ` group ${r.group.map((g) => (g.weight === 1 ? String(g.id) : `${g.id},${g.weight}`)).join('/')}`;
      else if (r.blackhole) out += ' blackhole';
      else {
        if (r.gateway !== undefined) out += ` via ${r.gateway}`;
        if (r.oif !== undefined || r.dev !== undefined) out += ` dev ${devOf(names, r.oif, r.dev)}`;
      }
      return out;
    }
    case 'qdisc':
      // tc monitor's words: "qdisc KIND HANDLE: dev NAME root" (parent TC_H_ROOT).
      return `[QDISC] ${del}${r.qdiscKind ?? '?'} ${(r.handle >>> 16).toString(16)}: dev ${devOf(names, r.ifindex, undefined)} ${r.parent === 0xffffffff ? 'root' : `parent ${(r.parent >>> 16).toString(16)}:${(r.parent & 0xffff).toString(16)}`}`;
  }
}
