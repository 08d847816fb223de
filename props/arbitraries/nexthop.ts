// Nexthop objects: `ip nexthop add|replace id N (via G dev D [onlink] | dev D | blackhole |
// via G fdb | group a[,w]/b [fdb] [type mpath | type resilient buckets N …])`, delete and
// flush (with and without selectors), and the dumps: show with every filter, get, -j,
// bucket show|get. Ids: 1-4 singles (3 and 4 often blackholes), 5 fdb, 10-11 hash-threshold
// groups (routes use them), 12-13 resilient groups, 14 an fdb group. Replaces cross the
// kinds (single <-> group <-> blackhole) to reach every replace_nexthop() refusal.
// Routes never use the resilient groups: a lookup through one marks a bucket busy, which
// the model does not follow (README).

import fc from 'fast-check';
import { cmd, maybe, type IpCommand } from './ip-command.js';
import { deviceName, gateway, gateway6 } from './universe.js';

interface Body {
  readonly id: string;
  readonly words: readonly string[];
  readonly label: string;
}

function single(): fc.Arbitrary<Body> {
  return fc
    .record({
      id: fc.constantFrom('1', '2', '3', '4'),
      // An IPv6 gateway makes an AF_INET6 nexthop (nh_create_ipv6()), which IPv4 routes use.
      gw: fc.option(fc.oneof({ arbitrary: gateway(), weight: 3 }, { arbitrary: gateway6(), weight: 1 }), { nil: null, freq: 4 }),
      dev: deviceName(),
      onlink: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
    })
    .map((r) => ({
      id: r.id,
      words: [...(r.gw === null ? [] : ['via', r.gw]), 'dev', r.dev, ...(r.onlink ? ['onlink'] : [])],
      label: r.gw === null ? 'dev' : r.gw.includes(':') ? 'via6' : r.onlink ? 'onlink' : 'via',
    }));
}

function blackhole(): fc.Arbitrary<Body> {
  return fc.constantFrom('3', '4', '1').map((id) => ({ id, words: ['blackhole'], label: 'blackhole' }));
}

function fdb(): fc.Arbitrary<Body> {
  return fc.tuple(fc.constantFrom('5', '5', '2'), gateway()).map(([id, gw]) => ({ id, words: ['via', gw, 'fdb'], label: 'fdb' }));
}

function mpathGroup(): fc.Arbitrary<Body> {
  return fc
    .tuple(fc.constantFrom('10', '11', '1'), fc.constantFrom('1/2', '1,3/2', '2', '3', '4', '3/1', '1/4', '1/1', '1/10', '2,256/1'), maybe(fc.constant(['type', 'mpath']), 4))
    .map(([id, g, t]) => ({ id, words: ['group', g, ...(t ?? [])], label: g === '3' || g === '4' ? 'group-of-one' : 'group' }));
}

function resilientGroup(): fc.Arbitrary<Body> {
  return fc
    .record({
      id: fc.constantFrom('12', '13'),
      g: fc.constantFrom('1/2', '1,3/2', '2/1/4', '1', '3', '1,2/2,3'),
      buckets: maybe(fc.constantFrom('4', '7', '8', '16'), 5),
      idle: maybe(fc.constantFrom('0', '30', '120'), 3),
      unbalanced: maybe(fc.constantFrom('0', '5'), 4),
    })
    .map((r) => ({
      id: r.id,
      words: ['group', r.g, 'type', 'resilient', ...(r.buckets === null ? [] : ['buckets', r.buckets]), ...(r.idle === null ? [] : ['idle_timer', r.idle]), ...(r.unbalanced === null ? [] : ['unbalanced_timer', r.unbalanced])],
      label: 'resilient',
    }));
}

function fdbGroup(): fc.Arbitrary<Body> {
  return fc.tuple(fc.constantFrom('14', '10'), fc.constantFrom('5', '5/2', '1')).map(([id, g]) => ({ id, words: ['group', g, 'fdb'], label: 'fdb-group' }));
}

export function nexthopAdd(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      verb: fc.constantFrom('add', 'add', 'add', 'replace'),
      body: fc.oneof(
        { arbitrary: single(), weight: 5 },
        { arbitrary: blackhole(), weight: 2 },
        { arbitrary: fdb(), weight: 1 },
        { arbitrary: mpathGroup(), weight: 3 },
        { arbitrary: resilientGroup(), weight: 2 },
        { arbitrary: fdbGroup(), weight: 1 },
      ),
      proto: maybe(fc.constantFrom('static', '99'), 8),
    })
    .map(({ verb, body, proto }) =>
      cmd(`ip nexthop ${verb}`, [['ip', 'nexthop', verb, 'id', body.id], body.words, proto === null ? null : ['proto', proto]], [body.label, proto === null ? null : 'proto']),
    );
}

export function nexthopDel(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    { arbitrary: fc.constantFrom('1', '2', '3', '4', '5', '10', '12', '14').map((id) => cmd('ip nexthop del', [['ip', 'nexthop', 'del', 'id', id]])), weight: 4 },
    {
      arbitrary: fc
        .constantFrom(['dev', 'veth0'], ['groups'], ['protocol', '99'], ['id', '2'], [] as string[], ['master', 'br0'])
        .map((sel) => cmd('ip nexthop flush', [['ip', 'nexthop', 'flush'], sel], [sel[0] ?? 'all'])),
      weight: 1,
    },
  );
}

/** The nexthop dumps: show with a filter, get, -j, bucket show|get. */
export function nexthopDump(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    {
      arbitrary: fc
        .record({
          j: fc.constantFrom([] as string[], ['-j'], ['-4'], ['-d']),
          sel: fc.constantFrom([] as string[], ['dev', 'veth0'], ['dev', 'veth1'], ['groups'], ['fdb'], ['master', 'br0'], ['protocol', '4'], ['id', '10'], ['id', '12']),
        })
        .map((r) => cmd('ip nexthop show', [['ip', ...r.j, 'nexthop', 'show'], r.sel], [r.sel[0] ?? 'all', r.j[0] ?? null])),
      weight: 4,
    },
    { arbitrary: fc.constantFrom('1', '3', '12').map((id) => cmd('ip nexthop get', [['ip', 'nexthop', 'get', 'id', id]])), weight: 1 },
    {
      arbitrary: fc
        .constantFrom([] as string[], ['id', '12'], ['id', '13'], ['nhid', '1'], ['dev', 'veth1'], ['id', '10'])
        .map((sel) => cmd('ip nexthop bucket show', [['ip', 'nexthop', 'bucket', 'show'], sel], [sel[0] ?? 'all'])),
      weight: 2,
    },
    { arbitrary: fc.constantFrom('0', '3', '7', '8').map((i) => cmd('ip nexthop bucket get', [['ip', 'nexthop', 'bucket', 'get', 'id', '12', 'index', i]])), weight: 1 },
  );
}

export function nexthopCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: nexthopAdd(), weight: 5 }, { arbitrary: nexthopDel(), weight: 1 }, { arbitrary: nexthopDump(), weight: 2 });
}
