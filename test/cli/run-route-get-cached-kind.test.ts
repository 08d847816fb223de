// `ip route get` through a nexthop where lookups of another kind of destination cache too:
// __mkroute_output() hands a lookup the per-CPU output route cached in the nexthop
// (nhc_pcpu_rth_output), whatever destination made it. Seen on this kernel (taskset -c 0/1):
// with 224.0.0.0/4 and 10.11.0.0/16 `dev e0` in main (one fib_info), `ip route get
// 10.11.0.1` printed `multicast 10.11.0.1 dev e0 … cache <mc>` after `ip route get
// 224.1.1.1` on the same CPU, its fibmatch `multicast 10.11.0.0/16 dev e0 scope link`, and
// `ip route get 224.1.1.1` a unicast `224.1.1.1 dev e0 … cache` after 10.11.0.1 on the
// other CPU; with nexthop objects, across tables (`224.0.0.0/4 nhid 1 table 50` and a
// route through group 10 = 1/2) and across route types (`multicast 10.23.0.0/16 nhid 2`
// and `10.22.0.0/16 nhid 2`). The model answered all of them as if nothing were cached
// (exit 0). Now each is named, and only those: 10.12.0.0/16 (another protocol, another
// fib_info) and 10.22.0.1 before the multicast route came stay answered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const kfib = join(root, 'dist', 'cli', 'kfib.js');

const SETUP = [
  'ip link add e0 type veth peer name e0p',
  'ip link add e1 type veth peer name e1p',
  'ip link set e0 up',
  'ip link set e0p up',
  'ip link set e1 up',
  'ip link set e1p up',
  'ip addr add 10.0.0.1/24 dev e0',
  'ip addr add 10.1.0.1/24 dev e1',
];

const GAP = 'not modelled: ip route get through a nexthop that destinations of another kind (multicast, unicast, broadcast, local) also reach: the per-CPU cached output route it returns may be theirs (__mkroute_output, nhc_pcpu_rth_output)';

