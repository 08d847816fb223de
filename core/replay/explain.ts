// Text for `kfib replay --explain` and `--check`: the timeline of silent changes (when,
// which event caused them, the kernel mechanism, the routes and rules affected) and the
// notification findings.

import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { FibEvent } from '../events/fib-event.js';
import type { EffectCause } from '../snapshot/effects.js';
import type { JsonValue } from '../print/json-out.js';
import { formatRouteLine } from '../print/route-line.js';
import { formatRule } from '../iproute2/ip-rule.js';
import { formatIp4, formatPrefix } from '../net/ip4.js';
import { formatTimestamp, nlmsgTypeName, type Timestamp } from '../trace/netlink-records.js';
import { BUILTIN_NAMES, tableName, type PrintNames } from '../uapi/rt-names.js';
import type { CheckFinding, ReplayStep } from './replayer.js';
import type { SilentChange } from './silent-changes.js';

/** The kernel mechanism behind a silent change, in a sentence. */
export function mechanism(cause: EffectCause, c?: SilentChange): string {
  switch (cause) {
    case 'fib_flush':
      return 'fib_sync_down_dev + fib_flush: the device went down, routes through it are flushed without RTM_DELROUTE';
    case 'fib_disable_ip':
      return 'fib_disable_ip: the device lost its last IPv4 address (or is going away); every route through it is flushed without RTM_DELROUTE';
    case 'fib_sync_down_dev':
      return 'fib_sync_down_dev: nexthops through the device are marked dead/linkdown, without notification';
    case 'fib_sync_up':
      return 'fib_sync_up: nexthops through the device are usable again, without notification';
    case 'fib_sync_down_addr':
      return "fib_sync_down_addr: the route's preferred source address is gone";
    case 'nexthop_flush_dev':
      return 'nexthop_flush_dev: nexthop objects on the device are removed with the routes using them, and groups shrink, without RTM_DELNEXTHOP';
    case 'rtm_del_nexthop':
      return c?.kind === 'route-changed'
        ? 'remove_nh_grp_entry: a group lost the deleted nexthop (announced by RTM_NEWNEXTHOP); the routes using the group are not announced again'
        : 'remove_nexthop: routes using the deleted nexthop object go with it, without RTM_DELROUTE';
    case 'rtm_new_nexthop':
      return c?.kind === 'route-removed' && c.implied
        ? 'nexthop_replace_notify: each route using the replaced nexthop is announced again (RTM_NEWROUTE, NLM_F_REPLACE); its old form goes without RTM_DELROUTE'
        : 'rtm_new_nexthop';
    case 'devinet_conf_proc':
      return 'ignore_routes_with_linkdown changed: fib_dump_info() reports linkdown nexthops as dead, and lookups skip them, only while it is on';
    case 'fib_rules_event':
      return 'fib_rules_event: rules hold device names; a rule detaches when its device goes and attaches when one of that name appears';
    case 'fib_nl_newrule':
    case 'fib_nl_delrule':
      return 'goto target: a goto rule is resolved when a rule of its target priority exists, unresolved otherwise';
    case 'devinet_copy_dflt_conf':
      return 'devinet_copy_dflt_conf: a write to conf/default reaches every device that never set the value';
    case 'fib_table_insert':
      return c?.kind === 'route-removed' && c.implied ? 'fib_table_insert(NLM_F_REPLACE): the replaced route goes without RTM_DELROUTE' : 'fib_table_insert';
    default:
      return cause;
  }
}

/**
 * A FibEvent in a few words, with device names from `s` and table names from `names` (the
 * capture's, as rtnl_rttable_n2a() prints them: `table isp1`, `table main`).
 */
