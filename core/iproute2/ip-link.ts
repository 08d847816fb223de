// `ip link` (iproute2 6.1 ip/iplink.c, link_veth.c): add (veth, bridge), set, delete.

import { Args, CommandContext, CommandExit, devIndex, failKernel, invarg, matches, notModelled, parseIp4Loose } from './command-context.js';
import type { LinkSpec } from '../events/netdev.js';
import { devGetByName } from '../snapshot/snapshot.js';
import { IPV6_MIN_MTU, type NetDevice } from '../snapshot/net-device.js';
import { groupNumber, parseUnsigned } from '../uapi/rt-names.js';
import { byteLength, IFNAMSIZ, sysctlDevNameIsAllowed } from '../dev/dev-valid-name.js';
import type { DeviceKind, VxlanConfig } from '../events/netdev.js';
import { vxlanParseOpt } from './iplink-vxlan.js';
import { bridgeParseOpt } from './iplink-bridge.js';
import type { BridgeData } from '../events/netdev.js';
import type { GlobalOptions } from './global-options.js';
import { derivedCarrierGap, importedBridgeGap, importedVethPeer, linkChangeCarrier, stackedCarrierGap, unknownCarrierGap, vethPairCarriers } from './ip-link-carrier.js';
import { linkListing } from './ip-addr-list.js';
import { linkProperty } from './ip-link-property.js';

/** `ip link show [dev] [NAME] [SELECTORS]` (ip-addr-list.ts). */
function linkShow(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  linkListing(ctx, opts, a);
}

export function ipLink(ctx: CommandContext, opts: GlobalOptions, argv: readonly string[]): void {
  const a = new Args(argv);
  if (a.done) return linkShow(ctx, opts, a);
  const verb = a.cur;
  a.advance();
  if (matches(verb, 'add')) return linkAdd(ctx, a);
  if (matches(verb, 'set') || matches(verb, 'change')) return linkSet(ctx, a);
  if (matches(verb, 'delete')) return linkDel(ctx, a);
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) return linkShow(ctx, opts, a);
  // do_iplink(): the other commands of iproute2 6.1, and `help` (or a prefix of it), which prints the usage.
  if (matches(verb, 'property')) return linkProperty(ctx, a);
  if (matches(verb, 'replace') || matches(verb, 'xstats') || matches(verb, 'afstats')) notModelled(`ip link ${verb}`);
  if (matches(verb, 'help')) notModelled('ip link help');
  throw new CommandExit(`Command "${verb}" is unknown, try "ip link help".\n`, 255);
}

interface LinkWords {
  dev: string | null;
  /**
   * iplink_parse()'s `dev` pointer is the `name` one (`name N` before any device word sets
   * both): a device word may still follow, and the two are then one name.
   */
  devFromName: boolean;
  name: string | null;
  up: boolean | null;
  master: string | null | undefined;
  group: number | undefined;
  /** IFLA_CARRIER (`carrier on|off`). */
  carrier: boolean | undefined;
  /** IFLA_MTU. */
  mtu: number | undefined;
  /** IFLA_ADDRESS as ll_addr_a2n() parsed it (bytes). */
  address: number[] | undefined;
  /** IFLA_TXQLEN. */
  txqlen: number | undefined;
  /** IFLA_IFALIAS. */
  ifalias: string | undefined;
  /** IFLA_LINK by name (`link DEV`). */
  link: string | undefined;
  /** ifi_index of `index N` (atoi()). */
  index: number | undefined;
  /** IFLA_NUM_TX_QUEUES and IFLA_NUM_RX_QUEUES as get_integer() read them. */
  numtxqueues: number | undefined;
  numrxqueues: number | undefined;
  /** IFLA_INET6_ADDR_GEN_MODE of `addrgenmode` (the last one given: the kernel parses the last IFLA_AF_SPEC). */
  addrgenmode: number | undefined;
  /** ifi_change / ifi_flags for the flags other than IFF_UP. */
  flagMask: number;
  flagValue: number;
}

/** The `on|off` flags of iplink_parse() other than `up`: the IFF_* bit each sets when on (`arp` clears IFF_NOARP). */
const ON_OFF_FLAGS: Readonly<Record<string, { readonly bit: number; readonly onClears: boolean }>> = {
  multicast: { bit: 0x1000, onClears: false },
  allmulticast: { bit: 0x200, onClears: false },
  promisc: { bit: 0x100, onClears: false },
  arp: { bit: 0x80, onClears: true },
  // IFF_NOTRAILERS and IFF_DYNAMIC: __dev_change_flags() takes both from the request (display
  // only: no FIB code reads them); `dynamic` is matched as a prefix (matches()), the others whole.
  trailers: { bit: 0x20, onClears: true },
  dynamic: { bit: 0x8000, onClears: false },
};

/** iproute2's get_addr_gen_mode() words, at their IN6_ADDR_GEN_MODE_* numbers (eui64 0, none 1, stable_secret 2, random 3). */
const ADDR_GEN_MODES: readonly string[] = ['eui64', 'none', 'stable_secret', 'random'];

/** MAX_ADDR_LEN (include/linux/netdevice.h): the kernel's ifla_policy bound on IFLA_ADDRESS, and iproute2's buffer. */
const MAX_ADDR_LEN = 32;

/**
 * ll_addr_a2n() (lib/ll_addr.c): a dotted IPv4 address is 4 bytes; else colon-separated
 * hex bytes (sscanf %x each: leading hex digits, at most 255). Its loop ends a bad byte's
 * word at the next colon (the colon is overwritten first), so the message names that byte
 * alone. It reads at most 32 bytes (the caller's buffer) and answers the count the loop
 * ended at plus one: 33 when more than 32 were given (the 33rd byte is not read; the length
 * alone is what iproute2 and the kernel check: "Invalid address length 33", or
 * IFLA_ADDRESS over MAX_ADDR_LEN in the kernel's policy).
 */
