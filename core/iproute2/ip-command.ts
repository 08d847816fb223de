// One command line of a script: `ip [OPTIONS] OBJECT …` (ip.c: do_cmd, with iproute2's
// abbreviation rules) or `sysctl …`, run against a snapshot. Returns the transcript
// pieces and every event applied with its effects.

import { BUILTIN_NAMES, numericNames, type PrintNames } from '../uapi/rt-names.js';
import { CommandContext, CommandExit, invarg, matches, runInContext, type CommandResult } from './command-context.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { ipRoute } from './ip-route.js';
import { ipAddr } from './ip-addr.js';
import { ipLink } from './ip-link.js';
import { ipRule } from './ip-rule.js';
import { ipNetconf } from './ip-netconf-nexthop.js';
import { ipNexthop } from './ip-nexthop.js';
import { ipTuntap } from './ip-tuntap.js';
import { sysctlCmd } from './sysctl-procps.js';

export type { CommandResult } from './command-context.js';

/** ip.c's object table, in its order (the first whose name the word abbreviates wins). */
const OBJECTS = [
  'address',
  'addrlabel',
  'maddress',
  'route',
  'rule',
  'neighbor',
  'neighbour',
  'ntable',
  'link',
  'l2tp',
  'fou',
  'ila',
  'macsec',
  'tunnel',
  'tunl',
  'tuntap',
  'tap',
  'token',
  'tcpmetrics',
  'tcp_metrics',
  'monitor',
  'xfrm',
  'mroute',
  'mrule',
  'netns',
  'netconf',
  'vrf',
  'sr',
  'nexthop',
  'mptcp',
  'ioam',
  'help',
  'stats',
] as const;

/** Runs one argv (argv[0] is `ip` or `sysctl`). */
type ColorOpt = 'always' | 'auto' | 'never';

/**
 * matches_color() (lib/color.c): the part before `=` a prefix of `-color` (`-c`, `-col`), the
 * part after it empty or `always`, `auto` or `never`; undefined when the option is not that.
 */
export function matchesColor(opt: string): ColorOpt | undefined {
  const eq = opt.indexOf('=');
  const name = eq < 0 ? opt : opt.slice(0, eq);
  const value = eq < 0 ? '' : opt.slice(eq + 1);
  if (!matches(name, '-color')) return undefined;
  if (value === '' || value === 'always') return 'always';
  if (value === 'auto' || value === 'never') return value;
  return undefined;
}

export function runCommand(snapshot: FibSnapshot, argv: readonly string[], names: PrintNames = BUILTIN_NAMES): CommandResult {
  return runInContext(snapshot, names, (ctx) => (argv[0] === 'sysctl' ? sysctlCmd(ctx, argv.slice(1)) : runIp(ctx, argv.slice(1))));
}

/** read_family() of lib/utils.c. */
function readFamily(word: string): GlobalOptions['family'] | undefined {
  if (word === 'inet') return 'inet';
  if (word === 'inet6') return 'inet6';
  if (word === 'link') return 'packet';
  if (word === 'ipx' || word === 'dnet' || word === 'mpls' || word === 'bridge') return 'other';
  return undefined;
}

/**
 * ip.c's option loop, in its order of tests (an abbreviation takes the first option it
 * prefixes: -s is -stats, -t -timestamp, -ts -tshort, -d -details, -r -resolve, -b
 * -batch, -br -brief, -n -netns, -N -Numeric). Options that only change `ip monitor`,
 * batch or stats output of objects the model does not print are accepted as no-ops.
 */