export function describeEvent(e: FibEvent, s: FibSnapshot, names: PrintNames = BUILTIN_NAMES): string {
  const dev = (i: number): string => s.devices.get(i)?.name ?? `if${i}`;
  switch (e.type) {
    case 'link-add':
      return `link ${e.link.name} appears (ifindex ${e.link.ifindex ?? '?'})`;
    case 'link-set': {
      const parts: string[] = [];
      if (e.name !== undefined) parts.push(`renamed ${e.name}`);
      if (e.up !== undefined) parts.push(e.up ? 'up' : 'down');
      if (e.group !== undefined) parts.push(`group ${e.group}`);
      if (e.master !== undefined) parts.push(e.master === null ? 'nomaster' : `master ${dev(e.master)}`);
      return `link ${dev(e.ifindex)} ${parts.join(', ')}`;
    }
    case 'link-carrier':
      return `link ${dev(e.ifindex)} carrier ${e.carrier ? 'on' : 'off'}`;
    case 'link-del':
      return `link ${dev(e.ifindex)} deleted`;
    case 'link-prop':
      return `link ${dev(e.ifindex)} altname ${e.op} ${e.altnames.join(' ')}`;
    case 'addr-add':
      return `address ${formatIp4(e.local)}/${e.prefixlen} added on ${dev(e.ifindex)}`;
    case 'addr-del':
      return `address ${e.local === undefined ? '?' : formatIp4(e.local)}/${e.prefixlen} deleted from ${dev(e.ifindex)}`;
    case 'route-new':
      return `route ${e.op} ${formatPrefix(e.cfg.dst, e.cfg.plen)} table ${tableName(e.cfg.table, names)}`;
    case 'route-del':
      return `route del ${formatPrefix(e.cfg.dst, e.cfg.plen)} table ${tableName(e.cfg.table, names)}`;
    case 'rule-add':
      return `rule add pref ${e.rule.priority ?? '(auto)'}`;
    case 'rule-del':
      return `rule del pref ${e.match.priority ?? '?'}`;
    case 'nexthop-add':
      return `nexthop ${e.replace ? 'replace' : 'add'} id ${e.id}`;
    case 'nexthop-del':
      return `nexthop del id ${e.id}`;
    case 'sysctl':
      return `sysctl net.ipv4.conf.${e.target.kind === 'dev' ? dev(e.target.ifindex) : e.target.kind}.${e.key} ${e.observed === true ? 'seen' : '='} ${e.value}`;
    case 'ip-forward':
      return `sysctl net.ipv4.ip_forward = ${e.value}`;
    case 'net-sysctl':
      return `sysctl net.ipv4.${e.key} = ${e.value}`;
    case 'devconf-unknown':
      return 'devconf unknown (imported state)';
  }
}

function flagsOf(j: Readonly<Record<string, JsonValue>>): string {
  const legs = j['nexthops'] as readonly Readonly<Record<string, JsonValue>>[] | undefined;
  const f = (x: JsonValue | undefined): string => (Array.isArray(x) && x.length > 0 ? (x as string[]).join(' ') : '-');
  if (legs !== undefined) return legs.map((l) => `[${f(l['flags'])}]`).join(' ');
  return `[${f(j['flags'])}]`;
}

/** A route's nexthops as `via GW dev DEV` (ip -j's gateway and dev, per leg of a multipath route). */
function legsOf(j: Readonly<Record<string, JsonValue>>): string {
  const one = (l: Readonly<Record<string, JsonValue>>): string => {
    const gw = l['gateway'];
    const dev = l['dev'];
    return [typeof gw === 'string' ? `via ${gw}` : '', typeof dev === 'string' ? `dev ${dev}` : ''].filter((x) => x !== '').join(' ') || '-';
  };
  const legs = j['nexthops'] as readonly Readonly<Record<string, JsonValue>>[] | undefined;
  return legs === undefined ? one(j) : legs.map(one).join(', ');
}

/**
 * What changed on a route the kernel did not announce: its nexthops' flags, or its nexthops
 * themselves (a group that lost a member, remove_nh_grp_entry()), before -> after.
 */
export function routeChange(before: Readonly<Record<string, JsonValue>>, after: Readonly<Record<string, JsonValue>>, arrow = '->'): string {
  const flags = `flags ${flagsOf(before)} ${arrow} ${flagsOf(after)}`;
  const was = legsOf(before);
  const now = legsOf(after);
  return was === now ? flags : `nexthops ${was} ${arrow} ${now}; ${flags}`;
}

