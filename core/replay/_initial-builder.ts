// What building a replay's initial state shares (initial-state.ts): a Builder that applies
// events through the reducer and keeps those the kernel accepted, the parsing of ip -j
// words, sysctl writes from an `ip -j netconf` element (devinet_conf_proc() keys), the
// nexthop-add an `ip -j nexthop` element stands for, and the aliases no request can make
// now (inserted as fib_table_insert() would have). Internal to the replay's start.

import { canonicalIp6 } from '../net/ip6.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import { initialSnapshot, snapshotOf } from '../snapshot/snapshot.js';
import { reduceFib } from '../reduce/reduce.js';
import type { FibEvent } from '../events/fib-event.js';
import type { SysctlTarget } from '../events/sysctl.js';
import type { DevconfKey } from '../uapi/ip-devconf.js';
import { type FibTable } from '../snapshot/fib-table.js';
import { parseIp4, type Ip4 } from '../net/ip4.js';
import { protoNumber, scopeNumber, type PrintNames } from '../uapi/rt-names.js';
import type { IpNetconf, IpNexthop, IpSnapshot } from '../trace/ip-json.js';

export const IFF_UP = 0x1;
export const IFF_LOWER_UP = 0x10000;

export class Builder {
  s: FibSnapshot = initialSnapshot(true);
  readonly events: FibEvent[] = [];
  readonly problems: string[] = [];
  apply(e: FibEvent): boolean {
    const st = reduceFib(this.s, e);
    this.s = st.snapshot;
    this.events.push(e);
    return st.error === null;
  }
  /** Applies e; on refusal, keeps the old snapshot and drops the event from the log. */
  tryApply(e: FibEvent): boolean {
    const st = reduceFib(this.s, e);
    if (st.error !== null) return false;
    this.s = st.snapshot;
    this.events.push(e);
    return true;
  }
  ifindex(name: string | undefined): number {
    if (name === undefined) return 0;
    for (const d of this.s.devices.values()) if (d.name === name) return d.ifindex;
    return 0;
  }
}

export function ip(text: string | undefined): Ip4 {
  return text === undefined ? 0 : (parseIp4(text) ?? 0);
}

export function prefixOf(dst: string): { addr: Ip4; len: number } {
  if (dst === 'default') return { addr: 0, len: 0 };
  const [a, l] = dst.split('/');
  return { addr: ip(a), len: l === undefined ? 32 : Number(l) };
}

export const NETCONF_KEYS: readonly (readonly [keyof IpNetconf, DevconfKey])[] = [
  ['forwarding', 'forwarding'],
  ['rp_filter', 'rp_filter'],
  ['mc_forwarding', 'mc_forwarding'],
  ['proxy_neigh', 'proxy_arp'],
  ['ignore_routes_with_linkdown', 'ignore_routes_with_linkdown'],
];

export function netconfValue(n: IpNetconf, k: keyof IpNetconf): number | undefined {
  const v = n[k];
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (v === 'off') return 0;
  if (v === 'strict') return 1;
  if (v === 'loose') return 2;
  return undefined;
}

/** The values an `ip -j netconf` element shows, learnt as observed (SysctlEvent.observed): they mark nothing set and copy nothing. */
export function netconfWrites(b: Builder, n: IpNetconf, target: SysctlTarget): void {
  const conf = target.kind === 'all' ? b.s.confAll : target.kind === 'default' ? b.s.confDefault : b.s.devices.get(target.ifindex)?.conf;
  if (conf === undefined) return;
  for (const [jk, key] of NETCONF_KEYS) {
    const v = netconfValue(n, jk);
    if (v === undefined || (conf.values[key] === v && !conf.unknown.has(key))) continue;
    b.apply({ type: 'sysctl', target, key, value: v, observed: true });
  }
}

/**
 * What a host's state does not show of devconf: every value of conf/all, conf/default and
 * the devices there are (lo), and their set bits, until a value is seen (a netconf element,
 * a link's IFLA_INET_CONF). A device made later copies default's, unknowns included
 * (inetdev_init()).
 */
export function forgetDevconf(b: Builder): void {
  b.apply({ type: 'devconf-unknown' });
}

