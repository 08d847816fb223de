// The FIB at one moment of a report, as the page shows it when a moment is clicked: the
// routes of each table as `ip route show table T` prints them, with the routes this
// moment added, deleted, flushed silently or changed silently marked on their rows; the
// rules as `ip rule show` prints them; each device with its admin state, carrier,
// addresses and ignore_routes_with_linkdown; and the moment's silent changes with the
// kernel mechanism behind each (explain.ts mechanism()).
//
// | row status         | from                                                              |
// | ------------------ | ----------------------------------------------------------------- |
// | added              | a route-add or route-replace effect of the moment                 |
// | deleted            | a notified route-del (RTM_DELROUTE was sent)                      |
// | gone-silently      | a silent route removal (silentChanges: fib_flush, fib_disable_ip…)|
// | replaced           | the old route of an NLM_F_REPLACE (implied by its RTM_NEWROUTE)   |
// | changed-silently   | a silent flag change (dead, linkdown) or a change in how it is reported |
// | elided             | "… N routes not listed": a table longer than `maxRows` lists its first |
// |                    | maxRows routes and every route the moment changed, and says how many it left out |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import type { EffectCause } from '../snapshot/effects.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import type { FibRule } from '../events/rule.js';
import type { RouteMetrics } from '../trace/netlink-records.js';
import { prefixKey, tableAliases, tableRouteCount, tableRoutes } from '../snapshot/fib-table.js';
import { tablesInDumpOrder } from '../iproute2/ip-route.js';
import { formatRouteLine } from '../print/route-line.js';
import { BUILTIN_NAMES, tableName, type PrintNames } from '../uapi/rt-names.js';
import { formatRule } from '../iproute2/ip-rule.js';
import { formatIp4 } from '../net/ip4.js';
import { describeEvent, describeSilent, mechanism, routeChange } from '../replay/explain.js';
import type { SilentChange } from '../replay/silent-changes.js';
import { routeKey } from '../replay/_route-key.js';
import type { MomentState } from './report-model.js';

export type RowStatus = 'kept' | 'added' | 'deleted' | 'gone-silently' | 'replaced' | 'changed-silently' | 'elided';

/** One route line of a table. */
export interface RouteRow {
  /** The line as `ip route show table T` prints it, without its final newline. */
  readonly text: string;
  readonly status: RowStatus;
  /** What changed on a surviving row: `flags [-] → [linkdown]`, or its nexthops and their flags (explain.ts routeChange()). */
  readonly change?: string;
  /** For silent changes: the kernel mechanism (explain.ts mechanism()). */
  readonly mechanism?: string;
  readonly cause?: EffectCause;
}

/** One table at the moment. */
export interface TableView {
  readonly id: number;
  readonly name: string;
  readonly rows: readonly RouteRow[];
  /** Routes in the table after the moment. */
  readonly count: number;
}

/** One rule line. */
export interface RuleRow {
  /** The line as `ip rule show` prints it, without its newline. */
  readonly text: string;
  readonly status: 'kept' | 'added' | 'deleted' | 'changed-silently';
  /** What changed: `attached → iif_detached`. */
  readonly change?: string;
  readonly mechanism?: string;
}

/** One device at the moment. */
export interface DeviceRow {
  readonly ifindex: number;
  readonly name: string;
  readonly up: boolean;
  readonly carrier: boolean;
  /** `LOCAL/PLEN` of each IPv4 address, secondaries marked. */
  readonly addrs: readonly string[];
  /** net.ipv4.conf.DEV.ignore_routes_with_linkdown. */
  readonly ignoreRoutesWithLinkdown: boolean;
  /** The value that applies: all OR dev (IN_DEV_IGNORE_ROUTES_WITH_LINKDOWN). */
  readonly effective: boolean;
}

/** One silent change of the moment. */
export interface SilentLine {
  readonly kind: SilentChange['kind'];
  /** explain.ts describeSilent(): `route removed    default via … table 10`. */
  readonly text: string;
  readonly cause: EffectCause;
  /** explain.ts mechanism(): the kernel function and what it does. */
  readonly mechanism: string;
  /** The old route of an NLM_F_REPLACE: implied by the notification of the new one. */
  readonly implied: boolean;
}

/** Everything the page shows about one moment. */
export interface MomentView {
  readonly tables: readonly TableView[];
  readonly rules: readonly RuleRow[];
  readonly devices: readonly DeviceRow[];
  /** net.ipv4.conf.all / default .ignore_routes_with_linkdown. */
  readonly ignoreAll: boolean;
  readonly ignoreDefault: boolean;
  readonly silent: readonly SilentLine[];
  /** The events the moment applied, in a few words each (explain.ts describeEvent). */
  readonly events: readonly string[];
}

