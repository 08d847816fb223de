// The invariant properties: laws the model must keep whatever the script, each named
// after the law and the kernel function it mirrors, each checked against a deliberately
// naive model (props/model/) where one applies. No kernel needed.

import fc from 'fast-check';
import { from } from 'rxjs';
import { ipScript } from '../arbitraries/script.js';
import { lookupAddress } from '../arbitraries/universe.js';
import type { IpCommand } from '../arbitraries/ip-command.js';
import { modelRun } from './model-run.js';
import { allRoutes, serialise } from '../model/serialise.js';
import { naiveTableLookup } from '../model/naive-lookup.js';
import { naiveDefaultPref, sortedByPriority } from '../model/naive-rules.js';
import { applyRouteEffects, multisetDiff, routeMultiset } from '../model/naive-effects.js';
import { parseRouteLine, type ParsedLeg } from '../model/parse-route-line.js';
import { initialSnapshot, ignoreLinkdown, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { snapshots as replaySnapshots } from '../../core/stream/rx.js';
import { fibLookup } from '../../core/route/fib-lookup.js';
import { fibTableLookup, aliasNexthops, type ResolvedNh } from '../../core/trie/fib-table-lookup.js';
import { makeFlow, type Flow } from '../../core/net/flow.js';
import { parseIp4 } from '../../core/net/ip4.js';
import { formatRouteLine } from '../../core/print/route-line.js';
import { tableLeaves } from '../../core/snapshot/fib-table.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import type { FibRoute } from '../../core/snapshot/fib-info.js';

/** One law: its name (the law and the kernel function), and how to check it. */
export interface Invariant {
  readonly id: string;
  readonly name: string;
  /** Runs the property with fast-check's parameters; never throws. */
  check(params: { numRuns: number; seed?: number; path?: string }): InvariantResult;
}

export interface InvariantResult {
  readonly failed: boolean;
  readonly numRuns: number;
  readonly seed: number;
  readonly path: string | null;
  /** The shrunk counterexample, as a script (and extra inputs), when failed. */
  readonly counterexample: string | null;
  readonly error: string | null;
}

const scripts = (): fc.Arbitrary<IpCommand[]> => ipScript({ maxCommands: 20 });

/** Flows for lookups: a destination of the universe, sometimes tos, oif, scope. */
export function flowArb(): fc.Arbitrary<Flow> {
  return fc
    .record({
      dst: lookupAddress(),
      tos: fc.constantFrom(0, 0, 0, 0x04, 0x08, 0x10, 0x1c, 0x20),
      oif: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 1 }),
      scope: fc.constantFrom(0, 0, 0, 253),
    })
    .map((r) => makeFlow({ daddr: parseIp4(r.dst) ?? 0, tos: r.tos, oif: r.oif, scope: r.scope, proto: 17 }));
}

function fail(msg: string): never {
  throw new Error(msg);
}

/** Wraps fc.check into an InvariantResult. */
function checkWith<T>(arb: fc.Arbitrary<T>, pred: (v: T) => void, show: (v: T) => string, params: { numRuns: number; seed?: number; path?: string }): InvariantResult {
  const d = fc.check(
    fc.property(arb, (v) => {
      pred(v);
    }),
    { numRuns: params.numRuns, ...(params.seed === undefined ? {} : { seed: params.seed }), ...(params.path === undefined ? {} : { path: params.path }) },
  );
  const cex = d.counterexample?.[0];
  const err = d.errorInstance;
  return {
    failed: d.failed,
    numRuns: d.numRuns,
    seed: d.seed,
    path: d.counterexamplePath,
    counterexample: d.failed && cex !== undefined ? show(cex) : null,
    error: d.failed ? (err instanceof Error ? err.message : String(err)) : null,
  };
}

const showScript = (cmds: readonly IpCommand[]): string => cmds.map(String).join('\n');
const showWithFlows = ([cmds, flows]: [IpCommand[], Flow[]]): string =>
  `${showScript(cmds)}\n# flows: ${JSON.stringify(flows.map((f) => ({ daddr: f.daddr, tos: f.tos, oif: f.oif, scope: f.scope })))}`;

