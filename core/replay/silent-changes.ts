// The changes an event made that no netlink message announced: what `--explain` lists
// and what a naive replay of a trace (before.json + notifications) misses.
//
// | change                         | kernel mechanism (EffectCause)                     | source            |
// | ------------------------------ | -------------------------------------------------- | ----------------- |
// | route removed                  | fib_flush after fib_sync_down_dev / fib_disable_ip; remove_nexthop | silent route-del effects |
// | route flags (dead, linkdown)   | fib_sync_down_dev, fib_sync_up                     | route-flags effects |
// | route reported dead / alive    | ignore_routes_with_linkdown changed (devinet_conf_proc): fib_dump_info() adds RTNH_F_DEAD to linkdown nexthops | derived |
// | replaced route gone            | fib_table_insert(NLM_F_REPLACE): no RTM_DELROUTE for the old one | route-replace effects (implied by the flag) |
// | rule detached / attached       | fib_rules_event (NETDEV_UNREGISTER / REGISTER, CHANGENAME) | derived from rule display flags |
// | goto rule resolved / unresolved| fib_nl_newrule / fib_nl_delrule                     | derived            |
// | nexthop object gone            | nexthop_flush_dev                                  | derived from the nexthop table |
// | nexthop group shrank           | remove_nh_grp_entry                                | derived            |
// | devconf copied from default    | devinet_copy_dflt_conf                             | silent netconf effects |

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { ignoreLinkdown } from '../snapshot/snapshot.js';
import type { Effect, EffectCause } from '../snapshot/effects.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import type { FibRule } from '../events/rule.js';
import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { routeJson } from '../print/route-line.js';
import { ruleJson } from '../iproute2/ip-rule.js';
import { aliasNexthops } from '../trie/fib-table-lookup.js';
import type { JsonValue } from '../print/json-out.js';
import { tableRoutes } from '../snapshot/fib-table.js';
import { routeKey } from './_route-key.js';
import { nexthopJson } from './ip-json-dump.js';

type Json = Record<string, JsonValue>;

/** One change nobody was told about. Routes are given as `ip -j route` prints them. */
export type SilentChange =
  | {
      readonly kind: 'route-removed';
      readonly route: FibRoute;
      /** As `ip -j route` showed it just before. */
      readonly json: Json;
      readonly cause: EffectCause;
      /** True when a notification implies it (the old route of an NLM_F_REPLACE). */
      readonly implied: boolean;
    }
  | {
      readonly kind: 'route-changed';
      readonly route: FibRoute;
      readonly before: Json;
      readonly after: Json;
      readonly cause: EffectCause;
      /** True when only the way the route is reported changed (`dead` from ignore_routes_with_linkdown). */
      readonly reportOnly: boolean;
    }
  | { readonly kind: 'rule-changed'; readonly rule: FibRule; readonly json: Json; readonly before: readonly string[]; readonly after: readonly string[]; readonly cause: EffectCause }
  | { readonly kind: 'nexthop-removed'; readonly nexthop: NexthopObject; readonly json: JsonValue; readonly cause: EffectCause }
  | { readonly kind: 'nexthop-changed'; readonly before: NexthopObject; readonly after: NexthopObject; readonly json: JsonValue; readonly cause: EffectCause }
  | { readonly kind: 'netconf-changed'; readonly target: string; readonly key: string; readonly value: number; readonly cause: EffectCause };