function runIp(ctx: CommandContext, args: readonly string[]): void {
  let family: GlobalOptions['family'] = 'any';
  let json = false;
  let pretty = false;
  let oneline = false;
  let details = false;
  let stats = 0;
  let brief = false;
  let numeric = false;
  let color: ColorOpt = 'never';
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    const opt = a.startsWith('--') ? a.slice(1) : a;
    const m = (word: string): boolean => matches(opt, word);
    let asked: ColorOpt | undefined;
    if (m('-loops')) throw new CommandExit('', 2, 'ip -loops');
    else if (m('-family')) {
      const f = args[++i];
      if (f === undefined || f === 'help') throw new CommandExit('', 255, 'ip usage');
      const fam = readFamily(f);
      if (fam === undefined) invarg('invalid protocol family', f);
      family = fam;
    } else if (opt === '-4') family = 'inet';
    else if (opt === '-6') family = 'inet6';
    else if (opt === '-0') family = 'packet';
    else if (opt === '-M' || opt === '-B') family = 'other';
    else if (m('-human') || m('-human-readable') || m('-iec')) {
      // only the -s counters change, which the model does not print
    } else if (m('-stats') || m('-statistics')) stats++;
    else if (m('-details')) details = true;
    else if (m('-resolve')) throw new CommandExit('', 2, 'ip -resolve (reverse DNS)');
    else if (m('-oneline')) oneline = true;
    else if (m('-timestamp') || m('-tshort')) {
      // time stamps are printed by `ip monitor` only
    } else if (m('-Version')) throw new CommandExit('', 2, 'ip -Version');
    else if (m('-force')) {
      // -force only keeps -batch going
    } else if (m('-batch')) throw new CommandExit('', 2, 'ip -batch');
    else if (m('-brief')) brief = true;
    else if (m('-json')) json = true;
    else if (m('-pretty')) pretty = true;
    else if (m('-rcvbuf')) i++;
    else if ((asked = matchesColor(opt)) !== undefined) color = asked;
    else if (m('-help')) throw new CommandExit('', 255, 'ip usage');
    else if (m('-netns')) throw new CommandExit('', 2, 'ip -netns');
    else if (m('-Numeric')) numeric = true;
    else if (m('-all')) throw new CommandExit('', 2, 'ip -all');
    else if (opt === '-echo') throw new CommandExit('', 2, 'ip -echo');
    else throw new CommandExit(`Option "${opt}" is unknown, try "ip -help".\n`, 255);
  }
  // check_enable_color(): never with -json or `never`; `auto` only on a terminal, and the
  // transcript is not one (the kernel runner's ip writes to a pipe too).
  if (color === 'always' && !json) throw new CommandExit('', 2, 'ip -color (colored output)');
  if (family === 'inet6' || family === 'other') throw new CommandExit('', 2, 'ip -6 / non-IPv4 families');
  const obj = args[i];
  if (obj === undefined) throw new CommandExit('', 255, 'ip usage');
  const rest = args.slice(i + 1);
  const opts: GlobalOptions = { family, json, pretty, oneline, details, stats, brief };
  const name = OBJECTS.find((o) => matches(obj, o));
  // -details changes `ip route` (print_route()), `ip rule` and `ip nexthop` (protocol, scope
  // always) output, and nothing of `ip netconf` (print_netconf() does not read show_details);
  // link and address listings get the device's driver details, which are not modelled.
  if (details && name !== 'route' && name !== 'rule' && name !== 'nexthop' && name !== 'netconf') throw new CommandExit('', 2, 'ip -details');
  // -s prints link counters for link and address listings (traffic); print_route() and a
  // flush use it otherwise. print_rta_cacheinfo() adds RTA_CACHEINFO's users (the dst's
  // refcount), used and age (jiffies since the dst was made: a clock reading) to `ip route
  // get`; iprule.c, ipnetconf.c and ipnexthop.c of iproute2 6.1 never read show_stats.
  if (stats > 0 && name === 'route' && rest[0] !== undefined && matches(rest[0], 'get')) throw new CommandExit('', 2, 'ip -s route get (route cache counters: users, used, age)');
  if (stats > 0 && name === 'link') throw new CommandExit('', 2, 'ip -s link (counters: the kernel sends IGMP reports of its own)');
  if (stats > 0 && name !== 'route' && name !== 'address' && name !== 'rule' && name !== 'netconf' && name !== 'nexthop') throw new CommandExit('', 2, 'ip -statistics');
  // -brief changes only the link and address listings (ipaddress.c: print_linkinfo_brief())
  // and ipneigh.c in iproute2 6.1; iproute.c, iprule.c, ipnexthop.c, ipnetconf.c and
  // iptuntap.c never read it, so `ip -br route|rule|nexthop|netconf` print as without it.
  if (brief && name !== 'link' && name !== 'address' && name !== 'route' && name !== 'rule' && name !== 'nexthop' && name !== 'netconf' && name !== 'tuntap' && name !== 'tap') throw new CommandExit('', 2, 'ip -brief');
  // -N: lib/rt_names.c's `numeric`, read by every *_n2a() printer (parsing is unchanged).
  if (numeric) ctx.names = numericNames(ctx.names);
  if (family === 'packet' && name !== 'address' && name !== 'link') throw new CommandExit('', 2, 'ip -0 / -f link');
  // With IPv6 enabled (sysctl net.ipv6.conf.all.disable_ipv6=0) a dump of every family
  // shows addrconf's IPv6 addresses and routes (link-local, ::1, fe80::/64, ff00::/8),
  // which the model does not keep: address listings and `table all` route dumps.
  if (ctx.snapshot.ipv4Sysctl.disable_ipv6 === 0 && family === 'any') {
    const verb = rest[0];
    const dump = verb === undefined || ['show', 'list', 'lst', 'flush', 'save'].some((v) => matches(verb, v));
    if (name === 'address' && dump) throw new CommandExit('', 2, 'ip address listings with IPv6 enabled (addrconf addresses)');
    if (name === 'route' && dump && rest.includes('all')) throw new CommandExit('', 2, 'ip route table all with IPv6 enabled (addrconf routes)');
  }
  switch (name) {
    case 'address':
      return ipAddr(ctx, opts, rest);
    case 'route':
      return ipRoute(ctx, opts, rest);
    case 'rule':
      return ipRule(ctx, opts, rest);
    case 'link':
      return ipLink(ctx, opts, rest);
    case 'netconf':
      return ipNetconf(ctx, opts, rest);
    case 'nexthop':
      return ipNexthop(ctx, opts, rest);
    // ip.c: `tap` is do_iptuntap too.
    case 'tuntap':
    case 'tap':
      return ipTuntap(ctx, rest);
    case undefined:
      throw new CommandExit(`Object "${obj}" is unknown, try "ip help".\n`, 1);
    default:
      throw new CommandExit('', 2, `ip ${name}`);
  }
}