function llAddrA2n(word: string): number[] {
  const bad = (w: string): never => {
    throw new CommandExit(`"${w}" is invalid lladdr.\n`, 1);
  };
  if (word.includes('.')) {
    // get_addr_1(…, AF_INET): get_addr_ipv4()'s loose dotted form (strtoul base 0 parts,
    // missing ones 0: "0200.0000.0001" is 128.0.1.0), four bytes.
    const a = parseIp4Loose(word);
    if (a === undefined) bad(word);
    const v = a as number;
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  }
  const out: number[] = [];
  let rest = word;
  for (let i = 0; i < MAX_ADDR_LEN; i++) {
    const c = rest.indexOf(':');
    const part = c < 0 ? rest : rest.slice(0, c);
    const m = /^\s*[+]?(?:0[xX])?([0-9a-fA-F]+)/.exec(part);
    if (m === null) bad(part);
    const v = Number.parseInt((m as RegExpExecArray)[1] as string, 16);
    if (v > 255) bad(part);
    out.push(v);
    if (c < 0) return out;
    rest = rest.slice(c + 1);
  }
  // The loop ran out of buffer with words left: `return i + 1` counts one byte more.
  out.push(0);
  return out;
}

/** The kernel's ifla_policy: IFLA_ADDRESS is an NLA_BINARY of at most MAX_ADDR_LEN bytes (nlmsg_parse() in rtnl_newlink()). */
function addressPolicyOk(address: readonly number[] | undefined): void {
  if (address !== undefined && address.length > MAX_ADDR_LEN) throw new CommandExit('Error: Attribute failed policy validation.\n', 2);
}

/**
 * glibc atoi(): (int) strtol(word, NULL, 10): leading blanks, a sign, the decimal digits
 * that follow (none: 0); beyond a long it saturates, and the cast keeps the low 32 bits.
 */
function atoi(word: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(word);
  const digits = m?.[2] ?? '';
  if (digits === '') return 0;
  let v = BigInt(digits);
  if (m?.[1] === '-') v = -v;
  const LONG_MAX = (1n << 63n) - 1n;
  if (v > LONG_MAX) v = LONG_MAX;
  if (v < -LONG_MAX - 1n) v = -LONG_MAX - 1n;
  return Number(BigInt.asIntN(32, v));
}

/**
 * dev_index_reserve() without a requested index: xa_alloc_cyclic() from the namespace's
 * cursor, skipping the indexes in use (a requested index does not move the cursor).
 */
function freeIfindex(ctx: CommandContext, from: number): number {
  let i = from;
  while (ctx.snapshot.devices.has(i)) i++;
  return i;
}

