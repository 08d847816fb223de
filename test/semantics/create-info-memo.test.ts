// fib_create_info() remembers the last device route it made (semantics/fib-create-info.ts,
// DeviceRouteMemo) and gives its fib_info to the next request equal in everything the checks
// read: a replay gives requests through one device the very same nexthop spec object. Such
// requests, with the device's carrier and admin state changing between them, must answer as
// requests each with a fresh spec (which the memo never matches), request by request: errors,
// and the routes they leave (linkdown or not). The sequence hits the memo (the second and last
// requests) and misses it on each field it keys (device state, table, protocol).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSnapshot, deviceByName, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runScript } from '../../core/script/run-script.js';
import { reduceFib } from '../../core/reduce/reduce.js';
import { FibRunner } from '../../core/reduce/fib-runner.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import type { FibEvent } from '../../core/events/fib-event.js';
import { tableRoutes } from '../../core/snapshot/fib-table.js';
import type { NexthopSpec, RouteConfig } from '../../core/events/route.js';

function start(): FibSnapshot {
  let s = initialSnapshot();
  for (const l of runScript('ip link add name v0 up type veth peer name v0p\nip link set dev v0p up')) s = l.snapshot;
  return s;
}

const dump = (s: FibSnapshot): string => runCommand(s, ['ip', 'route', 'show', 'table', 'all']).output.stdout;

/** Every route's fib_info, field by field (the dump does not show them all: the table id it was made for, for one). */
function infos(s: FibSnapshot): string[] {
  const out: string[] = [];
  for (const t of s.tables.values()) for (const r of tableRoutes(t)) out.push(`${t.id} ${r.dst}/${r.plen} ${JSON.stringify(r.alias.info)}`);
  return out;
}

/** Route adds through v0, each with `spec(i)` as its one nexthop, between carrier and admin changes of v0. */
function events(v0: number, spec: (i: number) => NexthopSpec): FibEvent[] {
  const add = (i: number, table = 254, protocol = 3): FibEvent => {
    const cfg: RouteConfig = { table, dst: (10 << 24) + i * 256, plen: 24, tos: 0, type: 'unicast', scope: 253, protocol, priority: 0, prefsrc: 0, nhs: [spec(i)], multipath: false, nhid: 0 };
    return { type: 'route-new', op: 'add', cfg };
  };
  return [
    add(1),
    add(2),
    { type: 'link-carrier', ifindex: v0, carrier: false },
    add(3),
    add(4, 10),
    add(5, 10, 4),
    { type: 'link-set', ifindex: v0, up: false },
    add(6),
    { type: 'link-set', ifindex: v0, up: true },
    add(7),
    { type: 'link-carrier', ifindex: v0, carrier: true },
    add(8),
    add(9),
  ];
}

test('device routes sharing one nexthop spec answer as requests with fresh specs, through carrier and admin changes', () => {
  const s0 = start();
  const v0 = (deviceByName(s0, 'v0') as { ifindex: number }).ifindex;
  const shared: NexthopSpec = { dev: v0, gw: null, weight: 1, onlink: false };
  const withShared = events(v0, () => shared);
  const withFresh = events(v0, () => ({ dev: v0, gw: null, weight: 1, onlink: false }));
  for (const inPlace of [false, true]) {
    const runner = new FibRunner({ inPlace });
    // Two lineages (the memo is one lineage's), so that the fresh requests do not displace the shared one's memo.
    let a = start();
    let b = s0;
    const dumps: string[] = [];
    const errors: (string | null)[] = [];
    withShared.forEach((e, i) => {
      const x = runner.reduce(a, e);
      const y = reduceFib(b, withFresh[i] as FibEvent);
      assert.deepEqual(x.error, y.error, `event ${i} (${inPlace ? 'in place' : 'pure'}): error`);
      a = x.snapshot;
      b = y.snapshot;
      dumps.push(dump(a));
      errors.push(x.error?.errno ?? null);
      assert.equal(dumps[i], dump(b), `event ${i} (${inPlace ? 'in place' : 'pure'}): routes`);
      assert.deepEqual(infos(a), infos(b), `event ${i} (${inPlace ? 'in place' : 'pure'}): fib_infos`);
    });
    // What the changes did, so the comparison above covers them: routes made linkdown after
    // the carrier loss (in two tables, two protocols), a request refused while v0 is down,
    // and routes without linkdown once the carrier is back.
    assert.match(dumps[1] as string, /^10\.0\.2\.0\/24 dev v0 scope link $/m);
    assert.match(dumps[5] as string, /^10\.0\.3\.0\/24 dev v0 scope link linkdown $/m);
    assert.match(dumps[5] as string, /^10\.0\.5\.0\/24 dev v0 table 10 proto static scope link linkdown $/m);
    assert.deepEqual(errors, [null, null, null, null, null, null, null, 'ENETDOWN', null, null, null, null, null]);
    assert.match(dumps[12] as string, /^10\.0\.9\.0\/24 dev v0 scope link $/m);
  }
});
