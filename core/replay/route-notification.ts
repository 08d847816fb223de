// Route notifications in comparable form: what rtmsg_fib() -> fib_dump_info() puts in an
// RTM_NEWROUTE/RTM_DELROUTE for a route of the model (compat-mode nexthop expansion, the
// RTNH_F_DEAD/LINKDOWN flags), and the same form read from a captured record.
// Split from notification.ts.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import { aliasNexthops, aliasNexthopsOnlink, type ResolvedNh } from '../trie/fib-table-lookup.js';
import { RTN } from '../uapi/rtnetlink.js';
import { formatIp4, formatPrefix, parseIp4 } from '../net/ip4.js';
import type { RouteNexthop, RouteRecord, RouteVia } from '../trace/netlink-records.js';
import { canonicalIp6 } from '../net/ip6.js';

const AF_INET6 = 10;
import { type ResolveDev } from './record-events.js';
import { routeKeyOf } from './_route-key.js';
import { RTNH_F_DEAD, RTNH_F_LINKDOWN, RTNH_F_ONLINK, RTNH_MASK, type Notification } from './_notification-base.js';

function flagWords(f: number): string {
  const w: string[] = [];
  if ((f & RTNH_F_DEAD) !== 0) w.push('dead');
  if ((f & RTNH_F_ONLINK) !== 0) w.push('onlink');
  if ((f & RTNH_F_LINKDOWN) !== 0) w.push('linkdown');
  return w.join(',');
}

interface NhView {
  readonly dev: number;
  readonly gw: number | null;
  /** RTA_VIA (AF_INET6): the IPv6 gateway, canonical text. */
  readonly gw6?: string;
  readonly weight: number;
  readonly flags: number;
}

type RouteParts = { table: number; dst: number; plen: number; tos: number; priority: number; type: string; protocol: number; scope: number; prefsrc: number; nhid: number; flags: number; nhs: readonly NhView[] };

/**
 * A route notification: attrs and text are only read for findings and reports, so they
 * are made on first use (a class, so that the getters live on the prototype).
 */
class RouteNotification implements Notification {
  readonly kind = 'route' as const;
  readonly attrKey: string;
  private attrsMemo: Record<string, string> | undefined;
  private textMemo: string | undefined;

  constructor(
    readonly op: 'new' | 'del',
    readonly id: string,
    private readonly p: RouteParts,
  ) {
    let k = `${p.protocol}|${p.scope}|${p.prefsrc}|${p.flags}`;
    for (let i = 0; i < p.nhs.length; i++) {
      const n = p.nhs[i] as NhView;
      k += `|${n.gw ?? n.gw6 ?? '-'}:${n.dev}:${n.weight}:${n.flags}`;
    }
    this.attrKey = k;
  }

  get attrs(): Readonly<Record<string, string>> {
    return (this.attrsMemo ??= routeAttrs(this.p));
  }

  get text(): string {
    return (this.textMemo ??= routeText(this.op, this.p));
  }

  toJSON(): Omit<Notification, 'attrKey'> {
    return { kind: this.kind, op: this.op, id: this.id, attrs: this.attrs, text: this.text };
  }
}

function routeNotification(op: 'new' | 'del', p: RouteParts): Notification {
  return new RouteNotification(op, `route ${op} ${routeKeyOf(p.table, p.dst, p.plen, p.tos, p.priority, p.type, p.nhid, p.nhs)}`, p);
}

function routeAttrs(p: RouteParts): Record<string, string> {
  const attrs: Record<string, string> = {
    protocol: String(p.protocol),
    scope: String(p.scope),
    prefsrc: p.prefsrc === 0 ? '-' : formatIp4(p.prefsrc),
    flags: flagWords(p.flags),
  };
  p.nhs.forEach((n, i) => {
    attrs[`nexthop ${i + 1}`] = `${viaText(n)}dev ${n.dev} weight ${n.weight}${n.flags !== 0 ? ` ${flagWords(n.flags)}` : ''}`;
  });
  return attrs;
}

function viaText(n: NhView): string {
  if (n.gw !== null) return `via ${formatIp4(n.gw)} `;
  return n.gw6 === undefined ? '' : `via inet6 ${n.gw6} `;
}