/** strtol(v, &end, 0) consuming all of v: 0x hex, leading-0 octal, decimal, a sign. */
function strtolBase0(v: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(v);
  if (m === null) return undefined;
  const body = m[2] as string;
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 ? (body.startsWith('0') ? parseInt(body, 8) : parseInt(body, 10)) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

/** iplink_parse(): duparg() when given twice, then get_integer(…, 0) (strtol base 0, an int) or invarg(). */
function intOption(v: string, name: string, before: number | undefined): number {
  if (before !== undefined) throw new CommandExit(`Error: duplicate "${name}": "${v}" is the second value.\n`, 255);
  const n = strtolBase0(v);
  if (n === undefined || n < -2147483648 || n > 2147483647) throw new CommandExit(`Error: argument "${v}" is wrong: Invalid "${name}" value\n\n`, 255);
  return n;
}


/** An IFF_* flag word of ON_OFF_FLAGS and its on|off (on_off(): another value is its message, and iplink_parse() returns -1: exit 1). */
function onOffFlag(out: LinkWords, a: Args, name: string): void {
  const f = ON_OFF_FLAGS[name] as { bit: number; onClears: boolean };
  const v = a.next();
  if (v !== 'on' && v !== 'off') throw new CommandExit(`Error: argument of "${name}" must be "on" or "off", not "${v}"\n`, 1);
  out.flagMask |= f.bit;
  if ((v === 'on') !== f.onClears) out.flagValue |= f.bit;
  else out.flagValue &= ~f.bit;
}

/** The generic link options (iplink_parse) up to `type`. */
function parseLinkWords(ctx: CommandContext, a: Args, stopAtType: boolean): LinkWords {
  const out: LinkWords = {
    dev: null,
    devFromName: false,
    name: null,
    up: null,
    master: undefined,
    group: undefined,
    carrier: undefined,
    mtu: undefined,
    address: undefined,
    txqlen: undefined,
    ifalias: undefined,
    link: undefined,
    addrgenmode: undefined,
    numtxqueues: undefined,
    numrxqueues: undefined,
    index: undefined,
    flagMask: 0,
    flagValue: 0,
  };
  // iplink_parse()'s chain, in its order: a word is compared with strcmp() or matches() (any
  // non-empty prefix of the keyword) as iproute2 6.1 does, and the first branch that takes it
  // wins; only a word no branch takes is the device. So a device named `a` is `address`, `b`
  // `broadcast`, `m` `master`, `t` `txqueuelen` and `ty` `type`, as with the real ip.
  while (!a.done) {
    const w = a.cur;
    if (w === 'up') out.up = true;
    else if (w === 'down') out.up = false;
    else if (w === 'name') {
      const v = a.next();
      if (out.name !== null) throw new CommandExit(`Error: duplicate "name": "${v}" is the second value.\n`, 255);
      if (!checkIfname(v)) invarg('"name" not a valid ifname', v);
      out.name = v;
      if (out.dev === null) {
        out.dev = v;
        out.devFromName = true;
      }
    } else if (w === 'index') {
      // `*index = atoi(*argv)`, duparg() when already set, invarg() unless positive.
      const v = a.next();
      if (out.index !== undefined) throw new CommandExit(`Error: duplicate "index": "${v}" is the second value.\n`, 255);
      const n = atoi(v);
      if (n <= 0) invarg('Invalid "index" value', v);
      out.index = n;
    }
    else if (matches(w, 'link')) {
      out.link = a.next();
    } else if (matches(w, 'address')) {
      out.address = llAddrA2n(a.next());
    } else if (matches(w, 'broadcast') || w === 'brd') {
      llAddrA2n(a.next());
      notModelled('ip link broadcast');
    } else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      // The int goes out as the u32 IFLA_TXQLEN.
      out.txqlen = intOption(a.next(), 'txqueuelen', out.txqlen);
    } else if (w === 'mtu') {
      out.mtu = intOption(a.next(), 'mtu', out.mtu);
    } else if (w === 'xdpgeneric' || w === 'xdpdrv' || w === 'xdpoffload' || w === 'xdp' || w === 'netns') {
      notModelled(`ip link ${w}`);
    } else if (Object.hasOwn(ON_OFF_FLAGS, w)) onOffFlag(out, a, w);
    else if (w === 'carrier') {
      // parse_on_off(): anything but on/off is -EINVAL, which ip exits with.
      const v = a.next();
      if (v !== 'on' && v !== 'off') throw new CommandExit(`Error: argument of "carrier" must be one of "off", "on", not "${v}"\n`, 22);
      out.carrier = v === 'on';
    } else if (w === 'vf') notModelled('ip link vf');
    else if (matches(w, 'master')) {
      out.master = a.next();
      // iplink_parse(): the master is looked up while parsing, an invarg() when missing.
      if (devGetByName(ctx.snapshot, out.master) === undefined) throw new CommandExit(`Error: argument "${out.master}" is wrong: Device does not exist\n\n`, 255);
    } else if (w === 'vrf') notModelled('ip link vrf');
    else if (matches(w, 'nomaster')) out.master = null;
    else if (matches(w, 'dynamic')) onOffFlag(out, a, 'dynamic');
    else if (matches(w, 'type')) {
      // `type KIND` ends the generic words (ip link add); after `peer` (link_veth.c) a second
      // type is iproute2's duplicate-argument error, not modelled.
      if (stopAtType) break;
      // `ip link set DEV type KIND …` (link-type options: bridge stp_state, …), or a second
      // type after a veth's peer.
      notModelled(`ip link … type ${a.peek() ?? ''} (type options outside ip link add)`);
    } else if (matches(w, 'alias')) {
      const v = a.next();
      // IFALIASZ: 256 with the terminating NUL.
      if (utf8Length(v) >= 256) throw new CommandExit(`Error: argument "${v}" is wrong: alias too long\n\n`, 255);
      out.ifalias = v;
    } else if (w === 'group') {
      const v = a.next();
      if (out.group !== undefined) throw new CommandExit(`Error: duplicate "group": "${v}" is the second value.\n`, 255);
      const g = groupNumber(v);
      if (g === undefined) throw new CommandExit(`Error: argument "${v}" is wrong: Invalid "group" value\n\n`, 255);
      out.group = g;
    } else if (w === 'mode' || w === 'state') notModelled(`ip link ${w}`);
    else if (matches(w, 'addrgenmode')) {
      // get_addr_gen_mode(): the four words, any case (strcasecmp); each `addrgenmode` adds
      // its own IFLA_AF_SPEC, of which nla_parse() keeps the last.
      const v = a.next();
      const mode = ADDR_GEN_MODES.indexOf(v.toLowerCase());
      if (mode < 0) invarg('Invalid address generation mode\n', v);
      out.addrgenmode = mode;
    } else if (matches(w, 'numtxqueues') || matches(w, 'numrxqueues')) {
      // get_integer(…, 0), sent as the u32 IFLA_NUM_TX/RX_QUEUES; duparg() only when the
      // earlier value was not -1 (iproute2's "unset"). rtnl_create_link() checks them; a
      // device's do_setlink() ignores them.
      const tx = matches(w, 'numtxqueues');
      const name = tx ? 'numtxqueues' : 'numrxqueues';
      const before = tx ? out.numtxqueues : out.numrxqueues;
      const n = intOption(a.next(), name, before === -1 ? undefined : before);
      if (tx) out.numtxqueues = n;
      else out.numrxqueues = n;
    } else if (matches(w, 'link-netns') || matches(w, 'link-netnsid')) {
      notModelled(`ip link ${w}`);
    } else if (['protodown', 'protodown_reason', 'gso_max_size', 'gso_max_segs', 'gro_max_size', 'parentdev'].includes(w)) {
      notModelled(`ip link ${w}`);
    } else {
      // iplink_parse()'s last branch: `help` (or a prefix of it) prints the usage; else the
      // device, after an optional `dev`, given once.
      if (matches(w, 'help')) notModelled('ip link help');
      const v = w === 'dev' ? a.next() : w;
      // duparg2() when `dev != name`: a device word was given before, not `name`'s.
      if (out.dev !== null && !out.devFromName) throw new CommandExit(`Error: either "dev" is duplicate, or "${v}" is a garbage.\n`, 255);
      if (!checkAltifname(v)) invarg('"dev" not a valid ifname', v);
      out.dev = v;
      out.devFromName = false;
    }
    a.advance();
  }
  return out;
}

/** iplink_parse() after its loop: `name N` and the device word are one name unless both were given and differ. */
function namesDiffer(w: LinkWords): boolean {
  return w.name !== null && !w.devFromName && w.name !== w.dev;
}

/**
 * iplink_parse() after its loop: `group G` without a device is the group form. Nothing may
 * follow `type KIND` there (the kind itself is dropped), and it cannot create a device.
 * True when the request is the group form (an RTM_NEWLINK or RTM_DELLINK without ifindex
 * or name: rtnl_group_changelink(), rtnl_group_dellink()).
 */