function law(id: string, name: string, body: (cmds: IpCommand[]) => void): Invariant {
  return { id, name, check: (p) => checkWith(scripts(), body, showScript, p) };
}

function lawWithFlows(id: string, name: string, body: (cmds: IpCommand[], flows: Flow[]) => void): Invariant {
  return {
    id,
    name,
    check: (p) => checkWith(fc.tuple(scripts(), fc.array(flowArb(), { minLength: 1, maxLength: 8 })), ([c, f]) => body(c, f), showWithFlows, p),
  };
}

/** The tables a lookup may be asked about: every existing one, and 10 (maybe missing). */
function tableIds(s: FibSnapshot): number[] {
  return [...new Set([...s.tables.keys(), 10])];
}

export const INVARIANTS: readonly Invariant[] = [
  lawWithFlows('lpm', 'a table lookup returns what a scan of every route, longest prefix first, returns (fib_table_lookup)', (cmds, flows) => {
    const run = modelRun(cmds);
    const picks = [run.snapshots[run.snapshots.length - 1], run.snapshots[Math.floor(run.snapshots.length / 2)]];
    for (const s of picks) {
      if (s === undefined) continue;
      for (const t of tableIds(s)) {
        for (const flow of flows) {
          const got = fibTableLookup(s, t, flow);
          const want = naiveTableLookup(s, t, flow);
          const same = got.ok && want.ok ? got.res.alias === want.route.alias && got.res.plen === want.route.plen && got.res.nhIndex === want.nhIndex : !got.ok && !want.ok && got.errno === want.errno;
          if (!same) fail(`table ${t}, dst ${flow.daddr >>> 0}: model ${JSON.stringify(got.ok ? { plen: got.res.plen, nh: got.res.nhIndex } : got.errno)} naive ${JSON.stringify(want.ok ? { plen: want.route.plen, nh: want.nhIndex } : want.errno)}`);
        }
      }
    }
  }),
  law('determinism', 'replaying the same script gives the same transcript and the same snapshots (reduceFib is a pure function)', (cmds) => {
    const a = modelRun(cmds);
    const b = modelRun(cmds);
    if (a.transcript !== b.transcript) fail('transcripts differ');
    if (a.snapshots.length !== b.snapshots.length) fail('event counts differ');
    a.snapshots.forEach((s, i) => {
      if (serialise(s) !== serialise(b.snapshots[i] as FibSnapshot)) fail(`snapshot ${i} differs`);
    });
  }),
  {
    id: 'fold',
    name: 'the snapshot after events 1..n is the fold of 1..k, then of k+1..n on its result (reduceFib as a fold; snapshots() with scan)',
    check: (p) =>
      checkWith(
        fc.tuple(scripts(), fc.nat()),
        ([cmds, kSeed]) => {
          const events: FibEvent[] = modelRun(cmds).steps.map((x) => x.event);
          const k = events.length === 0 ? 0 : kSeed % (events.length + 1);
          let whole = initialSnapshot();
          for (const e of events) whole = reduceFib(whole, e).snapshot;
          let firstPart: FibSnapshot = initialSnapshot();
          const head = events.slice(0, k);
          // The first part through the RxJS pipeline, the rest by hand.
          // rxjs `from` over an array emits synchronously on subscribe.
          replaySnapshots(from(head)).subscribe((x) => (firstPart = x.snapshot));
          for (const e of events.slice(k)) firstPart = reduceFib(firstPart, e).snapshot;
          if (serialise(whole) !== serialise(firstPart)) fail(`fold split at ${k} of ${events.length} differs`);
        },
        ([cmds, k]) => `${showScript(cmds)}\n# k seed: ${k}`,
        p,
      ),
  },
  law('immutable', 'earlier snapshots never change (copy-on-write: only the path an event changes is copied)', (cmds) => {
    const seen: string[] = [];
    const run = modelRun(cmds, (s) => seen.push(serialise(s)));
    // Run the same events again on top of the earlier snapshots: none of them may move.
    for (const st of run.steps) reduceFib(st.before, st.event);
    run.snapshots.forEach((s, i) => {
      if (serialise(s) !== seen[i]) fail(`snapshot ${i} changed after later events`);
    });
  }),
  law('refusal', 'a request the kernel refuses returns the same snapshot object, apart from the documented side effects (rtnetlink error paths; fib_new_table, ipv4_devconf_setall, ifindex)', (cmds) => {
    for (const { event, before, step } of modelRun(cmds).steps) {
      if (step.error === null) continue;
      if (step.snapshot === before) continue;
      // A new object is only allowed for a documented side effect, so something must differ.
      if (serialise(step.snapshot, { ignoreGeneration: true }) === serialise(before, { ignoreGeneration: true })) {
        fail(`${event.type} refused (${step.error.errno}): a new snapshot object for no change`);
      }
      if (step.effects.some((e) => e.kind !== 'table-create')) fail(`${event.type} refused (${step.error.errno}) but has effects ${step.effects.map((e) => e.kind).join(',')}`);
      if (serialise(step.snapshot, { ignoreRefusalSideEffects: true }) !== serialise(before, { ignoreRefusalSideEffects: true })) {
        fail(`${event.type} refused (${step.error.errno}) but changed the state`);
      }
    }
  }),
  law('effects', "an event's route effects applied to the routes before it give the routes after it: every route that vanishes without a user delete is an effect (fib_flush, fib_table_flush, nexthop removal)", (cmds) => {
    for (const { event, before, step } of modelRun(cmds).steps) {
      const { routes, problems } = applyRouteEffects(allRoutes(before), step.effects);
      if (problems.length > 0) fail(`${event.type}: ${problems[0] ?? ''}`);
      const d = multisetDiff(routes, routeMultiset(allRoutes(step.snapshot)));
      if (d.length > 0) fail(`${event.type}: effects and routes disagree: ${d[0] ?? ''}`);
    }
  }),
  law('no-dead-routes', 'after any event no route is left whose every nexthop is dead (fib_sync_down_dev, then fib_flush)', (cmds) => {
    for (const { event, step } of modelRun(cmds).steps) {
      for (const r of allRoutes(step.snapshot)) {
        const nhs = r.alias.info.nhs;
        if (r.alias.info.dead || (nhs.length > 0 && nhs.every((nh) => nh.dead))) fail(`after ${event.type}: dead route left in table ${r.table}: ${r.dst}/${r.plen}`);
      }
    }
  }),
  lawWithFlows('ignore-linkdown', 'with ignore_routes_with_linkdown on, no lookup answers through a linkdown nexthop (fib_lookup_good_nhc)', (cmds, flows) => {
    for (const s of modelRun(cmds).snapshots) {
      for (const flow of flows) {
        const out = fibLookup(s, flow);
        if (out.ok && out.res.nh.linkdown && ignoreLinkdown(s, out.res.nh.dev)) fail(`dst ${flow.daddr >>> 0} answered through linkdown dev ${out.res.nh.dev} with ignore on`);
      }
    }
  }),
  law('alias-order', 'the aliases of a prefix stay in the kernel order: tos descending, then metric ascending (fib_find_alias, fib_insert_alias)', (cmds) => {
    for (const { event, step } of modelRun(cmds).steps) {
      for (const t of step.snapshot.tables.values()) {
        for (const leaf of tableLeaves(t)) {
          leaf.aliases.forEach((a, i) => {
            const p = leaf.aliases[i - 1];
            if (p === undefined) return;
            if (p.tos < a.tos || (p.tos === a.tos && p.info.priority > a.info.priority)) fail(`after ${event.type}: table ${t.id} ${leaf.dst}/${leaf.plen}: alias ${i} out of order`);
          });
        }
      }
    }
  }),
  law('rule-pref', 'rules stay sorted by priority, and a rule added without pref gets the second rule\'s priority minus one, or 0 (fib_default_rule_pref)', (cmds) => {
    for (const { event, before, step } of modelRun(cmds).steps) {
      if (!sortedByPriority(step.snapshot.rules.toArray())) fail(`after ${event.type}: rules not sorted`);
      if (event.type !== 'rule-add' || step.error !== null || event.rule.priority !== null) continue;
      const added = step.snapshot.rules.find((r) => !before.rules.includes(r));
      const want = naiveDefaultPref(before.rules.toArray());
      if (added === undefined || added.priority !== want) fail(`automatic priority ${added?.priority ?? 'none'}, expected ${want}`);
    }
  }),
  law('print-parse', 'printing a route (ip route show) and parsing it back gives the same route (print_route, iproute2 6.1)', (cmds) => {
    const run = modelRun(cmds);
    const s = run.snapshots[run.snapshots.length - 1] as FibSnapshot;
    for (const r of allRoutes(s)) {
      const line = formatRouteLine(s, r, {});
      const p = parseRouteLine(line);
      const want = expectedView(s, r);
      const got = { ...p, legs: p.legs.map((l: ParsedLeg) => ({ ...l })) };
      if (JSON.stringify(got) !== JSON.stringify(want)) fail(`round trip of ${JSON.stringify(line)}:\n got  ${JSON.stringify(got)}\n want ${JSON.stringify(want)}`);
    }
  }),
];