/** RTA_GATEWAY, or RTA_VIA of either family, of a record (or one of its legs). */
function recordGw(gateway: string | undefined, via: RouteVia | undefined): Pick<NhView, 'gw' | 'gw6'> {
  if (gateway !== undefined) return { gw: parseIp4(gateway) ?? null };
  if (via === undefined) return { gw: null };
  if (via.family === AF_INET6) return { gw: null, gw6: canonicalIp6(via.address) ?? via.address };
  return { gw: parseIp4(via.address) ?? null };
}

function routeText(op: 'new' | 'del', p: RouteParts): string {
  let text = `${op === 'del' ? 'Deleted ' : ''}${p.type !== 'unicast' ? `${p.type} ` : ''}${formatPrefix(p.dst, p.plen)}`;
  if (p.nhid !== 0) text += ` nhid ${p.nhid}`;
  if (p.tos !== 0) text += ` tos 0x${p.tos.toString(16)}`;
  if (p.nhs.length === 1) {
    const n = p.nhs[0] as NhView;
    text += ` ${viaText(n)}dev ${n.dev}`;
  } else if (p.nhs.length > 1) text += ` (${p.nhs.length} nexthops)`;
  text += ` table ${p.table}`;
  if (p.priority !== 0) text += ` metric ${p.priority}`;
  return text;
}

/**
 * A nexthop's RTNH_F_DEAD and RTNH_F_LINKDOWN as fib_dump_info() reports them: set by the
 * kernel from device state the request does not carry (fib_check_nh() on a device without
 * carrier, fib_sync_down_dev()), DEAD also for LINKDOWN while ip_ignore_linkdown() holds.
 */
function stateFlags(s: FibSnapshot, nh: ResolvedNh): number {
  let f = 0;
  if (nh.dead || (nh.linkdown && ignoreLinkdown(s, nh.dev))) f |= RTNH_F_DEAD;
  if (nh.linkdown) f |= RTNH_F_LINKDOWN;
  return f;
}

/** fib_dump_info(): RTA_MULTIPATH only when fib_info_num_path() > 1. */
function isMultipath(s: FibSnapshot, r: FibRoute, legs: number): boolean {
  const info = r.alias.info;
  return (info.multipath || (info.nhid !== 0 && s.nexthops.get(info.nhid)?.kind === 'group')) && legs > 1;
}

/** A multipath route's rtm_flags carry LINKDOWN/DEAD only when every nexthop has it. */
function multipathFlags(legs: readonly number[]): number {
  let flags = 0;
  if (legs.every((f) => (f & RTNH_F_DEAD) !== 0)) flags |= RTNH_F_DEAD;
  if (legs.every((f) => (f & RTNH_F_LINKDOWN) !== 0)) flags |= RTNH_F_LINKDOWN;
  return flags;
}

const STATE_FLAGS = RTNH_F_DEAD | RTNH_F_LINKDOWN;

/**
 * Whether a captured route notification reports the DEAD/LINKDOWN flags the model's route
 * has (routeFromModel() without building the notification: the replay's fast path asks this
 * of every route request it pairs with its own effect). These are the attributes of a
 * request's own notification that the request does not set: they differ when the kernel's
 * devices were in another state than the model's, e.g. a carrier loss that a route-only
 * `ip monitor` never showed.
 */
export function stateFlagsAgree(s: FibSnapshot, route: FibRoute, r: RouteRecord): boolean {
  const info = route.alias.info;
  // The bulk of a table load first, without an array: one nexthop of the route's own.
  if (info.nhid === 0 && info.nhs.length === 1) return (r.flags & STATE_FLAGS) === stateFlags(s, info.nhs[0] as ResolvedNh);
  const nhs = aliasNexthops(s, route.alias);
  if (nhs === 'blackhole' || (info.nhid !== 0 && s.ipv4Sysctl.nexthop_compat_mode === 0)) return (r.flags & STATE_FLAGS) === 0;
  const legs = nhs.map((nh) => stateFlags(s, nh));
  if (!isMultipath(s, route, legs.length)) return (r.flags & STATE_FLAGS) === (legs.length === 0 ? 0 : multipathFlags(legs));
  const got = r.multipath;
  if (got === undefined || got.length !== legs.length) return false;
  for (let i = 0; i < legs.length; i++) if (((got[i] as RouteNexthop).flags & STATE_FLAGS) !== legs[i]) return false;
  return (r.flags & STATE_FLAGS) === multipathFlags(legs);
}

