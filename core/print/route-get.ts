// `ip route get` answers: print_route() for an RTM_F_CLONED route (iproute2 6.1), with
// print_cache_flags() on the second line.

import { formatIp4 } from '../net/ip4.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { RouteGetAnswer } from '../route/route-output.js';
import { BUILTIN_NAMES, dsfieldName, rtntypeName, tableName, type PrintNames } from '../uapi/rt-names.js';
import { RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import type { JsonValue } from './json-out.js';
import { flowJson, formatFlow, formatMetrics, metricsJson } from './rta-metrics.js';

/** INVALID_UID: (kuid_t){ -1 }. */
const INVALID_UID = 0xffffffff;

function devName(s: FibSnapshot, i: number): string {
  return s.devices.get(i)?.name ?? `if${i}`;
}

function cacheWords(a: RouteGetAnswer): string[] {
  const w: string[] = [];
  if (a.cache.local) w.push('local');
  if (a.cache.multicast) w.push('mc');
  if (a.cache.broadcast) w.push('brd');
  if (a.cache.redirect) w.push('redirect');
  return w;
}

/**
 * Two lines: the route, then "    cache [<flags> ][iif D ]". With -details (print_route()'s
 * show_details) the type is printed even when unicast and the table even when main; the
 * answer is RTM_F_CLONED, so proto and scope stay out.
 */
export function formatRouteGet(s: FibSnapshot, a: RouteGetAnswer, names: PrintNames = BUILTIN_NAMES, details = false): string {
  let out = '';
  if (a.type !== 'unicast' || details) out += `${rtntypeName(a.type, names)} `;
  out += `${formatIp4(a.dst)} `;
  if (a.from !== 0) out += `from ${formatIp4(a.from)} `;
  if (a.tos !== 0) out += `tos ${dsfieldName(a.tos, names)} `;
  if (a.gateway !== null) out += `via ${formatIp4(a.gateway)} `;
  // print_rta_via(): RTA_VIA right after where RTA_GATEWAY would be.
  if (a.gateway6 !== undefined) out += `via inet6 ${a.gateway6} `;
  out += `dev ${devName(s, a.dev)} `;
  if (a.table !== 0 && (a.table !== RT_TABLE_MAIN || details)) out += `table ${tableName(a.table, names)} `;
  // rt_fill_info(): RTA_PREFSRC only when the flow has a source (fl4->saddr != 0).
  if (a.prefsrc !== null && a.prefsrc !== 0 && a.iif === 0) out += `src ${formatIp4(a.prefsrc)} `;
  // rtm_flags carries the cache flags: RTCF_MULTICAST is the bit iproute2 prints as the
  // route flag rt_offload_failed (RTM_F_OFFLOAD_FAILED), in print_rt_flags() before mark.
  if (a.cache.multicast) out += 'rt_offload_failed ';
  if (a.mark !== 0) out += a.mark >= 16 ? `mark 0x${a.mark.toString(16)} ` : `mark ${a.mark} `;
  if ((a.flow ?? 0) !== 0) out += formatFlow(a.flow ?? 0, names.numeric === true);
  // RTA_UID: the caller's uid on output; on input only when the request gave one.
  // rt_fill_info(): no RTA_UID for INVALID_UID, which `uid 4294967295` asks for.
  if (a.uid !== null && a.uid !== INVALID_UID) out += `uid ${a.uid} `;
  out += '\n    cache ';
  const w = cacheWords(a);
  if (w.length > 0) out += `<${w.join(',')}> `;
  out += formatMetrics(a.metrics);
  if (a.iif !== 0) out += `iif ${devName(s, a.iif)} `;
  return `${out}\n`;
}

/** The same answer as `ip -j route get` prints it. */
export function routeGetJson(s: FibSnapshot, a: RouteGetAnswer, names: PrintNames = BUILTIN_NAMES, details = false): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  if (a.type !== 'unicast' || details) o['type'] = rtntypeName(a.type, names);
  o['dst'] = formatIp4(a.dst);
  if (a.from !== 0) o['from'] = formatIp4(a.from);
  if (a.tos !== 0) o['tos'] = dsfieldName(a.tos, names);
  if (a.gateway !== null) o['gateway'] = formatIp4(a.gateway);
  if (a.gateway6 !== undefined) o['via'] = { family: 'inet6', host: a.gateway6 };
  o['dev'] = devName(s, a.dev);
  if (a.table !== 0 && (a.table !== RT_TABLE_MAIN || details)) o['table'] = tableName(a.table, names);
  if (a.prefsrc !== null && a.prefsrc !== 0 && a.iif === 0) o['prefsrc'] = formatIp4(a.prefsrc);
  o['flags'] = a.cache.multicast ? ['rt_offload_failed'] : [];
  if (a.mark !== 0) o['mark'] = a.mark;
  if ((a.flow ?? 0) !== 0) o['flow'] = flowJson(a.flow ?? 0, names.numeric === true);
  if (a.uid !== null && a.uid !== INVALID_UID) o['uid'] = a.uid;
  o['cache'] = cacheWords(a);
  const mx = metricsJson(a.metrics);
  if (mx !== null) o['metrics'] = [mx];
  if (a.iif !== 0) o['iif'] = devName(s, a.iif);
  return o;
}
