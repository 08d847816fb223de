// `sysctl -w net.ipv4.conf.{all,default,DEV}.{ignore_routes_with_linkdown,promote_secondaries,route_localnet}=0|1`,
// in procps-ng's option forms (-w, -q -w, -qw, -wq, -n, -e, bare KEY=VALUE, several items), and reads.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { deviceName } from './universe.js';

const item = (): fc.Arbitrary<{ key: string; value: string; target: string }> =>
  fc.record({
    target: fc.oneof({ arbitrary: fc.constantFrom('all', 'default'), weight: 2 }, { arbitrary: deviceName(), weight: 3 }, { arbitrary: fc.constant('nosuch'), weight: 1 }),
    key: fc.constantFrom('ignore_routes_with_linkdown', 'ignore_routes_with_linkdown', 'promote_secondaries', 'route_localnet'),
    value: fc.constantFrom('0', '1', '1'),
  });

/** The option words procps-ng sysctl takes for a write. */
const writeOptions = (): fc.Arbitrary<string[]> => fc.constantFrom(['-w'], ['-w'], ['-w'], ['-q', '-w'], ['-qw'], ['-wq'], ['-n', '-w'], ['-ew'], []);

export function sysctlWrite(): fc.Arbitrary<IpCommand> {
  return fc
    .record({ opts: writeOptions(), items: fc.array(item(), { minLength: 1, maxLength: 3 }) })
    .map((r) =>
      cmd(
        'sysctl -w',
        [['sysctl'], r.opts, r.items.map((i) => `net.ipv4.conf.${i.target}.${i.key}=${i.value}`)],
        [
          ...r.items.map((i) => i.key),
          ...r.items.map((i) => (i.target === 'all' || i.target === 'default' || i.target === 'nosuch' ? `conf.${i.target}` : 'conf.DEV')),
          `sysctl ${r.opts.join(' ') || 'KEY=VALUE'}`,
          r.items.length > 1 && 'sysctl several items',
        ],
      ),
    );
}

/** `sysctl [-n|-N|-e] KEY…`: reads. */
export function sysctlRead(): fc.Arbitrary<IpCommand> {
  return fc
    .record({ opts: fc.constantFrom([], ['-n'], ['-N'], ['-e'], ['-q']), items: fc.array(item(), { minLength: 1, maxLength: 2 }) })
    .map((r) => cmd('sysctl read', [['sysctl'], r.opts, r.items.map((i) => `net.ipv4.conf.${i.target}.${i.key}`)], [`sysctl read ${r.opts.join(' ')}`]));
}

export function sysctlCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: sysctlWrite(), weight: 3 }, { arbitrary: sysctlRead(), weight: 1 });
}
