// Effects as text for `kfib run --explain`: one line per change, marked silent or
// notified, with the kernel function that made it.

import type { Effect } from '../snapshot/effects.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { formatRouteLine } from '../print/route-line.js';
import { formatIp4 } from '../net/ip4.js';
import { formatRule } from './ip-rule.js';

/**
 * Describes the effects of one command. Flag changes of routes that the same event then
 * deleted are folded into the deletion; table creation is shown only when nothing else is.
 */
export function describeEffects(before: FibSnapshot, after: FibSnapshot, effects: readonly Effect[]): string[] {
  const out: string[] = [];
  const deleted = new Set(effects.filter((e) => e.kind === 'route-del').map((e) => (e.kind === 'route-del' ? e.route.alias : null)));
  for (const e of effects) {
    const mark = e.notified ? 'notified' : 'silent  ';
    const route = (r: Parameters<typeof formatRouteLine>[1], s: FibSnapshot): string =>
      formatRouteLine(s, r, {}).trimEnd().replace(/\n\t/g, ' | ');
    switch (e.kind) {
      case 'route-add':
        out.push(`${mark} route added     ${route(e.route, after)}   (${e.cause})`);
        break;
      case 'route-del':
        out.push(`${mark} route deleted   ${route(e.route, before)}   (${e.cause})`);
        break;
      case 'route-replace':
        out.push(`${mark} route replaced  ${route(e.old, before)}  ->  ${route(e.route, after)}   (${e.cause})`);
        break;
      case 'route-flags':
        if (deleted.has(e.route.alias)) break;
        out.push(`${mark} route flags     ${route(e.old, before)}  ->  ${route(e.route, after)}   (${e.cause})`);
        break;
      case 'table-create':
        out.push(`${mark} table created   ${e.table}   (${e.cause})`);
        break;
      case 'rule-add':
      case 'rule-del':
        out.push(`${mark} rule ${e.kind === 'rule-add' ? 'added  ' : 'deleted'}    ${formatRule(e.kind === 'rule-add' ? after : before, e.rule).trimEnd()}   (${e.cause})`);
        break;
      case 'rule-attach':
      case 'rule-detach':
        out.push(`${mark} rule ${e.kind === 'rule-attach' ? 'attached' : 'detached'}   ${formatRule(after, e.rule).trimEnd()}   (${e.dev}; ${e.cause})`);
        break;
      case 'addr-add':
      case 'addr-del':
        out.push(`${mark} address ${e.kind === 'addr-add' ? 'added  ' : 'deleted'} ${formatIp4(e.addr.local)}/${e.addr.prefixlen}${e.addr.secondary ? ' secondary' : ''}   (${e.cause})`);
        break;
      case 'nexthop-add':
      case 'nexthop-del':
        out.push(`${mark} nexthop ${e.kind === 'nexthop-add' ? 'added  ' : 'deleted'} id ${e.nexthop.id}   (${e.cause})`);
        break;
      case 'netconf':
        out.push(`${mark} netconf         ${e.target} ${e.key} = ${e.value}   (${e.cause})`);
        break;
      case 'link':
        break;
    }
  }
  return out;
}
