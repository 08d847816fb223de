// Route validation and construction: fib_create_info(), fib_check_nh() and its helpers
// fib_check_nh_v4_gw() / fib_check_nh_nongw(), fib_valid_prefsrc() (fib_semantics.c).
// Checks run in the kernel's order; the first failure is the answer.

import { ignoreLinkdown, type FibSnapshot } from '../snapshot/snapshot.js';
import type { NetDevice } from '../snapshot/net-device.js';
import type { RouteConfig, NexthopSpec } from '../events/route.js';
import { fibRebalance, nhHasGw, type FibInfo, type FibNh } from '../snapshot/fib-info.js';
import { fib6NhInit } from './fib6-nh-init.js';
import { infoProbe, type InfoHash } from '../snapshot/fib-info-hash.js';
import { fibPropsError, fibPropsScope, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_NOWHERE, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../uapi/rtnetlink.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { fibLookup, inetAddrType } from '../route/fib-lookup.js';
import { fibTableLookup, aliasNexthops, type LookupOutcome } from '../trie/fib-table-lookup.js';
import { makeFlow } from '../net/flow.js';
import { fibCheckNexthop } from './fib-check-nexthop.js';
import { ipMetricsConvert, isMetricsError } from './fib-metrics.js';
import type { FibMetrics } from '../snapshot/fib-metrics.js';

/** fib_create_info() refused the request: its errno and extack. */
export class InfoRefused {
  constructor(readonly err: KernelError) {}
}

/**
 * The fib_info, or why not. The info itself on success, not wrapped: a wrapper was an
 * allocation on every route request.
 */
export type CreateInfoResult = FibInfo | InfoRefused;

const fail = (err: KernelError): InfoRefused => new InfoRefused(err);

/**
 * fib_create_info(): validate a route request against the current state and build its
 * fib_info. Nexthops start `linkdown` on a device without carrier.
 */
export function fibCreateInfo(s: FibSnapshot, cfg: RouteConfig): CreateInfoResult {
  const known = sameDeviceRoute(s, cfg);
  if (known !== null) return known;
  if (fibPropsScope(cfg.type) > cfg.scope) return fail(kerr('EINVAL', 'Invalid scope'));
  if (cfg.nhid !== 0) {
    if (!s.nexthops.has(cfg.nhid)) return fail(kerr('EINVAL', 'Nexthop id does not exist'));
  }
  // ip_fib_metrics_init() -> ip_metrics_convert(), before any nexthop is looked at.
  const metrics = ipMetricsConvert(cfg.mx ?? null);
  if (isMetricsError(metrics)) return fail(metrics.extack === null ? kerr('EINVAL') : kerr('EINVAL', metrics.extack));
  probeMetrics = metrics;
  // fib_get_nhs(): a route-level RTA_OIF, RTA_GATEWAY/RTA_VIA and RTA_FLOW must be the first
  // nexthop's as given (its rtnh_ifindex, not the device fib_check_nh() resolves later).
  const first = cfg.nhs[0];
  const top = cfg.multipath && cfg.nhid === 0 ? cfg.mpTop : undefined;
  if (top !== undefined && top.oif !== 0 && (first?.dev ?? 0) !== top.oif) return fail(kerr('EINVAL', 'Nexthop device index does not match RTA_OIF'));
  if (top !== undefined && (top.gw !== null || top.gw6 !== undefined) && ((first?.gw ?? null) !== top.gw || first?.gw6 !== top.gw6)) {
    return fail(kerr('EINVAL', 'Nexthop gateway does not match RTA_GATEWAY or RTA_VIA'));
  }
  if (cfg.multipath && cfg.nhid === 0 && (cfg.flow ?? 0) !== 0 && (cfg.nhs[0]?.flow ?? 0) !== cfg.flow) {
    return fail(kerr('EINVAL', 'Nexthop class id does not match RTA_FLOW'));
  }
  if (fibPropsError(cfg.type) !== null) {
    if (cfg.nhs.some((n) => nhHasGw(n) || n.dev !== 0) || cfg.multipath) {
      return fail(kerr('EINVAL', 'Gateway, device and multipath can not be specified for this route type'));
    }
    return infoOf(s.lineage.infos, cfg, NO_NHS, false, cfg.nhs[0]?.flow ?? 0);
  }
  if (cfg.scope > RT_SCOPE_HOST) return fail(kerr('EINVAL', 'Invalid scope'));
  let nhs: readonly FibNh[] = NO_NHS;
  const obj = cfg.nhid !== 0 ? s.nexthops.get(cfg.nhid) : undefined;
  if (obj !== undefined) {
    // fib_check_nexthop(): a nexthop object stands for the route's nexthops.
    const err = fibCheckNexthop(s.nexthops, obj, cfg.scope);
    if (err !== null) return fail(err);
    nhs = NO_NHS;
  } else if (cfg.scope === RT_SCOPE_HOST) {
    if (cfg.nhs.length !== 1) return fail(kerr('EINVAL', 'Route with host scope can not have multiple nexthops'));
    const spec = cfg.nhs[0] as NexthopSpec;
    if (nhHasGw(spec)) return fail(kerr('EINVAL', 'Route with host scope can not have a gateway'));
    if (spec.dev === 0 || !s.devices.has(spec.dev)) return fail(kerr('ENODEV'));
    nhs = [{ dev: spec.dev, gw: null, weight: spec.weight, onlink: spec.onlink, scope: RT_SCOPE_NOWHERE, dead: false, linkdown: false, tclassid: spec.flow ?? 0 }];
  } else {
    if (cfg.nhs.length === 0) return fail(kerr('EINVAL'));
    const one = cfg.nhs[0] as NexthopSpec;
    if (cfg.nhs.length === 1 && !nhHasGw(one)) {
      // The common case, a device route: checked into a scratch nexthop (internInfo copies
      // it when the info is new), so that a request like many before allocates nothing here.
      const err = checkNhNongw(s, one, SCRATCH_NH);
      if (err !== null) return fail(err);
      const info = finish(s, cfg, SCRATCH_NHS);
      if (!(info instanceof InfoRefused)) rememberDeviceRoute(s, cfg, one, info);
      return info;
    }
    // Sized up front: push() into an empty array would give it 17 slots.
    const checked = new Array<FibNh>(cfg.nhs.length);
    for (let i = 0; i < cfg.nhs.length; i++) {
      const r = fibCheckNh(s, cfg.nhs[i] as NexthopSpec, cfg.table, cfg.scope);
      if (!r.ok) return fail(r.err);
      checked[i] = r.nh;
    }
    nhs = checked;
  }
  return finish(s, cfg, nhs);
}

/** The end of fib_create_info(): the prefsrc check, the route's linkdown flag, the info. */
function finish(s: FibSnapshot, cfg: RouteConfig, nhs: readonly FibNh[]): CreateInfoResult {
  if (cfg.prefsrc !== 0 && !fibValidPrefsrc(s, cfg)) return fail(kerr('EINVAL', 'Invalid prefsrc address'));
  // fib_create_info(): `if (linkdown == fi->fib_nhs) fi->fib_flags |= RTNH_F_LINKDOWN`.
  let linkdown = nhs.length > 0;
  for (let i = 0; i < nhs.length && linkdown; i++) linkdown = (nhs[i] as FibNh).linkdown;
  // fib_create_info() ends with fib_rebalance(fi).
  const balanced = nhs.length < 2 ? nhs : rebalance(s, nhs);
  return infoOf(s.lineage.infos, cfg, balanced, linkdown);
}

/**
 * fib_rebalance() of a multipath info. Its own function: a closure over `s` in finish()
 * would make V8 allocate a context for `s` on every route request, single paths included.
 */
function rebalance(s: FibSnapshot, nhs: readonly FibNh[]): readonly FibNh[] {
  return fibRebalance(nhs, (dev) => ignoreLinkdown(s, dev));
}

// The last device route made (a request with one nexthop, a device and no gateway, no
// prefsrc, no metrics, no nexthop object), and what its fib_info depended on: the request's
// fields but the prefix, its nexthop spec (the very object: record-route-events.ts gives
// requests through one device the same one; specs are immutable), the device object (devices
// are immutable: a change makes a new one) and the lineage's fib_info hash. The kernel builds
// a fib_info for each request and finds it in fib_info_hash (fib_find_info()); a request
// equal in all of these gives the same checks and an identical info, so the one found last
// is given without the checks and the hash lookup: a table loaded through one uplink is a
// million such requests, and fib_create_info() was ~6% of a replay. Kept by the lineage's
// hash (InfoHash.memo), so it goes with the lineage's last snapshot.
// A class, not a literal: a memo lives long (V8 would place a literal site's objects in the
// old generation, see snapshot.ts, Snapshot).
class DeviceRouteMemo {
  constructor(
    readonly info: FibInfo,
    readonly spec: NexthopSpec,
    readonly dev: NetDevice,
    readonly type: RouteConfig['type'],
    readonly scope: number,
    readonly protocol: number,
    readonly priority: number,
    readonly table: number,
    readonly multipath: boolean,
    readonly flow: number,
  ) {}
}
/** The info of the last device route when `cfg` against `s` is the same request (see DeviceRouteMemo), else null. */
function sameDeviceRoute(s: FibSnapshot, cfg: RouteConfig): FibInfo | null {
  const m = s.lineage.infos.memo as DeviceRouteMemo | null;
  if (m === null || cfg.nhs.length !== 1 || cfg.nhs[0] !== m.spec) return null;
  if (cfg.nhid !== 0 || cfg.prefsrc !== 0 || (cfg.mx ?? null) !== null) return null;
  if (cfg.type !== m.type || cfg.scope !== m.scope || cfg.protocol !== m.protocol || cfg.priority !== m.priority || cfg.table !== m.table) return null;
  if (cfg.multipath !== m.multipath || (cfg.flow ?? 0) !== m.flow) return null;
  if (s.devices.get(m.spec.dev) !== m.dev) return null;
  return m.info;
}

function rememberDeviceRoute(s: FibSnapshot, cfg: RouteConfig, spec: NexthopSpec, info: FibInfo): void {
  if (cfg.nhid !== 0 || cfg.prefsrc !== 0 || (cfg.mx ?? null) !== null) return;
  const dev = s.devices.get(spec.dev);
  if (dev === undefined) return;
  s.lineage.infos.memo = new DeviceRouteMemo(info, spec, dev, cfg.type, cfg.scope, cfg.protocol, cfg.priority, cfg.table, cfg.multipath, cfg.flow ?? 0);
}

type MutableNh = { -readonly [K in keyof FibNh]: FibNh[K] };
const SCRATCH_NH: MutableNh = { dev: 0, gw: null, weight: 1, onlink: false, scope: 0, dead: false, linkdown: false, tclassid: 0 };
const SCRATCH_NHS: readonly FibNh[] = [SCRATCH_NH];

/** fib_check_nh_nongw(): `out` filled on success; the error otherwise. */
function checkNhNongw(s: FibSnapshot, spec: NexthopSpec, out: MutableNh): KernelError | null {
  if (spec.onlink) return kerr('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set');
  const dev = s.devices.get(spec.dev);
  if (dev === undefined) return kerr('ENODEV');
  if (!dev.up) return kerr('ENETDOWN', 'Device for nexthop is not up');
  out.dev = dev.ifindex;
  out.gw = null;
  out.weight = spec.weight;
  out.onlink = false;
  out.scope = RT_SCOPE_HOST;
  out.dead = false;
  out.linkdown = !dev.carrier;
  out.tclassid = spec.flow ?? 0;
  return null;
}

const NO_NHS: readonly FibNh[] = [];

const probe = infoProbe();
/** The metrics of the request fibCreateInfo() is working on (set before infoOf() runs). */
let probeMetrics: FibMetrics | null = null;

/** The fib_info of a validated request: the shared one when an equal info exists (fib_find_info()). */
function infoOf(infos: InfoHash, cfg: RouteConfig, nhs: readonly FibNh[], linkdown: boolean, errFlow = 0): FibInfo {
  probe.protocol = cfg.protocol;
  probe.scope = cfg.scope;
  probe.priority = cfg.priority;
  probe.prefsrc = cfg.prefsrc;
  probe.tbId = cfg.table;
  probe.nhs = nhs;
  probe.nhid = cfg.nhid;
  probe.dead = false;
  probe.pfsrcRemoved = false;
  probe.linkdown = linkdown;
  probe.multipath = cfg.multipath;
  probe.metrics = probeMetrics;
  probe.flow = errFlow;
  const info = infos.intern(probe);
  probeMetrics = null;
  probe.nhs = NO_NHS;
  return info;
}

type CheckNh = { readonly ok: true; readonly nh: FibNh } | { readonly ok: false; readonly err: KernelError };

/** fib_check_nh(): resolve and validate one nexthop. */
export function fibCheckNh(s: FibSnapshot, spec: NexthopSpec, table: number, scope: number): CheckNh {
  if (spec.gw !== null) return fibCheckNhV4Gw(s, spec, table, scope);
  if (spec.gw6 !== undefined) return fibCheckNhV6Gw(s, spec, spec.gw6);
  const nh: MutableNh = { dev: 0, gw: null, weight: 1, onlink: false, scope: 0, dead: false, linkdown: false, tclassid: 0 };
  const err = checkNhNongw(s, spec, nh);
  return err === null ? { ok: true, nh } : { ok: false, err };
}

/**
 * fib_check_nh_v6_gw(): ipv6_stub->fib6_nh_init() checks the gateway (fib6-nh-init.ts); the
 * nexthop takes its device, scope link, and none of its flags (so no RTNH_F_LINKDOWN on a
 * device without carrier, unlike an IPv4 gateway).
 */
function fibCheckNhV6Gw(s: FibSnapshot, spec: NexthopSpec, gw6: string): CheckNh {
  const r = fib6NhInit(s, { dev: spec.dev, gw6, onlink: spec.onlink, ...(spec.gw6Routed === true ? { routed: true } : {}) });
  if (!r.ok) return r;
  return {
    ok: true,
    nh: { dev: r.dev.ifindex, gw: null, gw6, weight: spec.weight, onlink: spec.onlink, scope: RT_SCOPE_LINK, dead: false, linkdown: false, tclassid: spec.flow ?? 0 },
  };
}

function fibCheckNhV4Gw(s: FibSnapshot, spec: NexthopSpec, table: number, scope: number): CheckNh {
  const gw = spec.gw as number;
  if (spec.onlink) {
    if (scope >= RT_SCOPE_LINK) return { ok: false, err: kerr('EINVAL', 'Nexthop has invalid scope') };
    const dev = s.devices.get(spec.dev);
    if (dev === undefined) return { ok: false, err: kerr('ENODEV', 'Nexthop device required for onlink') };
    if (!dev.up) return { ok: false, err: kerr('ENETDOWN', 'Nexthop device is not up') };
    // inet_addr_type_dev_table() asks __inet_dev_addr_type() with dev NULL: a local or
    // broadcast route for the gateway on any device makes it invalid.
    if (inetAddrType(s, gw, RT_TABLE_LOCAL) !== 'unicast') {
      return { ok: false, err: kerr('EINVAL', 'Nexthop has invalid gateway') };
    }
    return {
      ok: true,
      nh: { dev: dev.ifindex, gw, weight: spec.weight, onlink: true, scope: RT_SCOPE_LINK, dead: false, linkdown: !dev.carrier, tclassid: spec.flow ?? 0 },
    };
  }
  // The gateway must be reachable with a route of a narrower scope than this one, in the
  // route's own table first, then through the rules; linkdown does not matter here.
  const flow = makeFlow({ daddr: gw, scope: Math.max(scope + 1, RT_SCOPE_LINK), oif: spec.dev });
  let out: LookupOutcome | undefined;
  if (table !== 0 && table !== RT_TABLE_MAIN && s.tables.has(table)) {
    out = fibTableLookup(s, table, flow, { ignoreLinkstate: true });
  }
  if (out === undefined || !out.ok) out = fibLookup(s, flow, { ignoreLinkstate: true });
  if (!out.ok) return { ok: false, err: kerr('EINVAL', 'Nexthop has invalid gateway') };
  const res = out.res;
  if (res.type !== 'unicast' && res.type !== 'local') return { ok: false, err: kerr('EINVAL', 'Nexthop has invalid gateway') };
  const nhs = aliasNexthops(s, res.alias);
  const first = nhs === 'blackhole' ? undefined : nhs[res.nhIndex];
  if (first === undefined) return { ok: false, err: kerr('EINVAL', 'No egress device for nexthop gateway') };
  const dev = s.devices.get(first.dev);
  if (dev === undefined) return { ok: false, err: kerr('EINVAL', 'No egress device for nexthop gateway') };
  if (!dev.up) return { ok: false, err: kerr('ENETDOWN') };
  return {
    ok: true,
    nh: { dev: dev.ifindex, gw, weight: spec.weight, onlink: false, scope: res.alias.info.scope, dead: false, linkdown: !dev.carrier, tclassid: spec.flow ?? 0 },
  };
}

/** fib_valid_prefsrc(): prefsrc must be local in the route's table (main: local), or in local. */
function fibValidPrefsrc(s: FibSnapshot, cfg: RouteConfig): boolean {
  if (cfg.type === 'local' && cfg.dst !== 0 && cfg.prefsrc === cfg.dst) return true;
  const tb = cfg.table === RT_TABLE_MAIN ? RT_TABLE_LOCAL : cfg.table;
  let rc = inetAddrType(s, cfg.prefsrc, tb);
  if (rc !== 'local' && tb !== RT_TABLE_LOCAL) rc = inetAddrType(s, cfg.prefsrc, RT_TABLE_LOCAL);
  return rc === 'local';
}
