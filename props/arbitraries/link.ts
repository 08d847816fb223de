// Link commands: veth pairs and the bridge being created, brought up and down (either end
// of a pair, so carrier flaps on the other), enslaved, renamed, their MTU changed, deleted.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { anyDeviceName, BRIDGE, peerOf, RENAMES, VETH } from './universe.js';

/** `ip link add name vethK [up] type veth peer name vethKpeer [up]` (the kernel refuses a peer `up`: ENOTCONN). */
export function vethPairAdd(index: fc.Arbitrary<number> = fc.integer({ min: 0, max: VETH.length - 1 })): fc.Arbitrary<IpCommand> {
  return fc.record({ k: index, up: fc.boolean(), peerUp: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }).map(({ k, up, peerUp }) => {
    const name = VETH[k] ?? 'veth0';
    return cmd(
      'ip link add veth',
      [['ip', 'link', 'add', 'name', name], up ? ['up'] : null, ['type', 'veth', 'peer', 'name', peerOf(name)], peerUp ? ['up'] : null],
      [up && 'up', peerUp && 'peer-up'],
    );
  });
}

/** `ip link add name br0 [up] type bridge`. */
export function bridgeAdd(): fc.Arbitrary<IpCommand> {
  return fc.boolean().map((up) => cmd('ip link add bridge', [['ip', 'link', 'add', 'name', BRIDGE], up ? ['up'] : null, ['type', 'bridge']], [up && 'up']));
}

/** `ip link set dev D up|down`: admin flaps of any device (a veth end flaps its peer's carrier). */
export function linkUpDown(): fc.Arbitrary<IpCommand> {
  return fc.tuple(anyDeviceName(), fc.boolean()).map(([d, up]) => cmd('ip link set up/down', [['ip', 'link', 'set', 'dev', d, up ? 'up' : 'down']], [up ? 'up' : 'down', d === 'lo' && 'lo', d === BRIDGE && 'bridge', d.endsWith('peer') && 'peer-end']));
}

/** `ip link set dev P master br0` / `nomaster`. */
export function linkMaster(): fc.Arbitrary<IpCommand> {
  return fc.tuple(anyDeviceName(), fc.boolean()).map(([d, on]) =>
    cmd('ip link set master', [['ip', 'link', 'set', 'dev', d], on ? ['master', BRIDGE] : ['nomaster']], [on ? 'master' : 'nomaster']),
  );
}

/** `ip link set dev D name N` (the kernel refuses while D is up). */
export function linkRename(): fc.Arbitrary<IpCommand> {
  return fc
    .tuple(anyDeviceName(), fc.oneof({ arbitrary: fc.constantFrom(...RENAMES), weight: 3 }, { arbitrary: fc.constantFrom('veth0', 'veth1', 'veth1peer'), weight: 1 }))
    .map(([d, n]) => cmd('ip link set name', [['ip', 'link', 'set', 'dev', d, 'name', n]], []));
}

/** `ip link set dev D mtu N`: dev_validate_mtu() bounds, a bridge following its smallest port (br_mtu_auto_adjust). */
export function linkMtu(): fc.Arbitrary<IpCommand> {
  return fc
    .tuple(anyDeviceName(), fc.constantFrom(68, 576, 1280, 1400, 1500, 9000, 65535, 67, 70000))
    // lo has no bounds: below 68 IPv4 leaves it (inetdev_destroy), which the model refuses by name
    .map(([d, n]) => [d, d === 'lo' && n < 68 ? 1500 : n] as const)
    .map(([d, n]) => cmd('ip link set mtu', [['ip', 'link', 'set', 'dev', d, 'mtu', String(n)]], [d === BRIDGE && 'bridge', (n < 68 || n > 65535) && 'bad-mtu']));
}

/** `ip link del dev D` (a veth takes its peer along). */
export function linkDel(): fc.Arbitrary<IpCommand> {
  return anyDeviceName().map((d) => cmd('ip link del', [['ip', 'link', 'del', 'dev', d]], [d === BRIDGE && 'bridge', d.endsWith('peer') && 'peer-end']));
}

/** Any link command of the body of a script, flaps most often. */
export function linkCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    { arbitrary: linkUpDown(), weight: 10 },
    { arbitrary: linkMaster(), weight: 2 },
    { arbitrary: linkRename(), weight: 1 },
    { arbitrary: linkMtu(), weight: 1 },
    { arbitrary: linkDel(), weight: 1 },
    { arbitrary: vethPairAdd(), weight: 1 },
    { arbitrary: bridgeAdd(), weight: 1 },
  );
}