function groupForm(w: LinkWords, a: Args, creating: boolean): boolean {
  if (w.group === undefined || w.dev !== null) return false;
  if (!a.done) a.next();
  a.advance();
  if (!a.done) throw new CommandExit(`Garbage instead of arguments "${a.cur} ...". Try "ip link help".\n`, 255);
  if (creating) throw new CommandExit('group cannot be used when creating devices.\n', 255);
  return true;
}

/** iplink_parse(), creating: one name for the new device. */
function checkCreateNames(w: LinkWords): void {
  if (namesDiffer(w)) throw new CommandExit('both "name" and "dev" cannot be used when creating devices.\n', 255);
}

function linkAdd(ctx: CommandContext, a: Args): void {
  const main = parseLinkWords(ctx, a, true);
  groupForm(main, a, true);
  checkCreateNames(main);
  if (a.done) throw new CommandExit('Not enough information: "type" argument is required\n', 255);
  const type = a.next();
  a.advance();
  // rtnl_newlink(): without IFLA_IFNAME the kernel names the device "<kind>%d".
  main.name = main.name ?? main.dev ?? `${type}%d`;
  let kind: DeviceKind;
  let peer: LinkSpec | undefined;
  let vxlan: VxlanConfig | undefined;
  let bridge: BridgeData | undefined;
  let ifb = false;
  let passthru = false;
  if (type === 'veth') {
    kind = 'veth';
    let peerName: string | null = null;
    let peerUp = false;
    let peerMtu: number | undefined;
    let peerAttrs: Partial<LinkSpec> = {};
    let peerIndexWord: number | undefined;
    if (!a.done) {
      if (a.cur !== 'peer') throw new CommandExit(`Error: argument "${a.cur}" is wrong: veth options\n\n`, 255);
      a.advance();
      // veth_parse_opt(): iplink_parse() again for the peer, creating.
      const p = parseLinkWords(ctx, a, false);
      groupForm(p, a, true);
      checkCreateNames(p);
      peerName = p.name ?? p.dev;
      peerUp = p.up === true;
      peerAttrs = createAttributes(p);
      if (p.link !== undefined) notModelled('ip link add type veth peer link DEV');
      peerMtu = p.mtu;
      peerIndexWord = p.index;
    } else {
      // veth_newlink() without VETH_INFO_PEER: the peer is made from the device's own
      // attributes (tbp = tb: MTU, queue length, group), with no ifinfomsg (its flags, `up`
      // included, are not applied: rtnl_configure_link(peer, NULL)); its address is a
      // random one all the same (checked on Linux 6.18).
      peerAttrs = createAttributes({ ...main, address: undefined, flagMask: 0, flagValue: 0 });
      peerMtu = main.mtu;
    }
    // A veth without a peer name: veth_newlink() registers it as "veth%d" (the first free number).
    const pname = peerName ?? 'veth%d';
    // register_netdevice order: the peer takes the next ifindex, the device the one after.
    // veth_newlink(): the peer's own `index` is used only when the device has one too
    // (`if (ifmp && dev->ifindex)`); else it takes the next free index.
    const peerIndex = main.index !== undefined ? peerIndexWord : undefined;
    peer = {
      ifindex: peerIndex ?? freeIfindex(ctx, ctx.snapshot.nextIfindex),
      ...(peerIndex === undefined ? {} : { indexGiven: true as const }),
      name: pname, kind: 'veth', up: peerUp, ...(peerMtu === undefined ? {} : { mtu: mtuWord(peerMtu, 'veth', true) }), ...peerAttrs,
    };
  } else if (type === 'bridge') {
    // iplink_bridge.c: the options br_changelink() checks (iplink-bridge.ts).
    kind = 'bridge';
    bridge = bridgeParseOpt(a) ?? undefined;
  } else if (type === 'macvlan') {
    kind = 'macvlan';
    passthru = macvlanParseOpt(a);
  } else if (type === 'vxlan') {
    // iplink_vxlan.c: the IPv4 subset the model makes (iplink-vxlan.ts); the driver's
    // newlink is vxlan_newlink() (../dev/vxlan.ts).
    kind = 'other';
    vxlan = vxlanParseOpt(ctx, a);
    // vxlan_vni_in_use() compares every vxlan's VNI and port, which a dump does not carry.
    for (const d of ctx.snapshot.devices.values()) {
      if (d.driver === 'vxlan' && d.vxlan === undefined) notModelled(`ip link add type vxlan beside ${d.name}, a vxlan imported from a snapshot (its VNI and port are not in the dump)`);
    }
    if (main.mtu !== undefined) notModelled('ip link add mtu … type vxlan (vxlan_config_apply() clamps it to the lower device)');
    if (main.address !== undefined) notModelled('ip link add address … type vxlan (vxlan_validate()\'s own messages)');
  } else if (type === 'ifb') {
    // drivers/net/ifb.c (../dev/ifb.ts). iproute2 has no ifb link_util: get_link_kind()
    // gives a generic one without parse_opt, so iplink_modify() sends the words after
    // `type ifb` as nothing (an empty IFLA_INFO_DATA) and ifb_validate() reads none of it:
    // `numtxqueues 2`, `foo`, even `help` there change nothing.
    kind = 'other';
    ifb = true;
    while (!a.done) a.advance();
  } else if (type === 'dummy') {
    // drivers/net/dummy.c: no link options (iproute2 has no dummy link_util)
    kind = 'dummy';
    if (!a.done) notModelled(`ip link add type dummy ${a.cur}`);
  } else {
    notModelled(`ip link add type ${type}`);
  }
  if (main.master !== undefined && main.master !== null) notModelled('ip link add master');
  if (main.carrier !== undefined) notModelled('ip link add carrier');

  // iplink_modify(): `link DEV` is looked up by name (nodev() when missing); only a macvlan uses it here.
  let lower: number | undefined;
  if (main.link !== undefined) {
    lower = devIndex(ctx, main.link);
    if (kind !== 'macvlan') notModelled(`ip link add link DEV type ${type}`);
    // macvlan_common_newlink() wants an ARPHRD_ETHER lower; an imported device's type is not
    // known. A tun of `ip tuntap` is ARPHRD_NONE (refused by the reducer); a tap, an ifb or a
    // vxlan is an Ethernet device whose carrier a macvlan would follow: not modelled.
    const ld = ctx.snapshot.devices.get(lower);
    if (ld?.kind === 'other' && ld.tun !== 'tun') notModelled('ip link add type macvlan on a device of unknown kind');
    // eth_hw_addr_inherit(): a passthru macvlan takes its lower device's address, which the
    // transcripts show unmasked when all-zero (a bridge's); only veths are modelled here.
    const real = ld?.kind === 'macvlan' && ld.lower !== undefined ? ctx.snapshot.devices.get(ld.lower) : ld;
    if (passthru && real !== undefined && real.kind !== 'veth') notModelled(`ip link add type macvlan mode passthru on ${real.name} (a ${real.kind} lower device: its address is inherited)`);
    // netdev_rx_handler_register() of the lower's new macvlan port: a master other than a
    // bridge (a bond's rx_handler, a vrf's none) is not known from a dump.
    const ldMaster = ld?.master == null ? undefined : ctx.snapshot.devices.get(ld.master);
    if (ldMaster !== undefined && ldMaster.kind !== 'bridge') notModelled(`ip link add type macvlan on ${ld?.name ?? ''}, a port of ${ldMaster.name} (a device of unknown kind)`);
  }
  const link: LinkSpec = {
    ...(main.index === undefined
      ? { ifindex: freeIfindex(ctx, peer?.ifindex === undefined || peer.indexGiven === true ? ctx.snapshot.nextIfindex : peer.ifindex + 1) }
      : { ifindex: main.index, indexGiven: true as const }),
    ...(lower === undefined ? {} : { lower }),
    name: main.name,
    kind,
    up: main.up === true,
    ...(main.mtu === undefined ? {} : { mtu: mtuWord(main.mtu, kind, true, undefined, undefined, ifb ? 'ifb' : undefined) }),
    ...createAttributes(main),
    ...(vxlan === undefined ? {} : { driver: 'vxlan', vxlan }),
    ...(ifb ? { driver: 'ifb', ifb: true } : {}),
    ...(passthru ? { macvlanPassthru: true as const } : {}),
    ...(bridge === undefined ? {} : { bridge }),
  };
  if (kind === 'macvlan' && link.up) bridgeLowerAddrGap(ctx, lower, link.address);
  ifnamePolicyOk(link.name);
  if (peer !== undefined) ifnamePolicyOk(peer.name);
  addressPolicyOk(main.address);
  const step = ctx.apply(peer === undefined ? { type: 'link-add', link } : { type: 'link-add', link, peer });
  if (step.error !== null) failKernel(step.error);
}

