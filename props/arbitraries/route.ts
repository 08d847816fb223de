// Route commands: every route type, in main, local, default and tables 10 and 20, with
// gateways, devices, onlink, multipath `nexthop` legs, nexthop objects (nhid), tos,
// metric, src and proto; every verb (add, replace, append, prepend, change, del).

import fc from 'fast-check';
import { formatIp4 } from '../../core/net/ip4.js';
import { cmd, maybe, type IpCommand } from './ip-command.js';
import { deviceName, gateway, gateway6, KNOWN_HOSTS, routePrefix, tableWord } from './universe.js';

/** A gateway word list: IPv4 mostly, sometimes an IPv6 one (`via inet6 G`, an RTA_VIA). */
function viaWords(): fc.Arbitrary<string[]> {
  return fc.oneof({ arbitrary: gateway().map((g) => [g]), weight: 5 }, { arbitrary: gateway6().map((g) => ['inet6', g]), weight: 2 });
}

const ERROR_TYPES = ['blackhole', 'unreachable', 'prohibit', 'throw'] as const;

/** The type word: none (unicast) mostly, then every other type. */
export function routeType(): fc.Arbitrary<string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 14 },
    { arbitrary: fc.constantFrom(...ERROR_TYPES), weight: 4 },
    { arbitrary: fc.constantFrom('local', 'broadcast', 'anycast'), weight: 3 },
    { arbitrary: fc.constantFrom('unicast', 'multicast', 'nat'), weight: 1 },
  );
}

/** One multipath leg: `nexthop via G dev D [weight W] [onlink]` or `nexthop dev D`. */
function leg(): fc.Arbitrary<string[]> {
  return fc
    .record({
      gw: fc.option(viaWords(), { nil: null, freq: 2 }),
      dev: fc.option(deviceName(), { nil: null, freq: 8 }),
      weight: maybe(fc.constantFrom('2', '3'), 3),
      onlink: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
    })
    .map((l) => {
      const w = ['nexthop'];
      if (l.gw !== null) w.push('via', ...l.gw);
      if (l.dev !== null || l.gw === null) w.push('dev', l.dev ?? 'veth0');
      if (l.weight !== null) w.push('weight', l.weight);
      if (l.onlink) w.push('onlink');
      return w;
    });
}

type Shape = { words: string[]; tail: string[]; labels: string[] };

/** Where the route goes: a device, a gateway, multipath legs, a nexthop object, or nothing. */
function routeShape(errorType: boolean): fc.Arbitrary<Shape> {
  const dev: fc.Arbitrary<Shape> = deviceName().map((d) => ({ words: ['dev', d], tail: [], labels: ['dev'] }));
  const via: fc.Arbitrary<Shape> = fc
    .record({ gw: viaWords(), dev: fc.option(deviceName(), { nil: null, freq: 4 }), onlink: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) })
    .map((r) => ({
      words: ['via', ...r.gw, ...(r.dev === null ? [] : ['dev', r.dev]), ...(r.onlink ? ['onlink'] : [])],
      tail: [],
      labels: [r.gw[0] === 'inet6' ? 'via-inet6' : 'via', ...(r.dev === null ? [] : ['dev']), ...(r.onlink ? ['onlink'] : [])],
    }));
  const multipath: fc.Arbitrary<Shape> = fc.array(leg(), { minLength: 1, maxLength: 3 }).map((legs) => ({
    words: [],
    tail: legs.flat(),
    labels: [`multipath:${legs.length}`, ...(legs.some((l) => l.includes('onlink')) ? ['onlink'] : []), ...(legs.some((l) => l.includes('weight')) ? ['weight'] : [])],
  }));
  const nhid: fc.Arbitrary<Shape> = fc.constantFrom('1', '2', '3', '10', '11').map((id) => ({ words: ['nhid', id], tail: [], labels: ['nhid'] }));
  const none: fc.Arbitrary<Shape> = fc.constant({ words: [], tail: [], labels: [] });
  if (errorType) return fc.oneof({ arbitrary: none, weight: 12 }, { arbitrary: dev, weight: 1 }, { arbitrary: via, weight: 1 });
  return fc.oneof(
    { arbitrary: dev, weight: 6 },
    { arbitrary: via, weight: 6 },
    { arbitrary: multipath, weight: 3 },
    { arbitrary: nhid, weight: 2 },
    { arbitrary: none, weight: 1 },
  );
}

