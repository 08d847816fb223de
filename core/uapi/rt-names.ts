// iproute2's number <-> name tables, as compiled into iproute2 6.1 (lib/rt_names.c) and shipped in
// its etc/iproute2/{rt_tables,rt_protos,rt_scopes,rt_dsfield} files, plus the words ip(8) prints
// for link flags, operstates, link types and IP protocols.
//
// Why: `ip monitor` text and `ip -j` JSON turn numbers into names through the *printing host's*
// tables (rtnl_rttable_n2a(), rtnl_rtprot_n2a(), rtnl_rtscope_n2a(), rtnl_dsfield_n2a(),
// inet_proto_n2a()). A reader has to map them back (the *_a2n() functions). A name outside these
// defaults comes from the printing host's configuration, so callers can pass extra tables.
// One home for these tables: the trace readers (ip-monitor.ts, ip-json.ts) and the ip commands
// and printers (iproute2/, print/) use them.

/** Extra name tables of the host that printed the text (its /etc/iproute2 files). */
export interface Iproute2Names {
  readonly tables?: Readonly<Record<string, number>>;
  readonly protocols?: Readonly<Record<string, number>>;
  readonly scopes?: Readonly<Record<string, number>>;
  readonly dsfields?: Readonly<Record<string, number>>;
  readonly realms?: Readonly<Record<string, number>>;
  readonly groups?: Readonly<Record<string, number>>;
  readonly ipProtos?: Readonly<Record<string, number>>;
}

/** rtnl_rttable_tab: 253 default, 254 main, 255 local (0 unspec from rt_tables). */
export const TABLE_NAMES: Readonly<Record<string, number>> = {
  unspec: 0, default: 253, main: 254, local: 255,
};

/** rtnl_rtprot_tab of lib/rt_names.c plus etc/iproute2/rt_protos of iproute2 6.1. */
export const PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11,
  bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, keepalived: 18, babel: 42, openr: 99,
  bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
};

/** rtnl_rtscope_tab (the names `ip` prints and parses). */
export const RT_SCOPES: Readonly<Record<string, number>> = {
  global: 0, site: 200, link: 253, host: 254, nowhere: 255,
};

/** What a trace reader accepts for a scope: rtnl_rtscope_tab plus `universe`. */
export const SCOPE_NAMES: Readonly<Record<string, number>> = { ...RT_SCOPES, universe: 0 };

/** rtnl_rtntype_n2a(). */
export const RTN_TYPE_NAMES: Readonly<Record<string, number>> = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6,
  unreachable: 7, prohibit: 8, throw: 9, nat: 10, xresolve: 11,
};

/** etc/iproute2/rt_dsfield of iproute2 6.1. */
export const DSFIELD_NAMES: Readonly<Record<string, number>> = {
  default: 0x0, AF11: 0x28, AF12: 0x30, AF13: 0x38, AF21: 0x48, AF22: 0x50, AF23: 0x58,
  AF31: 0x68, AF32: 0x70, AF33: 0x78, AF41: 0x88, AF42: 0x90, AF43: 0x98, CS1: 0x20, CS2: 0x40,
  CS3: 0x60, CS4: 0x80, CS5: 0xa0, CS6: 0xc0, CS7: 0xe0, EF: 0xb8,
};

/** rtnl_rtrealm_tab: only 0 is named. */
export const REALM_NAMES: Readonly<Record<string, number>> = { unknown: 0 };

/** rtnl_group_tab: only 0 is named. */
export const GROUP_NAMES: Readonly<Record<string, number>> = { default: 0 };

/** getprotobynumber() names of a Debian /etc/protocols, the ones rules use in practice. */
export const IP_PROTO_NAMES: Readonly<Record<string, number>> = {
  ip: 0, icmp: 1, igmp: 2, ipencap: 4, tcp: 6, egp: 8, udp: 17, ipv6: 41, rsvp: 46, gre: 47,
  esp: 50, ah: 51, 'ipv6-icmp': 58, ospf: 89, pim: 103, vrrp: 112, l2tp: 115, sctp: 132,
  udplite: 136, 'mpls-in-ip': 137,
};

