// `ip link add NAME type vxlan …`: vxlan_parse_opt() of iproute2 6.1 (ip/iplink_vxlan.c), for
// the IPv4 devices the model makes (dev/vxlan.ts). The words are matched in iplink_vxlan.c's
// order with matches() (so `d` is `dev`, `l` is `local`); each may come once (check_duparg():
// "either "id" is duplicate, or "6" is a garbage", exit 255). Numbers are strtoul(…, 0)
// readings (get_u32(), get_u16(), get_unsigned(): hex, octal, a sign).
//
// | word                 | read as                              | refused by iproute2 (exit 255 unless said)  |
// | -------------------- | ------------------------------------ | ------------------------------------------- |
// | id / vni N           | get_u32(), below 2^24                | invarg("invalid id")                        |
// | dev NAME             | ll_name_to_index()                   | exit(nodev()): `Cannot find device`         |
// | local A, remote A    | get_addr(), not multicast            | invarg("invalid local/remote address")      |
// | ttl / hoplimit N     | get_unsigned(), at most 255; auto, inherit | invarg("invalid TTL" / "TTL must be <= 255") |
// | tos / dsfield T      | rtnl_dsfield_a2n(); inherit          | invarg("bad TOS value")                     |
// | ageing S, maxaddress N | get_u32(); none, unlimited          | invarg("ageing timer" / "max addresses")    |
// | srcport MIN MAX      | get_be16() each                      | invarg("min port" / "max port")             |
// | dstport P            | get_u16()                            | invarg("dst port")                          |
// | [no]learning, [no]proxy, [no]rsc, [no]l2miss, [no]l3miss, [no]udpcsum | flags | -               |
// | an unknown word      | -                                    | `vxlan: unknown command "W"?` and the usage, exit 1 |
//
// Without `id`: "vxlan: missing virtual network identifier", exit 1. Without `dstport`, the
// warning about the kernel's default port (8472) on stderr, and the device is made. Only
// `ip -d link` would show the flags, addresses, ttl, tos, ageing and limit, and it is not
// modelled; none of them is a receive flag that vxlan_vni_in_use() compares, and the kernel
// checks them no further for IPv4 unicast addresses; the source port range is checked by
// vxlan_validate() (dev/vxlan.ts). Not modelled, by name: `group` (multicast: the IGMP join
// on open), IPv6 addresses and the udp6zerocsum flags, `df`, `flowlabel`, the remote
// checksum flags, `external`, `gbp`, `gpe`, `vnifilter`, and addresses other than
// dotted quads (`any`, loose forms).

import { CommandExit, duparg2, invarg, matches, notModelled, type Args, type CommandContext } from './command-context.js';
import { deviceByIfname } from '../snapshot/snapshot.js';
import { dsfieldNumber, parseUnsigned } from '../uapi/rt-names.js';
import { isMulticast, parseIp4 } from '../net/ip4.js';
import type { VxlanConfig } from '../events/netdev.js';

/** vxlan_port: the kernel's default destination port (drivers/net/vxlan/vxlan_core.c). */
export const VXLAN_DEFAULT_PORT = 8472;

/** print_explain() of iplink_vxlan.c (iproute2 6.1). */
const VXLAN_USAGE =
  'Usage: ... vxlan id VNI\n' +
  '\t\t[ { group | remote } IP_ADDRESS ]\n' +
  '\t\t[ local ADDR ]\n' +
  '\t\t[ ttl TTL ]\n' +
  '\t\t[ tos TOS ]\n' +
  '\t\t[ df DF ]\n' +
  '\t\t[ flowlabel LABEL ]\n' +
  '\t\t[ dev PHYS_DEV ]\n' +
  '\t\t[ dstport PORT ]\n' +
  '\t\t[ srcport MIN MAX ]\n' +
  '\t\t[ [no]learning ]\n' +
  '\t\t[ [no]proxy ]\n' +
  '\t\t[ [no]rsc ]\n' +
  '\t\t[ [no]l2miss ]\n' +
  '\t\t[ [no]l3miss ]\n' +
  '\t\t[ ageing SECONDS ]\n' +
  '\t\t[ maxaddress NUMBER ]\n' +
  '\t\t[ [no]udpcsum ]\n' +
  '\t\t[ [no]udp6zerocsumtx ]\n' +
  '\t\t[ [no]udp6zerocsumrx ]\n' +
  '\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]\n' +
  '\t\t[ [no]external ] [ gbp ] [ gpe ]\n' +
  '\t\t[ [no]vnifilter ]\n' +
  '\n' +
  'Where:\tVNI\t:= 0-16777215\n' +
  '\tADDR\t:= { IP_ADDRESS | any }\n' +
  '\tTOS\t:= { NUMBER | inherit }\n' +
  '\tTTL\t:= { 1..255 | auto | inherit }\n' +
  '\tDF\t:= { unset | set | inherit }\n' +
  '\tLABEL := 0-1048575\n';