/** MACVLAN_FLAG_NOPROMISC (include/uapi/linux/if_link.h). */
const MACVLAN_FLAG_NOPROMISC = 1;

/**
 * macvlan_parse_opt() of iproute2 6.1 (ip/iplink_macvlan.c), in its order with matches():
 * `mode` (strcmp() of the five modes), `flag nopromisc|nodst|null`, `macaddr` (source mode's
 * list: not modelled), `nopromisc`, `nodst`, `bcqueuelen N` (get_u32()); a bad value is its
 * message and exit 1. The mode and flags change nothing the model shows but passthru
 * (macvlan_common_newlink(): the port's only macvlan), and `-d` is not modelled. True for
 * passthru.
 */
function macvlanParseOpt(a: Args): boolean {
  let mode = '';
  let flags = 0;
  let hasFlags = false;
  while (!a.done) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      const m = a.next();
      if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(m)) {
        throw new CommandExit(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${m}"\n`, 1);
      }
      mode = m;
    } else if (matches(w, 'flag')) {
      const f = a.next();
      if (f === 'nopromisc') flags |= MACVLAN_FLAG_NOPROMISC;
      else if (f !== 'nodst' && f !== 'null') throw new CommandExit(`Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${f}"\n`, 1);
      hasFlags = true;
    } else if (matches(w, 'macaddr')) notModelled('ip link add type macvlan macaddr');
    else if (matches(w, 'nopromisc')) {
      flags |= MACVLAN_FLAG_NOPROMISC;
      hasFlags = true;
    } else if (matches(w, 'nodst')) hasFlags = true;
    else if (matches(w, 'bcqueuelen')) {
      const v = a.next();
      if (parseUnsigned(v) === undefined) throw new CommandExit(`Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"\n`, 1);
    } else notModelled(`ip link add type macvlan ${w} (iproute2's usage text)`);
    a.advance();
  }
  // After the loop: nopromisc outside passthru is refused with the usage text.
  if (hasFlags && (flags & MACVLAN_FLAG_NOPROMISC) !== 0 && mode !== 'passthru') notModelled('ip link add type macvlan nopromisc outside passthru (iproute2\'s usage text)');
  return mode === 'passthru';
}

/**
 * An MTU the reducer can take, or the kernel's answer first. dev_validate_mtu() takes the
 * u32 as an int (a negative one is below any minimum); lo and dummy have no bounds
 * (min_mtu = max_mtu = 0; ifb too), and below 68 (inetdev_valid_mtu) IPv4 leaves the device
 * (inetdev_destroy: its addresses, routes and conf go silently): not modelled. At creation
 * (rtnl_create_link) the message is not passed on.
 */
