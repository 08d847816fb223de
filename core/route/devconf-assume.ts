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

  /** Whether any assumption was asked for (an answer that read no unknown value). */
  get complete(): boolean {
    return this.need === null;
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
 * (by `same`), else a gap naming the values read.
 */
export function explore<T>(run: (a: DevconfAssume) => T, same: (x: T, y: T) => boolean): { readonly value: T } | { readonly gap: string } {
  const first = new DevconfAssume();
  const v0 = run(first);
  if (first.complete) return { value: v0 };
  const names = new Set<string>();
  let answer: { value: T } | null = null;
  let differs = false;
  const stack: DevconfAssume[] = [first];
  let runs = 1;
  // The first run is a run under the placeholders: its need is expanded like any other.
  const results = new Map<DevconfAssume, T>([[first, v0]]);
  while (stack.length > 0) {
    const a = stack.pop() as DevconfAssume;
    const v = results.get(a) as T;
    if (a.need === null) {
      if (answer === null) answer = { value: v };
      else if (!same(answer.value, v)) differs = true;
      continue;
    }
    for (const n of a.need.names) names.add(n);
    for (const c of a.need.choices) {
      if (++runs > MAX_RUNS) return { gap: gapText(names) };
      const b = a.with(a.need.id, c);
      results.set(b, run(b));
      stack.push(b);
    }
    results.delete(a);
  }
  if (differs || answer === null) return { gap: gapText(names) };
  return answer;
}

function gapText(names: ReadonlySet<string>): string {
  return `${UNKNOWN_GAP}: ${[...names].sort().join(', ')}`;
}
