// Answers that read values the model does not know: devconf values an imported state does
// not give (devconf.ts `unknown`), and fib_num_tclassid_users while an RCU-deferred free may
// be pending (route-input.ts).
// A lookup is run under assumptions: each value it reads that is unknown is taken from the
// assumption, or, the first time, recorded as needed (with the values it could have) and
// given a placeholder. explore() runs the lookup under every combination the runs ask for
// and returns the answer when all agree, else names the values it depends on: a gap only
// where the kernel's answer really depends on something the model does not know.
//
// The reads are the kernel's IN_DEV_ORCONF()/IN_DEV_MAXCONF()/IN_DEV_CONF_GET() of
// include/linux/inetdevice.h (fib_validate_source(), ip_route_input_slow(),
// __mkroute_input(), __mkroute_output(), inet_select_addr()).

import { devconfName, inDevMaxconf, inDevOrconf, RP_FILTER_MAX } from '../snapshot/devconf.js';
import type { NetDevice } from '../snapshot/net-device.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { DevconfKey } from '../uapi/ip-devconf.js';

/** One unknown the lookup read: its id, the names it stands for, and the values it can take. */
interface Need {
  readonly id: string;
  readonly names: readonly string[];
  readonly choices: readonly number[];
}

/** The unknown values a lookup reads, under one combination of assumed values. */
export class DevconfAssume {
  /** The first unknown read that the assumptions did not cover. */
  need: Need | null = null;
  constructor(private readonly fixed: ReadonlyMap<string, number> = new Map()) {}

  /** A value the model may not know (named by `names`): the assumed one, else the first choice, recorded as needed. */
  ask(id: string, names: readonly string[], choices: readonly number[]): number {
    const v = this.fixed.get(id);
    if (v !== undefined) return v;
    if (this.need === null) this.need = { id, names, choices };
    return choices[0] as number;
  }

  /** IN_DEV_ORCONF(dev, key). */
  orconf(s: FibSnapshot, dev: NetDevice, key: DevconfKey): boolean {
    const v = inDevOrconf(s.confAll, dev.conf, key);
    if (v !== null) return v;
    return this.ask(`or:${dev.ifindex}:${key}`, unknownNames(s, dev, key), [0, 1]) !== 0;
  }

  /** IN_DEV_MAXCONF(dev, key) (rp_filter: 0..2). */
  maxconf(s: FibSnapshot, dev: NetDevice, key: DevconfKey): number {
    const v = inDevMaxconf(s.confAll, dev.conf, key);
    if (v !== null) return v;
    const known = Math.max(dev.conf.unknown.has(key) ? 0 : dev.conf.values[key], s.confAll.unknown.has(key) ? 0 : s.confAll.values[key]);
    const choices: number[] = [];
    for (let c = known; c <= RP_FILTER_MAX; c++) choices.push(c);
    return this.ask(`max:${dev.ifindex}:${key}`, unknownNames(s, dev, key), choices);
  }

  /** IN_DEV_CONF_GET(dev, key) as a switch (forwarding). */
  conf(dev: NetDevice, key: DevconfKey): boolean {
    if (!dev.conf.unknown.has(key)) return dev.conf.values[key] !== 0;
    return this.ask(`dev:${dev.ifindex}:${key}`, [unknownName(dev.name, key)], [0, 1]) !== 0;
  }

  /**
   * IN_DEV_IGNORE_ROUTES_WITH_LINKDOWN(dev) where ignoreLinkdownKnown() could not tell (a
   * linkdown nexthop met by fib_lookup_good_nhc()): all OR dev, the unknown ones assumed.
   */
  ignoreLinkdown(s: FibSnapshot, ifindex: number): boolean {
    const dev = s.devices.get(ifindex);
    if (dev === undefined) return false;
    return this.orconf(s, dev, 'ignore_routes_with_linkdown');
  }

  /** Whether any assumption was asked for (an answer that read no unknown value). */
  get complete(): boolean {
    return this.need === null;
  }

  /** The value assumed for an id, if any. */
  value(id: string): number | undefined {
    return this.fixed.get(id);
  }

  /** The assumptions plus one more value. */
  with(id: string, v: number): DevconfAssume {
    return new DevconfAssume(new Map(this.fixed).set(id, v));
  }
}

/** How an unknown devconf value is named in a gap. */
function unknownName(block: string, key: DevconfKey): string {
  return `${devconfName(block, key)} (not in the imported state)`;
}

function unknownNames(s: FibSnapshot, dev: NetDevice, key: DevconfKey): string[] {
  const out: string[] = [];
  if (dev.conf.unknown.has(key)) out.push(unknownName(dev.name, key));
  if (s.confAll.unknown.has(key)) out.push(unknownName('all', key));
  return out;
}

/** Whether the snapshot holds any unknown devconf value (an imported state); a fresh namespace has none. */
export function hasUnknownDevconf(s: FibSnapshot): boolean {
  if (s.confAll.unknown.size > 0) return true;
  for (const d of s.devices.values()) if (d.conf.unknown.size > 0) return true;
  return false;
}

/** The largest number of runs explore() makes before it names the values instead. */
const MAX_RUNS = 256;

/** Prefix of the gap an answer that depends on unknown values gets. */
export const UNKNOWN_GAP = 'an answer that depends on values the model does not know';

/**
 * Runs `run` under every combination of the unknown values it reads (depth first, each run
 * naming at most one more), and returns its answer if every combination gives the same one
 * (by `same`), else a gap naming the values on which two different answers' combinations
 * differ (what the answer depends on, not everything it read).
 */
export function explore<T>(run: (a: DevconfAssume) => T, same: (x: T, y: T) => boolean): { readonly value: T } | { readonly gap: string } {
  const first = new DevconfAssume();
  const v0 = run(first);
  if (first.complete) return { value: v0 };
  const names = new Map<string, readonly string[]>();
  const leaves: { readonly a: DevconfAssume; readonly v: T }[] = [];
  const stack: { readonly a: DevconfAssume; readonly v: T }[] = [{ a: first, v: v0 }];
  let runs = 1;
  while (stack.length > 0) {
    const { a, v } = stack.pop() as { a: DevconfAssume; v: T };
    const need = a.need;
    if (need === null) {
      leaves.push({ a, v });
      continue;
    }
    names.set(need.id, need.names);
    for (const c of need.choices) {
      if (++runs > MAX_RUNS) return { gap: gapText([...names.values()].flat()) };
      const b = a.with(need.id, c);
      stack.push({ a: b, v: run(b) });
    }
  }
  const base = leaves[0] as { a: DevconfAssume; v: T };
  if (leaves.every((l) => same(base.v, l.v))) return { value: base.v };
  // For each combination, the fewest values in which one with another answer differs.
  const decisive = new Set<string>();
  for (const l of leaves) {
    let best: string[] | null = null;
    for (const m of leaves) {
      if (same(l.v, m.v)) continue;
      const diff = [...names.keys()].filter((id) => l.a.value(id) !== undefined && m.a.value(id) !== undefined && l.a.value(id) !== m.a.value(id));
      if (best === null || diff.length < best.length) best = diff;
    }
    for (const id of best ?? []) for (const n of names.get(id) ?? []) decisive.add(n);
  }
  return { gap: gapText([...decisive]) };
}

function gapText(names: readonly string[]): string {
  return `${UNKNOWN_GAP}: ${[...new Set(names)].sort().join(', ')}`;
}