/** IF_OPER_* words of print_operstate(). */
export const OPERSTATE_NAMES: Readonly<Record<string, number>> = {
  UNKNOWN: 0, NOTPRESENT: 1, DOWN: 2, LOWERLAYERDOWN: 3, TESTING: 4, DORMANT: 5, UP: 6,
};

/** ARPHRD_* words of ll_type_n2a() that a namespace of veths, bridges and lo shows. */
export const LINK_TYPE_NAMES: Readonly<Record<string, number>> = {
  netrom: 0, ether: 1, eether: 2, ieee802: 6, infiniband: 32, slip: 256, ppp: 512, tunnel: 768,
  tunnel6: 769, loopback: 772, sit: 776, ipgre: 778, gre6: 823, none: 0xfffe, void: 0xffff,
};

/** IFLA_EVENT words of print_link_event(). */
export const LINK_EVENT_NAMES: Readonly<Record<string, number>> = {
  NONE: 0, REBOOT: 1, 'FEATURE CHANGE': 2, 'BONDING FAILOVER': 3, 'NOTIFY PEERS': 4,
  'RESEND IGMP': 5, 'BONDING OPTION': 6,
};

/** Link flag words of print_link_flags(), in printing order. */
export const LINK_FLAG_WORDS: readonly (readonly [string, number])[] = [
  ['LOOPBACK', 0x8], ['BROADCAST', 0x2], ['POINTOPOINT', 0x10], ['MULTICAST', 0x1000],
  ['NOARP', 0x80], ['ALLMULTI', 0x200], ['PROMISC', 0x100], ['MASTER', 0x400], ['SLAVE', 0x800],
  ['DEBUG', 0x4], ['DYNAMIC', 0x8000], ['AUTOMEDIA', 0x4000], ['PORTSEL', 0x2000],
  ['NOTRAILERS', 0x20], ['UP', 0x1], ['LOWER_UP', 0x10000], ['DORMANT', 0x20000],
  ['ECHO', 0x40000],
];

/** Route/nexthop flag words of print_rt_flags(). */
export const RT_FLAG_WORDS: Readonly<Record<string, number>> = {
  dead: 0x1, onlink: 0x4, pervasive: 0x2, offload: 0x8, trap: 0x40, notify: 0x100,
  linkdown: 0x10, unresolved: 0x20, rt_offload: 0x4000, rt_trap: 0x8000,
  rt_offload_failed: 0x20000000,
};

/** Address flag words of print_ifa_flags() (IPv4; `dynamic` is the absence of PERMANENT). */
export const IFA_FLAG_WORDS: Readonly<Record<string, number>> = {
  secondary: 0x1, temporary: 0x1, nodad: 0x2, optimistic: 0x4, dadfailed: 0x8, home: 0x10,
  deprecated: 0x20, tentative: 0x40, mngtmpaddr: 0x100, noprefixroute: 0x200, autojoin: 0x400,
  'stable-privacy': 0x800,
};

/** RTAX_* names of mx_names[] in ip/iproute.c (index = RTAX number). */
export const RTAX_NAMES: readonly (string | undefined)[] = [
  undefined, 'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss',
  'reordering', 'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack',
  'congctl', 'fastopen_no_cookie',
];

/** rp_filter words of ip/ipnetconf.c. */
export const RP_FILTER_NAMES: Readonly<Record<string, number>> = { off: 0, strict: 1, loose: 2 };

/**
 * Mirrors the *_a2n() functions of lib/rt_names.c: a name from the defaults or the extra table,
 * else a number (decimal or 0x hex) in [0, max].
 *
 * Example: `nameToNumber('main', TABLE_NAMES, undefined, 0xffffffff)` is 254.
 */