const sameJson = (a: JsonValue, b: JsonValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The flags `ip -j rule` shows that can change without a notification. */
export function ruleDisplayFlags(s: FibSnapshot, r: FibRule): string[] {
  const j = ruleJson(s, r);
  return ['iif_detached', 'oif_detached', 'unresolved'].filter((k) => k in j);
}

export interface SilentOptions {
  /** Also look at rules (the step had rule or link events). */
  readonly rules: boolean;
}

/**
 * The silent changes of one step (the events applied for one record).
 * 1. silent route deletions, each shown as it was before the step (flag changes the same
 *    step made first are folded in); replaced routes, marked implied;
 * 2. routes whose flags changed and that survive the step;
 * 3. routes reported differently because ignore_routes_with_linkdown changed;
 * 4. rules whose detached / unresolved state changed;
 * 5. nexthop objects removed or changed without RTM_DELNEXTHOP / NEWNEXTHOP, and the
 *    routes whose expanded nexthops changed with them;
 * 6. devconf values copied from default.
 */
export function silentChanges(before: FibSnapshot, after: FibSnapshot, effects: readonly Effect[], opts: SilentOptions): SilentChange[] {
  const out: SilentChange[] = [];
  if (before === after) return out;
  // A route as it was before this step, by its identity (routeKey: flags are not part of
  // it). Not by alias object: routes share alias objects (fib-info-hash.ts).
  const origin = new Map<string, FibRoute>();
  const changed = new Map<string, { orig: FibRoute; final: FibRoute; cause: EffectCause }>();
  const notifiedNh = new Set<string>();
  const silentNhCause = new Map<number, EffectCause>();
  const notifiedNhCause = new Map<number, EffectCause>();
  // Routes announced again in this step (nexthop_replace_notify(): RTM_NEWROUTE with
  // NLM_F_REPLACE): their new expansion is not silent.
  const reannounced = new Set<string>();
  for (const e of effects) {
    switch (e.kind) {
      case 'route-flags': {
        const orig = origin.get(routeKey(e.old)) ?? e.old;
        const k = routeKey(orig);
        origin.set(routeKey(e.route), orig);
        const prev = changed.get(k);
        changed.set(k, { orig, final: e.route, cause: prev?.cause ?? e.cause });
        break;
      }
      case 'route-del': {
        const orig = origin.get(routeKey(e.route)) ?? e.route;
        changed.delete(routeKey(orig));
        if (!e.notified) out.push({ kind: 'route-removed', route: orig, json: routeJson(before, orig, {}), cause: e.cause, implied: false });
        break;
      }
      case 'route-replace':
        out.push({ kind: 'route-removed', route: e.old, json: routeJson(before, e.old, {}), cause: e.cause, implied: true });
        if (e.notified) reannounced.add(routeKey(e.route));
        break;
      case 'nexthop-add':
      case 'nexthop-del':
        if (e.notified) {
          notifiedNh.add(`${e.kind} ${e.nexthop.id}`);
          notifiedNhCause.set(e.nexthop.id, e.cause);
        } else silentNhCause.set(e.nexthop.id, e.cause);
        break;
      case 'netconf':
        if (!e.notified) out.push({ kind: 'netconf-changed', target: e.target, key: e.key, value: e.value, cause: e.cause });
        break;
      default:
        break;
    }
  }
  for (const { orig, final, cause } of changed.values()) {
    const b = routeJson(before, orig, {});
    const a = routeJson(after, final, {});
    if (!sameJson(a, b)) out.push({ kind: 'route-changed', route: final, before: b, after: a, cause, reportOnly: false });
  }
  const reported = new Set(changed.keys());
  // 3. ignore_routes_with_linkdown: fib_dump_info() reports linkdown nexthops as dead.
  if (after.confAll !== before.confAll || after.devices !== before.devices) {
    const flipped = new Set<number>();
    for (const d of after.devices.values()) {
      if (before.devices.has(d.ifindex) && ignoreLinkdown(before, d.ifindex) !== ignoreLinkdown(after, d.ifindex)) flipped.add(d.ifindex);
    }
    if (flipped.size > 0) {
      for (const t of after.tables.values()) {
        for (const r of tableRoutes(t)) {
          const nhs = aliasNexthops(after, r.alias);
          if (nhs === 'blackhole' || !nhs.some((nh) => nh.linkdown && flipped.has(nh.dev))) continue;
          if (reported.has(routeKey(r))) continue;
          const b = routeJson(before, r, {});
          const a = routeJson(after, r, {});
          if (!sameJson(a, b)) out.push({ kind: 'route-changed', route: r, before: b, after: a, cause: 'devinet_conf_proc', reportOnly: true });
        }
      }
    }
  }
  // 4. rules: detached / attached / unresolved. Only two things move these flags, so only
  // their rules are looked at (a step costs what the kernel's does, not the length of the
  // list): fib_rules_event() attaches or detaches the rules naming a device that came, went
  // or was renamed (its rule-attach / rule-detach effects), and a goto's target appears or
  // disappears with a rule of the target's priority (fib_nl_newrule() / fib_nl_delrule(),
  // which walk the list only when ops->nr_goto_rules is not zero).
  if (opts.rules && (before.rules !== after.rules || before.devices !== after.devices)) {
    const candidates = new Set<FibRule>();
    const prefs = new Set<number>();
    for (const e of effects) {
      if (e.kind === 'rule-attach' || e.kind === 'rule-detach') candidates.add(e.rule);
      else if (e.kind === 'rule-add' || e.kind === 'rule-del') prefs.add(e.rule.priority);
    }
    if (prefs.size > 0 && (before.rules.gotoRules > 0 || after.rules.gotoRules > 0)) {
      after.rules.forEach((r) => {
        if (r.action === 'goto' && prefs.has(r.gotoTarget)) candidates.add(r);
      });
    }
    const inOrder = [...candidates]
      .map((r) => ({ r, at: after.rules.indexOf(r) }))
      .filter(({ r, at }) => at >= 0 && before.rules.indexOf(r) >= 0)
      .sort((x, y) => x.at - y.at);
    for (const { r } of inOrder) {
      const b = ruleDisplayFlags(before, r);
      const a = ruleDisplayFlags(after, r);
      if (b.join() === a.join()) continue;
      const detach = b.some((f) => f.endsWith('detached')) || a.some((f) => f.endsWith('detached'));
      out.push({ kind: 'rule-changed', rule: r, json: ruleJson(after, r), before: b, after: a, cause: detach ? 'fib_rules_event' : 'fib_nl_newrule' });
    }
  }
  // 5. nexthop objects, and the routes using one that changed: a group that lost a member
  // is announced after a user's `ip nexthop del` (remove_nh_grp_entry() with nlinfo) but
  // its routes are not (no fib_info notify), so their expanded nexthops change silently
  // either way; a replace announces them again (reannounced).
  if (before.nexthops !== after.nexthops) {
    const touched = new Map<number, EffectCause>();
    for (const [id, o] of before.nexthops) {
      const n = after.nexthops.get(id);
      if (n === undefined) {
        if (!notifiedNh.has(`nexthop-del ${id}`)) out.push({ kind: 'nexthop-removed', nexthop: o, json: nexthopJson(before, o), cause: silentNhCause.get(id) ?? 'nexthop_flush_dev' });
      } else if (n !== o && !notifiedNh.has(`nexthop-add ${id}`)) {
        out.push({ kind: 'nexthop-changed', before: o, after: n, json: nexthopJson(after, n), cause: silentNhCause.get(id) ?? 'nexthop_flush_dev' });
        touched.set(id, silentNhCause.get(id) ?? 'nexthop_flush_dev');
      } else if (n !== o) touched.set(id, notifiedNhCause.get(id) ?? 'rtm_new_nexthop');
    }
    if (touched.size > 0) {
      for (const t of after.tables.values()) {
        for (const r of tableRoutes(t)) {
          const cause = touched.get(r.alias.info.nhid);
          if (cause === undefined || reannounced.has(routeKey(r))) continue;
          const b = routeJson(before, r, {});
          const a = routeJson(after, r, {});
          if (!sameJson(a, b)) out.push({ kind: 'route-changed', route: r, before: b, after: a, cause, reportOnly: false });
        }
      }
    }
  }
  return out;
}
