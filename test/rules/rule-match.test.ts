// fib_rule_match() + fib4_rule_match() (net/core/fib_rules.c, net/ipv4/fib_rules.c),
// table-driven: one rule per selector (from, to, tos, fwmark/mask, oif, ipproto + dport,
// `not` with an action), each sending its matches to its own table, and `ip route get`
// queries that match exactly one selector or none. A rule that does not match passes the
// flow on; a prohibit rule answers EACCES (fib_rules_lookup() -> fib4_rule_action()); no
// rule's table holding a route answers ENETUNREACH.
//
// Expected outputs were captured from Linux 6.18 + iproute2 6.1 in a private namespace
// (`unshare -n`, the same commands). One is not about rules: `from 203.0.113.5` is not a
// local address, which ip_route_output_key_hash_rcu() refuses with ENETUNREACH
// (__ip_dev_find() finds no device) before any rule is read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SETUP = `ip link add v0 type veth peer name v0p
ip link set v0 up
ip link set v0p up
ip addr add 192.0.2.2/24 dev v0
ip addr add 203.0.113.1/24 dev v0
${[10, 11, 12, 13, 14, 15, 16].map((t) => `ip route add default via 192.0.2.${t} table ${t}`).join('\n')}
ip rule add pref 100 from 203.0.113.0/24 lookup 10
ip rule add pref 101 to 10.5.0.0/16 lookup 11
ip rule add pref 102 tos 0x10 lookup 12
ip rule add pref 103 fwmark 0x7/0xff lookup 13
ip rule add pref 104 iif v0 lookup 14
ip rule add pref 105 oif v0 lookup 15
ip rule add pref 106 ipproto tcp dport 443 lookup 16
ip rule add pref 107 not to 10.0.0.0/8 prohibit
`;

const CASES: readonly (readonly [behaviour: string, query: string, kernel: string])[] = [
  ['`not to` matches outside the prefix and its prohibit answers EACCES', '9.9.9.9', 'RTNETLINK answers: Permission denied\n'],
  ['`to` matches a destination in the prefix', '10.5.1.1', '10.5.1.1 via 192.0.2.11 dev v0 table 11 src 192.0.2.2 uid 0 \n    cache \n'],
  ['no selector matches: the main table has no route (ENETUNREACH)', '10.7.1.1', 'RTNETLINK answers: Network is unreachable\n'],
  ['a source that is no local address is refused before the rules (ENETUNREACH)', '10.7.1.1 from 203.0.113.5', 'RTNETLINK answers: Network is unreachable\n'],
  ['`from` matches a local source in the prefix', '10.7.1.1 from 203.0.113.1', '10.7.1.1 from 203.0.113.1 via 192.0.2.10 dev v0 table 10 uid 0 \n    cache \n'],
  ['`from` does not match a local source outside the prefix', '10.7.1.1 from 192.0.2.2', 'RTNETLINK answers: Network is unreachable\n'],
  ['`tos` matches the flow tos', '10.7.1.1 tos 0x10', '10.7.1.1 via 192.0.2.12 dev v0 table 12 src 192.0.2.2 uid 0 \n    cache \n'],
  ['`fwmark/mask` matches the mark under the mask', '10.7.1.1 mark 0x107', '10.7.1.1 via 192.0.2.13 dev v0 table 13 src 192.0.2.2 mark 0x107 uid 0 \n    cache \n'],
  ['`fwmark/mask` does not match another mark under the mask', '10.7.1.1 mark 0x8', 'RTNETLINK answers: Network is unreachable\n'],
  ['`oif` matches the output device asked for', '10.7.1.1 oif v0', '10.7.1.1 via 192.0.2.15 dev v0 table 15 src 192.0.2.2 uid 0 \n    cache \n'],
  ['`ipproto tcp dport 443` matches tcp to 443', '10.7.1.1 ipproto tcp dport 443', '10.7.1.1 via 192.0.2.16 dev v0 table 16 src 192.0.2.2 uid 0 \n    cache \n'],
  ['`ipproto tcp dport 443` does not match another port', '10.7.1.1 ipproto tcp dport 80', 'RTNETLINK answers: Network is unreachable\n'],
  ['`ipproto tcp dport 443` does not match another protocol', '10.7.1.1 ipproto udp dport 443', 'RTNETLINK answers: Network is unreachable\n'],
];

for (const [behaviour, query, kernel] of CASES) {
  test(`fib_rule_match: ${behaviour} (ip route get ${query})`, () => {
    const lines = [...runScript(`${SETUP}ip route get ${query}\n`)];
    const last = lines[lines.length - 1]!;
    assert.equal(last.stdout + last.stderr, kernel);
  });
}
