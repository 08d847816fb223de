// The real-host-shaped captures 25-44 and 52-72 of test/fixtures/traces (libvirt, wg-quick, Tailscale,
// FRR, flannel, multi-WAN, DHCP clients) replayed by the CLI from trace.rtmon and from
// monitor.txt: the summary lines say exactly which gaps there are, and the exit status
// follows (0 exact, 3 named gaps). The text form's gaps are the rules an `ip monitor` line prints
// without an address (wg-quick's and Tailscale's `from all` rules: the text gives no family),
// and the route lines over an existing route (a replace, an append or a prepend: OP);
// a line identical to an IPv4 rule that exists is named too, not applied (an IPv6 twin, or
// an IPv4 duplicate added without NLM_F_EXCL, as 60 and 61 show: it used to be taken for
// IPv6, and 61's text replay said `exact`).
// 32-dhcp-lease-expiry: the lease's primary expires with a secondary on the subnet and
// promote_secondaries off; __inet_del_ifa() announces the secondary's deletion before the
// primary's, which the replay of before this change did not read as the evidence it is
// (a named gap, "the records that follow show neither a promotion nor the secondaries
// deleted").
// 37-cilium-node: routes with metrics (mtu, advmss, initcwnd) make the replay keep metrics
// beside routes; a link record of several events (or with IFLA_INET_CONF values to learn)
// then read the routes of a per-fib_info change made in place after the next reduction,
// and the in-place replay (kfib replay without --explain/--check/--at) stopped with an
// internal error (exit 70).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const TRACES = join(resolve(here, '../../..'), 'test', 'fixtures', 'traces');

const EXACT = ['# replay: exact (every IPv4 FIB record of the trace and the initial state was modelled)'];
const TWIN = 'ambiguous family (ip monitor text: a rule line identical to an IPv4 rule: its IPv6 twin, or an IPv4 duplicate added without NLM_F_EXCL; not applied)';
/**
 * The summary of a text replay whose gaps are rule lines without an address: n applied as
 * IPv4 (first at @first), and `twins` lines identical to an IPv4 rule that exists (its IPv6
 * twin or an IPv4 duplicate added without NLM_F_EXCL: not applied).
 */
const rulesGap = (n: number, first: number, twins?: readonly [number, number], ops?: readonly [number, number]): string[] => {
  const total = n + (twins?.[0] ?? 0) + (ops?.[0] ?? 0);
  return [
    `# replay: ${total} gap${total === 1 ? '' : 's'} (IPv4 FIB content the model did not represent):`,
    ...(n === 0 ? [] : [`#   ${n} × ambiguous family (ip monitor text: a rule with no address; applied as IPv4) (first @${first})`]),
    ...(twins === undefined ? [] : [`#   ${twins[0]} × ${TWIN} (first @${twins[1]})`]),
    ...(ops === undefined ? [] : [`#   ${ops[0]} × ${OP} (first @${ops[1]})`]),
  ];
};
/**
 * A route line over a route of the same (table, prefix, tos, metric): the text has no
 * nlmsg_flags, and a replace (what these daemons sent: their rtmon form says so, and replays
 * exact), an append and a prepend print alike. Applied as a replace, named
 * (test/fixtures/traces/route-append-text shows an append and a prepend).
 */
const OP = 'ambiguous operation (ip monitor text: a route line over a route of the same table, prefix, tos and metric is a replace, an append or a prepend; applied as a replace)';
const opsGap = (n: number, first: number): string[] => rulesGap(0, 0, undefined, [n, first]);

