// Address commands: primaries and secondaries from overlapping subnets, peers, /31 and
// /32, `brd +`, noprefixroute, metrics, scopes; replace and delete (with and without a
// prefix length: the wildcard delete).

import fc from 'fast-check';
import { formatIp4 } from '../../core/net/ip4.js';
import { cmd, maybe, type IpCommand } from './ip-command.js';
import { deviceName, localAddress } from './universe.js';

/** The address part of `ip address add`: `A/len`, or `A peer P[/len]`. */
function addressWords(): fc.Arbitrary<{ words: readonly string[]; label: string | null }> {
  return fc.oneof(
    { arbitrary: localAddress().map((a) => ({ words: [`${formatIp4(a.addr)}/${a.len}`], label: null })), weight: 10 },
    {
      arbitrary: fc
        .constantFrom(['10.9.0.1', 'peer', '10.9.0.2'], ['10.9.1.1', 'peer', '10.9.5.0/24'], ['10.9.0.3', 'peer', '10.9.0.2'])
        .map((w) => ({ words: w, label: 'peer' })),
      weight: 2,
    },
  );
}

/** `ip address add|replace ADDR [brd +] [scope S] [metric M] [noprefixroute] dev D`. */
export function addrAdd(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      verb: fc.constantFrom('add', 'add', 'add', 'replace', 'change'),
      a: addressWords(),
      brd: maybe(fc.constant(['brd', '+']), 4),
      scope: maybe(fc.constantFrom(['scope', 'link'], ['scope', 'host']), 6),
      metric: maybe(fc.constantFrom(['metric', '10'], ['metric', '100']), 5),
      npr: maybe(fc.constant(['noprefixroute']), 6),
      dev: deviceName(),
    })
    .map((r) =>
      cmd(
        `ip address ${r.verb}`,
        [['ip', 'address', r.verb], r.a.words, r.brd, r.scope, r.metric, r.npr, ['dev', r.dev]],
        [r.a.label, r.a.words[0]?.endsWith('/31') && '/31', r.a.words[0]?.endsWith('/32') && '/32', r.brd && 'brd', r.scope && `scope:${r.scope[1] ?? ''}`, r.metric && 'metric', r.npr && 'noprefixroute'],
      ),
    );
}

/** `ip address del ADDR[/len] dev D`. */
export function addrDel(): fc.Arbitrary<IpCommand> {
  return fc
    .record({ a: localAddress(), wildcard: fc.integer({ min: 0, max: 9 }).map((n) => n === 0), dev: deviceName() })
    .map(({ a, wildcard, dev }) =>
      cmd('ip address del', [['ip', 'address', 'del', wildcard ? formatIp4(a.addr) : `${formatIp4(a.addr)}/${a.len}`, 'dev', dev]], [wildcard && 'wildcard']),
    );
}

/**
 * `ip [-s [-s]] [-4] address flush SELECTORS`: dev, scope, label (with a shell pattern),
 * to PREFIX, permanent/dynamic, primary/secondary (ipaddr_list_flush_or_save()).
 */
export function addrFlush(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      stats: fc.constantFrom([], [], ['-s'], ['-s', '-s']),
      four: maybe(fc.constant(['-4']), 3),
      dev: maybe(deviceName().map((d) => ['dev', d]), 2),
      scope: maybe(fc.constantFrom(['scope', 'global'], ['scope', 'link'], ['scope', 'host'], ['scope', 'all']), 4),
      label: maybe(fc.constantFrom(['label', 'veth0'], ['label', 'veth*'], ['label', '*:1']), 5),
      to: maybe(
        fc.constantFrom(...[0x0a000001, 0x0a010000, 0x0a000000, 0xc0a80001].map((a) => formatIp4(a))).chain((a) => fc.constantFrom(a, `${a}/8`, `${a}/16`, `${a}/24`)).map((a) => ['to', a]),
        4,
      ),
      flag: maybe(fc.constantFrom(['permanent'], ['dynamic'], ['primary'], ['secondary'], ['-secondary']), 4),
    })
    .filter((r) => r.dev !== null || r.scope !== null || r.label !== null || r.to !== null || r.flag !== null)
    .map((r) =>
      cmd(
        'ip address flush',
        [['ip'], r.stats, r.four, ['address', 'flush'], r.dev, r.scope, r.label, r.to, r.flag],
        [r.stats.length > 0 && `flush -s${r.stats.length}`, r.dev && 'flush dev', r.scope && 'flush scope', r.label && 'flush label', r.to && 'flush to', r.flag && `flush ${r.flag[0] ?? ''}`],
      ),
    );
}

export function addrCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: addrAdd(), weight: 6 }, { arbitrary: addrDel(), weight: 2 }, { arbitrary: addrFlush(), weight: 1 });
}
