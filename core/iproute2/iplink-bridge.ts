// `ip link add|set … type bridge OPTIONS`: bridge_parse_opt() of iproute2 6.1
// (ip/iplink_bridge.c). The words are matched in its order with matches() (`f` is
// forward_delay, `m` max_age), each value read as get_u32()/get_u16()/get_u8() (strtoul(…, 0)).
//
// | words                                          | what the model does                               |
// | ---------------------------------------------- | ------------------------------------------------- |
// | hello_time, max_age, group_fwd_mask            | carried for br_changelink()'s checks (../dev/br-changelink.ts) |
// | forward_delay, ageing_time, priority, stp_state 0, fdb_flush, mcast_snooping, nf_call_iptables, nf_call_ip6tables, nf_call_arptables | read and accepted: nothing the model shows changes (forward_delay counts only under STP; mcast_snooping and nf_call_* are ignored by a kernel built without them) |
// | stp_state other than 0                         | named: kernel STP makes ports wait in listening and learning before the bridge has carrier |
// | vlan_filtering, vlan_protocol, vlan_default_pvid, vlan_stats_enabled, vlan_stats_per_port | named: the kernel's answer depends on CONFIG_BRIDGE_VLAN_FILTERING (this machine's kernel refuses vlan_filtering with EOPNOTSUPP) |
// | group_address, no_linklocal_learn, mcast_vlan_snooping, the other mcast_* | named |
// | a bad number                                   | invarg("invalid WORD"), exit 255                  |
// | help, an unknown word                          | the usage on stderr (`bridge: unknown command "W"?` first), exit 1 |

import { CommandExit, invarg, matches, notModelled, type Args } from './command-context.js';
import { parseUnsigned } from '../uapi/rt-names.js';
import type { BridgeData } from '../events/netdev.js';

/** print_explain() of iplink_bridge.c (iproute2 6.1). */
const BRIDGE_USAGE =
  'Usage: ... bridge [ fdb_flush ]\n' +
  [
    'forward_delay FORWARD_DELAY', 'hello_time HELLO_TIME', 'max_age MAX_AGE', 'ageing_time AGEING_TIME',
    'stp_state STP_STATE', 'priority PRIORITY', 'group_fwd_mask MASK', 'group_address ADDRESS',
    'no_linklocal_learn NO_LINKLOCAL_LEARN', 'vlan_filtering VLAN_FILTERING', 'vlan_protocol VLAN_PROTOCOL',
    'vlan_default_pvid VLAN_DEFAULT_PVID', 'vlan_stats_enabled VLAN_STATS_ENABLED',
    'vlan_stats_per_port VLAN_STATS_PER_PORT', 'mcast_snooping MULTICAST_SNOOPING',
    'mcast_vlan_snooping MULTICAST_VLAN_SNOOPING', 'mcast_router MULTICAST_ROUTER',
    'mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR', 'mcast_querier MULTICAST_QUERIER',
    'mcast_hash_elasticity HASH_ELASTICITY', 'mcast_hash_max HASH_MAX',
    'mcast_last_member_count LAST_MEMBER_COUNT', 'mcast_startup_query_count STARTUP_QUERY_COUNT',
    'mcast_last_member_interval LAST_MEMBER_INTERVAL', 'mcast_membership_interval MEMBERSHIP_INTERVAL',
    'mcast_querier_interval QUERIER_INTERVAL', 'mcast_query_interval QUERY_INTERVAL',
    'mcast_query_response_interval QUERY_RESPONSE_INTERVAL', 'mcast_startup_query_interval STARTUP_QUERY_INTERVAL',
    'mcast_stats_enabled MCAST_STATS_ENABLED', 'mcast_igmp_version IGMP_VERSION', 'mcast_mld_version MLD_VERSION',
    'nf_call_iptables NF_CALL_IPTABLES', 'nf_call_ip6tables NF_CALL_IP6TABLES', 'nf_call_arptables NF_CALL_ARPTABLES',
  ].map((w) => `\t\t  [ ${w} ]\n`).join('') +
  '\n' +
  'Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }\n';