/** Per capture: the summary lines of the rtmon replay and of the monitor.txt replay. */
const EXPECTED: Readonly<Record<string, { readonly rtmon: readonly string[]; readonly monitor: readonly string[] }>> = {
  '25-libvirt-kvm-host': { rtmon: EXACT, monitor: EXACT },
  '26-wg-quick-client': { rtmon: EXACT, monitor: rulesGap(4, 8) },
  '27-tailscale-client': { rtmon: EXACT, monitor: rulesGap(8, 7) },
  '28-frr-ecmp': { rtmon: EXACT, monitor: opsGap(1, 37) },
  '29-flannel-vxlan': { rtmon: EXACT, monitor: EXACT },
  '30-multi-wan': { rtmon: EXACT, monitor: EXACT },
  '31-dhcp-client': { rtmon: EXACT, monitor: opsGap(1, 11) },
  '32-dhcp-lease-expiry': { rtmon: EXACT, monitor: EXACT },
  '33-multi-wan-linkdown-toggle': { rtmon: EXACT, monitor: EXACT },
  '34-frr-nexthop-lifecycle': { rtmon: EXACT, monitor: EXACT },
  '35-tailscale-nonpersistent-tun': { rtmon: EXACT, monitor: rulesGap(4, 7, undefined, [1, 28]) },
  '36-dhcp-address-replace': { rtmon: EXACT, monitor: EXACT },
  '37-cilium-node': { rtmon: EXACT, monitor: rulesGap(5, 14, undefined, [1, 43]) },
  '38-proxmox-bridge': { rtmon: EXACT, monitor: EXACT },
  '39-vpn-app-rules': { rtmon: EXACT, monitor: rulesGap(12, 9) },
  '40-cloud-route-metrics': { rtmon: EXACT, monitor: opsGap(3, 2) },
  '41-docker-netns': { rtmon: EXACT, monitor: EXACT },
  '42-bird-realms': { rtmon: EXACT, monitor: opsGap(2, 4) },
  '44-router-rpfilter': { rtmon: EXACT, monitor: EXACT },
  '52-lvs-dsr-keepalived': { rtmon: EXACT, monitor: rulesGap(1, 6, [1, 7], [2, 20]) },
  '53-dhcp-expiry-promote': { rtmon: EXACT, monitor: EXACT },
  '54-strongswan-mullvad-vpn': { rtmon: EXACT, monitor: rulesGap(6, 5, [3, 6], [4, 10]) },
  '55-lxc-netns-devices': { rtmon: EXACT, monitor: rulesGap(2, 25) },
  '56-dual-stack-cpe': { rtmon: EXACT, monitor: rulesGap(4, 18, [1, 19]) },
  '57-veth-peer-netns': { rtmon: EXACT, monitor: EXACT },
  '58-rename-labels': { rtmon: EXACT, monitor: EXACT },
  '59-rule-flush': { rtmon: EXACT, monitor: rulesGap(6, 8) },
  '62-monitor-all-busy': { rtmon: EXACT, monitor: EXACT },
  '63-laptop-suspend-resume': { rtmon: EXACT, monitor: rulesGap(6, 2) },
  '64-container-burst': { rtmon: EXACT, monitor: EXACT },
  '65-daemon-restart': { rtmon: EXACT, monitor: opsGap(4, 12) },
  // Routes with a lightweight tunnel (`encap ip`, `encap ip6`): not modelled, skipped by name
  // in both forms and in before.json. Before, rtmon replayed them as plain routes (RTA_ENCAP
  // ignored), the text took the `encap ip6` route for IPv6 (out of scope), and before.json
  // (the tunnel's `dst` printed over the route's, its `tos` a number) was refused (exit 2).
  // The ENOENT: `ip route replace 10.1.0.0/16 dev vx0` replaced the encap route of
  // before.json, which the model does not hold (rtmon's flags say REPLACE without CREATE).
  '66-lwtunnel-encap': {
    rtmon: [
      '# replay: 8 gaps (IPv4 FIB content the model did not represent):',
      '#   5 × not modelled, skipped: RTM_NEWROUTE/AF_INET with RTA_ENCAP (lightweight tunnel)',
      '#   1 × not modelled, skipped: RTM_DELROUTE/AF_INET with RTA_ENCAP (lightweight tunnel)',
      '#   1 × initial snapshot: not kept: route with encap (lightweight tunnel; ip -j prints the tunnel dst over the route dst)',
      '#   1 × refused by the model: ENOENT (first @2)',
    ],
    monitor: [
      '# replay: 7 gaps (IPv4 FIB content the model did not represent):',
      '#   6 × not modelled, skipped: [ROUTE] with encap (lightweight tunnel)',
      '#   1 × initial snapshot: not kept: route with encap (lightweight tunnel; ip -j prints the tunnel dst over the route dst)',
    ],
  },
  '67-midlife-dump': { rtmon: EXACT, monitor: EXACT },
  '68-monitor-variants': { rtmon: EXACT, monitor: EXACT },
  '69-name-swaps': { rtmon: EXACT, monitor: EXACT },
  '70-rare-route-shapes': { rtmon: EXACT, monitor: opsGap(1, 13) },
  '71-device-groups': { rtmon: EXACT, monitor: EXACT },
  '72-two-nics-one-subnet': { rtmon: EXACT, monitor: EXACT },
  // A duplicate IPv4 rule added without NLM_F_EXCL: exact from rtmon (a notification is an
  // accepted add); named in the text form, where the duplicate's line is also the one an
  // IPv6 twin prints (the first line is ambiguous, the duplicate's not applied).
  '60-rule-duplicate-noexcl': { rtmon: EXACT, monitor: rulesGap(4, 1, [2, 2]) },
  // The same with the first rule in before.json: the text replay took the duplicate's line
  // for an IPv6 twin and said `exact` (exit 0); it is now named.
  '61-rule-duplicate-restart': {
    rtmon: EXACT,
    monitor: ['# replay: 1 gap (IPv4 FIB content the model did not represent):', `#   1 × ${TWIN} (first @1)`],
  },
};

for (const [name, want] of Object.entries(EXPECTED)) {
  for (const [form, file] of [['rtmon', 'trace.rtmon'], ['monitor', 'monitor.txt']] as const) {
    test(`${name} (${form}): the replay's summary names exactly its gaps, and the exit status says so`, () => {
      const dir = join(TRACES, name);
      const r = spawnSync(process.execPath, [KFIB, 'replay', join(dir, file), '--initial', join(dir, 'before.json'), '--names', join(dir, 'names')], { encoding: 'utf8' });
      const summary = r.stdout.split('\n').filter((l) => l.startsWith('# replay') || l.startsWith('#   '));
      assert.deepEqual(summary, want[form]);
      assert.equal(r.status, want[form] === EXACT ? 0 : 3);
    });
  }
}
