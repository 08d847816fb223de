// Link commands: veth pairs and the bridge being created, brought up and down (either end
// of a pair, so carrier flaps on the other), enslaved, renamed, their MTU changed, deleted.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { anyDeviceName, BRIDGE, MACVLAN, peerOf, RENAMES, VETH } from './universe.js';

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

/**
 * `ip link add link L name mv0 [up] [mtu N] type macvlan [mode M]`: carrier from L, M-DOWN,
 * the MTU bounded by L's, lo refused, a macvlan as L standing for its own lower device.
 */
export function macvlanAdd(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      lower: fc.oneof({ arbitrary: fc.constantFrom('veth0', 'veth1', 'veth0peer'), weight: 6 }, { arbitrary: fc.constantFrom(BRIDGE, 'lo', MACVLAN, 'vethr0'), weight: 2 }),
      up: fc.boolean(),
      mtu: fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: fc.constantFrom(1400, 1500, 9000), weight: 1 }),
      mode: fc.constantFrom(null, 'bridge', 'private', 'vepa'),
    })
    .map(({ lower, up, mtu, mode }) =>
      cmd(
        'ip link add macvlan',
        [['ip', 'link', 'add', 'link', lower, 'name', MACVLAN], up ? ['up'] : null, mtu === null ? null : ['mtu', String(mtu)], ['type', 'macvlan'], mode === null ? null : ['mode', mode]],
        [up && 'up', lower === 'lo' && 'lo', lower === MACVLAN && 'on-macvlan', mtu !== null && 'mtu'],
      ),
    );
}

/**
 * `ip link set dev D address|arp|promisc|allmulticast|multicast|txqueuelen|alias …`: device
 * attributes that change no route (do_setlink order, EADDRNOTAVAIL for a multicast address).
 */
export function linkAttr(): fc.Arbitrary<IpCommand> {
  const attr = fc.constantFrom(
    ['address', '02:00:00:00:00:0a'],
    ['address', '01:00:00:00:00:01'],
    ['arp', 'off'],
    ['arp', 'on'],
    ['promisc', 'on'],
    ['allmulticast', 'on'],
    ['multicast', 'off'],
    ['txqueuelen', '500'],
    ['alias', 'uplink'],
    ['mtu', '1400', 'address', '01:00:00:00:00:01'],
  );
  return fc.tuple(anyDeviceName(), attr).map(([d, a]) => cmd('ip link set attribute', [['ip', 'link', 'set', 'dev', d, ...a]], [a[0] ?? '', d === 'lo' && 'lo']));
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
    { arbitrary: macvlanAdd(), weight: 1 },
    { arbitrary: linkAttr(), weight: 1 },
  );
}