const tos = (): fc.Arbitrary<string[] | null> =>
  maybe(
    fc.oneof({ arbitrary: fc.constantFrom('0x04', '0x08', '0x10', '0x1c'), weight: 6 }, { arbitrary: fc.constantFrom('CS1', 'AF11', '0x02'), weight: 1 }).map((t) => ['tos', t]),
    6,
  );
const metric = (): fc.Arbitrary<string[] | null> => maybe(fc.constantFrom('10', '100', '1024').map((m) => ['metric', m]), 3);
const proto = (): fc.Arbitrary<string[] | null> => maybe(fc.constantFrom('static', 'kernel', 'bird', '99').map((p) => ['proto', p]), 6);
const scope = (): fc.Arbitrary<string[] | null> => maybe(fc.constantFrom('link', 'host', 'global', 'site').map((s) => ['scope', s]), 7);
/**
 * RTA_METRICS words (iproute_modify()): a few of mtu, advmss, window, rtt, rttvar, ssthresh,
 * cwnd, initcwnd, initrwnd, reordering, hoplimit, quickack, fastopen_no_cookie,
 * features ecn, congctl, rto_min, each possibly `lock`ed, with values that hit the
 * kernel's clamps (mtu 70000, advmss 65536) and zero (not stored).
 */
export function routeMetrics(): fc.Arbitrary<string[] | null> {
  const one = fc.oneof(
    fc.record({ k: fc.constantFrom('mtu', 'advmss', 'window', 'ssthresh', 'cwnd', 'initcwnd', 'initrwnd', 'reordering', 'hoplimit'), lock: fc.boolean(), v: fc.constantFrom('0', '1', '10', '1400', '1500', '255') }).map((m) => [m.k, ...(m.lock ? ['lock'] : []), m.v]),
    fc.constantFrom(['mtu', '70000'], ['advmss', '65536'], ['rtt', '100'], ['rtt', 'lock', '1s'], ['rttvar', '250ms'], ['rto_min', '300ms'], ['rtt', '1.5s']),
    fc.constantFrom(['quickack', '1'], ['quickack', '0'], ['fastopen_no_cookie', '1'], ['features', 'ecn']),
    fc.constantFrom(['congctl', 'bbr'], ['congctl', 'cubic'], ['congctl', 'lock', 'reno'], ['congctl', 'nosuchcc']),
  );
  return maybe(fc.array(one, { minLength: 1, maxLength: 3 }).map((ms) => ms.flat()), 4);
}

/** RTA_FLOW: `realm TO` or `realms FROM/TO`. */
export function routeRealms(): fc.Arbitrary<string[] | null> {
  return maybe(fc.constantFrom(['realm', '5'], ['realms', '3/4'], ['realms', '7/'], ['realm', '0'], ['realms', 'cosmos/2']), 8);
}

const src = (): fc.Arbitrary<string[] | null> => maybe(fc.constantFrom(...KNOWN_HOSTS).map((a) => ['src', formatIp4(a)]), 6);