export function nameToNumber(
  word: string,
  defaults: Readonly<Record<string, number>>,
  extra: Readonly<Record<string, number>> | undefined,
  max: number,
): number | undefined {
  const fromExtra = extra !== undefined && Object.hasOwn(extra, word) ? extra[word] : undefined;
  if (fromExtra !== undefined) return fromExtra;
  const fromDefaults = Object.hasOwn(defaults, word) ? defaults[word] : undefined;
  if (fromDefaults !== undefined) return fromDefaults;
  return parseNumber(word, max);
}

/** strtoul(word, 0) restricted to [0, max]: decimal or 0x hex, nothing else. */
export function parseNumber(word: string, max: number): number | undefined {
  let n: number;
  if (/^0x[0-9a-fA-F]+$/.test(word)) n = parseInt(word.slice(2), 16);
  else if (/^[0-9]+$/.test(word)) n = parseInt(word, 10);
  else return undefined;
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** The first name of `table` for `n`, else undefined (for the reverse direction). */
export function numberToName(
  n: number,
  table: Readonly<Record<string, number>>,
): string | undefined {
  for (const [name, value] of Object.entries(table)) if (value === n) return name;
  return undefined;
}

// ---- the n2a / a2n functions of lib/rt_names.c over the default tables ----

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * The name tables `ip` prints and parses with: iproute2's built-in names, overridden and
 * extended by a host's name files (rt_tables, rt_protos, ... read by
 * ../iproute2/rt-names-files.ts). Passed explicitly (a replay's ReplayView, a command's
 * CommandContext): iproute2 keeps them per process; the model keeps no global state.
 */
export interface PrintNames {
  readonly tables: ReadonlyMap<number, string>;
  readonly protos: ReadonlyMap<number, string>;
  readonly scopes: ReadonlyMap<number, string>;
  readonly dsfields: ReadonlyMap<number, string>;
  /** name -> number (the newest file line wins). */
  readonly tableNums: ReadonlyMap<string, number>;
  readonly protoNums: ReadonlyMap<string, number>;
  readonly scopeNums: ReadonlyMap<string, number>;
  readonly dsfieldNums: ReadonlyMap<string, number>;
  /** Where names were looked for, per kind, for "unknown name" messages. */
  readonly where: Readonly<Record<'tables' | 'protocols' | 'scopes' | 'dsfields', string>>;
  /**
   * `ip -N` (lib/rt_names.c `numeric`): every *_n2a() prints the number. The n2a maps of a
   * numeric PrintNames are empty, so the table/protocol/scope/dsfield fallbacks already
   * print numbers; this flag is for the printers with words of their own (route types and
   * rule actions, realms, groups, IP protocols, link types).
   */
  readonly numeric?: boolean;
}

/**
 * The names `ip -N` prints with (ip.c sets `numeric`): parsing is unchanged (the *_a2n()
 * functions ignore it), every *_n2a() prints a number: rtnl_rtprot_n2a %u, rtnl_rtscope_n2a
 * and rtnl_rtrealm_n2a %d, rtnl_rttable_n2a %u, rtnl_dsfield_n2a 0x%02x.
 */
export function numericNames(n: PrintNames): PrintNames {
  const none = new Map<number, string>();
  return { ...n, tables: none, protos: none, scopes: none, dsfields: none, numeric: true };
}

/** rtnl_rtntype_n2a() (ip/rtm_map.c): the route type word, or its number under -N. */
export function rtntypeName(type: string, n: PrintNames = BUILTIN_NAMES): string {
  if (n.numeric !== true) return type;
  const v = Object.hasOwn(RTN_TYPE_NAMES, type) ? RTN_TYPE_NAMES[type] : undefined;
  return v === undefined ? type : String(v);
}

/** rtnl_group_n2a(): group 0 is "default" (the only name iproute2 6.1 ships), a number under -N. */
export function groupName(g: number, n: PrintNames = BUILTIN_NAMES): string {
  return g === 0 && n.numeric !== true ? 'default' : String(g);
}

