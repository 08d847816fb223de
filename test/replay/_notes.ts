// Checks `--explain` against the silent changes that each fixture's notes.md lists.
//
// notes.md was made by shared/traces/tools/trace_summary.py: per snapshot, a naive
// replay (the previous snapshot plus the notifications up to the snapshot's time) is
// compared with the snapshot, and every difference is listed. A silent change shows
// there exactly when no notification about the same object followed it in the interval.
// So, from the replay's silent changes: per object, take those after its last
// notification; when the first one's "before" differs from the last one's "after",
// the object is listed. This file ports the script's keys and line formats (Python
// reprs included) to produce those lines, then cut them as the script does (12 per kind).

import type { JsonValue } from '../../core/print/json-out.js';
import type { FibRoute } from '../../core/snapshot/fib-info.js';
import type { FibSnapshot } from '../../core/snapshot/snapshot.js';
import type { NexthopObject } from '../../core/snapshot/nexthop-object.js';
import type { NetlinkRecord, RouteRecord, RuleRecord } from '../../core/trace/netlink-records.js';
import type { ReplayStep } from '../../core/replay/replayer.js';
import { formatIp4 } from '../../core/net/ip4.js';

type Py = string | number | null | readonly Py[];

/** Python's repr() of ints, strings, None and tuples. */
export function pyRepr(v: Py): string {
  if (v === null) return 'None';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.includes("'") && !v.includes('"') ? `"${v}"` : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (v.length === 1) return `(${pyRepr(v[0] as Py)},)`;
  return `(${v.map(pyRepr).join(', ')})`;
}

function pyCompare(a: Py, b: Py): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i] as Py, b[i] as Py);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a === null && b === null) return 0;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const TABLE_NAMES: Readonly<Record<string, number>> = { local: 255, main: 254, default: 253, unspec: 0 };

function tableId(t: JsonValue | undefined): number {
  if (t === undefined) return 254;
  if (typeof t === 'number') return t;
  return TABLE_NAMES[String(t)] ?? Number(t);
}

function jsonDst(d: string): string {
  if (d === 'default') return '0.0.0.0/0';
  return d.includes('/') ? d : `${d}/32`;
}

interface RouteVal {
  readonly key: Py;
  readonly fl: readonly string[];
  readonly nhfl: Py;
}

type Names = (name: string | undefined) => number | string | null;

/** json_routes() for one route: key and (flags, per-nexthop flags). */
export function routeValue(j: Readonly<Record<string, JsonValue>>, r: FibRoute, names: Names): RouteVal {
  const flags = (x: JsonValue | undefined): string[] => (Array.isArray(x) ? (x as string[]).slice().sort() : []);
  const legs = (j['nexthops'] as readonly Readonly<Record<string, JsonValue>>[] | undefined) ?? undefined;
  const str = (x: JsonValue | undefined): string => (typeof x === 'string' ? x : '');
  let nh: Py;
  let fl: string[];
  let nhfl: Py;
  if (j['nhid'] !== undefined) {
    nh = [['nhid', j['nhid'] as number]];
    fl = flags(j['flags']);
    if (legs !== undefined) {
      const xs: Py[] = legs.map((h) => [str(h['gateway']), names(h['dev'] as string | undefined), (h['weight'] as number | undefined) ?? 1, ...flags(h['flags'])]);
      nhfl = xs.sort(pyCompare);
    } else nhfl = [[str(j['gateway']), names(j['dev'] as string | undefined), 1]];
  } else if (legs !== undefined) {
    const xs: Py[] = legs.map((h, i) => [str(h['gateway']), r.alias.info.nhs[i]?.dev ?? names(h['dev'] as string | undefined), (h['weight'] as number | undefined) ?? 1]);
    nh = xs.sort(pyCompare);
    const all = new Set<string>(flags(j['flags']));
    for (const h of legs) for (const f of flags(h['flags'])) all.add(f);
    fl = [...all].sort();
    nhfl = legs.map((h) => flags(h['flags']));
  } else {
    const dev = r.alias.info.nhs[0]?.dev ?? (j['dev'] === undefined ? null : names(j['dev'] as string));
    nh = [[str(j['gateway']), dev, 1]];
    fl = flags(j['flags']);
    nhfl = [];
  }
  const tos = r.alias.tos;
  const key: Py = [r.table, (j['type'] as string | undefined) ?? 'unicast', jsonDst(j['dst'] as string), tos, (j['metric'] as number | undefined) ?? 0, nh];
  void tableId;
  return { key, fl, nhfl };
}

