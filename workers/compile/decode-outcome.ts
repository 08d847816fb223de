// What the output path makes of a table answer (compile.ts describes the whole compile):
// ip_route_output_key_hash_rcu(), __mkroute_output() and rt_fill_info() for the
// destination-only flow, with what depends on the destination itself (0.0.0.0, broadcast,
// multicast, the source of local routes, route_localnet) applied last by decodeOutcome().

import { LOOPBACK_IFINDEX } from '../../core/net/flow.js';
import type { RouteGetAnswer, RouteGetOutcome } from '../../core/route/route-output.js';
import type { RouteType } from '../../core/uapi/rtnetlink.js';
import type { Errno } from '../../core/uapi/errno.js';
import { isLbcast, isLoopback, isMulticast, type Ip4 } from '../../core/net/ip4.js';
import type { CompiledAnswer } from './answer-table.js';
import { setClassTag, type OutputTclassid } from '../../core/route/rt-class-tag.js';
import { RT_CACHE_KIND_GAP } from '../../core/route/rt-cache-output.js';
import type { FibMetrics } from '../../core/snapshot/fib-metrics.js';
import type { WalkResult } from './lookup-program.js';

/** What `ip route get DST` answers, but for what the destination itself decides (decodeOutcome). */
export type CompiledOutcome =
  | {
      readonly kind: 'route';
      readonly type: RouteType;
      /** RTA_TABLE: the table the lookup was made in (res->table). */
      readonly table: number;
      readonly dev: number;
      readonly gateway: Ip4 | null;
      readonly gateway6?: string;
      readonly src: Ip4;
      readonly srcIsDst: boolean;
      readonly loopbackDev: boolean;
      readonly devUp: boolean;
      readonly localnetStrict: boolean;
      /** route_localnet not known: a loopback source is a named gap (answer-table.ts). */
      readonly localnetUnknown?: string;
      /** The answering prefix is shorter than /4 (a multicast destination then has no fib_info). */
      readonly short: boolean;
      readonly metrics: FibMetrics | null;
      readonly nhFlow: number;
      readonly cachedFlow: OutputTclassid;
      /** The realms of the rule that gave the result. */
      readonly ruleFlow: number;
      /** The cached route may be another kind's (answer-table.ts). */
      readonly cacheMixed?: 'any' | 'multicast';
      readonly gap?: string;
    }
  | { readonly kind: 'error'; readonly errno: Errno };

/** The outcome of a walk result: a route as __mkroute_output() takes it, or the errno. */
export function outcomeOf(answers: readonly CompiledAnswer[], w: WalkResult): CompiledOutcome {
  if ('errno' in w) return { kind: 'error', errno: w.errno };
  const a = answers[w.answer]!;
  if (a.kind === 'error') return { kind: 'error', errno: a.errno };
  if (!a.devExists) return { kind: 'error', errno: 'EINVAL' };
  return {
    kind: 'route',
    type: a.type,
    table: w.table,
    dev: a.dev,
    gateway: a.gateway,
    ...(a.gateway6 === undefined ? {} : { gateway6: a.gateway6 }),
    src: a.src,
    srcIsDst: a.srcIsDst,
    loopbackDev: a.loopbackDev,
    devUp: a.devUp,
    localnetStrict: a.localnetStrict,
    ...(a.localnetUnknown === undefined ? {} : { localnetUnknown: a.localnetUnknown }),
    short: w.plen < 4,
    metrics: a.metrics,
    nhFlow: a.nhFlow,
    cachedFlow: a.cachedFlow,
    ruleFlow: w.ruleFlow,
    ...(a.cacheMixed === undefined ? {} : { cacheMixed: a.cacheMixed }),
    ...(a.gap === undefined ? {} : { gap: a.gap }),
  };
}

const NO_FLAGS = { local: false, broadcast: false, multicast: false, redirect: false } as const;

