// Runs the reference decoder ../shared/traces/tools/rtmon_decode.py (--json) when python3 is
// there, and compares its view of a message with the reader's record field by field.

import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { TRACES_DIR } from './_fixtures.js';
import { nlmsgTypeName } from '../../core/trace/netlink-records.js';
import type { TraceRecord } from '../../core/trace/netlink-records.js';

export type PyRecord = Readonly<Record<string, unknown>> & {
  readonly off: number;
  readonly msg: string;
  readonly hdr?: Readonly<Record<string, unknown>>;
  readonly attrs?: Readonly<Record<string, unknown>>;
};

/** rtmon_decode.py --json FILE, one object per message; undefined when python3 cannot run. */
export function pythonDecode(file: string): PyRecord[] | undefined {
  const r = spawnSync('python3', [join(TRACES_DIR, 'tools', 'rtmon_decode.py'), '--json', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.error !== undefined || r.status !== 0) return undefined;
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as PyRecord);
}

type Bits = readonly (readonly [number, string])[];
const NLM_F: Bits = [[0x1, 'REQUEST'], [0x2, 'MULTI'], [0x4, 'ACK'], [0x8, 'ECHO'], [0x10, 'DUMP_INTR'],
  [0x20, 'DUMP_FILTERED'], [0x100, 'REPLACE'], [0x200, 'EXCL'], [0x400, 'CREATE'], [0x800, 'APPEND']];
const IFF: Bits = [[0x1, 'UP'], [0x2, 'BROADCAST'], [0x8, 'LOOPBACK'], [0x10, 'POINTOPOINT'], [0x40, 'RUNNING'],
  [0x80, 'NOARP'], [0x100, 'PROMISC'], [0x400, 'MASTER'], [0x800, 'SLAVE'], [0x1000, 'MULTICAST'],
  [0x10000, 'LOWER_UP'], [0x20000, 'DORMANT'], [0x40000, 'ECHO']];
const IFA_F: Bits = [[0x1, 'secondary'], [0x2, 'nodad'], [0x4, 'optimistic'], [0x8, 'dadfailed'],
  [0x10, 'homeaddress'], [0x20, 'deprecated'], [0x40, 'tentative'], [0x80, 'permanent'],
  [0x100, 'mngtmpaddr'], [0x200, 'noprefixroute'], [0x400, 'autojoin'], [0x800, 'stable-privacy']];
const RTNH_F: Bits = [[1, 'dead'], [2, 'pervasive'], [4, 'onlink'], [8, 'offload'], [0x10, 'linkdown'],
  [0x20, 'unresolved'], [0x40, 'trap']];
const RTM_F: Bits = [[0x100, 'notify'], [0x200, 'cloned'], [0x400, 'equalize'], [0x800, 'prefix'],
  [0x1000, 'lookup_table'], [0x2000, 'fib_match'], [0x4000, 'offload'], [0x8000, 'trap'],
  [0x20000000, 'offload_failed'], ...RTNH_F];
const RTN = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole',
  'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];
const FAMILY: Readonly<Record<number, string>> = { 0: 'unspec', 2: 'inet', 7: 'bridge', 10: 'inet6' };

/** The `bits()` of rtmon_decode.py. */
function bits(v: number, table: Bits): string {
  const out = table.filter(([b]) => (v & b) !== 0).map(([, n]) => n);
  const all = table.reduce((a, [b]) => a | b, 0);
  const rest = (v & ~all) >>> 0;
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out.length > 0 ? out.join(',') : '0';
}

function eq(py: unknown, mine: unknown, what: string): void {
  assert.deepEqual(mine, py, what);
}