/** What a route's `ip route show` line must say, from the route itself (the printer's spec). */
function expectedView(s: FibSnapshot, r: FibRoute): unknown {
  const info = r.alias.info;
  const nhs = aliasNexthops(s, r.alias);
  const obj = info.nhid !== 0 ? s.nexthops.get(info.nhid) : undefined;
  const name = (i: number): string => s.devices.get(i)?.name ?? `if${i}`;
  let type: string = r.alias.type;
  let legs: ParsedLeg[];
  let multipath = false;
  if (nhs === 'blackhole') {
    type = 'blackhole';
    legs = [{ gw: null, gw6: null, dev: 'lo', weight: 1, flags: [] }];
  } else {
    const flagsOf = (i: number): string[] => {
      const nh = nhs[i];
      if (nh === undefined) return [];
      const onlink = info.nhs[i]?.onlink ?? (obj?.kind === 'single' && obj.onlink);
      return [...(nh.dead || (nh.linkdown && ignoreLinkdown(s, nh.dev)) ? ['dead'] : []), ...(onlink ? ['onlink'] : []), ...(nh.linkdown ? ['linkdown'] : [])];
    };
    multipath = nhs.length > 1;
    legs = multipath
      ? nhs.map((nh, i) => ({ gw: nh.gw, gw6: nh.gw6 ?? null, dev: name(nh.dev), weight: nh.weight, flags: flagsOf(i) }))
      : nhs.length === 1
        ? [{ gw: (nhs[0] as ResolvedNh).gw, gw6: (nhs[0] as ResolvedNh).gw6 ?? null, dev: name((nhs[0] as ResolvedNh).dev), weight: 1, flags: flagsOf(0) }]
        : [{ gw: null, gw6: null, dev: null, weight: 1, flags: [] }];
  }
  return {
    type,
    dst: r.dst,
    plen: r.plen,
    nhid: info.nhid,
    tos: r.alias.tos,
    table: r.table,
    protocol: info.protocol,
    scope: info.scope,
    prefsrc: info.prefsrc,
    metric: info.priority,
    legs,
    multipath,
    routeFlags: multipath ? (info.linkdown === true ? ['linkdown'] : []) : (legs[0]?.flags ?? []),
    metricKeys: expectedMetricKeys(info.metrics),
  };
}

// RTAX numbers 2..17 by name (include/uapi/linux/rtnetlink.h), written out here so that the
// law does not read the printer's own table.
const RTAX_WORDS = ['', '', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack', 'congctl', 'fastopen_no_cookie'];

/**
 * The metric words a route line shows: none for dst_default_metrics (all zero); otherwise
 * each metric that is set or locked (RTAX_LOCK's bit), in RTAX order (print_rta_metrics()).
 */
function expectedMetricKeys(m: { readonly vals: readonly number[]; readonly cc: string } | null | undefined): string[] {
  if (m === null || m === undefined) return [];
  const set = (i: number): boolean => (i === 16 ? m.cc !== '' : (m.vals[i] ?? 0) !== 0);
  const lock = m.vals[1] ?? 0;
  let any = lock !== 0;
  for (let i = 2; i <= 17; i++) any ||= set(i);
  if (!any) return [];
  const out: string[] = [];
  for (let i = 2; i <= 17; i++) {
    const locked = (lock & (1 << i)) !== 0;
    if (set(i) || locked) out.push(locked ? `${RTAX_WORDS[i]} lock` : (RTAX_WORDS[i] as string));
  }
  return out;
}
