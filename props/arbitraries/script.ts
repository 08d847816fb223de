// Whole scripts: a setup that creates 2-4 veth pairs (and maybe the bridge, maybe lo up,
// maybe IPv6 on),
// then a body of changes interleaved with observations, ending with a full dump so that
// any state difference shows.

import fc from 'fast-check';
import { cmd, IpCommand } from './ip-command.js';
import { bridgeAdd, linkCommand, vethPairAdd } from './link.js';
import { addrAdd, addrCommand } from './address.js';
import { routeCommand } from './route.js';
import { ruleCommand } from './rule.js';
import { nexthopCommand } from './nexthop.js';
import { sysctlCommand } from './sysctl.js';
import { observation } from './observation.js';

export interface ScriptConstraints {
  /** Most commands in a script, setup and final dumps included (default 25). */
  readonly maxCommands?: number;
}

/** The setup: veth pairs 0..n-1 (n in 2..4), the bridge (often), lo up (often). */
export function setup(): fc.Arbitrary<IpCommand[]> {
  return fc
    .record({
      n: fc.integer({ min: 2, max: 4 }),
      pairs: fc.array(fc.record({ cmd: vethPairAdd(fc.constant(0)), peerUp: fc.integer({ min: 0, max: 4 }).map((n) => n > 1) }), { minLength: 4, maxLength: 4 }),
      bridge: fc.option(bridgeAdd(), { nil: null, freq: 3 }),
      lo: fc.boolean(),
      addrs: fc.array(addrAdd(), { minLength: 0, maxLength: 3 }),
      // IPv6 on in a third of the scripts (the kernel runner turns it off), so that IPv6
      // gateways of IPv4 routes and v6 nexthop objects are accepted, not only refused.
      ipv6: fc.integer({ min: 0, max: 2 }).map((k) => k === 0),
    })
    .map(({ n, pairs, bridge, lo, addrs, ipv6 }) => {
      const out: IpCommand[] = [];
      if (ipv6) out.push(cmd('sysctl -w', [['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=0']], ['disable_ipv6']));
      if (lo) out.push(cmd('ip link set up/down', [['ip', 'link', 'set', 'dev', 'lo', 'up']], ['up', 'lo']));
      pairs.slice(0, n).forEach((p, k) => {
        out.push(new IpCommand(p.cmd.kind, p.cmd.words.map((w) => w.replace('veth0', `veth${k}`)), p.cmd.options));
        if (p.peerUp) out.push(cmd('ip link set up/down', [['ip', 'link', 'set', 'dev', `veth${k}peer`, 'up']], ['up', 'peer-end']));
      });
      if (bridge !== null) out.push(bridge);
      out.push(...addrs);
      return out;
    });
}

/** One step of the body: a change of any kind, or an observation. */
export function bodyCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    { arbitrary: addrCommand(), weight: 6 },
    { arbitrary: routeCommand(), weight: 8 },
    { arbitrary: linkCommand(), weight: 4 },
    { arbitrary: ruleCommand(), weight: 4 },
    { arbitrary: nexthopCommand(), weight: 4 },
    { arbitrary: sysctlCommand(), weight: 2 },
    { arbitrary: observation(), weight: 7 },
  );
}

/** The final observations every script ends with. */
export const FINAL_DUMPS: readonly IpCommand[] = [
  cmd('ip route show table all', [['ip', '-4', 'route', 'show', 'table', 'all']]),
  cmd('ip rule', [['ip', 'rule']]),
  cmd('ip addr show', [['ip', '-4', '-o', 'addr', 'show']]),
];

/**
 * A script of `ip`/`sysctl` commands over the universe.
 * @example fc.sample(ipScript(), 1)[0].map(String).join('\n')
 */
export function ipScript(c: ScriptConstraints = {}): fc.Arbitrary<IpCommand[]> {
  const max = Math.max(8, c.maxCommands ?? 25);
  // setup is at most 13 commands, final dumps 3.
  const bodyMax = Math.max(2, max - 14);
  return fc
    .tuple(setup(), fc.array(bodyCommand(), { minLength: Math.min(4, bodyMax), maxLength: bodyMax }))
    .map(([s, b]) => ipv4Dumps([...s, ...b, ...FINAL_DUMPS]));
}

/**
 * While IPv6 is on (net.ipv6.conf.all.disable_ipv6=0), dumps of every family show
 * addrconf's IPv6 addresses and routes, which the model does not keep (it refuses them by
 * name): address listings and `table all` route dumps get `-4` then.
 */
function ipv4Dumps(cmds: readonly IpCommand[]): IpCommand[] {
  let on = false;
  return cmds.map((c) => {
    const w = c.words;
    if (w[0] === 'sysctl') {
      for (const x of w) {
        if (x === 'net.ipv6.conf.all.disable_ipv6=0') on = true;
        else if (x === 'net.ipv6.conf.all.disable_ipv6=1') on = false;
      }
      return c;
    }
    if (w[0] !== 'ip' || w.includes('-4') || w.includes('-0')) return c;
    const obj = w.slice(1).find((x) => !x.startsWith('-'));
    // `default` leaves the family open, so a first `via inet6 G` would make an IPv6 route
    // (iproute_modify(): rtm_family from the gateway): -4 keeps it IPv4 (an RTA_VIA).
    if (obj === 'route' && w.includes('inet6') && w.includes('default')) return new IpCommand(c.kind, ['ip', '-4', ...w.slice(1)], c.options);
    if (!on) return c;
    const addr = obj !== undefined && 'address'.startsWith(obj);
    if (!addr && !(obj === 'route' && w.includes('all'))) return c;
    return new IpCommand(c.kind, ['ip', '-4', ...w.slice(1)], c.options);
  });
}