function mtuWord(mtu: number, kind: DeviceKind, creating: boolean, tun?: 'tun' | 'tap', vxlan?: VxlanConfig, driver?: string): number {
  if (mtu < 0) failKernel(creating ? { errno: 'EINVAL' } : { errno: 'EINVAL', extack: 'mtu less than device minimum' });
  // A tun/tap of `ip tuntap add`, a vxlan of `ip link add`, have their bounds (mtuInvalid() in rtnl-link.ts): the reducer answers.
  if (tun !== undefined || vxlan !== undefined) return mtu;
  // ifb_setup(): min_mtu = max_mtu = 0, no bounds (as lo and dummy).
  if (kind === 'other' && driver !== 'ifb') notModelled('ip link mtu on a device of unknown kind');
  if (mtu < 68 && kind !== 'veth' && kind !== 'bridge' && kind !== 'macvlan') notModelled('an MTU below 68 (inetdev_destroy: IPv4 leaves the device)');
  return mtu;
}

/** The length of a string in UTF-8 bytes (what strlen() sees in the argument). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The attributes a new device takes: IFLA_ADDRESS (no length check by iproute2 when
 * creating: the driver's validate answers), IFLA_TXQLEN and the flags. IFLA_IFALIAS is sent
 * but rtnl_create_link() does not read it: a new device has no alias.
 */
function createAttributes(w: LinkWords): Partial<LinkSpec> {
  return {
    // IFLA_AF_SPEC: refused by rtnl_create_link() (rtnl-link.ts rtnlCreateLinkBad()).
    ...(w.addrgenmode === undefined ? {} : { afSpec: true as const }),
    // The queue counts as the u32 the kernel reads (-1 is 4294967295).
    ...(w.numtxqueues === undefined ? {} : { numTxQueues: w.numtxqueues >>> 0 }),
    ...(w.numrxqueues === undefined ? {} : { numRxQueues: w.numrxqueues >>> 0 }),
    // rtnl_create_link(): IFLA_GROUP (dev_set_group()).
    ...(w.group === undefined ? {} : { group: w.group }),
    ...(w.address === undefined ? {} : { address: w.address.map((b) => b.toString(16).padStart(2, '0')).join(':') }),
    ...(w.txqlen === undefined ? {} : { txqlen: w.txqlen }),
    ...(w.flagMask === 0 ? {} : { flags: { mask: w.flagMask, value: w.flagValue } }),
  };
}

/**
 * The length of the IFLA_ADDRESS a device dumps (dev->addr_len), as nl_get_ll_addr_len()
 * reads it for iplink_parse()'s check: -1 when the device dumps none (a tun: ARPHRD_NONE,
 * addr_len 0, so iproute2 checks nothing and the kernel answers), null when the model does
 * not know the device's kind. A tap and a vxlan are ether_setup() devices.
 */
function addrLen(d: NetDevice): number | null {
  if (d.tun === 'tun') return -1;
  if (d.tun === 'tap' || d.driver === 'vxlan') return 6;
  return d.kind === 'other' ? null : 6;
}

/** lib/utils.c check_altifname(): not empty, no '/' and no isspace() (the `dev` word). */
export function checkAltifname(name: string): boolean {
  return name !== '' && !/[/ \t\n\v\f\r]/.test(name);
}

/** lib/utils.c check_ifname(): check_altifname() and shorter than IFNAMSIZ (the `name` word; get_ifname() of ip tuntap). */
export function checkIfname(name: string): boolean {
  return checkAltifname(name) && byteLength(name) < IFNAMSIZ;
}

/** The kernel's ifla_policy: IFLA_IFNAME is an NLA_STRING of at most IFNAMSIZ - 1 bytes. */
function ifnamePolicyOk(name: string): void {
  if (byteLength(name) > IFNAMSIZ - 1) throw new CommandExit('Error: Attribute failed policy validation.\n', 2);
}


function linkSet(ctx: CommandContext, a: Args): void {
  const w = parseLinkWords(ctx, a, true);
  if (w.index !== undefined) notModelled('ip link set index');
  const devName = w.dev;
  const cur0 = devName === null ? undefined : devGetByName(ctx.snapshot, devName);
  if (w.address !== undefined && cur0 !== undefined) {
    // iplink_parse(): the length is checked against the device's before anything is sent.
    const halen = addrLen(cur0);
    if (halen === null) notModelled('ip link address on a device of unknown kind');
    if (halen >= 0 && w.address.length !== halen) throw new CommandExit(`Invalid address length ${w.address.length} - must be ${halen} bytes\n`, 1);
    addressPolicyOk(w.address);
  }
  if (groupForm(w, a, false)) {
    linkSetGroup(ctx, w);
    return;
  }
  if (devName === null) throw new CommandExit('Not enough information: "dev" argument is required.\n', 255);
  const ifindex = devIndex(ctx, devName);
  // iplink_modify(): `type KIND` ended the generic words; the rest is the kind's
  // parse_opt(), sent as IFLA_INFO_DATA for the device's changelink (bridge only here).
  let bridge: BridgeData | null = null;
  if (!a.done) {
    const kind = a.next();
    a.advance();
    if (kind !== 'bridge') notModelled(`ip link set … type ${kind} (type options other than a bridge's)`);
    bridge = bridgeParseOpt(a);
  }
  // iplink_parse(): not renaming when `name` is the device (`ip link set name N` alone).
  setOne(ctx, w, ifindex, namesDiffer(w) ? (w.name ?? undefined) : undefined, bridge);
}

/**
 * rtnl_group_changelink() and rtnl_group_dellink() walk the namespace's device list
 * (registration order); the model's ifindex order is that order unless a device was made
 * with a requested index (`index N`) and has a group mate after it: named.
 */
function indexOrderGap(ctx: CommandContext, members: readonly number[]): void {
  if (members.length > 1 && members.some((i) => ctx.snapshot.devices.get(i)?.indexRequested === true)) {
    notModelled('a group operation over a device made with `index N` (the namespace\'s list order is not its ifindex order)');
  }
}

/**
 * rtnl_group_changelink(): without ifindex or name, RTM_NEWLINK with IFLA_GROUP applies the
 * request (validate_linkmsg(), do_setlink()) to each device of the group in the order of
 * the namespace's list, stopping at the first error; a group without devices is no error.
 */
