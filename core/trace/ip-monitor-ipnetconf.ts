// `ip monitor` [NETCONF] records: the reverse of print_netconf() (ip/ipnetconf.c).

import { AF_INET } from '../uapi/socket.js';
import { NETCONFA_IFINDEX_ALL, NETCONFA_IFINDEX_DEFAULT } from '../uapi/netconf.js';
import type { NetconfRecord } from './netlink-records.js';
import { RP_FILTER_NAMES } from '../uapi/rt-names.js';
import { type Ctx, type Mutable, Skip, Tokens, named, withTime, words } from './_ip-monitor-text.js';

const NETCONF_KEYS = new Set(['forwarding', 'rp_filter', 'mc_forwarding', 'proxy_neigh', 'ignore_routes_with_linkdown', 'input']);
// ---- [NETCONF] ----

export function parseNetconf(s: string, ctx: Ctx): NetconfRecord {
  const t = new Tokens(words(s), ctx.line, 'netconf');
  const fam = t.next() ?? '';
  if (fam !== 'inet') {
    if (fam === 'inet6' || fam === 'mpls' || fam === 'bridge' || fam === 'unspec') throw new Skip(`[NETCONF]/${fam}`);
    throw t.fault('inet or inet6', `unknown family "${fam}"`);
  }
  const rec: Mutable<NetconfRecord> = {
    line: ctx.line, dump: false,
    kind: 'netconf',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 80 : 81,
    family: AF_INET,
  };
  const dev = t.peek();
  if (dev !== undefined && !NETCONF_KEYS.has(dev)) {
    t.next();
    if (dev === 'all') rec.ifindex = NETCONFA_IFINDEX_ALL;
    else if (dev === 'default') rec.ifindex = NETCONFA_IFINDEX_DEFAULT;
    else rec.devName = dev;
  }
  const onOff = (k: string): number => {
    const v = t.value(k);
    if (v === 'on') return 1;
    if (v === 'off') return 0;
    throw t.fault(`on or off after "${k}"`, `bad value "${v}"`);
  };
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'forwarding': rec.forwarding = onOff(k); break;
      case 'rp_filter': rec.rpFilter = named(t, k, t.value(k), RP_FILTER_NAMES, undefined, 0xffffffff, 'off/strict/loose'); break;
      case 'mc_forwarding': rec.mcForwarding = onOff(k); break;
      case 'proxy_neigh': rec.proxyNeigh = onOff(k); break;
      case 'ignore_routes_with_linkdown': rec.ignoreRoutesWithLinkdown = onOff(k); break;
      case 'input': rec.input = onOff(k); break;
      default:
        throw t.fault('forwarding, rp_filter, mc_forwarding, proxy_neigh, ignore_routes_with_linkdown or input', `unexpected word "${k}"`);
    }
  }
  return withTime(rec, ctx);
}