/**
 * The words of vxlan_parse_opt() in its order; those after `dstport` that the model does not
 * make are only named. `learning` comes after `nolearning`, as in the C chain.
 */
const WORDS = [
  'id', 'vni', 'group', 'remote', 'local', 'dev', 'ttl', 'hoplimit', 'tos', 'dsfield', 'df', 'label', 'flowlabel',
  'ageing', 'maxaddress', 'port', 'srcport', 'dstport', 'nolearning', 'learning', 'noproxy', 'proxy', 'norsc', 'rsc',
  'nol2miss', 'l2miss', 'nol3miss', 'l3miss', 'udpcsum', 'noudpcsum', 'udp6zerocsumtx', 'noudp6zerocsumtx',
  'udp6zerocsumrx', 'noudp6zerocsumrx', 'remcsumtx', 'noremcsumtx', 'remcsumrx', 'noremcsumrx', 'external',
  'noexternal', 'gbp', 'gpe',
] as const;

/** The attribute each word sets, for check_duparg() (words sharing one clash). */
const ATTR: Readonly<Partial<Record<(typeof WORDS)[number], string>>> = {
  id: 'ID', vni: 'ID', group: 'GROUP', remote: 'GROUP', local: 'LOCAL', dev: 'LINK', ttl: 'TTL', hoplimit: 'TTL',
  dstport: 'PORT', nolearning: 'LEARNING', learning: 'LEARNING', tos: 'TOS', dsfield: 'TOS', ageing: 'AGEING',
  maxaddress: 'LIMIT', port: 'PORT_RANGE', srcport: 'PORT_RANGE', noproxy: 'PROXY', proxy: 'PROXY', norsc: 'RSC',
  rsc: 'RSC', nol2miss: 'L2MISS', l2miss: 'L2MISS', nol3miss: 'L3MISS', l3miss: 'L3MISS', udpcsum: 'UDP_CSUM',
  noudpcsum: 'UDP_CSUM',
};

/** The flag words: no value, the word typed is check_duparg()'s key. */
const FLAG_WORDS: ReadonlySet<string> = new Set(['nolearning', 'learning', 'noproxy', 'proxy', 'norsc', 'rsc', 'nol2miss', 'l2miss', 'nol3miss', 'l3miss', 'udpcsum', 'noudpcsum']);

/** The key check_duparg() names: `ttl` for hoplimit, `id` for vni, `remote` for remote, else the word typed. */
function dupKey(w: (typeof WORDS)[number], typed: string): string {
  if (w === 'id' || w === 'vni') return 'id';
  if (w === 'ttl' || w === 'hoplimit') return 'ttl';
  if (w === 'tos' || w === 'dsfield') return 'tos';
  if (w === 'port' || w === 'srcport') return 'srcport';
  if (FLAG_WORDS.has(w)) return typed;
  return w;
}

/** get_addr() of an IPv4 address in dotted-quad form; other forms (`any`, IPv6, loose) named. */
function ip4Word(v: string, what: string): number {
  const a = parseIp4(v);
  if (a === undefined) notModelled(`ip link add type vxlan ${what} ${v} (only dotted-quad IPv4 addresses are modelled)`);
  return a;
}

/**
 * vxlan_parse_opt() for `ip link add`: the configuration the request carries, or the exit
 * iproute2 takes.
 *
 * @example vxlanParseOpt(ctx, new Args(['id', '1', 'dev', 'eth0', 'dstport', '8472'])) // { vni: 1, port: 8472, link: 3 }
 *
 * 1. Read the words in order, each matched against WORDS with matches(), each attribute once.
 * 2. Refuse, as iproute2 does, a missing `id`; warn on a missing `dstport`.
 * 3. The port 0 (or none) is the kernel's default, 8472 (vxlan_config_validate()).
 */