function linkSetGroup(ctx: CommandContext, w: LinkWords): void {
  if (w.address !== undefined) notModelled('ip link set group G address (validate_linkmsg() per device)');
  const members = [...ctx.snapshot.devices.values()].filter((d) => d.group === w.group).map((d) => d.ifindex).sort((x, y) => x - y);
  indexOrderGap(ctx, members);
  for (const i of members) {
    if (ctx.snapshot.devices.get(i)?.group !== w.group) continue;
    setOne(ctx, w, i, undefined, null);
  }
}

/** do_setlink() on one device: the request's attributes, then what follows from them. */
function setOne(ctx: CommandContext, w: LinkWords, ifindex: number, rename: string | undefined, bridge: BridgeData | null): void {
  if (w.link !== undefined) notModelled('ip link set link');
  let master: number | null | undefined;
  if (w.master !== undefined) master = w.master === null ? null : devIndex(ctx, w.master);
  const cur = ctx.snapshot.devices.get(ifindex);
  // An imported master (a dump's `master`, kind 'other'): whether its driver takes the port
  // (ndo_add_slave) and what the bridge's carrier becomes are not in the dump.
  const newMaster = master === undefined || master === null ? undefined : ctx.snapshot.devices.get(master);
  if (newMaster?.kind === 'other') notModelled(`ip link set master ${newMaster.name}: a device imported from a snapshot (its driver decides)`);
  const oldMaster = master === undefined || cur?.master == null ? undefined : ctx.snapshot.devices.get(cur.master);
  // An imported device (kind 'other'): whether it is a bridge, and its STP state, are not in the dump.
  if (bridge !== null && cur?.kind === 'other') notModelled(`ip link set ${cur.name} type bridge: a device imported from a snapshot`);
  // check_stable_privacy(): a host's net.ipv6 stable_secret is not in an imported state.
  if (w.addrgenmode === ADDR_GEN_MODES.indexOf('stable_secret') && ctx.snapshot.lineage.imported) notModelled('ip link addrgenmode stable_secret on an imported state (whether the host set net.ipv6.conf.*.stable_secret)');
  // IFLA_CARRIER is applied before IFLA_AF_SPEC, which can fail last (rtnl-link.ts doSetlink()).
  if (w.addrgenmode !== undefined && w.carrier !== undefined) notModelled('ip link set carrier with addrgenmode (IFLA_CARRIER applied before IFLA_AF_SPEC fails)');
  // What reads the inet6_dev of a device whose inet6_dev is not known (NetDevice.inet6Dev 'unknown').
  if (cur?.inet6Dev === 'unknown' && (w.addrgenmode !== undefined || (rename !== undefined && !sysctlDevNameIsAllowed(rename)))) {
    notModelled(`${w.addrgenmode !== undefined ? 'addrgenmode' : `a rename to ${rename ?? ''}`} on ${cur.name}, whose inet6_dev is not known (made at an up only if addrconf_link_ready() then)`);
  }
  if (cur?.kind === 'macvlan' && (w.up === true || w.address !== undefined)) {
    bridgeLowerAddrGap(ctx, cur.lower, w.address === undefined ? (cur.macSetByUser === true ? cur.mac : undefined) : w.address.map((b) => b.toString(16).padStart(2, '0')).join(':'));
  }
  const upBefore = cur?.up;
  const mtu = w.mtu === undefined || cur === undefined ? undefined : mtuWord(w.mtu, cur.kind, false, cur.tun, cur.vxlan, cur.driver);
  // do_setlink() applies the request in order and stops at the first error, keeping what came
  // before; the event log keeps only events that succeeded, so a rename (which can fail:
  // EEXIST, EINVAL for all/default) goes as its own event after the type's changelink, the
  // address and the MTU.
  const head = {
    ...(bridge === null ? {} : { bridge }),
    ...(w.addrgenmode === undefined ? {} : { addrGenMode: w.addrgenmode }),
    ...(w.address === undefined ? {} : { address: w.address.map((b) => b.toString(16).padStart(2, '0')).join(':') }),
    ...(mtu === undefined ? {} : { mtu }),
  };
  const tail = {
    ...(rename === undefined ? {} : { name: rename }),
    ...(w.group === undefined ? {} : { group: w.group }),
    ...(w.ifalias === undefined ? {} : { ifalias: w.ifalias }),
    ...(master === undefined ? {} : { master }),
    ...(w.flagMask === 0 ? {} : { flags: { mask: w.flagMask, value: w.flagValue } }),
    ...(w.up === null ? {} : { up: w.up }),
    ...(w.txqlen === undefined ? {} : { txqlen: w.txqlen }),
  };
  const parts = rename !== undefined && Object.keys(head).length > 0 ? [head, tail] : [{ ...head, ...tail }];
  for (const part of parts) {
    const step = ctx.apply({ type: 'link-set', ifindex, ...part });
    if (step.error !== null) failKernel(step.error);
  }
  if (w.addrgenmode !== undefined) {
    // do_setlink()'s IFLA_AF_SPEC, after the rest of the request: inet6_set_link_af() fails
    // (EAFNOSUPPORT) when the request's MTU took the inet6_dev away; what came before stays.
    const af = ctx.apply({ type: 'link-set', ifindex, addrGenMode: w.addrgenmode });
    if (af.error !== null) failKernel(af.error);
  }
  const after = ctx.snapshot.devices.get(ifindex);
  if (loopbackAddrNotRestored(cur, after, ctx.snapshot.ipv4Sysctl.disable_ipv6)) {
    notModelled('lo\'s MTU raised back to 1280 or more while lo is up with IPv6 enabled (addrconf_notify() does not give ::1 back until lo goes down and up)');
  }
  if (oldMaster?.kind === 'other' && after?.master !== oldMaster.ifindex) notModelled(importedBridgeGap(oldMaster));
  if (w.up !== null && after !== undefined && upBefore !== after.up) {
    const peer = importedVethPeer(ctx.snapshot.devices, after);
    if (peer !== undefined) {
      // An imported veth pair: veth_open()/veth_close() set both ends' carrier.
      for (const [i, carrier] of vethPairCarriers(after, peer)) {
        const st = ctx.apply({ type: 'link-carrier', ifindex: i, carrier });
        if (st.error !== null) failKernel(st.error);
      }
      // What else follows either end (a macvlan on it, an imported bridge it is a port of).
      const devs = ctx.snapshot.devices;
      const now = devs.get(peer.ifindex);
      const gap = derivedCarrierGap(devs, after, false, peer.ifindex) ?? (now === undefined ? null : derivedCarrierGap(devs, now, false, after.ifindex));
      if (gap !== null) notModelled(gap);
    } else {
      const gap = derivedCarrierGap(ctx.snapshot.devices, after) ?? stackedCarrierGap(ctx.snapshot.devices, after) ?? unknownCarrierGap(after);
      if (gap !== null) notModelled(gap);
    }
  }
  if (w.carrier !== undefined) {
    // do_setlink(): IFLA_CARRIER after the flags; dev_change_carrier() per driver
    // (ip-link-carrier.ts).
    const d = ctx.snapshot.devices.get(ifindex);
    if (d === undefined) failKernel({ errno: 'ENODEV' });
    const c = linkChangeCarrier(d, w.carrier);
    if (c.kind === 'error') failKernel(c.error);
    if (c.kind === 'not-modelled') notModelled(c.what);
    const st = ctx.apply({ type: 'link-carrier', ifindex, carrier: c.carrier });
    if (st.error !== null) failKernel(st.error);
  }
}

