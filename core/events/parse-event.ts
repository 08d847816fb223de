// Validating an unknown JSON value as a FibEvent (an event log is read back from disk,
// so every field is checked before the reducer sees it). Errors name the field path.

import type { FibEvent, FibEventType } from './fib-event.js';
import { isDevconfKey } from '../uapi/ip-devconf.js';
import { isRuleAction } from './rule.js';

type Check = (v: unknown, path: string) => string | null;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const uint =
  (max = 0xffffffff): Check =>
  (v, p) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? null : `${p}: expected an integer 0..${max}`;
const int: Check = (v, p) => (typeof v === 'number' && Number.isInteger(v) ? null : `${p}: expected an integer`);
const bool: Check = (v, p) => (typeof v === 'boolean' ? null : `${p}: expected true or false`);
const str: Check = (v, p) => (typeof v === 'string' && v.length > 0 ? null : `${p}: expected a non-empty string`);
const anyStr: Check = (v, p) => (typeof v === 'string' ? null : `${p}: expected a string`);
const lladdrBytes: Check = (v, p) => (typeof v === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2})*$/.test(v) ? null : `${p}: expected link-layer address bytes like 02:00:00:00:00:01`);
const lladdr: Check = (v, p) => (typeof v === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(v) ? null : `${p}: expected a link-layer address like 02:00:00:00:00:01`);
/** An alternative name as iproute2 sends it (check_altifname(): not empty, no '/' or white space). */
const altname: Check = (v, p) => (typeof v === 'string' && v.length > 0 && !/[/ \t\n\v\f\r]/.test(v) ? null : `${p}: expected an alternative name (not empty, no '/' or white space)`);
const oneOf =
  (...xs: readonly string[]): Check =>
  (v, p) =>
    typeof v === 'string' && xs.includes(v) ? null : `${p}: expected one of ${xs.join(', ')}`;
const nullable =
  (c: Check): Check =>
  (v, p) =>
    v === null ? null : c(v, p);
const optional =
  (c: Check): Check =>
  (v, p) =>
    v === undefined ? null : c(v, p);
const ip4 = uint();
const NET_SYSCTL_KEYS = ['nexthop_compat_mode', 'fib_multipath_use_neigh', 'fib_multipath_hash_policy', 'fib_multipath_hash_fields', 'disable_ipv6'] as const;
const plen = uint(32);
const u8 = uint(255);

function obj(fields: Readonly<Record<string, Check>>): Check {
  return (v, p) => {
    if (!isObj(v)) return `${p}: expected an object`;
    for (const [k, c] of Object.entries(fields)) {
      const e = c(v[k], `${p}.${k}`);
      if (e !== null) return e;
    }
    return null;
  };
}

