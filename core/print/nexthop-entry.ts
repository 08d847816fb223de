// A nexthop object as __print_nexthop_entry() (iproute2 6.1 ip/ipnexthop.c) prints it, in
// text and JSON: `ip nexthop` lists it, and print_route() with -details prints it again as a
// route's nh_info (print_cache_nexthop_id()). Moved from iproute2/ip-nexthop-print.ts so that
// route-line.ts, below it, can print it.

import { type FibSnapshot } from '../snapshot/snapshot.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { formatIp4 } from '../net/ip4.js';
import { BUILTIN_NAMES, protoName, scopeName, type PrintNames } from '../uapi/rt-names.js';
import type { JsonObject, JsonValue } from './json-out.js';
import { RT_SCOPE_UNIVERSE } from '../uapi/rtnetlink.js';
import { formatG } from './rta-metrics.js';

/** print_tv() of a clock_t value read as jiffies at USER_HZ (__jiffies_to_tv): seconds, "%g". */
function clockSeconds(v: number): number {
  return Math.round(v) / 100;
}

/**
 * Whether `ip -j nexthop` prints a resilient group's timers as JSON numbers would: print_tv()
 * writes them with "%g" in JSON too (jsonw_float()), so a timer of a million seconds or more
 * is `4.29497e+06` there, which a JSON number of this writer does not print.
 */
export function resTimersJsonExact(o: NexthopObject): boolean {
  if (o.kind !== 'group' || o.res === null) return true;
  return [o.res.idleTimer, o.res.unbalancedTimer].every((t) => formatG(clockSeconds(t)) === String(clockSeconds(t)));
}

/** __print_nexthop_entry(), text. */
export function formatNexthop(s: FibSnapshot, o: NexthopObject, details = false, names: PrintNames = BUILTIN_NAMES): string {
  let t = `id ${o.id} `;
  let scope = RT_SCOPE_UNIVERSE;
  if (o.kind === 'group') {
    t += `group ${o.members.map((m) => (m.weight === 1 ? `${m.id}` : `${m.id},${m.weight}`)).join('/')} `;
    if (o.res !== null) {
      t += 'type resilient ';
      t += `buckets ${o.res.numBuckets} idle_timer ${formatG(clockSeconds(o.res.idleTimer))} unbalanced_timer ${formatG(clockSeconds(o.res.unbalancedTimer))} unbalanced_time 0 `;
    }
  } else if (o.kind === 'single') {
    if (o.gw !== null) t += `via ${formatIp4(o.gw)} `;
    // NHA_GATEWAY of an AF_INET6 nexthop: printed in its family, without a family word.
    if (o.gw6 !== undefined) t += `via ${o.gw6} `;
    if (o.dev !== 0) t += `dev ${s.devices.get(o.dev)?.name ?? o.dev} `;
    scope = o.scope;
  }
  if (scope !== RT_SCOPE_UNIVERSE || details) t += `scope ${scopeName(scope, names)} `;
  if (o.kind === 'blackhole') t += 'blackhole ';
  if (o.protocol !== 0 || details) t += `proto ${protoName(o.protocol, names)} `;
  if (o.kind === 'single' && o.onlink) t += 'onlink ';
  if (o.kind !== 'blackhole' && o.fdb) t += 'fdb';
  return `${t}\n`;
}

/** __print_nexthop_entry(), JSON. */
export function nexthopJson(s: FibSnapshot, o: NexthopObject, details = false, names: PrintNames = BUILTIN_NAMES): JsonObject {
  const j: Record<string, JsonValue> = { id: o.id };
  let scope = RT_SCOPE_UNIVERSE;
  if (o.kind === 'group') {
    j['group'] = o.members.map((m): JsonObject => (m.weight === 1 ? { id: m.id } : { id: m.id, weight: m.weight }));
    if (o.res !== null) {
      j['type'] = 'resilient';
      j['resilient_args'] = {
        buckets: o.res.numBuckets,
        idle_timer: clockSeconds(o.res.idleTimer),
        unbalanced_timer: clockSeconds(o.res.unbalancedTimer),
        unbalanced_time: 0,
      };
    }
  } else if (o.kind === 'single') {
    if (o.gw !== null) j['gateway'] = formatIp4(o.gw);
    if (o.gw6 !== undefined) j['gateway'] = o.gw6;
    if (o.dev !== 0) j['dev'] = s.devices.get(o.dev)?.name ?? String(o.dev);
    scope = o.scope;
  }
  if (scope !== RT_SCOPE_UNIVERSE || details) j['scope'] = scopeName(scope, names);
  if (o.kind === 'blackhole') j['blackhole'] = null;
  if (o.protocol !== 0 || details) j['protocol'] = protoName(o.protocol, names);
  j['flags'] = o.kind === 'single' && o.onlink ? ['onlink'] : [];
  if (o.kind !== 'blackhole' && o.fdb) j['fdb'] = null;
  return j;
}
