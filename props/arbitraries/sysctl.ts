// `sysctl -w net.ipv4.conf.{all,default,DEV}.{ignore_routes_with_linkdown,promote_secondaries}=0|1`
// and the nexthop sysctls net.ipv4.{nexthop_compat_mode, fib_multipath_use_neigh,
// fib_multipath_hash_policy, fib_multipath_hash_fields}, in range and out of it.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { deviceName } from './universe.js';

function devconfWrite(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      target: fc.oneof({ arbitrary: fc.constantFrom('all', 'default'), weight: 2 }, { arbitrary: deviceName(), weight: 3 }),
      key: fc.constantFrom('ignore_routes_with_linkdown', 'ignore_routes_with_linkdown', 'promote_secondaries'),
      value: fc.constantFrom('0', '1', '1'),
    })
    .map((r) =>
      cmd('sysctl -w', [['sysctl', '-w', `net.ipv4.conf.${r.target}.${r.key}=${r.value}`]], [r.key, r.target === 'all' || r.target === 'default' ? `conf.${r.target}` : 'conf.DEV']),
    );
}

function nexthopSysctl(): fc.Arbitrary<IpCommand> {
  return fc
    .oneof(
      fc.record({ key: fc.constant('nexthop_compat_mode'), value: fc.constantFrom('0', '0', '1', '2') }),
      fc.record({ key: fc.constant('fib_multipath_use_neigh'), value: fc.constantFrom('0', '1', '2') }),
      fc.record({ key: fc.constant('fib_multipath_hash_policy'), value: fc.constantFrom('0', '1', '2', '3', '4') }),
      fc.record({ key: fc.constant('fib_multipath_hash_fields'), value: fc.constantFrom('0x0037', '7', '0', '0xfff', '0x1000') }),
    )
    .chain((r) =>
      fc
        .constantFrom('write', 'write', 'read')
        .map((how) =>
          how === 'read' ? cmd('sysctl', [['sysctl', `net.ipv4.${r.key}`]], [r.key]) : cmd('sysctl -w', [['sysctl', '-w', `net.ipv4.${r.key}=${r.value}`]], [r.key]),
        ),
    );
}

export function sysctlWrite(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: devconfWrite(), weight: 3 }, { arbitrary: nexthopSysctl(), weight: 1 });
}
