// The importer round-trips what the model prints: for any state a generated `ip` script
// leaves, the `ip -j` dump the model prints (link, addr, route table all, rule, -4 netconf,
// nexthop), imported as a replay's initial state (initialState, as `--initial before.json`
// does), prints the same dump again, whole and in order. dump -> import -> dump is the
// identity. On failure fast-check prints the seed and shrinks to a minimal script.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fibScript } from '../workers/_fib-scripts.js';
import { runScript } from '../../core/script/run-script.js';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { ipJsonDump, type IpJsonDump } from '../../core/replay/ip-json-dump.js';
import { initialState, canonicalJson } from '../../core/replay/initial-state.js';
import { parseIpSnapshot } from '../../core/trace/ip-json.js';

function finalState(lines: readonly string[]): FibSnapshot {
  let s = initialSnapshot();
  for (const l of runScript(lines.join('\n'))) s = l.snapshot;
  return s;
}

function dumpOf(s: FibSnapshot): IpJsonDump {
  return ipJsonDump({ snapshot: s, links: new Map(), metrics: new Map() });
}

/** The differences between two dumps, one line per element missing or extra, or order. */
function dumpDiff(a: IpJsonDump, b: IpJsonDump): string[] {
  const out: string[] = [];
  for (const k of ['route', 'rule', 'netconf', 'nexthop', 'addr'] as const) {
    const x = a[k].map((v) => canonicalJson(v));
    const y = b[k].map((v) => canonicalJson(v));
    for (const v of x) if (!y.includes(v)) out.push(`${k} lost by the import: ${v}`);
    for (const v of y) if (!x.includes(v)) out.push(`${k} added by the import: ${v}`);
    if (out.length === 0 && x.join('\n') !== y.join('\n')) out.push(`${k}: same entries in another order`);
  }
  return out;
}

const seed = Number(process.env['KFIB_SEED'] ?? 20261205);

const DEAD_LEG_SETUP = [
  'ip link add v0 type veth peer name v0p',
  'ip link add v1 type veth peer name v1p',
  'ip link set v0 up',
  'ip link set v0p up',
  'ip link set v1 up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip addr add 10.1.0.1/16 dev v1',
  'ip addr add 192.0.2.1/24 dev v0p',
];

test(`dump -> import -> dump is the identity for any state the model can print (seed ${seed}; KFIB_SEED to change)`, () => {
  fc.assert(
    fc.property(fibScript(12), (lines) => {
      const s = finalState(lines);
      const d1 = dumpOf(s);
      const parsed = parseIpSnapshot(JSON.parse(JSON.stringify(d1)) as unknown);
      assert.deepEqual(parsed.errors, []);
      const init = initialState(parsed.snapshot);
      const d2 = ipJsonDump({ snapshot: init.snapshot, links: init.links, metrics: init.metrics });
      assert.deepEqual(dumpDiff(d1, d2), [], `script:\n${lines.join('\n')}`);
      // An ambiguity the importer names (a leg "dead linkdown" that may be only linkdown) is a
      // gap it reports, not a difference: the dump above already proved the state prints alike.
      assert.deepEqual(init.differences.filter((d) => !d.startsWith('ambiguous')), []);
    }),
    {
      seed,
      numRuns: Number(process.env['KFIB_PROP_RUNS'] ?? 150),
      verbose: fc.VerbosityLevel.Verbose,
      // Fixed failures (seeds 1 and 9): a multipath leg left dead when its device lost its
      // last address, whose gateway no longer resolves (construct-alias.ts).
      examples: [
        [[...DEAD_LEG_SETUP, 'ip route replace default tos 0x04 table 100 metric 10 nexthop via 10.0.0.2 dev v0 nexthop via 192.0.2.9 dev v0p', 'ip addr del 10.0.0.1/24 dev v0', 'ip route add default via 10.0.0.2 dev v0 table 100']],
        [[...DEAD_LEG_SETUP, 'ip route replace default nexthop via 10.0.0.2 dev v0 nexthop via 10.1.2.3 dev v1', 'ip addr del 10.0.0.1/24 dev v0', 'ip addr del 10.0.0.7/24 dev v0']],
      ],
    },
  );
});