test('an answer the cached route of another kind of destination may replace is named; the others are answered', () => {
  const script = [
    ...SETUP,
    'ip route add 224.0.0.0/4 dev e0',
    'ip route add 10.11.0.0/16 dev e0',
    'ip route add 10.12.0.0/16 dev e0 proto static',
    'ip route get 224.1.1.1',
    'ip route get 10.11.0.1',
    'ip route get 10.11.0.1 fibmatch',
    'ip route get 10.12.0.1',
    'ip nexthop add id 1 dev e1',
    'ip nexthop add id 2 dev e1',
    'ip nexthop add id 10 group 1/2',
    'ip route add 224.0.0.0/4 nhid 1 table 50',
    'ip rule add to 239.0.0.0/8 table 50 pref 100',
    'ip route add 10.21.0.0/16 nhid 10',
    'ip route add 10.22.0.0/16 nhid 2',
    'ip route get 239.1.1.1',
    'ip route get 10.22.0.1',
    'ip route add multicast 10.23.0.0/16 nhid 2',
    'ip route get 10.22.0.1',
    'ip route del 224.0.0.0/4 dev e0',
    'ip route get 10.11.0.1',
    '',
  ].join('\n');
  const r = spawnSync(process.execPath, [kfib, 'run', '-'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 3, r.stderr);
  assert.equal(
    r.stdout,
    [
      ...SETUP.map((l) => `$ ${l}`),
      '$ ip route add 224.0.0.0/4 dev e0',
      '$ ip route add 10.11.0.0/16 dev e0',
      '$ ip route add 10.12.0.0/16 dev e0 proto static',
      '$ ip route get 224.1.1.1',
      '[exit 2]',
      '$ ip route get 10.11.0.1',
      '[exit 2]',
      '$ ip route get 10.11.0.1 fibmatch',
      '[exit 2]',
      '$ ip route get 10.12.0.1',
      '10.12.0.1 dev e0 src 10.0.0.1 uid 0 ',
      '    cache ',
      '$ ip nexthop add id 1 dev e1',
      '$ ip nexthop add id 2 dev e1',
      '$ ip nexthop add id 10 group 1/2',
      '$ ip route add 224.0.0.0/4 nhid 1 table 50',
      '$ ip rule add to 239.0.0.0/8 table 50 pref 100',
      '$ ip route add 10.21.0.0/16 nhid 10',
      '$ ip route add 10.22.0.0/16 nhid 2',
      '$ ip route get 239.1.1.1',
      '[exit 2]',
      '$ ip route get 10.22.0.1',
      '10.22.0.1 dev e1 src 10.1.0.1 uid 0 ',
      '    cache ',
      '$ ip route add multicast 10.23.0.0/16 nhid 2',
      '$ ip route get 10.22.0.1',
      '[exit 2]',
      '$ ip route del 224.0.0.0/4 dev e0',
      '$ ip route get 10.11.0.1',
      '10.11.0.1 dev e0 src 10.0.0.1 uid 0 ',
      '    cache ',
      '# run: 5 gaps (IPv4 FIB content the model did not represent):',
      `#   5 × ${GAP} (first line 12)`,
      '',
    ].join('\n'),
  );
});

const INPUT_GAP =
  'not modelled: ip route get iif through a nexthop object that routes of another type also use: the input route cached in it (nhc_rth_input) may be theirs, forwarded or delivered locally (ip_route_input_slow, __mkroute_input)';

// The input path caches one route per nexthop (nhc_rth_input): with forwarding on, `ip route
// get 10.17.0.1 from 10.0.0.2 iif e0` through `local 10.17.0.0/16 nhid 2` printed the
// route forwarded to 10.13.0.1 (`10.17.0.1 from 10.0.0.2 dev e1 … cache iif e0`), and
// after a flush the forwarded 10.13.0.1 printed `local 10.13.0.1 … dev lo … cache <local>`;
// the model answered each as if nothing were cached (exit 0). Output lookups through the
// same nexthop keep their own per-CPU slot: a local route off lo caches nothing there.
test('an input answer through a nexthop object that a local and a unicast route share is named', () => {
  const body = [
    'sysctl -w net.ipv4.ip_forward=1',
    'ip nexthop add id 2 dev e1',
    'ip nexthop add id 3 dev e1',
    'ip route add 10.13.0.0/16 nhid 2',
    'ip route add 10.14.0.0/16 nhid 3',
    'ip route add local 10.17.0.0/16 nhid 2',
    'ip route get 10.17.0.1 from 10.0.0.2 iif e0',
    'ip route get 10.13.0.1 from 10.0.0.2 iif e0',
    'ip route get 10.14.0.1 from 10.0.0.2 iif e0',
    'ip route get 10.17.0.1',
    'ip route get 10.13.0.1',
    'ip route del local 10.17.0.0/16 nhid 2',
    'ip route get 10.13.0.1 from 10.0.0.2 iif e0',
  ];
  const r = spawnSync(process.execPath, [kfib, 'run', '-'], { input: [...SETUP, ...body, ''].join('\n'), encoding: 'utf8' });
  assert.equal(r.status, 3, r.stderr);
  assert.equal(
    r.stdout,
    [
      ...SETUP.map((l) => `$ ${l}`),
      '$ sysctl -w net.ipv4.ip_forward=1',
      'net.ipv4.ip_forward = 1',
      ...body.slice(1, 6).map((l) => `$ ${l}`),
      '$ ip route get 10.17.0.1 from 10.0.0.2 iif e0',
      '[exit 2]',
      '$ ip route get 10.13.0.1 from 10.0.0.2 iif e0',
      '[exit 2]',
      '$ ip route get 10.14.0.1 from 10.0.0.2 iif e0',
      '10.14.0.1 from 10.0.0.2 dev e1 ',
      '    cache iif e0 ',
      '$ ip route get 10.17.0.1',
      'local 10.17.0.1 dev lo src 10.17.0.1 uid 0 ',
      '    cache <local> ',
      '$ ip route get 10.13.0.1',
      '10.13.0.1 dev e1 src 10.1.0.1 uid 0 ',
      '    cache ',
      '$ ip route del local 10.17.0.0/16 nhid 2',
      '$ ip route get 10.13.0.1 from 10.0.0.2 iif e0',
      '10.13.0.1 from 10.0.0.2 dev e1 ',
      '    cache iif e0 ',
      '# run: 2 gaps (IPv4 FIB content the model did not represent):',
      `#   2 × ${INPUT_GAP} (first line 15)`,
      '',
    ].join('\n'),
  );
});
