// The checks of a new nexthop object (net/ipv4/nexthop.c), table-driven: rtm_to_nh_config()
// and nh_check_attr_group() on the request, then fib_check_nexthop()/nh_create_ipv4() ->
// fib_check_nh() on a gateway: a gateway no connected route reaches is refused ("Nexthop has
// invalid gateway") unless onlink; a blackhole takes no device; a group names existing ids,
// each once. Each row is one `ip nexthop add`, run after the rows before it.
//
// Expected outputs were captured from Linux 6.18 + iproute2 6.1 in a private namespace
// (`unshare -n`, the same commands).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SETUP = 'ip link add v0 type veth peer name v0p\nip link set v0 up\nip link set v0p up\n';

const ROWS: readonly (readonly [behaviour: string, command: string, output: string, exit: number])[] = [
  ['a gateway no route reaches is refused', 'ip nexthop add id 1 via 198.51.100.1 dev v0', 'Error: Nexthop has invalid gateway.\n', 2],
  ['a gateway on a device with no address is refused', 'ip nexthop add id 2 via 192.0.2.77 dev v0', 'Error: Nexthop has invalid gateway.\n', 2],
  ['an address on the device makes its subnet reachable', 'ip addr add 192.0.2.1/24 dev v0', '', 0],
  ['a gateway in a connected subnet is accepted', 'ip nexthop add id 2 via 192.0.2.77 dev v0', '', 0],
  ['onlink accepts a gateway no route reaches', 'ip nexthop add id 3 via 198.51.100.1 dev v0 onlink', '', 0],
  ['a blackhole takes no device', 'ip nexthop add id 4 blackhole dev v0', 'Error: Blackhole attribute can not be used with gateway, oif, encap or fdb.\n', 2],
  ['a group of existing ids is accepted', 'ip nexthop add id 5 group 2/3', '', 0],
  ['a group naming an id that does not exist is refused', 'ip nexthop add id 6 group 2/9', 'Error: Invalid nexthop id.\n', 2],
  ['a group naming an id twice is refused', 'ip nexthop add id 7 group 2/2', 'Error: Nexthop id can not be used twice in a group.\n', 2],
  ['what was accepted', 'ip nexthop show', 'id 2 via 192.0.2.77 dev v0 scope link \nid 3 via 198.51.100.1 dev v0 scope link onlink \nid 5 group 2/3 \n', 0],
];

test('nexthop checks, row by row (fib_check_nh, nh_check_attr_group)', async (t) => {
  const lines = [...runScript(SETUP + ROWS.map((r) => r[1]).join('\n') + '\n')].slice(-ROWS.length);
  for (const [i, [behaviour, command, output, exit]] of ROWS.entries()) {
    await t.test(behaviour, () => {
      assert.equal(lines[i]!.command, command);
      assert.equal(lines[i]!.stdout + lines[i]!.stderr, output);
      assert.equal(lines[i]!.exit, exit);
    });
  }
});