/** `ip route get 0.0.0.0`: a local route through lo from 127.0.0.1, no FIB lookup. */
const ZERO_DST: RouteGetOutcome = {
  ok: true,
  answer: {
    kind: 'route',
    type: 'local',
    dst: 0,
    from: 0,
    tos: 0,
    gateway: null,
    dev: LOOPBACK_IFINDEX,
    table: 0,
    prefsrc: 0x7f000001,
    mark: 0,
    uid: 0,
    cache: { ...NO_FLAGS, local: true },
    iif: 0,
  },
};

/**
 * What `ip route get DST` answers, from the outcome compiled for DST's region: the part of
 * ip_route_output_key_hash_rcu(), __mkroute_output() and rt_fill_info() that depends on the
 * destination itself.
 *
 * @example
 *   decodeOutcome({ kind: 'error', errno: 'ENETUNREACH' }, 0x08080808); // { ok: false, errno: 'ENETUNREACH' }
 *
 * 1. 0.0.0.0: local through lo from 127.0.0.1, whatever the FIB says.
 * 2. An error stays an error; a loopback source where route_localnet forbids it is EINVAL.
 * 3. 255.255.255.255 is broadcast (RTCF_BROADCAST|RTCF_LOCAL), 224/4 multicast
 *    (RTCF_LOCAL only for 224.0.0.1 on an up device), otherwise the route's type and
 *    gateway; lo or a local route adds RTCF_LOCAL.
 */
export function decodeOutcome(o: CompiledOutcome, dst: Ip4): RouteGetOutcome {
  if (dst === 0) return ZERO_DST;
  if (o.kind === 'error') return { ok: false, errno: o.errno };
  // Since 5.3 ("Allow 0.0.0.0/8 as a valid address range") a 0.x destination is no martian.
  const saddr = o.srcIsDst ? dst : o.src;
  if (o.localnetStrict && isLoopback(saddr)) return { ok: false, errno: 'EINVAL' };
  if (o.localnetUnknown !== undefined && isLoopback(saddr)) return { ok: false, errno: 'EINVAL', gap: o.localnetUnknown };
  let type = o.type;
  if (isLbcast(dst)) type = 'broadcast';
  else if (isMulticast(dst)) type = 'multicast';
  let cache: RouteGetAnswer['cache'] = o.loopbackDev ? { ...NO_FLAGS, local: true } : NO_FLAGS;
  let gateway: Ip4 | null = null;
  let gateway6: string | undefined;
  if (type === 'broadcast') cache = { ...cache, local: true, broadcast: true };
  else if (type === 'multicast') cache = { ...cache, multicast: true, local: dst === 0xe0000001 && o.devUp };
  else {
    gateway = o.gateway;
    gateway6 = o.gateway6;
  }
  if (type === 'local') cache = { ...cache, local: true };
  // __mkroute_output(): no fib_info for the limited broadcast or for a multicast route
  // shorter than /4; a route with one is cached unless it is a local multicast one; then
  // rt_set_nexthop() (outputAnswer() in core/route/route-get-answer.ts).
  const fi = !isLbcast(dst) && !(type === 'multicast' && o.short);
  const cached = fi && !(type === 'multicast' && cache.local);
  const tc: OutputTclassid = cached ? o.cachedFlow : { flow: setClassTag(fi ? o.nhFlow : 0, o.ruleFlow) };
  // The per-CPU cached route another kind of destination may have left (rt-cache-output.ts).
  const kindGap = cached && (o.cacheMixed === 'any' || (o.cacheMixed === 'multicast' && type === 'multicast')) ? RT_CACHE_KIND_GAP : undefined;
  const gap = 'gap' in tc ? tc.gap : (kindGap ?? o.gap);
  return {
    ok: true,
    answer: {
      kind: 'route',
      type,
      dst,
      from: 0,
      tos: 0,
      gateway,
      ...(gateway6 === undefined ? {} : { gateway6 }),
      dev: o.dev,
      table: o.table,
      prefsrc: saddr,
      mark: 0,
      uid: 0,
      cache,
      iif: 0,
      ...(fi && o.metrics !== null ? { metrics: o.metrics } : {}),
      ...('flow' in tc && tc.flow !== 0 ? { flow: tc.flow } : {}),
      ...(gap === undefined ? {} : { gap }),
    },
  };
}
