// `sysctl -w net.ipv4.conf.{all,default,DEV}.{ignore_routes_with_linkdown,promote_secondaries}=0|1`.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { deviceName } from './universe.js';

export function sysctlWrite(): fc.Arbitrary<IpCommand> {
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
