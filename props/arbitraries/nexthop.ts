// Nexthop objects: `ip nexthop add|replace id N (via G dev D [onlink] | dev D | blackhole | group a[,w]/b)`, delete.

import fc from 'fast-check';
import { cmd, type IpCommand } from './ip-command.js';
import { deviceName, gateway } from './universe.js';

export function nexthopAdd(): fc.Arbitrary<IpCommand> {
  const single = fc
    .record({ id: fc.constantFrom('1', '2', '3'), gw: fc.option(gateway(), { nil: null, freq: 4 }), dev: deviceName(), onlink: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) })
    .map((r) => ({ id: r.id, words: [...(r.gw === null ? [] : ['via', r.gw]), 'dev', r.dev, ...(r.onlink ? ['onlink'] : [])], label: r.gw === null ? 'dev' : r.onlink ? 'onlink' : 'via' }));
  const blackhole = fc.constantFrom('3', '4').map((id) => ({ id, words: ['blackhole'], label: 'blackhole' }));
  const group = fc
    .tuple(fc.constantFrom('10', '11'), fc.constantFrom('1/2', '1,3/2', '2', '1/4', '1/10'))
    .map(([id, g]) => ({ id, words: ['group', g], label: 'group' }));
  return fc
    .record({ verb: fc.constantFrom('add', 'add', 'add', 'replace'), body: fc.oneof({ arbitrary: single, weight: 4 }, { arbitrary: blackhole, weight: 1 }, { arbitrary: group, weight: 2 }) })
    .map(({ verb, body }) => cmd(`ip nexthop ${verb}`, [['ip', 'nexthop', verb, 'id', body.id], body.words], [body.label]));
}

export function nexthopDel(): fc.Arbitrary<IpCommand> {
  return fc.constantFrom('1', '2', '3', '4', '10').map((id) => cmd('ip nexthop del', [['ip', 'nexthop', 'del', 'id', id]]));
}

export function nexthopCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: nexthopAdd(), weight: 4 }, { arbitrary: nexthopDel(), weight: 1 });
}