export function vxlanParseOpt(ctx: CommandContext, a: Args): VxlanConfig {
  const seen = new Set<string>();
  let vni: number | undefined;
  let port = 0;
  let portGiven = false;
  let link: number | null = null;
  let srcPort: { low: number; high: number } | undefined;
  for (; !a.done; a.advance()) {
    const typed = a.cur;
    const w = WORDS.find((x) => matches(typed, x));
    if (w === undefined) {
      if (matches(typed, 'help')) throw new CommandExit(VXLAN_USAGE, 1);
      // vnifilter/novnifilter are strcmp()'d after gpe; help after them.
      if (typed === 'vnifilter' || typed === 'novnifilter') notModelled(`ip link add type vxlan ${typed}`);
      throw new CommandExit(`vxlan: unknown command "${typed}"?\n${VXLAN_USAGE}`, 1);
    }
    const attr = ATTR[w];
    if (attr === undefined) notModelled(`ip link add type vxlan ${w}`);
    if (w === 'group') notModelled('ip link add type vxlan group (a multicast group: its IGMP join on open)');
    if (FLAG_WORDS.has(w)) {
      if (seen.has(attr)) duparg2(dupKey(w, typed), typed);
      seen.add(attr);
      continue;
    }
    const v = a.next();
    if (seen.has(attr)) duparg2(dupKey(w, typed), v);
    seen.add(attr);
    switch (w) {
      case 'id':
      case 'vni': {
        const n = parseUnsigned(v);
        if (n === undefined || n >= 1 << 24) invarg('invalid id', v);
        vni = n;
        break;
      }
      case 'remote':
        if (isMulticast(ip4Word(v, 'remote'))) invarg('invalid remote address', v);
        break;
      case 'local':
        if (isMulticast(ip4Word(v, 'local'))) invarg('invalid local address', v);
        break;
      case 'dev': {
        const d = deviceByIfname(ctx.snapshot, v);
        // exit(nodev(*argv)): nodev() returns -1, so ip exits 255.
        if (d === undefined) throw new CommandExit(`Cannot find device "${v}"\n`, 255);
        link = d.ifindex;
        break;
      }
      case 'ttl':
      case 'hoplimit': {
        // strcmp() for inherit and auto; get_unsigned() otherwise.
        if (v === 'inherit' || v === 'auto') break;
        const n = parseUnsigned(v);
        if (n === undefined) invarg('invalid TTL', v);
        if (n > 255) invarg('TTL must be <= 255', v);
        break;
      }
      case 'tos':
      case 'dsfield':
        if (v !== 'inherit' && dsfieldNumber(v, ctx.names) === undefined) invarg('bad TOS value', v);
        break;
      case 'ageing':
        if (v !== 'none' && parseUnsigned(v) === undefined) invarg('ageing timer', v);
        break;
      case 'maxaddress':
        if (v !== 'unlimited' && parseUnsigned(v) === undefined) invarg('max addresses', v);
        break;
      case 'port':
      case 'srcport': {
        const low = parseUnsigned(v, 0xffff);
        if (low === undefined) invarg('min port', v);
        const hv = a.next();
        const high = parseUnsigned(hv, 0xffff);
        if (high === undefined) invarg('max port', hv);
        // `if (range.low || range.high)`: 0 0 sends nothing.
        if (low !== 0 || high !== 0) srcPort = { low, high };
        break;
      }
      case 'dstport': {
        const n = parseUnsigned(v, 0xffff);
        if (n === undefined) invarg('dst port', v);
        port = n;
        portGiven = true;
        break;
      }
      default:
        notModelled(`ip link add type vxlan ${w}`);
    }
  }
  if (vni === undefined) throw new CommandExit('vxlan: missing virtual network identifier\n', 1);
  if (!portGiven) {
    ctx.warn(
      'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
  }
  return { vni, port: port === 0 ? VXLAN_DEFAULT_PORT : port, link, ...(srcPort === undefined ? {} : { srcPort }) };
}
