// fib_select_default() (core/route/fib-select-default.ts), table-driven: which of several
// default routes `ip route get 8.8.8.8` takes, given the neighbour entries of their
// gateways, lookup after lookup (the found route's fa_default carries over).
//
// Each row was captured on Linux 6.18 + iproute2 6.1 in a private namespace (`unshare -n`):
// lo up, veth v0 (10.0.0.1/24) and its peer v0p (10.0.1.1/24) up, the row's routes, then
// `ip neigh add GW lladdr 02:00:00:00:00:01 dev v0 nud STATE` for each neighbour, then the
// lookups; `kernel` is the gateway of each answer, in order. kfib does not model the
// neighbour table (`ip neigh` is refused by name), so the walk is run here with the row's
// neighbour states, on the model's own routes; the rows without neighbours are also checked
// through the model's `ip route get`, which must answer what the kernel did.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';
import { fibSelectDefault, type NudState } from '../../core/route/fib-select-default.js';
import { fibLookup } from '../../core/route/fib-lookup.js';
import { makeFlow } from '../../core/net/flow.js';
import { tableAliases } from '../../core/snapshot/fib-table.js';
import { aliasNexthops } from '../../core/trie/fib-table-lookup.js';
import { formatIp4, parseIp4 } from '../../core/net/ip4.js';
import type { FibAlias } from '../../core/snapshot/fib-info.js';

const SETUP = [
  'ip link set lo up',
  'ip link add v0 type veth peer name v0p',
  'ip link set v0 up',
  'ip link set v0p up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip addr add 10.0.1.1/24 dev v0p',
];

interface Row {
  readonly name: string;
  readonly routes: readonly string[];
  /** Gateway -> NUD state of its neighbour entry (on its device). */
  readonly neigh: Readonly<Record<string, NudState>>;
  /** The gateway of each successive `ip route get 8.8.8.8`, as the kernel answered. */
  readonly kernel: readonly string[];
}

const TWO = ['ip route add default via 10.0.0.2', 'ip route append default via 10.0.0.3'];

const ROWS: readonly Row[] = [
  { name: 'two metrics, no neighbours: the lower metric', routes: ['ip route add default via 10.0.0.2 metric 10', 'ip route add default via 10.0.0.3 metric 20'], neigh: {}, kernel: ['10.0.0.2'] },
  { name: 'same metric, no neighbours: the first', routes: TWO, neigh: {}, kernel: ['10.0.0.2', '10.0.0.2'] },
  { name: 'the first gateway FAILED: the second', routes: TWO, neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.0.3'] },
  { name: 'the first gateway STALE (valid, not the last choice): the first', routes: TWO, neigh: { '10.0.0.2': 'stale' }, kernel: ['10.0.0.2'] },
  { name: 'both FAILED: the last resort alternates with fa_default', routes: TWO, neigh: { '10.0.0.2': 'failed', '10.0.0.3': 'failed' }, kernel: ['10.0.0.2', '10.0.0.3', '10.0.0.2', '10.0.0.2', '10.0.0.3', '10.0.0.2'] },
  { name: 'a worse metric ends the walk: the first even when FAILED', routes: ['ip route add default via 10.0.0.2 metric 10', 'ip route add default via 10.0.0.3 metric 20'], neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.0.2'] },
  { name: 'three, the first two FAILED: the third', routes: [...TWO, 'ip route append default via 10.0.0.4'], neigh: { '10.0.0.2': 'failed', '10.0.0.3': 'failed' }, kernel: ['10.0.0.4'] },
  { name: 'a candidate without gateway is passed over: the first', routes: ['ip route add default via 10.0.0.2', 'ip route append default dev v0'], neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.0.2'] },
  { name: 'the second through another device', routes: ['ip route add default via 10.0.0.2', 'ip route append default via 10.0.1.3'], neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.1.3'] },
  { name: 'REACHABLE: the first', routes: TWO, neigh: { '10.0.0.2': 'reachable' }, kernel: ['10.0.0.2'] },
  { name: 'PERMANENT: the first', routes: TWO, neigh: { '10.0.0.2': 'permanent' }, kernel: ['10.0.0.2'] },
  { name: 'NOARP: the first', routes: TWO, neigh: { '10.0.0.2': 'noarp' }, kernel: ['10.0.0.2'] },
  { name: 'another tos is skipped; the found route FAILED: the next', routes: ['ip route add default via 10.0.0.2 tos 0x10', 'ip route add default via 10.0.0.3', 'ip route append default via 10.0.0.4'], neigh: { '10.0.0.3': 'failed' }, kernel: ['10.0.0.4'] },
  { name: 'an unreachable default between is passed over', routes: ['ip route add default via 10.0.0.2', 'ip route append unreachable default', 'ip route append default via 10.0.0.4'], neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.0.4'] },
  { name: 'one default per table: no choice', routes: ['ip route add default via 10.0.0.2', 'ip route add default via 10.0.0.3 table 100'], neigh: { '10.0.0.2': 'failed' }, kernel: ['10.0.0.2'] },
];

const DST = parseIp4('8.8.8.8') as number;

for (const row of ROWS) {
  test(`fib_select_default: ${row.name}`, () => {
    const lines = [...runScript([...SETUP, ...row.routes].join('\n'))];
    for (const l of lines) assert.equal(l.exit, 0, `${l.command}: ${l.stderr}`);
    const s = lines[lines.length - 1]!.snapshot;
    const out = fibLookup(s, makeFlow({ daddr: DST }));
    assert.ok(out.ok);
    const leaf = tableAliases(s.tables.get(out.res.table)!, 0, 0);
    const first = (fa: FibAlias) => {
      const xs = aliasNexthops(s, fa);
      return xs === 'blackhole' ? undefined : xs[0];
    };
    // The captured entries were all added on v0.
    const neigh = (dev: number, gw: number): NudState | undefined => (s.devices.get(dev)?.name === 'v0' ? row.neigh[formatIp4(gw)] : undefined);
    const found = leaf.indexOf(out.res.alias);
    let faDefault = -1; // fib_table_insert(): a new route's fa_default
    const got: string[] = [];
    for (let i = 0; i < row.kernel.length; i++) {
      const c = fibSelectDefault(leaf, found, 0, first, neigh, faDefault);
      if (c.faDefault !== null) faDefault = c.faDefault;
      const alias = c.index >= 0 ? leaf[c.index]! : out.res.alias;
      got.push(formatIp4(first(alias)!.gw!));
    }
    assert.deepEqual(got, row.kernel);
    if (Object.keys(row.neigh).length === 0) {
      // Without neighbour entries the model's own `ip route get` is the kernel's.
      const get = [...runScript([...SETUP, ...row.routes, 'ip route get 8.8.8.8'].join('\n'))].pop()!;
      assert.match(get.stdout, new RegExp(`^8\\.8\\.8\\.8 via ${row.kernel[0]!.replace(/\./g, '\\.')} dev v0 src 10\\.0\\.0\\.1 uid 0 \\n`));
    }
  });
}
