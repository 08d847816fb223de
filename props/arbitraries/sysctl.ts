// `sysctl -w net.ipv4.conf.{all,default,DEV}.{ignore_routes_with_linkdown,promote_secondaries,route_localnet,
// rp_filter,accept_local,src_valid_mark,send_redirects,shared_media,forwarding}=0|1 (rp_filter also 2)`,
// in procps-ng's option forms (-w, -q -w, -qw, -wq, -n, -e, bare KEY=VALUE, several items), and reads;
// the nexthop sysctls net.ipv4.{nexthop_compat_mode, fib_multipath_*}, in range and out of it.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { deviceName } from './universe.js';

// The keys fib_validate_source() reads (rp_filter 0/1/2, accept_local, src_valid_mark,
// send_redirects, shared_media) and forwarding go with the `ip route get ... iif` observations.
const item = (): fc.Arbitrary<{ key: string; value: string; target: string }> =>
  fc
    .record({
      target: fc.oneof({ arbitrary: fc.constantFrom('all', 'default'), weight: 2 }, { arbitrary: deviceName(), weight: 3 }, { arbitrary: fc.constant('nosuch'), weight: 1 }),
      key: fc.oneof(
        { arbitrary: fc.constantFrom('ignore_routes_with_linkdown', 'ignore_routes_with_linkdown', 'promote_secondaries', 'route_localnet'), weight: 4 },
        { arbitrary: fc.constantFrom('rp_filter', 'rp_filter', 'accept_local', 'src_valid_mark', 'send_redirects', 'shared_media', 'forwarding'), weight: 2 },
      ),
      value: fc.constantFrom('0', '1', '1', '2'),
    })
    .map((i) => (i.value === '2' && i.key !== 'rp_filter' ? { ...i, value: '1' } : i));

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

/** The nexthop sysctls net.ipv4.{nexthop_compat_mode, fib_multipath_*}, in range and out of it, written and read. */
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
          how === 'read' ? cmd('sysctl read', [['sysctl', `net.ipv4.${r.key}`]], [r.key]) : cmd('sysctl -w', [['sysctl', '-w', `net.ipv4.${r.key}=${r.value}`]], [r.key]),
        ),
    );
}

/** net.ipv6.conf.all.disable_ipv6 (the one net.ipv6 key of the model): IPv6 on or off for IPv6 gateways. */
function ipv6Sysctl(): fc.Arbitrary<IpCommand> {
  return fc
    .constantFrom('0', '1', 'read')
    .map((v) =>
      v === 'read'
        ? cmd('sysctl read', [['sysctl', 'net.ipv6.conf.all.disable_ipv6']], ['disable_ipv6'])
        : cmd('sysctl -w', [['sysctl', '-w', `net.ipv6.conf.all.disable_ipv6=${v}`]], ['disable_ipv6']),
    );
}

export function sysctlCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: sysctlWrite(), weight: 3 }, { arbitrary: sysctlRead(), weight: 1 }, { arbitrary: nexthopSysctl(), weight: 1 }, { arbitrary: ipv6Sysctl(), weight: 1 });
}