/** ll_type_n2a() (lib/ll_types.c): the ARPHRD word, "[N]" under -N. */
export function linkTypeName(arphrd: number, n: PrintNames = BUILTIN_NAMES): string {
  const w = n.numeric === true ? undefined : numberToName(arphrd, LINK_TYPE_NAMES);
  return w ?? `[${arphrd}]`;
}

function n2aMap(table: Readonly<Record<string, number>>): Map<number, string> {
  const m = new Map<number, string>();
  for (const [name, value] of Object.entries(table)) if (!m.has(value)) m.set(value, name);
  return m;
}

function a2nMap(table: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(table));
}

/** iproute2 6.1's compiled-in and shipped names: what `ip` uses without other files. */
export const BUILTIN_NAMES: PrintNames = {
  tables: n2aMap(TABLE_NAMES),
  protos: n2aMap(PROTOCOL_NAMES),
  scopes: n2aMap(RT_SCOPES),
  dsfields: n2aMap(DSFIELD_NAMES),
  tableNums: a2nMap(TABLE_NAMES),
  protoNums: a2nMap(PROTOCOL_NAMES),
  scopeNums: a2nMap(RT_SCOPES),
  dsfieldNums: a2nMap(DSFIELD_NAMES),
  where: {
    tables: "iproute2's built-in table names (main, local, default, unspec)",
    protocols: "iproute2's built-in protocol names",
    scopes: "iproute2's built-in scope names",
    dsfields: "iproute2's built-in dsfield names",
  },
};

type Kind4 = 'tables' | 'protocols' | 'scopes' | 'dsfields';

/** The built-in names with a host's files on top (a file's name for a number replaces the built-in one). */
export function namesWithFiles(files: {
  readonly entries: Readonly<Record<Kind4 | 'realms', readonly { readonly name: string; readonly value: number }[]>>;
  readonly files: Readonly<Record<Kind4 | 'realms', readonly string[]>>;
}): PrintNames {
  const n2a = (base: ReadonlyMap<number, string>, kind: Kind4): Map<number, string> => {
    const m = new Map(base);
    for (const e of files.entries[kind]) m.set(e.value, e.name);
    return m;
  };
  const a2n = (base: ReadonlyMap<string, number>, kind: Kind4): Map<string, number> => {
    const m = new Map(base);
    for (const e of files.entries[kind]) m.set(e.name, e.value);
    return m;
  };
  const where = (kind: Kind4): string =>
    files.files[kind].length === 0 ? `${BUILTIN_NAMES.where[kind]} (no name file given: --names DIR)` : `${BUILTIN_NAMES.where[kind]} and ${files.files[kind].join(', ')}`;
  const B = BUILTIN_NAMES;
  return {
    tables: n2a(B.tables, 'tables'),
    protos: n2a(B.protos, 'protocols'),
    scopes: n2a(B.scopes, 'scopes'),
    dsfields: n2a(B.dsfields, 'dsfields'),
    tableNums: a2n(B.tableNums, 'tables'),
    protoNums: a2n(B.protoNums, 'protocols'),
    scopeNums: a2n(B.scopeNums, 'scopes'),
    dsfieldNums: a2n(B.dsfieldNums, 'dsfields'),
    where: { tables: where('tables'), protocols: where('protocols'), scopes: where('scopes'), dsfields: where('dsfields') },
  };
}

/** The extra tables of a reader (ip monitor text, Iproute2Names) from PrintNames. */
export function readerNames(n: PrintNames): Iproute2Names {
  const rec = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries(m);
  return { tables: rec(n.tableNums), protocols: rec(n.protoNums), scopes: rec(n.scopeNums), dsfields: rec(n.dsfieldNums) };
}

/** rtnl_rtprot_n2a. */
export const protoName = (p: number, n: PrintNames = BUILTIN_NAMES): string => n.protos.get(p) ?? String(p);
/** rtnl_rtscope_n2a. */
export const scopeName = (s: number, n: PrintNames = BUILTIN_NAMES): string => n.scopes.get(s) ?? String(s);
/** rtnl_rttable_n2a. */
export const tableName = (t: number, n: PrintNames = BUILTIN_NAMES): string => n.tables.get(t) ?? String(t);
/** rtnl_dsfield_n2a. */
export const dsfieldName = (t: number, n: PrintNames = BUILTIN_NAMES): string => n.dsfields.get(t) ?? hex2(t);