/** The name part of a mechanism sentence: `fib_disable_ip` of `fib_disable_ip: the device …`. */
export function mechanismName(mechanism: string): string {
  const at = mechanism.indexOf(': ');
  return at < 0 ? mechanism : mechanism.slice(0, at);
}

type Mark = Omit<RouteRow, 'text'>;

/** A route line as `ip route show table T` prints it (no `table` word), RTA_METRICS included, with the capture's names. */
export function tableRouteLine(s: FibSnapshot, metrics: ReadonlyMap<string, RouteMetrics>, r: FibRoute, names: PrintNames = BUILTIN_NAMES): string {
  // The model's fib_info carries the metrics (print_rta_metrics() prints them with the
  // line); the side table is no longer needed for them.
  void metrics;
  return formatRouteLine(s, r, { table: true }, undefined, names);
}

const strip = (line: string): string => (line.endsWith('\n') ? line.slice(0, -1) : line);

interface Removed {
  readonly key: number;
  readonly row: RouteRow;
}

function tableRows(st: MomentState, id: number, marks: ReadonlyMap<string, Mark>, removed: readonly Removed[], maxRows: number, marked: readonly FibRoute[]): RouteRow[] {
  const t = st.snapshot.tables.get(id);
  const rows: RouteRow[] = [];
  const gone = [...removed].sort((a, b) => a.key - b.key);
  let g = 0;
  let listed = 0;
  let lastKey = -1;
  let cut = false;
  if (t !== undefined) {
    for (const r of tableRoutes(t)) {
      const key = prefixKey(r.dst, r.plen);
      if (listed >= maxRows) {
        cut = true;
        break;
      }
      while (g < gone.length && (gone[g] as Removed).key < key) rows.push((gone[g++] as Removed).row);
      const mark = marks.get(routeKey(r));
      const text = strip(tableRouteLine(st.snapshot, st.metrics, r, st.names));
      rows.push(mark === undefined ? { text, status: 'kept' } : { text, ...mark });
      listed++;
      lastKey = key;
    }
  }
  if (cut && t !== undefined) {
    // The rest: only the rows this moment changed, in dump order, and how many were left out.
    const total = tableRouteCount(t);
    const seen = new Set<string>();
    const later: Removed[] = [];
    for (const m of marked) {
      const r = m.table === id && prefixKey(m.dst, m.plen) > lastKey ? findRoute(st.snapshot, m) : null;
      const mark = r === null ? undefined : marks.get(routeKey(r));
      if (r === null || mark === undefined || seen.has(routeKey(r))) continue;
      seen.add(routeKey(r));
      later.push({ key: prefixKey(r.dst, r.plen), row: { text: strip(tableRouteLine(st.snapshot, st.metrics, r, st.names)), ...mark } });
    }
    const rest = [...later, ...gone.slice(g)].sort((a, b) => a.key - b.key);
    const shown = listed + later.length;
    rows.push({ text: `… ${total - shown} of the table's ${total} routes not listed (the page lists the first ${maxRows} and every route this moment changed)`, status: 'elided' });
    for (const x of rest) rows.push(x.row);
    return rows;
  }
  while (g < gone.length) rows.push((gone[g++] as Removed).row);
  return rows;
}

/** The route of the state equal to `r` (same identity), if it is there. */
function findRoute(s: FibSnapshot, r: FibRoute): FibRoute | null {
  const t = s.tables.get(r.table);
  if (t === undefined) return null;
  const key = routeKey(r);
  for (const alias of tableAliases(t, r.dst, r.plen)) {
    const x: FibRoute = { table: r.table, dst: r.dst, plen: r.plen, alias };
    if (routeKey(x) === key) return x;
  }
  return null;
}

function ruleRows(st: MomentState): RuleRow[] {
  const before = st.before;
  const after = st.snapshot;
  const added = new Set<FibRule>();
  const deleted: FibRule[] = [];
  for (const e of st.effects) {
    if (e.kind === 'rule-add') added.add(e.rule);
    else if (e.kind === 'rule-del') deleted.push(e.rule);
  }
  const changed = new Map<FibRule, { change: string; mechanism: string }>();
  for (const c of st.silent) {
    if (c.kind !== 'rule-changed') continue;
    const resolved = c.before.includes('unresolved') ? 'resolved' : 'attached';
    changed.set(c.rule, { change: `${c.before.join(' ') || 'attached'} → ${c.after.join(' ') || resolved}`, mechanism: mechanism(c.cause, c) });
  }
  const rows: RuleRow[] = after.rules.map((r) => {
    const text = strip(formatRule(after, r, false, st.names));
    const ch = changed.get(r);
    if (ch !== undefined) return { text, status: 'changed-silently', ...ch };
    return { text, status: added.has(r) ? 'added' : 'kept' };
  });
  for (const r of deleted) if (!after.rules.includes(r)) rows.push({ text: strip(formatRule(before, r, false, st.names)), status: 'deleted' });
  return rows;
}