/** `ip route add|replace|append|prepend|change [TYPE] PREFIX [tos] [via|dev|nhid] [table] [proto] [scope] [src] [metric] [nexthop …]`. */
export function routeNew(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      verb: fc.oneof({ arbitrary: fc.constant('add'), weight: 8 }, { arbitrary: fc.constantFrom('replace', 'append', 'prepend', 'change'), weight: 4 }),
      type: routeType(),
      prefix: routePrefix(),
      tos: tos(),
      table: tableWord(),
      proto: proto(),
      scope: scope(),
      src: src(),
      metric: metric(),
      mx: routeMetrics(),
      realms: routeRealms(),
    })
    .chain((r) => routeShape(r.type !== null && (ERROR_TYPES as readonly string[]).includes(r.type)).map((shape) => ({ ...r, shape })))
    .map((r) =>
      cmd(
        `ip route ${r.verb}`,
        [
          ['ip', 'route', r.verb],
          r.type === null ? null : [r.type],
          [r.prefix],
          r.tos,
          r.shape.words,
          r.table === null ? null : ['table', r.table],
          r.proto,
          r.scope,
          r.src,
          r.metric,
          r.mx,
          r.realms,
          r.shape.tail,
        ],
        [
          r.type === null ? 'type:unicast' : `type:${r.type}`,
          r.prefix === 'default' ? 'default' : r.prefix.includes('/') ? null : '/32',
          r.tos && 'tos',
          ...r.shape.labels,
          r.table === null ? 'table:main' : `table:${r.table}`,
          r.proto && 'proto',
          r.scope && `scope:${r.scope[1] ?? ''}`,
          r.src && 'src',
          r.metric && 'metric',
          ...(r.mx === null ? [] : r.mx.filter((w) => /^[a-z_]+$/.test(w) && w !== 'lock' && w !== 'ecn').map((w) => `metrics:${w}`)),
          r.mx?.includes('lock') && 'metrics:lock',
          r.realms && 'realms',
        ],
      ),
    );
}

/** `ip route del [TYPE] PREFIX [tos] [via G] [dev D] [table T] [proto] [scope] [metric]`. */
export function routeDel(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      type: maybe(fc.constantFrom('local', 'broadcast', 'blackhole', 'unreachable', 'throw', 'unicast'), 5),
      prefix: routePrefix(),
      tos: tos(),
      via: maybe(gateway(), 4),
      dev: maybe(deviceName(), 3),
      table: tableWord(),
      proto: maybe(fc.constantFrom('static', 'kernel', 'boot').map((p) => ['proto', p]), 8),
      metric: metric(),
      mx: maybe(fc.constantFrom(['mtu', '1400'], ['mtu', 'lock', '1500'], ['congctl', 'bbr'], ['advmss', '65536'], ['window', '0']), 6),
      realms: maybe(fc.constantFrom(['realm', '5'], ['realms', '3/4']), 8),
    })
    .map((r) =>
      cmd(
        'ip route del',
        [
          ['ip', 'route', 'del'],
          r.type === null ? null : [r.type],
          [r.prefix],
          r.tos,
          r.via === null ? null : ['via', r.via],
          r.dev === null ? null : ['dev', r.dev],
          r.table === null ? null : ['table', r.table],
          r.proto,
          r.metric,
          r.mx,
          r.realms,
        ],
        [r.mx && 'del metrics', r.realms && 'del realms', r.type && `type:${r.type}`, r.tos && 'tos', r.via !== null && 'via', r.dev !== null && 'dev', r.table === null ? 'table:main' : `table:${r.table}`, r.proto && 'proto', r.metric && 'metric'],
      ),
    );
}

/**
 * `ip [-s [-s]] route flush SELECTORS` (iproute_flush(): rounds of dump and RTM_DELROUTE, the
 * -s reports) and `flush cache` / `cached` (the IPv4 route cache, no FIB change).
 */
export function routeFlush(): fc.Arbitrary<IpCommand> {
  return fc
    .record({
      stats: fc.constantFrom([] as string[], ['-s'], ['-s', '-s']),
      sel: fc.oneof(
        tableWord().map((t) => ['table', t ?? 'main']),
        deviceName().map((d) => ['dev', d]),
        routePrefix().map((p) => ['root', p === 'default' ? '0.0.0.0/0' : p]),
        fc.constantFrom(['proto', 'static'], ['proto', 'boot'], ['table', 'all', 'proto', 'static'], ['scope', 'link'], ['type', 'blackhole', 'table', 'all'], ['cache'], ['cached', 'table', 'all'], ['table', 'cache']),
      ),
    })
    .map((r) => cmd('ip route flush', [['ip', ...r.stats, 'route', 'flush'], r.sel], [r.sel[0] ?? null, r.stats.length > 0 && `stats:${r.stats.length}`]));
}

export function routeCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: routeNew(), weight: 8 }, { arbitrary: routeDel(), weight: 2 }, { arbitrary: routeFlush(), weight: 1 });
}
