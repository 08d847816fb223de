// Observations interleaved with the changes: route dumps of every table, rules, netconf,
// addresses, nexthop objects, and `ip route get` with from/oif/iif/mark/tos/uid/ipproto;
// with `-N` (numbers for names), and the link and address listings in `-j` and `-br` form.

import fc from 'fast-check';
import { formatIp4 } from '../../core/net/ip4.js';
import { cmd, maybe, type IpCommand } from './ip-command.js';
import { deviceName, KNOWN_HOSTS, lookupAddress } from './universe.js';

/** `ip [-N] [-d] [-j] route get ADDR [from S] [iif D] [oif D] [mark M] [tos T] [uid U] [ipproto P dport N]`. */
export function routeGet(): fc.Arbitrary<IpCommand> {
  const opt = maybe;
  return fc
    .record({
      dst: lookupAddress(),
      from: opt(fc.oneof({ arbitrary: fc.constantFrom(...KNOWN_HOSTS).map(formatIp4), weight: 4 }, { arbitrary: fc.constantFrom('10.9.0.1', '8.8.4.4'), weight: 1 }), 4),
      dev: opt(fc.tuple(fc.constantFrom('oif', 'oif', 'iif'), deviceName()), 4),
      mark: opt(fc.constantFrom('1', '7', '0x10', '0x11'), 6),
      tos: opt(fc.constantFrom('0x04', '0x08', '0x10', '0x1c', '0x20'), 6),
      uid: opt(fc.constantFrom('150', '1500'), 12),
      proto: opt(fc.constantFrom(['ipproto', 'tcp'], ['ipproto', 'udp', 'dport', '53'], ['dport', '1500']), 12),
      global: opt(fc.constantFrom(['-N'], ['-j'], ['-N', '-j'], ['-j', '-p'], ['-d'], ['-d', '-j']), 6),
      connected: opt(fc.constant(['connected']), 8),
    })
    .map((r) => {
      const iif = r.dev !== null && r.dev[0] === 'iif';
      // The input path needs a source (a zero source is EINVAL): give one most of the time.
      const from = r.from ?? (iif ? '203.0.113.99' : null);
      return cmd(
        'ip route get',
        [
          ['ip', ...(r.global ?? []), 'route', 'get', r.dst],
          from === null ? null : ['from', from],
          r.dev === null ? null : [r.dev[0], r.dev[1]],
          r.mark === null ? null : ['mark', r.mark],
          r.tos === null ? null : ['tos', r.tos],
          r.uid === null ? null : ['uid', r.uid],
          r.proto,
          r.connected,
        ],
        [r.connected !== null && 'connected', from !== null && 'from', r.dev !== null && r.dev[0], r.mark !== null && 'mark', r.tos !== null && 'tos', r.uid !== null && 'uid', r.proto !== null && 'ipproto/dport', ...(r.global ?? [])],
      );
    });
}

/** The dumps: `ip -4 route show table all`, `ip rule`, `ip -4 netconf show`, `ip -4 -o addr show`, `ip nexthop show`. */
export function dump(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    { arbitrary: fc.constant(cmd('ip route show table all', [['ip', '-4', 'route', 'show', 'table', 'all']])), weight: 4 },
    { arbitrary: fc.constant(cmd('ip rule', [['ip', 'rule']])), weight: 2 },
    { arbitrary: fc.constant(cmd('ip netconf show', [['ip', '-4', 'netconf', 'show']])), weight: 1 },
    { arbitrary: fc.constantFrom(['-j'], ['-j', '-p']).map((j) => cmd('ip netconf show', [['ip', ...j, '-4', 'netconf', 'show']], j)), weight: 1 },
    { arbitrary: fc.constant(cmd('ip addr show', [['ip', '-4', '-o', 'addr', 'show']])), weight: 2 },
    { arbitrary: fc.constant(cmd('ip nexthop show', [['ip', 'nexthop', 'show']])), weight: 1 },
    { arbitrary: numericDump(), weight: 2 },
    { arbitrary: listing(), weight: 3 },
  );
}

/** `ip -N …`: the dumps and listings with numbers for names (lib/rt_names.c `numeric`). */
export function numericDump(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      j: fc.constantFrom([] as string[], [] as string[], ['-j']),
      what: fc.constantFrom(['route', 'show', 'table', 'all'], ['-d', 'route', 'show', 'table', 'all'], ['rule'], ['nexthop'], ['-d', 'nexthop'], ['addr'], ['-o', 'addr'], ['link'], ['-4', 'netconf']),
    })
    .map((r) => cmd('ip -N', [['ip', '-N', ...r.j], r.what], [r.what.filter((w) => !w.startsWith('-'))[0] ?? null, ...r.j]));
}

/** `ip [-br] [-j [-p]] [-4|-0] link|addr show [up] [dev D]`: print_linkinfo(), print_linkinfo_brief(), print_addrinfo(). */
export function listing(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      obj: fc.constantFrom('link', 'addr', 'address'),
      br: fc.constantFrom([] as string[], ['-br'], ['-brief']),
      j: fc.constantFrom([] as string[], ['-j'], ['-j', '-p']),
      fam: fc.constantFrom([] as string[], [] as string[], ['-4'], ['-0']),
      up: maybe(fc.constant(['up']), 4),
      dev: maybe(deviceName().map((d) => ['dev', d]), 4),
    })
    .map((r) =>
      cmd(
        `ip ${r.obj === 'link' ? 'link' : 'address'} show`,
        [['ip', ...r.br, ...r.j, ...r.fam, r.obj, 'show'], r.up, r.dev],
        [r.br.length > 0 && 'brief', r.j[0], r.j[1], r.fam[0], r.up !== null && 'up', r.dev !== null && 'dev'],
      ),
    );
}

export function observation(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: routeGet(), weight: 3 }, { arbitrary: dump(), weight: 2 });
}