/**
 * The view of the state after `st`, with the changes `st` made marked.
 * @example momentView(model.state(3), { maxRows: 2000 }).tables.find((t) => t.id === 10)?.rows
 * 1. marks from the moment's effects (added, deleted with RTM_DELROUTE) and its silent
 *    changes (gone silently, replaced, changed silently), by route identity;
 * 2. each table of the state in `ip route show table all` order, rows in dump order, the
 *    routes that left it at this moment merged in where they stood;
 * 3. rules, devices and ignore_routes_with_linkdown from the state;
 * 4. tables, protocols, scopes and dsfields named with the report's names (st.names), as
 *    `kfib replay --show` and `--explain` name them.
 */
export function momentView(st: MomentState, opts: { readonly maxRows?: number } = {}): MomentView {
  const maxRows = opts.maxRows ?? Infinity;
  const before = st.before;
  const after = st.snapshot;
  const marks = new Map<string, Mark>();
  const removed = new Map<number, Removed[]>();
  /** The routes of the state this moment marked (listed even past maxRows). */
  const marked: FibRoute[] = [];
  const addRemoved = (r: FibRoute, row: RouteRow): void => {
    if (findRoute(after, r) !== null) return;
    let list = removed.get(r.table);
    if (list === undefined) removed.set(r.table, (list = []));
    list.push({ key: prefixKey(r.dst, r.plen), row });
  };
  const names = st.names;
  const beforeLine = (r: FibRoute): string => strip(tableRouteLine(before, st.metricsBefore, r, names));
  for (const e of st.effects) {
    if (e.kind === 'route-add' || e.kind === 'route-replace') {
      marks.set(routeKey(e.route), { status: 'added' });
      marked.push(e.route);
    }
    else if (e.kind === 'route-del' && e.notified) addRemoved(e.route, { text: beforeLine(e.route), status: 'deleted', cause: e.cause });
  }
  for (const c of st.silent) {
    if (c.kind === 'route-removed') {
      const m = mechanism(c.cause, c);
      addRemoved(c.route, { text: beforeLine(c.route), status: c.implied ? 'replaced' : 'gone-silently', mechanism: m, cause: c.cause });
    } else if (c.kind === 'route-changed') {
      marks.set(routeKey(c.route), { status: 'changed-silently', change: routeChange(c.before, c.after, '→'), mechanism: mechanism(c.cause, c), cause: c.cause });
      marked.push(c.route);
    }
  }
  const tables: TableView[] = [];
  const ids = tablesInDumpOrder(after.tables).map((t) => t.id);
  for (const id of removed.keys()) if (!ids.includes(id)) ids.push(id);
  for (const id of ids) {
    const t = after.tables.get(id);
    tables.push({ id, name: tableName(id, names), rows: tableRows(st, id, marks, removed.get(id) ?? [], maxRows, marked), count: t === undefined ? 0 : tableRouteCount(t) });
  }
  const devices: DeviceRow[] = [...after.devices.values()].map((d) => ({
    ifindex: d.ifindex,
    name: d.name,
    up: d.up,
    carrier: d.carrier,
    addrs: d.addrs.map((a) => `${formatIp4(a.local)}${a.address !== a.local ? ` peer ${formatIp4(a.address)}` : ''}/${a.prefixlen}${a.secondary ? ' secondary' : ''}`),
    ignoreRoutesWithLinkdown: d.conf.values.ignore_routes_with_linkdown !== 0,
    effective: ignoreLinkdown(after, d.ifindex),
  }));
  const silent: SilentLine[] = st.silent.map((c) => ({
    kind: c.kind,
    text: describeSilent(c, before, after, names),
    cause: c.cause,
    mechanism: mechanism(c.cause, c),
    implied: c.kind === 'route-removed' && c.implied,
  }));
  return {
    tables,
    rules: ruleRows(st),
    devices,
    ignoreAll: after.confAll.values.ignore_routes_with_linkdown !== 0,
    ignoreDefault: after.confDefault.values.ignore_routes_with_linkdown !== 0,
    silent,
    events: st.events.map((e) => describeEvent(e, before, names)),
  };
}