/**
 * One line per silent change (`prev` is the state before the step), routes and rules printed
 * with the capture's names (table, protocol, scope, dsfield), as `ip route` and `ip rule` print
 * them on that host.
 */
export function describeSilent(c: SilentChange, prev: FibSnapshot, after: FibSnapshot, names: PrintNames = BUILTIN_NAMES): string {
  const route = (s: FibSnapshot, r: Parameters<typeof formatRouteLine>[1]): string => formatRouteLine(s, r, {}, undefined, names).trimEnd().replace(/\n\t/g, ' | ');
  switch (c.kind) {
    case 'route-removed':
      return `route removed    ${route(prev, c.route)}`;
    case 'route-changed':
      return `route ${c.reportOnly ? 'reported' : 'changed'}   ${route(after, c.route)}   ${routeChange(c.before, c.after)}`;
    case 'rule-changed':
      return `rule changed     ${formatRule(after, c.rule, false, names).trimEnd()}   (${c.before.join(' ') || 'attached'} -> ${c.after.join(' ') || (c.before.some((x) => x === 'unresolved') ? 'resolved' : 'attached')})`;
    case 'nexthop-removed':
      return `nexthop removed  id ${c.nexthop.id}`;
    case 'nexthop-changed':
      return `nexthop changed  id ${c.after.id} ${JSON.stringify(c.json)}`;
    case 'netconf-changed':
      return `netconf changed  ${c.target} ${c.key} = ${c.value}`;
  }
}

function when(t: Timestamp | undefined): string {
  return t === undefined ? '-' : formatTimestamp(t);
}

/** What caused a step, as a header line (tables named with `names`). */
export function stepHeader(st: ReplayStep, prev: FibSnapshot, names: PrintNames = BUILTIN_NAMES): string {
  const r = st.record;
  const who = r.nlmsgPid === undefined ? '' : r.nlmsgPid === 0 ? ', kernel' : `, pid ${r.nlmsgPid}`;
  // Values learnt from the record (IFLA_INET_CONF, a full netconf) that the model did not
  // know are counted, not listed: a device's first link record teaches up to 31.
  const seen = st.applied.filter((a) => a.event.type === 'sysctl' && a.event.observed === true).length;
  const told = st.applied.filter((a) => a.event.type !== 'sysctl' || a.event.observed !== true).map((a) => describeEvent(a.event, prev, names));
  const what = [...told, ...(seen > 0 ? [`${seen} devconf value${seen === 1 ? '' : 's'} seen`] : [])].join('; ');
  return `${when(st.time)} @${st.seq} ${nlmsgTypeName(r.nlmsgType)}${who}: ${what}${st.pulledBy !== undefined ? ` (applied early: @${st.pulledBy} was its consequence)` : ''}`;
}

/** The --explain block of one step: a header and one line per silent change, or nothing. */
export function explainStep(st: ReplayStep, prev: FibSnapshot, names: PrintNames = BUILTIN_NAMES): string[] {
  if (st.silent.length === 0) return [];
  const out = [stepHeader(st, prev, names)];
  const byCause = new Map<string, SilentChange[]>();
  for (const c of st.silent) {
    const k = mechanism(c.cause, c);
    const list = byCause.get(k) ?? [];
    list.push(c);
    byCause.set(k, list);
  }
  for (const [m, list] of byCause) {
    out.push(`  ${m}:`);
    for (const c of list) out.push(`    ${describeSilent(c, prev, st.snapshot, names)}${c.kind === 'route-removed' && c.implied ? '   (implied by NLM_F_REPLACE)' : ''}`);
  }
  return out;
}

/** One --check finding as a line. */
export function formatFinding(f: CheckFinding): string {
  switch (f.kind) {
    case 'missing':
      return `missing     @${f.causeSeq} ${when(f.causeTime)}: the model predicted "${f.expected.text}", the trace has no such notification`;
    case 'unexpected':
      return `unexpected  @${f.seq} ${when(f.time)}: "${f.captured.text}": ${f.why}`;
    case 'different':
      return `different   @${f.seq} ${when(f.time)}: "${f.captured.text}": ${f.fields.join('; ')}`;
  }
}