function arr(c: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return `${p}: expected an array`;
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${p}[${i}]`);
      if (e !== null) return e;
    }
    return null;
  };
}

const pair: Check = (v, p) => (Array.isArray(v) && v.length === 2 && uint(65535)(v[0], p) === null && uint(65535)(v[1], p) === null ? null : `${p}: expected [low, high]`);
const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'] as const;
const nexthopSpec = obj({ dev: uint(), gw: nullable(ip4), weight: uint(256), onlink: bool });
const bridgeData = obj({ helloTime: optional(uint()), maxAge: optional(uint()), groupFwdMask: optional(uint(0xffff)) });
const linkSpec = obj({
  ifindex: optional(uint()),
  name: str,
  kind: oneOf('loopback', 'veth', 'bridge', 'dummy', 'macvlan', 'other'),
  up: bool,
  master: optional(uint()),
  mtu: optional(uint()),
  driver: optional(str),
  lower: optional(uint()),
  netnsLink: optional(obj({ ifindex: uint(), nsid: uint() })),
  qdisc: optional(nullable(str)),
  tun: optional(oneOf('tun', 'tap')),
  bridge: optional(bridgeData),
  vxlan: optional(obj({ vni: uint(), port: uint(), link: nullable(uint()), srcPort: optional(obj({ low: uint(0xffff), high: uint(0xffff) })) })),
  address: optional(lladdrBytes),
  txqlen: optional(int),
  flags: optional(obj({ mask: uint(), value: uint() })),
  group: optional(uint()),
  afSpec: optional(bool),
  indexGiven: optional(bool),
  numTxQueues: optional(uint()),
  numRxQueues: optional(uint()),
  macvlanPassthru: optional(bool),
});
const routeCommon = {
  table: uint(),
  dst: ip4,
  plen,
  tos: u8,
  scope: u8,
  protocol: u8,
  priority: uint(),
  prefsrc: ip4,
  nhs: arr(nexthopSpec),
  multipath: bool,
  nhid: uint(),
};
const ruleFields: Readonly<Record<string, Check>> = {
  not: bool,
  src: ip4,
  srcLen: plen,
  dst: ip4,
  dstLen: plen,
  tos: u8,
  fwmark: uint(),
  fwmask: uint(),
  iifName: nullable(str),
  oifName: nullable(str),
  uidStart: nullable(uint()),
  uidEnd: nullable(uint()),
  ipproto: u8,
  sport: nullable(pair),
  dport: nullable(pair),
  action: (v, p) => (typeof v === 'string' && isRuleAction(v) ? null : `${p}: expected one of lookup, goto, nop, blackhole, unreachable, prohibit, action N (0, 4, 5, 9..255)`),
  table: uint(),
  gotoTarget: uint(),
  suppressPrefixlen: int,
  suppressIfgroup: int,
  protocol: u8,
  l3mdev: bool,
  // FRA_FLOW (`realms`): optional in both forms, a delete request's included.
  flow: optional(uint()),
};
const partial =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, p) => {
    if (!isObj(v)) return `${p}: expected an object`;
    for (const [k, x] of Object.entries(v)) {
      const c = k === 'priority' ? uint() : fields[k];
      if (c === undefined) return `${p}.${k}: unknown rule field`;
      const e = c(x, `${p}.${k}`);
      if (e !== null) return e;
    }
    return null;
  };
const devconfKey: Check = (v, p) => (typeof v === 'string' && isDevconfKey(v) ? null : `${p}: expected an IPv4 devconf key`);

const SCHEMAS: Readonly<Record<FibEventType, Check>> = {
  'link-add': obj({ link: linkSpec, peer: optional(linkSpec) }),
  'link-set': obj({
    ifindex: uint(),
    up: optional(bool),
    name: optional(str),
    master: optional(nullable(uint())),
    group: optional(uint()),
    mtu: optional(uint()),
    address: optional(lladdr),
    txqlen: optional(int),
    ifalias: optional(anyStr),
    flags: optional(obj({ mask: uint(), value: uint() })),
    bridge: optional(bridgeData),
    addrGenMode: optional(uint(3)),
  }),
  'link-carrier': obj({ ifindex: uint(), carrier: bool }),
  'link-del': obj({ ifindex: uint() }),
  'link-prop': obj({ ifindex: uint(), op: oneOf('add', 'del'), altnames: arr(altname) }),
  'addr-add': obj({
    ifindex: uint(),
    local: ip4,
    address: ip4,
    prefixlen: plen,
    broadcast: ip4,
    scope: u8,
    label: optional(str),
    metric: uint(),
    noprefixroute: bool,
    replace: bool,
  }),
  'addr-del': obj({ ifindex: uint(), local: optional(ip4), address: optional(ip4), prefixlen: plen, label: optional(str), promote: optional(bool) }),
  'route-new': obj({ op: oneOf('add', 'replace', 'change', 'prepend', 'append'), cfg: obj({ ...routeCommon, type: oneOf(...ROUTE_TYPES) }) }),
  'route-del': obj({ cfg: obj({ ...routeCommon, type: nullable(oneOf(...ROUTE_TYPES)) }) }),
  'rule-add': obj({ rule: obj({ ...ruleFields, priority: nullable(uint()) }), exclusive: optional(bool) }),
  'rule-del': obj({ match: partial(ruleFields) }),
  'nexthop-add': (v, p) => {
    const attrs = optional(obj({ family: u8, oif: bool, gateway: bool, blackhole: bool, fdb: optional(bool), onlinkFlag: optional(bool) }));
    const base = obj({ id: uint(), replace: bool, protocol: u8, kind: oneOf('single', 'blackhole', 'group'), attrs })(v, p);
    if (base !== null || !isObj(v)) return base;
    if (v['kind'] === 'single') return obj({ dev: uint(), gw: nullable(ip4), onlink: bool, fdb: optional(bool) })(v, p);
    if (v['kind'] === 'group') {
      const res = optional(obj({ buckets: optional(uint(65535)), idleTimer: optional(uint()), unbalancedTimer: optional(uint()) }));
      return obj({ members: arr(obj({ id: uint(), weight: uint(256) })), fdb: optional(bool), res })(v, p);
    }
    return null;
  },
  'nexthop-del': obj({ id: uint() }),
  sysctl: obj({
    target: (v, p) =>
      isObj(v) && (v['kind'] === 'all' || v['kind'] === 'default' || (v['kind'] === 'dev' && uint()(v['ifindex'], `${p}.ifindex`) === null))
        ? null
        : `${p}: expected {kind:"all"|"default"} or {kind:"dev",ifindex}`,
    key: devconfKey,
    value: int,
    observed: optional((v, p) => (v === true ? null : `${p}: expected true`)),
  }),
  'ip-forward': obj({ value: int }),
  'net-sysctl': obj({ key: oneOf(...NET_SYSCTL_KEYS), value: int }),
  'devconf-unknown': obj({}),
};

/** The event, or a message saying which field was not what was expected. */
export function parseFibEvent(v: unknown): FibEvent | string {
  if (!isObj(v)) return 'expected an object';
  const t = v['type'];
  if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(SCHEMAS, t)) return `unknown event type ${JSON.stringify(t)}`;
  const err = (SCHEMAS[t as FibEventType] as Check)(v, t);
  if (err !== null) return err;
  // Every field the reducer reads was checked above against the union member for `type`.
  return v as unknown as FibEvent;
}