/** The words of bridge_parse_opt() in its order; those marked `=` are strcmp()'d, so match only whole. */
const WORDS: readonly string[] = [
  'forward_delay', 'hello_time', 'max_age', 'ageing_time', 'stp_state', 'priority', 'vlan_filtering', 'vlan_protocol',
  'group_fwd_mask', 'group_address', '=no_linklocal_learn', 'fdb_flush', 'vlan_default_pvid', 'vlan_stats_enabled',
  'vlan_stats_per_port', 'mcast_router', 'mcast_snooping', '=mcast_vlan_snooping', 'mcast_query_use_ifaddr',
  'mcast_querier', 'mcast_hash_elasticity', 'mcast_hash_max', 'mcast_last_member_count', 'mcast_startup_query_count',
  'mcast_last_member_interval', 'mcast_membership_interval', 'mcast_querier_interval', 'mcast_query_interval',
  'mcast_query_response_interval', 'mcast_startup_query_interval', 'mcast_stats_enabled', 'mcast_igmp_version',
  'mcast_mld_version', 'nf_call_iptables', 'nf_call_ip6tables', 'nf_call_arptables', 'help',
];

/** The word of WORDS that `typed` selects. */
function wordOf(typed: string): string | undefined {
  for (const x of WORDS) {
    if (x.startsWith('=') ? typed === x.slice(1) : matches(typed, x)) return x.replace(/^=/, '');
  }
  return undefined;
}

/** The get_uN() limit of each word the model reads. */
const LIMIT: Readonly<Record<string, number>> = {
  forward_delay: 0xffffffff, hello_time: 0xffffffff, max_age: 0xffffffff, ageing_time: 0xffffffff, stp_state: 0xffffffff,
  priority: 0xffff, group_fwd_mask: 0xffff, mcast_snooping: 0xff, nf_call_iptables: 0xff, nf_call_ip6tables: 0xff,
  nf_call_arptables: 0xff,
};

/**
 * bridge_parse_opt(): the data br_changelink() checks, or the exit iproute2 takes; null
 * when no option was given (nothing for the kernel to check).
 *
 * @example bridgeParseOpt(new Args(['stp_state', '0', 'hello_time', '200'])) // { helloTime: 200 }
 *
 * 1. Match each word in iplink_bridge.c's order; help and unknown words print the usage.
 * 2. Read its value as iproute2 does (invarg on a bad number).
 * 3. Keep hello_time, max_age and group_fwd_mask; name what the model does not make.
 */
export function bridgeParseOpt(a: Args): BridgeData | null {
  if (a.done) return null;
  const out: { helloTime?: number; maxAge?: number; groupFwdMask?: number } = {};
  for (; !a.done; a.advance()) {
    const typed = a.cur;
    const w = wordOf(typed);
    if (w === undefined) throw new CommandExit(`bridge: unknown command "${typed}"?\n${BRIDGE_USAGE}`, 1);
    if (w === 'help') throw new CommandExit(BRIDGE_USAGE, 1);
    if (w === 'fdb_flush') continue;
    const limit = LIMIT[w];
    if (limit === undefined) {
      if (w.startsWith('vlan_')) notModelled(`ip link type bridge ${w} (the kernel's answer depends on CONFIG_BRIDGE_VLAN_FILTERING)`);
      notModelled(`ip link type bridge ${w}`);
    }
    const v = a.next();
    const n = parseUnsigned(v, limit);
    if (n === undefined) invarg(`invalid ${w}`, v);
    if (w === 'stp_state' && n !== 0) notModelled('ip link type bridge stp_state (kernel STP: ports wait forward_delay in listening and learning before the bridge has carrier)');
    if (w === 'hello_time') out.helloTime = n;
    if (w === 'max_age') out.maxAge = n;
    if (w === 'group_fwd_mask') out.groupFwdMask = n;
  }
  return out;
}
