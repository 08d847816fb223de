// Every notification gets a line, names resolved from the state around it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordSummary } from '../../core/report/record-summary.js';
import type { NetlinkRecord } from '../../core/trace/netlink-records.js';

const names = (i: number): string | undefined => (i === 3 ? 'ens33' : undefined);
const meta = { nlmsgType: 0, dump: false };

test('routes, addresses, links, rules, netconf and nexthops read like ip monitor', () => {
  const cases: [NetlinkRecord, string][] = [
    [{ ...meta, kind: 'route', op: 'del', family: 2, dstLen: 24, srcLen: 0, tos: 0, table: 254, protocol: 2, scope: 253, type: 1, flags: 0, dst: '192.168.0.0', oif: 3 }, '[ROUTE] Deleted 192.168.0.0/24 dev ens33 proto kernel'],
    [{ ...meta, kind: 'route', op: 'new', family: 2, dstLen: 0, srcLen: 0, tos: 0, table: 10, protocol: 3, scope: 0, type: 1, flags: 0, gateway: '192.168.0.40', oif: 3 }, '[ROUTE] default via 192.168.0.40 dev ens33 table 10 proto boot'],
    [{ ...meta, kind: 'route', op: 'new', family: 2, dstLen: 32, srcLen: 0, tos: 0, table: 255, protocol: 2, scope: 254, type: 2, flags: 0, dst: '10.0.1.3', oif: 9 }, '[ROUTE] local 10.0.1.3 dev if9 table local proto kernel'],
    [{ ...meta, kind: 'addr', op: 'del', family: 2, ifindex: 3, prefixlen: 24, flags: 0, scope: 0, local: '192.168.0.4' }, '[ADDR] Deleted 192.168.0.4/24 dev ens33'],
    [{ ...meta, kind: 'link', op: 'new', family: 0, ifindex: 3, name: 'ens33', flags: 0x1 }, '[LINK] 3: ens33: up, no carrier'],
    [{ ...meta, kind: 'link', op: 'del', family: 0, ifindex: 3, flags: 0 }, '[LINK] Deleted 3: ens33'],
    [{ ...meta, kind: 'rule', op: 'new', family: 2, dstLen: 0, srcLen: 32, tos: 0, table: 10, action: 1, flags: 0, priority: 32765, src: '10.0.1.3', oifName: 'ens33' }, '[RULE] 32765: from 10.0.1.3 oif ens33 lookup 10'],
    [{ ...meta, kind: 'netconf', op: 'new', family: 2, ifindex: -1, ignoreRoutesWithLinkdown: 1 }, '[NETCONF] all ignore_routes_with_linkdown 1'],
    [{ ...meta, kind: 'nexthop', op: 'new', family: 0, scope: 0, protocol: 0, flags: 0, id: 7, blackhole: false, fdb: false, group: [{ id: 1, weight: 1 }, { id: 2, weight: 3 }] }, '[NEXTHOP] id 7 group 1/2,3'],
  ];
  for (const [r, want] of cases) assert.equal(recordSummary(r, names), want);
});