/** Asserts that the reader's record says what rtmon_decode.py says of the same message. */
export function assertSameAsPython(py: PyRecord, r: TraceRecord): void {
  const at = `message at byte ${py.off} (${py.msg})`;
  if (py.msg === 'NLMSG_TSTAMP') {
    assert.equal(r.kind, 'timestamp', at);
    if (r.kind !== 'timestamp') return;
    eq(py.off, r.offset, `${at}: offset`);
    eq(py['sec'], r.sec, `${at}: sec`);
    eq(py['usec'], r.usec, `${at}: usec`);
    return;
  }
  if (r.kind === 'skipped') {
    eq(py.off, r.offset, `${at}: offset`);
    const fam = py.hdr?.['family'];
    assert.ok(r.reason.startsWith(py.msg), `${at}: skipped as ${r.reason}`);
    // Only families and types the IR leaves out may be skipped.
    const modelled = ['RTM_NEWLINK', 'RTM_DELLINK'].includes(py.msg) ? fam === 0
      : ['RTM_NEWNEXTHOP', 'RTM_DELNEXTHOP'].includes(py.msg) ? fam === 'inet' || fam === 'unspec'
        : py.hdr !== undefined ? fam === 'inet' : false;
    assert.equal(modelled, false, `${at}: a modelled message was skipped (${r.reason})`);
    return;
  }
  assert.ok(r.kind !== 'error' && r.kind !== 'end' && r.kind !== 'timestamp', `${at}: got ${r.kind}`);
  const h = py.hdr ?? {};
  const a = py.attrs ?? {};
  eq(py.off, r.offset, `${at}: offset`);
  eq(py.msg, nlmsgTypeName(r.nlmsgType), `${at}: type`);
  eq(py['flags'], bits(r.nlmsgFlags ?? 0, NLM_F), `${at}: nlmsg_flags`);
  eq(py['seq'], r.nlmsgSeq, `${at}: seq`);
  eq(py['pid'], r.nlmsgPid, `${at}: pid`);
  switch (r.kind) {
    case 'link':
      eq(h['family'], r.family, `${at}: family`);
      eq(h['type'], r.ifiType, `${at}: ifi_type`);
      eq(h['index'], r.ifindex, `${at}: index`);
      eq(h['flags'], bits(r.flags, IFF), `${at}: ifi_flags`);
      eq(h['change'], `0x${(r.change ?? 0).toString(16)}`, `${at}: ifi_change`);
      eq(a['IFLA_IFNAME'], r.name, `${at}: IFLA_IFNAME`);
      eq(a['IFLA_MTU'], r.mtu, `${at}: IFLA_MTU`);
      eq(a['IFLA_LINK'], r.link, `${at}: IFLA_LINK`);
      eq(a['IFLA_MASTER'], r.master, `${at}: IFLA_MASTER`);
      eq(a['IFLA_OPERSTATE'] === undefined ? undefined : parseInt(String(a['IFLA_OPERSTATE']), 10), r.operstate, `${at}: IFLA_OPERSTATE`);
      eq((a['IFLA_LINKINFO'] as Record<string, unknown> | undefined)?.['INFO_KIND'], r.linkKind, `${at}: IFLA_INFO_KIND`);
      eq((a['IFLA_LINKINFO'] as Record<string, unknown> | undefined)?.['INFO_SLAVE_KIND'], r.slaveKind, `${at}: IFLA_INFO_SLAVE_KIND`);
      eq(a['IFLA_GROUP'], r.group, `${at}: IFLA_GROUP`);
      eq(a['IFLA_CARRIER'], r.carrier === undefined ? undefined : Number(r.carrier), `${at}: IFLA_CARRIER`);
      eq(a['IFLA_LINK_NETNSID'], r.linkNetnsid, `${at}: IFLA_LINK_NETNSID`);
      eq(a['IFLA_PROTO_DOWN'], r.protoDown === undefined ? undefined : Number(r.protoDown), `${at}: IFLA_PROTO_DOWN`);
      eq(a['IFLA_EVENT'], r.event, `${at}: IFLA_EVENT`);
      eq(a['IFLA_ADDRESS'], r.address, `${at}: IFLA_ADDRESS`);
      return;
    case 'addr':
      eq(h['family'], FAMILY[r.family], `${at}: family`);
      eq(h['prefixlen'], r.prefixlen, `${at}: prefixlen`);
      eq(h['scope'], r.scope, `${at}: scope`);
      eq(h['index'], r.ifindex, `${at}: index`);
      eq(a['IFA_FLAGS'] ?? h['flags'], bits(r.flags, IFA_F), `${at}: flags`);
      eq(a['IFA_ADDRESS'], r.address, `${at}: IFA_ADDRESS`);
      eq(a['IFA_LOCAL'], r.local, `${at}: IFA_LOCAL`);
      eq(a['IFA_LABEL'], r.label, `${at}: IFA_LABEL`);
      eq(a['IFA_BROADCAST'], r.broadcast, `${at}: IFA_BROADCAST`);
      eq(a['IFA_RT_PRIORITY'], r.rtPriority, `${at}: IFA_RT_PRIORITY`);
      eq((a['IFA_CACHEINFO'] as Record<string, unknown> | undefined)?.['valid'], r.validLft, `${at}: valid`);
      eq((a['IFA_CACHEINFO'] as Record<string, unknown> | undefined)?.['prefered'], r.preferredLft, `${at}: preferred`);
      return;
    case 'route': {
      eq(h['family'], FAMILY[r.family], `${at}: family`);
      eq(h['dst_len'], r.dstLen, `${at}: dst_len`);
      eq(h['src_len'], r.srcLen, `${at}: src_len`);
      eq(h['tos'], r.tos, `${at}: tos`);
      eq(a['RTA_TABLE'] ?? h['table'], r.table, `${at}: table`);
      eq(h['protocol'], r.protocol, `${at}: protocol`);
      eq(h['scope'], r.scope, `${at}: scope`);
      eq(h['type'], RTN[r.type] ?? r.type, `${at}: type`);
      eq(h['flags'], bits(r.flags, RTM_F), `${at}: rtm_flags`);
      eq(a['RTA_DST'], r.dst, `${at}: RTA_DST`);
      eq(a['RTA_SRC'], r.src, `${at}: RTA_SRC`);
      eq(a['RTA_OIF'], r.oif, `${at}: RTA_OIF`);
      eq(a['RTA_GATEWAY'], r.gateway, `${at}: RTA_GATEWAY`);
      eq(a['RTA_PRIORITY'], r.priority, `${at}: RTA_PRIORITY`);
      eq(a['RTA_PREFSRC'], r.prefsrc, `${at}: RTA_PREFSRC`);
      eq(a['RTA_NH_ID'], r.nhId, `${at}: RTA_NH_ID`);
      eq(a['RTA_FLOW'], r.flow, `${at}: RTA_FLOW`);
      const m = a['RTA_METRICS'] as Record<string, number> | undefined;
      eq(m === undefined ? undefined : Object.fromEntries(Object.entries(m).map(([k, v]) => [k.slice(5).toLowerCase(), v])), r.metrics, `${at}: RTA_METRICS`);
      const mp = a['RTA_MULTIPATH'] as readonly Record<string, unknown>[] | undefined;
      eq(mp?.map((n) => ({ flags: n['flags'], hops: n['hops'], ifindex: n['ifindex'], gateway: n['RTA_GATEWAY'] })),
        r.multipath?.map((n) => ({ flags: bits(n.flags, RTNH_F), hops: n.hops, ifindex: n.ifindex, gateway: n.gateway })),
        `${at}: RTA_MULTIPATH`);
      return;
    }
    case 'rule': {
      eq(h['family'], FAMILY[r.family], `${at}: family`);
      eq(h['dst_len'], r.dstLen, `${at}: dst_len`);
      eq(h['src_len'], r.srcLen, `${at}: src_len`);
      eq(h['tos'], r.tos, `${at}: tos`);
      eq(h['action'], r.action, `${at}: action`);
      eq(h['flags'], `0x${r.flags.toString(16)}`, `${at}: flags`);
      eq(a['FRA_TABLE'] ?? h['table'], r.table, `${at}: table`);
      const pairs: readonly (readonly [string, unknown])[] = [
        ['FRA_DST', r.dst], ['FRA_SRC', r.src], ['FRA_IIFNAME', r.iifName], ['FRA_OIFNAME', r.oifName],
        ['FRA_GOTO', r.goto], ['FRA_PRIORITY', r.priority], ['FRA_FWMARK', r.fwmark], ['FRA_FWMASK', r.fwmask],
        ['FRA_FLOW', r.flow], ['FRA_L3MDEV', r.l3mdev], ['FRA_PROTOCOL', r.protocol], ['FRA_IP_PROTO', r.ipProto],
        ['FRA_SPORT_MASK', r.sportMask], ['FRA_DPORT_MASK', r.dportMask],
        ['FRA_UID_RANGE', r.uidRange === undefined ? undefined : [r.uidRange.start, r.uidRange.end]],
        ['FRA_SPORT_RANGE', r.sportRange === undefined ? undefined : [r.sportRange.start, r.sportRange.end]],
        ['FRA_DPORT_RANGE', r.dportRange === undefined ? undefined : [r.dportRange.start, r.dportRange.end]],
      ];
      for (const [k, v] of pairs) eq(a[k], v, `${at}: ${k}`);
      const spl = a['FRA_SUPPRESS_PREFIXLEN'];
      eq(spl === 4294967295 ? undefined : spl, r.suppressPrefixlen, `${at}: FRA_SUPPRESS_PREFIXLEN`);
      return;
    }
    case 'netconf': {
      eq(h['family'], FAMILY[r.family], `${at}: family`);
      const idx = a['NETCONFA_IFINDEX'];
      eq(typeof idx === 'string' ? parseInt(idx, 10) : idx, r.ifindex, `${at}: NETCONFA_IFINDEX`);
      eq(a['NETCONFA_FORWARDING'], r.forwarding, `${at}: forwarding`);
      eq(a['NETCONFA_RP_FILTER'], r.rpFilter, `${at}: rp_filter`);
      eq(a['NETCONFA_MC_FORWARDING'], r.mcForwarding, `${at}: mc_forwarding`);
      eq(a['NETCONFA_PROXY_NEIGH'], r.proxyNeigh, `${at}: proxy_neigh`);
      eq(a['NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN'], r.ignoreRoutesWithLinkdown, `${at}: ignore_routes_with_linkdown`);
      eq(a['NETCONFA_INPUT'], r.input, `${at}: input`);
      eq(a['NETCONFA_BC_FORWARDING'], r.bcForwarding, `${at}: bc_forwarding`);
      return;
    }
    case 'nexthop':
      eq(h['family'], FAMILY[r.family], `${at}: family`);
      eq(h['scope'], r.scope, `${at}: scope`);
      eq(h['protocol'], r.protocol, `${at}: protocol`);
      eq(h['flags'], bits(r.flags, RTNH_F), `${at}: flags`);
      eq(a['NHA_ID'], r.id, `${at}: NHA_ID`);
      eq(a['NHA_GROUP'], r.group, `${at}: NHA_GROUP`);
      eq(a['NHA_GROUP_TYPE'], r.groupType, `${at}: NHA_GROUP_TYPE`);
      eq(a['NHA_BLACKHOLE'] ?? false, r.blackhole, `${at}: NHA_BLACKHOLE`);
      eq(a['NHA_FDB'] ?? false, r.fdb, `${at}: NHA_FDB`);
      eq(a['NHA_OIF'], r.oif, `${at}: NHA_OIF`);
      eq(a['NHA_GATEWAY'], r.gateway, `${at}: NHA_GATEWAY`);
      return;
  }
}