/** route_from_msg()'s key for a captured route. */
export function recordRouteKey(r: RouteRecord, names: Names): Py {
  const RTN: Record<number, string> = { 0: 'unspec', 1: 'unicast', 2: 'local', 3: 'broadcast', 4: 'anycast', 5: 'multicast', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit', 9: 'throw', 10: 'nat' };
  let nh: Py;
  if (r.nhId !== undefined) nh = [['nhid', r.nhId]];
  else if (r.multipath !== undefined) {
    nh = r.multipath.map((l): Py => [l.gateway ?? '', l.ifindex ?? names(l.dev), l.hops + 1]).sort(pyCompare);
  } else nh = [[r.gateway ?? '', r.oif ?? (r.dev === undefined ? null : names(r.dev)), 1]];
  return [r.table, RTN[r.type] ?? String(r.type), `${r.dst ?? '0.0.0.0'}/${r.dstLen}`, r.tos, r.priority ?? 0, nh];
}

interface RuleKey {
  readonly key: Py;
  readonly text: string;
}

function ruleKeyOf(p: { priority: number; src: string; dst: string; iif: string; oif: string; fwmark: string; target: string | number }): RuleKey {
  const { priority, src, dst, iif, oif, fwmark, target } = p;
  let s = `${priority}: from ${src}`;
  if (dst !== 'all') s += ` to ${dst}`;
  if (fwmark !== '') s += ` fwmark ${fwmark}`;
  if (iif !== '') s += ` iif ${iif}`;
  if (oif !== '') s += ` oif ${oif}`;
  s += /^\d+$/.test(String(target)) ? ` lookup ${target}` : ` ${target}`;
  return { key: [priority, src, dst, iif, oif, fwmark, String(target)], text: s };
}

/** json_rules()'s key for an `ip -j rule` element. */
export function ruleJsonKey(j: Readonly<Record<string, JsonValue>>): RuleKey {
  let src = (j['src'] as string | undefined) ?? 'all';
  if (j['srclen'] !== undefined) src += `/${String(j['srclen'])}`;
  let dst = (j['dst'] as string | undefined) ?? 'all';
  if (j['dstlen'] !== undefined) dst += `/${String(j['dstlen'])}`;
  let target: string | number = (j['table'] as string | undefined) ?? (j['action'] as string | undefined) ?? (j['goto'] !== undefined ? `goto ${String(j['goto'])}` : j['nop'] !== undefined ? 'nop' : '?');
  if (typeof target === 'string' && (target in TABLE_NAMES || /^\d+$/.test(target))) target = tableId(target);
  return ruleKeyOf({ priority: j['priority'] as number, src, dst, iif: (j['iif'] as string | undefined) ?? '', oif: (j['oif'] as string | undefined) ?? '', fwmark: (j['fwmark'] as string | undefined) ?? '', target });
}

/** rule_from_msg()'s key for a captured rule. */
export function recordRuleKey(r: RuleRecord): RuleKey {
  const src = r.src !== undefined ? `${r.src}${r.srcLen === 32 ? '' : `/${r.srcLen}`}` : 'all';
  const dst = r.dst !== undefined ? `${r.dst}${r.dstLen === 32 ? '' : `/${r.dstLen}`}` : 'all';
  const RTN: Record<number, string> = { 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };
  const target = r.action === 1 ? String(r.table) : r.action === 2 ? `goto ${r.goto ?? 'none'}` : r.action === 3 ? 'nop' : (RTN[r.action] ?? String(r.action));
  return ruleKeyOf({ priority: r.priority ?? 0, src, dst, iif: r.iifName ?? '', oif: r.oifName ?? '', fwmark: r.fwmark !== undefined ? `0x${r.fwmark.toString(16)}` : '', target: /^\d+$/.test(target) ? Number(target) : target });
}

/** json_nexthops()'s description of a nexthop object. */
export function nexthopDesc(o: NexthopObject): Py {
  if (o.kind === 'group') return ['group', ...o.members.map((m): Py => [m.id, m.weight]).sort(pyCompare)];
  if (o.kind === 'blackhole') return ['blackhole'];
  return [o.gw !== null ? formatIp4(o.gw) : (o.gw6 ?? ''), o.dev];
}

function fmtRoute(v: RouteVal, names: ReadonlyMap<number, string>, withFlags: boolean): string {
  const [tb, typ, dst, , metric, nh] = v.key as [number, string, string, number, number, readonly Py[]];
  let s = typ === 'unicast' ? '' : `${typ} `;
  s += dst;
  for (const h of nh) {
    const t = h as readonly Py[];
    if (t[0] === 'nhid') {
      s += ` nhid ${String(t[1])}`;
      continue;
    }
    const [gw, ifi, w] = t as [string, number | null, number];
    if (nh.length > 1) s += ' nexthop';
    if (gw !== '') s += ` via ${gw}`;
    if (ifi !== null) s += ` dev ${typeof ifi === 'number' ? (names.get(ifi) ?? `if${ifi}`) : String(ifi)}`;
    if (nh.length > 1) s += ` weight ${w}`;
  }
  if (tb !== 254) s += ` table ${tb === 255 ? 'local' : tb === 253 ? 'default' : tb}`;
  if (metric !== 0) s += ` metric ${metric}`;
  if (withFlags && v.fl.length > 0) s += ` [${v.fl.join(' ')}]`;
  return s;
}

function fmtFlags(v: RouteVal): string {
  let s = v.fl.length > 0 ? `[${v.fl.join(' ')}]` : '[]';
  const nhfl = v.nhfl as readonly Py[];
  const first = nhfl[0] as readonly Py[] | undefined;
  if (nhfl.length > 0 && first !== undefined && first.length >= 3 && typeof first[1] !== 'string') {
    s += ` expanded nexthops ${nhfl.map((h) => `(${(h as readonly Py[]).filter((x) => x !== '').map((x) => String(x)).join(' ')})`).join(', ')}`;
  } else if (nhfl.length > 0) {
    s += ` per nexthop ${nhfl.map((h) => `[${(h as readonly Py[]).join(' ')}]`).join(', ')}`;
  }
  return s;
}

function pyList(xs: readonly string[]): string {
  return xs.length === 0 ? 'none' : `[${xs.map((x) => pyRepr(x)).join(', ')}]`;
}

/** cap(): at most 12 lines per kind of finding, with a count line. */
export function cap(lines: readonly string[], keep = 12): string[] {
  const kinds = new Map<string, string[]>();
  for (const l of lines) {
    const k = l.split(':')[0] as string;
    const g = kinds.get(k) ?? [];
    g.push(l);
    kinds.set(k, g);
  }
  const out: string[] = [];
  for (const [kind, group] of kinds) {
    if (group.length > keep) {
      out.push(`${kind}: ${group.length} in all, the first ${keep}:`);
      for (const g of group.slice(0, keep)) out.push(`  ${g}`);
    } else out.push(...group);
  }
  return out;
}

/** The sections of a notes.md's automatic summary: label -> lines. */
export function notesSections(md: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const part = md.split('## Automatic summary')[1] ?? '';
  let cur: string | null = null;
  for (const line of part.split('\n')) {
    const h = /^### (.+)$/.exec(line);
    if (h !== null) {
      cur = h[1] as string;
      out.set(cur, []);
      continue;
    }
    if (cur !== null && (line.startsWith('- ') || line.startsWith('  - '))) out.get(cur)?.push(line);
  }
  return out;
}

interface Tracked {
  first: { value: string | null; fmt: string } | null;
  last: { value: string | null; fmt: string } | null;
  kind: 'route' | 'rule' | 'nexthop';
  keyRepr: string;
  sortKey: Py;
  id?: number;
  /** How the object prints in a line (routes: without flags). */
  label: string;
  beforeVal: RouteVal | null;
  afterVal: RouteVal | null;
  beforeFlags?: readonly string[];
  afterFlags?: readonly string[];
  beforeNh?: NexthopObject;
  afterNh?: NexthopObject;
}

/**
 * The lines trace_summary.py would print for one interval, from the replay's steps in
 * that interval (silent changes, and the notifications they compete with).
 * `names` maps ifindex to the latest name (for display); `before` is the snapshot the
 * interval starts from.
 */
export function silentLines(steps: readonly ReplayStep[], before: FibSnapshot, names: ReadonlyMap<number, string>, form: 'binary' | 'text', monitorCache?: Map<string, number>): string[] {
  const tracked = new Map<string, Tracked>();
  let prev = before;
  // A live `ip monitor` prints the first name it saw for an ifindex until the device goes
  // (formats README 5): a text record's `dev` is resolved through that cache first.
  // monitorCache: the cache as the previous section left it (shared across calls).
  const monitorNames = monitorCache ?? new Map<string, number>();
  if (form === 'text' && monitorCache === undefined) for (const d of before.devices.values()) monitorNames.set(d.name, d.ifindex);
  const nameFn = (s: FibSnapshot): Names => (n) => {
    if (n === undefined) return null;
    const cached = monitorNames.get(n);
    if (cached !== undefined) return cached;
    for (const d of s.devices.values()) if (d.name === n) return d.ifindex;
    for (const d of prev.devices.values()) if (d.name === n) return d.ifindex;
    return n;
  };
  const touch = (id: string): void => {
    tracked.delete(id);
  };
  for (const st of steps) {
    const r: NetlinkRecord = st.record;
    if (form === 'text' && r.kind === 'link' && r.name !== undefined) {
      if (r.op === 'del') {
        for (const [n, i] of monitorNames) if (i === r.ifindex) monitorNames.delete(n);
      } else if (![...monitorNames.values()].includes(r.ifindex)) monitorNames.set(r.name, r.ifindex);
    }
    // A notification about an object resets what the naive replay knows of it.
    if (st.role !== 'state' || r.kind !== 'link') {
      if (r.kind === 'route') touch(`route ${pyRepr(recordRouteKey(r, form === 'text' ? nameFn(prev) : nameFn(st.snapshot)))}`);
      if (r.kind === 'rule') touch(`rule ${pyRepr(recordRuleKey(r).key)}`);
      if (r.kind === 'nexthop') touch(`nexthop ${r.id}`);
    }
    const snapBefore = prev;
    for (const c of st.silent) {
      if (c.kind === 'route-removed') {
        const v = routeValue(c.json, c.route, nameFn(snapBefore));
        const id = `route ${pyRepr(v.key)}`;
        if (c.implied) {
          touch(id);
          continue;
        }
        note(tracked, id, 'route', v.key, v, null);
      } else if (c.kind === 'route-changed') {
        const b = routeValue(c.before, c.route, nameFn(snapBefore));
        const a = routeValue(c.after, c.route, nameFn(st.snapshot));
        note(tracked, `route ${pyRepr(a.key)}`, 'route', a.key, b, a);
      } else if (c.kind === 'rule-changed') {
        const k = ruleJsonKey(c.json);
        const id = `rule ${pyRepr(k.key)}`;
        const t = tracked.get(id);
        if (t === undefined) tracked.set(id, { kind: 'rule', keyRepr: id, sortKey: k.key, label: k.text, first: null, last: null, beforeVal: null, afterVal: null, beforeFlags: c.before, afterFlags: c.after });
        else t.afterFlags = c.after;
      } else if (c.kind === 'nexthop-removed' || c.kind === 'nexthop-changed') {
        const idn = c.kind === 'nexthop-removed' ? c.nexthop.id : c.after.id;
        const id = `nexthop ${idn}`;
        const b = c.kind === 'nexthop-removed' ? c.nexthop : c.before;
        const a = c.kind === 'nexthop-removed' ? undefined : c.after;
        const t = tracked.get(id);
        if (t === undefined) {
          const entry: Tracked = { kind: 'nexthop', keyRepr: id, sortKey: idn, id: idn, label: '', first: null, last: null, beforeVal: null, afterVal: null, beforeNh: b };
          if (a !== undefined) entry.afterNh = a;
          tracked.set(id, entry);
        } else if (a !== undefined) t.afterNh = a;
        else delete t.afterNh;
      }
    }
    prev = st.snapshot;
  }
  const gone: Tracked[] = [];
  const chg: Tracked[] = [];
  const rules: Tracked[] = [];
  const nhs: Tracked[] = [];
  for (const t of tracked.values()) {
    if (t.kind === 'route') {
      if (t.afterVal === null) gone.push(t);
      else if (t.beforeVal !== null && fmtFlags(t.beforeVal) !== fmtFlags(t.afterVal)) chg.push(t);
    } else if (t.kind === 'rule') {
      if ((t.beforeFlags ?? []).join() !== (t.afterFlags ?? []).join()) rules.push(t);
    } else nhs.push(t);
  }
  const byKey = (a: Tracked, b: Tracked): number => {
    const x = pyRepr(a.sortKey);
    const y = pyRepr(b.sortKey);
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const lines: string[] = [];
  for (const t of gone.sort(byKey)) lines.push(`- route removed silently: \`${fmtRoute(t.beforeVal as RouteVal, names, true)}\``);
  for (const t of chg.sort(byKey)) lines.push(`- route flags/nexthops changed silently: \`${fmtRoute(t.afterVal as RouteVal, names, false)}\`: last notified ${fmtFlags(t.beforeVal as RouteVal)}, now ${fmtFlags(t.afterVal as RouteVal)}`);
  for (const t of rules.sort(byKey)) lines.push(`- rule flags changed silently: \`${t.label}\`: last notified ${pyList(t.beforeFlags ?? [])}, now ${pyList(t.afterFlags ?? [])}`);
  for (const t of nhs.sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    const b = t.beforeNh as NexthopObject;
    if (t.afterNh === undefined) lines.push(`- nexthop object ${t.id ?? 0} gone without RTM_DELNEXTHOP: ${pyRepr(nexthopDesc(b))}`);
    else if (pyRepr(nexthopDesc(b)) !== pyRepr(nexthopDesc(t.afterNh))) lines.push(`- nexthop object ${t.id ?? 0} changed silently: last notified ${pyRepr(nexthopDesc(b))}, now ${pyRepr(nexthopDesc(t.afterNh))}`);
  }
  if (lines.length === 0) return ['- nothing: the notifications explain this snapshot completely'];
  return cap(lines);
}

function note(tracked: Map<string, Tracked>, id: string, kind: 'route', sortKey: Py, before: RouteVal, after: RouteVal | null): void {
  const t = tracked.get(id);
  if (t === undefined) tracked.set(id, { kind, keyRepr: id, sortKey, label: '', first: null, last: null, beforeVal: before, afterVal: after });
  else t.afterVal = after;
}