/** What the kernel would send for a route of the model (fib_dump_info(), compat-mode nexthop expansion). */
export function routeFromModel(s: FibSnapshot, r: FibRoute, op: 'new' | 'del'): Notification {
  const info = r.alias.info;
  const nhs = aliasNexthops(s, r.alias);
  let type: string = r.alias.type;
  let legs: NhView[] = [];
  if (nhs === 'blackhole') type = 'blackhole';
  // fib_dump_info(): with nexthop_compat_mode 0 a route on a nexthop object carries RTA_NH_ID
  // and no nexthop attribute or flag (`goto offload`); its type is still RTN_BLACKHOLE for a
  // blackhole nexthop.
  else if (info.nhid !== 0 && s.ipv4Sysctl.nexthop_compat_mode === 0) legs = [];
  else {
    const onlink = aliasNexthopsOnlink(s, r.alias);
    legs = nhs.map((nh, i) => {
      const f = stateFlags(s, nh) | (onlink[i] === true ? RTNH_F_ONLINK : 0);
      return { dev: nh.dev, gw: nh.gw, ...(nh.gw6 === undefined ? {} : { gw6: nh.gw6 }), weight: nh.weight, flags: f };
    });
  }
  const multipath = isMultipath(s, r, legs.length);
  let flags = 0;
  if (legs.length === 1 && !multipath) flags = (legs[0] as NhView).flags;
  else if (legs.length > 0) flags = multipathFlags(legs.map((l) => l.flags));
  if (!multipath) legs = legs.map((l) => ({ ...l, weight: 1 }));
  return routeNotification(op, {
    table: r.table,
    dst: r.dst,
    plen: r.plen,
    tos: r.alias.tos,
    priority: info.priority,
    type,
    protocol: info.protocol,
    scope: info.scope,
    prefsrc: info.prefsrc,
    nhid: info.nhid,
    flags,
    nhs: legs,
  });
}

/** RTN_* number to name, built once. */
const RTN_NAMES = new Map<number, string>(Object.entries(RTN).map(([k, v]) => [v, k]));

function typeName(n: number): string {
  return RTN_NAMES.get(n) ?? `type ${n}`;
}

/** A captured route notification; null when it names a device the replay does not know. */
export function routeFromRecord(r: RouteRecord, resolve: ResolveDev): Notification | null {
  const devOf = (i: number | undefined, name: string | undefined): number | null => {
    if (i !== undefined) return i;
    if (name === undefined) return 0;
    return resolve(name) ?? null;
  };
  const type = typeName(r.type);
  let legs: NhView[] = [];
  if (type !== 'blackhole') {
    if (r.multipath !== undefined) {
      for (const l of r.multipath) {
        const d = devOf(l.ifindex, l.dev);
        if (d === null) return null;
        legs.push({ dev: d, ...recordGw(l.gateway, l.via), weight: l.hops + 1, flags: l.flags & RTNH_MASK });
      }
    } else {
      const d = devOf(r.oif, r.dev);
      if (d === null) return null;
      const g = recordGw(r.gateway, r.via);
      if (d !== 0 || g.gw !== null || g.gw6 !== undefined) legs = [{ dev: d, ...g, weight: 1, flags: r.flags & RTNH_MASK }];
    }
  }
  return routeNotification(r.op, {
    table: r.table,
    dst: r.dst === undefined ? 0 : (parseIp4(r.dst) ?? 0),
    plen: r.dstLen,
    tos: r.tos,
    priority: r.priority ?? 0,
    type,
    protocol: r.protocol,
    scope: r.scope,
    prefsrc: r.prefsrc === undefined ? 0 : (parseIp4(r.prefsrc) ?? 0),
    nhid: r.nhId ?? 0,
    flags: r.flags & RTNH_MASK,
    nhs: legs,
  });
}
