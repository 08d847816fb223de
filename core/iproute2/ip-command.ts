// One command line of a script: `ip [OPTIONS] OBJECT …` (ip.c: do_cmd, with iproute2's
// abbreviation rules) or `sysctl …`, run against a snapshot. Returns the transcript
// pieces and every event applied with its effects.

import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';
import { CommandContext, CommandExit, matches, type CommandOutput } from './command-context.js';
import type { FibSnapshot } from '../snapshot/snapshot.js';
import type { GlobalOptions } from './global-options.js';
import { ipRoute } from './ip-route.js';
import { ipAddr } from './ip-addr.js';
import { ipLink } from './ip-link.js';
import { ipRule } from './ip-rule.js';
import { ipNetconf, ipNexthop } from './ip-netconf-nexthop.js';
import { sysctlCmd } from './sysctl-cmd.js';
import type { FibEvent } from '../events/fib-event.js';
import type { Step } from '../reduce/reduce.js';

export interface CommandResult {
  readonly output: CommandOutput;
  readonly snapshot: FibSnapshot;
  readonly steps: readonly { readonly event: FibEvent; readonly step: Step }[];
}

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
export function runCommand(snapshot: FibSnapshot, argv: readonly string[], names: PrintNames = BUILTIN_NAMES): CommandResult {
  const ctx = new CommandContext(snapshot, names);
  try {
    if (argv[0] === 'sysctl') sysctlCmd(ctx, argv.slice(1));
    else runIp(ctx, argv.slice(1));
  } catch (e) {
    if (!(e instanceof CommandExit)) throw e;
    ctx.out.stderr += e.stderrText;
    ctx.out.exit = e.code;
    if (e.notModelled !== undefined) ctx.out.notModelled = e.notModelled;
  }
  return { output: ctx.out, snapshot: ctx.snapshot, steps: ctx.steps };
}

function runIp(ctx: CommandContext, args: readonly string[]): void {
  let family: GlobalOptions['family'] = 'any';
  let json = false;
  let pretty = false;
  let oneline = false;
  let details = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('-') || a === '-') break;
    const opt = a.replace(/^--?/, '');
    if (opt === '4') family = 'inet';
    else if (opt === '6') family = 'inet6';
    else if (opt === '0' || opt === 'M' || opt === 'B') family = 'other';
    else if (matches(opt, 'json') || opt === 'j') json = true;
    else if (matches(opt, 'pretty') || opt === 'p') pretty = true;
    else if (matches(opt, 'oneline') || opt === 'o') oneline = true;
    else if (matches(opt, 'details') || opt === 'd') details = true;
    else if (opt === 'f' || matches(opt, 'family')) {
      const f = args[++i];
      if (f === 'inet') family = 'inet';
      else throw new CommandExit('', 2, `ip -family ${f ?? ''}`);
    } else if (matches(opt, 'statistics') || opt === 's' || matches(opt, 'resolve') || opt === 'r' || matches(opt, 'batch') || opt === 'b' || matches(opt, 'netns') || opt === 'n' || matches(opt, 'color') || opt === 'c' || matches(opt, 'timestamp') || opt === 't' || matches(opt, 'echo') || matches(opt, 'brief') || opt === 'br') {
      throw new CommandExit('', 2, `ip ${a}`);
    } else {
      throw new CommandExit(`Option "${a}" is unknown, try "ip -help".\n`, 255);
    }
  }
  if (family === 'inet6' || family === 'other') throw new CommandExit('', 2, 'ip -6 / non-IPv4 families');
  const obj = args[i];
  if (obj === undefined) throw new CommandExit('', 255, 'ip usage');
  const rest = args.slice(i + 1);
  const opts: GlobalOptions = { family, json, pretty, oneline, details };
  if (details) throw new CommandExit('', 2, 'ip -details');
  const name = OBJECTS.find((o) => matches(obj, o));
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
    case undefined:
      throw new CommandExit(`Object "${obj}" is unknown, try "ip help".\n`, 1);
    default:
      throw new CommandExit('', 2, `ip ${name}`);
  }
}