/**
 * lo's ::1 after an MTU change: addrconf_ifdown() took it when the MTU dropped below
 * IPV6_MIN_MTU while lo was up (or lo came up below it, or IPv6 was enabled then), and
 * NETDEV_CHANGEMTU back above only updates the kept inet6_dev's MTU: ::1 stays away until lo
 * goes down and up. The model derives ::1 from lo's state (fib6-nh-init.ts), so that one
 * path, an MTU raised across 1280 while lo is up and IPv6 enabled, is named.
 */
function loopbackAddrNotRestored(before: NetDevice | undefined, after: NetDevice | undefined, disableIpv6: number): boolean {
  if (before === undefined || after === undefined || after.kind !== 'loopback') return false;
  return disableIpv6 === 0 && after.up && before.mtu < IPV6_MIN_MTU && after.mtu >= IPV6_MIN_MTU;
}

/**
 * macvlan_addr_busy() compares a macvlan's address with its lower device's. A bridge whose
 * address the user did not set has one of its ports' (br_stp_recalculate_bridge_id(): the
 * lowest), which the model knows only when the user set it: a macvlan address equal to a
 * user-set port address of such a bridge is named.
 */
function bridgeLowerAddrGap(ctx: CommandContext, lower: number | undefined, addr: string | undefined): void {
  const b = lower === undefined ? undefined : ctx.snapshot.devices.get(lower);
  if (b === undefined || addr === undefined || b.kind !== 'bridge' || b.macSetByUser === true) return;
  for (const p of ctx.snapshot.devices.values()) {
    if (p.master === b.ifindex && p.macSetByUser === true && p.mac === addr) notModelled(`a macvlan address on ${b.name} equal to its port ${p.name}'s (the bridge's own address is one of its ports')`);
  }
}

function linkDel(ctx: CommandContext, a: Args): void {
  const w = parseLinkWords(ctx, a, false);
  if (w.index !== undefined) notModelled('ip link del index');
  if (groupForm(w, a, false)) {
    linkDelGroup(ctx, w.group ?? 0);
    return;
  }
  const devName = w.dev;
  if (devName === null) throw new CommandExit('Not enough information: "dev" argument is required.\n', 255);
  delOne(ctx, devIndex(ctx, devName));
}

/**
 * rtnl_group_dellink(): every device of the group must have rtnl_link_ops (lo has none:
 * EOPNOTSUPP, nothing deleted), none is ENODEV; then each one's dellink, in list order (a
 * veth's takes its peer along).
 */
function linkDelGroup(ctx: CommandContext, group: number): void {
  const members = [...ctx.snapshot.devices.values()].filter((d) => d.group === group).sort((x, y) => x.ifindex - y.ifindex);
  indexOrderGap(ctx, members.map((d) => d.ifindex));
  if (members.length === 0) failKernel({ errno: 'ENODEV' });
  // An imported device: whether its driver has rtnl_link_ops (a NIC has none) is not in the dump.
  for (const d of members) if (d.kind === 'other' && d.tun === undefined && d.vxlan === undefined && d.driver !== 'ifb') notModelled(`ip link del group ${group}: ${d.name}, a device imported from a snapshot (whether it has rtnl_link_ops)`);
  if (members.some((d) => d.kind === 'loopback')) failKernel({ errno: 'EOPNOTSUPP' });
  for (const d of members) if (ctx.snapshot.devices.has(d.ifindex)) delOne(ctx, d.ifindex);
}

function delOne(ctx: CommandContext, ifindex: number): void {
  const gone = ctx.snapshot.devices.get(ifindex);
  // veth_dellink(): an imported veth's peer goes too (unregistered after it).
  const peer = gone === undefined ? undefined : importedVethPeer(ctx.snapshot.devices, gone);
  const devs = ctx.snapshot.devices;
  const gap = gone === undefined ? null : derivedCarrierGap(devs, gone, true, peer?.ifindex) ?? (peer === undefined ? null : derivedCarrierGap(devs, peer, true, gone.ifindex));
  const step = ctx.apply({ type: 'link-del', ifindex });
  if (step.error !== null) failKernel(step.error);
  if (peer !== undefined) {
    const st = ctx.apply({ type: 'link-del', ifindex: peer.ifindex });
    if (st.error !== null) failKernel(st.error);
  }
  if (gap !== null) notModelled(gap);
}