/** JSON with object keys sorted (arrays keep their order): equal for equal content. */
export function canonicalJson(v: unknown, drop: ReadonlySet<string> = new Set()): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x: unknown) => canonicalJson(x, drop)).join(',')}]`;
  const o = v as Readonly<Record<string, unknown>>;
  const keys = Object.keys(o).filter((k) => !drop.has(k) && o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k], drop)}`).join(',')}}`;
}

export const NO_FLAGS: ReadonlySet<string> = new Set(['flags']);

/** A route's JSON without its flags: what identifies it across link-state changes. */
export function sig(o: unknown): string {
  return canonicalJson(o, NO_FLAGS);
}

export function nexthopEvent(n: IpNexthop, b: Builder, names: PrintNames): FibEvent {
  const base = { type: 'nexthop-add' as const, id: n.id, replace: false, protocol: n.protocol === undefined ? 0 : (protoNumber(n.protocol, names) ?? 0) };
  const fdb = n.fdb !== undefined;
  if (n.group !== undefined) {
    const members = n.group.map((m) => ({ id: m.id, weight: m.weight ?? 1 }));
    const r = n.resilient_args;
    // "type": "resilient" with its resilient_args (timers in seconds, sent in clock_t).
    const res =
      n.type === 'resilient'
        ? {
            res: {
              ...(r === undefined ? {} : { buckets: r.buckets }),
              ...(r?.idle_timer === undefined ? {} : { idleTimer: Math.round(r.idle_timer * 100) }),
              ...(r?.unbalanced_timer === undefined ? {} : { unbalancedTimer: Math.round(r.unbalanced_timer * 100) }),
            },
          }
        : {};
    return { ...base, kind: 'group', members, fdb, ...res };
  }
  if (n.blackhole !== undefined) return { ...base, kind: 'blackhole' };
  // A gateway in IPv6 text is an AF_INET6 nexthop's (nh_create_ipv6()), and so is a
  // device-only one of scope link (nh_fill_node(): an AF_INET one without gateway is scope host).
  const v6 = n.gateway !== undefined ? n.gateway.includes(':') : !fdb && n.dev !== undefined && n.scope === 'link';
  // The dump is the kernel's: it found the IPv6 gateway reachable (gw6Routed).
  const gw = v6 ? { gw: null, ...(n.gateway === undefined ? {} : { gw6: canonicalIp6(n.gateway) ?? n.gateway, gw6Routed: true }) } : { gw: n.gateway === undefined ? null : ip(n.gateway) };
  const attrs = v6 ? { attrs: { family: 10, oif: !fdb, gateway: n.gateway !== undefined, blackhole: false, fdb, onlinkFlag: n.flags.includes('onlink') } } : {};
  if (fdb) return { ...base, ...attrs, kind: 'single', dev: 0, ...gw, onlink: n.flags.includes('onlink'), fdb: true };
  return { ...base, ...attrs, kind: 'single', dev: b.ifindex(n.dev), ...gw, onlink: n.flags.includes('onlink') };
}

export function withTable(s: FibSnapshot, t: FibTable): FibSnapshot {
  const tables = new Map(s.tables);
  tables.set(t.id, t);
  return snapshotOf({ ...s, tables });
}

/** addr-add of every IPv4 address of one `ip -j addr` element, in dump order (refusals ignored). */
export function addAddrs(b: Builder, a: IpSnapshot['addr'][number]): void {
  for (const x of a.addr_info) {
    const local = ip(x.local);
    b.tryApply({
      type: 'addr-add',
      ifindex: a.ifindex,
      local,
      address: x.address === undefined ? local : ip(x.address),
      prefixlen: x.prefixlen,
      broadcast: ip(x.broadcast),
      scope: scopeNumber(x.scope) ?? 0,
      ...(x.label !== undefined ? { label: x.label } : {}),
      metric: x.metric ?? 0,
      noprefixroute: x.noprefixroute === true,
      replace: false,
      ...(x.valid_life_time === undefined ? {} : { lifetimes: { valid: x.valid_life_time, preferred: x.preferred_life_time ?? x.valid_life_time } }),
    });
  }
}