/**
 * strtol(word, &end, 0) of glibc on a 64-bit long, the whole word read: leading blanks and a
 * sign allowed, an overflow saturating to LONG_MIN/LONG_MAX; undefined when not a number.
 */
export function strtolLong(word: string): bigint | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(word);
  if (m === null) return undefined;
  const digits = m[2] as string;
  let v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  return v > max ? max : v < -max - 1n ? -max - 1n : v;
}

/** get_s32() (lib/utils.c): strtol() within INT32_MIN..INT32_MAX. */
export function getS32(word: string): number | undefined {
  if (word === '') return undefined;
  const v = strtolLong(word);
  return v === undefined || v > 2147483647n || v < -2147483648n ? undefined : Number(v);
}

/**
 * rtnl_group_a2n() (lib/rt_names.c): a name of rt_group (only `default` here), else
 * `int i = strtol(…)`, the long truncated to an int, refused when negative (so 4294967295
 * is invalid and 4294967296 is group 0).
 */
export function groupNumber(word: string): number | undefined {
  if (Object.hasOwn(GROUP_NAMES, word)) return GROUP_NAMES[word];
  const v = strtolLong(word);
  if (v === undefined) return undefined;
  const i = Number(BigInt.asIntN(32, v));
  return i < 0 ? undefined : i;
}

/**
 * get_unsigned()/get_u32()/get_u16()/get_u8() and the a2n fallbacks of lib/: strtoul(word,
 * &end, 0) over the whole word, at most `max`; undefined if not a number. strtoul() takes
 * leading blanks and a sign: '+24' is 24, and '-N' is N negated modulo 2^64, which is 0 for
 * '-0' and beyond every `max` otherwise.
 */
export function parseUnsigned(word: string, max = 0xffffffff): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(.*)$/s.exec(word);
  const sign = m?.[1] ?? '';
  const w = m?.[2] ?? word;
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(w)) n = parseInt(w.slice(2), 16);
  else if (/^0[0-7]*$/.test(w)) n = parseInt(w, 8);
  else if (/^[1-9][0-9]*$/.test(w)) n = parseInt(w, 10);
  else return undefined;
  if (sign === '-' && n !== 0) return undefined;
  return n <= max ? n : undefined;
}

/** rtnl_rtprot_a2n. */
export function protoNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.protoNums.get(word) ?? parseUnsigned(word, 255);
}
/** rtnl_rtscope_a2n. */
export function scopeNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.scopeNums.get(word) ?? parseUnsigned(word, 255);
}
/** rtnl_rttable_a2n. */
export function tableNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  return n.tableNums.get(word) ?? parseUnsigned(word);
}
/**
 * rtnl_rtrealm_a2n: realm 0 is "unknown" in iproute2's built-in table and "cosmos" in its
 * shipped rt_realms file; other names would come from a host's rt_realms, which the model
 * does not carry (such a name is unknown, never a default); else a number up to 0xffff.
 */
export function realmNumber(word: string): number | undefined {
  if (word === 'cosmos' || word === 'unknown') return 0;
  return parseUnsigned(word, 0xffff);
}
/** rtnl_dsfield_a2n: names, or hex (base 16 always, as iproute2 parses it). */
export function dsfieldNumber(word: string, n: PrintNames = BUILTIN_NAMES): number | undefined {
  const named = n.dsfieldNums.get(word);
  if (named !== undefined) return named;
  // strtoul(word, &end, 16): blanks and a sign first ('+10' is 0x10, '-0' is 0, '-N' is out of range).
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX])?([0-9a-fA-F]+)$/.exec(word);
  if (m === null) return undefined;
  const v = parseInt(m[3] as string, 16);
  if (m[1] === '-' && v !== 0) return undefined;
  return v <= 255 ? v : undefined;
}
